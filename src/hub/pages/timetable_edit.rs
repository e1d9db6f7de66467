//! The programs editor (`/stations/{id}/programs/edit[?p=N]`): one program's
//! form; row buttons (add / remove an item or a fallback) re-show it, save
//! first reads the person's habits into SPEC's forms (`program_form::tidy`:
//! "11h30", the id from the title, dd/mm/yyyy — a refusal comes back beside
//! its field with everything as typed, nothing published), then
//! writes the whole timetable back to TOML and publishes it through
//! `hub::timetable::publish` (signed, sequence + 1, the station nudged). Its
//! `loa check` diagnostics come back as line:col and are shown beside the
//! field that wrote that line (`program_form::place`). A save over a newer
//! timetable than the one the form started from is refused (409), so two
//! people editing at once do not overwrite each other. Delete: `…/delete?p=N`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;

use super::ctx::Staff;
use super::layout::url_escape;
use super::program_edit::{program_form, Suggest};
use super::timetable::{hub_error, load, Loaded};
use crate::hub::app::AppState;
use crate::hub::auth::ClientAddr;
use crate::hub::db::col;
use crate::hub::error::HubError;
use crate::hub::program_form::{
    from_toml, kept_rows, place, tidy, to_toml, typed_field, FieldDiag, Known, Op, ProgramForm,
};
use crate::hub::timetable::{self, TimetableError};

#[derive(Deserialize, Default)]
pub struct EditQuery {
    p: Option<usize>,
}

fn base_of(l: &Loaded) -> u64 {
    l.tt.as_ref().map(|t| t.sequence).unwrap_or(0)
}

/// The station's own programs' ids (its config file, sent by its heartbeat).
async fn own_program_ids(state: &AppState, station: &str) -> Vec<String> {
    let own: String = sqlx::query("SELECT own_programs FROM stations WHERE id = $1")
        .bind(station)
        .fetch_optional(&state.db.pool)
        .await
        .ok()
        .flatten()
        .and_then(|r| col::<Option<String>>(&r, "own_programs").ok().flatten())
        .unwrap_or_default();
    from_toml(&own)
        .map(|v| v.into_iter().map(|f| f.id).collect())
        .unwrap_or_default()
}

/// What the form offers to pick from: the hub's categories, the approved
/// clips and files the station has, and the ids the other programs (the
/// hub's, but program `p` being edited, and the station's own) hold.
async fn suggest(
    state: &AppState,
    station: &str,
    forms: &[ProgramForm],
    p: Option<usize>,
) -> Suggest {
    let mut s = Suggest::default();
    let rows = sqlx::query(
        "SELECT DISTINCT category FROM clips WHERE state IN ('approved', 'submitted') ORDER BY category",
    )
    .fetch_all(&state.db.pool)
    .await
    .unwrap_or_default();
    s.categories = rows
        .iter()
        .filter_map(|r| col::<String>(r, "category").ok())
        .filter(|c| !c.is_empty())
        .collect();
    let known = timetable::known(state, station).await.unwrap_or_default();
    let rows = sqlx::query("SELECT id, title FROM clips WHERE state = 'approved' ORDER BY id")
        .fetch_all(&state.db.pool)
        .await
        .unwrap_or_default();
    for r in &rows {
        if let (Ok(id), Ok(title)) = (col::<String>(r, "id"), col::<String>(r, "title")) {
            if known.feed_clips.as_ref().is_none_or(|k| k.contains(&id)) {
                s.clips.push((id, title));
            }
        }
    }
    s.files = known.files.map(|f| {
        let mut v: Vec<String> = f.into_iter().collect();
        v.sort();
        v
    });
    s.programs = forms
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != p)
        .map(|(_, f)| f.id.clone())
        .chain(own_program_ids(state, station).await)
        .collect();
    s
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    s: &Staff,
    id: &str,
    p: Option<usize>,
    base: u64,
    form: &ProgramForm,
    forms: &[ProgramForm],
    diags: &[FieldDiag],
    status: StatusCode,
) -> Response {
    let l = s.lang;
    let action = match p {
        Some(n) => format!("/stations/{}/programs/edit?p={n}", url_escape(id)),
        None => format!("/stations/{}/programs/edit", url_escape(id)),
    };
    let mine: Vec<FieldDiag> = diags
        .iter()
        .filter(|d| d.program == p.or(Some(forms.len())) || d.program.is_none())
        .cloned()
        .collect();
    let others: Vec<&FieldDiag> = diags
        .iter()
        .filter(|d| d.program.is_some() && d.program != p.or(Some(forms.len())))
        .collect();
    let sug = suggest(state, id, forms, p).await;
    let body = html! {
        p class="meta" { a href={ "/stations/" (url_escape(id)) "/programs" } { "← " (crate::tr!(l, "programs-back")) } }
        h1 { @if p.is_some() { (crate::tr!(l, "programs-edit-title")) } @else { (crate::tr!(l, "programs-add-title")) } }
        @if !mine.is_empty() && mine.iter().any(|d| d.error) {
            div class="msg err" id="error" role="alert" { (crate::tr!(l, "programs-not-saved")) }
        }
        @for d in &others {
            div class="msg err" { (crate::tr!(l, "programs-other-program", n = d.program.unwrap_or(0) + 1, message = d.message.clone())) }
        }
        (program_form(l, &action, form, &mine, &sug, &[("base", base.to_string())]))
    };
    let title = crate::tr!(l, "programs-page-title");
    let page = s.render("stations", &title, body);
    (status, page).into_response()
}

/// `GET /stations/{id}/programs/edit[?p=N]`.
pub async fn show(
    State(state): State<AppState>,
    s: Staff,
    Path(id): Path<String>,
    Query(q): Query<EditQuery>,
) -> Response {
    let loaded = match load(&state, &s, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let form = match q.p {
        Some(n) => match loaded.forms.get(n) {
            Some(f) => f.clone(),
            None => {
                return s.fail(
                    "stations",
                    HubError::not_found("programs-no-program").arg("n", n + 1),
                )
            }
        },
        None => ProgramForm::new_program(),
    };
    let base = base_of(&loaded);
    render(
        &state,
        &s,
        &id,
        q.p,
        base,
        &form,
        &loaded.forms,
        &[],
        StatusCode::OK,
    )
    .await
}

fn base_posted(pairs: &[(String, String)]) -> Option<u64> {
    pairs
        .iter()
        .find(|(k, _)| k == "base")
        .and_then(|(_, v)| v.parse().ok())
}

fn stale(s: &Staff) -> Response {
    s.fail("stations", HubError::conflict("programs-stale"))
}

/// `POST /stations/{id}/programs/edit[?p=N]`.
pub async fn submit(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Path(id): Path<String>,
    Query(q): Query<EditQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let loaded = match load(&state, &s, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let base = base_of(&loaded);
    if base_posted(&pairs).is_some_and(|b| b != base) {
        return stale(&s);
    }
    let (mut form, op) = ProgramForm::from_pairs(&pairs);
    if op != Op::Save {
        form.apply(&op);
        return render(
            &state,
            &s,
            &id,
            q.p,
            base,
            &form,
            &loaded.forms,
            &[],
            StatusCode::OK,
        )
        .await;
    }
    // Their habits ("11h30", a title and no id, dd/mm/yyyy) into SPEC's
    // forms; anything unreadable comes back beside its field, nothing saved.
    let sug = suggest(&state, &id, &loaded.forms, q.p).await;
    let known = Known {
        taken: &sug.programs,
        files: sug.files.as_deref(),
    };
    let (ready, refused) = tidy(s.lang, &form, &known);
    let kept = kept_rows(&form);
    let mut all = loaded.forms.clone();
    let at = match q.p {
        Some(n) if n < all.len() => {
            all[n] = ready;
            n
        }
        Some(_) => return stale(&s),
        None => {
            all.push(ready);
            all.len() - 1
        }
    };
    let written = to_toml(&all);
    if !refused.is_empty() {
        // Also what `loa check` says of the rest, so every field is told at
        // once; a field already refused keeps only the form's own message.
        let known = timetable::known(&state, &id).await.unwrap_or_default();
        let mut diags = refused;
        for d in timetable::check(&written.text, &known) {
            if d.warning {
                continue;
            }
            let mut p = place(&written, d.line, d.col, &d.message, true);
            if p.program == Some(at) {
                p.field = typed_field(&p.field, &kept);
            }
            if !diags.iter().any(|x| x.field == p.field) {
                diags.push(p);
            }
        }
        return render(
            &state,
            &s,
            &id,
            q.p,
            base,
            &form,
            &loaded.forms,
            &diags,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match timetable::publish(&state, &s.user, &addr.0, &id, &written.text).await {
        Ok(_) => Redirect::to(&format!(
            "/stations/{}/programs?done=published",
            url_escape(&id)
        ))
        .into_response(),
        Err(TimetableError::Invalid(diags)) => {
            let placed: Vec<FieldDiag> = diags
                .iter()
                .map(|d| {
                    let mut p = place(&written, d.line, d.col, &d.text(s.lang), !d.warning);
                    if p.program == Some(at) {
                        p.field = typed_field(&p.field, &kept);
                    }
                    p
                })
                .collect();
            render(
                &state,
                &s,
                &id,
                q.p,
                base,
                &form,
                &loaded.forms,
                &placed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => s.fail("stations", hub_error(e)),
    }
}

/// `POST /stations/{id}/programs/delete?p=N`: after the confirm step
/// (`confirm.rs`), the timetable without program N; the page then offers
/// "Khôi phục" (`timetable_restore.rs`) from the document before the delete.
pub async fn delete(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Path(id): Path<String>,
    Query(q): Query<EditQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let loaded = match load(&state, &s, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let before = base_of(&loaded);
    if base_posted(&pairs).is_some_and(|b| b != before) {
        return stale(&s);
    }
    let mut all = loaded.forms.clone();
    let gone = match q.p {
        Some(n) if n < all.len() => all.remove(n),
        _ => return stale(&s),
    };
    let page = format!("/stations/{}/programs", url_escape(&id));
    let posted = |k: &str| pairs.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str());
    if !super::confirm::confirmed(posted(super::confirm::FIELD)) {
        let l = s.lang;
        let title = if gone.title.is_empty() {
            gone.id.clone()
        } else {
            gone.title.clone()
        };
        let action = format!("{page}/delete?p={}", q.p.unwrap_or(0));
        return super::confirm::ask(
            &s,
            "stations",
            super::confirm::Ask {
                action: &action,
                question: crate::tr!(
                    l,
                    "stations-confirm-delete",
                    title = title,
                    name = loaded.st.name.clone()
                ),
                yes: crate::tr!(l, "stations-delete-yes"),
                fields: vec![("base", before.to_string())],
                back: &page,
            },
        );
    }
    match timetable::publish(&state, &s.user, &addr.0, &id, &to_toml(&all).text).await {
        Ok(_) => Redirect::to(&format!(
            "{page}?done=deleted&from={before}&program={}",
            url_escape(&gone.id)
        ))
        .into_response(),
        Err(e) => s.fail("stations", hub_error(e)),
    }
}
