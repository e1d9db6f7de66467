//! decode: the one place clip files are opened and decoded — format detection from
//! the file's first bytes, the decoder (MP3 gapless, so the encoder delay is trimmed;
//! AAC in M4A/MP4 as phones record it), one steady format per clip, and probing
//! (decode test, duration), and what headers declare before any decoding (the
//! length, a zero sample rate refused). `playout`, `loudness`, `loa check`, `loa agenda`,
//! `loa publish` and the hub all call it. Knows nothing of outputs, levels or
//! schedules; live streams have their own decoder in `relay`.

mod declared;
mod format;
mod mp4;
mod mp4_tables;
mod open;
mod probe;

#[cfg(test)]
mod fuzz_regressions;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub use declared::declared;
pub use format::{sniff, sniff_file, Format};
pub use open::{open, Clip};
pub use probe::{probe, probe_info, ClipInfo};

/// The formats loa plays, for messages that tell the user what to re-encode to.
pub const FORMATS: &str = "WAV, MP3, Ogg Vorbis, FLAC or AAC (M4A)";

/// Why a clip file cannot be played. The Display of `Open` starts with "cannot open",
/// of the others with "cannot decode", so reports stay greppable.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The file could not be opened or read.
    #[error("cannot open: {reason}")]
    Open { path: PathBuf, reason: String },
    /// The file was read but is not audio loa can decode.
    #[error("cannot decode: {reason}")]
    Decode { path: PathBuf, reason: String },
    /// The file decodes to nothing (no samples, or samples that are not numbers).
    #[error("cannot decode: {reason}")]
    NoAudio { path: PathBuf, reason: String },
}

impl DecodeError {
    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            DecodeError::Open { path, .. }
            | DecodeError::Decode { path, .. }
            | DecodeError::NoAudio { path, .. } => path,
        }
    }

    /// A sentence for people (and the hub's upload page): what is wrong and what to do.
    pub fn advice(&self) -> String {
        match self {
            DecodeError::Open { path, reason } => format!(
                "cannot open {}: {reason}; check that the file exists and is readable",
                path.display()
            ),
            DecodeError::Decode { path, reason } | DecodeError::NoAudio { path, reason } => {
                format!(
                    "cannot decode {}: {reason}; re-encode it as {FORMATS}",
                    path.display()
                )
            }
        }
    }
}
