//! Chờ duyệt: what awaits an approver — submitted clips (with a player) and
//! submitted pushed broadcasts, each with phê duyệt / từ chối. Only what the
//! services let this user see is listed; the decision is the services' too.

use axum::extract::{Query, State};
use axum::response::Response;
use maud::html;

use super::clips::{actions, card, done_note, ListQuery as Done};
use super::ctx::Staff;
use super::service;
use crate::hub::app::AppState;
use crate::hub::broadcasts;
use crate::hub::clips;
use crate::hub::error::HubError;
use crate::hub::scope;
use crate::hub::users::Role;

/// `GET /queue`.
pub async fn show(State(state): State<AppState>, s: Staff, Query(q): Query<Done>) -> Response {
    let l = s.lang;
    let loaded = async {
        scope::require(&s.user, Role::Approver)?;
        let clips = clips::list(&state, &s.user, Some("submitted")).await?;
        let bs: Vec<_> = broadcasts::list(&state, &s.user)
            .await?
            .into_iter()
            .filter(|b| b.state == "submitted")
            .collect();
        Ok::<_, HubError>((
            clips,
            bs,
            state.area_tree(&[]).await?,
            service::names(&state).await?,
        ))
    }
    .await;
    let (clips, bs, tree, names) = match loaded {
        Ok(x) => x,
        Err(e) => return s.fail("queue", e),
    };
    let tz = state.cfg.timezone;
    let body = html! {
        h1 { (l.t("Chờ duyệt", "Awaiting approval")) }
        @if let Some(n) = done_note(l, q.done()) { (n.show()) }
        h2 { (l.t("Bản tin", "Clips")) " (" (clips.len()) ")" }
        @if clips.is_empty() { p class="meta" id="queue-empty" { (l.t("Không có bản tin nào chờ duyệt.", "No clip awaits approval.")) } }
        @for c in &clips {
            (card(l, tz, &tree, &names, c, html! {
                audio controls preload="none" src={"/api/v1/clips/" (c.id) "/audio"} {}
                (actions(l, &s.user, c, "/queue"))
            }))
        }
        h2 { (l.t("Phát ngay", "Pushed broadcasts")) " (" (bs.len()) ")" }
        @if bs.is_empty() { p class="meta" { (l.t("Không có lượt phát nào chờ duyệt.", "No broadcast awaits approval.")) } }
        @for b in &bs { (super::broadcasts::card(l, tz, &tree, &names, &s.user, b, "/queue")) }
    };
    s.render("queue", l.t("Chờ duyệt", "Awaiting approval"), body)
}
