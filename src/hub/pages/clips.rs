//! Bản tin: the clip list (state and level, filters, the signed feed's
//! sequence), one clip (its player, details, and the life-cycle buttons:
//! gửi duyệt, phê duyệt, từ chối with a reason, thu hồi). Every action calls
//! `hub::clips` or `hub::lifecycle`, which check role and scope; the buttons
//! shown are only a convenience. The life-cycle forms, their fields and the
//! redirect once done are shared with the broadcasts' page.

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::Staff;
use super::i18n::{safe_back, Lang};
use super::layout::{areas_text, level_badge, state_badge, when, Note};
use super::service;
use crate::hub::app::AppState;
use crate::hub::areas::AreaTree;
use crate::hub::auth::ClientAddr;
use crate::hub::clips::{self, ClipInfo};
use crate::hub::lifecycle;
use crate::hub::users::{Role, User};

/// Clips shown per page of the list.
pub const PER_PAGE: usize = 50;

const STATES: [&str; 5] = ["submitted", "approved", "rejected", "draft", "withdrawn"];

#[derive(Deserialize, Default)]
pub struct ListQuery {
    state: Option<String>,
    page: Option<usize>,
    done: Option<String>,
}

impl ListQuery {
    pub fn done(&self) -> Option<&str> {
        self.done.as_deref()
    }
}

/// The message after an action went through.
pub fn done_note(l: Lang, done: Option<&str>) -> Option<Note> {
    let (vi, en) = match done? {
        "upload" => (
            "Đã tải lên bản tin; bản tin đang chờ duyệt.",
            "Clip uploaded; it awaits approval.",
        ),
        "approve" => (
            "Đã phê duyệt: bản tin có trong nguồn tin đã ký.",
            "Approved: it is in the signed feed.",
        ),
        "reject" => ("Đã từ chối.", "Rejected."),
        "withdraw" => ("Đã thu hồi.", "Withdrawn."),
        "submit" => ("Đã gửi duyệt.", "Submitted for approval."),
        "propose" => (
            "Đã đề xuất; đang chờ duyệt.",
            "Proposed; it awaits approval.",
        ),
        "password" => ("Đã đổi mật khẩu.", "Password changed."),
        _ => return None,
    };
    Some(Note::Ok(l.t(vi, en).to_string()))
}

/// One clip as a card (list and queue).
pub fn card(
    l: Lang,
    tz: chrono_tz::Tz,
    tree: &AreaTree,
    names: &HashMap<i64, String>,
    c: &ClipInfo,
    extra: Markup,
) -> Markup {
    html! {
        div class="card clip" data-id=(c.id) {
            h3 { a href={"/clips/" (c.id)} class="title" { (c.title) } }
            div { (state_badge(l, &c.state)) " " (level_badge(l, &c.level)) }
            div class="meta" {
                (l.t("chuyên mục", "category")) ": " (c.category) " · " (c.lang)
                " · " (format!("{:.0}", c.duration_s)) " s"
                @if let Some(v) = c.lufs { " · " (format!("{v:.1}")) " LUFS" }
            }
            div class="meta" { (l.t("địa bàn", "areas")) ": " (areas_text(tree, l, &c.areas)) }
            div class="meta" {
                (names.get(&c.created_by).map(String::as_str).unwrap_or("?")) " · " (when(tz, c.created_at))
            }
            @if let Some(r) = &c.reason { div class="meta" { (l.t("lý do", "reason")) ": " (r) } }
            (extra)
        }
    }
}

/// The buttons that fit a clip's state and the user (the service decides).
pub fn actions(l: Lang, u: &User, c: &ClipInfo, back: &str) -> Markup {
    let base = format!("/clips/{}", c.id);
    let decide = c.state == "submitted" && u.has(Role::Approver) && c.created_by != u.id;
    let withdraw = c.state != "withdrawn"
        && (c.created_by == u.id || u.has(Role::Approver) || u.has(Role::Admin));
    html! {
        div class="actions" {
            @if c.state == "draft" && c.created_by == u.id {
                form method="post" action={(base) "/submit"} {
                    input type="hidden" name="back" value=(back);
                    button type="submit" class="plain" { (l.t("Gửi duyệt", "Submit")) }
                }
            }
            (decision_forms(l, &base, back, decide, withdraw))
        }
    }
}

/// The life-cycle forms of a clip or broadcast at `base`: phê duyệt and từ
/// chối (with a reason) when `decide`, thu hồi when `withdraw`.
pub fn decision_forms(l: Lang, base: &str, back: &str, decide: bool, withdraw: bool) -> Markup {
    html! {
        @if decide {
            form method="post" action={(base) "/approve"} {
                input type="hidden" name="back" value=(back);
                button type="submit" class="ok approve" { (l.t("Phê duyệt", "Approve")) }
            }
            form method="post" action={(base) "/reject"} class="reject" {
                input type="hidden" name="back" value=(back);
                input type="text" name="reason" required
                    placeholder=(l.t("Lý do từ chối", "Reason for rejecting")) aria-label=(l.t("Lý do từ chối", "Reason for rejecting"));
                button type="submit" class="no" { (l.t("Từ chối", "Reject")) }
            }
        }
        @if withdraw {
            form method="post" action={(base) "/withdraw"} {
                input type="hidden" name="back" value=(back);
                button type="submit" class="no withdraw" { (l.t("Thu hồi", "Withdraw")) }
            }
        }
    }
}

/// `GET /clips`.
pub async fn list(State(state): State<AppState>, s: Staff, Query(q): Query<ListQuery>) -> Response {
    let l = s.lang;
    let filter = q.state.as_deref().filter(|x| STATES.contains(x));
    let shown = match clips::list_page(&state, &s.user, filter, q.page.unwrap_or(1), PER_PAGE).await
    {
        Ok(v) => v,
        Err(e) => return s.fail("clips", e),
    };
    let (tree, names) = match (state.area_tree(&[]).await, service::names(&state).await) {
        (Ok(t), Ok(n)) => (t, n),
        (Err(e), _) | (_, Err(e)) => return s.fail("clips", e),
    };
    let seq = service::feed_sequence(&state).await;
    let (page, pages) = (shown.page, shown.pages);
    let tz = state.cfg.timezone;
    let link = |st: Option<&str>, p: usize| {
        let mut u = String::from("/clips?");
        if let Some(st) = st {
            u.push_str(&format!("state={st}&"));
        }
        u.push_str(&format!("page={p}"));
        u
    };
    let body = html! {
        h1 { (l.t("Bản tin", "Clips")) }
        @if let Some(n) = done_note(l, q.done.as_deref()) { (n.show()) }
        p class="meta" id="feed" {
            (l.t("Nguồn tin đã ký, số thứ tự", "Signed feed, sequence")) " "
            strong id="feed-sequence" { (seq) }
        }
        @if s.user.has(Role::Editor) {
            p { a class="btn" id="upload-link" href="/clips/new" { (l.t("Tải lên bản tin", "Upload a clip")) } }
        }
        div class="filters" {
            a href="/clips" class=[filter.is_none().then_some("on")] { (l.t("Tất cả", "All")) }
            @for st in STATES {
                a href=(link(Some(st), 1)) class=[(filter == Some(st)).then_some("on")] { (l.state(st)) }
            }
        }
        @if shown.total == 0 {
            p class="meta" { (l.t("Chưa có bản tin nào.", "No clips yet.")) }
        }
        @for c in &shown.clips { (card(l, tz, &tree, &names, c, html! {})) }
        @if pages > 1 {
            p class="filters" {
                @if page > 1 { a href=(link(filter, page - 1)) { "‹ " (l.t("Trước", "Previous")) } }
                span { (page) " / " (pages) }
                @if page < pages { a href=(link(filter, page + 1)) { (l.t("Sau", "Next")) " ›" } }
            }
        }
    };
    s.render("clips", l.t("Bản tin", "Clips"), body)
}

/// `GET /clips/{id}`.
pub async fn one(
    State(state): State<AppState>,
    s: Staff,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    let l = s.lang;
    let c = match clips::get(&state, &s.user, &id).await {
        Ok(c) => c,
        Err(e) => return s.fail("clips", e),
    };
    let (tree, names) = match (state.area_tree(&[]).await, service::names(&state).await) {
        (Ok(t), Ok(n)) => (t, n),
        (Err(e), _) | (_, Err(e)) => return s.fail("clips", e),
    };
    let tz = state.cfg.timezone;
    let here = format!("/clips/{}", c.id);
    let body = html! {
        h1 class="title" { (c.title) }
        @if let Some(n) = done_note(l, q.done.as_deref()) { (n.show()) }
        (card(l, tz, &tree, &names, &c, html! {}))
        audio controls preload="none" src={"/api/v1/clips/" (c.id) "/audio"} {
            (l.t("Trình duyệt không phát được âm thanh.", "This browser cannot play audio."))
        }
        div class="meta" {
            (l.t("mã", "id")) ": " (c.id) " · " (c.format) " · " (c.bytes) " B"
            @if let Some(f) = &c.valid_from { " · " (l.t("từ", "from")) " " (f) }
            @if let Some(u) = &c.valid_until { " · " (l.t("đến", "until")) " " (u) }
        }
        (actions(l, &s.user, &c, &here))
    };
    s.render("clips", &c.title, body)
}

/// A life-cycle form's fields (clips and broadcasts).
#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    pub back: String,
    #[serde(default)]
    pub reason: String,
}

/// Where a page goes once an action went through: `back` (a local path;
/// `list` when it is not one or comes down to the home page) with
/// `done=WHAT`, which replaces an earlier `done=`.
pub fn done_location(back: &str, list: &str, what: &str) -> String {
    let back = safe_back(back);
    let back = match back.find("done=") {
        Some(i) => &back[..i - 1],
        None => back,
    };
    let back = if back == "/" { list } else { back };
    let sep = if back.contains('?') { '&' } else { '?' };
    format!("{back}{sep}done={what}")
}

/// `POST /clips/{id}/{approve|reject|withdraw|submit}`.
pub async fn act(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Path((id, what)): Path<(String, String)>,
    Form(f): Form<ActionForm>,
) -> Response {
    let done = match what.as_str() {
        "submit" => clips::submit(&state, &s.user, &addr, &id).await,
        _ => lifecycle::act::<ClipInfo>(&state, &s.user, &addr, &id, &what, &f.reason).await,
    };
    match done {
        Ok(_) => Redirect::to(&done_location(&f.back, "/clips", &what)).into_response(),
        Err(e) => s.fail("clips", e),
    }
}

#[cfg(test)]
mod tests {
    use super::done_location;

    #[test]
    fn an_action_goes_back_with_one_done_note() {
        assert_eq!(
            done_location("/queue", "/clips", "approve"),
            "/queue?done=approve"
        );
        assert_eq!(
            done_location("/clips/a-1?done=upload", "/clips", "submit"),
            "/clips/a-1?done=submit"
        );
        assert_eq!(
            done_location("/clips?state=approved&done=reject", "/clips", "withdraw"),
            "/clips?state=approved&done=withdraw"
        );
        // Not a local path, empty, or the home page: the kind's list.
        for back in [
            "",
            "//evil.example/",
            "https://evil.example/",
            "/",
            "/?done=approve",
        ] {
            assert_eq!(
                done_location(back, "/broadcasts", "reject"),
                "/broadcasts?done=reject",
                "{back}"
            );
        }
    }
}
