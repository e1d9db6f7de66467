//! Fixing a rejected clip: its author changes the title, category and areas
//! (and may replace the audio) and sends it for approval again. The
//! rejection's reason stays on the clip (the approver sees what was asked
//! for); the step is audited as `clip_resubmit`. Nothing else edits a clip.

use super::app::AppState;
use super::auth::session::audit_event;
use super::auth::ClientAddr;
use super::clips::{check_category, check_title, field, get, get_any, store_audio, ClipInfo};
use super::db::{join, now_s, split};
use super::error::{HubError, HubResult};
use super::lifecycle::{self, Reviewed};
use super::scope;
use super::upload::Upload;
use super::users::User;

/// May `user` fix and resubmit `c`? Its author, once rejected.
pub fn may_resubmit(user: &User, c: &ClipInfo) -> bool {
    c.created_by == user.id && c.state == "rejected"
}

/// rejected → submitted with the form's title, category, areas and,
/// when a file came, the new audio. Checks everything before any change.
pub async fn resubmit(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    id: &str,
    mut up: Upload,
) -> HubResult<ClipInfo> {
    let c = get(state, user, id).await?;
    if c.created_by != user.id {
        return Err(HubError::forbidden("err-only-clip-s-author-fixes"));
    }
    if c.state != "rejected" {
        return Err(lifecycle::wrong_state(
            &ClipInfo::KIND,
            id,
            &c.state,
            "submitted",
        ));
    }
    if let Some(e) = up.file_error.take() {
        return Err(e);
    }
    let title = check_title(field(&up, "title").unwrap_or(""))?;
    let category = check_category(field(&up, "category").unwrap_or(""))?;
    // A local announcement keeps its stations' areas.
    let areas = if c.stations.is_empty() {
        let asked = field(&up, "areas").map(split).unwrap_or_default();
        let tree = state.area_tree(&asked).await?;
        scope::target_areas(&tree, user, asked)?
    } else {
        c.areas.clone()
    };
    let audio = match up.file.take() {
        Some(f) => Some(store_audio(state, f).await?),
        None => None,
    };
    let now = now_s();
    let mut tx = state.db.begin_write().await?;
    let changed = match &audio {
        Some((m, sha, ext, bytes)) => sqlx::query(
            "UPDATE clips SET title = $1, category = $2, areas = $3, state = 'submitted', \
             updated_at = $4, ext = $5, sha256 = $6, bytes = $7, duration_ms = $8, lufs = $9 \
             WHERE id = $10 AND state = 'rejected'",
        )
        .bind(&title)
        .bind(&category)
        .bind(join(&areas))
        .bind(now)
        .bind(*ext)
        .bind(sha)
        .bind(*bytes)
        .bind(m.duration_ms)
        .bind(m.lufs)
        .bind(id),
        None => sqlx::query(
            "UPDATE clips SET title = $1, category = $2, areas = $3, state = 'submitted', \
             updated_at = $4 WHERE id = $5 AND state = 'rejected'",
        )
        .bind(&title)
        .bind(&category)
        .bind(join(&areas))
        .bind(now)
        .bind(id),
    }
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
        drop(tx);
        let now = get_any(state, id).await?;
        return Err(lifecycle::wrong_state(
            &ClipInfo::KIND,
            id,
            &now.state,
            "submitted",
        ));
    }
    sqlx::query("DELETE FROM clip_areas WHERE clip_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for a in &areas {
        sqlx::query("INSERT INTO clip_areas (clip_id, code) VALUES ($1, $2)")
            .bind(id)
            .bind(a)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    let after = get_any(state, id).await?;
    let mut ev = audit_event(user, addr, "clip_resubmit", format!("clip:{id}"));
    ev.before = serde_json::to_string(&c).unwrap_or_default();
    ev.after = serde_json::to_string(&after).unwrap_or_default();
    state.audit(ev).await?;
    Ok(after)
}
