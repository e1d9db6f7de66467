//! `Broadcast::stop_at`, the playout half of a scheduled preemption, on a real-time
//! `wav:` output: the broadcast on air fades out so that the fade is over at the
//! instant, and the next broadcast, armed on the same output, has its first sample
//! exactly there.

use std::time::{Duration, Instant};

use super::tests::{file, left, ms, plan, play, tone, wait, wall_of};
use super::*;

const RATE: f64 = 48_000.0;

/// Frame index of `at` in a `wav:` recording that started at `t0`.
fn frame_of(t0: chrono::DateTime<chrono::Utc>, at: Instant) -> usize {
    (ms(wall_of(at) - t0) / 1000.0 * RATE).round() as usize
}

fn peak(s: &[i16]) -> u16 {
    s.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0)
}

/// Low tone from `start`; `stop_at(t)` asked `ask_ahead` before `t`; a high tone
/// armed at `t`. Returns (recording, frame of t, low's report, high's report).
fn preempt(ask_ahead: Duration) -> (Vec<i16>, usize, BroadcastReport, BroadcastReport) {
    let dir = tempfile::tempdir().unwrap();
    let (low, high, wav) = (
        dir.path().join("low.wav"),
        dir.path().join("high.wav"),
        dir.path().join("air.wav"),
    );
    tone(&low, 4.0, 440.0, 0.5);
    tone(&high, 0.5, 880.0, 0.5);
    let out = Output::open(&OutputSpec::Wav(wav.clone()), 1.0).unwrap();
    let start = Instant::now() + Duration::from_millis(300);
    let t = start + Duration::from_millis(1500);
    let (lb, lrx) = play(&out, plan(vec![file(&low, "low")]), start);
    std::thread::sleep((t - ask_ahead).saturating_duration_since(Instant::now()));
    lb.stop_at(t);
    let (_hb, hrx) = play(&out, plan(vec![file(&high, "high")]), t);
    let (lr, hr) = (wait(&lrx), wait(&hrx));
    drop(out);
    let t0 = read_sidecar(&wav).unwrap();
    (left(&wav), frame_of(t0, t), lr, hr)
}

#[test]
fn a_scheduled_stop_fades_out_by_the_instant_and_the_next_starts_on_it() {
    let (s, at, lr, hr) = preempt(Duration::from_millis(550));
    assert_eq!(lr.ended_by, EndedBy::Stopped);
    assert_eq!(hr.ended_by, EndedBy::Completed);
    let aired = lr.items[0].seconds;
    assert!(
        (aired - 1.5).abs() < 0.002,
        "low aired {aired} s, not up to t"
    );
    // Full level until the fade, which starts 300 ms before t ...
    assert!(
        peak(&s[at - 19_200..at - 14_600]) > 16_000,
        "low before its fade"
    );
    assert!(
        peak(&s[at - 7_300..at - 7_100]) < 9_000,
        "halfway through the fade"
    );
    // ... and is all but over at t (the last 5 ms under 1 % of full scale).
    assert!(peak(&s[at - 240..at]) < 330, "{}", peak(&s[at - 240..at]));
    // The high tone's first sample at t: its sine passes 1 % within two frames.
    let onset = (at - 240..at + 4_800)
        .find(|&i| s[i].unsigned_abs() > 330)
        .expect("high tone on air");
    let late_ms = (onset as f64 - at as f64) / RATE * 1000.0;
    eprintln!("high tone {late_ms:.3} ms after its instant");
    assert!((0.0..=0.1).contains(&late_ms), "{late_ms} ms");
    assert!((hr.items[0].seconds - 0.5).abs() < 0.001, "{hr:?}");
}

#[test]
fn a_scheduled_stop_asked_late_still_ends_at_the_instant_with_a_short_fade() {
    let (s, at, lr, _) = preempt(Duration::from_millis(100));
    assert_eq!(lr.ended_by, EndedBy::Stopped);
    assert!((lr.items[0].seconds - 1.5).abs() < 0.002, "{lr:?}");
    // Full level until ~100 ms before t, then a short fade that is over at t (its
    // last millisecond under 1 % of full scale).
    assert!(peak(&s[at - 9_600..at - 6_000]) > 16_000);
    assert!(peak(&s[at - 48..at]) < 330, "{}", peak(&s[at - 48..at]));
    let onset = (at - 48..at + 4_800).find(|&i| s[i].unsigned_abs() > 330);
    assert!(
        onset.is_some_and(|o| o >= at && o <= at + 5),
        "{onset:?} vs {at}"
    );
}

#[test]
fn a_stop_instant_before_the_first_sample_airs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let low = dir.path().join("low.wav");
    tone(&low, 1.0, 440.0, 0.5);
    let out = Output::open(&OutputSpec::Null, 1.0).unwrap();
    let start = Instant::now() + Duration::from_millis(400);
    let (b, rx) = play(&out, plan(vec![file(&low, "low")]), start);
    b.stop_at(start - Duration::from_millis(100));
    let r = wait(&rx);
    assert_eq!(r.ended_by, EndedBy::Stopped);
    assert!(r.items.iter().all(|i| i.seconds == 0.0), "{r:?}");
    assert_eq!(r.first_sample, None);
}
