//! Probing: the decode test behind `loa check` and `loa publish`, the duration
//! estimate behind `loa agenda`, and [`ClipInfo`] for whoever wants the facts of a
//! file (format, channels, rate, duration). Decodes; never plays.

use std::path::Path;
use std::time::Duration;

use rodio::Source;

use super::{open, sniff_file, DecodeError, Format};

/// What a clip file is.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipInfo {
    /// From the file's first bytes (None: decoded, but by no signature loa knows).
    pub format: Option<Format>,
    pub channels: u16,
    pub rate: u32,
    /// Its length (from the headers, else by decoding it all).
    pub duration: Duration,
}

/// Decode test and duration: `Ok(Some(d))`; `Ok(None)` only if the length cannot be
/// told (not today: a file without a length in its headers is decoded whole).
pub fn probe(path: &Path) -> Result<Option<Duration>, DecodeError> {
    probe_info(path).map(|i| Some(i.duration))
}

/// Open `path`, prove it is audio (decode a little), and tell its format and length.
pub fn probe_info(path: &Path) -> Result<ClipInfo, DecodeError> {
    let mut dec = open(path)?;
    let channels = dec.channels().get();
    let rate = dec.sample_rate().get();
    let format = sniff_file(path);
    let duration = match dec.total_duration() {
        Some(d) => {
            // Decode a little to prove the data is audio, not just a plausible header.
            if dec.by_ref().take(4096).count() == 0 {
                return Err(DecodeError::NoAudio {
                    path: path.to_path_buf(),
                    reason: "no audio in the file".into(),
                });
            }
            d
        }
        None => {
            // No length in the headers: decode it all and count.
            let samples = dec.count() as u64;
            let frames = samples / u64::from(channels.max(1));
            Duration::from_secs_f64(frames as f64 / f64::from(rate.max(1)))
        }
    };
    Ok(ClipInfo {
        format,
        channels,
        rate,
        duration,
    })
}
