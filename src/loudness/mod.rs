//! loudness: EBU R128 loudness of clips and streams, and the gain that brings them to
//! the station's target. Clips are measured once (integrated loudness + true peak,
//! cached by sha256 in STATE/loudness.json) and aired with a fixed gain, through a
//! look-ahead true-peak limiter when the gain would push them over −1 dBTP. Live
//! streams get a slow automatic gain (`Agc`) instead. Pure signal processing plus
//! one cache file: knows nothing of schedules, outputs or config files.

mod agc;
mod analyze;
mod cache;
mod gain;
mod limiter;
mod measure;
mod plan;

use std::path::PathBuf;

pub use agc::Agc;
pub use analyze::{analyze_clip, ClipAnalysis};
pub use cache::Cache;
pub use gain::{clip_gain, ClipGain, MAX_BOOST_DB, MAX_CUT_DB, TRUE_PEAK_CEILING_DBTP};
pub use limiter::{Limited, Limiter};
pub use measure::{measure_file, measure_file_prefix, measure_samples, Measure};
pub use plan::clip_level;

/// Errors of the loudness module.
#[derive(Debug, thiserror::Error)]
pub enum LoudnessError {
    /// The clip's file could not be opened.
    #[error("cannot open `{}` for loudness analysis: {reason}; check that the file exists and is readable", path.display())]
    Open { path: PathBuf, reason: String },
    /// The clip's file was opened but is not audio loa can decode.
    #[error("cannot decode `{}` for loudness analysis: {reason}; re-encode the clip as {}", path.display(), crate::decode::FORMATS)]
    Decode { path: PathBuf, reason: String },
    /// The meter refused the audio (no channels, an impossible sample rate, ...).
    #[error("loudness analysis of {what} failed: {reason}")]
    Analysis { what: String, reason: String },
}

impl From<crate::decode::DecodeError> for LoudnessError {
    fn from(e: crate::decode::DecodeError) -> Self {
        use crate::decode::DecodeError as D;
        match e {
            D::Open { path, reason } => LoudnessError::Open { path, reason },
            D::Decode { path, reason } | D::NoAudio { path, reason } => {
                LoudnessError::Decode { path, reason }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `n` samples of white noise in [-1, 1) from a small LCG (repeatable).
    pub(crate) fn noise(n: usize, seed: u64) -> Vec<f32> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 40) as f32 / (1u64 << 23) as f32) - 1.0
            })
            .collect()
    }

    const RATE: u32 = 48_000;

    /// Speech-like stereo: noise under a 4 Hz syllable envelope with pauses, at `lufs`;
    /// with `clicks`, a sharp click 20 dB over the noise every 250 ms (plosives, a bad mic).
    fn speechy(lufs: f64, secs: usize, clicks: bool) -> Vec<f32> {
        let mut s = 99u64;
        let raw: Vec<f32> = (0..RATE as usize * secs)
            .flat_map(|n| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let x = ((s >> 40) as f32 / (1u64 << 23) as f32) - 1.0;
                let t = n as f32 / RATE as f32;
                let env = (std::f32::consts::PI * 4.0 * t).sin().abs().powi(3);
                let pause = if (t as usize) % 5 == 4 { 0.0 } else { 1.0 };
                let click = if clicks && n % 12_000 < 3 { 10.0 } else { 0.0 };
                let v = x * env * pause + click;
                [v, v * 0.8]
            })
            .collect();
        let m = measure_samples(2, RATE, raw.iter().copied()).unwrap();
        let g = 10f64.powf((lufs - m.integrated_lufs.unwrap()) / 20.0) as f32;
        raw.iter().map(|v| v * g).collect()
    }

    #[test]
    fn quiet_and_loud_clips_air_at_the_target_under_the_ceiling() {
        for (level, clicks) in [(-30.0, false), (-8.0, false), (-30.0, true)] {
            let clip = speechy(level, 20, clicks);
            let m = measure_samples(2, RATE, clip.iter().copied()).unwrap();
            let g = clip_gain(&m, -16.0);
            let aired: Vec<f32> =
                Limited::new(clip.iter().copied(), 2, RATE, g.gain_db, g.limit).collect();
            assert_eq!(aired.len(), clip.len());
            assert_eq!(g.limit, clicks, "{m:?}");
            let out = measure_samples(2, RATE, aired.iter().copied()).unwrap();
            let i = out.integrated_lufs.unwrap();
            assert!((i - -16.0).abs() < 1.0, "{level} LUFS in: {i} out, {g:?}");
            assert!(out.true_peak_dbtp <= TRUE_PEAK_CEILING_DBTP, "{out:?}");
        }
    }
}
