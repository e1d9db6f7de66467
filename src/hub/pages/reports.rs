//! Báo cáo: the as-run report as a page (`/reports`): a filter form (any date
//! range, with this month and last month one tap away; địa bàn, station,
//! category), the summary table (minutes aired, occurrences scheduled / aired
//! / missed / failed, compliance %), the hub's SVG chart embedded inline (no
//! outside asset), and links to the same report as CSV and XLSX. The report
//! and its scope are `hub::reports::build`'s; the chart is `hub::chart::svg`.

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use maud::{html, PreEscaped};

use super::ctx::Staff;
use super::layout::url_escape;
use super::stations::area_choices;
use crate::hub::app::AppState;
use crate::hub::reports::{self, Query as ReportQuery};
use crate::hub::{chart, heartbeat};
use crate::i18n::format::decimal;
use crate::tr;

/// The first and last day of the month holding `d`.
fn month_of(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = d.with_day(1).unwrap_or(d);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (first, next.pred_opt().unwrap_or(first))
}

/// The query string of `q` with `format` set (empty: none).
fn query_string(q: &ReportQuery, format: &str) -> String {
    let mut parts = vec![];
    for (k, v) in [
        ("from", &q.from),
        ("to", &q.to),
        ("area", &q.area),
        ("station", &q.station),
        ("category", &q.category),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", url_escape(v)));
        }
    }
    if !format.is_empty() {
        parts.push(format!("format={format}"));
    }
    parts.join("&")
}

/// `GET /reports`.
pub async fn show(
    State(state): State<AppState>,
    s: Staff,
    Query(q): Query<ReportQuery>,
) -> Response {
    let l = s.lang;
    let rep = match reports::build(&state, &s.user, &q).await {
        Ok(r) => r,
        Err(e) => return s.fail("reports", e),
    };
    let stations = match heartbeat::list(&state, &s.user).await {
        Ok(v) => v,
        Err(e) => return s.fail("reports", e),
    };
    let codes: Vec<String> = stations.iter().flat_map(|x| x.areas.clone()).collect();
    let tree = match state.area_tree(&codes).await {
        Ok(t) => t,
        Err(e) => return s.fail("reports", e),
    };
    let areas = area_choices(&tree, &stations);
    let get = |v: &Option<String>| v.clone().unwrap_or_default();
    let (area, station, category) = (get(&q.area), get(&q.station), get(&q.category));
    let mut cats: Vec<&str> = rep
        .summary
        .iter()
        .map(|x| x.category.as_str())
        .filter(|c| *c != "*")
        .collect();
    cats.sort();
    cats.dedup();
    let today = chrono::Utc::now()
        .with_timezone(&state.cfg.timezone)
        .date_naive();
    let this = month_of(today);
    let last = month_of(this.0.pred_opt().unwrap_or(this.0));
    let month_link = |(a, b): (NaiveDate, NaiveDate)| {
        let mut m = q.clone();
        m.from = Some(a.to_string());
        m.to = Some(b.to_string());
        format!("/reports?{}", query_string(&m, ""))
    };
    let fixed = ReportQuery {
        from: Some(rep.from.clone()),
        to: Some(rep.to.clone()),
        ..q.clone()
    };
    let heads = [
        tr!(l, "reports-col-station"),
        tr!(l, "reports-col-category"),
        tr!(l, "reports-col-minutes"),
        tr!(l, "reports-col-scheduled"),
        tr!(l, "reports-col-aired"),
        tr!(l, "reports-col-missed"),
        tr!(l, "reports-col-failed"),
        tr!(l, "reports-col-compliance"),
    ];
    let body = html! {
        h1 { (tr!(l, "reports-title")) }
        div class="filters" {
            a href=(month_link(this)) id="this-month" { (tr!(l, "reports-this-month")) }
            a href=(month_link(last)) id="last-month" { (tr!(l, "reports-last-month")) }
        }
        form method="get" action="/reports" id="report-form" {
            div class="grid" {
                div { label for="from" { (tr!(l, "reports-from")) }
                      input type="date" id="from" name="from" value=(rep.from); }
                div { label for="to" { (tr!(l, "reports-to")) }
                      input type="date" id="to" name="to" value=(rep.to); }
                div { label for="area" { (tr!(l, "reports-area")) }
                    select id="area" name="area" {
                        option value="" { (tr!(l, "reports-all")) }
                        @for a in &areas { option value=(a.code) selected[a.code == area] { (a.name) } }
                    } }
                div { label for="station" { (tr!(l, "reports-station")) }
                    select id="station" name="station" {
                        option value="" { (tr!(l, "reports-all")) }
                        @for x in &stations { option value=(x.id) selected[x.id == station] { (x.name) } }
                    } }
                div { label for="category" { (tr!(l, "reports-category")) }
                    input type="text" id="category" name="category" value=(category) list="categories";
                    datalist id="categories" { @for c in &cats { option value=(c) {} } } }
            }
            div class="actions" { button type="submit" id="show" { (tr!(l, "reports-show")) } }
        }
        div class="actions" id="exports" {
            a class="btn plain" id="csv" href={"/api/v1/reports/asrun?" (query_string(&fixed, "csv"))} { (tr!(l, "reports-csv")) }
            a class="btn plain" id="xlsx" href={"/api/v1/reports/asrun?" (query_string(&fixed, "xlsx"))} { (tr!(l, "reports-xlsx")) }
        }
        h2 id="range" { (tr!(l, "reports-summary", from = chart::dmy(&rep.from), to = chart::dmy(&rep.to))) }
        @if rep.summary.is_empty() {
            p class="msg info" id="no-data" { (tr!(l, "reports-none")) }
        } @else {
            div {
                table id="summary" class="cards" {
                    thead { tr {
                        @for h in &heads { th { (h) } }
                    } }
                    tbody {
                        @for x in &rep.summary {
                            tr data-station=(x.station) data-category=(x.category) class=[(x.category == "*").then_some("total")] {
                                td data-label=(heads[0]) { (x.station_name) }
                                td data-label=(heads[1]) { @if x.category == "*" { (tr!(l, "reports-every-category")) } @else { (x.category) } }
                                td data-label=(heads[2]) class="num" { (decimal(l, x.minutes_aired, 1)) }
                                td data-label=(heads[3]) class="num" { (x.scheduled) }
                                td data-label=(heads[4]) class="num" { (x.aired) }
                                td data-label=(heads[5]) class="num" { (x.missed) }
                                td data-label=(heads[6]) class="num" { (x.failed) }
                                td data-label=(heads[7]) class="num" { (decimal(l, x.compliance_pct, 0)) " %" }
                            }
                        }
                    }
                }
            }
        }
        @if rep.rows.iter().any(|r| r.chain_break) {
            p class="msg err" id="chain-break" {
                (tr!(l, "reports-chain-break"))
            }
        }
        h2 { (tr!(l, "reports-chart")) }
        // The SVG escapes every text it draws (hub::chart::esc).
        div class="scroll chart" id="chart" { (PreEscaped(chart::svg(&rep, l))) }
    };
    drop(rep);
    reports::give_back_memory();
    s.render("reports", &tr!(l, "reports-nav"), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_queries() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 14).unwrap();
        let (a, b) = month_of(d);
        assert_eq!(
            (a.to_string(), b.to_string()),
            ("2026-02-01".into(), "2026-02-28".into())
        );
        let q = ReportQuery {
            from: Some("2026-11-01".into()),
            area: Some("".into()),
            station: Some("xã a&b".into()),
            ..Default::default()
        };
        assert_eq!(chart::dmy("2026-11-07"), "07/11/2026");
        assert_eq!(
            query_string(&q, "csv"),
            "from=2026-11-01&station=x%C3%A3%20a%26b&format=csv"
        );
    }
}
