//! `analyze_clip`: the decode-and-measure entry point for a clip someone hands in
//! (the hub's uploads, `loa publish`): decodes the whole file once and reports what
//! it is (format, channels, rate), how long, and how loud (EBU R128 integrated
//! loudness and true peak). A file that does not decode is refused with a message
//! that says what is wrong and what to do. Reads the file only; caches nothing.

use std::path::Path;

use rodio::Source;

use super::{measure_samples, LoudnessError};
use crate::decode::{self, Format};

/// What a handed-in clip is, as loa would air it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClipAnalysis {
    /// From the file's first bytes; None if a decoder took it but no known signature
    /// matched.
    pub format: Option<Format>,
    pub channels: u16,
    pub rate: u32,
    /// Decoded length, seconds (every sample counted, not the header's claim).
    pub duration_s: f64,
    /// EBU R128 integrated loudness, LUFS; None when silent or shorter than 0.4 s.
    pub integrated_lufs: Option<f64>,
    /// Maximum true peak, dBTP.
    pub true_peak_dbtp: f64,
}

/// Decode all of `path` and measure it. Errors: `Open` (unreadable), `Decode` (not
/// audio loa plays, cut short before any sound, or no samples), each naming the
/// file and saying what to do.
pub fn analyze_clip(path: &Path) -> Result<ClipAnalysis, LoudnessError> {
    let clip = decode::open(path)?;
    let (channels, rate) = (clip.channels().get(), clip.sample_rate().get());
    let m = measure_samples(channels, rate, clip).map_err(|e| LoudnessError::Decode {
        path: path.to_path_buf(),
        reason: format!("{channels} channels at {rate} Hz cannot be measured: {e}"),
    })?;
    Ok(ClipAnalysis {
        format: decode::sniff_file(path),
        channels,
        rate,
        duration_s: m.seconds,
        integrated_lufs: m.integrated_lufs,
        true_peak_dbtp: m.true_peak_dbtp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stereo 997 Hz sine at −20 dBFS (−20 LUFS), `secs` long, 44.1 kHz.
    fn sine(path: &Path, secs: f64) {
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 44_100,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for i in 0..(secs * 44_100.0) as usize {
            let v = 0.1 * (2.0 * std::f64::consts::PI * 997.0 * i as f64 / 44_100.0).sin();
            let s = (v * 32767.0).round() as i16;
            w.write_sample(s).unwrap();
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
    }

    #[test]
    fn a_phone_style_m4a_is_measured_like_its_wav() {
        let dir = tempfile::tempdir().unwrap();
        let wav = dir.path().join("a.wav");
        sine(&wav, 5.0);
        let a = analyze_clip(&wav).unwrap();
        assert_eq!(
            (a.format, a.channels, a.rate),
            (Some(Format::Wav), 2, 44_100)
        );
        assert!((a.duration_s - 5.0).abs() < 1e-6, "{a:?}");
        assert!((a.integrated_lufs.unwrap() + 20.0).abs() < 0.1, "{a:?}");
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["format"], "wav");

        let m4a = dir.path().join("upload");
        let made = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-i"])
            .arg(&wav)
            .args(["-c:a", "aac", "-f", "ipod"])
            .arg(&m4a)
            .status();
        match made {
            Ok(s) if s.success() => {}
            _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
                panic!("ffmpeg cannot make an M4A, and CI=true requires it (see .ci/run)")
            }
            _ => return eprintln!("skipping the M4A half: ffmpeg is not installed"),
        }
        let b = analyze_clip(&m4a).unwrap();
        assert_eq!(b.format, Some(Format::M4a), "{b:?}");
        assert!((b.duration_s - 5.0).abs() < 0.03, "{b:?}");
        assert!((b.integrated_lufs.unwrap() + 20.0).abs() < 0.3, "{b:?}");
    }

    #[test]
    fn what_does_not_decode_is_refused_with_advice() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("ghi-am.m4a");
        std::fs::write(&junk, b"\0\0\0\x20ftypM4A not really an mp4").unwrap();
        let e = analyze_clip(&junk).unwrap_err();
        assert!(matches!(e, LoudnessError::Decode { .. }), "{e:?}");
        let msg = e.to_string();
        assert!(
            msg.contains("ghi-am.m4a") && msg.contains("AAC (M4A)"),
            "{msg}"
        );
        let e = analyze_clip(&dir.path().join("missing.wav")).unwrap_err();
        assert!(matches!(e, LoudnessError::Open { .. }), "{e:?}");
    }
}
