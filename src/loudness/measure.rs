//! measure: integrated loudness (EBU R128 / ITU BS.1770) and true peak of a whole clip,
//! with the `ebur128` crate, at the clip's own rate and channel count. Reads audio only;
//! never caches (that is `cache`) and never changes a sample.

use std::path::Path;

use ebur128::{Channel, EbuR128, Mode};
use rodio::Source;

use super::LoudnessError;

/// What a clip measured: enough to compute its airing gain.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Measure {
    /// Integrated loudness, LUFS; None when the clip is silent (gated out) or too short to measure.
    pub integrated_lufs: Option<f64>,
    /// Max true peak over channels, dBTP (`SILENCE_DBTP` for digital silence; never NaN/inf
    /// so it serialises).
    pub true_peak_dbtp: f64,
    /// Duration, seconds.
    pub seconds: f64,
    /// Set when this measures the clip as it airs: the gain (dB) it airs with,
    /// limiter included (see `clip_level`). None for the clip as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aired_gain_db: Option<f64>,
}

/// The true peak reported for digital silence (and the floor of every true peak).
pub(crate) const SILENCE_DBTP: f64 = -200.0;

/// Frames handed to the meter at once.
const BLOCK_FRAMES: usize = 4096;

/// Measure interleaved samples (`channels` × `rate`). A trailing partial frame is
/// ignored; NaN/inf samples count as 0. A mono signal is measured as dual mono, as it airs
/// on loa's stereo outputs (the same sample in both channels, +3 dB over mono).
pub fn measure_samples(
    channels: u16,
    rate: u32,
    samples: impl Iterator<Item = f32>,
) -> Result<Measure, LoudnessError> {
    let what = || format!("{channels}-channel audio at {rate} Hz");
    let fail = |e: ebur128::Error| LoudnessError::Analysis {
        what: what(),
        reason: e.to_string(),
    };
    if channels == 0 || rate == 0 {
        return Err(LoudnessError::Analysis {
            what: what(),
            reason: "no channels or no sample rate".into(),
        });
    }
    let mut meter =
        EbuR128::new(u32::from(channels), rate, Mode::I | Mode::TRUE_PEAK).map_err(fail)?;
    if channels == 1 {
        meter.set_channel(0, Channel::DualMono).map_err(fail)?;
    }
    let ch = usize::from(channels);
    let mut buf: Vec<f32> = Vec::with_capacity(BLOCK_FRAMES * ch);
    let mut frames: u64 = 0;
    for s in samples {
        buf.push(if s.is_finite() { s } else { 0.0 });
        if buf.len() == buf.capacity() {
            meter.add_frames_f32(&buf).map_err(fail)?;
            frames += BLOCK_FRAMES as u64;
            buf.clear();
        }
    }
    let whole = buf.len() / ch * ch;
    if whole > 0 {
        meter.add_frames_f32(&buf[..whole]).map_err(fail)?;
        frames += (whole / ch) as u64;
    }
    let integrated = meter.loudness_global().map_err(fail)?;
    let mut peak = 0.0f64;
    for c in 0..u32::from(channels) {
        let p = meter.true_peak(c).map_err(fail)?;
        if p.is_finite() && p > peak {
            peak = p;
        }
    }
    Ok(Measure {
        integrated_lufs: integrated.is_finite().then_some(integrated),
        true_peak_dbtp: to_db(peak),
        seconds: frames as f64 / f64::from(rate),
        aired_gain_db: None,
    })
}

/// Decode `path` (any format loa plays) and measure it at its own rate and channels.
pub fn measure_file(path: &Path) -> Result<Measure, LoudnessError> {
    measure_file_prefix(path, None)
}

/// [`measure_file`] of at most the first `limit` of the clip: a quick estimate for a
/// clip that must air before it could be measured whole.
pub fn measure_file_prefix(
    path: &Path,
    limit: Option<std::time::Duration>,
) -> Result<Measure, LoudnessError> {
    let dec = crate::decode::open(path)?;
    let (channels, rate) = (dec.channels().get(), dec.sample_rate().get());
    let take = limit.map_or(usize::MAX, |l| {
        (l.as_secs_f64() * f64::from(rate)) as usize * usize::from(channels)
    });
    measure_samples(channels, rate, dec.take(take)).map_err(|e| match e {
        LoudnessError::Analysis { reason, .. } => LoudnessError::Decode {
            path: path.to_path_buf(),
            reason: format!("{channels} channels at {rate} Hz cannot be measured: {reason}"),
        },
        other => other,
    })
}

/// Linear amplitude to dB, floored at `SILENCE_DBTP`, never NaN.
pub(crate) fn to_db(lin: f64) -> f64 {
    if lin.is_finite() && lin > 0.0 {
        (20.0 * lin.log10()).max(SILENCE_DBTP)
    } else {
        SILENCE_DBTP
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn sine(channels: u16, rate: u32, freq: f64, amp: f64, secs: f64, on: &[bool]) -> Vec<f32> {
        let n = (f64::from(rate) * secs) as usize;
        let mut v = Vec::with_capacity(n * usize::from(channels));
        for i in 0..n {
            let s = (amp * (2.0 * PI * freq * i as f64 / f64::from(rate)).sin()) as f32;
            for &c in on {
                v.push(if c { s } else { 0.0 });
            }
        }
        v
    }

    #[test]
    fn full_scale_sine_in_one_channel_is_minus_3_01_lufs() {
        // EBU Tech 3341: a 0 dBFS 1 kHz sine in one channel of a stereo pair reads −3.01 LUFS
        // (the K filter gains ~+0.69 dB at 1 kHz, and the mean square of a sine is −3.01 dB;
        // BS.1770's −0.691 offset cancels the filter's gain).
        let s = sine(2, 48_000, 1000.0, 1.0, 10.0, &[true, false]);
        let m = measure_samples(2, 48_000, s.into_iter()).unwrap();
        let i = m.integrated_lufs.unwrap();
        assert!((i - -3.01).abs() < 0.1, "{i}");
        assert!((m.seconds - 10.0).abs() < 1e-9);
        assert!(m.true_peak_dbtp.abs() < 0.1, "{}", m.true_peak_dbtp);
    }

    #[test]
    fn minus_20_dbfs_stereo_sine_reads_minus_20_lufs() {
        // Both channels at −20 dBFS peak: −3.01 + 3.01 (two channels) − 20 = −20 LUFS.
        let amp = 10f64.powf(-20.0 / 20.0);
        let s = sine(2, 48_000, 997.0, amp, 5.0, &[true, true]);
        let m = measure_samples(2, 48_000, s.into_iter()).unwrap();
        let i = m.integrated_lufs.unwrap();
        assert!((i - -20.0).abs() < 0.1, "{i}");
        assert!(
            (m.true_peak_dbtp - -20.0).abs() < 0.1,
            "{}",
            m.true_peak_dbtp
        );
    }

    #[test]
    fn mono_is_measured_as_dual_mono() {
        // The same −20 dBFS sine as one channel reads as if aired on both channels.
        let amp = 10f64.powf(-20.0 / 20.0);
        let s = sine(1, 44_100, 997.0, amp, 5.0, &[true]);
        let m = measure_samples(1, 44_100, s.into_iter()).unwrap();
        assert!((m.integrated_lufs.unwrap() - -20.0).abs() < 0.1);
    }

    #[test]
    fn silence_has_no_integrated_loudness_and_a_finite_peak() {
        let m = measure_samples(2, 48_000, std::iter::repeat_n(0.0f32, 96_000 * 2)).unwrap();
        assert_eq!(m.integrated_lufs, None);
        assert_eq!(m.true_peak_dbtp, SILENCE_DBTP);
        assert_eq!(m.seconds, 2.0);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Measure>(&json).unwrap(), m);
    }

    #[test]
    fn too_short_to_gate_is_none_and_partial_frame_is_ignored() {
        // 0.3 s is shorter than one 400 ms gating block.
        let mut s = sine(2, 48_000, 1000.0, 0.5, 0.3, &[true, true]);
        s.push(0.9);
        let m = measure_samples(2, 48_000, s.into_iter()).unwrap();
        assert_eq!(m.integrated_lufs, None);
        assert!((m.seconds - 0.3).abs() < 1e-9);
        assert!((m.true_peak_dbtp - 20.0 * 0.5f64.log10()).abs() < 0.1);
    }

    #[test]
    fn no_channels_is_an_analysis_error() {
        let e = measure_samples(0, 48_000, std::iter::empty()).unwrap_err();
        assert!(matches!(e, LoudnessError::Analysis { .. }), "{e}");
    }

    #[test]
    fn measure_file_reads_a_wav_and_reports_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wav");
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 44_100,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        let amp = 10f64.powf(-20.0 / 20.0);
        for s in sine(2, 44_100, 997.0, amp, 3.0, &[true, true]) {
            w.write_sample((s * 32767.0).round() as i16).unwrap();
        }
        w.finalize().unwrap();
        let m = measure_file(&path).unwrap();
        assert!((m.integrated_lufs.unwrap() - -20.0).abs() < 0.1, "{m:?}");
        assert!((m.seconds - 3.0).abs() < 1e-6, "{m:?}");

        let e = measure_file(&dir.path().join("missing.wav")).unwrap_err();
        assert!(matches!(e, LoudnessError::Open { .. }), "{e}");
        let junk = dir.path().join("junk.mp3");
        std::fs::write(&junk, b"this is not audio at all").unwrap();
        let e = measure_file(&junk).unwrap_err();
        assert!(matches!(e, LoudnessError::Decode { .. }), "{e}");
    }
}
