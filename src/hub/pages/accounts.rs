//! Tài khoản (admins): every account with its roles and areas, and the form
//! that makes one (name, roles, areas); the new account's one-time password
//! is shown once, to hand over (it is changed at first sign-in).

use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::ctx::Staff;
use super::layout::{areas_text, Note};
use super::service;
use crate::hub::app::AppState;
use crate::hub::auth::ClientAddr;
use crate::hub::error::HubError;
use crate::hub::users::Role;

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
        Ok::<_, HubError>((
            users,
            service::areas_for(state, &s.user).await?,
            state.area_tree(&[]).await?,
        ))
    }
    .await;
    let (users, areas, tree) = match loaded {
        Ok(x) => x,
        Err(e) => return s.fail("accounts", e),
    };
    let get = |k: &str| {
        v.iter()
            .find(|(a, _)| a == k)
            .map(|(_, b)| b.as_str())
            .unwrap_or("")
    };
    let has = |k: &str, val: &str| v.iter().any(|(a, b)| a == k && b == val);
    let body = html! {
        h1 { (l.t("Tài khoản", "Accounts")) }
        @if let Some(n) = note { (n) }
        div class="scroll" {
            table id="accounts" {
                tr { th { (l.t("Tên", "Name")) } th { (l.t("Vai trò", "Roles")) } th { (l.t("Địa bàn", "Areas")) } }
                @for u in &users {
                    tr {
                        td { (u.name) @if u.must_change_password { br; span class="hint" { (l.t("chưa đổi mật khẩu dùng một lần", "one-time password not changed yet")) } } }
                        td { (u.roles.iter().map(|r| l.role(*r)).collect::<Vec<_>>().join(", ")) }
                        td { (areas_text(&tree, l, &u.areas)) }
                    }
                }
            }
        }
        form method="post" action="/accounts" class="card" id="add-account" {
            h2 { (l.t("Tạo tài khoản", "New account")) }
            label for="name" { (l.t("Tên tài khoản", "Account name")) }
            input type="text" id="name" name="name" value=(get("name")) autocapitalize="none" required;
            fieldset {
                legend { (l.t("Vai trò", "Roles")) }
                @for r in Role::ALL {
                    label class="check" { input type="checkbox" name="role" value=(r.as_str()) checked[has("role", r.as_str())]; (l.role(r)) }
                }
            }
            fieldset {
                legend { (l.t("Địa bàn", "Areas")) }
                @for (code, name) in &areas {
                    label class="check" { input type="checkbox" name="areas" value=(code) checked[has("areas", code)]; (name) " (" (code) ")" }
                }
            }
            div class="actions" { button type="submit" id="create-account" { (l.t("Tạo tài khoản", "Create")) } }
        }
    };
    (
        status,
        s.render("accounts", l.t("Tài khoản", "Accounts"), body),
    )
        .into_response()
}

/// `GET /accounts`.
pub async fn show(State(state): State<AppState>, s: Staff) -> Response {
    page(&state, &s, &[], None, StatusCode::OK).await
}

/// `POST /accounts`: make an account with a one-time password.
pub async fn create(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Form(v): Form<Vec<(String, String)>>,
) -> Response {
    let l = s.lang;
    let name = v
        .iter()
        .find(|(k, _)| k == "name")
        .map(|(_, x)| x.clone())
        .unwrap_or_default();
    let roles: Vec<Role> = v
        .iter()
        .filter(|(k, _)| k == "role")
        .filter_map(|(_, x)| x.parse().ok())
        .collect();
    let areas: Vec<String> = v
        .iter()
        .filter(|(k, _)| k == "areas")
        .map(|(_, x)| x.clone())
        .collect();
    match service::add_account(&state, &s.user, &addr, &name, roles, areas).await {
        Ok((u, pw)) => {
            let note = html! {
                div class="msg ok" id="created" {
                    (l.t("Đã tạo tài khoản", "Account created")) " " strong { (u.name) } ". "
                    (l.t("Mật khẩu dùng một lần (chỉ hiện lần này; đổi khi đăng nhập lần đầu):", "One-time password (shown only now; changed at first sign-in):"))
                    br; span class="pw" id="one-time-password" { (pw) }
                }
            };
            page(&state, &s, &[], Some(note), StatusCode::OK).await
        }
        Err(e @ (HubError::Invalid(_) | HubError::Conflict(_))) => {
            let note = Note::Err(l.reason(&e.reason())).show();
            page(&state, &s, &v, Some(note), e.status()).await
        }
        Err(e) => s.fail("accounts", e),
    }
}
