//! The real binary airs a schedule on a `wav:` output: on time (measured in
//! the recording), in order, exactly once, with catch-up after downtime.

mod common;

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use common::*;

#[test]
fn three_programs_air_in_order_each_within_50ms_of_its_instant() {
    let st = Station::new();
    st.tone("a.wav", 440.0, 1.0);
    st.tone("b.wav", 660.0, 1.0);
    st.tone("c.wav", 880.0, 1.0);
    let starts = [whole_second_in(4), whole_second_in(7), whole_second_in(10)];
    let mut body = String::new();
    for (i, (id, clip)) in [("mot", "a.wav"), ("hai", "b.wav"), ("ba", "c.wav")]
        .iter()
        .enumerate()
    {
        body += &format!(
            "[[program]]\nid = \"{id}\"\nat = [\"{}\"]\nplay = [\"{clip}\"]\n\n",
            st.local_hms(starts[i])
        );
    }
    st.write_config(&body);
    let mut d = st.spawn();
    st.wait_for(Duration::from_secs(20), "three aired outcomes", |recs| {
        recs.iter().filter(|r| r["outcome"] == "aired").count() == 3
    });
    assert!(d.alive(), "daemon died:\n{}", d.stderr());
    d.term();
    let rec = Recording::read_wav(&st.wav_path());
    let onsets = rec.onsets(0.02, Duration::from_millis(500));
    assert_eq!(onsets.len(), 3, "onsets {onsets:?}\n{}", d.stderr());
    for (i, (on, want)) in onsets.iter().zip(starts).enumerate() {
        let late = late_ms(*on, want);
        eprintln!("program {i}: {late:.1} ms late (from the recording)");
        assert!(
            late.abs() <= 50.0,
            "program {i} started {late:.1} ms from its instant\n{}",
            d.stderr()
        );
        let tone = rec.sound_between(*on, *on + TimeDelta::milliseconds(900), 0.02);
        assert!(
            tone > 0.5,
            "program {i}: only {tone:.2}s of sound after its onset"
        );
    }
    for id in ["mot", "hai", "ba"] {
        assert_eq!(st.outcomes(id).len(), 1, "{id} recorded once");
    }
}

#[test]
fn kill_9_mid_broadcast_then_restart_closes_it_partial_and_never_reairs() {
    let st = Station::new();
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
    st.wait_for(Duration::from_secs(10), "dai on air", |r| {
        r.iter()
            .any(|x| x["event"] == "on_air" && x["program"] == "dai")
    });
    std::thread::sleep(Duration::from_millis(1200));
    d.kill9();
    let restart = Utc::now();
    let mut d2 = st.spawn();
    st.wait_for(Duration::from_secs(15), "sau aired", |r| {
        r.iter()
            .any(|x| x["outcome"] == "aired" && x["program"] == "sau")
    });
    assert!(d2.alive(), "{}", d2.stderr());
    d2.term();
    let dai = st.outcomes("dai");
    assert_eq!(dai.len(), 1, "{dai:#?}");
    assert_eq!(dai[0]["outcome"], "partial");
    assert_eq!(dai[0]["reason"], "interrupted");
    let on_airs = st
        .asrun()
        .iter()
        .filter(|r| r["event"] == "on_air" && r["program"] == "dai")
        .count();
    assert_eq!(on_airs, 1, "dai went on air once");
    // The recording after the restart holds only `sau`: the 4 s tone never airs
    // again. (The killed sink may have written up to one 10 ms chunk ahead of
    // the kill, so the window opens 50 ms after it.)
    let rec = Recording::read_wav(&st.wav_path());
    let after = rec.sound_between(
        restart + TimeDelta::milliseconds(50),
        b - TimeDelta::milliseconds(100),
        0.02,
    );
    assert_eq!(after, 0.0, "sound between the restart and `sau`: {after}s");
    let sau = rec.sound_between(b, b + TimeDelta::milliseconds(600), 0.02);
    assert!(sau > 0.3, "sau aired {sau}s");
}

#[test]
fn after_downtime_one_minute_late_airs_at_start_and_twenty_minutes_late_is_missed() {
    let st = Station::new();
    st.tone("x.wav", 440.0, 0.5);
    let now = Utc::now();
    st.write_config(&format!(
        "[[program]]\nid = \"vua-qua\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n\n[[program]]\nid = \"lau-roi\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        st.local_hms(now - TimeDelta::seconds(60)),
        st.local_hms(now - TimeDelta::minutes(20))
    ));
    let started = Utc::now();
    let mut d = st.spawn();
    st.wait_for(Duration::from_secs(10), "both decided", |r| {
        r.iter()
            .any(|x| x["program"] == "vua-qua" && x["outcome"] == "aired")
            && r.iter()
                .any(|x| x["program"] == "lau-roi" && x["outcome"] == "missed")
    });
    d.term();
    let rec = Recording::read_wav(&st.wav_path());
    let on = rec.onsets(0.02, Duration::from_millis(300));
    assert_eq!(on.len(), 1, "{on:?}");
    let after_start = late_ms(on[0], started);
    assert!(
        (0.0..3000.0).contains(&after_start),
        "aired {after_start} ms after the daemon started"
    );
    let missed = &st.outcomes("lau-roi")[0];
    assert!(
        missed["reason"].as_str().unwrap().contains("not running"),
        "{missed}"
    );
    assert!(st
        .asrun()
        .iter()
        .all(|r| !(r["program"] == "lau-roi" && r["event"] == "on_air")));
}

#[test]
fn higher_priority_preempts_lower() {
    let st = Station::new();
    st.tone("low.wav", 440.0, 6.0);
    st.tone("high.wav", 880.0, 1.0);
    let a = whole_second_in(3);
    let b = a + TimeDelta::seconds(2);
    st.write_config(&format!(
        "[[program]]\nid = \"thuong\"\nat = [\"{}\"]\nplay = [\"low.wav\"]\n\n[[program]]\nid = \"khan\"\npriority = 100\nat = [\"{}\"]\nplay = [\"high.wav\"]\n",
        st.local_hms(a),
        st.local_hms(b)
    ));
    let mut d = st.spawn();
    st.wait_for(Duration::from_secs(15), "khan aired", |r| {
        r.iter()
            .any(|x| x["program"] == "khan" && x["outcome"] == "aired")
    });
    d.term();
    let low = &st.outcomes("thuong")[0];
    assert_eq!(low["outcome"], "preempted", "{low}");
    assert!(low["reason"].as_str().unwrap().contains("khan@"), "{low}");
    let secs = low["items"][0]["seconds"].as_f64().unwrap();
    assert!(
        (1.5..3.0).contains(&secs),
        "low aired {secs}s before the preemption"
    );
    let rec = Recording::read_wav(&st.wav_path());
    // The low tone stops within a fade after `b`; the emergency follows within 1 s.
    let tail = rec.sound_between(
        b + TimeDelta::milliseconds(600),
        b + TimeDelta::seconds(4),
        0.02,
    );
    assert!(
        (0.3..1.2).contains(&tail),
        "after the preemption {tail}s of sound (the emergency's 1 s clip)"
    );
}

#[test]
fn a_corrupt_clip_is_skipped_and_the_next_airs() {
    let st = Station::new();
    write_garbage(&st.path("audio/hong.mp3"));
    st.tone("tot.wav", 660.0, 1.0);
    let a = whole_second_in(3);
    st.write_config(&format!(
        "[[program]]\nid = \"tin\"\nat = [\"{}\"]\nplay = [\"hong.mp3\", \"tot.wav\"]\n",
        st.local_hms(a)
    ));
    let mut d = st.spawn();
    st.wait_for(Duration::from_secs(12), "tin decided", |r| {
        r.iter()
            .any(|x| x["program"] == "tin" && x["event"] == "outcome")
    });
    d.term();
    let o = &st.outcomes("tin")[0];
    assert_eq!(o["outcome"], "aired", "{o}");
    assert!(o["reason"].as_str().unwrap().contains("hong.mp3"), "{o}");
    assert!(o["items"][0]["error"].is_string(), "{o}");
    assert!(o["items"][1]["seconds"].as_f64().unwrap() > 0.9, "{o}");
    let rec = Recording::read_wav(&st.wav_path());
    let on = rec.onsets(0.02, Duration::from_millis(300));
    assert_eq!(on.len(), 1);
    let late = late_ms(on[0], a);
    assert!(late.abs() <= 50.0, "good clip {late} ms from the instant");
}

#[test]
fn an_unopenable_device_gives_failed_and_the_daemon_stays_up() {
    let st = Station::new();
    st.tone("x.wav", 440.0, 0.3);
    let a = whole_second_in(2);
    let b = a + TimeDelta::seconds(12);
    st.write_config(&format!(
        "[[program]]\nid = \"mot\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n\n[[program]]\nid = \"hai\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        st.local_hms(a),
        st.local_hms(b)
    ));
    let mut d = st.spawn_with(&["--output", "khong-co-loa"]);
    st.wait_for(Duration::from_secs(25), "both failed", |r| {
        r.iter().filter(|x| x["outcome"] == "failed").count() == 2
    });
    assert!(d.alive(), "daemon exited:\n{}", d.stderr());
    let o = &st.outcomes("mot")[0];
    assert!(
        o["reason"].as_str().unwrap().contains("khong-co-loa"),
        "{o}"
    );
    let status = d.term().expect("exits on SIGTERM");
    assert!(status.success(), "{status}");
}
