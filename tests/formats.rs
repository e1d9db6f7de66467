//! AAC in M4A (as phones record) through the station's commands with the real
//! binary: `loa check` accepts a real M4A made by ffmpeg and names a broken one,
//! `loa publish` refuses a broken one and changes nothing, `loa agenda` knows the
//! clip's length, and `loa run` airs it on time (checked in the recording).

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use chrono::TimeDelta;
use common::audio::{near, Stereo};
use common::feedkit::feed;
use common::*;

/// `audio/NAME.m4a`: a `secs` tone at `hz`, AAC by ffmpeg (None: no ffmpeg, outside CI).
fn m4a(st: &Station, name: &str, hz: f32, secs: f32) -> Option<PathBuf> {
    let wav = st.path(&format!("{name}-src.wav"));
    write_tone(&wav, hz, secs, 0.5);
    let out = st.path(&format!("audio/{name}.m4a"));
    let made = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&wav)
        .args(["-c:a", "aac"])
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

#[test]
fn an_m4a_clip_checks_shows_in_the_agenda_and_airs_on_time() {
    let st = Station::new();
    if m4a(&st, "dien-thoai", 660.0, 1.5).is_none() {
        return;
    }
    let a = whole_second_in(3);
    st.write_config(&format!(
        "[[program]]\nid = \"ghi-am\"\nat = [\"{}\"]\nplay = [\"dien-thoai.m4a\"]\n",
        st.local_hms(a)
    ));
    let o = st.cmd(&["check"]);
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{text}");
    let o = st.cmd(&["agenda", "--json", "--days", "1"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let secs = v[0]["items"][0]["duration_s"].as_f64().unwrap();
    assert!((secs - 1.5).abs() < 0.03, "agenda length {secs}: {v}");

    let mut d = st.spawn();
    st.wait_for(Duration::from_secs(15), "aired", |r| {
        r.iter().any(|x| x["outcome"] == "aired")
    });
    d.term();
    let rec = st.outcomes("ghi-am");
    let aired = rec[0]["items"][0]["seconds"].as_f64().unwrap();
    assert!((aired - 1.5).abs() < 0.03, "{}", rec[0]);
    let wav = Stereo::read(&st.wav_path());
    let ms = TimeDelta::milliseconds;
    assert!(near(wav.pitch(a + ms(20), a + ms(1480)), 660.0));
    let on = Recording::read_wav(&st.wav_path()).onsets(0.02, Duration::from_millis(500));
    let late = late_ms(on[0], a);
    eprintln!("M4A: first sample {late:.2} ms after its instant");
    assert!(late.abs() <= 5.0, "{late} ms\n{}", d.stderr());
}

#[test]
fn a_broken_m4a_is_named_by_check_and_refused_by_publish() {
    let st = Station::new();
    let Some(good) = m4a(&st, "tot", 660.0, 1.0) else {
        return;
    };
    // An upload cut short: the header says M4A, the rest is missing.
    let bytes = std::fs::read(&good).unwrap();
    let bad = st.path("audio/hong.m4a");
    std::fs::write(&bad, &bytes[..40]).unwrap();
    st.write_config("[[program]]\nid = \"p\"\nat = [\"05:00\"]\nplay = [\"hong.m4a\"]\n");
    let o = st.cmd(&["check"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let cfg = st.config_path().display().to_string();
    assert!(err.contains(&format!("{cfg}:")), "{err}");
    assert!(
        err.contains("cannot decode") && err.contains("hong.m4a"),
        "{err}"
    );
    assert!(err.contains("AAC (M4A)"), "says what plays: {err}");

    let f = feed(&st);
    let o = loa()
        .args(["publish", "--feed"])
        .arg(&f.root)
        .arg("--key")
        .arg(f.keys.join("minisign.key"))
        .args(["--category", "c"])
        .arg(&bad)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("not playable audio"), "{err}");
    assert!(!f.root.join("manifest.json").exists(), "nothing published");
}
