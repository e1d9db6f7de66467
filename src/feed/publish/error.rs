//! Why a publish was refused (`PublishError`), and the I/O error helper the
//! publish steps share. The feed is left as it was whenever one is returned.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::feed::manifest::ManifestError;
use crate::feed::sign::SignError;

/// Why a publish was refused; the feed is then left as it was.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("another `loa publish` is working on {0}: wait for it to finish, then try again")]
    Locked(PathBuf),
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Key(#[from] SignError),
    #[error("refusing to publish on top of {path}: {reason}; publish with the key that signed this feed, or start a new feed in an empty folder")]
    ForeignManifest { path: PathBuf, reason: SignError },
    #[error("refusing to publish on top of {path}: {reason}; restore the feed folder from a backup before publishing")]
    DamagedFeed { path: PathBuf, reason: String },
    #[error("{file}: {reason}")]
    BadFile { file: PathBuf, reason: String },
    #[error("give at least one audio FILE to publish")]
    NoFiles,
    #[error("--id names one clip, but {0} files were given: publish them one at a time, or leave out --id")]
    IdWithSeveralFiles(usize),
    #[error("--category is required to publish a clip (lower-case letters, digits, `.`, `_`, `-`, e.g. --category thong-bao)")]
    CategoryMissing,
    #[error("{what} `{value}`: {reason}")]
    BadValue {
        what: &'static str,
        value: String,
        reason: String,
    },
    #[error("clip id {id} is already in the feed: remove it first or choose another --id")]
    DuplicateClip { id: String },
    #[error(
        "{first} and {second} would both become clip {id}: publish them one at a time with --id"
    )]
    DuplicateInBatch {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{id} is already the id of a {kind} in the feed: choose another id")]
    IdTaken { id: String, kind: &'static str },
    #[error("no clip or broadcast {0} in the feed (its ids are in manifest.json)")]
    Unknown(String),
    #[error("{0} names both a clip and a broadcast in the feed, so --remove cannot tell which to withdraw: fix the manifest by hand")]
    Ambiguous(String),
    #[error("clip {id} is played by broadcast {broadcast}: withdraw the broadcast first (--remove {broadcast})")]
    ClipInUse { id: String, broadcast: String },
    #[error("broadcast id {0} is already in the feed: choose another id")]
    DuplicateBroadcast(String),
    #[error("broadcast {broadcast} plays {clip}, which is not a clip of the feed: publish the clip first")]
    BroadcastUnknownClip { broadcast: String, clip: String },
    #[error("broadcast {id} plays nothing: name at least one clip of the feed")]
    BroadcastEmpty { id: String },
    #[error("broadcast {id} is at {at}, which is not in the future (now {now})")]
    BroadcastInPast {
        id: String,
        at: DateTime<FixedOffset>,
        now: DateTime<FixedOffset>,
    },
    #[error("the new manifest would be invalid: {0}")]
    Invalid(#[from] ManifestError),
}

pub(super) fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> PublishError {
    let path = path.to_path_buf();
    move |source| PublishError::Io {
        action,
        path,
        source,
    }
}
