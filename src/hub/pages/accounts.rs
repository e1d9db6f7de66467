//! Tài khoản (admins): every account with its reach in words and its state,
//! a link to change it (`account_edit.rs`), and the form that makes one
//! (name, roles, stations, areas from pick lists); the new account's
//! one-time password is shown once, to hand over (it is changed at first
//! sign-in).

use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::account_words::{self as words, pick_lists, reach};
use super::ctx::Staff;
use super::layout::Note;
use super::service;
use crate::hub::app::AppState;
use crate::hub::auth::ClientAddr;
use crate::hub::error::HubError;
use crate::tr;

async fn page(
    state: &AppState,
    s: &Staff,
    v: &[(String, String)],
    note: Option<maud::Markup>,
    status: StatusCode,
) -> Response {
    let l = s.lang;
    let loaded = async {
        let users = service::accounts(state, &s.user).await?;
        let tree = state.area_tree(&[]).await?;
        let stations = words::stations_for(state, &tree, &s.user).await?;
        Ok::<_, HubError>((
            users,
            service::areas_for(state, &s.user).await?,
            tree,
            stations,
            words::station_names(state).await?,
        ))
    }
    .await;
    let (users, areas, tree, stations, names) = match loaded {
        Ok(x) => x,
        Err(e) => return s.fail("accounts", e),
    };
    let get = |k: &str| {
        v.iter()
            .find(|(a, _)| a == k)
            .map(|(_, b)| b.as_str())
            .unwrap_or("")
    };
    let title = tr!(l, "admin-accounts-title");
    let body = html! {
        h1 { (title) }
        @if let Some(n) = note { (n) }
        p { a class="btn" href="#add-account" id="to-add-account" { (tr!(l, "admin-create")) } }
        table id="accounts" class="cards" {
            thead { tr {
                th { (tr!(l, "admin-col-name")) }
                th { (tr!(l, "admin-col-reach")) }
                th { (tr!(l, "admin-col-state")) }
                th { (tr!(l, "admin-col-action")) }
            } }
            tbody {
                @for u in &users {
                    @let (st, class) = words::state(l, u);
                    tr data-user=(u.name) {
                        td data-label=(tr!(l, "admin-col-name")) { strong { (u.name) } }
                        td data-label=(tr!(l, "admin-col-reach")) class="reach" { (reach(l, &tree, &names, u)) }
                        td data-label=(tr!(l, "admin-col-state")) { span class={"badge " (class)} { (st) } }
                        td data-label=(tr!(l, "admin-col-action")) {
                            a class="btn plain" href={"/accounts/" (u.id)} id={"edit-" (u.name)} { (tr!(l, "admin-edit")) }
                        }
                    }
                }
            }
        }
        form method="post" action="/accounts" class="card" id="add-account" {
            h2 { (tr!(l, "admin-create")) }
            label for="name" { (tr!(l, "admin-field-name")) }
            input type="text" id="name" name="name" value=(get("name")) autocapitalize="none" autocomplete="off" required;
            p class="hint" { (tr!(l, "admin-hint-name")) }
            (pick_lists(l, v, &areas, &stations))
            div class="actions" { button type="submit" id="create-account" { (tr!(l, "admin-create")) } }
        }
    };
    (status, s.render("accounts", &title, body)).into_response()
}

/// `GET /accounts`.
pub async fn show(State(state): State<AppState>, s: Staff) -> Response {
    page(&state, &s, &[], None, StatusCode::OK).await
}

/// The note that hands over a one-time password (shown only now).
pub fn password_note(l: crate::i18n::Lang, id: &str, name: &str, pw: &str) -> maud::Markup {
    html! {
        div class="msg ok" id=(id) {
            (tr!(l, "admin-one-time-given", name = name.to_string()))
            br; span class="pw" id="one-time-password" { (pw) }
        }
    }
}

/// `POST /accounts`: make an account with a one-time password.
pub async fn create(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Form(v): Form<Vec<(String, String)>>,
) -> Response {
    let l = s.lang;
    let name = words::all(&v, "name")
        .into_iter()
        .next()
        .unwrap_or_default();
    let roles = words::roles(&v);
    let areas = words::all(&v, "areas");
    let stations = words::all(&v, "stations");
    match service::add_account(&state, &s.user, &addr, &name, roles, areas, stations).await {
        Ok((u, pw)) => {
            let note = password_note(l, "created", &u.name, &pw);
            page(&state, &s, &[], Some(note), StatusCode::OK).await
        }
        Err(e @ (HubError::Invalid(_) | HubError::Conflict(_) | HubError::Forbidden(_))) => {
            let note = Note::Err(l.reason(&e.reason())).show();
            page(&state, &s, &v, Some(note), e.status()).await
        }
        Err(e) => s.fail("accounts", e),
    }
}
