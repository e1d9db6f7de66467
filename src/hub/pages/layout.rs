//! The frame every page shares: `<head>` (the embedded stylesheet, the phone
//! viewport), the top bar with the account and the language switch, the
//! navigation (only what the account's roles may open), a message line, and
//! small formatting helpers (times in the hub's zone, state and level badges).
//! Everything is maud markup: text is escaped unless it goes through
//! `PreEscaped`, which only the stylesheet does.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::i18n::Lang;
use crate::hub::users::{Role, User};

/// The stylesheet: `css/base.css` then one file per area (each area adds
/// its line here).
const CSS: &str = concat!(include_str!("css/base.css"), include_str!("css/home.css"),);

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

fn nav_items(l: Lang, u: &User) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut v = vec![("clips", "/clips", l.t("Bản tin", "Clips"))];
    if u.has(Role::Approver) {
        v.push(("queue", "/queue", l.t("Chờ duyệt", "Approval queue")));
    }
    v.push(("broadcasts", "/broadcasts", l.t("Phát ngay", "Broadcasts")));
    v.push(("stations", "/stations", l.t("Đài xã", "Stations")));
    v.push(("reports", "/reports", l.t("Báo cáo", "Reports")));
    if u.has(Role::Admin) {
        v.push(("accounts", "/accounts", l.t("Tài khoản", "Accounts")));
        v.push(("audit", "/audit", l.t("Nhật ký thao tác", "Audit log")));
    }
    v
}

/// The whole HTML document.
pub fn page(f: &Frame, title: &str, body: Markup) -> Markup {
    let l = f.lang;
    let other = match l {
        Lang::Vi => ("en", "English"),
        Lang::En => ("vi", "Tiếng Việt"),
    };
    let switch = format!("/lang?to={}&back={}", other.0, url_escape(f.path));
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="same-origin";
                title { (title) " · loa hub" }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    div class="top" {
                        a class="brand" href="/" { "loa · " (l.t("Hệ thống nguồn tỉnh", "Provincial hub")) }
                        div class="who" {
                            a id="lang-switch" href=(switch) hreflang=(other.0) { (other.1) }
                            @if let Some(u) = f.user {
                                span id="whoami" { (u.name) }
                                form method="post" action="/logout" {
                                    button id="logout" type="submit" { (l.t("Đăng xuất", "Sign out")) }
                                }
                            }
                        }
                    }
                    @if let Some(u) = f.user {
                        @if !u.must_change_password {
                            nav {
                                @for (key, href, label) in nav_items(l, u) {
                                    a href=(href) class=[(key == f.nav).then_some("on")] { (label) }
                                }
                            }
                        }
                    }
                }
                main { (body) }
                footer { "loa hub" }
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
    html! { span class={"badge lv-" (level)} data-level=(level) { (l.t("mức", "level")) ": " (l.level(level)) } }
}

/// The names of areas, `code – name`, joined.
pub fn areas_text(tree: &crate::hub::areas::AreaTree, l: Lang, codes: &[String]) -> String {
    if codes.is_empty() {
        return l.t("toàn tỉnh", "everywhere").to_string();
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
