//! What one station is doing now, for the home and the station pages: online
//! or not, the broadcast on air (title, time aired, time left when the hub
//! knows the clip's length), the next broadcasts today (from its heartbeat's
//! `next`), whether its quiet hours hold now. Read with one bounded query
//! per station (`Now::load`), never the whole stations table.
//! `GET /stations/{id}/now` answers the same block as an HTML fragment, and
//! `GET /static/live.js` refreshes every `[data-live]` block from it every
//! few seconds (progressive enhancement: without script the page shows the
//! state of its load and a "Tải lại" link).

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, FixedOffset, Utc};
use maud::{html, Markup};
use serde_json::Value;

use super::ctx::Staff;
use super::i18n::Lang;
use super::layout::url_escape;
use crate::config::QuietHours;
use crate::hub::app::AppState;
use crate::hub::db::{col, now_s, split};
use crate::hub::error::HubError;
use crate::hub::heartbeat::strings;
use crate::hub::heartbeat::visible;
use crate::tr;

/// The script that refreshes the live blocks.
const LIVE_JS: &str = include_str!("js/live.js");

/// A broadcast to come.
pub struct Next {
    pub start: DateTime<FixedOffset>,
    pub title: String,
}

/// One station now.
pub struct Now {
    pub id: String,
    pub name: String,
    pub enrolled: bool,
    pub online: bool,
    /// Title, seconds aired, seconds left (when known).
    pub on_air: Option<(String, i64, Option<i64>)>,
    /// Today's next broadcasts (station zone), soonest first, at most 5.
    pub next: Vec<Next>,
    /// The station's zone (its heartbeat's, else the hub's).
    pub tz: chrono_tz::Tz,
    pub quiet_hours: Vec<String>,
    pub areas: Vec<String>,
    /// The station's clip files (its heartbeat's `local_clips`).
    pub files: Vec<String>,
    /// The station's own programs (id, title), from its config file.
    pub own: Vec<(String, String)>,
}

impl Now {
    /// Station `id` as `user` may see it (404 alike when missing or out of scope).
    pub async fn load(
        state: &AppState,
        user: &crate::hub::users::User,
        id: &str,
    ) -> Result<Now, HubError> {
        let r = sqlx::query(
            "SELECT name, areas, token_hash, last_seen, heartbeat_s, status, own_programs FROM stations WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?;
        let missing = || HubError::not_found("err-no-station-lies-outside-your").arg("id", id);
        let Some(r) = r else { return Err(missing()) };
        let areas = split(&col::<String>(&r, "areas")?);
        let tree = state.area_tree(&areas).await?;
        if !visible(&tree, user, id, &areas) {
            return Err(missing());
        }
        let status: Value = col::<Option<String>>(&r, "status")?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(Value::Null);
        let last_seen: Option<i64> = col(&r, "last_seen")?;
        let heartbeat_s: i64 = col(&r, "heartbeat_s")?;
        let token: Option<String> = col(&r, "token_hash")?;
        let online = last_seen.is_some_and(|t| now_s() - t <= 3 * heartbeat_s);
        let tz = status
            .get("timezone")
            .and_then(Value::as_str)
            .and_then(|z| z.parse().ok())
            .unwrap_or(state.cfg.timezone);
        let on_air = match status.get("on_air") {
            Some(o) if o.is_object() && online => Some(on_air_of(state, o).await),
            _ => None,
        };
        let today = Utc::now().with_timezone(&tz).date_naive();
        let next = if online {
            next_today(&status, tz, today)
        } else {
            vec![]
        };
        Ok(Now {
            id: id.to_string(),
            name: col(&r, "name")?,
            enrolled: token.is_some(),
            online,
            on_air,
            next,
            tz,
            quiet_hours: strings(&status, "quiet_hours"),
            areas,
            files: strings(&status, "local_clips"),
            own: programs_of(&col::<Option<String>>(&r, "own_programs")?.unwrap_or_default()),
        })
    }

    /// Do the station's quiet hours hold now (its own clock zone)?
    pub fn in_quiet_hours(&self) -> bool {
        quiet_now(&self.quiet_hours, self.tz, Utc::now())
    }
}

/// Whether any of `windows` ("21:30-05:00") holds at `at` in `tz`.
pub fn quiet_now(windows: &[String], tz: chrono_tz::Tz, at: DateTime<Utc>) -> bool {
    let t = at.with_timezone(&tz).time();
    windows
        .iter()
        .filter_map(|w| crate::config::parse_quiet_window(w).ok())
        .any(|q: QuietHours| q.contains(t))
}

/// (id, title) of the `[[program]]` tables of `toml`.
pub fn programs_of(toml: &str) -> Vec<(String, String)> {
    toml.parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("program").and_then(|p| p.as_array()).cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|p| {
            let id = p.get("id")?.as_str()?.to_string();
            let title = p
                .get("title")
                .and_then(|t| t.as_str())
                .unwrap_or("")
                .to_string();
            Some((id, title))
        })
        .collect()
}

/// Title, seconds aired, seconds left (the item's length when it is a hub clip).
async fn on_air_of(state: &AppState, o: &Value) -> (String, i64, Option<i64>) {
    let s = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or_default();
    let title = if s("title").is_empty() {
        s("program").to_string()
    } else {
        s("title").to_string()
    };
    let f = |k: &str| o.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let elapsed = f("elapsed_s").max(f("position_s")) as i64;
    let item = s("item");
    let left = if item.is_empty() {
        None
    } else {
        sqlx::query("SELECT duration_ms FROM clips WHERE id = $1")
            .bind(item)
            .fetch_optional(&state.db.pool)
            .await
            .ok()
            .flatten()
            .and_then(|r| col::<i64>(&r, "duration_ms").ok())
            .map(|ms| (ms / 1000 - f("position_s") as i64).max(0))
    };
    (title, elapsed, left)
}

/// The heartbeat's `next` that start today in `tz`, soonest first, at most 5.
fn next_today(status: &Value, tz: chrono_tz::Tz, today: chrono::NaiveDate) -> Vec<Next> {
    let mut v: Vec<Next> = status
        .get("next")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|n| {
                    let start = DateTime::parse_from_rfc3339(n.get("start")?.as_str()?).ok()?;
                    let title = n
                        .get("title")
                        .and_then(Value::as_str)
                        .filter(|t| !t.is_empty())
                        .or_else(|| n.get("program").and_then(Value::as_str))
                        .unwrap_or_default()
                        .to_string();
                    Some(Next { start, title })
                })
                .filter(|n| n.start.with_timezone(&tz).date_naive() == today)
                .collect()
        })
        .unwrap_or_default();
    v.sort_by_key(|n| n.start);
    v.truncate(5);
    v
}

/// `1:05` / `12:30` / `1:02:03`: a length for people.
pub fn clock_len(s: i64) -> String {
    let s = s.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// The online badge.
pub fn badge(l: Lang, enrolled: bool, online: bool) -> Markup {
    let (class, text) = match (enrolled, online) {
        (false, _) => ("badge net-none", tr!(l, "stations-not-enrolled")),
        (true, true) => ("badge net-on", tr!(l, "stations-online")),
        (true, false) => ("badge net-off", tr!(l, "stations-offline")),
    };
    html! { span class=(class) data-online=(online) { (text) } }
}

/// The inside of a live block: online, on air, next today.
pub fn inner(l: Lang, n: &Now) -> Markup {
    html! {
        p class="now-net" { (badge(l, n.enrolled, n.online)) }
        @match &n.on_air {
            Some((title, aired, left)) => {
                div class="onair" data-on-air="true" {
                    span class="badge air" { (tr!(l, "stations-on-air")) } " "
                    strong class="now-title" { (title) }
                    div class="meta" {
                        @match left {
                            Some(left) => (tr!(l, "home-time-left", aired = clock_len(*aired), left = clock_len(*left))),
                            None => (tr!(l, "home-time-aired", aired = clock_len(*aired))),
                        }
                    }
                }
            }
            None => {
                p class="meta" data-on-air="false" {
                    @if n.online { (tr!(l, "stations-nothing-on-air")) } @else { (tr!(l, "home-offline-unknown")) }
                }
            }
        }
        @if n.online {
            h4 { (tr!(l, "home-next-today")) }
            @if n.next.is_empty() {
                p class="meta next-none" { (tr!(l, "home-next-none")) }
            } @else {
                ul class="next" {
                    @for x in &n.next {
                        li { strong { (x.start.with_timezone(&n.tz).format("%H:%M")) } " " (x.title) }
                    }
                }
            }
        }
    }
}

/// A live block: refreshed by live.js from `/stations/{id}/now`.
pub fn block(l: Lang, n: &Now) -> Markup {
    let src = format!("/stations/{}/now", url_escape(&n.id));
    html! {
        div class="now" data-live=(src) data-station=(n.id) { (inner(l, n)) }
        p class="reload meta" { a href="" { (tr!(l, "home-reload")) } }
    }
}

/// `GET /stations/{id}/now`: the live block's inside, as a fragment.
pub async fn fragment(State(state): State<AppState>, s: Staff, Path(id): Path<String>) -> Response {
    match Now::load(&state, &s.user, &id).await {
        Ok(n) => (
            [(CACHE_CONTROL, "no-store")],
            Html(inner(s.lang, &n).into_string()),
        )
            .into_response(),
        Err(e) => (e.status(), s.lang.reason(&e.reason())).into_response(),
    }
}

/// `GET /static/live.js`.
pub async fn script() -> Response {
    (
        StatusCode::OK,
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=300"),
        ],
        LIVE_JS,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn lengths_read_well() {
        assert_eq!(clock_len(65), "1:05");
        assert_eq!(clock_len(3723), "1:02:03");
        assert_eq!(clock_len(-3), "0:00");
    }

    #[test]
    fn quiet_hours_wrap_midnight() {
        let tz: chrono_tz::Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        let at = |h: u32| {
            tz.with_ymd_and_hms(2026, 12, 7, h, 0, 0)
                .unwrap()
                .with_timezone(&Utc)
        };
        let w = vec!["21:30-05:00".to_string()];
        assert!(quiet_now(&w, tz, at(23)));
        assert!(quiet_now(&w, tz, at(2)));
        assert!(!quiet_now(&w, tz, at(12)));
        assert!(!quiet_now(&[], tz, at(23)));
    }

    #[test]
    fn next_keeps_today_only() {
        let tz: chrono_tz::Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        let st = serde_json::json!({"next": [
            {"occurrence": "b", "start": "2026-12-07T17:00:00+07:00", "program": "b", "title": "Chiều"},
            {"occurrence": "a", "start": "2026-12-07T11:30:00+07:00", "program": "a", "title": ""},
            {"occurrence": "c", "start": "2026-12-08T05:00:00+07:00", "program": "c", "title": "Mai"}
        ]});
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let v = next_today(&st, tz, d);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].title, "a");
        assert_eq!(v[1].title, "Chiều");
    }
}
