//! The programs editor (`/stations/{id}/programs/edit[?p=N]`): one program's
//! form; row buttons (add / remove an item or a fallback) re-show it, save
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
use crate::hub::error::HubError;
use crate::hub::program_form::{place, to_toml, FieldDiag, Op, ProgramForm};
use crate::hub::timetable::{self, TimetableError};

#[derive(Deserialize, Default)]
pub struct EditQuery {
    p: Option<usize>,
}

fn base_of(l: &Loaded) -> u64 {
    l.tt.as_ref().map(|t| t.sequence).unwrap_or(0)
}

async fn suggest(state: &AppState, forms: &[ProgramForm]) -> Suggest {
    let rows = sqlx::query("SELECT id, category FROM clips WHERE state = 'approved' ORDER BY id")
        .fetch_all(&state.db.pool)
        .await
        .unwrap_or_default();
    let mut s = Suggest::default();
    for r in &rows {
        if let Ok(id) = crate::hub::db::col::<String>(r, "id") {
            s.clips.push(id);
        }
        if let Ok(c) = crate::hub::db::col::<String>(r, "category") {
            if !s.categories.contains(&c) {
                s.categories.push(c);
            }
        }
    }
    for f in forms {
        for it in &f.items {
            if it.kind == crate::hub::program_form::ItemKind::File && !s.files.contains(&it.value) {
                s.files.push(it.value.clone());
            }
        }
    }
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
    let sug = suggest(state, forms).await;
    let body = html! {
        p class="meta" { a href={ "/stations/" (url_escape(id)) "/programs" } { "← " (l.t("Lịch phát sóng", "Broadcast timetable")) } }
        h1 { @if p.is_some() { (l.t("Sửa chương trình", "Edit program")) } @else { (l.t("Thêm chương trình", "Add a program")) } }
        @if !mine.is_empty() && mine.iter().any(|d| d.error) {
            div class="msg err" id="error" { (l.t("Chưa lưu: sửa các ô được đánh dấu bên dưới.", "Not saved: fix the marked fields below.")) }
        }
        @for d in &others {
            div class="msg err" { (l.t("Chương trình khác", "Another program")) " #" (d.program.unwrap_or(0) + 1) ": " (d.message) }
        }
        (program_form(l, &action, form, &mine, &sug, &[("base", base.to_string())]))
    };
    let page = s.render(
        "stations",
        l.t("Lịch phát sóng", "Broadcast timetable"),
        body,
    );
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
                    HubError::not_found(
                        format!("không có chương trình số {}", n + 1),
                        format!("no program #{}", n + 1),
                    ),
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
    s.fail(
        "stations",
        HubError::conflict(
            "lịch đã được người khác thay đổi trong lúc bạn sửa: mở lại trang và sửa lại",
            "the timetable changed while you edited it: open the page again and redo the change",
        ),
    )
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
    form.drop_blank_rows();
    let mut all = loaded.forms.clone();
    match q.p {
        Some(n) if n < all.len() => all[n] = form.clone(),
        Some(_) => return stale(&s),
        None => all.push(form.clone()),
    }
    let written = to_toml(&all);
    match timetable::publish(&state, &s.user, &addr.0, &id, &written.text).await {
        Ok(_) => Redirect::to(&format!(
            "/stations/{}/programs?done=published",
            url_escape(&id)
        ))
        .into_response(),
        Err(TimetableError::Invalid(diags)) => {
            let placed: Vec<FieldDiag> = diags
                .iter()
                .map(|d| place(&written, d.line, d.col, &d.message, !d.warning))
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
