//! Recovery from a crash (kill -9, power loss) or a full disk: run once at
//! start, before the hub listens.
//!
//! - `STATE/tmp/upload-*`: uploads cut off by the crash are removed;
//! - `STATE/clips/`: audio whose clip row was never committed (the crash came
//!   between storing the file and the row) is removed; with SQLite a row whose
//!   file is missing is logged (nothing can bring it back but a backup; with
//!   PostgreSQL the bytes are in `clip_blobs` and fetched on demand);
//! - the feed: the signed feed lives in the database, and
//!   `publish::reconcile` (at start through `ensure_fresh`, then every
//!   minute) re-signs it when it does not hold what the database says is
//!   approved (an approval committed, the hub killed before it re-signed; a
//!   re-sign refused by a full disk).
//!
//! With SQLite one hub process owns the state folder, so everything left is
//! a leftover; with PostgreSQL other processes may be mid-upload, so only
//! files older than `SHARED_GRACE` are touched.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::app::AppState;
use super::db::{col, Dialect};
use super::error::HubResult;

/// With several hub processes, leftovers younger than this may be another's work.
const SHARED_GRACE: Duration = Duration::from_secs(3600);

/// Everything, once, before the hub listens.
pub async fn at_start(state: &AppState) -> HubResult<()> {
    let grace = match state.db.dialect {
        Dialect::Sqlite => Duration::ZERO,
        Dialect::Postgres => SHARED_GRACE,
    };
    let tmp = clean_tmp(&state.cfg.tmp_dir(), grace);
    let orphans = clean_orphans(state, grace).await?;
    if tmp + orphans > 0 {
        tracing::warn!(
            "hub: recovered from a crash: removed {tmp} cut-off upload(s) and {orphans} clip file(s) with no clip"
        );
    }
    Ok(())
}

fn old_enough(p: &Path, grace: Duration) -> bool {
    if grace.is_zero() {
        return true;
    }
    std::fs::metadata(p)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age >= grace)
}

/// Remove `upload-*` files in `STATE/tmp`; returns how many.
fn clean_tmp(dir: &Path, grace: Duration) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("upload-")
            && old_enough(&e.path(), grace)
            && std::fs::remove_file(e.path()).is_ok()
        {
            n += 1;
        }
    }
    n
}

/// Remove stored audio no clip row names; log rows whose audio is missing.
async fn clean_orphans(state: &AppState, grace: Duration) -> HubResult<usize> {
    let rows = sqlx::query("SELECT id, sha256, ext FROM clips")
        .fetch_all(&state.db.pool)
        .await?;
    let dir = state.cfg.uploads_dir();
    let mut named = HashSet::new();
    for r in &rows {
        let name = format!(
            "{}.{}",
            col::<String>(r, "sha256")?,
            col::<String>(r, "ext")?
        );
        if state.db.dialect == Dialect::Sqlite && !dir.join(&name).exists() {
            tracing::error!(
                "hub: clip {} has no audio file ({}): restore it from a backup",
                col::<String>(r, "id")?,
                dir.join(&name).display()
            );
        }
        named.insert(name);
    }
    let mut n = 0;
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_file()
            && !named.contains(&name)
            && old_enough(&e.path(), grace)
            && std::fs::remove_file(e.path()).is_ok()
        {
            tracing::warn!("hub: removed {name} from the clip store: no clip names it");
            n += 1;
        }
    }
    Ok(n)
}
