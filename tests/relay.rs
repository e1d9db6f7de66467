//! Live stream relay, end to end: the real binary relays a local streaming server
//! (MP3 and Ogg, paced in real time like Icecast) on a `wav:` output, and every
//! claim is checked in the recording by pitch: the stream is a 440 Hz tone, its
//! fallback 880 Hz, the item after the window 660 Hz. Also: a cut stream, a
//! silent stream (dead air) and an unreachable one all hand over to the fallback
//! for the rest of the window, and the as-run record says what aired.

mod common;

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use common::audio::{near, Stereo};
use common::stream_server::{sox_stream, unused_port_url, Route, StreamServer};
use common::*;

const STREAM_HZ: f64 = 440.0;
const FALLBACK_HZ: f64 = 880.0;
const AFTER_HZ: f64 = 660.0;

fn ms(n: i64) -> TimeDelta {
    TimeDelta::milliseconds(n)
}

/// A 60 s tone stream made with sox (`vol` sets its level), or None (test skipped).
fn tone_stream(dir: &std::path::Path, name: &str, vol: &str) -> Option<Vec<u8>> {
    let body = sox_stream(dir, name, 60, &["vol", vol]);
    if body.is_none() {
        eprintln!("SKIPPED: sox cannot make {name} here (apt-get install sox libsox-fmt-mp3)");
    }
    body
}

/// A station whose program `relay` starts 3 s from now with
/// `[{ stream = URL, duration = WINDOW, fallback = ["fb.wav"] }, "after.wav"]`,
/// dead_air 3 s; runs it to its outcome and returns the recording and start.
fn run_relay(url: &str, window_s: u32) -> (Station, Stereo, DateTime<Utc>, serde_json::Value) {
    let st = Station::new();
    st.tone("fb.wav", FALLBACK_HZ as f32, 30.0);
    st.tone("after.wav", AFTER_HZ as f32, 1.0);
    let a = whole_second_in(3);
    st.write_config_output_line(
        "dead_air = \"3s\"",
        &format!(
            "[[program]]\nid = \"relay\"\nat = [\"{}\"]\nplay = [{{ stream = \"{url}\", duration = \"{window_s}s\", fallback = [\"fb.wav\"] }}, \"after.wav\"]\n",
            st.local_hms(a)
        ),
    );
    let mut d = st.spawn();
    st.wait_for(
        Duration::from_secs(u64::from(window_s) + 15),
        "the relay's outcome",
        |r| {
            r.iter()
                .any(|x| x["event"] == "outcome" && x["program"] == "relay")
        },
    );
    assert!(d.alive(), "daemon died:\n{}", d.stderr());
    d.term();
    let rec = Stereo::read(&st.wav_path());
    let out = st.outcomes("relay").remove(0);
    eprintln!("outcome: {out}");
    (st, rec, a, out)
}

/// Every 250 ms step of [from, to) has pitch `hz`.
fn assert_pitch(rec: &Stereo, from: DateTime<Utc>, to: DateTime<Utc>, hz: f64, what: &str) {
    let step = ms(250);
    let mut t = from;
    while t + step <= to {
        let got = rec.pitch(t, t + step);
        assert!(
            near(got, hz),
            "{what}: pitch {got:?} at +{} ms, want {hz} Hz; pitches from there: {:?}",
            (t - from).num_milliseconds(),
            rec.pitches(from, step, ((to - from).num_milliseconds() / 250) as usize)
        );
        t += step;
    }
}

/// Each item's name, seconds, error ("" when none) and events (joined by ", ").
fn items(out: &serde_json::Value) -> Vec<(String, f64, String, String)> {
    out["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            let events: Vec<&str> = i["events"]
                .as_array()
                .map(|e| e.iter().filter_map(|x| x.as_str()).collect())
                .unwrap_or_default();
            (
                i["name"].as_str().unwrap_or("").to_string(),
                i["seconds"].as_f64().unwrap_or(-1.0),
                i["error"].as_str().unwrap_or("").to_string(),
                events.join(", "),
            )
        })
        .collect()
}

#[test]
fn mp3_stream_airs_for_its_window_then_the_program_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(mp3) = tone_stream(tmp.path(), "tone.mp3", "0.3") else {
        return;
    };
    let server = StreamServer::start(vec![Route::new("/vov1", mp3, "audio/mpeg", 16_000)]);
    let url = server.url("/vov1");
    let (_st, rec, a, out) = run_relay(&url, 5);
    // Joined live at once (the server's burst fills the prebuffer), aired for the
    // whole window, then the next item exactly at the window's end.
    assert_pitch(&rec, a + ms(500), a + ms(5000), STREAM_HZ, "stream");
    assert_pitch(
        &rec,
        a + ms(5050),
        a + ms(5950),
        AFTER_HZ,
        "after the window",
    );
    assert!(
        rec.pitch(a - ms(1000), a - ms(50)).is_none(),
        "sound before the program's start"
    );
    // The stream (about -10 LUFS as sent) airs near the station's -16 LUFS through
    // the slow automatic gain, its true peak under the ceiling.
    let (lufs, tp) = rec.loudness(a + ms(500), a + ms(5000));
    eprintln!("relayed at {lufs:.2} LUFS, true peak {tp:.2} dBTP");
    assert!((lufs + 16.0).abs() <= 1.0, "relayed at {lufs:.2} LUFS");
    assert!(tp <= -1.0, "true peak {tp:.2} dBTP");
    assert_eq!(out["outcome"], "aired");
    let it = items(&out);
    assert_eq!(it.len(), 2, "{it:?}");
    assert_eq!(it[0].0, format!("stream {url}"));
    assert!((it[0].1 - 5.0).abs() < 0.01, "{it:?}");
    assert_eq!((it[0].2.as_str(), it[0].3.as_str()), ("", ""));
    assert_eq!(it[1].0, "after.wav");
    assert_eq!(server.requests("/vov1"), 1, "one connection for the window");
}

#[test]
fn ogg_stream_over_chunked_http_relays() {
    let tmp = tempfile::tempdir().unwrap();
    // A little noise under the tone makes Vorbis spend ~130 kbit/s, like a real
    // station (a bare tone packs seconds of sound into each Ogg page).
    let Some(ogg) = sox_stream(
        tmp.path(),
        "tone.ogg",
        60,
        &["whitenoise", "remix", "1v0.3,2v0.003", "1v0.3,2v0.003"],
    ) else {
        eprintln!("SKIPPED: sox cannot make Ogg Vorbis here");
        return;
    };
    let rate = ogg.len() as u64 / 60;
    let mut route = Route::new("/radio.ogg", ogg, "application/ogg", rate);
    route.chunked = true;
    route.loop_body = false;
    let server = StreamServer::start(vec![route]);
    let (_st, rec, a, out) = run_relay(&server.url("/radio.ogg"), 4);
    assert_pitch(&rec, a + ms(500), a + ms(4000), STREAM_HZ, "ogg stream");
    assert_pitch(
        &rec,
        a + ms(4050),
        a + ms(4950),
        AFTER_HZ,
        "after the window",
    );
    assert_eq!(out["outcome"], "aired");
}

#[test]
fn stream_cut_midway_hands_over_to_the_fallback_for_the_rest_of_the_window() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(mp3) = tone_stream(tmp.path(), "tone.mp3", "0.3") else {
        return;
    };
    let mut route = Route::new("/vov1", mp3, "audio/mpeg", 16_000);
    route.cut_after_secs = Some(2.0);
    route.refuse_after_cut = true;
    let server = StreamServer::start(vec![route]);
    let url = server.url("/vov1");
    let (_st, rec, a, out) = run_relay(&url, 12);
    assert_pitch(
        &rec,
        a + ms(500),
        a + ms(2000),
        STREAM_HZ,
        "stream before the cut",
    );
    // The stream's buffered audio runs out about 3 s in; reconnects are refused;
    // within dead_air (3 s) of silence the fallback takes over until the window ends.
    assert_pitch(&rec, a + ms(7000), a + ms(12_000), FALLBACK_HZ, "fallback");
    assert_pitch(
        &rec,
        a + ms(12_050),
        a + ms(12_950),
        AFTER_HZ,
        "after the window",
    );
    let it = items(&out);
    assert_eq!(it.len(), 3, "{it:?}");
    assert_eq!(it[0].0, format!("stream {url}"));
    // The stream aired, was lost and never came back: events, not an error.
    assert_eq!(it[0].2, "", "{it:?}");
    assert!(it[0].3.starts_with("lost at +"), "{it:?}");
    assert!(it[0].3.contains(", fallback aired "), "{it:?}");
    let why = out["reason"].as_str().unwrap_or("");
    assert!(why.starts_with(&format!("stream {url} lost at +")), "{why}");
    assert!(!why.contains("skipped"), "{why}");
    assert_eq!(out["outcome"], "aired");
    assert_eq!(it[1].0, "fallback fb.wav");
    let total = it[0].1 + it[1].1;
    assert!(
        (total - 12.0).abs() < 0.01,
        "stream + fallback fill the window: {it:?}"
    );
    assert!(it[1].1 >= 5.0, "{it:?}");
    assert!(server.requests("/vov1") >= 2, "it tried to reconnect");
}

#[test]
fn silent_stream_is_dead_air_and_the_fallback_airs() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(mp3) = tone_stream(tmp.path(), "silent.mp3", "0") else {
        return;
    };
    let server = StreamServer::start(vec![Route::new("/silent", mp3, "audio/mpeg", 16_000)]);
    let (_st, rec, a, out) = run_relay(&server.url("/silent"), 8);
    // dead_air is 3 s: silence until then, the fallback from then to the window's end.
    assert!(
        rec.pitch(a, a + ms(2900)).is_none(),
        "the silent stream made sound: {:?}",
        rec.pitches(a, ms(250), 12)
    );
    assert_pitch(&rec, a + ms(3300), a + ms(8000), FALLBACK_HZ, "fallback");
    assert_pitch(
        &rec,
        a + ms(8050),
        a + ms(8950),
        AFTER_HZ,
        "after the window",
    );
    let it = items(&out);
    assert_eq!(it[0].2, "", "{it:?}");
    assert!(it[0].3.starts_with("dead air"), "{it:?}");
    assert!((it[0].1 - 3.0).abs() < 0.05, "{it:?}");
}

#[test]
fn unreachable_stream_goes_straight_to_the_fallback() {
    let url = format!("{}vov1", unused_port_url());
    let (_st, rec, a, out) = run_relay(&url, 4);
    assert_pitch(&rec, a + ms(300), a + ms(4000), FALLBACK_HZ, "fallback");
    assert_pitch(
        &rec,
        a + ms(4050),
        a + ms(4950),
        AFTER_HZ,
        "after the window",
    );
    let it = items(&out);
    assert_eq!(it[0].0, format!("stream {url}"));
    assert!(it[0].1 < 0.3, "{it:?}");
    assert_eq!(it[0].2, "", "{it:?}");
    assert!(it[0].3.starts_with("lost at +"), "{it:?}");
    assert!(it[0].3.contains("fallback aired"), "{it:?}");
    assert_eq!(out["outcome"], "aired");
}

#[test]
fn check_streams_tries_every_relay_now() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(mp3) = tone_stream(tmp.path(), "tone.mp3", "0.3") else {
        return;
    };
    let server = StreamServer::start(vec![Route::new("/vov1", mp3, "audio/mpeg", 16_000)]);
    let good = server.url("/vov1");
    let bad = format!("{}tinh", unused_port_url());
    let st = Station::new();
    st.tone("fb.wav", 880.0, 1.0);
    st.write_config(&format!(
        "[[program]]\nid = \"sang\"\nat = [\"05:00\"]\nplay = [{{ stream = \"{good}\", duration = \"15m\", fallback = [{{ stream = \"{bad}\", duration = \"15m\", fallback = [\"fb.wav\"] }}] }}]\n"
    ));
    // Without --streams nothing is fetched.
    let plain = st.cmd(&["check"]);
    assert_eq!(plain.status.code(), Some(0));
    assert_eq!(server.requests("/vov1"), 0);
    let o = st.cmd(&["check", "--streams"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!("stream {good}: ok, audio after 0.")),
        "{out}"
    );
    assert!(
        out.contains(&format!("stream {bad}: cannot be relayed now: ")),
        "{out}"
    );
}
