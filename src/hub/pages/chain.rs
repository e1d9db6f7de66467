//! The station page's as-run chain section beyond "intact / broken": the
//! breaks on record (when, lines in doubt, who acknowledged, why) and, for an
//! admin while a break is open, the form that acknowledges it
//! (`POST /stations/{id}/acknowledge`, service `hub::chain::acknowledge`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::Staff;
use super::i18n::Lang;
use super::layout::{url_escape, when};
use crate::hub::app::AppState;
use crate::hub::auth::ClientAddr;
use crate::hub::chain::{self, Break, MAX_NOTE};
use crate::hub::heartbeat::StationInfo;
use crate::hub::users::{Role, User};
use crate::tr;

/// The breaks on record, and the acknowledge form for an admin.
pub fn section(
    l: Lang,
    tz: chrono_tz::Tz,
    user: &User,
    st: &StationInfo,
    breaks: &[Break],
) -> Markup {
    html! {
        @if st.chain_break.is_some() && user.has(Role::Admin) {
            form method="post" action={"/stations/" (url_escape(&st.id)) "/acknowledge"} class="card ack" id="ack" {
                p { (tr!(l, "chain-ack-help")) }
                label for="note" { (tr!(l, "chain-ack-note")) }
                input type="text" id="note" name="note" required maxlength=(MAX_NOTE);
                button type="submit" { (tr!(l, "chain-ack-button")) }
            }
        }
        @if !breaks.is_empty() {
            h3 { (tr!(l, "chain-breaks-title")) }
            ul class="breaks" {
                @for b in breaks {
                    @let from = if b.gap_from > 0 { when(tz, b.gap_from) } else { "—".to_string() };
                    @let (who, at) = (b.acknowledged_by.clone(), when(tz, b.acknowledged_at));
                    li data-resumed=(b.resumed_hash.is_some()) {
                        (tr!(l, "chain-break-found", at = when(tz, b.detected_at), from = from))
                        div class="meta" {
                            @if b.resumed_hash.is_none() {
                                (tr!(l, "chain-break-acked-waiting", who = who, at = at, note = b.note.clone()))
                            } @else {
                                (tr!(l, "chain-break-acked", who = who, at = at, note = b.note.clone()))
                            }
                        }
                        div class="meta" { (b.reason) }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct AckForm {
    #[serde(default)]
    note: String,
}

/// `POST /stations/{id}/acknowledge`.
pub async fn acknowledge(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Path(id): Path<String>,
    Form(f): Form<AckForm>,
) -> Response {
    match chain::acknowledge(&state, &s.user, &addr.0, &id, &f.note).await {
        Ok(_) => Redirect::to(&format!("/stations/{}?done=ack", url_escape(&id))).into_response(),
        Err(e) => s.fail("stations", e),
    }
}
