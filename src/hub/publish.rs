//! The hub's feed: SPEC.md's manifest of every approved clip and pushed
//! broadcast, re-signed whole (sequence + 1) after each approval or
//! withdrawal, and before it could go stale; stored in the database
//! (`feed_manifests`, the source of truth every hub process serves, see
//! `hub::store`) and copied into the `STATE/feed/` cache.
//!
//! Recovery: `reconcile` re-signs whenever the newest stored manifest does
//! not match the approved set, at start and every minute, so a crash or a
//! failed publish between an approval's commit and its re-sign heals itself.
//! Unapproved audio never enters the feed.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, TimeZone};

use sha2::{Digest, Sha256};

use super::app::AppState;
use super::db::{col, now_s, split};
use super::error::{HubError, HubResult};
use super::store;
use crate::feed::manifest::{Broadcast, Clip, ClipLevel, Manifest, FORMAT_VERSION};
use crate::feed::publish::{CLIPS_DIR, DEFAULT_EXPIRES, MANIFEST_FILE, SIGNATURE_FILE};
use crate::feed::sign;

/// Re-sign when the manifest expires within this long.
const REFRESH_BEFORE: Duration = Duration::from_secs(10 * 24 * 3600);
/// Broadcasts this long past their instant leave the feed.
const BROADCAST_KEEP_S: i64 = 2 * 24 * 3600;
/// Signed manifests kept in `feed_manifests` behind the newest.
const KEEP_MANIFESTS: i64 = 100;

/// The feed path of a stored clip.
pub fn feed_path(sha256: &str, ext: &str) -> String {
    format!("{CLIPS_DIR}/{sha256}.{ext}")
}

/// Rebuild, sign and publish the feed from the database (sequence + 1, even
/// when nothing changed); returns the new sequence.
pub async fn publish_now(state: &AppState) -> HubResult<u64> {
    publish(state, true).await
}

/// Re-sign only when the newest stored manifest no longer matches the
/// approved set (a crash or a failed publish after an approval was
/// committed), expires within `REFRESH_BEFORE`, or lies at or below a
/// restore's sequence floor; returns the sequence now published.
pub async fn reconcile(state: &AppState) -> HubResult<u64> {
    publish(state, false).await
}

/// "read state → build manifest → sequence + 1 → sign → store" in one write
/// transaction that holds the cross-process feed lock (PostgreSQL advisory
/// lock; SQLite's write transaction), so no two processes ever sign two
/// manifests with one sequence (the primary key would refuse it anyway).
/// Then the feed folder cache and the nudge, after the commit.
async fn publish(state: &AppState, always: bool) -> HubResult<u64> {
    let _g = state.publish_lock.lock().await;
    let tz = state.cfg.timezone;
    let now = chrono::Utc::now().with_timezone(&tz).fixed_offset();
    let mut tx = state.db.begin_write().await?;
    store::lock_feed(state.db.dialect, &mut tx).await?;
    let (clips, broadcasts) = wanted(state, &mut tx, now).await?;
    let last = store::latest_in(&mut tx).await?;
    let floor = u64::try_from(store::meta(&mut tx, store::FEED_FLOOR).await?).unwrap_or(0);
    let last_seq = last.as_ref().map_or(0, |l| l.sequence);
    if !always {
        let old = last
            .as_ref()
            .and_then(|l| Manifest::parse(l.manifest.as_bytes()).ok());
        let holds = old
            .as_ref()
            .is_some_and(|o| o.clips == clips && o.broadcasts == broadcasts);
        let fresh = old.as_ref().is_some_and(|o| {
            let left = o.expires_at.with_timezone(&chrono::Utc) - chrono::Utc::now();
            left.to_std().is_ok_and(|d| d >= REFRESH_BEFORE)
        });
        if holds && fresh && last_seq > floor {
            drop(tx);
            return Ok(last_seq);
        }
        if !holds {
            // An approval committed but never signed (a crash, a full disk).
            tracing::warn!(
                "hub: the feed is behind the database (sequence {last_seq} does not hold the approved set): re-signing"
            );
        }
    }
    let sequence = last_seq.max(floor) + 1;
    let expires = chrono::Duration::from_std(DEFAULT_EXPIRES).map_err(HubError::internal)?;
    let m = Manifest {
        loa_feed: FORMAT_VERSION,
        sequence,
        published_at: now,
        expires_at: now + expires,
        clips,
        broadcasts,
    };
    let bad = |e: String| HubError::internal(format!("cannot publish the feed: {e}"));
    m.check().map_err(|e| bad(e.to_string()))?;
    let bytes = m.to_bytes();
    Manifest::parse(&bytes).map_err(|e| bad(e.to_string()))?;
    let comment = format!(
        "timestamp:{}\tfile:{MANIFEST_FILE}\tsequence:{sequence}",
        now.timestamp()
    );
    let sig = sign::sign(&bytes, &state.key, &comment).map_err(|e| bad(e.to_string()))?;
    let text = String::from_utf8(bytes.clone()).map_err(|e| bad(e.to_string()))?;
    sqlx::query(
        "INSERT INTO feed_manifests (sequence, manifest, signature, sha256, published_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(sequence as i64)
    .bind(&text)
    .bind(&sig)
    .bind(hex::encode(Sha256::digest(&bytes)))
    .bind(now.timestamp())
    .execute(&mut *tx)
    .await?;
    // The history stays short: stations only ever need the newest.
    sqlx::query("DELETE FROM feed_manifests WHERE sequence < $1")
        .bind(sequence as i64 - KEEP_MANIFESTS)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!("hub: feed published, sequence {sequence}");
    if let Err(e) = store::cache::sync_feed(state).await {
        // The database is the truth and /feed/ serves from it; the folder
        // catches up at the next publish or refresh.
        tracing::warn!("hub: feed folder not refreshed: {e}");
    }
    super::nudge::raise(&state.db, &state.link, sequence).await?;
    Ok(sequence)
}

/// The clips and pushed broadcasts the feed should hold now, read inside
/// the publishing transaction.
async fn wanted(
    state: &AppState,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    now: DateTime<chrono::FixedOffset>,
) -> HubResult<(Vec<Clip>, Vec<Broadcast>)> {
    let tz = state.cfg.timezone;
    let today = now.date_naive();
    let rows = sqlx::query(
        "SELECT id, at, title, play, priority, areas FROM broadcasts WHERE state = 'approved' AND at >= $1 ORDER BY at, id",
    )
    .bind(now_s() - BROADCAST_KEEP_S)
    .fetch_all(&mut **tx)
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
    .fetch_all(&mut **tx)
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
    Ok((clips, broadcasts))
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

/// A hub upgraded from before issue 17 has its feed only in `STATE/feed/`:
/// take that manifest (verified with the hub's key) into the database, so
/// the sequence goes on from it.
async fn adopt_folder(state: &AppState) -> HubResult<()> {
    if store::latest(&state.db).await?.is_some() {
        return Ok(());
    }
    let feed = state.cfg.feed_dir();
    let (Ok(bytes), Ok(sig)) = (
        std::fs::read(feed.join(MANIFEST_FILE)),
        std::fs::read_to_string(feed.join(SIGNATURE_FILE)),
    ) else {
        return Ok(());
    };
    let pk = sign::public_key_of(&state.key).map_err(HubError::internal)?;
    let (Ok(()), Ok(m), Ok(text)) = (
        sign::verify(&bytes, &sig, &pk),
        Manifest::parse(&bytes),
        String::from_utf8(bytes.clone()),
    ) else {
        tracing::warn!("hub: the old feed folder's manifest does not verify; not taken over");
        return Ok(());
    };
    sqlx::query(
        "INSERT INTO feed_manifests (sequence, manifest, signature, sha256, published_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sequence) DO NOTHING",
    )
    .bind(m.sequence as i64)
    .bind(&text)
    .bind(&sig)
    .bind(hex::encode(Sha256::digest(&bytes)))
    .bind(m.published_at.timestamp())
    .execute(&state.db.pool)
    .await?;
    tracing::info!(
        "hub: feed sequence {} taken over from {}",
        m.sequence,
        feed.display()
    );
    Ok(())
}

/// At start and every hour: take over an old feed folder, put missing clip
/// bytes into the database (PostgreSQL), re-sign when the stored feed does
/// not match the approved set or expires soon, rebuild the folder cache,
/// and the same for stations' timetable documents (`hub::timetable`).
pub async fn ensure_fresh(state: &AppState) -> HubResult<()> {
    adopt_folder(state).await?;
    store::blobs::backfill(state).await?;
    reconcile(state).await?;
    store::cache::sync_feed(state).await?;
    super::timetable::refresh(state).await
}

/// Every minute: re-sign if the stored feed lags the approved set (a
/// publish that failed after its approval was committed); every hour, the
/// whole `ensure_fresh`.
pub async fn refresh_loop(state: AppState) {
    let mut n = 0u32;
    loop {
        tokio::time::sleep(Duration::from_secs(60)).await;
        n += 1;
        let r = if n.is_multiple_of(60) {
            ensure_fresh(&state).await
        } else {
            reconcile(&state).await.map(|_| ())
        };
        if let Err(e) = r {
            tracing::error!("hub: cannot refresh the feed: {:?}", e.to_string());
        }
    }
}
