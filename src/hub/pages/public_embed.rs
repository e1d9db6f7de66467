//! `GET /p/{area}/nhung` (nhúng): the newest bulletins of an area in a
//! compact page made to sit in an `<iframe>` on a commune's website (the
//! only hub page any site may frame: `Framing::Anywhere`). `?n=` picks how
//! many (1–20, default 5); links open the full page in a new tab.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use maud::html;
use serde::Deserialize;

use super::i18n::Lang;
use super::public_frame::{document, error, respond, Doc};
use super::public_item::item;
use crate::hub::app::AppState;
use crate::hub::http::headers::Framing;
use crate::hub::public;
use crate::tr;

#[derive(Deserialize, Default)]
pub struct Ask {
    #[serde(default)]
    n: Option<String>,
}

/// `GET /p/{area}/nhung`.
pub async fn show(
    State(state): State<AppState>,
    l: Lang,
    Path(area): Path<String>,
    Query(ask): Query<Ask>,
) -> Response {
    let path = format!("/p/{area}/nhung");
    let (tree, name) = match public::area(&state, &area).await {
        Ok(x) => x,
        Err(e) => return error(l, &path, e),
    };
    let n = ask
        .n
        .as_deref()
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(5)
        .clamp(1, 20);
    let clips = match public::latest(&state, &tree, &area, n).await {
        Ok(c) => c,
        Err(e) => return error(l, &path, e),
    };
    let title = tr!(l, "public-embed-title", area = name.clone());
    let tz = state.cfg.timezone;
    let main = html! {
        h1 { (title) }
        @if clips.is_empty() { p id="empty" { (tr!(l, "public-empty")) } }
        div id="bulletins" {
            @for c in &clips { (item(l, tz, &area, c)) }
        }
        p { a class="more" id="more" href={"/p/" (area)} target="_blank" rel="noopener" { (tr!(l, "public-embed-more")) } }
    };
    let d = Doc {
        lang: l,
        title: &title,
        class: "embed",
        head: html! { base target="_blank"; },
    };
    (
        Extension(Framing::Anywhere),
        respond(document(&d, None, main, None)),
    )
        .into_response()
}
