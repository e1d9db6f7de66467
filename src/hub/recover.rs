//! Recovery from a crash (kill -9, power loss) or a full disk: run once at
//! start, before the hub listens, and the feed check again every minute.
//!
//! - `STATE/tmp/upload-*`: uploads cut off by the crash are removed;
//! - `STATE/clips/`: audio whose clip row was never committed (the crash came
//!   between storing the file and the row) is removed; a row whose file is
//!   missing is logged (nothing can bring it back but a backup);
//! - the feed: when `STATE/feed/manifest.json` does not verify with the hub's
//!   key, or does not hold what the database says is approved (an approval
//!   committed, the hub killed before it re-signed; a re-sign refused by a
//!   full disk), the feed is re-signed from the database.
//!
//! With SQLite one hub process owns the state folder, so everything left is
//! a leftover; with PostgreSQL other processes may be mid-upload, so only
//! files older than `SHARED_GRACE` are touched.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::app::AppState;
use super::db::{col, now_s, split, Dialect};
use super::error::HubResult;
use crate::feed::manifest::Manifest;
use crate::feed::publish::{MANIFEST_FILE, SIGNATURE_FILE};

/// With several hub processes, leftovers younger than this may be another's work.
const SHARED_GRACE: Duration = Duration::from_secs(3600);
/// How often `watch` checks the feed against the database.
const WATCH_EVERY: Duration = Duration::from_secs(60);

/// Everything, once, before the hub listens. A feed that cannot be re-signed
/// now (disk full) is logged and left as it is: `watch` tries again.
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
    if let Err(e) = feed(state).await {
        tracing::error!("hub: cannot bring the feed up to the database at start: {e}");
    }
    Ok(())
}

/// Every minute: re-sign the feed if it is behind the database.
pub async fn watch(state: AppState) {
    loop {
        tokio::time::sleep(WATCH_EVERY).await;
        if let Err(e) = feed(&state).await {
            tracing::error!("hub: the feed is behind the database and cannot be re-signed: {e}");
        }
    }
}

/// Re-sign when the served feed does not verify or differs from the
/// database's approved set; returns whether it did.
pub async fn feed(state: &AppState) -> HubResult<bool> {
    match behind(state).await? {
        Some(why) => {
            tracing::warn!("hub: the feed is behind the database ({why}): re-signing");
            super::publish::publish_now(state).await?;
            Ok(true)
        }
        None => Ok(false),
    }
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
        if !dir.join(&name).exists() {
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

/// Why the served feed is behind the database, or None when it is not.
async fn behind(state: &AppState) -> HubResult<Option<String>> {
    let dir = state.cfg.feed_dir();
    let (Ok(bytes), Ok(sig)) = (
        std::fs::read(dir.join(MANIFEST_FILE)),
        std::fs::read_to_string(dir.join(SIGNATURE_FILE)),
    ) else {
        return Ok(Some("no signed manifest".into()));
    };
    let pk = crate::feed::sign::public_key_of(&state.key).map_err(super::HubError::internal)?;
    if let Err(e) = crate::feed::sign::verify(&bytes, &sig, &pk) {
        return Ok(Some(format!("the served manifest does not verify: {e}")));
    }
    let Ok(m) = Manifest::parse(&bytes) else {
        return Ok(Some("the served manifest does not parse".into()));
    };
    let in_clips: HashSet<&str> = m.clips.iter().map(|c| c.id.as_str()).collect();
    let in_casts: HashSet<&str> = m.broadcasts.iter().map(|b| b.id.as_str()).collect();

    let today = chrono::Utc::now()
        .with_timezone(&state.cfg.timezone)
        .date_naive()
        .to_string();
    let rows = sqlx::query("SELECT id, valid_until FROM clips WHERE state = 'approved'")
        .fetch_all(&state.db.pool)
        .await?;
    let mut approved = HashSet::new();
    for r in &rows {
        let id: String = col(r, "id")?;
        let until: Option<String> = col(r, "valid_until")?;
        // Expired clips may leave at the next re-sign; a current one must be in.
        if until.is_none_or(|u| u >= today) && !in_clips.contains(id.as_str()) {
            return Ok(Some(format!("approved clip {id} is not in the feed")));
        }
        approved.insert(id);
    }
    if let Some(id) = in_clips.iter().find(|c| !approved.contains(**c)) {
        return Ok(Some(format!(
            "clip {id} is in the feed but no longer approved"
        )));
    }
    let rows = sqlx::query("SELECT id, at, play FROM broadcasts WHERE state = 'approved'")
        .fetch_all(&state.db.pool)
        .await?;
    let mut casts = HashSet::new();
    for r in &rows {
        let id: String = col(r, "id")?;
        let at: i64 = col(r, "at")?;
        let whole = split(&col::<String>(r, "play")?)
            .iter()
            .all(|p| approved.contains(p));
        if at >= now_s() - super::publish::BROADCAST_KEEP_S
            && whole
            && !in_casts.contains(id.as_str())
        {
            return Ok(Some(format!("approved broadcast {id} is not in the feed")));
        }
        casts.insert(id);
    }
    if let Some(id) = in_casts.iter().find(|b| !casts.contains(**b)) {
        return Ok(Some(format!(
            "broadcast {id} is in the feed but no longer approved"
        )));
    }
    Ok(None)
}
