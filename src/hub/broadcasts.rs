//! Pushed broadcasts (HUB.md): an editor proposes `{title, at | now, play,
//! priority, areas}`; it goes through the clips' approval rules (approver in
//! scope, never the author); once approved it is in the signed feed at once.
//! Priority ≥ 100 is an emergency (khẩn cấp). `now` is fixed to the instant of
//! approval. Owns the `broadcasts` table.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::app::AppState;
use super::auth::session::audit_event;
use super::auth::ClientAddr;
use super::clips;
use super::db::{col, join, now_s, split};
use super::error::{HubError, HubResult};
use super::scope;
use super::users::{Role, User};
use crate::feed::manifest::check_id;

/// `at` stored for "now": fixed when approved.
const AT_NOW: i64 = 0;
pub const EMERGENCY: i64 = 100;

/// What an editor proposes.
#[derive(Debug, Clone, Deserialize)]
pub struct Proposal {
    #[serde(default)]
    pub id: Option<String>,
    pub title: String,
    /// RFC 3339.
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub now: bool,
    pub play: Vec<String>,
    #[serde(default = "default_priority")]
    pub priority: i64,
    #[serde(default)]
    pub areas: Vec<String>,
}

fn default_priority() -> i64 {
    i64::from(crate::config::DEFAULT_PRIORITY)
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BroadcastInfo {
    pub id: String,
    pub title: String,
    /// Unix seconds; `null` = now, at approval.
    pub at: Option<i64>,
    pub play: Vec<String>,
    pub priority: i64,
    pub emergency: bool,
    pub areas: Vec<String>,
    pub state: String,
    pub reason: Option<String>,
    pub created_by: i64,
    pub created_at: i64,
    pub decided_by: Option<i64>,
}

const COLUMNS: &str =
    "id, title, at, play, priority, areas, state, reason, created_by, created_at, decided_by, updated_at";

fn from_row(r: &sqlx::any::AnyRow) -> HubResult<BroadcastInfo> {
    let at: i64 = col(r, "at")?;
    let priority: i64 = col(r, "priority")?;
    Ok(BroadcastInfo {
        id: col(r, "id")?,
        title: col(r, "title")?,
        at: (at != AT_NOW).then_some(at),
        play: split(&col::<String>(r, "play")?),
        priority,
        emergency: priority >= EMERGENCY,
        areas: split(&col::<String>(r, "areas")?),
        state: col(r, "state")?,
        reason: col(r, "reason")?,
        created_by: col(r, "created_by")?,
        created_at: col(r, "created_at")?,
        decided_by: col(r, "decided_by")?,
    })
}

fn bad(vi: String, en: String) -> HubError {
    HubError::invalid(vi, en)
}

fn not_found(id: &str) -> HubError {
    HubError::not_found(
        format!("không có lượt phát `{id}`"),
        format!("no broadcast `{id}`"),
    )
}

pub async fn get_any(state: &AppState, id: &str) -> HubResult<BroadcastInfo> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM broadcasts WHERE id = $1"))
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| not_found(id))?;
    from_row(&row)
}

/// Every broadcast, newest first (staff with any role may read the list).
pub async fn list(state: &AppState) -> HubResult<Vec<BroadcastInfo>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM broadcasts ORDER BY created_at DESC, id"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// An approved or pending broadcast that plays `clip` and has not aired yet.
pub async fn live_using(state: &AppState, clip: &str) -> HubResult<Option<String>> {
    let rows =
        sqlx::query("SELECT id, play, at FROM broadcasts WHERE state IN ('submitted', 'approved')")
            .fetch_all(&state.db.pool)
            .await?;
    let now = now_s();
    for r in &rows {
        let at: i64 = col(r, "at")?;
        if split(&col::<String>(r, "play")?).iter().any(|p| p == clip)
            && (at == AT_NOW || at > now - 3600)
        {
            return Ok(Some(col(r, "id")?));
        }
    }
    Ok(None)
}

/// Propose a pushed broadcast (state `submitted`).
pub async fn propose(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    p: Proposal,
) -> HubResult<BroadcastInfo> {
    scope::require(user, Role::Editor)?;
    let title = clips::check_title(&p.title)?;
    let at = match (&p.at, p.now) {
        (Some(_), true) => {
            return Err(bad(
                "chọn `at` hoặc `now`, không chọn cả hai".into(),
                "give `at` or `now`, not both".into(),
            ))
        }
        (None, false) => {
            return Err(bad(
                "cần thời điểm phát (`at`) hoặc `now`".into(),
                "give `at` (RFC 3339) or `now: true`".into(),
            ))
        }
        (None, true) => AT_NOW,
        (Some(s), false) => {
            let t = chrono::DateTime::parse_from_rfc3339(s).map_err(|_| {
                bad(
                    format!("thời điểm `{s}` không đúng dạng RFC 3339"),
                    format!("`at` {s} is not RFC 3339 (e.g. 2026-11-28T17:15:00+07:00)"),
                )
            })?;
            if t.timestamp() <= now_s() {
                return Err(bad(
                    format!("thời điểm {s} đã qua"),
                    format!("`at` {s} is not in the future"),
                ));
            }
            t.timestamp()
        }
    };
    if !(1..=1000).contains(&p.priority) {
        return Err(bad(
            "độ ưu tiên phải từ 1 đến 1000".into(),
            "priority must be 1..=1000".into(),
        ));
    }
    if p.play.is_empty() {
        return Err(bad(
            "cần ít nhất một bản tin để phát".into(),
            "`play` needs at least one clip id".into(),
        ));
    }
    for c in &p.play {
        let clip = clips::get(state, user, c).await?;
        if matches!(clip.state.as_str(), "rejected" | "withdrawn") {
            return Err(HubError::conflict(
                format!("bản tin `{c}` đã bị {}", clip.state),
                format!("clip `{c}` is {}", clip.state),
            ));
        }
    }
    let tree = state.area_tree(&p.areas).await?;
    let areas = scope::target_areas(&tree, user, p.areas)?;
    let id = match p.id {
        Some(id) => {
            check_id(&id).map_err(|e| {
                bad(
                    format!("mã `{id}` không hợp lệ"),
                    format!("broadcast id `{id}`: {e}"),
                )
            })?;
            id
        }
        None => {
            let mut base = crate::feed::publish::slug(&title);
            base.truncate(40);
            let base = base.trim_matches('-').to_string();
            format!(
                "{}-{}",
                if base.is_empty() { "phat" } else { &base },
                super::auth::password::random_token(3)
            )
        }
    };
    let taken = || {
        HubError::conflict(
            format!("mã `{id}` đã có"),
            format!("broadcast id `{id}` is already taken"),
        )
    };
    if sqlx::query("SELECT id FROM broadcasts WHERE id = $1")
        .bind(&id)
        .fetch_optional(&state.db.pool)
        .await?
        .is_some()
    {
        return Err(taken());
    }
    let now = now_s();
    sqlx::query(&format!(
        "INSERT INTO broadcasts ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, 'submitted', NULL, $7, $8, NULL, $9)"
    ))
    .bind(&id)
    .bind(&title)
    .bind(at)
    .bind(join(&p.play))
    .bind(p.priority)
    .bind(join(&areas))
    .bind(user.id)
    .bind(now)
    .bind(now)
    .execute(&state.db.pool)
    .await
    .map_err(|_| taken())?;
    let b = get_any(state, &id).await?;
    let mut ev = audit_event(user, addr, "broadcast_propose", format!("broadcast:{id}"));
    ev.after = serde_json::to_string(&b).unwrap_or_default();
    state.audit(ev).await?;
    Ok(b)
}

fn wrong_state(id: &str, st: &str, want: &str) -> HubError {
    HubError::conflict(
        format!("lượt phát `{id}` đang ở trạng thái {st}, không thể {want}"),
        format!("broadcast `{id}` is {st}: it cannot be {want}"),
    )
}

/// One life-cycle step: the new state, its reason, the fixed instant, the audit action.
struct Step<'a> {
    to: &'a str,
    reason: Option<String>,
    at: Option<i64>,
    action: &'a str,
}

async fn transition(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    before: &BroadcastInfo,
    step: Step<'_>,
) -> HubResult<BroadcastInfo> {
    let Step {
        to,
        reason,
        at,
        action,
    } = step;
    let changed = sqlx::query(
        "UPDATE broadcasts SET state = $1, reason = $2, decided_by = $3, updated_at = $4, at = $5 WHERE id = $6 AND state = $7",
    )
    .bind(to)
    .bind(reason)
    .bind(user.id)
    .bind(now_s())
    .bind(at.or(before.at).unwrap_or(AT_NOW))
    .bind(&before.id)
    .bind(&before.state)
    .execute(&state.db.pool)
    .await?;
    if changed.rows_affected() == 0 {
        let now = get_any(state, &before.id).await?;
        return Err(wrong_state(&before.id, &now.state, to));
    }
    let after = get_any(state, &before.id).await?;
    if to == "approved" || before.state == "approved" {
        super::publish::publish_now(state).await?;
    }
    let mut ev = audit_event(user, addr, action, format!("broadcast:{}", before.id));
    ev.before = json!({"state": before.state, "at": before.at}).to_string();
    ev.after = json!({"state": after.state, "at": after.at, "reason": after.reason}).to_string();
    state.audit(ev).await?;
    Ok(after)
}

/// submitted → approved: every clip it plays must be approved already.
pub async fn approve(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    id: &str,
) -> HubResult<BroadcastInfo> {
    let b = get_any(state, id).await?;
    let tree = state.area_tree(&b.areas).await?;
    scope::may_decide(&tree, user, b.created_by, &b.areas)?;
    if b.state != "submitted" {
        return Err(wrong_state(id, &b.state, "approved"));
    }
    for c in &b.play {
        let clip = clips::get_any(state, c).await?;
        if clip.state != "approved" {
            return Err(HubError::conflict(
                format!("hãy phê duyệt bản tin `{c}` trước (đang {})", clip.state),
                format!("approve clip `{c}` first (it is {})", clip.state),
            ));
        }
    }
    let at = match b.at {
        None => now_s(),
        Some(t) if t <= now_s() => {
            return Err(HubError::conflict(
                "thời điểm phát đã qua; hãy đề xuất lại",
                "the broadcast's time has passed; propose it again",
            ))
        }
        Some(t) => t,
    };
    transition(
        state,
        user,
        addr,
        &b,
        Step {
            to: "approved",
            reason: None,
            at: Some(at),
            action: "broadcast_approve",
        },
    )
    .await
}

pub async fn reject(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    id: &str,
    reason: &str,
) -> HubResult<BroadcastInfo> {
    let b = get_any(state, id).await?;
    let tree = state.area_tree(&b.areas).await?;
    scope::may_decide(&tree, user, b.created_by, &b.areas)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(bad(
            "cần nêu lý do từ chối".into(),
            "a rejection needs a reason".into(),
        ));
    }
    if b.state != "submitted" {
        return Err(wrong_state(id, &b.state, "rejected"));
    }
    transition(
        state,
        user,
        addr,
        &b,
        Step {
            to: "rejected",
            reason: Some(reason.to_string()),
            at: None,
            action: "broadcast_reject",
        },
    )
    .await
}

pub async fn withdraw(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    id: &str,
) -> HubResult<BroadcastInfo> {
    let b = get_any(state, id).await?;
    let tree = state.area_tree(&b.areas).await?;
    let may = b.created_by == user.id
        || user.has(Role::Admin)
        || (user.has(Role::Approver) && scope::covers(&tree, user, &b.areas));
    if !may {
        return Err(HubError::forbidden(
            "chỉ người soạn, người phê duyệt của địa bàn hoặc quản trị mới thu hồi được",
            "only the author, an approver of its areas or an admin withdraws a broadcast",
        ));
    }
    if b.state == "withdrawn" {
        return Err(wrong_state(id, &b.state, "withdrawn"));
    }
    transition(
        state,
        user,
        addr,
        &b,
        Step {
            to: "withdrawn",
            reason: None,
            at: None,
            action: "broadcast_withdraw",
        },
    )
    .await
}
