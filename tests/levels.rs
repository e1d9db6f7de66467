//! Circular 39's `priority` level end to end with the real binary: a clip
//! published `--level priority` (an AAC/M4A made by ffmpeg, as a phone records)
//! into a signed feed served by a real nginx airs at the start of the station's
//! next program, before its items, once that day — not again in the second
//! program, even after a restart. Checked in the `wav:` recording by pitch, in the
//! as-run log, and in `loa agenda --json`.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use common::audio::{near, Stereo};
use common::feedkit::{feed, feed_toml, publish};
use common::nginx::{self, Nginx};
use common::*;

/// An AAC/M4A tone made by ffmpeg from a WAV (None: no ffmpeg, outside CI).
fn m4a_tone(st: &Station, name: &str, hz: f32, secs: f32) -> Option<std::path::PathBuf> {
    let wav = st.path(&format!("{name}.wav"));
    write_tone(&wav, hz, secs, 0.5);
    let out = st.path(&format!("{name}.m4a"));
    let made = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&wav)
        .args(["-c:a", "aac", "-b:a", "128k"])
        .arg(&out)
        .status();
    match made {
        Ok(s) if s.success() => Some(out),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("ffmpeg cannot make an M4A, and CI=true requires it (see .ci/run)")
        }
        _ => {
            eprintln!("SKIPPED: ffmpeg is not installed");
            None
        }
    }
}

/// `loa agenda --json` item names per occurrence id.
fn agenda(st: &Station) -> Vec<(String, Vec<String>)> {
    let o = st.cmd(&["agenda", "--json", "--days", "1"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let items = e["items"].as_array().unwrap().iter();
            let names = items.map(|i| i["name"].as_str().unwrap().to_string());
            (
                e["occurrence"].as_str().unwrap().to_string(),
                names.collect(),
            )
        })
        .collect()
}

fn names(rec: &serde_json::Value) -> Vec<&str> {
    rec["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect()
}

#[test]
fn a_priority_clip_opens_the_next_program_once_that_day() {
    if !nginx::required_or_skip("levels e2e") {
        return;
    }
    let st = Station::new();
    let Some(m4a) = m4a_tone(&st, "khan-cap", 880.0, 1.0) else {
        return;
    };
    let f = feed(&st);
    let out = publish(
        &f,
        &[
            "--id",
            "uu-tien",
            "--category",
            "thong-bao",
            "--level",
            "priority",
            m4a.to_str().unwrap(),
        ],
    );
    assert!(out.contains("uu-tien"), "{out}");
    let manifest = std::fs::read_to_string(f.root.join("manifest.json")).unwrap();
    assert!(manifest.contains("clips/uu-tien.m4a"), "{manifest}");
    assert!(manifest.contains("priority"), "{manifest}");
    let web = Nginx::start(&f.root, &st.path("nginx"));
    st.tone("tin.wav", 440.0, 1.0);
    let a = whole_second_in(8);
    let b = a + TimeDelta::seconds(7);
    st.write_config(&format!(
        "{}[[program]]\nid = \"sang\"\nat = [\"{}\"]\nplay = [\"tin.wav\"]\n\n[[program]]\nid = \"chieu\"\nat = [\"{}\"]\nplay = [\"tin.wav\"]\n",
        feed_toml(&web.url("manifest.json"), &f.public_key),
        st.local_hms(a),
        st.local_hms(b)
    ));
    let mut d = st.spawn();
    // Once synced, the agenda shows it opening the next program only.
    let t = Instant::now();
    let mut plan = agenda(&st);
    while plan.first().is_none_or(|(_, i)| i.len() < 2) && t.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(200));
        plan = agenda(&st);
    }
    assert_eq!(plan.len(), 2, "{plan:?}");
    assert!(plan[0].0.starts_with("sang@"), "{plan:?}");
    assert_eq!(plan[0].1, ["priority uu-tien", "tin.wav"], "{plan:?}");
    assert_eq!(plan[1].1, ["tin.wav"], "{plan:?}");

    st.wait_for(Duration::from_secs(20), "sang aired", |r| {
        r.iter()
            .any(|x| x["program"] == "sang" && x["outcome"] == "aired")
    });
    // A restart between the two programs: the as-run log remembers.
    assert!(d.alive(), "{}", d.stderr());
    d.term();
    // Today's chieu without it; tomorrow's sang opens with it again.
    let plan = agenda(&st);
    assert_eq!(plan.len(), 2, "{plan:?}");
    assert!(plan[0].0.starts_with("chieu@"), "{plan:?}");
    assert_eq!(plan[0].1, ["tin.wav"], "aired today already: {plan:?}");
    assert!(plan[1].0.starts_with("sang@"), "{plan:?}");
    assert_eq!(plan[1].1, ["priority uu-tien", "tin.wav"], "{plan:?}");
    let mut d = st.spawn();
    st.wait_for(Duration::from_secs(20), "chieu aired", |r| {
        r.iter()
            .any(|x| x["program"] == "chieu" && x["outcome"] == "aired")
    });
    assert!(d.alive(), "{}", d.stderr());
    d.term();

    let sang = &st.outcomes("sang")[0];
    assert_eq!(names(sang), ["priority uu-tien", "tin.wav"], "{sang}");
    let secs = sang["items"][0]["seconds"].as_f64().unwrap();
    assert!((secs - 1.0).abs() < 0.03, "the M4A aired {secs} s: {sang}");
    let chieu = &st.outcomes("chieu")[0];
    assert_eq!(names(chieu), ["tin.wav"], "{chieu}");

    let rec = Stereo::read(&st.wav_path());
    let ms = TimeDelta::milliseconds;
    let pitches = rec.pitches(a, ms(250), 12);
    // sang: the priority clip (880 Hz) first, then its own item (440 Hz).
    assert!(
        near(rec.pitch(a + ms(50), a + ms(950)), 880.0),
        "{pitches:?}"
    );
    assert!(
        near(rec.pitch(a + ms(1050), a + ms(1950)), 440.0),
        "{pitches:?}"
    );
    assert_eq!(rec.pitch(a + ms(2050), a + ms(2900)), None, "{pitches:?}");
    // chieu: its item only.
    let later = rec.pitches(b, ms(250), 8);
    assert!(near(rec.pitch(b + ms(50), b + ms(950)), 440.0), "{later:?}");
    assert_eq!(rec.pitch(b + ms(1050), b + ms(1900)), None, "{later:?}");
    // The M4A's first sample on time (AAC priming trimmed): within 5 ms of a.
    let on = Recording::read_wav(&st.wav_path()).onsets(0.02, Duration::from_millis(500));
    let late = late_ms(on[0], a);
    eprintln!("priority M4A: first sample {late:.2} ms after the program's instant");
    assert!(late.abs() <= 5.0, "{late} ms");
}
