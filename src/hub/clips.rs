//! The clip service: uploads become clips (checked, measured, stored by hash
//! in `STATE/clips/`), and the life cycle draft → submitted → approved |
//! rejected → withdrawn, with HUB.md's role and scope rules. Approval and
//! withdrawal of an approved clip re-sign the feed at once. Every step is in
//! the audit log. Callable from the JSON API and the pages alike.
//!
//! Owns the `clips` and `clip_areas` tables and `STATE/clips/` (listing is
//! in `clip_list`).

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use super::app::AppState;
use super::auth::session::audit_event;
use super::auth::ClientAddr;
use super::config::OperatorClips;
use super::db::{col, join, now_s, split};
use super::error::{HubError, HubResult};
use super::local_clips;
use super::scope;
use super::upload::{self, Upload};
use super::users::{Role, User};
use crate::feed::manifest::check_id;

pub use super::clip_list::{list, list_page, ClipPage};

/// A clip as the API shows it (titles are data: escaping is the page's job).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClipInfo {
    pub id: String,
    pub title: String,
    pub category: String,
    pub lang: String,
    pub areas: Vec<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub level: String,
    pub state: String,
    pub reason: Option<String>,
    pub format: String,
    pub sha256: String,
    pub bytes: i64,
    pub duration_s: f64,
    pub lufs: Option<f64>,
    pub created_by: i64,
    pub created_at: i64,
    pub decided_by: Option<i64>,
    pub updated_at: i64,
    /// A local announcement's stations (empty: an ordinary clip).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stations: Vec<String>,
}

pub(super) const COLUMNS: &str =
    "id, title, category, lang, areas, valid_from, valid_until, level, state, reason, \
     ext, sha256, bytes, duration_ms, lufs, created_by, created_at, decided_by, updated_at";

pub(super) fn from_row(r: &sqlx::any::AnyRow) -> HubResult<ClipInfo> {
    Ok(ClipInfo {
        id: col(r, "id")?,
        title: col(r, "title")?,
        category: col(r, "category")?,
        lang: col(r, "lang")?,
        areas: split(&col::<String>(r, "areas")?),
        valid_from: col(r, "valid_from")?,
        valid_until: col(r, "valid_until")?,
        level: col(r, "level")?,
        state: col(r, "state")?,
        reason: col(r, "reason")?,
        format: col(r, "ext")?,
        sha256: col(r, "sha256")?,
        bytes: col(r, "bytes")?,
        duration_s: col::<i64>(r, "duration_ms")? as f64 / 1000.0,
        lufs: col(r, "lufs")?,
        created_by: col(r, "created_by")?,
        created_at: col(r, "created_at")?,
        decided_by: col(r, "decided_by")?,
        updated_at: col(r, "updated_at")?,
        stations: vec![],
    })
}

fn field<'a>(u: &'a Upload, name: &str) -> Option<&'a str> {
    u.fields
        .get(name)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
}

fn bad(vi: String, en: String) -> HubError {
    HubError::invalid(vi, en)
}

fn date(u: &Upload, name: &str) -> HubResult<Option<NaiveDate>> {
    field(u, name)
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                bad(
                    format!("{name} `{s}` không phải ngày dạng YYYY-MM-DD"),
                    format!("{name} `{s}` is not a date (YYYY-MM-DD)"),
                )
            })
        })
        .transpose()
}

/// A title: 1–200 characters, no control characters (any other text is kept as is).
pub fn check_title(title: &str) -> HubResult<String> {
    let t = title.trim();
    let n = t.chars().count();
    if n == 0 || n > 200 || t.chars().any(char::is_control) {
        return Err(bad(
            "tiêu đề cần 1–200 ký tự, không có ký tự điều khiển".into(),
            "the title needs 1–200 characters and no control characters".into(),
        ));
    }
    Ok(t.to_string())
}

/// An upload form → a stored clip (`submitted`, or `draft` with `draft=true`).
pub async fn create(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    mut up: Upload,
) -> HubResult<ClipInfo> {
    // A local announcement names its station(s): the operator's scope, not
    // an editor's (local_clips.rs).
    let stations = field(&up, "stations")
        .map(local_clips::parse_stations)
        .unwrap_or_default();
    if stations.is_empty() {
        scope::require(user, Role::Editor)?;
    }
    let title = check_title(field(&up, "title").unwrap_or(""))?;
    let category = field(&up, "category").unwrap_or("").to_string();
    check_id(&category).map_err(|e| {
        bad(
            format!("chuyên mục `{category}` không hợp lệ: chữ thường, chữ số, `.`, `_`, `-`"),
            format!("category `{category}`: {e}"),
        )
    })?;
    let lang = field(&up, "lang").unwrap_or("vi").to_string();
    if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(bad(
            format!("mã ngôn ngữ `{lang}` không hợp lệ (vd. vi, cjm)"),
            format!("language code `{lang}` is invalid (e.g. vi, cjm)"),
        ));
    }
    let level = field(&up, "level").unwrap_or("normal").to_string();
    if level != "normal" && level != "priority" {
        return Err(bad(
            format!("mức `{level}` không hợp lệ: thông thường (normal) hoặc ưu tiên (priority); khẩn cấp là phát ngay (broadcast)"),
            format!("level `{level}` is invalid: normal or priority (emergencies are pushed broadcasts)"),
        ));
    }
    let (from, until) = (date(&up, "valid_from")?, date(&up, "valid_until")?);
    if let (Some(f), Some(u)) = (from, until) {
        if f > u {
            return Err(bad(
                format!("ngày bắt đầu {f} sau ngày kết thúc {u}"),
                format!("valid_from {f} is after valid_until {u}"),
            ));
        }
    }
    let areas = if stations.is_empty() {
        let asked = field(&up, "areas").map(split).unwrap_or_default();
        let tree = state.area_tree(&asked).await?;
        scope::target_areas(&tree, user, asked)?
    } else {
        local_clips::station_scope(state, user, addr, &stations).await?
    };
    let id = match field(&up, "id") {
        Some(id) => {
            check_id(id).map_err(|e| {
                bad(
                    format!("mã bản tin `{id}` không hợp lệ"),
                    format!("clip id `{id}`: {e}"),
                )
            })?;
            id.to_string()
        }
        None => {
            let mut base = crate::feed::publish::slug(&title);
            base.truncate(40);
            let base = base.trim_matches('-').to_string();
            let base = if base.is_empty() {
                "ban-tin".to_string()
            } else {
                base
            };
            format!("{base}-{}", super::auth::password::random_token(3))
        }
    };
    let draft = field(&up, "draft") == Some("true");
    let file = up.file.take().ok_or_else(|| {
        bad(
            "chưa chọn tệp âm thanh (trường `file`)".into(),
            "no audio file (field `file`)".into(),
        )
    })?;
    if exists(state, &id).await? {
        return Err(HubError::conflict(
            format!("mã bản tin `{id}` đã có"),
            format!("clip id `{id}` is already taken: choose another id"),
        ));
    }
    let measured = upload::measure(&file.path).await?;
    let (sha, ext, bytes) = (file.sha256.clone(), file.ext, file.bytes as i64);
    std::fs::create_dir_all(state.cfg.uploads_dir())?;
    file.keep(&state.cfg.uploads_dir().join(format!("{sha}.{ext}")))?;
    let now = now_s();
    let st = if draft { "draft" } else { "submitted" };
    let mut tx = state.db.begin_write().await?;
    let inserted = sqlx::query(&format!(
        "INSERT INTO clips ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11, $12, $13, $14, $15, $16, NULL, $17)"
    ))
    .bind(&id)
    .bind(&title)
    .bind(&category)
    .bind(&lang)
    .bind(join(&areas))
    .bind(from.map(|d| d.to_string()))
    .bind(until.map(|d| d.to_string()))
    .bind(&level)
    .bind(st)
    .bind(ext)
    .bind(&sha)
    .bind(bytes)
    .bind(measured.duration_ms)
    .bind(measured.lufs)
    .bind(user.id)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await;
    if let Err(e) = inserted {
        drop(tx);
        // A racing upload with the same id: the primary key said no.
        if exists(state, &id).await? {
            return Err(HubError::conflict(
                format!("mã bản tin `{id}` đã có"),
                format!("clip id `{id}` is already taken: choose another id"),
            ));
        }
        return Err(e.into());
    }
    for a in &areas {
        sqlx::query("INSERT INTO clip_areas (clip_id, code) VALUES ($1, $2)")
            .bind(&id)
            .bind(a)
            .execute(&mut *tx)
            .await?;
    }
    local_clips::bind(&mut tx, &id, &stations).await?;
    tx.commit().await?;
    let clip = get_any(state, &id).await?;
    let mut ev = audit_event(user, addr, "clip_upload", format!("clip:{id}"));
    ev.after = serde_json::to_string(&clip).unwrap_or_default();
    state.audit(ev).await?;
    if !stations.is_empty() && !draft && state.cfg.operator_clips == OperatorClips::Direct {
        // hub.toml operator_clips = "direct": no review for local announcements.
        return transition(
            state,
            user,
            addr,
            &clip,
            "approved",
            None,
            "clip_approve_direct",
        )
        .await;
    }
    Ok(clip)
}

async fn exists(state: &AppState, id: &str) -> HubResult<bool> {
    Ok(sqlx::query("SELECT id FROM clips WHERE id = $1")
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .is_some())
}

fn not_found(id: &str) -> HubError {
    HubError::not_found(
        format!("không có bản tin `{id}`"),
        format!("no clip `{id}`"),
    )
}

/// A clip, whoever asks (services only).
pub async fn get_any(state: &AppState, id: &str) -> HubResult<ClipInfo> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM clips WHERE id = $1"))
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| not_found(id))?;
    let mut c = from_row(&row)?;
    c.stations = local_clips::stations_of(state, id).await?;
    Ok(c)
}

/// Whether `user` may see a clip: admins and viewers see all, others their
/// own and those inside their areas.
fn visible(tree: &super::areas::AreaTree, user: &User, c: &ClipInfo) -> bool {
    user.has(Role::Admin)
        || user.has(Role::Viewer)
        || c.created_by == user.id
        || scope::covers(tree, user, &c.areas)
}

/// A clip `user` may see (404 otherwise, so ids do not leak).
pub async fn get(state: &AppState, user: &User, id: &str) -> HubResult<ClipInfo> {
    let c = get_any(state, id).await?;
    let tree = state.area_tree(&[]).await?;
    if visible(&tree, user, &c) {
        Ok(c)
    } else {
        Err(not_found(id))
    }
}

/// The stored audio file of a clip `user` may see, and its content type.
pub async fn audio(
    state: &AppState,
    user: &User,
    id: &str,
) -> HubResult<(std::path::PathBuf, &'static str)> {
    let c = get(state, user, id).await?;
    let mime = match c.format.as_str() {
        "wav" => "audio/wav",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "flac" => "audio/flac",
        _ => "audio/mp4",
    };
    Ok((
        state
            .cfg
            .uploads_dir()
            .join(format!("{}.{}", c.sha256, c.format)),
        mime,
    ))
}

fn wrong_state(id: &str, st: &str, want: &str) -> HubError {
    HubError::conflict(
        format!("bản tin `{id}` đang ở trạng thái {st}, không thể {want}"),
        format!("clip `{id}` is {st}: it cannot be {want}"),
    )
}

/// Change a clip's state (only from `from_states`), audit it, and re-sign
/// the feed when the feed's content changed.
async fn transition(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    before: &ClipInfo,
    to: &str,
    reason: Option<String>,
    action: &str,
) -> HubResult<ClipInfo> {
    let changed = sqlx::query(
        "UPDATE clips SET state = $1, reason = $2, decided_by = $3, updated_at = $4 WHERE id = $5 AND state = $6",
    )
    .bind(to)
    .bind(reason)
    .bind(user.id)
    .bind(now_s())
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
    let mut ev = audit_event(user, addr, action, format!("clip:{}", before.id));
    ev.before = json!({"state": before.state}).to_string();
    ev.after = json!({"state": after.state, "reason": after.reason}).to_string();
    state.audit(ev).await?;
    Ok(after)
}

/// submitted → approved (in the signed feed at once).
pub async fn approve(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    id: &str,
) -> HubResult<ClipInfo> {
    let c = get_any(state, id).await?;
    let tree = state.area_tree(&c.areas).await?;
    scope::may_decide(&tree, user, c.created_by, &c.areas)?;
    if c.state != "submitted" {
        return Err(wrong_state(id, &c.state, "approved"));
    }
    transition(state, user, addr, &c, "approved", None, "clip_approve").await
}

/// submitted → rejected, with a reason.
pub async fn reject(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    id: &str,
    reason: &str,
) -> HubResult<ClipInfo> {
    let c = get_any(state, id).await?;
    let tree = state.area_tree(&c.areas).await?;
    scope::may_decide(&tree, user, c.created_by, &c.areas)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(bad(
            "cần nêu lý do từ chối".into(),
            "a rejection needs a reason".into(),
        ));
    }
    if c.state != "submitted" {
        return Err(wrong_state(id, &c.state, "rejected"));
    }
    transition(
        state,
        user,
        addr,
        &c,
        "rejected",
        Some(reason.to_string()),
        "clip_reject",
    )
    .await
}

/// draft → submitted, by its author.
pub async fn submit(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    id: &str,
) -> HubResult<ClipInfo> {
    let c = get(state, user, id).await?;
    if c.created_by != user.id {
        return Err(HubError::forbidden(
            "chỉ người soạn mới gửi duyệt được",
            "only the clip's author submits it",
        ));
    }
    if c.state != "draft" {
        return Err(wrong_state(id, &c.state, "submitted"));
    }
    transition(state, user, addr, &c, "submitted", None, "clip_submit").await
}

/// Any state but withdrawn → withdrawn (out of the feed): by its author, an
/// approver whose areas cover it, or an admin. Refused while an approved
/// broadcast still plays it.
pub async fn withdraw(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    id: &str,
) -> HubResult<ClipInfo> {
    let c = get_any(state, id).await?;
    let tree = state.area_tree(&c.areas).await?;
    let may = c.created_by == user.id
        || user.has(Role::Admin)
        || (user.has(Role::Approver) && scope::covers(&tree, user, &c.areas));
    if !may {
        return Err(HubError::forbidden(
            "chỉ người soạn, người phê duyệt của địa bàn hoặc quản trị mới thu hồi được",
            "only the author, an approver of its areas or an admin withdraws a clip",
        ));
    }
    if c.state == "withdrawn" {
        return Err(wrong_state(id, &c.state, "withdrawn"));
    }
    if let Some(b) = super::broadcasts::live_using(state, id).await? {
        return Err(HubError::conflict(
            format!("phát ngay `{b}` đang dùng bản tin này: hãy thu hồi nó trước"),
            format!("broadcast `{b}` plays this clip: withdraw the broadcast first"),
        ));
    }
    transition(state, user, addr, &c, "withdrawn", None, "clip_withdraw").await
}
