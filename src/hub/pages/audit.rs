//! Nhật ký thao tác (admins): the audit log in words, newest first, a page at
//! a time, filtered by who, what and from–to (date pickers); the state of its
//! SHA-256 chain (intact, or the first row that does not follow), and a link
//! to the core's CSV export (`GET /api/v1/audit?format=csv`).

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{NaiveDate, TimeZone};
use maud::html;
use serde::Deserialize;

use super::audit_words::{at, sentence, who, Names};
use super::ctx::Staff;
use super::layout::url_escape;
use crate::hub::app::AppState;
use crate::hub::audit_query::{self, Filter, GROUPS};
use crate::hub::error::HubError;
use crate::hub::scope;
use crate::hub::users::Role;
use crate::tr;

/// Rows per page.
pub const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    who: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: Option<i64>,
}

fn day_start(tz: chrono_tz::Tz, d: &str, plus_days: i64) -> Option<i64> {
    let d = NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok()?;
    let d = d + chrono::Days::new(plus_days as u64);
    tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.timestamp())
}

/// `GET /audit?who=&what=&from=&to=&page=`.
pub async fn show(State(state): State<AppState>, s: Staff, Query(p): Query<Params>) -> Response {
    let l = s.lang;
    let tz = state.cfg.timezone;
    let filter = Filter {
        actor: Some(p.who.trim().to_string()).filter(|x| !x.is_empty()),
        group: Some(p.what.trim().to_string()).filter(|x| GROUPS.iter().any(|(k, _)| k == x)),
        from: day_start(tz, &p.from, 0),
        to: day_start(tz, &p.to, 1),
    };
    let page_no = p.page.unwrap_or(1).max(1);
    let loaded = async {
        scope::require(&s.user, Role::Admin)?;
        let (rows, total) =
            audit_query::page(&state.db, &filter, PER_PAGE, (page_no - 1) * PER_PAGE).await?;
        let actors = audit_query::actors(&state.db).await?;
        let verdict = crate::hub::audit::verify(&state.db).await?;
        Ok::<_, HubError>((rows, total, actors, verdict))
    }
    .await;
    let (rows, total, actors, verdict) = match loaded {
        Ok(x) => x,
        Err(e) => return s.fail("audit", e),
    };
    let mut keys: Vec<&str> = vec![];
    for e in &rows {
        keys.push(&e.target);
        keys.push(&e.actor);
    }
    for a in &actors {
        keys.push(a);
    }
    let names = Names::load(&state, &keys).await;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let link = |n: i64| {
        format!(
            "/audit?who={}&what={}&from={}&to={}&page={n}",
            url_escape(&p.who),
            url_escape(&p.what),
            url_escape(&p.from),
            url_escape(&p.to)
        )
    };
    let title = tr!(l, "admin-audit-title");
    let body = html! {
        h1 { (title) }
        @if verdict.ok {
            div class="msg ok" id="chain" data-ok="true" {
                (tr!(l, "admin-audit-chain-ok", n = verdict.rows as i64))
            }
        } @else {
            div class="msg err" id="chain" data-ok="false" {
                (tr!(l, "admin-audit-chain-broken", row = verdict.broken_at.unwrap_or(0)))
            }
        }
        form method="get" action="/audit" class="card filters" id="audit-filter" {
            label for="who" { (tr!(l, "admin-audit-who")) }
            select id="who" name="who" {
                option value="" { (tr!(l, "admin-audit-anyone")) }
                @for a in &actors {
                    option value=(a) selected[*a == p.who] { (who(l, &names, a)) }
                }
            }
            label for="what" { (tr!(l, "admin-audit-what")) }
            select id="what" name="what" {
                option value="" { (tr!(l, "admin-audit-anything")) }
                @for (k, _) in GROUPS {
                    option value=(k) selected[*k == p.what] { (group_name(l, k)) }
                }
            }
            label for="from" { (tr!(l, "admin-audit-from")) }
            input type="date" id="from" name="from" value=(p.from);
            label for="to" { (tr!(l, "admin-audit-to")) }
            input type="date" id="to" name="to" value=(p.to);
            div class="actions" {
                button type="submit" id="audit-apply" { (tr!(l, "admin-audit-apply")) }
                a class="btn plain" href="/audit" { (tr!(l, "admin-audit-clear")) }
            }
        }
        p class="meta" id="audit-count" { (tr!(l, "admin-audit-count", n = total, page = page_no, pages = pages)) }
        ol id="audit" class="entries" {
            @for e in &rows {
                li class="card entry" data-id=(e.id) data-action=(e.action) {
                    div class="sentence" { (sentence(l, tz, &names, e)) }
                    div class="meta" {
                        @if e.address == "local" {
                            (tr!(l, "admin-audit-meta-local", id = e.id, at = at(tz, e.at)))
                        } @else {
                            (tr!(l, "admin-audit-meta", id = e.id, address = e.address.clone(), at = at(tz, e.at)))
                        }
                    }
                }
            }
        }
        @if rows.is_empty() {
            p class="msg info" id="audit-empty" { (tr!(l, "admin-audit-empty")) }
        }
        nav class="pager" aria-label=(tr!(l, "admin-audit-pages")) {
            @if page_no > 1 { a class="btn plain" id="newer" rel="prev" href=(link(page_no - 1)) { (tr!(l, "admin-audit-newer")) } }
            @if page_no < pages { a class="btn plain" id="older" rel="next" href=(link(page_no + 1)) { (tr!(l, "admin-audit-older")) } }
        }
        p { a class="btn plain" id="export" href="/api/v1/audit?format=csv" download="nhat-ky-thao-tac.csv" {
            (tr!(l, "admin-audit-csv"))
        } }
    };
    s.render("audit", &title, body)
}

fn group_name(l: crate::i18n::Lang, k: &str) -> String {
    match k {
        "sign-in" => tr!(l, "admin-audit-group-sign-in"),
        "accounts" => tr!(l, "admin-audit-group-accounts"),
        "clips" => tr!(l, "admin-audit-group-clips"),
        "broadcasts" => tr!(l, "admin-audit-group-broadcasts"),
        "stations" => tr!(l, "admin-audit-group-stations"),
        _ => tr!(l, "admin-audit-group-timetables"),
    }
}
