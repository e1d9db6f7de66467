//! One account (admins, `/accounts/{id}`): its reach in words and state,
//! the form that changes its roles, stations and areas, and the buttons that
//! reset its password (a new one-time password, shown once) and disable or
//! enable it. The services (`hub::user_admin`) apply `scope::may_grant`; a
//! refusal comes back on this page with its reason and changes nothing.

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

use super::account_words::{self as words, pick_lists, reach};
use super::accounts::password_note;
use super::ctx::Staff;
use super::layout::Note;
use super::service;
use crate::hub::app::AppState;
use crate::hub::auth::ClientAddr;
use crate::hub::error::HubError;
use crate::hub::user_admin::{self, Change};
use crate::hub::users;
use crate::tr;

async fn page(
    state: &AppState,
    s: &Staff,
    id: i64,
    v: Option<&[(String, String)]>,
    note: Option<Markup>,
    status: StatusCode,
) -> Response {
    let l = s.lang;
    let loaded = async {
        crate::hub::scope::require(&s.user, crate::hub::users::Role::Admin)?;
        let u = users::by_id(&state.db, id)
            .await?
            .ok_or_else(|| HubError::not_found("err-no-such-account"))?;
        let tree = state.area_tree(&[]).await?;
        let stations = words::stations_for(state, &tree, &s.user).await?;
        Ok::<_, HubError>((
            u,
            service::areas_for(state, &s.user).await?,
            tree,
            stations,
            words::station_names(state).await?,
        ))
    }
    .await;
    let (u, areas, tree, stations, names) = match loaded {
        Ok(x) => x,
        Err(e) => return s.fail("accounts", e),
    };
    let current = words::values_of(&u);
    let v = v.unwrap_or(&current);
    let (st, class) = words::state(l, &u);
    let title = tr!(l, "admin-account-title", name = u.name.clone());
    let body = html! {
        p { a href="/accounts" id="back" { (tr!(l, "admin-back")) } }
        h1 { (title) }
        @if let Some(n) = note { (n) }
        div class="card" id="account" data-disabled=(u.disabled) {
            p id="reach" { (reach(l, &tree, &names, &u)) }
            p { span class={"badge " (class)} id="state" { (st) } }
        }
        form method="post" action={"/accounts/" (u.id)} class="card" id="edit-account" {
            h2 { (tr!(l, "admin-edit-heading")) }
            (pick_lists(l, v, &areas, &stations))
            div class="actions" { button type="submit" id="save-account" { (tr!(l, "admin-save")) } }
        }
        div class="card" id="password-reset" {
            h2 { (tr!(l, "admin-reset-heading")) }
            p class="hint" { (tr!(l, "admin-reset-hint")) }
            form method="post" action={"/accounts/" (u.id) "/reset"} {
                button type="submit" id="reset-password" { (tr!(l, "admin-reset")) }
            }
        }
        div class="card" id="lock" {
            @if u.disabled {
                h2 { (tr!(l, "admin-enable-heading")) }
                form method="post" action={"/accounts/" (u.id) "/enable"} {
                    button type="submit" id="enable-account" { (tr!(l, "admin-enable")) }
                }
            } @else {
                h2 { (tr!(l, "admin-disable-heading")) }
                p class="hint" { (tr!(l, "admin-disable-hint")) }
                form method="post" action={"/accounts/" (u.id) "/disable"} {
                    button type="submit" class="danger" id="disable-account" { (tr!(l, "admin-disable")) }
                }
            }
        }
    };
    (status, s.render("accounts", &title, body)).into_response()
}

fn refusal(l: crate::i18n::Lang, e: &HubError) -> Option<Markup> {
    match e {
        HubError::Invalid(_) | HubError::Conflict(_) | HubError::Forbidden(_) => {
            Some(Note::Err(l.reason(&e.reason())).show())
        }
        _ => None,
    }
}

/// `GET /accounts/{id}`.
pub async fn show(State(state): State<AppState>, s: Staff, Path(id): Path<i64>) -> Response {
    page(&state, &s, id, None, None, StatusCode::OK).await
}

/// `POST /accounts/{id}`: new roles, stations and areas.
pub async fn save(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Path(id): Path<i64>,
    Form(v): Form<Vec<(String, String)>>,
) -> Response {
    let l = s.lang;
    let change = Change {
        roles: words::roles(&v),
        areas: words::all(&v, "areas"),
        stations: words::all(&v, "stations"),
    };
    match user_admin::edit(&state, &s.user, &addr, id, change).await {
        Ok(u) => {
            let note = Note::Ok(tr!(l, "admin-saved", name = u.name.clone())).show();
            page(&state, &s, id, None, Some(note), StatusCode::OK).await
        }
        Err(e) => match refusal(l, &e) {
            Some(n) => page(&state, &s, id, Some(&v), Some(n), e.status()).await,
            None => s.fail("accounts", e),
        },
    }
}

/// `POST /accounts/{id}/{reset|disable|enable}`.
pub async fn act(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Path((id, action)): Path<(i64, String)>,
) -> Response {
    let l = s.lang;
    let done = match action.as_str() {
        "reset" => user_admin::reset_password(&state, &s.user, &addr, id)
            .await
            .map(|(u, pw)| password_note(l, "reset", &u.name, &pw)),
        "disable" | "enable" => {
            let off = action == "disable";
            user_admin::set_disabled(&state, &s.user, &addr, id, off)
                .await
                .map(|u| {
                    let name = u.name.clone();
                    let text = if off {
                        tr!(l, "admin-disabled", name = name)
                    } else {
                        tr!(l, "admin-enabled", name = name)
                    };
                    Note::Ok(text).show()
                })
        }
        _ => Err(HubError::not_found("err-no-such-action")),
    };
    match done {
        Ok(note) => page(&state, &s, id, None, Some(note), StatusCode::OK).await,
        Err(e) => match refusal(l, &e) {
            Some(n) => page(&state, &s, id, None, Some(n), e.status()).await,
            None => s.fail("accounts", e),
        },
    }
}
