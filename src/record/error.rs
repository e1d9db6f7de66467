//! The as-run log's error type.
//!
//! Owns only the error enum and its messages (what, where, what to do); no I/O.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong opening, appending to, reading or checking the as-run log.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// A file-system operation failed.
    #[error("as-run log {}: cannot {action}: {source}; check that the state folder exists, is writable by loa and the disk is not full", .path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: io::Error,
    },
    /// A line other than the last one is not a valid record: the log is refused as it is.
    #[error("as-run log {}, line {line}: {problem}; loa keeps the log untouched and will not append after a damaged line: move the file aside or repair that line (`loa log --verify` checks the chain), then start again", .path.display())]
    Corrupt {
        path: PathBuf,
        line: usize,
        problem: String,
    },
    /// Another process (a second `loa run`) holds the log.
    #[error("as-run log {} is in use by another loa process: only one daemon may run per state folder (stop the other one, or give this one its own [paths] state)", .path.display())]
    Locked { path: PathBuf },
    /// A record could not be encoded as JSON (should not happen with these types).
    #[error("cannot encode the as-run record for {occurrence}: {source}")]
    Encode {
        occurrence: String,
        #[source]
        source: serde_json::Error,
    },
}

impl RecordError {
    pub(crate) fn io(
        path: impl Into<PathBuf>,
        action: &'static str,
    ) -> impl FnOnce(io::Error) -> Self {
        let path = path.into();
        move |source| RecordError::Io {
            path,
            action,
            source,
        }
    }
}
