//! Bản tin: the clip list (search by title, category and upload dates,
//! kept across pages; state filters; the signed feed's sequence), one clip
//! (its player, details, who approved it and when, and the life-cycle
//! buttons: gửi duyệt, phê duyệt, từ chối with a reason, thu hồi after a
//! confirm step, sửa và gửi lại for a rejected clip's author). Every action
//! calls `hub::clips` or `hub::lifecycle`, which check role and scope; the
//! buttons shown are only a convenience. Cards are `clip_card.rs`'s.

use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, TimeZone};
use maud::html;
use serde::Deserialize;

pub use super::clip_card::{actions, decision_forms, Look};
use super::confirm;
use super::ctx::Staff;
use super::i18n::{safe_back, Lang};
use super::layout::{url_escape, Note};
use super::service;
use crate::hub::app::AppState;
use crate::hub::auth::ClientAddr;
use crate::hub::clips::{self, ClipInfo, Search};
use crate::hub::error::HubError;
use crate::hub::lifecycle;
use crate::hub::local_clips::station_names;
use crate::hub::users::Role;
use crate::tr;

/// Clips shown per page of the list.
pub const PER_PAGE: usize = 50;

const STATES: [&str; 5] = ["submitted", "approved", "rejected", "draft", "withdrawn"];

#[derive(Deserialize, Default)]
pub struct ListQuery {
    state: Option<String>,
    page: Option<usize>,
    done: Option<String>,
    /// Search: words of the title, a category, upload dates (yyyy-mm-dd).
    q: Option<String>,
    category: Option<String>,
    from: Option<String>,
    until: Option<String>,
}

impl ListQuery {
    pub fn done(&self) -> Option<&str> {
        self.done.as_deref()
    }

    /// The page asked for (1-based).
    pub fn page(&self) -> usize {
        self.page.unwrap_or(1)
    }

    fn text(v: &Option<String>) -> &str {
        v.as_deref().map(str::trim).unwrap_or("")
    }

    fn day(v: &Option<String>) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(Self::text(v), "%Y-%m-%d").ok()
    }

    /// The search as the service takes it (days are the hub's local days).
    fn search(&self, tz: chrono_tz::Tz) -> Search {
        let start = |d: NaiveDate| {
            tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
                .earliest()
                .map(|t| t.timestamp())
        };
        let category = Self::text(&self.category);
        Search {
            words: Self::text(&self.q).to_string(),
            category: (!category.is_empty()).then(|| category.to_string()),
            from: Self::day(&self.from).and_then(start),
            until: Self::day(&self.until)
                .and_then(|d| d.succ_opt())
                .and_then(start),
        }
    }

    /// The search part of a link (empty when nothing is searched).
    fn search_query(&self) -> String {
        let mut out = String::new();
        for (k, v) in [
            ("q", &self.q),
            ("category", &self.category),
            ("from", &self.from),
            ("until", &self.until),
        ] {
            let v = Self::text(v);
            if !v.is_empty() {
                out.push_str(&format!("{k}={}&", url_escape(v)));
            }
        }
        out
    }

    fn searching(&self) -> bool {
        !self.search_query().is_empty()
    }
}

/// The message after an action went through.
pub fn done_note(l: Lang, done: Option<&str>) -> Option<Note> {
    let text = match done? {
        "upload" => tr!(l, "clips-done-upload"),
        "approve" => tr!(l, "clips-done-approve"),
        "reject" => tr!(l, "clips-done-reject"),
        "withdraw" => tr!(l, "clips-done-withdraw"),
        "submit" => tr!(l, "clips-done-submit"),
        "resubmit" => tr!(l, "clips-done-resubmit"),
        "propose" => tr!(l, "clips-done-propose"),
        "password" => tr!(l, "clips-done-password"),
        _ => return None,
    };
    Some(Note::Ok(text))
}

/// Every category a clip has (the search's list to pick from).
async fn categories(state: &AppState) -> Result<Vec<String>, HubError> {
    let rows = sqlx::query("SELECT DISTINCT category FROM clips ORDER BY category")
        .fetch_all(&state.db.pool)
        .await?;
    rows.iter()
        .map(|r| crate::hub::db::col::<String>(r, "category"))
        .collect()
}

fn search_form(l: Lang, q: &ListQuery, filter: Option<&str>, cats: &[String]) -> maud::Markup {
    let chosen = ListQuery::text(&q.category);
    html! {
        form method="get" action="/clips" class="card search" id="search" role="search" {
            @if let Some(st) = filter { input type="hidden" name="state" value=(st); }
            label for="q" { (tr!(l, "clips-search-words")) }
            input type="search" id="q" name="q" value=(ListQuery::text(&q.q)) maxlength="200";
            div class="grid" {
                div {
                    label for="s-category" { (tr!(l, "clips-search-category")) }
                    select id="s-category" name="category" {
                        option value="" { (tr!(l, "clips-search-any-category")) }
                        @for c in cats { option value=(c) selected[c == chosen] { (c) } }
                    }
                }
                div {
                    label for="from" { (tr!(l, "clips-search-from")) }
                    input type="date" id="from" name="from" value=(ListQuery::text(&q.from));
                }
                div {
                    label for="until" { (tr!(l, "clips-search-until")) }
                    input type="date" id="until" name="until" value=(ListQuery::text(&q.until));
                }
            }
            div class="actions" {
                button type="submit" id="search-go" { (tr!(l, "clips-search-go")) }
                @if q.searching() { a class="btn secondary" id="search-clear" href="/clips" { (tr!(l, "clips-search-clear")) } }
            }
        }
    }
}

/// `GET /clips`.
pub async fn list(State(state): State<AppState>, s: Staff, Query(q): Query<ListQuery>) -> Response {
    let l = s.lang;
    let tz = state.cfg.timezone;
    let filter = q.state.as_deref().filter(|x| STATES.contains(x));
    let search = q.search(tz);
    let page = q.page.unwrap_or(1);
    let loaded = async {
        Ok::<_, HubError>((
            clips::list_page(&state, &s.user, filter, page, PER_PAGE, &search).await?,
            state.area_tree(&[]).await?,
            service::names(&state).await?,
            station_names(&state).await?,
            categories(&state).await?,
        ))
    }
    .await;
    let (shown, tree, names, stations, cats) = match loaded {
        Ok(x) => x,
        Err(e) => return s.fail("clips", e),
    };
    let look = Look {
        l,
        tz,
        tree: &tree,
        names: &names,
        stations: &stations,
    };
    let seq = service::feed_sequence(&state).await;
    let (page, pages) = (shown.page, shown.pages);
    let searched = q.search_query();
    let link = |st: Option<&str>, p: usize| {
        let mut u = format!("/clips?{searched}");
        if let Some(st) = st {
            u.push_str(&format!("state={st}&"));
        }
        u.push_str(&format!("page={p}"));
        u
    };
    let body = html! {
        h1 { (tr!(l, "clips-title")) }
        @if let Some(n) = done_note(l, q.done.as_deref()) { (n.show()) }
        p class="meta" id="feed" {
            (tr!(l, "clips-feed-sequence")) " "
            strong id="feed-sequence" { (seq) }
        }
        @if s.user.has(Role::Editor) {
            p class="actions" {
                a class="btn" id="upload-link" href="/clips/new" { (tr!(l, "clips-upload-link")) }
                a class="btn plain" id="tts-link" href="/clips/tts" { (tr!(l, "tts-link")) }
            }
        }
        (search_form(l, &q, filter, &cats))
        div class="filters" {
            a href=(link(None, 1)) class=[filter.is_none().then_some("on")] { (tr!(l, "clips-all")) }
            @for st in STATES {
                a href=(link(Some(st), 1)) class=[(filter == Some(st)).then_some("on")] { (l.state(st)) }
            }
        }
        @if q.searching() {
            p class="meta" id="found" { (tr!(l, "clips-search-found", n = shown.total as i64)) }
        }
        @if shown.total == 0 {
            p class="meta" id="none" {
                @if q.searching() { (tr!(l, "clips-none-found")) } @else { (tr!(l, "clips-none")) }
            }
        }
        div class="clip-list" {
            @for c in &shown.clips { (look.card(c, html! {})) }
        }
        @if pages > 1 {
            p class="filters pager" {
                @if page > 1 { a href=(link(filter, page - 1)) id="prev" { "‹ " (tr!(l, "clips-prev")) } }
                span { (tr!(l, "clips-page", page = page as i64, pages = pages as i64)) }
                @if page < pages { a href=(link(filter, page + 1)) id="next" { (tr!(l, "clips-next")) " ›" } }
            }
        }
    };
    s.render("clips", &tr!(l, "clips-title"), body)
}

/// `GET /clips/{id}`.
pub async fn one(
    State(state): State<AppState>,
    s: Staff,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    let l = s.lang;
    let loaded = async {
        Ok::<_, HubError>((
            clips::get(&state, &s.user, &id).await?,
            state.area_tree(&[]).await?,
            service::names(&state).await?,
            station_names(&state).await?,
        ))
    }
    .await;
    let (c, tree, names, stations) = match loaded {
        Ok(x) => x,
        Err(e) => return s.fail("clips", e),
    };
    let look = Look {
        l,
        tz: state.cfg.timezone,
        tree: &tree,
        names: &names,
        stations: &stations,
    };
    let here = format!("/clips/{}", c.id);
    let body = html! {
        h1 class="title" { (c.title) }
        @if let Some(n) = done_note(l, q.done.as_deref()) { (n.show()) }
        (look.card(&c, html! {}))
        @if let Some(text) = &c.text {
            section class="card clip-text" id="clip-text" {
                h2 { (tr!(l, "tts-clip-text")) }
                @for para in text.split('\n') { p { (para) } }
            }
        }
        audio controls preload="none" src={"/api/v1/clips/" (c.id) "/audio"} {
            (tr!(l, "clips-no-audio"))
        }
        div class="meta" {
            (tr!(l, "clips-details", id = c.id.clone(), format = c.format.clone(),
                size = crate::i18n::format::decimal(l, c.bytes as f64 / 1_000_000.0, 1)))
            @if let Some(f) = c.valid_from.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
                " · " (tr!(l, "clips-valid-from", date = crate::i18n::format::date(f)))
            }
            @if let Some(u) = c.valid_until.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
                " · " (tr!(l, "clips-valid-until", date = crate::i18n::format::date(u)))
            }
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
    /// `yes` once the confirm step said so (withdraw).
    pub confirm: Option<String>,
}

/// Withdraw asks first: the confirm page, unless this post comes from it.
pub fn ask_withdraw(
    s: &Staff,
    nav: &str,
    action: &str,
    question: String,
    f: &ActionForm,
) -> Option<Response> {
    if confirm::confirmed(f.confirm.as_deref()) {
        return None;
    }
    let back = safe_back(&f.back);
    Some(confirm::ask(
        s,
        nav,
        confirm::Ask {
            action,
            question,
            yes: tr!(s.lang, "clips-withdraw"),
            fields: vec![("back", f.back.clone())],
            back,
        },
    ))
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
    if what == "withdraw" {
        let c = match clips::get(&state, &s.user, &id).await {
            Ok(c) => c,
            Err(e) => return s.fail("clips", e),
        };
        let action = format!("/clips/{id}/withdraw");
        let question = tr!(s.lang, "clips-withdraw-ask", title = c.title.clone());
        if let Some(page) = ask_withdraw(&s, "clips", &action, question, &f) {
            return page;
        }
    }
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
