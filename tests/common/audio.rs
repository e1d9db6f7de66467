//! Reading what went on air as sound, not just as level: the `wav:` recording as
//! stereo frames, the dominant pitch of a stretch (tells a stream's tone from its
//! fallback's) and its EBU R128 loudness and true peak.

use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};

/// A `wav:` recording as stereo f32 frames with the wall-clock time of frame 0.
pub struct Stereo {
    pub t0: DateTime<Utc>,
    pub rate: u32,
    pub frames: Vec<[f32; 2]>,
}

impl Stereo {
    pub fn read(path: &Path) -> Stereo {
        let t0 = super::wav_t0(path);
        let mut r = hound::WavReader::open(path).expect("open wav");
        let spec = r.spec();
        assert_eq!(spec.channels, 2, "the wav: sink writes stereo");
        let raw: Vec<i16> = r.samples::<i16>().map_while(Result::ok).collect();
        let frames = raw
            .chunks_exact(2)
            .map(|c| [c[0] as f32 / 32768.0, c[1] as f32 / 32768.0])
            .collect();
        Stereo {
            t0,
            rate: spec.sample_rate,
            frames,
        }
    }

    pub fn index_of(&self, t: DateTime<Utc>) -> usize {
        let us = (t - self.t0).num_microseconds().unwrap_or(0).max(0) as f64;
        ((us * self.rate as f64 / 1e6) as usize).min(self.frames.len())
    }

    pub fn slice(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> &[[f32; 2]] {
        let (i, j) = (self.index_of(a), self.index_of(b));
        &self.frames[i..j.max(i)]
    }

    /// The pitch of [a, b) in Hz from the left channel's zero crossings; None when
    /// it is (nearly) silent.
    pub fn pitch(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Option<f64> {
        let s = self.slice(a, b);
        if s.is_empty() || s.iter().all(|f| f[0].abs() < 0.003) {
            return None;
        }
        let crossings = s
            .windows(2)
            .filter(|w| (w[0][0] < 0.0) != (w[1][0] < 0.0))
            .count();
        Some(crossings as f64 / 2.0 / (s.len() as f64 / self.rate as f64))
    }

    /// Pitch of each `step` from `from` for `n` steps (for messages).
    pub fn pitches(&self, from: DateTime<Utc>, step: TimeDelta, n: usize) -> Vec<Option<u32>> {
        (0..n as i32)
            .map(|i| {
                let a = from + step * i;
                self.pitch(a, a + step).map(|hz| hz.round() as u32)
            })
            .collect()
    }

    /// Integrated loudness (LUFS) and true peak (dBTP) of [a, b).
    pub fn loudness(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> (f64, f64) {
        let s = self.slice(a, b);
        let mut m =
            ebur128::EbuR128::new(2, self.rate, ebur128::Mode::I | ebur128::Mode::TRUE_PEAK)
                .expect("ebur128");
        let flat: Vec<f32> = s.iter().flat_map(|f| [f[0], f[1]]).collect();
        m.add_frames_f32(&flat).expect("add frames");
        let tp = (0..2)
            .map(|c| m.true_peak(c).unwrap_or(0.0))
            .fold(0.0, f64::max);
        (
            m.loudness_global().unwrap_or(f64::NEG_INFINITY),
            20.0 * tp.max(1e-10).log10(),
        )
    }
}

/// Near `hz` (within 3 %)?
pub fn near(got: Option<f64>, hz: f64) -> bool {
    got.is_some_and(|g| (g - hz).abs() <= hz * 0.03)
}
