//! plan: the gain a clip airs with. Measured loudness alone is not enough when the
//! limiter must work: the peaks it removes took part of the loudness with them, so
//! such a clip is measured again as it would air (gain + limiter) and the gain is
//! corrected by what the limiter took, up to three times. The result is cached
//! (under `SHA@TARGET`, with `aired_gain_db`), so this runs once per clip and
//! target. Never touches outputs.

use std::path::Path;

use rodio::Source;

use super::gain::{clip_gain, ClipGain, MAX_BOOST_DB};
use super::limiter::Limited;
use super::measure::{measure_samples, Measure};
use super::{Cache, LoudnessError};

/// Correction passes at most; each decodes the clip once more (≈ 100× real time).
const PASSES: usize = 3;
/// Close enough to the target to stop correcting.
const WITHIN_LU: f64 = 0.2;

/// The gain for the clip `path` (content hash `sha256`) to air at `target_lufs`.
/// Without `refine`, a limited clip whose correction is not cached yet gets the
/// plain gain at once (one measurement at most: for a broadcast about to start);
/// with it, the correction passes run and are cached (the background analyzer).
pub fn clip_level(
    cache: &Cache,
    sha256: &str,
    path: &Path,
    target_lufs: f64,
    refine: bool,
) -> Result<ClipGain, LoudnessError> {
    let m = cache.measure_cached(sha256, path)?;
    let g = clip_gain(&m, target_lufs);
    if !g.limit || m.integrated_lufs.is_none() {
        return Ok(g);
    }
    let key = format!("{sha256}@{target_lufs:.1}");
    if let Some(gain_db) = cache.get(&key).and_then(|a| a.aired_gain_db) {
        return Ok(ClipGain {
            gain_db,
            limit: true,
        });
    }
    if !refine {
        return Ok(g);
    }
    // Measure as aired, give back what the limiter took (never beyond the boost
    // cap; the peaks are already at the ceiling, so this mostly lifts the body),
    // and again until within WITHIN_LU.
    let mut gain_db = g.gain_db;
    for _ in 0..PASSES {
        let aired = measure_limited(path, gain_db)?;
        let Some(lufs) = aired.integrated_lufs else {
            break;
        };
        let next = (gain_db + (target_lufs - lufs)).clamp(g.gain_db, MAX_BOOST_DB);
        let done = (target_lufs - lufs).abs() <= WITHIN_LU || next == gain_db;
        gain_db = next;
        if done {
            break;
        }
    }
    cache.insert(
        &key,
        Measure {
            aired_gain_db: Some(gain_db),
            ..m
        },
    );
    Ok(ClipGain {
        gain_db,
        limit: true,
    })
}

/// Loudness of the clip as it airs with `gain_db` through the limiter.
fn measure_limited(path: &Path, gain_db: f64) -> Result<Measure, LoudnessError> {
    let dec = crate::decode::open(path)?;
    let (channels, rate) = (dec.channels().get(), dec.sample_rate().get());
    let limited = Limited::new(dec, channels, rate, gain_db, true);
    measure_samples(channels, rate, limited)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 48_000;

    /// A quiet tone with (or without) loud short clicks that hold a good part of
    /// its loudness.
    fn clicky(path: &Path, clicks: bool) {
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: RATE,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for i in 0..RATE as usize * 6 {
            let t = i as f32 / RATE as f32;
            let mut v = 0.03 * (2.0 * std::f32::consts::PI * 300.0 * t).sin();
            if clicks && i % RATE as usize > 24_000 && i % RATE as usize <= 24_048 {
                v = 0.8 * (2.0 * std::f32::consts::PI * 1000.0 * t).sin();
            }
            let s = (v * 32767.0) as i16;
            w.write_sample(s).unwrap();
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
    }

    #[test]
    fn limited_clips_get_back_what_the_limiter_took() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clicky.wav");
        clicky(&path, true);
        let cache = Cache::in_memory();
        let plain = clip_gain(&cache.measure_cached("x", &path).unwrap(), -16.0);
        // Not refined yet: the plain gain, nothing more cached.
        assert_eq!(clip_level(&cache, "x", &path, -16.0, false).unwrap(), plain);
        assert!(cache.get("x@-16.0").is_none());
        let g = clip_level(&cache, "x", &path, -16.0, true).unwrap();
        assert!(g.limit && plain.limit);
        assert!(g.gain_db > plain.gain_db + 1.0, "{plain:?} -> {g:?}");
        // The corrected gain is cached under the target.
        assert_eq!(cache.get("x@-16.0").unwrap().aired_gain_db, Some(g.gain_db));
        assert_eq!(clip_level(&cache, "x", &path, -16.0, true).unwrap(), g);
        // As aired: at the target, under the ceiling.
        let dec = crate::decode::open(&path).unwrap();
        let aired = Limited::new(dec, 2, RATE, g.gain_db, true);
        let m = measure_samples(2, RATE, aired).unwrap();
        let i = m.integrated_lufs.unwrap();
        assert!((i + 16.0).abs() <= 0.25, "aired at {i} LUFS with {g:?}");
        assert!(m.true_peak_dbtp <= -1.0, "{m:?}");
    }

    #[test]
    fn unlimited_clips_keep_the_plain_gain() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tone.wav");
        clicky(&path, false);
        let cache = Cache::in_memory();
        let g = clip_level(&cache, "y", &path, -16.0, true).unwrap();
        assert_eq!(g, clip_gain(&cache.get("y").unwrap(), -16.0));
        assert!(!g.limit);
        assert_eq!(cache.len(), 1);
    }
}
