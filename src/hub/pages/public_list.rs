//! `GET /p/{area}` (nghe lại): an area's bulletins for citizens, no sign-in,
//! phone first — newest first, 20 a page, each with its player; a search
//! over the titles (`?q=`); links to the podcast, the embed and the board.
//! Only what `hub::public` says is public for the area is ever listed.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::i18n::Lang;
use super::public_frame::{document, error, lang_switch, respond, Doc};
use super::public_item::item;
use crate::hub::app::AppState;
use crate::hub::public;
use crate::tr;

/// Bulletins a page.
pub const PER_PAGE: usize = 20;

#[derive(Deserialize, Default)]
pub struct Ask {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<String>,
}

/// `GET /p/{area}`.
pub async fn show(
    State(state): State<AppState>,
    l: Lang,
    Path(area): Path<String>,
    Query(ask): Query<Ask>,
) -> Response {
    let path = format!("/p/{area}");
    let (tree, name) = match public::area(&state, &area).await {
        Ok(x) => x,
        Err(e) => return error(l, &path, e),
    };
    let want = ask
        .page
        .as_deref()
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1);
    let words = ask.q.trim().chars().take(100).collect::<String>();
    let p = match public::page(&state, &tree, &area, &words, want, PER_PAGE).await {
        Ok(p) => p,
        Err(e) => return error(l, &path, e),
    };
    let tz = state.cfg.timezone;
    let title = tr!(l, "public-title", area = name.clone());
    let q_part = if words.is_empty() {
        String::new()
    } else {
        format!("q={}&", super::layout::url_escape(&words))
    };
    let n = p.total as i64;
    let header = html! {
        h1 { (tr!(l, "public-heading", area = name.clone())) }
        (lang_switch(l, &path))
    };
    let main = html! {
        p class="intro" { (tr!(l, "public-intro", area = name.clone())) }
        form class="search" method="get" action=(path) role="search" {
            label for="q" { (tr!(l, "public-search-label")) }
            input type="search" id="q" name="q" value=(words) maxlength="100";
            button type="submit" id="search" { (tr!(l, "public-search-button")) }
        }
        @if words.is_empty() {
            p class="count" id="count" { (tr!(l, "public-count", n = n)) }
        } @else {
            p class="count" id="count" { (tr!(l, "public-found", n = n, words = words.clone())) " "
                a href=(path) id="clear" { (tr!(l, "public-search-clear")) } }
        }
        @if p.clips.is_empty() {
            p id="empty" {
                @if words.is_empty() { (tr!(l, "public-empty")) }
                @else { (tr!(l, "public-none-found", words = words.clone())) }
            }
        }
        div id="bulletins" {
            @for c in &p.clips { (item(l, tz, &area, c)) }
        }
        @if p.pages > 1 {
            nav class="pager" aria-label=(tr!(l, "public-page", page = p.page as i64, pages = p.pages as i64)) {
                @if p.page > 1 {
                    a id="prev" rel="prev" href={(path) "?" (q_part) "page=" (p.page - 1)} { (tr!(l, "public-prev")) }
                }
                span { (tr!(l, "public-page", page = p.page as i64, pages = p.pages as i64)) }
                @if p.page < p.pages {
                    a id="next" rel="next" href={(path) "?" (q_part) "page=" (p.page + 1)} { (tr!(l, "public-next")) }
                }
            }
        }
        nav class="links" {
            a id="podcast" href={(path) "/podcast.xml"} type="application/rss+xml" { (tr!(l, "public-podcast")) }
            a id="board" href={(path) "/bang-tin"} { (tr!(l, "public-board-link")) }
            a id="embed" href={(path) "/nhung"} { (tr!(l, "public-embed-link")) }
        }
    };
    let head = html! {
        link rel="alternate" type="application/rss+xml" title=(tr!(l, "public-podcast-title", area = name.clone())) href={(path) "/podcast.xml"};
    };
    let d = Doc {
        lang: l,
        title: &title,
        class: "",
        head,
    };
    respond(document(
        &d,
        Some(header),
        main,
        Some(tr!(l, "public-footer", area = name)),
    ))
}
