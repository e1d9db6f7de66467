//! What a page handler takes and gives back: `Staff` (a signed-in user who
//! may act, with the page language and path) sends a browser without a
//! session to the sign-in page and one with a one-time password to the
//! password change, instead of the JSON API's 401/403; `error_page` turns a
//! service's `HubError` into a readable page with the same status (a 403
//! says why, in the user's language).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{html, Markup};

use super::i18n::Lang;
use super::layout::{page, url_escape, Frame};
use crate::hub::app::AppState;
use crate::hub::auth::CurrentUser;
use crate::hub::error::HubError;
use crate::hub::users::User;

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
        HubError::Forbidden(r) => tracing::warn!("hub: refused: {:?}", r.en),
        _ => tracing::debug!("hub: {:?}", e.to_string()),
    }
    let l = f.lang;
    let status = e.status();
    let heading = match status {
        StatusCode::FORBIDDEN => l.t("Không được phép", "Not allowed"),
        StatusCode::NOT_FOUND => l.t("Không tìm thấy", "Not found"),
        StatusCode::UNAUTHORIZED => l.t("Cần đăng nhập", "Sign in needed"),
        StatusCode::INTERNAL_SERVER_ERROR => l.t("Lỗi", "Error"),
        _ => l.t("Không thực hiện được", "Could not be done"),
    };
    let body = html! {
        h1 { (heading) }
        div class="msg err" id="error" { (l.reason(&e.reason())) }
        p { a href="/clips" { (l.t("Về trang bản tin", "Back to the clips")) } }
    };
    (status, Html(page(f, heading, body).into_string())).into_response()
}
