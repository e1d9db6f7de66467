//! The pages' two languages: Vietnamese first, English on request. `Lang`
//! is an extractor: `?lang=en|vi` on the URL, else the `loa_lang` cookie set by
//! `/lang`, else the hub's configured `lang`. Also the labels of states,
//! levels and roles, from the catalogue (`locales/*/layout.ftl`) in HUB.md's
//! words, so every page says them the same way.

use axum::extract::{FromRequestParts, Query, State};
use axum::http::header::{COOKIE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::hub::app::AppState;
use crate::hub::users::Role;

pub const LANG_COOKIE: &str = "loa_lang";

pub use crate::i18n::Lang;

impl Lang {
    /// Pick the text for this language.
    pub fn t<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// A clip's or broadcast's state, in the catalogue's words.
    pub fn state(self, s: &str) -> String {
        match s {
            "draft" => crate::tr!(self, "layout-state-draft"),
            "submitted" => crate::tr!(self, "layout-state-submitted"),
            "approved" => crate::tr!(self, "layout-state-approved"),
            "rejected" => crate::tr!(self, "layout-state-rejected"),
            "withdrawn" => crate::tr!(self, "layout-state-withdrawn"),
            _ => crate::tr!(self, "layout-state-unknown"),
        }
    }

    /// A level (Circular 39): normal, priority, emergency.
    pub fn level(self, l: &str) -> String {
        match l {
            "normal" => crate::tr!(self, "layout-level-normal"),
            "priority" => crate::tr!(self, "layout-level-priority"),
            "emergency" => crate::tr!(self, "layout-level-emergency"),
            _ => crate::tr!(self, "layout-level-unknown"),
        }
    }

    /// A role, in HUB.md's words.
    pub fn role(self, r: Role) -> String {
        match r {
            Role::Admin => crate::tr!(self, "layout-role-admin"),
            Role::Editor => crate::tr!(self, "layout-role-editor"),
            Role::Approver => crate::tr!(self, "layout-role-approver"),
            Role::Operator => crate::tr!(self, "layout-role-operator"),
            Role::Viewer => crate::tr!(self, "layout-role-viewer"),
        }
    }

    /// A hub refusal's reason in this language.
    pub fn reason(self, r: &crate::hub::error::Reason) -> String {
        r.text(self)
    }
}

fn from_query(parts: &Parts) -> Option<Lang> {
    parts
        .uri
        .query()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Lang::parse(v))
}

fn from_cookie(parts: &Parts) -> Option<Lang> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == LANG_COOKIE)
        .and_then(|(_, v)| Lang::parse(v))
}

impl FromRequestParts<AppState> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Lang, Self::Rejection> {
        Ok(from_query(parts)
            .or_else(|| from_cookie(parts))
            .or_else(|| Lang::parse(&state.cfg.lang))
            .unwrap_or(Lang::Vi))
    }
}

#[derive(Deserialize)]
pub struct Switch {
    to: String,
    #[serde(default)]
    back: String,
}

/// A local path to go back to (never another site: `//host` and `\` refused).
pub fn safe_back(back: &str) -> &str {
    let ok = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control);
    if ok {
        back
    } else {
        "/"
    }
}

/// `GET /lang?to=en&back=/clips`: remember the language in a cookie, go back.
pub async fn switch(State(_state): State<AppState>, Query(q): Query<Switch>) -> Response {
    let lang = Lang::parse(&q.to).unwrap_or(Lang::Vi);
    let back = safe_back(&q.back);
    let mut r = StatusCode::SEE_OTHER.into_response();
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.code()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(SET_COOKIE, v);
    }
    if let Ok(v) = HeaderValue::from_str(back) {
        r.headers_mut().insert(LOCATION, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_stays_on_the_hub() {
        assert_eq!(
            safe_back("/clips?state=submitted"),
            "/clips?state=submitted"
        );
        assert_eq!(safe_back("//evil.example/x"), "/");
        assert_eq!(safe_back("https://evil.example/"), "/");
        assert_eq!(safe_back("/\\evil.example"), "/");
        assert_eq!(safe_back(""), "/");
    }

    #[test]
    fn words_are_hub_md_words() {
        assert_eq!(Lang::Vi.state("submitted"), "chờ duyệt");
        assert_eq!(Lang::Vi.level("emergency"), "khẩn cấp");
        assert_eq!(Lang::En.level("priority"), "priority");
        assert_eq!(Lang::Vi.role(Role::Operator), "vận hành đài");
        assert_eq!(Lang::Vi.state("nonsense"), "không rõ");
        assert_eq!(Lang::Vi.t("bản tin", "clips"), "bản tin");
    }
}
