//! The daemon on top of ten years of as-run history (a generated, chained
//! log of 10 programs a day, ending an hour ago): restart, reload, catch-up and clock
//! steps behave as with a short log, and start-up reads only the log's end.
//! The real binary, the real `wav:` output; the history never re-airs.

mod common;

use std::io::{Read, Seek, SeekFrom};
use std::process::Stdio;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use common::*;

/// Writes ten years of history into the station's state, ending an hour ago.
fn with_history(st: &Station) -> history::Written {
    std::fs::create_dir_all(st.path("state")).unwrap();
    let end = Utc::now() - TimeDelta::hours(1);
    let spec = history::Spec::years(10, end, st.offset_h as i32);
    history::write(&st.path("state/asrun.jsonl"), &spec).unwrap()
}

/// Records appended after the generated history (`from` = its length).
fn new_records(st: &Station, from: u64) -> Vec<serde_json::Value> {
    let mut f = std::fs::File::open(st.path("state/asrun.jsonl")).unwrap();
    f.seek(SeekFrom::Start(from)).unwrap();
    let mut text = String::new();
    f.read_to_string(&mut text).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).expect("as-run line is JSON"))
        .collect()
}

fn wait_new(
    st: &Station,
    from: u64,
    limit: Duration,
    what: &str,
    pred: impl Fn(&[serde_json::Value]) -> bool,
) -> Vec<serde_json::Value> {
    let t = std::time::Instant::now();
    loop {
        let recs = new_records(st, from);
        if pred(&recs) {
            return recs;
        }
        assert!(
            t.elapsed() < limit,
            "timed out waiting for {what}: {recs:#?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn verify_ok(st: &Station) {
    let o = st.cmd(&["log", "--verify"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && out.contains("chain intact"), "{out}");
}

#[test]
fn kill_9_mid_broadcast_then_restart_on_ten_years_closes_it_partial_and_never_reairs() {
    let st = Station::new();
    let hist = with_history(&st);
    st.tone("long.wav", 440.0, 4.0);
    st.tone("next.wav", 880.0, 0.5);
    let a = whole_second_in(3);
    let b = whole_second_in(10);
    st.write_config(&format!(
        "[[program]]\nid = \"dai\"\nat = [\"{}\"]\nplay = [\"long.wav\"]\n\n[[program]]\nid = \"sau\"\nat = [\"{}\"]\nplay = [\"next.wav\"]\n",
        st.local_hms(a),
        st.local_hms(b)
    ));
    let mut d = st.spawn();
    wait_new(
        &st,
        hist.bytes,
        Duration::from_secs(15),
        "dai on air",
        |r| {
            r.iter()
                .any(|x| x["event"] == "on_air" && x["program"] == "dai")
        },
    );
    assert!(
        st.path("state/asrun.summary.json").exists(),
        "first start wrote the summary"
    );
    std::thread::sleep(Duration::from_millis(1200));
    d.kill9();
    let restart = Utc::now();
    let mut d2 = st.spawn();
    let recs = wait_new(&st, hist.bytes, Duration::from_secs(15), "sau aired", |r| {
        r.iter()
            .any(|x| x["outcome"] == "aired" && x["program"] == "sau")
    });
    assert!(d2.alive(), "{}", d2.stderr());
    d2.term();
    // The restart read the log from its summary on, not from line 1.
    let log = d2.stderr();
    let read_from = log
        .split("bytes from byte ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no start-up read line in: {log}"));
    assert!(
        read_from > hist.bytes * 9 / 10,
        "read from byte {read_from}"
    );
    let programs: Vec<&str> = recs
        .iter()
        .map(|r| r["program"].as_str().unwrap())
        .collect();
    assert_eq!(programs, ["dai", "dai", "sau", "sau"], "{recs:#?}");
    assert_eq!(recs[1]["outcome"], "partial");
    assert_eq!(recs[1]["reason"], "interrupted");
    let rec = Recording::read_wav(&st.wav_path());
    let after = rec.sound_between(
        restart + TimeDelta::milliseconds(50),
        b - TimeDelta::milliseconds(100),
        0.02,
    );
    assert_eq!(after, 0.0, "sound between the restart and `sau`: {after}s");
    let sau = rec.sound_between(b, b + TimeDelta::milliseconds(600), 0.02);
    assert!(sau > 0.3, "sau aired {sau}s");
    verify_ok(&st);
}

#[test]
fn after_downtime_on_ten_years_one_minute_late_airs_and_twenty_minutes_late_is_missed() {
    let st = Station::new();
    let hist = with_history(&st);
    st.tone("x.wav", 440.0, 0.5);
    let now = Utc::now();
    st.write_config(&format!(
        "[[program]]\nid = \"vua-qua\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n\n[[program]]\nid = \"lau-roi\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        st.local_hms(now - TimeDelta::seconds(60)),
        st.local_hms(now - TimeDelta::minutes(20))
    ));
    let started = Utc::now();
    let mut d = st.spawn();
    let recs = wait_new(
        &st,
        hist.bytes,
        Duration::from_secs(15),
        "both decided",
        |r| {
            r.iter()
                .any(|x| x["program"] == "vua-qua" && x["outcome"] == "aired")
                && r.iter()
                    .any(|x| x["program"] == "lau-roi" && x["outcome"] == "missed")
        },
    );
    d.term();
    // Exactly what a short log gives: one missed, one on_air + aired.
    assert_eq!(recs.len(), 3, "{recs:#?}");
    let rec = Recording::read_wav(&st.wav_path());
    let on = rec.onsets(0.02, Duration::from_millis(300));
    assert_eq!(on.len(), 1, "{on:?}");
    let after_start = late_ms(on[0], started);
    assert!(
        (0.0..3000.0).contains(&after_start),
        "aired {after_start} ms after the daemon started"
    );
    let missed = recs.iter().find(|r| r["program"] == "lau-roi").unwrap();
    assert!(
        missed["reason"].as_str().unwrap().contains("not running"),
        "{missed}"
    );
    verify_ok(&st);
}

/// The history's programs whose daily time is not within the last 65 or the
/// next 20 minutes (those would rightly be missed or aired now), as TOML.
fn history_programs(st: &Station, now: DateTime<Utc>) -> String {
    let local_now = (now + TimeDelta::hours(st.offset_h)).time();
    let mut toml = String::new();
    for (k, t) in history::TIMES.iter().enumerate() {
        let at = chrono::NaiveTime::parse_from_str(t, "%H:%M").unwrap();
        let ahead = (at - local_now).num_minutes().rem_euclid(24 * 60);
        if ahead <= 20 || ahead >= 24 * 60 - 65 {
            continue;
        }
        toml.push_str(&format!(
            "[[program]]\nid = \"lich-su-{}\"\nat = [\"{t}\"]\nplay = [\"x.wav\"]\n\n",
            k + 1
        ));
    }
    toml
}

#[test]
fn a_clock_stepped_back_past_the_window_edge_on_ten_years_airs_nothing_until_set() {
    let st = Station::new();
    let hist = with_history(&st);
    st.tone("x.wav", 440.0, 0.5);
    let now = Utc::now();
    let sang = whole_second_in(6);
    st.write_config(&format!(
        "{}[[program]]\nid = \"sang\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        history_programs(&st, now),
        st.local_hms(sang)
    ));
    // A box booting with its clock 40 days back: the newest record is in its
    // future, so nothing is scheduled, not even `sang`, due at 6 s by that clock.
    let fake = (now - TimeDelta::days(40)).to_rfc3339();
    let log = st.path("daemon-fake.log");
    let child = loa()
        .env("LOA_FAKE_TIME", &fake)
        .arg("--config")
        .arg(st.config_path())
        .args([
            "run",
            "--output",
            &format!("wav:{}", st.wav_path().display()),
        ])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut d = Daemon { child, log };
    let t = std::time::Instant::now();
    let status = loop {
        let o = st.cmd(&["status", "--json"]);
        if o.status.success() {
            break serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap();
        }
        assert!(t.elapsed() < Duration::from_secs(10), "{}", d.stderr());
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status["clock"], "untrusted", "{status}");
    std::thread::sleep((sang - Utc::now()).to_std().unwrap_or_default() + Duration::from_secs(2));
    assert!(d.alive(), "{}", d.stderr());
    d.term();
    assert!(
        d.stderr()
            .contains("nothing is scheduled until the clock is set"),
        "{}",
        d.stderr()
    );
    assert!(
        new_records(&st, hist.bytes).is_empty(),
        "nothing recorded with the clock 40 days back"
    );
    let silent = !st.wav_path().exists()
        || Recording::read_wav(&st.wav_path())
            .onsets(0.02, Duration::from_millis(300))
            .is_empty();
    assert!(silent, "nothing aired with the clock 40 days back");

    // The clock is set: `sang` (a few seconds late) airs once; nothing of the
    // ten years is aired or recorded again.
    let mut d = st.spawn();
    let recs = wait_new(
        &st,
        hist.bytes,
        Duration::from_secs(15),
        "sang aired",
        |r| {
            r.iter()
                .any(|x| x["program"] == "sang" && x["outcome"] == "aired")
        },
    );
    std::thread::sleep(Duration::from_secs(1));
    d.term();
    let recs_now = new_records(&st, hist.bytes);
    assert_eq!(recs_now.len(), 2, "{recs_now:#?}");
    assert!(recs.iter().all(|r| r["program"] == "sang"), "{recs:#?}");
    verify_ok(&st);
}

#[test]
fn a_reload_on_ten_years_changes_future_occurrences_only() {
    let st = Station::new();
    let hist = with_history(&st);
    st.tone("x.wav", 440.0, 2.0);
    let now = Utc::now();
    let a = whole_second_in(2);
    let b = a + TimeDelta::seconds(6);
    let history = history_programs(&st, now);
    st.write_config(&format!(
        "{history}[[program]]\nid = \"dang\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        st.local_hms(a)
    ));
    let mut d = st.spawn_with(&["--output", "null"]);
    wait_new(
        &st,
        hist.bytes,
        Duration::from_secs(10),
        "dang on air",
        |r| r.iter().any(|x| x["event"] == "on_air"),
    );
    // While `dang` is on air: a new program for `b`, `dang` kept at its time.
    st.write_config(&format!(
        "{history}[[program]]\nid = \"dang\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n\n[[program]]\nid = \"moi\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        st.local_hms(a),
        st.local_hms(b)
    ));
    std::process::Command::new("kill")
        .args(["-HUP", &d.child.id().to_string()])
        .status()
        .unwrap();
    let recs = wait_new(&st, hist.bytes, Duration::from_secs(15), "moi aired", |r| {
        r.iter()
            .any(|x| x["program"] == "moi" && x["outcome"] == "aired")
    });
    std::thread::sleep(Duration::from_millis(500));
    d.term();
    let recs_now = new_records(&st, hist.bytes);
    assert_eq!(
        recs_now.len(),
        recs.len(),
        "nothing after moi: {recs_now:#?}"
    );
    let programs: Vec<&str> = recs
        .iter()
        .map(|r| r["program"].as_str().unwrap())
        .collect();
    assert_eq!(programs, ["dang", "dang", "moi", "moi"], "{recs:#?}");
    assert_eq!(recs[1]["outcome"], "aired", "what was on air continued");
    verify_ok(&st);
}
