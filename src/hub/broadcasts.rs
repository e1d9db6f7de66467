//! Pushed broadcasts (HUB.md): an editor proposes `{title, at | now, play,
//! priority, areas}`; it goes through the clips' life cycle (`lifecycle.rs`:
//! approver in scope, never the author); once approved it is in the signed
//! feed at once. Its own rules: approval waits for every clip it plays to be
//! approved, and `now` is fixed to the instant of approval. Priority ≥ 100 is
//! an emergency (khẩn cấp). Owns the `broadcasts` table.

use std::future::Future;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::app::AppState;
use super::auth::session::audit_event;
use super::auth::ClientAddr;
use super::clips;
use super::db::{col, join, now_s, split};
use super::error::{HubError, HubResult};
use super::lifecycle::{self, Kind, Reviewed};
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

pub async fn get_any(state: &AppState, id: &str) -> HubResult<BroadcastInfo> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM broadcasts WHERE id = $1"))
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| lifecycle::not_found(&BroadcastInfo::KIND, id))?;
    from_row(&row)
}

/// The broadcasts `user` may see (`scope::sees`: its own, or areas that
/// overlap its scope), newest first.
pub async fn list(state: &AppState, user: &User) -> HubResult<Vec<BroadcastInfo>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM broadcasts ORDER BY created_at DESC, id"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let tree = state.area_tree(&[]).await?;
    let mut out = vec![];
    for r in &rows {
        let b = from_row(r)?;
        if scope::sees(&tree, user, b.created_by, &b.areas) {
            out.push(b);
        }
    }
    Ok(out)
}

/// A broadcast `user` may see; any other answers exactly like a missing one
/// (404), so ids outside the scope do not leak.
pub async fn get(state: &AppState, user: &User, id: &str) -> HubResult<BroadcastInfo> {
    let b = get_any(state, id).await?;
    let tree = state.area_tree(&b.areas).await?;
    if scope::sees(&tree, user, b.created_by, &b.areas) {
        Ok(b)
    } else {
        Err(lifecycle::not_found(&BroadcastInfo::KIND, id))
    }
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
        (Some(_), true) => return Err(HubError::invalid("err-give-at-now-not-both")),
        (None, false) => return Err(HubError::invalid("err-give-at-rfc-3339-now")),
        (None, true) => AT_NOW,
        (Some(s), false) => {
            let t = chrono::DateTime::parse_from_rfc3339(s)
                .map_err(|_| HubError::invalid("err-at-not-rfc-3339-2026").arg("s", s))?;
            if t.timestamp() <= now_s() {
                return Err(HubError::invalid("err-at-not-in-future").arg("s", s));
            }
            t.timestamp()
        }
    };
    if !(1..=1000).contains(&p.priority) {
        return Err(HubError::invalid("err-priority-must-be-1-1000"));
    }
    if p.play.is_empty() {
        return Err(HubError::invalid("err-play-needs-at-least-one"));
    }
    for c in &p.play {
        let clip = clips::get(state, user, c).await?;
        if matches!(clip.state.as_str(), "rejected" | "withdrawn") {
            return Err(HubError::conflict("err-clip-is-state")
                .arg("c", c)
                .arg("state", &clip.state));
        }
    }
    let tree = state.area_tree(&p.areas).await?;
    let areas = scope::target_areas(&tree, user, p.areas)?;
    let id = match p.id {
        Some(id) => {
            check_id(&id)
                .map_err(|_| HubError::invalid("err-broadcast-id-invalid").arg("id", &id))?;
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
    let taken = || HubError::conflict("err-broadcast-id-already-taken").arg("id", &id);
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

impl Reviewed for BroadcastInfo {
    const KIND: Kind = Kind {
        table: "broadcasts",
        en: "broadcast",
    };
    const COLUMNS: &'static str = COLUMNS;
    fn from_row(r: &sqlx::any::AnyRow) -> HubResult<Self> {
        from_row(r)
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn state(&self) -> &str {
        &self.state
    }
    fn author(&self) -> i64 {
        self.created_by
    }
    fn areas(&self) -> &[String] {
        &self.areas
    }
    fn load(state: &AppState, id: &str) -> impl Future<Output = HubResult<Self>> + Send {
        get_any(state, id)
    }
    fn audit_before(&self) -> Value {
        json!({"state": self.state, "at": self.at})
    }
    fn audit_after(&self) -> Value {
        json!({"state": self.state, "at": self.at, "reason": self.reason})
    }
    /// Every step writes `at`: the one approval fixes, else the stored one.
    fn fixed(&self, step: Option<i64>) -> Option<(&'static str, i64)> {
        Some(("at", step.or(self.at).unwrap_or(AT_NOW)))
    }
    /// Every clip it plays must be approved already, and its time still
    /// ahead; `now` is fixed to this instant.
    async fn ready_to_approve(&self, state: &AppState) -> HubResult<Option<i64>> {
        for c in &self.play {
            let clip = clips::get_any(state, c).await?;
            if clip.state != "approved" {
                return Err(HubError::conflict("err-approve-clip-first")
                    .arg("c", c)
                    .arg("state", &clip.state));
            }
        }
        match self.at {
            None => Ok(Some(now_s())),
            Some(t) if t <= now_s() => Err(HubError::conflict("err-broadcast-s-time-has-passed")),
            Some(t) => Ok(Some(t)),
        }
    }
}
