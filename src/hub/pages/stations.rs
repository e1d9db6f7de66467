//! Đài truyền thanh xã: the stations list (`/stations`: online/offline at a
//! glance, on air now, last heartbeat, feed sequence against the hub's,
//! version, errors, clock offset, chain state; filters by địa bàn and by
//! online/offline) and a page per station (`/stations/{id}`: the same status
//! and the day's nhật ký phát sóng from the uploaded lines). Scope is the
//! services' (`hub::heartbeat::list|one`, `hub::asrun::lines_between`):
//! these pages only filter and draw what those give.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{NaiveDate, TimeZone};
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::Staff;
use super::i18n::Lang;
use super::layout::{areas_text, url_escape, when};
use crate::hub::app::AppState;
use crate::hub::areas::{Area, AreaTree};
use crate::hub::asrun::{self, Logged};
use crate::hub::heartbeat::{self, StationInfo};
use crate::tr;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    area: String,
    #[serde(default)]
    state: String,
}

/// The areas that hold at least one of `stations` (provinces, districts,
/// communes), by code: the choices of an area filter.
pub fn area_choices(tree: &AreaTree, stations: &[StationInfo]) -> Vec<Area> {
    let mut v: Vec<Area> = tree
        .list()
        .into_iter()
        .filter(|a| {
            stations
                .iter()
                .any(|s| s.areas.iter().any(|x| tree.covers(&a.code, x)))
        })
        .collect();
    v.sort_by(|a, b| a.code.cmp(&b.code));
    v
}

/// `+3 h 5 min`, `-12 s`: a clock offset for people.
fn offset_text(s: i64) -> String {
    let sign = if s < 0 { "-" } else { "+" };
    let a = s.unsigned_abs();
    match a {
        0..=59 => format!("{sign}{a} s"),
        60..=3599 => format!("{sign}{} min {} s", a / 60, a % 60),
        _ => format!("{sign}{} h {} min", a / 3600, a % 3600 / 60),
    }
}

fn online_badge(l: Lang, s: &StationInfo) -> Markup {
    super::now::badge(l, s.enrolled, s.online)
}

fn on_air(l: Lang, s: &StationInfo) -> Markup {
    let o = &s.on_air;
    if !o.is_object() || !s.online {
        return html! {};
    }
    let get = |k: &str| o.get(k).and_then(|v| v.as_str()).unwrap_or_default();
    html! {
        div class="onair" data-on-air="true" {
            span class="badge air" { (tr!(l, "stations-on-air")) }
            " " strong { (get("program")) }
            @if !get("item").is_empty() { " · " (get("item")) }
        }
    }
}

/// The chain state; `detail` adds the hub's technical reason (station page).
fn chain(l: Lang, s: &StationInfo, detail: bool) -> Markup {
    match &s.chain_break {
        Some(why) => html! {
            div class="msg err chain" data-ok="false" {
                strong { (tr!(l, "stations-chain-broken")) } " "
                (tr!(l, "stations-chain-broken-why"))
                @if detail { div class="meta" { (why) } }
            }
        },
        None => html! {
            div class="meta chain" data-ok="true" {
                (tr!(l, "stations-chain-ok", n = s.asrun_lines))
            }
        },
    }
}

/// The status facts of one station (list card and station page alike).
fn facts(l: Lang, tz: chrono_tz::Tz, tree: &AreaTree, s: &StationInfo) -> Markup {
    let behind = s.feed_sequence.is_some_and(|f| f < s.hub_feed_sequence);
    html! {
        dl class="facts" {
            dt { (tr!(l, "stations-areas")) } dd { (areas_text(tree, l, &s.areas)) }
            dt { (tr!(l, "stations-last-beat")) }
            dd class="last-seen" { @match s.last_seen { Some(t) => (when(tz, t)), None => (tr!(l, "stations-none-yet")) } }
            dt { (tr!(l, "stations-feed")) }
            dd class={ "feed" @if behind { " late" } } {
                (tr!(l, "stations-feed-seq", station = s.feed_sequence.map(|f| f.to_string()).unwrap_or_else(|| "–".into()), hub = s.hub_feed_sequence.to_string()))
                @if behind { " · " (tr!(l, "stations-feed-behind")) }
            }
            dt { (tr!(l, "stations-version")) } dd { (s.version.as_deref().unwrap_or("–")) }
            dt { (tr!(l, "stations-clock-offset")) }
            dd class={ "clock" @if s.clock_offset_s.is_some_and(|o| o.abs() > 60) { " late" } } {
                (s.clock_offset_s.map(offset_text).unwrap_or_else(|| "–".into()))
            }
        }
        @if !s.errors.is_empty() {
            ul class="errors msg err" { @for e in &s.errors { li { (crate::hub::refusal::error_line(l, s, e)) } } }
        }
    }
}

/// `GET /stations`.
pub async fn list(State(state): State<AppState>, s: Staff, Query(q): Query<ListQuery>) -> Response {
    let l = s.lang;
    let all = match heartbeat::list(&state, &s.user).await {
        Ok(v) => v,
        Err(e) => return s.fail("stations", e),
    };
    let codes: Vec<String> = all.iter().flat_map(|x| x.areas.clone()).collect();
    let tree = match state.area_tree(&codes).await {
        Ok(t) => t,
        Err(e) => return s.fail("stations", e),
    };
    let choices = area_choices(&tree, &all);
    let shown: Vec<&StationInfo> = all
        .iter()
        .filter(|x| q.area.is_empty() || x.areas.iter().any(|a| tree.covers(&q.area, a)))
        .filter(|x| match q.state.as_str() {
            "online" => x.online,
            "offline" => !x.online,
            _ => true,
        })
        .collect();
    let online = all.iter().filter(|x| x.online).count();
    let tz = state.cfg.timezone;
    let chip = |key: &str, label: &str| {
        let href = format!("/stations?area={}&state={key}", url_escape(&q.area));
        html! { a href=(href) class=[(q.state == key).then_some("on")] data-state=(key) { (label) } }
    };
    let body = html! {
        h1 { (tr!(l, "stations-title")) }
        p class="meta" id="counts" {
            (tr!(l, "stations-counts", online = online as i64, offline = (all.len() - online) as i64))
        }
        form method="get" action="/stations" class="inline" {
            label for="area" { (tr!(l, "stations-areas")) }
            select id="area" name="area" {
                option value="" { (tr!(l, "stations-all")) }
                @for a in &choices {
                    option value=(a.code) selected[a.code == q.area] { (a.name) " (" (a.code) ")" }
                }
            }
            input type="hidden" name="state" value=(q.state);
            button type="submit" id="filter" { (tr!(l, "stations-filter")) }
        }
        div class="filters" {
            (chip("", &tr!(l, "stations-all")))
            (chip("online", &tr!(l, "stations-chip-online")))
            (chip("offline", &tr!(l, "stations-chip-offline")))
        }
        @if shown.is_empty() {
            p class="msg info" { (tr!(l, "stations-none")) }
        }
        div id="stations" {
            @for st in &shown {
                div class="card station" data-id=(st.id) data-online=(st.online) {
                    h3 { a href={"/stations/" (st.id)} { (st.name) } " " (online_badge(l, st)) }
                    div class="meta" { (st.id) }
                    (on_air(l, st))
                    (facts(l, tz, &tree, st))
                    (chain(l, st, false))
                }
            }
        }
    };
    s.render("stations", &tr!(l, "stations-title"), body)
}

#[derive(Deserialize, Default)]
pub struct DayQuery {
    #[serde(default)]
    day: String,
}

/// An as-run outcome (SPEC.md) in the reader's words.
pub fn outcome_word(l: Lang, o: &str) -> String {
    match o {
        "aired" => tr!(l, "stations-out-aired"),
        "missed" => tr!(l, "stations-out-missed"),
        "failed" => tr!(l, "stations-out-failed"),
        "partial" => tr!(l, "stations-out-partial"),
        "preempted" => tr!(l, "stations-out-preempted"),
        "skipped" => tr!(l, "stations-out-skipped"),
        "stopped" => tr!(l, "stations-out-stopped"),
        other => other.to_string(),
    }
}

fn asrun_table(l: Lang, tz: chrono_tz::Tz, lines: &[Logged]) -> Markup {
    html! {
        @if lines.is_empty() {
            p class="msg info" id="asrun-empty" { (tr!(l, "stations-asrun-empty")) }
        } @else {
            @let (h_time, h_prog, h_event, h_out, h_secs) = (
                tr!(l, "stations-col-time"), tr!(l, "stations-col-program"), tr!(l, "stations-col-event"),
                tr!(l, "stations-col-outcome"), tr!(l, "stations-col-seconds"));
            table id="asrun" class="cards" {
                thead { tr {
                    th { (h_time) } th { (h_prog) } th { (h_event) } th { (h_out) } th { (h_secs) }
                } }
                tbody {
                    @for x in lines {
                        tr data-outcome=(x.outcome.as_deref().unwrap_or("")) {
                            td data-label=(h_time) { (when(tz, x.scheduled)) }
                            td data-label=(h_prog) { strong { (x.title) } div class="meta" { (x.program) } }
                            td data-label=(h_event) { (if x.event == "on_air" { tr!(l, "stations-event-start") } else { tr!(l, "stations-event-end") }) }
                            td data-label=(h_out) { @if let Some(o) = &x.outcome { span class={"badge out-" (o)} { (outcome_word(l, o)) } } }
                            td data-label=(h_secs) { @if x.event != "on_air" { (format!("{:.0}", x.seconds)) } }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /stations/{id}`.
pub async fn one(
    State(state): State<AppState>,
    s: Staff,
    Path(id): Path<String>,
    Query(q): Query<DayQuery>,
) -> Response {
    let l = s.lang;
    let tz = state.cfg.timezone;
    let st = match heartbeat::one(&state, &s.user, &id).await {
        Ok(v) => v,
        Err(e) => return s.fail("stations", e),
    };
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let day = NaiveDate::parse_from_str(&q.day, "%Y-%m-%d").unwrap_or(today);
    let start = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.timestamp())
            .unwrap_or(0)
    };
    let lines = match asrun::lines_between(
        &state,
        &s.user,
        &id,
        start(day),
        start(day + chrono::Days::new(1)),
    )
    .await
    {
        Ok(v) => v,
        Err(e) => return s.fail("stations", e),
    };
    let tree = match state.area_tree(&st.areas).await {
        Ok(t) => t,
        Err(e) => return s.fail("stations", e),
    };
    let breaks = match crate::hub::chain::list(&state, &s.user, &id).await {
        Ok(v) => v,
        Err(e) => return s.fail("stations", e),
    };
    let report = format!("/reports?station={}", url_escape(&st.id));
    let now = super::now::Now::load(&state, &s.user, &id).await.ok();
    let body = html! {
        p class="meta" { a href="/stations" { "← " (tr!(l, "stations-title")) } }
        h1 id="station" data-id=(st.id) { (st.name) " " (online_badge(l, &st)) }
        div class="meta" { (st.id) }
        @match &now {
            Some(n) => (super::now::block(l, n)),
            None => (on_air(l, &st)),
        }
        div class="card" { (facts(l, tz, &tree, &st)) }
        (chain(l, &st, true))
        (super::chain::section(l, tz, &s.user, &st, &breaks))
        p class="actions" {
            a class="btn" id="programs" href={ "/stations/" (url_escape(&st.id)) "/programs" } {
                (tr!(l, "stations-timetable-remote"))
            }
            @if let Some(code) = crate::hub::public::deepest(&tree, &st.areas) {
                a class="btn plain" id="public-page" href={ "/p/" (url_escape(&code)) } {
                    (tr!(l, "public-station-link", area = tree.name(&code).unwrap_or(&code).to_string()))
                }
            }
        }
        h2 { (tr!(l, "stations-asrun-day", day = crate::i18n::format::date(day))) }
        form method="get" class="inline" {
            label for="day" { (tr!(l, "stations-day")) }
            input type="date" id="day" name="day" value=(day.to_string());
            button type="submit" { (tr!(l, "stations-show")) }
        }
        (asrun_table(l, tz, &lines))
        p { a class="btn plain" href=(report) { (tr!(l, "stations-report")) } }
        script src="/static/live.js" defer {}
    };
    s.render("stations", &st.name, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_read_well() {
        assert_eq!(offset_text(0), "+0 s");
        assert_eq!(offset_text(-75), "-1 min 15 s");
        assert_eq!(offset_text(3 * 3600 + 120), "+3 h 2 min");
    }
}
