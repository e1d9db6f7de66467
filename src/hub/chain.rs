//! Acknowledging a station's as-run chain break. A break (`hub::asrun`)
//! stops the hub taking that station's lines, so nothing edited is merged;
//! someone must look and decide. An admin acknowledges it with a note (the box
//! was re-imaged, its card replaced…): the break goes on record for good in
//! `asrun_breaks` (who, when, why), the audit log gets a row, and in the
//! station's next batch of new lines one line may not follow: it starts a new
//! stretch of the chain (`resumed`); later batches are checked as before. Reports keep flagging the station for any range the break
//! falls in (`broken_between`).
//!
//! Owns the `asrun_breaks` table and `stations.asrun_resume|chain_break_at`.

use std::collections::HashSet;

use serde::Serialize;

use super::app::AppState;
use super::audit::Event;
use super::db::{col, now_s};
use super::error::{HubError, HubResult};
use super::users::{Role, User};

/// The longest note kept with an acknowledgment.
pub const MAX_NOTE: usize = 500;

/// One break on record.
#[derive(Debug, Clone, Serialize)]
pub struct Break {
    pub reason: String,
    /// The lines in doubt were scheduled after `gap_from` (the newest line the
    /// hub held) and before `detected_at`, Unix seconds.
    pub gap_from: i64,
    pub detected_at: i64,
    pub acknowledged_by: String,
    pub acknowledged_at: i64,
    pub note: String,
    /// The first line taken after the break, once the station sent one.
    pub resumed_hash: Option<String>,
}

/// Acknowledge `station`'s open break: admins only, with a note.
pub async fn acknowledge(
    state: &AppState,
    user: &User,
    address: &str,
    station: &str,
    note: &str,
) -> HubResult<Break> {
    if !user.has(Role::Admin) {
        return Err(HubError::forbidden("err-only-admin-may-acknowledge-as"));
    }
    // 404 for a station the admin cannot see, like every station route.
    super::heartbeat::one(state, user, station).await?;
    let note = note.trim();
    if note.is_empty() || note.chars().count() > MAX_NOTE {
        return Err(HubError::bad_request("err-field-note-say-why-1").arg("max_note", MAX_NOTE));
    }
    let mut tx = state.db.begin_write().await?;
    let row = sqlx::query("SELECT chain_break, chain_break_at FROM stations WHERE id = $1")
        .bind(station)
        .fetch_one(&mut *tx)
        .await?;
    let Some(reason) = col::<Option<String>>(&row, "chain_break")? else {
        return Err(HubError::conflict("err-chain-not-broken"));
    };
    let now = now_s();
    let detected_at = col::<Option<i64>>(&row, "chain_break_at")?.unwrap_or(now);
    // No line was taken since the break: the newest held is the one before it.
    let newest = sqlx::query("SELECT MAX(scheduled) AS newest FROM asrun WHERE station = $1")
        .bind(station)
        .fetch_one(&mut *tx)
        .await?;
    let gap_from = col::<Option<i64>>(&newest, "newest")?.unwrap_or(0);
    // Only if the break is still the one read (two admins at once).
    let cleared = sqlx::query(
        "UPDATE stations SET chain_break = NULL, chain_break_at = NULL, asrun_resume = 1 \
         WHERE id = $1 AND chain_break = $2",
    )
    .bind(station)
    .bind(&reason)
    .execute(&mut *tx)
    .await?;
    if cleared.rows_affected() != 1 {
        return Err(HubError::conflict("err-chain-break-acknowledged-meanwhile"));
    }
    sqlx::query(
        "INSERT INTO asrun_breaks (station, reason, gap_from, detected_at, acknowledged_by, acknowledged_at, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(station)
    .bind(&reason)
    .bind(gap_from)
    .bind(detected_at)
    .bind(&user.name)
    .bind(now)
    .bind(note)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::warn!(
        "hub: station {station:?}: as-run chain break acknowledged by {:?}: {note:?}",
        user.name
    );
    state
        .audit(Event {
            actor: user.name.clone(),
            address: address.into(),
            action: "asrun_break_ack".into(),
            target: format!("station:{station}"),
            before: serde_json::json!({ "chain_break": reason }).to_string(),
            after: serde_json::json!({ "chain_break": null, "note": note }).to_string(),
        })
        .await?;
    Ok(Break {
        reason,
        gap_from,
        detected_at,
        acknowledged_by: user.name.clone(),
        acknowledged_at: now,
        note: note.into(),
        resumed_hash: None,
    })
}

/// Inside an upload's transaction: the line `hash` starts the new stretch
/// after an acknowledgment (or, when the batch followed all along, is the
/// first line taken after it); the resumption is spent.
pub async fn resumed(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    station: &str,
    hash: &str,
) -> HubResult<()> {
    sqlx::query(
        "UPDATE asrun_breaks SET resumed_hash = $1 WHERE station = $2 AND resumed_hash IS NULL",
    )
    .bind(hash)
    .bind(station)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE stations SET asrun_resume = 0 WHERE id = $1")
        .bind(station)
        .execute(&mut **tx)
        .await?;
    tracing::info!("hub: station {station:?}: as-run chain resumed at {hash:?}");
    Ok(())
}

/// The breaks on record for `station`, newest first, if `user` may see it.
pub async fn list(state: &AppState, user: &User, station: &str) -> HubResult<Vec<Break>> {
    super::heartbeat::one(state, user, station).await?;
    let rows = sqlx::query(
        "SELECT reason, gap_from, detected_at, acknowledged_by, acknowledged_at, note, resumed_hash \
         FROM asrun_breaks WHERE station = $1 ORDER BY detected_at DESC, id DESC",
    )
    .bind(station)
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Break {
                reason: col(r, "reason")?,
                gap_from: col(r, "gap_from")?,
                detected_at: col(r, "detected_at")?,
                acknowledged_by: col(r, "acknowledged_by")?,
                acknowledged_at: col(r, "acknowledged_at")?,
                note: col(r, "note")?,
                resumed_hash: col(r, "resumed_hash")?,
            })
        })
        .collect()
}

/// Stations with an acknowledged break whose lines in doubt overlap
/// `[lo, hi)` (Unix seconds): their report rows for that range stay flagged.
pub async fn broken_between(state: &AppState, lo: i64, hi: i64) -> HubResult<HashSet<String>> {
    let rows = sqlx::query(
        "SELECT DISTINCT station FROM asrun_breaks WHERE gap_from < $2 AND detected_at >= $1",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter().map(|r| col(r, "station")).collect()
}
