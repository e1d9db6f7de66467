//! Đăng nhập: the sign-in form, the forced change of a one-time password at
//! first login (`/password`), and sign-out. Sessions are the core's
//! (`auth::session`): the same cookie the JSON API sets.

use axum::extract::{Form, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use super::ctx::error_page;
use super::i18n::{safe_back, Lang};
use super::layout::{page, Frame, Note};
use super::service;
use crate::hub::app::AppState;
use crate::hub::auth::session::{self, audit_event, set_cookie, SignedIn};
use crate::hub::auth::ClientAddr;
use crate::hub::error::HubError;

#[derive(Deserialize, Default)]
pub struct Back {
    #[serde(default)]
    back: String,
}

fn login_page(l: Lang, name: &str, back: &str, note: Option<Note>) -> Html<String> {
    let f = Frame {
        lang: l,
        user: None,
        path: "/login",
        nav: "",
    };
    let body = html! {
        div class="narrow card" {
            h1 { (l.t("Đăng nhập", "Sign in")) }
            @if let Some(n) = &note { (n.show()) }
            form method="post" action="/login" {
                input type="hidden" name="back" value=(back);
                label for="user" { (l.t("Tên tài khoản", "Account name")) }
                input type="text" id="user" name="user" value=(name) autocomplete="username" autocapitalize="none" required;
                label for="password" { (l.t("Mật khẩu", "Password")) }
                input type="password" id="password" name="password" autocomplete="current-password" required;
                div class="actions" {
                    button id="signin" type="submit" { (l.t("Đăng nhập", "Sign in")) }
                }
            }
        }
    };
    Html(page(&f, l.t("Đăng nhập", "Sign in"), body).into_string())
}

/// `GET /login`.
pub async fn show(lang: Lang, Query(q): Query<Back>) -> Html<String> {
    login_page(lang, "", safe_back(&q.back), None)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    user: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    back: String,
}

/// `POST /login`.
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    addr: ClientAddr,
    Form(form): Form<LoginForm>,
) -> Response {
    let back = safe_back(&form.back).to_string();
    match session::login(&state, form.user.trim(), &form.password, &addr.0).await {
        Ok((token, user)) => {
            let to = if user.must_change_password {
                "/password".to_string()
            } else if back.starts_with("/login") {
                "/".to_string()
            } else {
                back
            };
            (set_cookie(&state, Some(&token)), Redirect::to(&to)).into_response()
        }
        Err(e @ (HubError::Unauthorized(_) | HubError::TooMany { .. })) => {
            let status = e.status();
            let note = Note::Err(lang.reason(&e.reason()));
            (
                status,
                login_page(lang, form.user.trim(), &back, Some(note)),
            )
                .into_response()
        }
        Err(e) => error_page(
            &Frame {
                lang,
                user: None,
                path: "/login",
                nav: "",
            },
            e,
        ),
    }
}

/// A session (a one-time password included), or the way to the sign-in page.
pub struct Session(pub SignedIn);

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Session, Response> {
        SignedIn::from_request_parts(parts, state)
            .await
            .map(Session)
            .map_err(|_| Redirect::to("/login").into_response())
    }
}

fn password_page(l: Lang, s: &SignedIn, note: Option<Note>) -> Html<String> {
    let f = Frame {
        lang: l,
        user: Some(&s.user),
        path: "/password",
        nav: "",
    };
    let body = html! {
        div class="narrow card" {
            h1 { (l.t("Đổi mật khẩu", "Change password")) }
            @if s.user.must_change_password {
                (Note::Info(l.t(
                    "Đây là lần đăng nhập đầu tiên: hãy đổi mật khẩu dùng một lần trước khi làm việc.",
                    "First sign-in: change the one-time password before anything else.").to_string()).show())
            }
            @if let Some(n) = &note { (n.show()) }
            form method="post" action="/password" {
                label for="old" { (l.t("Mật khẩu hiện tại", "Current password")) }
                input type="password" id="old" name="old" autocomplete="current-password" required;
                label for="new" { (l.t("Mật khẩu mới", "New password")) " "
                    span class="hint" { (l.t("(ít nhất 10 ký tự)", "(at least 10 characters)")) } }
                input type="password" id="new" name="new" autocomplete="new-password" required;
                label for="new2" { (l.t("Nhập lại mật khẩu mới", "New password again")) }
                input type="password" id="new2" name="new2" autocomplete="new-password" required;
                div class="actions" {
                    button id="change" type="submit" { (l.t("Đổi mật khẩu", "Change password")) }
                }
            }
        }
    };
    Html(page(&f, l.t("Đổi mật khẩu", "Change password"), body).into_string())
}

/// `GET /password`.
pub async fn password_form(lang: Lang, Session(s): Session) -> Html<String> {
    password_page(lang, &s, None)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    old: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    new2: String,
}

/// `POST /password`.
pub async fn password_submit(
    State(state): State<AppState>,
    lang: Lang,
    addr: ClientAddr,
    Session(s): Session,
    Form(form): Form<PasswordForm>,
) -> Response {
    if form.new != form.new2 {
        let note = Note::Err(
            lang.t(
                "hai lần nhập mật khẩu mới không giống nhau",
                "the two new passwords differ",
            )
            .to_string(),
        );
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            password_page(lang, &s, Some(note)),
        )
            .into_response();
    }
    match service::change_password(&state, &s, &addr, &form.old, &form.new).await {
        Ok(()) => Redirect::to("/clips?done=password").into_response(),
        Err(e @ (HubError::Forbidden(_) | HubError::Invalid(_))) => {
            let note = Note::Err(lang.reason(&e.reason()));
            (e.status(), password_page(lang, &s, Some(note))).into_response()
        }
        Err(e) => error_page(
            &Frame {
                lang,
                user: Some(&s.user),
                path: "/password",
                nav: "",
            },
            e,
        ),
    }
}

/// `POST /logout`: end the session, clear the cookie.
pub async fn logout(
    State(state): State<AppState>,
    addr: ClientAddr,
    Session(s): Session,
) -> Response {
    if let Err(e) = session::logout(&state, &s.token).await {
        tracing::error!("hub: sign-out: {:?}", e.to_string());
    }
    let ev = audit_event(&s.user, &addr, "logout", format!("user:{}", s.user.name));
    if let Err(e) = state.audit(ev).await {
        tracing::error!("hub: sign-out audit: {:?}", e.to_string());
    }
    (set_cookie(&state, None), Redirect::to("/login")).into_response()
}
