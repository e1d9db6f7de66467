//! `GET /p/{area}/bang-tin` (bảng tin): a full-screen page for the TV in a
//! commune office — the current public bulletins' titles and text in type
//! read from 5 m, one at a time, rotating, and refreshing itself. Without
//! script a `<noscript>` meta refresh shows the next one (`?i=`) every
//! `SLIDE_S` seconds (and so fetches fresh bulletins as it goes); with
//! `/static/board.js` the page turns them itself and reloads every
//! `RELOAD_S` seconds when the hub answers (a dropped line keeps the board
//! showing what it has).

use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use maud::html;
use serde::Deserialize;

use super::i18n::Lang;
use super::public_frame::{document, error, Doc};
use super::public_item::day;
use crate::hub::app::AppState;
use crate::hub::public::{self, bulletin_text};
use crate::tr;

/// Seconds each bulletin stays on screen.
pub const SLIDE_S: u32 = 15;
/// Seconds between reloads when the script runs.
pub const RELOAD_S: u32 = 300;
/// Bulletins on the board at most (the newest).
pub const ON_BOARD: usize = 12;

const JS: &str = include_str!("js/board.js");

#[derive(Deserialize, Default)]
pub struct Ask {
    #[serde(default)]
    i: Option<String>,
}

/// `GET /p/{area}/bang-tin`.
pub async fn show(
    State(state): State<AppState>,
    l: Lang,
    Path(area): Path<String>,
    Query(ask): Query<Ask>,
) -> Response {
    let path = format!("/p/{area}/bang-tin");
    let (tree, name) = match public::area(&state, &area).await {
        Ok(x) => x,
        Err(e) => return error(l, &path, e),
    };
    let clips = match public::latest(&state, &tree, &area, ON_BOARD).await {
        Ok(c) => c,
        Err(e) => return error(l, &path, e),
    };
    let tz = state.cfg.timezone;
    let total = clips.len();
    let shown = ask
        .i
        .as_deref()
        .and_then(|i| i.parse::<usize>().ok())
        .unwrap_or(0)
        .checked_rem(total.max(1))
        .unwrap_or(0);
    let next = if total == 0 { 0 } else { (shown + 1) % total };
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let date = format!(
        "{} {}",
        crate::i18n::format::weekday(l, today.weekday()),
        crate::i18n::format::date(today)
    );
    let title = tr!(l, "public-board-title", area = name.clone());
    let refresh = format!("{SLIDE_S};url={path}?i={next}");
    let head = html! {
        noscript { meta http-equiv="refresh" content=(refresh); }
        script src="/static/board.js" defer {}
    };
    let main = html! {
        div class="board-top" id="board" data-slide=(SLIDE_S) data-reload=(RELOAD_S) {
            h1 { (title) }
            span id="board-date" { (date) }
        }
        @if clips.is_empty() {
            section class="slide" id="board-empty" { h2 { (tr!(l, "public-board-empty")) } }
        }
        @for (n, c) in clips.iter().enumerate() {
            section class="slide" id={"s-" (c.id)} hidden[n != shown] aria-live="polite" {
                h2 { (c.title) }
                p class="meta" {
                    span { (tr!(l, "public-date", date = day(tz, c))) }
                    }
                // A text bulletin's written text (clips.text).
                @if let Some(t) = bulletin_text(c) { p class="text" { (t) } }
                p class="board-pos" { (tr!(l, "public-board-position", n = (n + 1) as i64, total = total as i64)) }
            }
        }
    };
    let d = Doc {
        lang: l,
        title: &title,
        class: "board",
        head,
    };
    let body = document(&d, None, main, None);
    (
        [(CACHE_CONTROL, "no-cache")],
        axum::response::Html(body.into_string()),
    )
        .into_response()
}

/// `GET /static/board.js`: the board's rotation and reload.
pub async fn script() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        JS,
    )
}
