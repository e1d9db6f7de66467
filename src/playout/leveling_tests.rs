//! Loudness leveling through the public API on `wav:` outputs: a clip already
//! measured airs with its cached gain; a clip not measured yet airs at once with an
//! estimate (never waiting for a whole-clip measurement) and is measured in the
//! background for next time.

use std::time::{Duration, Instant};

use super::tests::{tone, wav_left};
use super::*;
use crate::loudness::Cache;

fn air(clip: &std::path::Path, cache: &Cache) -> (BroadcastReport, i16) {
    let d = tempfile::tempdir().expect("tempdir");
    let wav = d.path().join("air.wav");
    let out = Output::open(&OutputSpec::Wav(wav.clone()), 1.0).expect("open wav");
    let mut plan = BroadcastPlan::plain(
        vec![PlanItem::File {
            path: clip.to_path_buf(),
            name: "tone".into(),
        }],
        1.0,
        None,
    );
    plan.leveling = Some(Leveling {
        target_lufs: -16.0,
        cache: cache.clone(),
    });
    let (tx, rx) = std::sync::mpsc::channel();
    let _b = out.start(plan, Instant::now(), Box::new(move |r| drop(tx.send(r))));
    let r = rx.recv_timeout(Duration::from_secs(10)).expect("report");
    drop(out);
    let peak = wav_left(&wav)
        .iter()
        .map(|s| s.saturating_abs())
        .max()
        .unwrap_or(0);
    (r, peak)
}

#[test]
fn an_unmeasured_clip_airs_levelled_at_once_and_is_measured_for_next_time() {
    let d = tempfile::tempdir().expect("tempdir");
    let clip = d.path().join("tone.wav");
    // A stereo 440 Hz sine at half scale reads about -6.7 LUFS: about -9.3 dB to -16.
    tone(&clip, 1.0, 440.0, 0.5);
    let sha = prepare::sha256_file(&clip).expect("hash");
    let cache = Cache::in_memory();
    let (r, first) = air(&clip, &cache);
    assert_eq!(r.items[0].error, None);
    let give_up = Instant::now() + Duration::from_secs(5);
    while cache.get(&sha).is_none() && Instant::now() < give_up {
        std::thread::sleep(Duration::from_millis(20));
    }
    let m = cache.get(&sha).expect("measured in the background");
    let lufs = m.integrated_lufs.expect("loudness");
    assert!((lufs + 6.7).abs() < 0.5, "{m:?}");
    // Aired at about half scale x -9.3 dB = 0.17 both times (estimate, then cache).
    let (_, again) = air(&clip, &cache);
    for peak in [first, again] {
        let amp = f64::from(peak) / 32767.0;
        assert!((amp - 0.171).abs() < 0.01, "aired at amplitude {amp}");
    }
}
