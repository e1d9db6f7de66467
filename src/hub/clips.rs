//! The clip service: uploads become clips (checked, measured, stored by hash
//! in `STATE/clips/`), with HUB.md's role and scope rules. The life cycle
//! (draft → submitted → approved | rejected → withdrawn, audited, the feed
//! re-signed) is `lifecycle.rs`'s; here is what is a clip's own: submitting
//! a draft (its author only), direct approval of operators' local
//! announcements, and no withdrawal while a live broadcast plays the clip.
//! Callable from the JSON API and the pages alike.
//!
//! Owns the `clips` and `clip_areas` tables and `STATE/clips/` (listing is
//! in `clip_list`).

use std::future::Future;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{json, Value};

use super::app::AppState;
use super::auth::session::audit_event;
use super::auth::ClientAddr;
use super::config::OperatorClips;
use super::db::{col, join, now_s, split};
use super::error::{HubError, HubResult};
use super::lifecycle::{self, Kind, Reviewed, Step};
use super::local_clips;
use super::scope;
use super::upload::{self, Upload};
use super::users::{Role, User};
use crate::feed::manifest::check_id;

pub use super::clip_edit::resubmit;
pub use super::clip_list::{list, list_page, ClipPage, Search};

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
    /// A text bulletin's text, as written (`hub::tts`); none for audio uploads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// On the citizens' pages (`/p/AREA`, its podcast, embed, board) once
    /// approved; `public = false` at upload keeps it for staff and stations.
    pub public: bool,
}

pub(super) const COLUMNS: &str =
    "id, title, category, lang, areas, valid_from, valid_until, level, state, reason, \
     ext, sha256, bytes, duration_ms, lufs, created_by, created_at, decided_by, updated_at, text, public";

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
        text: col(r, "text")?,
        public: col::<i64>(r, "public")? != 0,
    })
}

pub(super) fn field<'a>(u: &'a Upload, name: &str) -> Option<&'a str> {
    u.fields
        .get(name)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
}

fn date(u: &Upload, name: &str) -> HubResult<Option<NaiveDate>> {
    field(u, name)
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                HubError::invalid("err-not-date-yyyy-mm-dd")
                    .arg("name", name)
                    .arg("s", s)
            })
        })
        .transpose()
}

/// A title: 1–200 characters, no control characters (any other text is kept as is).
pub fn check_title(title: &str) -> HubResult<String> {
    let t = title.trim();
    let n = t.chars().count();
    if n == 0 || n > 200 || t.chars().any(char::is_control) {
        return Err(HubError::invalid("err-title-needs-1-200-characters"));
    }
    Ok(t.to_string())
}

/// A category: a feed id (lowercase letters, digits, `.`, `_`, `-`).
pub fn check_category(category: &str) -> HubResult<String> {
    check_id(category)
        .map_err(|_| HubError::invalid("err-category-invalid").arg("category", category))?;
    Ok(category.to_string())
}

/// The upload's `public` field: absent, `true`/`1`/`on` → public (the
/// default), `false`/`0` → kept off the citizens' pages.
fn public_flag(u: &Upload) -> HubResult<bool> {
    match field(u, "public") {
        None | Some("true" | "1" | "on") => Ok(true),
        Some("false" | "0") => Ok(false),
        Some(v) => Err(HubError::invalid("err-public-flag").arg("value", v)),
    }
}

/// An upload form → a stored clip (`submitted`, or `draft` with `draft=true`).
pub async fn create(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    mut up: Upload,
) -> HubResult<ClipInfo> {
    if let Some(e) = up.file_error.take() {
        return Err(e);
    }
    // A local announcement names its station(s): the operator's scope, not
    // an editor's (local_clips.rs).
    let stations = field(&up, "stations")
        .map(local_clips::parse_stations)
        .unwrap_or_default();
    if stations.is_empty() {
        scope::require(user, Role::Editor)?;
    }
    let title = check_title(field(&up, "title").unwrap_or(""))?;
    let category = check_category(field(&up, "category").unwrap_or(""))?;
    let lang = field(&up, "lang").unwrap_or("vi").to_string();
    if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(HubError::invalid("err-language-code-invalid-vi-cjm").arg("lang", lang));
    }
    let level = field(&up, "level").unwrap_or("normal").to_string();
    if level != "normal" && level != "priority" {
        return Err(
            HubError::invalid("err-level-invalid-normal-priority-emergencies").arg("level", level),
        );
    }
    let (from, until) = (date(&up, "valid_from")?, date(&up, "valid_until")?);
    if let (Some(f), Some(u)) = (from, until) {
        if f > u {
            return Err(HubError::invalid("err-valid-from-after-valid-until")
                .arg("f", f)
                .arg("u", u));
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
            check_id(id).map_err(|_| HubError::invalid("err-clip-id-invalid").arg("id", id))?;
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
    let public = public_flag(&up)?;
    let file = up
        .file
        .take()
        .ok_or_else(|| HubError::invalid("err-no-audio-file-field-file"))?;
    if exists(state, &id).await? {
        return Err(HubError::conflict("err-clip-id-already-taken-choose").arg("id", id));
    }
    let (measured, sha, ext, bytes) = store_audio(state, file).await?;
    let now = now_s();
    let st = if draft { "draft" } else { "submitted" };
    let mut tx = state.db.begin_write().await?;
    let inserted = sqlx::query(&format!(
        "INSERT INTO clips ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11, $12, $13, $14, $15, $16, NULL, $17, $18, $19)"
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
    .bind(up.text.take())
    .bind(i64::from(public))
    .execute(&mut *tx)
    .await;
    if let Err(e) = inserted {
        drop(tx);
        // A racing upload with the same id: the primary key said no.
        if exists(state, &id).await? {
            return Err(HubError::conflict("err-clip-id-already-taken-choose").arg("id", id));
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
        let step = Step::to("approved", "approve_direct");
        return lifecycle::transition(state, user, addr, &clip, step).await;
    }
    Ok(clip)
}

/// An uploaded file measured and stored by its hash: (measure, sha256, ext, bytes).
pub(super) async fn store_audio(
    state: &AppState,
    file: upload::TempAudio,
) -> HubResult<(upload::Measured, String, &'static str, i64)> {
    let measured = upload::measure(&file.path, state.cfg.max_duration).await?;
    let (sha, ext, bytes) = (file.sha256.clone(), file.ext, file.bytes as i64);
    std::fs::create_dir_all(state.cfg.uploads_dir())?;
    let stored = state.cfg.uploads_dir().join(format!("{sha}.{ext}"));
    file.keep(&stored)?;
    super::fault::point("after-upload-keep");
    // Every hub process serves it: the bytes go into the database first (PostgreSQL).
    super::store::blobs::put(&state.db, &sha, &stored).await?;
    Ok((measured, sha, ext, bytes))
}

async fn exists(state: &AppState, id: &str) -> HubResult<bool> {
    Ok(sqlx::query("SELECT id FROM clips WHERE id = $1")
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .is_some())
}

/// A clip, whoever asks (services only).
pub async fn get_any(state: &AppState, id: &str) -> HubResult<ClipInfo> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM clips WHERE id = $1"))
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| lifecycle::not_found(&ClipInfo::KIND, id))?;
    let mut c = from_row(&row)?;
    c.stations = local_clips::stations_of(state, id).await?;
    Ok(c)
}

/// Whether `user` may see a clip: `scope::sees` (its own, those whose
/// areas overlap the account's, everything for the whole province's admins
/// and report readers); `clip_list` says the same in SQL.
fn visible(tree: &super::areas::AreaTree, user: &User, c: &ClipInfo) -> bool {
    scope::sees(tree, user, c.created_by, &c.areas)
}

/// A clip `user` may see (404 otherwise, so ids do not leak).
pub async fn get(state: &AppState, user: &User, id: &str) -> HubResult<ClipInfo> {
    let c = get_any(state, id).await?;
    let tree = state.area_tree(&[]).await?;
    if visible(&tree, user, &c) {
        Ok(c)
    } else {
        Err(lifecycle::not_found(&ClipInfo::KIND, id))
    }
}

/// The content type of a stored clip's format.
pub fn mime(format: &str) -> &'static str {
    match format {
        "wav" => "audio/wav",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "flac" => "audio/flac",
        _ => "audio/mp4",
    }
}

/// The stored audio file of a clip `user` may see, and its content type.
pub async fn audio(
    state: &AppState,
    user: &User,
    id: &str,
) -> HubResult<(std::path::PathBuf, &'static str)> {
    let c = get(state, user, id).await?;
    let mime = mime(&c.format);
    let path = super::store::blobs::local(state, &c.sha256, &c.format).await?;
    Ok((path, mime))
}

impl Reviewed for ClipInfo {
    const KIND: Kind = Kind {
        table: "clips",
        en: "clip",
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
        json!({"state": self.state})
    }
    fn audit_after(&self) -> Value {
        json!({"state": self.state, "reason": self.reason})
    }
    /// Refused while an approved or pending broadcast still plays it.
    async fn free_to_withdraw(&self, state: &AppState) -> HubResult<()> {
        match super::broadcasts::live_using(state, &self.id).await? {
            Some(b) => {
                Err(HubError::conflict("err-broadcast-plays-clip-withdraw-broadcast").arg("b", b))
            }
            None => Ok(()),
        }
    }
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
        return Err(HubError::forbidden("err-only-clip-s-author-submits"));
    }
    if c.state != "draft" {
        return Err(lifecycle::wrong_state(
            &ClipInfo::KIND,
            id,
            &c.state,
            "submitted",
        ));
    }
    lifecycle::transition(state, user, addr, &c, Step::to("submitted", "submit")).await
}
