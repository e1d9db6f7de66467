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
                p { (l.t(
                    "Sau khi kiểm tra trạm (ví dụ: hộp được cài lại, thẻ nhớ được thay), xác nhận để hub nhận tiếp nhật ký từ dòng mới nhất của trạm. Chỗ đứt vẫn được ghi lại và hiện trong báo cáo.",
                    "Once the station is checked (re-imaged box, replaced card…), acknowledge to let the hub take the station's log again from its newest lines. The break stays on record and in reports."
                )) }
                label for="note" { (l.t("Lý do", "Why")) }
                input type="text" id="note" name="note" required maxlength=(MAX_NOTE);
                button type="submit" { (l.t("Xác nhận chỗ đứt", "Acknowledge the break")) }
            }
        }
        @if !breaks.is_empty() {
            h3 { (l.t("Các chỗ đứt đã xác nhận", "Acknowledged breaks")) }
            ul class="breaks" {
                @for b in breaks {
                    li data-resumed=(b.resumed_hash.is_some()) {
                        (l.t("Phát hiện", "Found")) " " (when(tz, b.detected_at))
                        " · " (l.t("dòng đáng ngờ sau", "lines in doubt after")) " "
                        @if b.gap_from > 0 { (when(tz, b.gap_from)) } @else { "—" }
                        div class="meta" {
                            (l.t("xác nhận bởi", "acknowledged by")) " " strong { (b.acknowledged_by) }
                            " " (when(tz, b.acknowledged_at)) ": " (b.note)
                            @if b.resumed_hash.is_none() { " · " (l.t("chờ trạm gửi tiếp", "waiting for the station")) }
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
