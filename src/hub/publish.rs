//! The hub's feed: SPEC.md's manifest of every approved clip and pushed
//! broadcast, re-signed whole (sequence + 1) after each approval or
//! withdrawal, and before it could go stale; written into `STATE/feed/`
//! with the same code as `loa publish` (`feed::publish::publish_manifest`).
//!
//! Owns `STATE/feed/` (clip files are hard links of the stored uploads, named
//! by hash; files no manifest lists are pruned) and `STATE/feed/minisign.pub`.
//! Unapproved audio never enters this folder.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, TimeZone};

use super::app::AppState;
use super::db::{col, now_s, split};
use super::error::{HubError, HubResult};
use crate::feed::manifest::{Broadcast, Clip, ClipLevel, Manifest};
use crate::feed::publish::{publish_manifest, CLIPS_DIR, DEFAULT_EXPIRES, MANIFEST_FILE};

/// Re-sign when the manifest expires within this long.
const REFRESH_BEFORE: Duration = Duration::from_secs(10 * 24 * 3600);
/// Broadcasts this long past their instant leave the feed.
const BROADCAST_KEEP_S: i64 = 2 * 24 * 3600;

/// The feed path of a stored clip.
pub fn feed_path(sha256: &str, ext: &str) -> String {
    format!("{CLIPS_DIR}/{sha256}.{ext}")
}

/// Rebuild, sign and publish the feed from the database; returns the new sequence.
pub async fn publish_now(state: &AppState) -> HubResult<u64> {
    let _g = state.publish_lock.lock().await;
    let tz = state.cfg.timezone;
    let now_utc = chrono::Utc::now();
    let now = now_utc.with_timezone(&tz).fixed_offset();
    let today = now.date_naive();

    let rows = sqlx::query(
        "SELECT id, at, title, play, priority, areas FROM broadcasts WHERE state = 'approved' AND at >= $1 ORDER BY at, id",
    )
    .bind(now_s() - BROADCAST_KEEP_S)
    .fetch_all(&state.db.pool)
    .await?;
    let mut broadcasts = vec![];
    let mut needed: HashSet<String> = HashSet::new();
    for r in &rows {
        let at: i64 = col(r, "at")?;
        let play = split(&col::<String>(r, "play")?);
        needed.extend(play.iter().cloned());
        broadcasts.push(Broadcast {
            id: col(r, "id")?,
            title: col(r, "title")?,
            at: local(tz, at)?,
            play,
            priority: u32::try_from(col::<i64>(r, "priority")?).unwrap_or(0),
            areas: split(&col::<String>(r, "areas")?),
        });
    }
    let rows = sqlx::query(
        "SELECT id, title, category, lang, areas, valid_from, valid_until, level, ext, sha256, bytes, duration_ms \
         FROM clips WHERE state = 'approved' ORDER BY created_at, id",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let bound = super::local_clips::all(state).await?;
    let mut clips = vec![];
    for r in &rows {
        let id: String = col(r, "id")?;
        let until: Option<String> = col(r, "valid_until")?;
        let until = until.and_then(|u| chrono::NaiveDate::parse_from_str(&u, "%Y-%m-%d").ok());
        if until.is_some_and(|u| u < today) && !needed.contains(&id) {
            continue;
        }
        let from: Option<String> = col(r, "valid_from")?;
        let sha: String = col(r, "sha256")?;
        let ext: String = col(r, "ext")?;
        let level: String = col(r, "level")?;
        let stations = bound.get(&id).cloned().unwrap_or_default();
        clips.push(Clip {
            stations,
            id,
            title: col(r, "title")?,
            category: col(r, "category")?,
            lang: col(r, "lang")?,
            path: feed_path(&sha, &ext),
            sha256: sha,
            bytes: u64::try_from(col::<i64>(r, "bytes")?).unwrap_or(0),
            duration_s: Some(col::<i64>(r, "duration_ms")? as f64 / 1000.0),
            valid_from: from.and_then(|f| chrono::NaiveDate::parse_from_str(&f, "%Y-%m-%d").ok()),
            valid_until: until,
            areas: split(&col::<String>(r, "areas")?),
            level: if level == "priority" {
                ClipLevel::Priority
            } else {
                ClipLevel::Normal
            },
        });
    }

    // A broadcast whose clip was withdrawn after it aired leaves the feed
    // with it (a manifest never names a clip it does not hold).
    let ids: HashSet<&str> = clips.iter().map(|c| c.id.as_str()).collect();
    broadcasts.retain(|b| {
        let whole = b.play.iter().all(|p| ids.contains(p.as_str()));
        if !whole {
            tracing::info!(
                "hub: broadcast {:?} leaves the feed: a clip it played was withdrawn",
                b.id
            );
        }
        whole
    });
    let cfg = state.cfg.clone();
    let key = state.key.clone();
    let published = tokio::task::spawn_blocking(move || -> HubResult<u64> {
        let feed = cfg.feed_dir();
        let dir = feed.join(CLIPS_DIR);
        std::fs::create_dir_all(&dir)?;
        for c in &clips {
            let target = feed.join(&c.path);
            if !target.exists() {
                let name = Path::new(&c.path).file_name().unwrap_or_default();
                let src = cfg.uploads_dir().join(name);
                std::fs::hard_link(&src, &target)
                    .or_else(|_| std::fs::copy(&src, &target).map(|_| ()))
                    .map_err(|e| {
                        HubError::internal(format!(
                            "cannot put {} into the feed: {e}",
                            src.display()
                        ))
                    })?;
            }
        }
        let p = publish_manifest(&feed, &key, clips.clone(), broadcasts, DEFAULT_EXPIRES, now)
            .map_err(|e| HubError::internal(format!("cannot publish the feed: {e}")))?;
        // Files no manifest lists any more leave the feed folder.
        let keep: HashSet<String> = clips
            .iter()
            .filter_map(|c| {
                Path::new(&c.path)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .collect();
        for entry in std::fs::read_dir(&dir)?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !keep.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        write_public_key(&cfg.feed_dir(), &key)?;
        Ok(p.sequence)
    })
    .await
    .map_err(HubError::internal)??;
    tracing::info!("hub: feed published, sequence {published}");
    super::nudge::raise(&state.db, &state.link, published).await?;
    Ok(published)
}

fn local(tz: chrono_tz::Tz, at: i64) -> HubResult<DateTime<chrono::FixedOffset>> {
    tz.timestamp_opt(at, 0)
        .single()
        .map(|d| d.fixed_offset())
        .ok_or_else(|| HubError::internal(format!("time {at} is out of range")))
}

/// `STATE/feed/minisign.pub` in minisign's format (second line = `public_key`).
pub fn write_public_key(feed_dir: &Path, key: &minisign::SecretKey) -> HubResult<()> {
    let pk = crate::feed::sign::public_key_of(key).map_err(HubError::internal)?;
    let path = feed_dir.join(crate::feed::keygen::PUBLIC_KEY_FILE);
    let text = format!("untrusted comment: loa hub feed public key\n{pk}\n");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::create_dir_all(feed_dir)?;
        let tmp = feed_dir.join(".minisign.pub.new");
        std::fs::write(&tmp, &text)?;
        std::fs::rename(&tmp, &path)?;
    }
    Ok(())
}

/// Publish when there is no feed yet or it expires soon.
pub async fn ensure_fresh(state: &AppState) -> HubResult<()> {
    let path = state.cfg.feed_dir().join(MANIFEST_FILE);
    let stale = match std::fs::read(&path) {
        Ok(bytes) => match Manifest::parse(&bytes) {
            Ok(m) => {
                let left = m.expires_at.with_timezone(&chrono::Utc) - chrono::Utc::now();
                left.to_std().map(|d| d < REFRESH_BEFORE).unwrap_or(true)
            }
            Err(_) => true,
        },
        Err(_) => true,
    };
    if stale {
        publish_now(state).await?;
    } else {
        write_public_key(&state.cfg.feed_dir(), &state.key)?;
    }
    // Stations' timetable documents too (`hub::timetable`).
    super::timetable::refresh(state).await
}

/// Every hour: keep the feed from going stale while nothing is approved.
pub async fn refresh_loop(state: AppState) {
    loop {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        if let Err(e) = ensure_fresh(&state).await {
            tracing::error!("hub: cannot refresh the feed: {:?}", e.to_string());
        }
    }
}
