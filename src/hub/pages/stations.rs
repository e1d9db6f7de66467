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
    let (class, text) = match (s.enrolled, s.online) {
        (false, _) => ("badge net-none", l.t("chưa đăng ký", "not enrolled")),
        (true, true) => ("badge net-on", l.t("trực tuyến", "online")),
        (true, false) => ("badge net-off", l.t("mất kết nối", "offline")),
    };
    html! { span class=(class) data-online=(s.online) { (text) } }
}

fn on_air(l: Lang, s: &StationInfo) -> Markup {
    let o = &s.on_air;
    if !o.is_object() || !s.online {
        return html! {};
    }
    let get = |k: &str| o.get(k).and_then(|v| v.as_str()).unwrap_or_default();
    html! {
        div class="onair" data-on-air="true" {
            span class="badge air" { (l.t("đang phát", "on air")) }
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
                strong { (l.t("Nhật ký phát sóng bị đứt chuỗi", "As-run chain broken")) } ": "
                (l.t("có dòng nhật ký trên trạm đã bị sửa, xóa hoặc gửi sai thứ tự; các dòng sau đó không được nhận.",
                     "a line on the station was edited, deleted or sent out of order; later lines are not taken."))
                @if detail { div class="meta" { (why) } }
            }
        },
        None => html! {
            div class="meta chain" data-ok="true" {
                (l.t("Chuỗi nhật ký nguyên vẹn", "As-run chain intact")) " · " (s.asrun_lines) " " (l.t("dòng", "lines"))
            }
        },
    }
}

/// The status facts of one station (list card and station page alike).
fn facts(l: Lang, tz: chrono_tz::Tz, tree: &AreaTree, s: &StationInfo) -> Markup {
    let behind = s.feed_sequence.is_some_and(|f| f < s.hub_feed_sequence);
    html! {
        dl class="facts" {
            dt { (l.t("Địa bàn", "Areas")) } dd { (areas_text(tree, l, &s.areas)) }
            dt { (l.t("Nhịp cuối", "Last heartbeat")) }
            dd class="last-seen" { @match s.last_seen { Some(t) => (when(tz, t)), None => (l.t("chưa có", "none yet")) } }
            dt { (l.t("Nguồn tin", "Feed")) }
            dd class={ "feed" @if behind { " late" } } {
                (s.feed_sequence.map(|f| f.to_string()).unwrap_or_else(|| "–".into()))
                " / " (l.t("hub", "hub")) " " (s.hub_feed_sequence)
                @if behind { " · " (l.t("chưa cập nhật", "behind")) }
            }
            dt { (l.t("Phiên bản", "Version")) } dd { (s.version.as_deref().unwrap_or("–")) }
            dt { (l.t("Lệch giờ", "Clock offset")) }
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
        h1 { (l.t("Đài truyền thanh xã", "Commune stations")) }
        p class="meta" id="counts" {
            (online) " " (l.t("trực tuyến", "online")) " · " (all.len() - online) " " (l.t("mất kết nối", "offline"))
        }
        form method="get" action="/stations" class="inline" {
            label for="area" { (l.t("Địa bàn", "Area")) }
            select id="area" name="area" {
                option value="" { (l.t("Tất cả", "All")) }
                @for a in &choices {
                    option value=(a.code) selected[a.code == q.area] { (a.name) " (" (a.code) ")" }
                }
            }
            input type="hidden" name="state" value=(q.state);
            button type="submit" id="filter" { (l.t("Lọc", "Filter")) }
        }
        div class="filters" {
            (chip("", l.t("Tất cả", "All")))
            (chip("online", l.t("Trực tuyến", "Online")))
            (chip("offline", l.t("Mất kết nối", "Offline")))
        }
        @if shown.is_empty() {
            p class="msg info" { (l.t("Không có trạm nào.", "No stations.")) }
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
    s.render("stations", l.t("Đài truyền thanh xã", "Stations"), body)
}

#[derive(Deserialize, Default)]
pub struct DayQuery {
    #[serde(default)]
    day: String,
}

fn outcome_word(l: Lang, o: &str) -> String {
    let w = match o {
        "aired" => l.t("đã phát", "aired"),
        "missed" => l.t("bỏ lỡ", "missed"),
        "failed" => l.t("lỗi", "failed"),
        "partial" => l.t("phát dở", "partial"),
        "preempted" => l.t("bị ngắt", "preempted"),
        "skipped" => l.t("bỏ qua", "skipped"),
        other => other,
    };
    w.to_string()
}

fn asrun_table(l: Lang, tz: chrono_tz::Tz, lines: &[Logged]) -> Markup {
    html! {
        @if lines.is_empty() {
            p class="msg info" id="asrun-empty" { (l.t("Chưa có dòng nhật ký nào trong ngày.", "No as-run lines for the day.")) }
        } @else {
            div class="scroll" {
                table id="asrun" {
                    thead { tr {
                        th { (l.t("Giờ", "Time")) } th { (l.t("Chương trình", "Program")) }
                        th { (l.t("Sự kiện", "Event")) } th { (l.t("Kết quả", "Outcome")) } th { (l.t("Giây", "Seconds")) }
                    } }
                    tbody {
                        @for x in lines {
                            tr data-outcome=(x.outcome.as_deref().unwrap_or("")) {
                                td { (when(tz, x.scheduled)) }
                                td { strong { (x.title) } div class="meta" { (x.program) } }
                                td { (if x.event == "on_air" { l.t("bắt đầu phát", "on air") } else { l.t("kết thúc", "outcome") }) }
                                td { @if let Some(o) = &x.outcome { span class={"badge out-" (o)} { (outcome_word(l, o)) } } }
                                td { @if x.event != "on_air" { (format!("{:.0}", x.seconds)) } }
                            }
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
    let body = html! {
        p class="meta" { a href="/stations" { "← " (l.t("Đài truyền thanh xã", "Stations")) } }
        h1 id="station" data-id=(st.id) { (st.name) " " (online_badge(l, &st)) }
        div class="meta" { (st.id) }
        (on_air(l, &st))
        div class="card" { (facts(l, tz, &tree, &st)) }
        (chain(l, &st, true))
        (super::chain::section(l, tz, &s.user, &st, &breaks))
        p class="actions" {
            a class="btn" id="programs" href={ "/stations/" (url_escape(&st.id)) "/programs" } {
                (l.t("Lịch phát sóng · Phát ngay / Dừng phát", "Timetable · Play now / Stop"))
            }
        }
        h2 { (l.t("Nhật ký phát sóng", "As-run log")) " · " (day.format("%d/%m/%Y")) }
        form method="get" class="inline" {
            label for="day" { (l.t("Ngày", "Day")) }
            input type="date" id="day" name="day" value=(day.to_string());
            button type="submit" { (l.t("Xem", "Show")) }
        }
        (asrun_table(l, tz, &lines))
        p { a class="btn plain" href=(report) { (l.t("Báo cáo của trạm", "This station's report")) } }
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
