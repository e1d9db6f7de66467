//! Scheduled preemption on the real binary, read from the `wav:` recording: a
//! priority-100 program due while a priority-10 one is on air starts on its
//! instant like any other start (its first sample within 5 ms), and the low one's
//! fade is over by then; the as-run log says `preempted` and when each started.

mod common;

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use common::audio::{near, Stereo};
use common::*;

fn peak(rec: &Stereo, a: DateTime<Utc>, b: DateTime<Utc>) -> f32 {
    rec.slice(a, b)
        .iter()
        .map(|f| f[0].abs().max(f[1].abs()))
        .fold(0.0, f32::max)
}

fn ms(n: i64) -> TimeDelta {
    TimeDelta::milliseconds(n)
}

#[test]
fn a_scheduled_emergency_starts_on_its_instant_and_the_low_fade_ends_by_then() {
    let st = Station::new();
    st.tone("low.wav", 440.0, 8.0);
    st.tone("high.wav", 880.0, 1.5);
    let a = whole_second_in(3);
    let b = a + TimeDelta::seconds(2);
    st.write_config_output_line(
        "loudness = \"off\"",
        &format!(
            "[[program]]\nid = \"thuong\"\nat = [\"{}\"]\nplay = [\"low.wav\"]\n\n[[program]]\nid = \"khan\"\npriority = 100\nat = [\"{}\"]\nplay = [\"high.wav\"]\n",
            st.local_hms(a),
            st.local_hms(b)
        ),
    );
    let mut d = st.spawn();
    st.wait_for(Duration::from_secs(15), "khan aired", |r| {
        r.iter()
            .any(|x| x["program"] == "khan" && x["outcome"] == "aired")
    });
    assert!(d.alive(), "{}", d.stderr());
    d.term();
    let log = d.stderr();
    let rec = Stereo::read(&st.wav_path());

    // The low tone at full level until its fade, which is over at b.
    assert!(near(rec.pitch(b - ms(600), b - ms(350)), 440.0), "{log}");
    assert!(
        peak(&rec, b - ms(400), b - ms(320)) > 0.45,
        "low faded too early"
    );
    let tail = peak(&rec, b - ms(2), b);
    assert!(tail < 0.01, "the low fade is not over at b: {tail}\n{log}");

    // The high tone's first sample at b (a phase-0 sine passes 1 % at once).
    let from = rec.index_of(b - ms(2));
    let onset = rec.frames[from..]
        .iter()
        .position(|f| f[0].abs() > 0.01)
        .map(|i| from + i)
        .expect("the high tone is on air");
    let late = (onset as f64 - rec.index_of(b) as f64) / f64::from(rec.rate) * 1000.0;
    eprintln!("emergency: first sample {late:.2} ms after its instant (recording)");
    assert!(late.abs() <= 5.0, "{late} ms from its instant\n{log}");
    // From b on only the emergency is heard.
    assert!(near(rec.pitch(b + ms(5), b + ms(1400)), 880.0), "{log}");

    // As-run: the low one preempted, having aired up to b; the high one on time.
    let low = &st.outcomes("thuong")[0];
    assert_eq!(low["outcome"], "preempted", "{low}");
    assert!(low["reason"].as_str().unwrap().contains("khan@"), "{low}");
    let secs = low["items"][0]["seconds"].as_f64().unwrap();
    assert!((secs - 2.0).abs() < 0.05, "low aired {secs} s\n{log}");
    let high = &st.outcomes("khan")[0];
    let started = DateTime::parse_from_rfc3339(high["started"].as_str().unwrap()).unwrap();
    let off = late_ms(started.with_timezone(&Utc), b);
    assert!(off.abs() <= 5.0, "khan started {off} ms from b: {high}");
    let secs = high["items"][0]["seconds"].as_f64().unwrap();
    assert!((secs - 1.5).abs() < 0.01, "{high}");
    assert!(log.contains("at its instant: fading out"), "{log}");
}

/// The same on the real audio path (`--output default` through ALSA into a
/// PulseAudio null sink, recorded by `parec`). The recording's time base is only
/// known to a few ms, so this checks the spacing: the emergency's first sample
/// is exactly 2 s after the low program's (±5 ms), with the low fade over by then.
#[test]
fn on_the_real_audio_path_the_emergency_is_on_time_relative_to_the_low_start() {
    if !common::pulse::required_or_skip("preempt on PulseAudio") {
        return;
    }
    let st = Station::new();
    st.tone("low.wav", 440.0, 8.0);
    st.tone("high.wav", 880.0, 1.0);
    let a = whole_second_in(4);
    let b = a + TimeDelta::seconds(2);
    st.write_config_output_line(
        "loudness = \"off\"",
        &format!(
            "[[program]]\nid = \"thuong\"\nat = [\"{}\"]\nplay = [\"low.wav\"]\n\n[[program]]\nid = \"khan\"\npriority = 100\nat = [\"{}\"]\nplay = [\"high.wav\"]\n",
            st.local_hms(a),
            st.local_hms(b)
        ),
    );
    let parec = common::pulse::Parec::start();
    let mut d = st.spawn_with(&["--output", "default"]);
    st.wait_for(Duration::from_secs(15), "khan aired", |r| {
        r.iter()
            .any(|x| x["program"] == "khan" && x["outcome"] == "aired")
    });
    std::thread::sleep(Duration::from_millis(300));
    let rec = parec.stop();
    assert!(d.alive(), "{}", d.stderr());
    d.term();
    let on = rec.onsets(0.02, Duration::from_millis(5));
    assert_eq!(on.len(), 2, "onsets {on:?}\n{}", d.stderr());
    let gap = late_ms(on[1], on[0]) - 2000.0;
    eprintln!("PulseAudio: emergency {gap:.2} ms from 2 s after the low start");
    assert!(gap.abs() <= 5.0, "{gap} ms\n{}", d.stderr());
    let tail = rec.sound_between(on[1] - ms(3), on[1], 0.01);
    assert_eq!(tail, 0.0, "the low fade is not over at the emergency");
    assert_eq!(st.outcomes("thuong")[0]["outcome"], "preempted");
}
