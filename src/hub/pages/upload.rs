//! Tải lên and sửa bản tin: the upload form (title, category, language,
//! areas, valid dates, level, then the file) and the form that fixes a
//! rejected clip (title, category, areas, optionally a new file), both
//! normal multipart forms streamed by the core's `hub::upload` (the script
//! `/static/upload.js` only adds a progress bar). A form with errors comes
//! back with every field as typed, each error beside its field, "Hãy chọn
//! lại tệp" at the file (browsers cannot keep one), and nothing saved.

use std::collections::HashMap;

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use maud::{html, Markup};

use super::ctx::Staff;
use super::i18n::Lang;
use super::layout::Note;
use super::service;
use crate::hub::app::AppState;
use crate::hub::auth::ClientAddr;
use crate::hub::clips::{self, ClipInfo};
use crate::hub::error::HubError;
use crate::hub::upload::{self, Upload};
use crate::hub::users::Role;
use crate::tr;

/// Errors beside their fields (field name → message).
type FieldErrors = HashMap<&'static str, String>;

/// What the form shows.
struct View<'a> {
    /// The clip being fixed (None: a new upload).
    fixing: Option<&'a ClipInfo>,
    values: &'a HashMap<String, String>,
    errors: &'a FieldErrors,
    /// A refusal not about one field.
    note: Option<Note>,
    /// The form came back: the file must be chosen again.
    again: bool,
}

fn error_at(errors: &FieldErrors, field: &str) -> Markup {
    html! {
        @if let Some(e) = errors.get(field) {
            p class="field-error" id={"err-" (field)} role="alert" { (e) }
        }
    }
}

fn form(s: &Staff, areas: &[(String, String)], v: View, max: std::time::Duration) -> Markup {
    let l = s.lang;
    let get = |k: &str| v.values.get(k).map(String::as_str).unwrap_or("");
    let or = |k: &str, d: &'static str| {
        let x = get(k);
        if x.is_empty() {
            d.to_string()
        } else {
            x.to_string()
        }
    };
    let chosen: Vec<&str> = get("areas").split(',').map(str::trim).collect();
    let fixing = v.fixing;
    // Operators send local announcements to their own stations (local_clips.rs).
    let operator = fixing.is_none() && s.user.has(Role::Operator) && !s.user.stations.is_empty();
    let stations: Vec<&str> = get("stations").split(',').map(str::trim).collect();
    let level = or("level", "normal");
    let (heading, action) = match fixing {
        Some(c) => (tr!(l, "clips-edit-title"), format!("/clips/{}/edit", c.id)),
        None => (tr!(l, "clips-upload-title"), "/clips/new".to_string()),
    };
    let areas_shown = s.user.has(Role::Editor) && fixing.is_none_or(|c| c.stations.is_empty());
    html! {
        h1 { (heading) }
        @if let Some(c) = fixing {
            @if let Some(r) = &c.reason {
                div class="msg err" id="reason" role="status" { (tr!(l, "clips-card-reason", reason = r.clone())) }
            }
        }
        @if fixing.is_none() {
            p { a class="btn plain" id="tts-link" href="/clips/tts" { (tr!(l, "tts-link")) } }
        }
        @if !v.errors.is_empty() { div class="msg err" id="error" role="alert" { (tr!(l, "clips-form-has-errors")) } }
        @if let Some(n) = &v.note { div id="error" { (n.show()) } }
        form method="post" action=(action) enctype="multipart/form-data" class="card upload"
            data-progress="1" data-sending=(tr!(l, "clips-progress")) data-done=(tr!(l, "clips-progress-done"))
            data-failed=(tr!(l, "clips-progress-failed")) {
            label for="title" { (tr!(l, "clips-field-title")) }
            input type="text" id="title" name="title" value=(get("title")) maxlength="200" required
                aria-invalid=[v.errors.contains_key("title").then_some("true")];
            (error_at(v.errors, "title"))
            div class="grid" {
                div {
                    label for="category" { (tr!(l, "clips-field-category")) " "
                        span class="hint" { (tr!(l, "clips-field-category-hint")) } }
                    input type="text" id="category" name="category" value=(get("category"))
                        autocapitalize="none" required
                        aria-invalid=[v.errors.contains_key("category").then_some("true")];
                    (error_at(v.errors, "category"))
                }
                @if fixing.is_none() {
                    div {
                        label for="lang" { (tr!(l, "clips-field-lang")) " " span class="hint" { "(vi, cjm, …)" } }
                        input type="text" id="lang" name="lang" value=(or("lang", "vi")) autocapitalize="none" required;
                        (error_at(v.errors, "lang"))
                    }
                    div {
                        label for="valid_from" { (tr!(l, "clips-field-valid-from")) }
                        input type="date" id="valid_from" name="valid_from" value=(get("valid_from"));
                        (error_at(v.errors, "valid_from"))
                    }
                    div {
                        label for="valid_until" { (tr!(l, "clips-field-valid-until")) }
                        input type="date" id="valid_until" name="valid_until" value=(get("valid_until"));
                        (error_at(v.errors, "valid_until"))
                    }
                }
            }
            @if fixing.is_none() {
                fieldset {
                    legend { (tr!(l, "clips-field-level")) }
                    @for (val, id) in [("normal", "clips-level-normal"), ("priority", "clips-level-priority")] {
                        label class="check" {
                            input type="radio" name="level" value=(val) checked[level == val];
                            (l.tr(id))
                        }
                    }
                    p class="hint" { (tr!(l, "clips-emergency-hint")) }
                }
            }
            @if operator {
                fieldset id="local" {
                    legend { (tr!(l, "clips-local-legend")) }
                    @for id in &s.user.stations {
                        label class="check" {
                            input type="checkbox" name={"station_" (id)} value="1" checked[stations.contains(&id.as_str()) || s.user.stations.len() == 1];
                            (id)
                        }
                    }
                }
            }
            @if areas_shown {
                fieldset {
                    legend { (tr!(l, "clips-field-areas")) " "
                        span class="hint" { (tr!(l, "clips-field-areas-hint")) } }
                    @for (code, name) in areas {
                        label class="check" {
                            input type="checkbox" name={"area_" (code)} value="1" checked[chosen.contains(&code.as_str())];
                            (name) " (" (code) ")"
                        }
                    }
                    (error_at(v.errors, "areas"))
                }
            }
            @if fixing.is_none() {
                label class="check" id="public-choice" {
                    input type="checkbox" id="public" name="public" value="true" checked[get("public") != "false"];
                    (tr!(l, "public-upload-field"))
                }
                p class="hint" { (tr!(l, "public-upload-hint")) }
            }
            @let file_label = if fixing.is_some() { tr!(l, "clips-field-file-replace") } else { tr!(l, "clips-field-file") };
            label for="file" { (file_label) " " span class="hint" { "WAV, MP3, Ogg Vorbis, FLAC, M4A" } }
            input type="file" id="file" name="file" accept="audio/*,.m4a,.mp3,.wav,.ogg,.flac" required[fixing.is_none()]
                aria-invalid=[v.errors.contains_key("file").then_some("true")];
            (error_at(v.errors, "file"))
            @if v.again { p class="hint file-again" id="file-again" { (tr!(l, "clips-file-again")) } }
            @if fixing.is_some() { p class="hint" { (tr!(l, "clips-field-file-keep")) } }
            div class="progress" id="upload-status" hidden {
                progress id="upload-progress" max="100" value="0" {}
                span id="upload-percent" aria-live="polite" {}
            }
            div class="actions" {
                @if fixing.is_some() {
                    button id="resubmit" type="submit" { (tr!(l, "clips-edit-button")) }
                } @else {
                    button id="upload" type="submit" { (tr!(l, "clips-upload-button")) }
                }
            }
            p class="hint" id="decode-queue" {
                (tr!(l, "clips-decode-queue", minutes = max.as_secs().div_ceil(60) as i64))
            }
        }
        script src="/static/upload.js" {}
    }
}

/// The fields' own errors, in the reader's language, before anything is
/// stored (the service checks again).
fn field_errors(l: Lang, up: &Upload, fixing: bool) -> FieldErrors {
    let mut e = FieldErrors::new();
    let get = |k: &str| up.fields.get(k).map(|s| s.trim()).unwrap_or("");
    if clips::check_title(get("title")).is_err() {
        e.insert("title", tr!(l, "clips-err-title"));
    }
    if clips::check_category(get("category")).is_err() {
        e.insert("category", tr!(l, "clips-err-category"));
    }
    if let Some(fe) = &up.file_error {
        e.insert("file", l.reason(&fe.reason()));
    } else if up.file.is_none() && !fixing {
        e.insert("file", tr!(l, "clips-err-file-missing"));
    }
    if fixing {
        return e;
    }
    let lang = get("lang");
    if !lang.is_empty()
        && (!(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_lowercase()))
    {
        e.insert("lang", tr!(l, "clips-err-lang"));
    }
    let day = |k: &'static str, e: &mut FieldErrors| {
        let v = get(k);
        if v.is_empty() {
            return None;
        }
        let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
        if d.is_none() {
            e.insert(k, tr!(l, "clips-err-date"));
        }
        d
    };
    let (from, until) = (day("valid_from", &mut e), day("valid_until", &mut e));
    if let (Some(f), Some(u)) = (from, until) {
        if f > u {
            e.insert("valid_until", tr!(l, "clips-err-dates-order"));
        }
    }
    e
}

/// `GET /clips/new`.
pub async fn show(State(state): State<AppState>, s: Staff) -> Response {
    let areas = match service::areas_for(&state, &s.user).await {
        Ok(a) => a,
        Err(e) => return s.fail("clips", e),
    };
    let view = View {
        fixing: None,
        values: &HashMap::new(),
        errors: &FieldErrors::new(),
        note: None,
        again: false,
    };
    let body = form(&s, &areas, view, state.cfg.max_duration);
    s.render("clips", &tr!(s.lang, "clips-upload-title"), body)
}

/// The ticked `PREFIX_ID` boxes → the `into` comma list the service reads
/// (a typed list, from a script, is kept as it is).
fn join_boxes(fields: &mut HashMap<String, String>, prefix: &str, into: &str) {
    let mut ids: Vec<String> = fields
        .keys()
        .filter_map(|k| k.strip_prefix(prefix))
        .map(String::from)
        .collect();
    if ids.is_empty() {
        return;
    }
    ids.sort();
    fields.retain(|k, _| !k.starts_with(prefix));
    fields.insert(into.into(), ids.join(","));
}

/// The form back with its errors (nothing was saved).
async fn again(
    state: &AppState,
    s: &Staff,
    fixing: Option<&ClipInfo>,
    kept: &HashMap<String, String>,
    errors: &FieldErrors,
    note: Option<Note>,
    status: StatusCode,
) -> Response {
    let areas = match service::areas_for(state, &s.user).await {
        Ok(a) => a,
        Err(e) => return s.fail("clips", e),
    };
    let view = View {
        fixing,
        values: kept,
        errors,
        note,
        again: true,
    };
    let title = match fixing {
        Some(_) => tr!(s.lang, "clips-edit-title"),
        None => tr!(s.lang, "clips-upload-title"),
    };
    let page = s.render(
        "clips",
        &title,
        form(s, &areas, view, state.cfg.max_duration),
    );
    (status, page).into_response()
}

/// A refusal the form shows beside what was typed (others are error
/// pages): also used by the text bulletin's form.
pub(super) fn shown_on_form(e: &HubError) -> bool {
    matches!(
        e,
        HubError::Invalid(_)
            | HubError::TooLarge(_)
            | HubError::Conflict(_)
            | HubError::Forbidden(_)
            | HubError::Unavailable(_)
    )
}

/// `POST /clips/new`: the upload form (multipart).
pub async fn submit(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    body: Multipart,
) -> Response {
    if let Err(e) = crate::hub::local_clips::may_upload(&s.user) {
        return s.fail("clips", e);
    }
    let mut up = match upload::receive(body, &state.cfg.tmp_dir(), state.cfg.max_upload).await {
        Ok(u) => u,
        Err(e) => return s.fail("clips", e),
    };
    join_boxes(&mut up.fields, "area_", "areas");
    join_boxes(&mut up.fields, "station_", "stations");
    // An unticked box sends nothing: the form's "not public".
    up.fields
        .entry("public".into())
        .or_insert_with(|| "false".into());
    let kept = up.fields.clone();
    let errors = field_errors(s.lang, &up, false);
    if !errors.is_empty() {
        let status = match &up.file_error {
            Some(e) => e.status(),
            None => StatusCode::UNPROCESSABLE_ENTITY,
        };
        return again(&state, &s, None, &kept, &errors, None, status).await;
    }
    match clips::create(&state, &s.user, &addr, up).await {
        Ok(c) => Redirect::to(&format!("/clips/{}?done=upload", c.id)).into_response(),
        Err(e) if shown_on_form(&e) => {
            let note = Note::Err(s.lang.reason(&e.reason()));
            again(
                &state,
                &s,
                None,
                &kept,
                &FieldErrors::new(),
                Some(note),
                e.status(),
            )
            .await
        }
        Err(e) => s.fail("clips", e),
    }
}

/// The clip's fields as the fixing form starts with them.
fn values_of(c: &ClipInfo) -> HashMap<String, String> {
    HashMap::from([
        ("title".to_string(), c.title.clone()),
        ("category".to_string(), c.category.clone()),
        ("areas".to_string(), c.areas.join(",")),
    ])
}

/// The rejected clip `user` may fix (its author, while rejected).
async fn fixable(state: &AppState, s: &Staff, id: &str) -> Result<ClipInfo, Response> {
    let c = clips::get(state, &s.user, id)
        .await
        .map_err(|e| s.fail("clips", e))?;
    if !crate::hub::clip_edit::may_resubmit(&s.user, &c) {
        let e = if c.created_by != s.user.id {
            HubError::forbidden("clips-edit-not-author")
        } else {
            HubError::conflict("clips-edit-not-rejected")
        };
        return Err(s.fail("clips", e));
    }
    Ok(c)
}

/// `GET /clips/{id}/edit`: fix a rejected clip.
pub async fn edit(State(state): State<AppState>, s: Staff, Path(id): Path<String>) -> Response {
    let c = match fixable(&state, &s, &id).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let areas = match service::areas_for(&state, &s.user).await {
        Ok(a) => a,
        Err(e) => return s.fail("clips", e),
    };
    let values = values_of(&c);
    let view = View {
        fixing: Some(&c),
        values: &values,
        errors: &FieldErrors::new(),
        note: None,
        again: false,
    };
    let body = form(&s, &areas, view, state.cfg.max_duration);
    s.render("clips", &tr!(s.lang, "clips-edit-title"), body)
}

/// `POST /clips/{id}/edit`: the fixed clip goes for approval again.
pub async fn resubmit(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Path(id): Path<String>,
    body: Multipart,
) -> Response {
    let c = match fixable(&state, &s, &id).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let mut up = match upload::receive(body, &state.cfg.tmp_dir(), state.cfg.max_upload).await {
        Ok(u) => u,
        Err(e) => return s.fail("clips", e),
    };
    join_boxes(&mut up.fields, "area_", "areas");
    let kept = up.fields.clone();
    let errors = field_errors(s.lang, &up, true);
    if !errors.is_empty() {
        return again(
            &state,
            &s,
            Some(&c),
            &kept,
            &errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match clips::resubmit(&state, &s.user, &addr, &id, up).await {
        Ok(c) => Redirect::to(&format!("/clips/{}?done=resubmit", c.id)).into_response(),
        Err(e) if shown_on_form(&e) => {
            let note = Note::Err(s.lang.reason(&e.reason()));
            again(
                &state,
                &s,
                Some(&c),
                &kept,
                &FieldErrors::new(),
                Some(note),
                e.status(),
            )
            .await
        }
        Err(e) => s.fail("clips", e),
    }
}
