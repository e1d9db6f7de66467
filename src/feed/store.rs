//! The station's feed store, `STATE/store/`: clip files named by their SHA-256
//! (never by anything a manifest says), `partial/<sha256>.part` downloads in
//! progress, and `index.json` — the clips and broadcasts of every feed plus
//! what was accepted from each — replaced only by an atomic rename.
//!
//! Owns the files under `STATE/store/`. Knows nothing of HTTP, signatures or
//! playout; never writes a clip file that has not been hash-verified.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::manifest::ClipLevel;
use super::state::{self, Accepted, FeedStatus, FeedStatuses};

/// Errors of the store's own files.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{}: {source} (check the state folder's permissions and free space)", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {msg} (move it away to resync every feed from scratch)", path.display())]
    Index { path: PathBuf, msg: String },
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> FeedError + '_ {
    move |source| FeedError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One feed clip in the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredClip {
    /// Feed key (e.g. its URL); clip ids are scoped by it.
    pub feed: String,
    pub id: String,
    pub title: String,
    pub category: String,
    pub lang: String,
    pub sha256: String,
    pub bytes: u64,
    pub duration_s: Option<f64>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub areas: Vec<String>,
    /// The manifest's `published_at` (for "newest first").
    pub published_at: DateTime<FixedOffset>,
    /// Circular 39's level (absent in indexes written before levels: `normal`).
    #[serde(default, skip_serializing_if = "ClipLevel::is_normal")]
    pub level: ClipLevel,
}

/// One pushed broadcast in the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredBroadcast {
    pub feed: String,
    pub id: String,
    pub title: String,
    pub at: DateTime<FixedOffset>,
    /// Clip ids of the same feed, in order (only clips stored for this station).
    pub play: Vec<String>,
    pub priority: u32,
    pub areas: Vec<String>,
}

/// The content of `index.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Index {
    #[serde(default)]
    pub clips: Vec<StoredClip>,
    #[serde(default)]
    pub broadcasts: Vec<StoredBroadcast>,
    /// What was accepted from each feed, by feed key.
    #[serde(default)]
    pub feeds: BTreeMap<String, Accepted>,
}

pub const INDEX_FILE: &str = "index.json";

/// The store under `STATE/store/`.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    index: Index,
    statuses: FeedStatuses,
    /// When each feed's status was last written to disk (by attempt time).
    saved: BTreeMap<String, DateTime<Utc>>,
    /// Hashes wanted by each feed's unfinished sync.
    pending: BTreeMap<String, HashSet<String>>,
}

impl Store {
    /// Open (creating `STATE/store/` and `STATE/store/partial/`) and load the index.
    pub fn open(state_dir: &Path) -> Result<Store, FeedError> {
        let dir = state_dir.join("store");
        fs::create_dir_all(dir.join("partial")).map_err(io_err(&dir))?;
        let path = dir.join(INDEX_FILE);
        let index = match fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| FeedError::Index {
                path: path.clone(),
                msg: format!("unreadable store index: {e}"),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Index::default(),
            Err(e) => return Err(io_err(&path)(e)),
        };
        let statuses = state::load_statuses(&dir);
        Ok(Store {
            dir,
            index,
            statuses,
            saved: BTreeMap::new(),
            pending: BTreeMap::new(),
        })
    }

    /// `STATE/store/`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the clip with this hash lives: `STATE/store/<sha256>`, no extension.
    pub fn clip_path(&self, sha256: &str) -> PathBuf {
        self.dir.join(sha256)
    }

    /// Where its download in progress lives: `STATE/store/partial/<sha256>.part`.
    pub fn partial_path(&self, sha256: &str) -> PathBuf {
        self.dir.join("partial").join(format!("{sha256}.part"))
    }

    pub fn clips(&self) -> &[StoredClip] {
        &self.index.clips
    }

    pub fn broadcasts(&self) -> &[StoredBroadcast] {
        &self.index.broadcasts
    }

    /// One clip by feed key and id.
    pub fn clip(&self, feed: &str, id: &str) -> Option<&StoredClip> {
        self.index
            .clips
            .iter()
            .find(|c| c.feed == feed && c.id == id)
    }

    /// What was last accepted from a feed.
    pub fn accepted(&self, feed: &str) -> Option<&Accepted> {
        self.index.feeds.get(feed)
    }

    /// How the last syncs of a feed went.
    pub fn status(&self, feed: &str) -> Option<&FeedStatus> {
        self.statuses.get(feed)
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// (clip entries in the index, bytes of the distinct clip files they reference).
    pub fn usage(&self) -> (u64, u64) {
        let mut seen = HashSet::new();
        let bytes = self
            .index
            .clips
            .iter()
            .filter(|c| seen.insert(c.sha256.as_str()))
            .map(|c| c.bytes)
            .sum();
        (self.index.clips.len() as u64, bytes)
    }

    /// Replace the index: temp file, fsync, rename, fsync folder. On error the
    /// file and the in-memory index are unchanged.
    pub fn commit(&mut self, index: Index) -> Result<(), FeedError> {
        let mut bytes = serde_json::to_vec_pretty(&index).map_err(|e| FeedError::Index {
            path: self.dir.join(INDEX_FILE),
            msg: e.to_string(),
        })?;
        bytes.push(b'\n');
        write_atomic(&self.dir.join(INDEX_FILE), &bytes)?;
        self.index = index;
        Ok(())
    }

    /// Record a feed's status. It is written to `feeds.json` (best effort: a
    /// failure is logged) when more than its times changed, or at most hourly
    /// otherwise, to spare SD cards a write every poll.
    pub fn set_status(&mut self, feed: &str, status: FeedStatus) {
        let strip = |s: &FeedStatus| FeedStatus {
            last_attempt: None,
            last_success: None,
            ..s.clone()
        };
        let due = match (self.saved.get(feed), status.last_attempt) {
            (Some(at), Some(now)) => now - *at >= chrono::Duration::hours(1),
            _ => true,
        };
        let changed = self.statuses.get(feed).map(strip) != Some(strip(&status));
        let attempt = status.last_attempt;
        self.statuses.insert(feed.to_string(), status);
        if changed || due {
            match state::save_statuses(&self.dir, &self.statuses) {
                Ok(()) => {
                    if let Some(at) = attempt {
                        self.saved.insert(feed.to_string(), at);
                    }
                }
                Err(e) => tracing::warn!("could not save feed status: {e}"),
            }
        }
    }

    /// Hashes a feed's unfinished sync wants: spared by garbage collection
    /// (another feed's sync) until that feed commits. In memory only.
    pub fn set_pending(&mut self, feed: &str, hashes: HashSet<String>) {
        if hashes.is_empty() {
            self.pending.remove(feed);
        } else {
            self.pending.insert(feed.to_string(), hashes);
        }
    }

    /// Whether the clip file is already in place with the expected size.
    /// Files are only ever put there hash-verified, so the hash is not re-read.
    pub fn has_clip(&self, sha256: &str, bytes: u64) -> Result<bool, String> {
        match fs::metadata(self.clip_path(sha256)) {
            Ok(m) if m.len() == bytes => Ok(true),
            Ok(m) => Err(format!(
                "the stored file {} has {} bytes, the manifest declares {bytes}",
                self.clip_path(sha256).display(),
                m.len()
            )),
            Err(_) => Ok(false),
        }
    }

    /// Verify a complete partial file against `sha256`, fsync it, rename it to
    /// `STATE/store/<sha256>` and fsync the folder. A mismatching partial is
    /// deleted (a fresh download starts next time).
    pub fn install(&self, sha256: &str) -> Result<(), InstallError> {
        let part = self.partial_path(sha256);
        let got = sha256_file(&part).map_err(|e| InstallError::Io(io_err(&part)(e)))?;
        if got != sha256 {
            let _ = fs::remove_file(&part);
            return Err(InstallError::Mismatch(got));
        }
        File::open(&part)
            .and_then(|f| f.sync_all())
            .map_err(|e| InstallError::Io(io_err(&part)(e)))?;
        let dest = self.clip_path(sha256);
        fs::rename(&part, &dest).map_err(|e| InstallError::Io(io_err(&dest)(e)))?;
        fsync_dir(&self.dir).map_err(InstallError::Io)?;
        let _ = fsync_dir(&self.dir.join("partial"));
        Ok(())
    }

    /// Re-hash every clip file and check every index entry has its file:
    /// the problems found (empty = sound). Slow on big stores; for `--check`
    /// and soak tests, not for every sync.
    pub fn check_files(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for name in hash_names(&self.dir, "") {
            match sha256_file(&self.clip_path(&name)) {
                Ok(h) if h == name => {}
                Ok(h) => problems.push(format!("{name}: content hashes to {h}")),
                Err(e) => problems.push(format!("{name}: {e}")),
            }
        }
        for c in &self.index.clips {
            if self.has_clip(&c.sha256, c.bytes) != Ok(true) {
                problems.push(format!(
                    "clip {} of {}: file {} missing or of the wrong size",
                    c.id, c.feed, c.sha256
                ));
            }
        }
        problems
    }

    /// Delete clip files that no index entry (nor a feed's unfinished sync)
    /// references, unless `in_use` says something on air needs them; delete
    /// partials of such hashes untouched for `partial_max_age`. Returns the
    /// hashes deleted.
    pub fn collect_garbage(
        &self,
        in_use: &dyn Fn(&str) -> bool,
        partial_max_age: std::time::Duration,
    ) -> Vec<String> {
        let referenced: HashSet<&str> = self
            .index
            .clips
            .iter()
            .map(|c| c.sha256.as_str())
            .chain(self.pending.values().flatten().map(String::as_str))
            .collect();
        let mut deleted = Vec::new();
        for name in hash_names(&self.dir, "") {
            if !referenced.contains(name.as_str()) && !in_use(&name) {
                match fs::remove_file(self.clip_path(&name)) {
                    Ok(()) => deleted.push(name),
                    Err(e) => tracing::warn!("could not remove unused clip {name}: {e}"),
                }
            }
        }
        let partial = self.dir.join("partial");
        for name in hash_names(&partial, ".part") {
            let path = self.partial_path(&name);
            let old = fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age >= partial_max_age);
            if old && !referenced.contains(name.as_str()) {
                let _ = fs::remove_file(&path);
            }
        }
        if !deleted.is_empty() {
            let _ = fsync_dir(&self.dir);
        }
        deleted
    }
}

/// Why a finished download could not be installed.
#[derive(Debug)]
pub enum InstallError {
    /// The file's actual hash.
    Mismatch(String),
    Io(FeedError),
}

/// Whether a clip valid until `until` is over everywhere on earth at `now`
/// (the day has ended even at UTC-12), so no station's local date still has it.
pub fn past_valid_until(until: Option<NaiveDate>, now: DateTime<Utc>) -> bool {
    until.is_some_and(|u| (now - chrono::Duration::hours(12)).date_naive() > u)
}

/// Names in `dir` that are 64 lower-case hex digits followed by `suffix`.
fn hash_names(dir: &Path, suffix: &str) -> Vec<String> {
    let Ok(rd) = fs::read_dir(dir) else {
        return Vec::new();
    };
    rd.filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(suffix).map(str::to_string))
        .filter(|n| {
            n.len() == 64
                && n.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
        .collect()
}

/// Lower-case hex SHA-256 of a file.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

/// fsync a folder so a rename in it survives a power cut.
pub fn fsync_dir(dir: &Path) -> Result<(), FeedError> {
    File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(io_err(dir))
}

/// Write `bytes` to `path` atomically: `path.tmp`, fsync, rename, fsync folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FeedError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let mut f = File::create(&tmp).map_err(io_err(&tmp))?;
    f.write_all(bytes).map_err(io_err(&tmp))?;
    f.sync_all().map_err(io_err(&tmp))?;
    drop(f);
    fs::rename(&tmp, path).map_err(io_err(path))?;
    fsync_dir(path.parent().unwrap_or(Path::new(".")))
}
