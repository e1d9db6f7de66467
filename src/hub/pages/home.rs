//! Trang chủ (`GET /`): one section per role the account holds, each built
//! around that person's task. An operator sees each of their stations now
//! (online, on air with time left, next today; refreshed by live.js) with
//! big "Phát ngay" / "Dừng phát" buttons and "Ghi âm / tải lên thông báo";
//! an approver the approval queue with counts; an editor their clips by
//! state and the latest ones; an admin the stations offline or in error
//! first. Every query is bounded (counts and `LIMIT`s, one row per
//! operator station), so it stays fast with 1,000 stations.

use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::Staff;
use super::i18n::Lang;
use super::layout::{state_badge, url_escape, when, Note};
use super::now::{self, Now};
use crate::hub::app::AppState;
use crate::hub::db::col;
use crate::hub::error::HubError;
use crate::hub::heartbeat::{self, StationInfo};
use crate::hub::program_form::from_toml;
use crate::hub::users::Role;
use crate::hub::{broadcasts, clip_list, timetable};
use crate::tr;

/// Most stations an operator section draws (each is one query).
const MAX_OWN: usize = 20;
/// Most problem stations the admin section lists.
const MAX_PROBLEMS: usize = 20;

/// `?done=play|stop`: what the last action did (after play now / stop from here).
#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

/// `GET /`.
pub async fn show(State(state): State<AppState>, s: Staff, Query(q): Query<Done>) -> Response {
    let l = s.lang;
    let u = &s.user;
    let mut parts: Vec<Markup> = vec![];
    let r: Result<(), HubError> = async {
        if u.has(Role::Operator) {
            parts.push(operator(&state, &s).await?);
        }
        if u.has(Role::Approver) {
            parts.push(approver(&state, &s).await?);
        }
        if u.has(Role::Editor) {
            parts.push(editor(&state, &s).await?);
        }
        if u.has(Role::Admin) {
            parts.push(admin(&state, &s).await?);
        }
        Ok(())
    }
    .await;
    if let Err(e) = r {
        return s.fail("home", e);
    }
    let body = html! {
        h1 { (tr!(l, "home-title")) }
        @match q.done.as_str() {
            "play" => div id="note" { (Note::Ok(tr!(l, "stations-done-play")).show()) },
            "stop" => div id="note" { (Note::Ok(tr!(l, "stations-done-stop")).show()) },
            _ => {},
        }
        @for p in &parts { (p) }
        @if parts.is_empty() {
            section class="home" id="home-viewer" {
                p { (tr!(l, "home-viewer")) }
                p { a class="btn" href="/reports" { (tr!(l, "home-open-reports")) } }
            }
        }
        script src="/static/live.js" defer {}
    };
    s.render("home", &tr!(l, "home-title"), body)
}

/// What the operator may play now on a station: programs (hub's and own), files.
fn targets(n: &Now, hub: &[(String, String)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = vec![];
    for (id, title) in hub.iter().chain(n.own.iter()) {
        if !v.iter().any(|(x, _)| x == id) {
            let label = if title.is_empty() {
                id.clone()
            } else {
                title.clone()
            };
            v.push((id.clone(), label));
        }
    }
    v
}

fn station_card(l: Lang, n: &Now, hub: &[(String, String)]) -> Markup {
    let base = format!("/stations/{}", url_escape(&n.id));
    let programs = targets(n, hub);
    let sel = format!("target-{}", n.id);
    html! {
        div class="card home-station" data-station=(n.id) {
            h3 { a href=(base) { (n.name) } }
            (now::block(l, n))
            @if programs.is_empty() && n.files.is_empty() {
                p class="meta" { (tr!(l, "home-nothing-to-play")) }
            } @else {
                form method="post" action={ (base) "/play" } class="play-now" {
                    input type="hidden" name="back" value="/";
                    label for=(sel) { (tr!(l, "home-play-what")) }
                    select id=(sel) name="target" required {
                        @if !programs.is_empty() {
                            optgroup label=(tr!(l, "home-programs")) {
                                @for (id, label) in &programs { option value=(id) { (label) } }
                            }
                        }
                        @if !n.files.is_empty() {
                            optgroup label=(tr!(l, "home-files")) {
                                @for f in &n.files { option value=(f) { (f) } }
                            }
                        }
                    }
                    button type="submit" class="ok big" { (tr!(l, "stations-play-now")) }
                }
            }
            form method="post" action={ (base) "/stop" } class="stop-now" {
                input type="hidden" name="back" value="/";
                button type="submit" class="no big" { (tr!(l, "stations-stop")) }
            }
            p class="actions" {
                a class="btn" href="/clips/new" { (tr!(l, "home-record")) }
                a class="btn plain" href="/clips/tts" { (tr!(l, "tts-link")) }
                a class="btn plain" href={ (base) "/programs" } { (tr!(l, "stations-timetable")) }
            }
        }
    }
}

async fn operator(state: &AppState, s: &Staff) -> Result<Markup, HubError> {
    let l = s.lang;
    let mut cards = vec![];
    for id in s.user.stations.iter().take(MAX_OWN) {
        let n = match Now::load(state, &s.user, id).await {
            Ok(n) => n,
            Err(HubError::NotFound(_)) => continue,
            Err(e) => return Err(e),
        };
        let hub: Vec<(String, String)> = match timetable::current(&state.db, id).await? {
            Some(t) => from_toml(&t.toml)
                .unwrap_or_default()
                .into_iter()
                .map(|f| (f.id, f.title))
                .collect(),
            None => vec![],
        };
        cards.push(station_card(l, &n, &hub));
    }
    Ok(html! {
        section class="home" id="home-operator" {
            h2 { (tr!(l, "home-operator")) }
            @if cards.is_empty() { p class="msg info" { (tr!(l, "home-no-station")) } }
            @for c in &cards { (c) }
        }
    })
}

async fn approver(state: &AppState, s: &Staff) -> Result<Markup, HubError> {
    let l = s.lang;
    let page = clip_list::list_page(
        state,
        &s.user,
        Some("submitted"),
        1,
        5,
        &clip_list::Search::default(),
    )
    .await?;
    let bs = broadcasts::list(state, &s.user)
        .await?
        .into_iter()
        .filter(|b| b.state == "submitted")
        .count();
    Ok(html! {
        section class="home" id="home-approver" {
            h2 { (tr!(l, "home-approver")) }
            p class="counts" {
                span class="count" id="queue-clips" data-n=(page.total) { (tr!(l, "home-queue-clips", n = page.total as i64)) }
                span class="count" id="queue-broadcasts" data-n=(bs) { (tr!(l, "home-queue-broadcasts", n = bs as i64)) }
            }
            @if !page.clips.is_empty() {
                ul class="latest" {
                    @for c in &page.clips { li { a href={ "/clips/" (url_escape(&c.id)) } { (c.title) } } }
                }
            }
            p { a class="btn big" href="/queue" id="open-queue" { (tr!(l, "home-open-queue")) } }
        }
    })
}

async fn editor(state: &AppState, s: &Staff) -> Result<Markup, HubError> {
    let l = s.lang;
    let tz = state.cfg.timezone;
    let rows = sqlx::query(
        "SELECT state, COUNT(*) AS n FROM clips WHERE created_by = $1 GROUP BY state ORDER BY state",
    )
    .bind(s.user.id)
    .fetch_all(&state.db.pool)
    .await?;
    let mut counts: Vec<(String, i64)> = vec![];
    for r in &rows {
        counts.push((col(r, "state")?, col(r, "n")?));
    }
    let rows = sqlx::query(
        "SELECT id, title, state, reason, updated_at FROM clips WHERE created_by = $1 \
         ORDER BY updated_at DESC, id LIMIT 5",
    )
    .bind(s.user.id)
    .fetch_all(&state.db.pool)
    .await?;
    let mut latest: Vec<(String, String, String, Option<String>, i64)> = vec![];
    for r in &rows {
        latest.push((
            col(r, "id")?,
            col(r, "title")?,
            col(r, "state")?,
            col(r, "reason")?,
            col(r, "updated_at")?,
        ));
    }
    let out = html! {
        section class="home" id="home-editor" {
            h2 { (tr!(l, "home-editor")) }
            @if counts.is_empty() {
                p class="meta" { (tr!(l, "home-editor-none")) }
            } @else {
                p class="counts" {
                    @for (st, n) in &counts {
                        a class="count" href={ "/clips?state=" (st) } data-state=(st) data-n=(n) {
                            (state_badge(l, st)) " " strong { (n) }
                        }
                    }
                }
            }
            @if !latest.is_empty() {
                ul class="latest" {
                    @for (id, title, st, reason, at) in &latest {
                        li data-clip=(id) {
                            a href={ "/clips/" (url_escape(id)) } { (title) } " " (state_badge(l, st))
                            " " span class="meta" { (when(tz, *at)) }
                            @if let Some(r) = reason.as_deref().filter(|r| !r.is_empty() && st == "rejected") {
                                div class="meta reason" { (tr!(l, "home-rejected-why", reason = r.to_string())) }
                            }
                        }
                    }
                }
            }
            p class="actions" {
                a class="btn big" href="/clips/new" { (tr!(l, "home-upload")) }
                a class="btn plain" id="home-tts" href="/clips/tts" { (tr!(l, "tts-link")) }
            }
        }
    };
    Ok(out)
}

/// Is anything wrong with the station (offline, errors, refused timetable, broken chain)?
fn trouble(st: &StationInfo) -> u8 {
    if !st.online {
        0
    } else if !st.errors.is_empty() || st.programs_error.is_some() || st.chain_break.is_some() {
        1
    } else {
        2
    }
}

async fn admin(state: &AppState, s: &Staff) -> Result<Markup, HubError> {
    let l = s.lang;
    let tz = state.cfg.timezone;
    let all = heartbeat::list(state, &s.user).await?;
    let online = all.iter().filter(|x| x.online).count();
    let mut bad: Vec<&StationInfo> = all.iter().filter(|x| trouble(x) < 2).collect();
    let in_error = bad.iter().filter(|x| trouble(x) == 1).count();
    bad.sort_by(|a, b| {
        trouble(a)
            .cmp(&trouble(b))
            .then(a.last_seen.cmp(&b.last_seen))
            .then(a.id.cmp(&b.id))
    });
    let more = bad.len().saturating_sub(MAX_PROBLEMS);
    bad.truncate(MAX_PROBLEMS);
    Ok(html! {
        section class="home" id="home-admin" {
            h2 { (tr!(l, "home-admin")) }
            p class="counts" {
                span class="count" id="count-online" data-n=(online) { (tr!(l, "home-count-online", n = online as i64)) }
                a class="count" id="count-offline" href="/stations?state=offline" data-n=(all.len() - online) {
                    (tr!(l, "home-count-offline", n = (all.len() - online) as i64))
                }
                span class="count" id="count-error" data-n=(in_error) { (tr!(l, "home-count-error", n = in_error as i64)) }
            }
            @if bad.is_empty() {
                p class="msg ok" id="all-well" { (tr!(l, "home-all-well")) }
            } @else {
                ul class="problems" {
                    @for st in &bad {
                        li data-station=(st.id) data-online=(st.online) {
                            a href={ "/stations/" (url_escape(&st.id)) } { (st.name) } " "
                            (now::badge(l, st.enrolled, st.online))
                            div class="meta" {
                                @if !st.online {
                                    @match st.last_seen {
                                        Some(t) => (tr!(l, "home-last-seen", at = when(tz, t))),
                                        None => (tr!(l, "home-never-seen")),
                                    }
                                } @else if let Some(e) = st.errors.first().or(st.programs_error.as_ref()) {
                                    (e)
                                } @else {
                                    (tr!(l, "stations-chain-broken"))
                                }
                            }
                        }
                    }
                }
                @if more > 0 {
                    p class="meta" { a href="/stations?state=offline" { (tr!(l, "home-more", n = more as i64)) } }
                }
            }
            p { a class="btn" href="/stations" { (tr!(l, "home-all-stations")) } }
        }
    })
}
