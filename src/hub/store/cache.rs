//! `STATE/feed/` as a cache of the database, for nginx or a CDN serving the
//! folder (HUB.md) and for anyone reading it: the newest manifest and its
//! signature (signature renamed in first), the clip files it lists (hard
//! links of `STATE/clips/`, fetched from the database when this process
//! lacks them), files no manifest lists pruned, `minisign.pub`, and each
//! station's programs document. Rebuilt after this process publishes, when
//! another process's nudge arrives, and at start. Never the source of truth.

use std::collections::HashSet;
use std::path::Path;

use crate::feed::manifest::Manifest;
use crate::feed::publish::{CLIPS_DIR, MANIFEST_FILE, SIGNATURE_FILE};
use crate::hub::app::AppState;
use crate::hub::db::col;
use crate::hub::error::{HubError, HubResult};

/// One rebuild at a time in this process.
static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Bring the feed folder up to the newest manifest in the database.
pub async fn sync_feed(state: &AppState) -> HubResult<()> {
    let _g = LOCK.lock().await;
    let Some(m) = super::latest(&state.db).await? else {
        return Ok(());
    };
    let parsed = Manifest::parse(m.manifest.as_bytes())
        .map_err(|e| HubError::internal(format!("the stored manifest {}: {e}", m.sequence)))?;
    let feed = state.cfg.feed_dir();
    let clips_dir = feed.join(CLIPS_DIR);
    tokio::fs::create_dir_all(&clips_dir).await?;
    let mut keep = HashSet::new();
    for c in &parsed.clips {
        let Some(name) = Path::new(&c.path).file_name() else {
            continue;
        };
        let name = name.to_string_lossy().into_owned();
        let target = clips_dir.join(&name);
        if !tokio::fs::try_exists(&target).await.unwrap_or(false) {
            let (sha, ext) = super::blobs::valid_name(&name)
                .ok_or_else(|| HubError::internal(format!("odd clip path {}", c.path)))?;
            let src = super::blobs::local(state, sha, ext).await?;
            place_clip(&src, &target)?;
        }
        keep.insert(name);
    }
    let current = std::fs::read(feed.join(MANIFEST_FILE))
        .ok()
        .and_then(|b| Manifest::parse(&b).ok())
        .map(|m| m.sequence);
    if current != Some(m.sequence) {
        write(&feed, SIGNATURE_FILE, m.signature.as_bytes())?;
        write(&feed, MANIFEST_FILE, m.manifest.as_bytes())?;
    }
    for entry in std::fs::read_dir(&clips_dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !keep.contains(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    crate::hub::publish::write_public_key(&feed, &state.key)
}

/// Write `dir/name` atomically (aside, fsynced, renamed).
pub fn write(dir: &Path, name: &str, body: &[u8]) -> HubResult<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.new"));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(body)?;
    f.sync_all()?;
    std::fs::rename(&tmp, dir.join(name))?;
    Ok(())
}

/// Bring `station`'s programs files up to its newest document in the database.
pub async fn sync_programs(state: &AppState, station: &str) -> HubResult<()> {
    let r = sqlx::query(
        "SELECT document, signature FROM timetable_docs WHERE station = $1 \
         ORDER BY sequence DESC LIMIT 1",
    )
    .bind(station)
    .fetch_optional(&state.db.pool)
    .await?;
    if let Some(r) = r {
        let doc: String = col(&r, "document")?;
        let sig: String = col(&r, "signature")?;
        crate::hub::timetable::write_files(&state.cfg.feed_dir(), station, &doc, &sig)?;
    }
    Ok(())
}

/// Follow other processes' publishes (their nudges reach this process's
/// `LinkHub`): rebuild the folder for each.
pub async fn follow(state: AppState) {
    let mut feed = state.link.subscribe();
    let mut programs = state.link.subscribe_programs();
    loop {
        tokio::select! {
            r = feed.recv() => match r {
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    if let Err(e) = sync_feed(&state).await {
                        tracing::warn!("hub: cannot refresh the feed folder: {e}");
                    }
                }
                Err(_) => return,
            },
            r = programs.recv() => match r {
                Ok((station, _)) => {
                    if let Err(e) = sync_programs(&state, &station).await {
                        tracing::warn!("hub: cannot refresh station {station}'s programs files: {e}");
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(_) => return,
            },
        }
    }
}

/// Put a stored clip into the feed folder: a hard link, or (another file
/// system) a copy written aside and renamed, so a copy cut short by a full
/// disk or a crash is never served under the clip's name.
fn place_clip(src: &Path, target: &Path) -> HubResult<()> {
    if std::fs::hard_link(src, target).is_ok() {
        return Ok(());
    }
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let part = target.with_file_name(format!(".{name}.part"));
    let copied = std::fs::copy(src, &part)
        .and_then(|_| std::fs::File::open(&part)?.sync_all())
        .and_then(|()| std::fs::rename(&part, target));
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&part);
        if crate::hub::outage::is_disk_full(&e) {
            tracing::error!("hub: cannot put {} into the feed: {e}", src.display());
            return Err(crate::hub::outage::disk_full());
        }
        return Err(HubError::internal(format!(
            "cannot put {} into the feed: {e}",
            src.display()
        )));
    }
    Ok(())
}
