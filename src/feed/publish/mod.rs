//! `loa publish` (district side): apply one change to a feed folder — add
//! clips, withdraw a clip or broadcast, push a broadcast — then re-sign the
//! manifest and replace `manifest.json` and its `.minisig` atomically.
//!
//! Owns the feed folder's layout (`manifest.json`, `manifest.json.minisig`,
//! `clips/`, `.publish.lock`). Never publishes on top of a manifest the key
//! did not sign, never touches anything outside the folder but the source
//! FILEs it reads, and knows nothing of stations, HTTP or playout (decoding
//! is the `probe` it is given).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate};
use minisign::SecretKey;

use super::manifest::{Broadcast, Clip, ClipLevel, Manifest, FORMAT_VERSION};
use super::sign;

pub const MANIFEST_FILE: &str = "manifest.json";
pub const SIGNATURE_FILE: &str = "manifest.json.minisig";
pub const CLIPS_DIR: &str = "clips";
pub const LOCK_FILE: &str = ".publish.lock";
/// How long a published manifest stays fresh unless told otherwise.
pub const DEFAULT_EXPIRES: Duration = Duration::from_secs(30 * 24 * 3600);
/// Staging names (under the lock) for the next manifest and signature.
const NEW_MANIFEST: &str = ".manifest.json.new";
const NEW_SIGNATURE: &str = ".manifest.json.minisig.new";

/// What the operator says about the clips being added (`--id`, `--title`, ...).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClipMeta {
    pub id: Option<String>,
    pub title: Option<String>,
    pub category: Option<String>,
    pub lang: Option<String>,
    pub areas: Vec<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// Circular 39's level of every clip added.
    pub level: ClipLevel,
}

/// One change to a feed.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Add {
        files: Vec<PathBuf>,
        meta: ClipMeta,
    },
    /// Withdraw the clip with this id (or, if no clip has it, the broadcast).
    Remove {
        id: String,
    },
    Broadcast {
        id: String,
        title: Option<String>,
        at: DateTime<FixedOffset>,
        play: Vec<String>,
        priority: u32,
        areas: Vec<String>,
    },
}

/// What a publish did.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub sequence: u64,
    /// Clip ids added, or the broadcast id pushed.
    pub added: Vec<String>,
    /// The clip or broadcast id withdrawn.
    pub removed: Vec<String>,
    pub manifest: PathBuf,
}

mod change;
mod error;
mod folder;
mod stage;

pub use error::PublishError;
pub use stage::slug;

use change::{broadcast, remove};
use error::io;
use folder::{finish, lock, read_current, recover, remove_all, sync_dir};
use stage::{copy_clip, stage_clips};

/// Create `feed_dir` if missing, take its lock (held while the file lives),
/// finish or undo a cut-off publish, and read the current manifest verified
/// with `sk`'s public key (`None` for a new feed).
fn open(feed_dir: &Path, sk: &SecretKey) -> Result<(File, Option<Manifest>), PublishError> {
    std::fs::create_dir_all(feed_dir).map_err(io("create the feed folder", feed_dir))?;
    let lock = lock(feed_dir)?;
    let public_key = sign::public_key_of(sk)?;
    recover(feed_dir, &public_key)?;
    let old = read_current(feed_dir, &public_key)?;
    Ok((lock, old))
}

/// Apply `change` to the feed in `feed_dir` (created if missing), sign the
/// new manifest with `sk` and put it in place atomically.
pub fn publish(
    feed_dir: &Path,
    sk: &SecretKey,
    change: &Change,
    expires: Duration,
    now: DateTime<FixedOffset>,
    probe: &dyn Fn(&Path) -> Result<Option<Duration>, String>,
) -> Result<Published, PublishError> {
    let (_lock, old) = open(feed_dir, sk)?;
    let mut m = old.clone().unwrap_or(Manifest {
        loa_feed: FORMAT_VERSION,
        sequence: 0,
        published_at: now,
        expires_at: now,
        clips: vec![],
        broadcasts: vec![],
    });

    let mut placed: Vec<PathBuf> = vec![]; // new clip files, removed again on failure
    let mut doomed: Vec<PathBuf> = vec![]; // withdrawn clip files, deleted after success
    let (added, removed) = match change {
        Change::Add { files, meta } => {
            let staged = stage_clips(&m, files, meta, now, probe)?;
            let mut ids = vec![];
            for (src, clip) in staged {
                let result = copy_clip(feed_dir, &src, &clip.path);
                let (sha256, bytes) = match result {
                    Ok(v) => v,
                    Err(e) => {
                        remove_all(&placed);
                        return Err(e);
                    }
                };
                placed.push(feed_dir.join(&clip.path));
                ids.push(clip.id.clone());
                m.clips.push(Clip {
                    sha256,
                    bytes,
                    ..clip
                });
            }
            if let Err(e) = sync_dir(&feed_dir.join(CLIPS_DIR)) {
                remove_all(&placed);
                return Err(e);
            }
            (ids, vec![])
        }
        Change::Remove { id } => {
            if let Some(p) = remove(&mut m, id)? {
                doomed.push(feed_dir.join(p));
            }
            (vec![], vec![id.clone()])
        }
        Change::Broadcast {
            id,
            title,
            at,
            play,
            priority,
            areas,
        } => {
            let b = broadcast(&m, id, title, *at, play, *priority, areas, now)?;
            m.broadcasts.push(b);
            (vec![id.clone()], vec![])
        }
    };

    if let Err(e) = finish(feed_dir, sk, &mut m, expires, now, &mut placed) {
        remove_all(&placed); // empty once the new signature is in place
        return Err(e);
    }
    if !doomed.is_empty() {
        remove_all(&doomed);
        let _ = sync_dir(&feed_dir.join(CLIPS_DIR));
    }
    Ok(Published {
        sequence: m.sequence,
        added,
        removed,
        manifest: feed_dir.join(MANIFEST_FILE),
    })
}

/// Replace the whole manifest's clips and broadcasts (the hub's publish: it
/// keeps the list in its database and has already put every clip file under
/// `feed_dir`), sign it with `sk` (sequence + 1) and put it in place
/// atomically. Like `publish`, refuses a feed another key signed.
pub fn publish_manifest(
    feed_dir: &Path,
    sk: &SecretKey,
    clips: Vec<Clip>,
    broadcasts: Vec<Broadcast>,
    expires: Duration,
    now: DateTime<FixedOffset>,
) -> Result<Published, PublishError> {
    let (_lock, old) = open(feed_dir, sk)?;
    let mut m = Manifest {
        loa_feed: FORMAT_VERSION,
        sequence: old.map(|m| m.sequence).unwrap_or(0),
        published_at: now,
        expires_at: now,
        clips,
        broadcasts,
    };
    finish(feed_dir, sk, &mut m, expires, now, &mut vec![])?;
    Ok(Published {
        sequence: m.sequence,
        added: vec![],
        removed: vec![],
        manifest: feed_dir.join(MANIFEST_FILE),
    })
}

#[cfg(test)]
mod tests;
