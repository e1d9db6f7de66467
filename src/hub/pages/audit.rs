//! Nhật ký thao tác (admins): the audit log, newest first, and the state of
//! its SHA-256 chain (intact, or the first row that does not follow), and a
//! link to the core's CSV export (`GET /api/v1/audit?format=csv`).

use axum::extract::State;
use axum::response::Response;
use maud::html;

use super::ctx::Staff;
use super::layout::when;
use super::service;
use crate::hub::app::AppState;

/// Rows shown (the newest); the JSON API and its export give the rest.
const SHOWN: usize = 500;

/// `GET /audit`.
pub async fn show(State(state): State<AppState>, s: Staff) -> Response {
    let l = s.lang;
    let (entries, verdict) = match service::audit_log(&state, &s.user).await {
        Ok(x) => x,
        Err(e) => return s.fail("audit", e),
    };
    let tz = state.cfg.timezone;
    let body = html! {
        h1 { (l.t("Nhật ký thao tác", "Audit log")) }
        @if verdict.ok {
            div class="msg ok" id="chain" data-ok="true" {
                (l.t("Chuỗi băm nguyên vẹn", "Hash chain intact")) ": " (verdict.rows) " " (l.t("dòng", "rows"))
            }
        } @else {
            div class="msg err" id="chain" data-ok="false" {
                (l.t("Chuỗi băm bị phá vỡ tại dòng", "Hash chain broken at row")) " "
                (verdict.broken_at.map(|i| i.to_string()).unwrap_or_default())
                (l.t(": có dòng đã bị sửa hoặc xóa.", ": a row was edited or deleted."))
            }
        }
        p { a class="btn plain" id="export" href="/api/v1/audit?format=csv" download="nhat-ky-thao-tac.csv" {
            (l.t("Tải xuống (CSV)", "Download (CSV)"))
        } }
        div id="audit" {
            @for e in entries.iter().take(SHOWN) {
                div class="card entry" data-id=(e.id) {
                    div class="meta" { "#" (e.id) " · " (when(tz, e.at)) " · " (e.address) }
                    div { strong { (e.actor) } " · " code { (e.action) } " · " (e.target) }
                    @if !e.before.is_empty() || !e.after.is_empty() {
                        div class="meta change" {
                            @if !e.before.is_empty() { code { (e.before) } }
                            " → "
                            @if !e.after.is_empty() { code { (e.after) } }
                        }
                    }
                }
            }
            @if entries.len() > SHOWN {
                p class="meta" { (l.t("Chỉ hiện 500 dòng mới nhất; toàn bộ: tải xuống CSV", "Only the newest 500 rows; all of them: the CSV download")) }
            }
        }
    };
    s.render("audit", l.t("Nhật ký thao tác", "Audit log"), body)
}
