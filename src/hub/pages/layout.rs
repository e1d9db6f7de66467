//! The frame every page shares: `<head>` (the phone viewport, a link to the
//! stylesheet), the top bar with the account and the language switch, the
//! navigation (only what the account's roles may open), a message line, and
//! small formatting helpers (times in the hub's zone, state and level badges).
//! Words come from the catalogue (`locales/*/layout.ftl`). Everything is maud
//! markup: text is escaped.
//!
//! The stylesheet is one file served at `/static/style.css?v=HASH` (HASH of
//! its text, so a new build is a new address) with a year-long immutable
//! cache: a phone fetches it once instead of with every page.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use maud::{html, Markup, DOCTYPE};

use super::i18n::Lang;
use crate::hub::users::{Role, User};

/// The stylesheet: `css/base.css` then one file per area (each area adds
/// its line here).
pub const CSS: &str = concat!(
    include_str!("css/base.css"),
    include_str!("css/clips.css"),
    include_str!("css/programs.css"),
    include_str!("css/home.css"),
);

/// FNV-1a of the stylesheet, at compile time: the `?v=` of its address.
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

const CSS_HASH: u64 = fnv(CSS);

/// The stylesheet's address, changing with its text.
pub fn css_href() -> String {
    format!("/static/style.css?v={CSS_HASH:016x}")
}

/// `GET /static/style.css`: the stylesheet, cached for a year (its address
/// changes with its text).
pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CSS,
    )
}

/// What the frame needs to know about the request.
pub struct Frame<'a> {
    pub lang: Lang,
    pub user: Option<&'a User>,
    /// The path of this page, for the language switch to come back to.
    pub path: &'a str,
    /// Which navigation entry is current.
    pub nav: &'a str,
}

/// A message shown at the top of a page.
pub enum Note {
    Err(String),
    Ok(String),
    Info(String),
}

impl Note {
    pub fn show(&self) -> Markup {
        let (class, text) = match self {
            Note::Err(t) => ("msg err", t),
            Note::Ok(t) => ("msg ok", t),
            Note::Info(t) => ("msg info", t),
        };
        html! { div class=(class) role="status" { (text) } }
    }
}

fn nav_items(l: Lang, u: &User) -> Vec<(&'static str, &'static str, String)> {
    let mut v = vec![
        ("home", "/", crate::tr!(l, "layout-nav-home")),
        ("clips", "/clips", crate::tr!(l, "layout-nav-clips")),
    ];
    if u.has(Role::Approver) {
        // The count of clips awaiting this approver (hub::pending).
        let label = match crate::hub::pending::get(u) {
            Some(n) => crate::tr!(l, "clips-nav-queue-count", n = n as i64),
            None => crate::tr!(l, "layout-nav-queue"),
        };
        v.push(("queue", "/queue", label));
    }
    v.push((
        "broadcasts",
        "/broadcasts",
        crate::tr!(l, "layout-nav-broadcasts"),
    ));
    v.push((
        "stations",
        "/stations",
        crate::tr!(l, "layout-nav-stations"),
    ));
    v.push(("reports", "/reports", crate::tr!(l, "layout-nav-reports")));
    if u.has(Role::Admin) {
        v.push((
            "accounts",
            "/accounts",
            crate::tr!(l, "layout-nav-accounts"),
        ));
        v.push(("audit", "/audit", crate::tr!(l, "layout-nav-audit")));
    }
    v
}

/// The whole HTML document.
pub fn page(f: &Frame, title: &str, body: Markup) -> Markup {
    let l = f.lang;
    let other = match l {
        Lang::Vi => "en",
        Lang::En => "vi",
    };
    let switch = format!("/lang?to={other}&back={}", url_escape(f.path));
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="same-origin";
                title { (crate::tr!(l, "layout-title", page = title.to_string())) }
                link rel="stylesheet" href=(css_href());
            }
            body {
                header {
                    div class="top" {
                        a class="brand" href="/" { (crate::tr!(l, "layout-brand")) }
                        div class="who" {
                            a id="lang-switch" href=(switch) hreflang=(other) lang=(other) { (crate::tr!(l, "layout-lang-other")) }
                            @if let Some(u) = f.user {
                                span id="whoami" { (u.name) }
                                form method="post" action="/logout" {
                                    button id="logout" type="submit" { (crate::tr!(l, "layout-sign-out")) }
                                }
                            }
                        }
                    }
                    @if let Some(u) = f.user {
                        @if !u.must_change_password {
                            nav aria-label=(crate::tr!(l, "layout-nav-label")) {
                                @for (key, href, label) in nav_items(l, u) {
                                    a href=(href) class=[(key == f.nav).then_some("on")] aria-current=[(key == f.nav).then_some("page")] { (label) }
                                }
                            }
                        }
                    }
                }
                main { (body) }
                footer { (crate::tr!(l, "layout-footer")) }
            }
        }
    }
}

/// `%`-escape a path for a query value.
pub fn url_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Unix seconds as local time in the hub's zone.
pub fn when(tz: chrono_tz::Tz, s: i64) -> String {
    use chrono::TimeZone;
    match tz.timestamp_opt(s, 0).single() {
        Some(t) => t.format("%d/%m/%Y %H:%M").to_string(),
        None => s.to_string(),
    }
}

pub fn state_badge(l: Lang, state: &str) -> Markup {
    html! { span class={"badge st-" (state)} data-state=(state) { (l.state(state)) } }
}

pub fn level_badge(l: Lang, level: &str) -> Markup {
    html! { span class={"badge lv-" (level)} data-level=(level) { (crate::tr!(l, "layout-level", level = l.level(level))) } }
}

/// The names of areas, `code – name`, joined.
pub fn areas_text(tree: &crate::hub::areas::AreaTree, l: Lang, codes: &[String]) -> String {
    if codes.is_empty() {
        return crate::tr!(l, "layout-everywhere");
    }
    codes
        .iter()
        .map(|c| match tree.name(c) {
            Some(n) => format!("{n} ({c})"),
            None => c.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
