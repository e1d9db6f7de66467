//! What the rest of loa sees of the feeds: the store's clips and pushed
//! broadcasts (read from its index), the store lock that keeps two syncs from
//! writing at once, and the schedule's view of pushed broadcasts as one-off
//! programs.
//!
//! Reads only; syncing lives in `sync`.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::state::{load_statuses, FeedStatuses};
use super::store::{FeedError, Store, StoredBroadcast, StoredClip, INDEX_FILE};
use crate::config::{Config, Item, Program, When, DEFAULT_LATE_LIMIT};

/// A snapshot of the store's index.
#[derive(Debug, Clone, Default)]
pub struct FeedView {
    pub store_dir: PathBuf,
    pub clips: Vec<StoredClip>,
    pub broadcasts: Vec<StoredBroadcast>,
    /// (index entries, bytes of distinct files)
    pub usage: (u64, u64),
    pub statuses: FeedStatuses,
    /// What was accepted from each feed (sequence, expiry), by feed key.
    pub accepted: std::collections::BTreeMap<String, super::state::Accepted>,
    /// The index file's modification time when read.
    pub stamp: Option<SystemTime>,
}

/// `STATE/store`.
pub fn store_dir(state: &Path) -> PathBuf {
    state.join("store")
}

/// The index file's modification time (cheap: one stat).
pub fn stamp(state: &Path) -> Option<SystemTime> {
    std::fs::metadata(store_dir(state).join(INDEX_FILE))
        .and_then(|m| m.modified())
        .ok()
}

impl FeedView {
    /// Read the store's index; an absent store is an empty view.
    pub fn read(state: &Path) -> Result<FeedView, FeedError> {
        let stamp = stamp(state);
        let store = Store::open(state)?;
        Ok(FeedView {
            store_dir: store.dir().to_path_buf(),
            clips: store.clips().to_vec(),
            broadcasts: store.broadcasts().to_vec(),
            usage: store.usage(),
            statuses: load_statuses(store.dir()),
            accepted: store.index().feeds.clone(),
            stamp,
        })
    }

    /// Where the clip with this hash is stored.
    pub fn clip_path(&self, sha256: &str) -> PathBuf {
        self.store_dir.join(sha256)
    }
}

/// Hold this while syncing: a second sync (the daemon's, or another
/// `loa sync`) waits or is refused. `wait = false` returns `Ok(None)` when busy.
pub fn lock_store(state: &Path, wait: bool) -> Result<Option<File>, FeedError> {
    let dir = store_dir(state);
    let path = dir.join(".sync.lock");
    let io = |source| FeedError::Io {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let f = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    if wait {
        f.lock().map_err(io)?;
        return Ok(Some(f));
    }
    match f.try_lock() {
        Ok(()) => Ok(Some(f)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
    }
}

/// Program id of a pushed broadcast.
pub fn pushed_program_id(b: &StoredBroadcast) -> String {
    format!("push-{}", b.id)
}

/// The config the scheduler sees: the station's programs plus one one-off
/// program per pushed broadcast for this station (already targeted by sync).
/// Returns it with, for each pushed program, the feed its clip ids belong to.
pub fn with_pushed(cfg: &Config, view: &FeedView) -> (Config, Vec<(String, String)>) {
    let mut out = cfg.clone();
    let mut scopes = Vec::new();
    for b in &view.broadcasts {
        let id = pushed_program_id(b);
        if out.programs.iter().any(|p| p.id == id) {
            tracing::warn!(
                "pushed broadcast {} of {} clashes with another program id: ignored",
                b.id,
                b.feed
            );
            continue;
        }
        scopes.push((id.clone(), b.feed.clone()));
        out.programs.push(Program {
            id,
            title: b.title.clone(),
            when: When::Once(b.at.to_utc()),
            days: vec![
                chrono::Weekday::Mon,
                chrono::Weekday::Tue,
                chrono::Weekday::Wed,
                chrono::Weekday::Thu,
                chrono::Weekday::Fri,
                chrono::Weekday::Sat,
                chrono::Weekday::Sun,
            ],
            from: None,
            until: None,
            priority: b.priority,
            max_duration: None,
            late_limit: DEFAULT_LATE_LIMIT,
            volume: 1.0,
            play: b.play.iter().map(|c| Item::Clip(c.clone())).collect(),
        });
    }
    (out, scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_lock_is_exclusive() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_store(dir.path(), false).unwrap();
        assert!(first.is_some());
        assert!(
            lock_store(dir.path(), false).unwrap().is_none(),
            "second sync refused"
        );
        drop(first);
        assert!(lock_store(dir.path(), false).unwrap().is_some());
    }
}
