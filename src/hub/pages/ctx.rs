//! What a page handler takes and gives back: `Staff` (a signed-in user who
//! may act, with the page language and path) sends a browser without a
//! session to the sign-in page and one with a one-time password to the
//! password change, instead of the JSON API's 401/403; `error_page` turns a
//! service's `HubError` into a readable page with the same status (a 403
//! says why, in the user's language); `fallback` answers unknown paths
//! (a page, or the API's JSON under `/api/`).

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{html, Markup};

use super::i18n::Lang;
use super::layout::{page, url_escape, Frame};
use crate::hub::app::AppState;
use crate::hub::auth::{CurrentUser, SignedIn};
use crate::hub::error::HubError;
use crate::hub::users::User;
use crate::tr;

/// A signed-in user who may act, as pages see it.
pub struct Staff {
    pub user: User,
    pub lang: Lang,
    /// Path and query of this request.
    pub path: String,
}

impl Staff {
    pub fn frame<'a>(&'a self, nav: &'a str) -> Frame<'a> {
        Frame {
            lang: self.lang,
            user: Some(&self.user),
            path: &self.path,
            nav,
        }
    }

    /// A full page for this user.
    pub fn render(&self, nav: &str, title: &str, body: Markup) -> Response {
        Html(page(&self.frame(nav), title, body).into_string()).into_response()
    }

    /// A service refusal as a page.
    pub fn fail(&self, nav: &str, e: HubError) -> Response {
        error_page(&self.frame(nav), e)
    }
}

fn path_of(parts: &Parts) -> String {
    parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into())
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Staff, Response> {
        let lang = match Lang::from_request_parts(parts, state).await {
            Ok(l) => l,
            Err(never) => match never {},
        };
        let path = path_of(parts);
        match CurrentUser::from_request_parts(parts, state).await {
            Ok(CurrentUser(user)) => {
                // The count on the navigation's "Chờ duyệt" (approvers only).
                crate::hub::pending::refresh(state, &user).await;
                Ok(Staff { user, lang, path })
            }
            Err(HubError::Unauthorized(_)) => {
                let to = if parts.method == axum::http::Method::GET {
                    format!("/login?back={}", url_escape(&path))
                } else {
                    "/login".to_string()
                };
                Err(Redirect::to(&to).into_response())
            }
            // The only 403 of the extractor: a one-time password to change first.
            Err(HubError::Forbidden(_)) => Err(Redirect::to("/password").into_response()),
            Err(e) => Err(error_page(
                &Frame {
                    lang,
                    user: None,
                    path: &path,
                    nav: "",
                },
                e,
            )),
        }
    }
}

/// A refusal or failure as a page, with the error's status.
pub fn error_page(f: &Frame, e: HubError) -> Response {
    match &e {
        HubError::Internal(detail) => tracing::error!("hub: {detail:?}"),
        HubError::Forbidden(r) => tracing::warn!("hub: refused: {:?}", r.text(Lang::En)),
        _ => tracing::debug!("hub: {:?}", e.to_string()),
    }
    let l = f.lang;
    let status = e.status();
    let heading = match status {
        StatusCode::FORBIDDEN => tr!(l, "admin-error-403"),
        StatusCode::NOT_FOUND => tr!(l, "admin-error-404"),
        StatusCode::UNAUTHORIZED => tr!(l, "admin-error-401"),
        StatusCode::INTERNAL_SERVER_ERROR => tr!(l, "admin-error-500"),
        _ => tr!(l, "admin-error-other"),
    };
    let body = html! {
        h1 { (heading) }
        div class="msg err" id="error" data-status=(status.as_u16()) { (l.reason(&e.reason())) }
        p { a class="btn" href="/" id="error-home" { (tr!(l, "admin-error-home")) } }
    };
    (status, Html(page(f, &heading, body).into_string())).into_response()
}

/// Every path no route answers: under `/api/` the API's JSON 404, else a
/// page in the hub's layout and the reader's language (never the browser's
/// own English one).
pub async fn fallback(State(state): State<AppState>, mut parts: Parts) -> Response {
    let path = path_of(&parts);
    let e = HubError::not_found("err-no-such-page");
    if path.starts_with("/api/") || path == "/api" || path.starts_with("/feed/") {
        return e.into_response();
    }
    let lang = match Lang::from_request_parts(&mut parts, &state).await {
        Ok(l) => l,
        Err(never) => match never {},
    };
    let user = SignedIn::from_request_parts(&mut parts, &state)
        .await
        .ok()
        .map(|s| s.user);
    error_page(
        &Frame {
            lang,
            user: user.as_ref(),
            path: &path,
            nav: "",
        },
        e,
    )
}
