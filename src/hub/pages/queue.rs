//! Chờ duyệt: what awaits an approver — submitted clips (with a player) and
//! submitted pushed broadcasts, each with phê duyệt / từ chối. Only what the
//! services let this user see is listed; the decision is the services' too.
//! The clips come 50 a page (oldest first, as `clip_list` orders them), so a
//! province with a thousand waiting still gets a light page.

use axum::extract::{Query, State};
use axum::response::Response;
use maud::html;

use super::clips::{actions, done_note, ListQuery as Done, Look, PER_PAGE};
use super::ctx::Staff;
use super::service;
use crate::hub::app::AppState;
use crate::hub::broadcasts;
use crate::hub::clip_list::{self, Search};
use crate::hub::error::HubError;
use crate::hub::local_clips::station_names;
use crate::hub::scope;
use crate::hub::users::Role;
use crate::tr;

/// `GET /queue`.
pub async fn show(State(state): State<AppState>, s: Staff, Query(q): Query<Done>) -> Response {
    let l = s.lang;
    let loaded = async {
        scope::require(&s.user, Role::Approver)?;
        let shown = clip_list::list_page(
            &state,
            &s.user,
            Some("submitted"),
            q.page(),
            PER_PAGE,
            &Search::default(),
        )
        .await?;
        let bs: Vec<_> = broadcasts::list(&state, &s.user)
            .await?
            .into_iter()
            .filter(|b| b.state == "submitted")
            .collect();
        Ok::<_, HubError>((
            shown,
            bs,
            state.area_tree(&[]).await?,
            service::names(&state).await?,
            station_names(&state).await?,
        ))
    }
    .await;
    let (shown, bs, tree, names, stations) = match loaded {
        Ok(x) => x,
        Err(e) => return s.fail("queue", e),
    };
    let tz = state.cfg.timezone;
    let look = Look {
        l,
        tz,
        tree: &tree,
        names: &names,
        stations: &stations,
    };
    let body = html! {
        h1 { (tr!(l, "clips-queue-title")) }
        @if let Some(n) = done_note(l, q.done()) { (n.show()) }
        h2 { (tr!(l, "clips-queue-clips", n = shown.total as i64)) }
        @if shown.clips.is_empty() { p class="meta" id="queue-empty" { (tr!(l, "clips-queue-empty")) } }
        @for c in &shown.clips {
            (look.card(c, html! {
                audio controls preload="none" src={"/api/v1/clips/" (c.id) "/audio"} {}
                (actions(l, &s.user, c, "/queue"))
            }))
        }
        @if shown.pages > 1 {
            p class="filters pager" {
                @if shown.page > 1 { a href={"/queue?page=" (shown.page - 1)} id="prev" { "‹ " (tr!(l, "clips-prev")) } }
                span { (tr!(l, "clips-page", page = shown.page as i64, pages = shown.pages as i64)) }
                @if shown.page < shown.pages { a href={"/queue?page=" (shown.page + 1)} id="next" { (tr!(l, "clips-next")) " ›" } }
            }
        }
        h2 { (tr!(l, "clips-queue-broadcasts", n = bs.len() as i64)) }
        @if bs.is_empty() { p class="meta" { (tr!(l, "clips-queue-no-broadcast")) } }
        @for b in &bs { (super::broadcasts::card(l, tz, &tree, &names, &s.user, b, "/queue")) }
    };
    s.render("queue", &tr!(l, "clips-queue-title"), body)
}
