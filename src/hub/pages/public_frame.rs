//! The citizens' frame (no sign-in): a light document of its own — its own
//! tiny stylesheet (`/static/public.css?v=HASH`, cached a year), the area's
//! name on top, a language switch, no staff navigation — so a page weighs a
//! few kilobytes on a cheap phone over 3G. Also the citizens' error page
//! (an unknown area, a missing bulletin: 404 in the reader's language,
//! Vietnamese unless asked otherwise) and their cache headers.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use super::i18n::Lang;
use super::layout::url_escape;
use crate::hub::error::HubError;
use crate::tr;

/// The citizens' stylesheet.
pub const CSS: &str = include_str!("css/public.css");

const fn fnv(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < b.len() {
        h ^= b[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

/// The stylesheet's address, changing with its text.
pub fn css_href() -> String {
    format!("/static/public.css?v={:016x}", fnv(CSS))
}

/// `GET /static/public.css`.
pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CSS,
    )
}

/// How long a citizen's page may be reused (a new bulletin shows within a minute).
pub const PAGE_CACHE: &str = "public, max-age=60";

/// What a citizens' page says about itself.
pub struct Doc<'a> {
    pub lang: Lang,
    /// The `<title>`.
    pub title: &'a str,
    /// `<body class=…>` (the board's full screen).
    pub class: &'a str,
    /// Extra `<head>` content (the board's refresh and script).
    pub head: Markup,
}

/// The whole document: `header` (when given), `main`, `footer` (when given).
pub fn document(d: &Doc, header: Option<Markup>, main: Markup, footer: Option<String>) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(d.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (d.title) }
                link rel="stylesheet" href=(css_href());
                (d.head)
            }
            body class=(d.class) {
                @if let Some(h) = header { header class="pub" { (h) } }
                main { (main) }
                @if let Some(f) = footer { footer { (f) } }
            }
        }
    }
}

/// The language switch back to `path`.
pub fn lang_switch(l: Lang, path: &str) -> Markup {
    let other = match l {
        Lang::Vi => "en",
        Lang::En => "vi",
    };
    let href = format!("/lang?to={other}&back={}", url_escape(path));
    html! { a class="lang" id="lang-switch" href=(href) hreflang=(other) lang=(other) { (tr!(l, "public-lang-other")) } }
}

/// A page answer with the citizens' cache header.
pub fn respond(markup: Markup) -> Response {
    ([(CACHE_CONTROL, PAGE_CACHE)], Html(markup.into_string())).into_response()
}

/// A refusal or failure as a citizens' page with the error's status.
pub fn error(l: Lang, path: &str, e: HubError) -> Response {
    if let HubError::Internal(detail) = &e {
        tracing::error!("hub: public page: {detail:?}");
    }
    let status = e.status();
    let found = status == StatusCode::NOT_FOUND;
    let heading = if found {
        tr!(l, "public-404-title")
    } else {
        tr!(l, "public-error-title")
    };
    let d = Doc {
        lang: l,
        title: &heading,
        class: "",
        head: html! {},
    };
    let main = html! {
        h1 { (heading) }
        p id="error" data-status=(status.as_u16()) { (l.reason(&e.reason())) }
        p { (if found { tr!(l, "public-404-home") } else { tr!(l, "public-error-later") }) }
        p { (lang_switch(l, path)) }
    };
    (
        status,
        [(CACHE_CONTROL, "no-store")],
        Html(document(&d, None, main, None).into_string()),
    )
        .into_response()
}
