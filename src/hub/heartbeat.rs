//! Station heartbeats and the stations list (HUB.md): a heartbeat is the
//! station's `loa status --json` plus `version`, `uptime_s`, `clock`,
//! `disk_free_bytes`, `errors` (and `heartbeat_s`, its interval; `timezone`
//! and `quiet_hours`, for the week picture; `local_clips`). The hub
//! checks its shape (400 naming the field; `own_programs` must be TOML whose
//! programs start at most once a minute), stores it with the hub's own time
//! of arrival, and answers the sequences the station should hold.
//!
//! "Online" is judged by the hub's clock only (a heartbeat within 3 of the
//! station's intervals); the station's clock is shown as an offset, never trusted.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::app::AppState;
use super::db::{col, now_s, split};
use super::error::{HubError, HubResult, Reason};
use super::scope;
use super::users::{Role, User};

/// The biggest heartbeat body accepted (the station keeps its own under
/// `link::report::MAX_HEARTBEAT`).
pub const MAX_BODY: usize = 128 * 1024;
/// The most clip file names a heartbeat may list (`local_clips`).
pub const MAX_LOCAL_CLIPS: usize = 1000;
/// The most quiet-hours windows a heartbeat may list.
pub const MAX_QUIET_HOURS: usize = 24;
/// The biggest `own_programs` text kept (the station sends no bigger).
pub const MAX_OWN_PROGRAMS: usize = crate::link::own::MAX_OWN_PROGRAMS;

fn field_error(field: &str, want: Reason) -> HubError {
    HubError::bad_request("err-bad-heartbeat-field-must-be")
        .arg("field", field)
        .arg_msg("want", want)
}

/// A checked heartbeat: what the hub keeps apart from the whole body.
#[derive(Debug, Clone, PartialEq)]
pub struct Beat {
    pub clock: i64,
    pub interval_s: i64,
    /// The station's own programs (TOML), when this beat carries them.
    pub own_programs: Option<String>,
}

/// Check a heartbeat's shape; the first wrong field is named.
pub fn check(body: &Value) -> HubResult<Beat> {
    let Some(o) = body.as_object() else {
        return Err(field_error("(body)", Reason::new("err-want-object")));
    };
    let get = |k: &str| o.get(k).unwrap_or(&Value::Null);
    if !get("version").is_string() {
        return Err(field_error("version", Reason::new("err-want-version")));
    }
    if !get("uptime_s").is_u64() {
        return Err(field_error("uptime_s", Reason::new("err-want-seconds")));
    }
    let clock = get("clock")
        .as_str()
        .and_then(|c| chrono::DateTime::parse_from_rfc3339(c).ok())
        .ok_or_else(|| field_error("clock", Reason::new("err-want-time")))?;
    if !get("disk_free_bytes").is_u64() {
        return Err(field_error(
            "disk_free_bytes",
            Reason::new("err-want-bytes"),
        ));
    }
    match get("errors") {
        Value::Array(a) if a.iter().all(Value::is_string) => {}
        _ => return Err(field_error("errors", Reason::new("err-want-strings"))),
    }
    match get("on_air") {
        Value::Null | Value::Object(_) => {}
        _ => return Err(field_error("on_air", Reason::new("err-want-null-object"))),
    }
    match get("feed") {
        Value::Null | Value::Object(_) => {}
        _ => return Err(field_error("feed", Reason::new("err-want-null-object"))),
    }
    match get("programs_sequence") {
        Value::Null => {}
        v if v.is_u64() => {}
        _ => {
            return Err(field_error(
                "programs_sequence",
                Reason::new("err-want-null-number"),
            ))
        }
    }
    match get("programs_error") {
        Value::Null | Value::String(_) => {}
        _ => {
            return Err(field_error(
                "programs_error",
                Reason::new("err-want-null-string"),
            ))
        }
    }
    // A message beside `programs_error` (newer stations); read leniently
    // where shown (`Msg::from_json`), so only its kind is checked here.
    match get("programs_error_msg") {
        Value::Null | Value::Object(_) => {}
        _ => {
            return Err(field_error(
                "programs_error_msg",
                Reason::new("err-want-null-object"),
            ))
        }
    }
    match get("local_clips") {
        Value::Null => {}
        Value::Array(a) if a.len() <= MAX_LOCAL_CLIPS && a.iter().all(Value::is_string) => {}
        _ => {
            return Err(field_error(
                "local_clips",
                Reason::new("err-want-file-names").arg("max", MAX_LOCAL_CLIPS),
            ))
        }
    }
    match get("timezone") {
        Value::Null => {}
        Value::String(s) if s.parse::<chrono_tz::Tz>().is_ok() => {}
        _ => return Err(field_error("timezone", Reason::new("err-want-timezone"))),
    }
    match get("quiet_hours") {
        Value::Null => {}
        Value::Array(a)
            if a.len() <= MAX_QUIET_HOURS
                && a.iter().all(|q| {
                    q.as_str()
                        .is_some_and(|q| crate::config::parse_quiet_window(q).is_ok())
                }) => {}
        _ => {
            return Err(field_error(
                "quiet_hours",
                Reason::new("err-want-windows").arg("max", MAX_QUIET_HOURS),
            ))
        }
    }
    let own_sha = match get("own_programs_sha256") {
        Value::Null => None,
        Value::String(s) if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Some(s.to_ascii_lowercase())
        }
        _ => {
            return Err(field_error(
                "own_programs_sha256",
                Reason::new("err-want-sha256"),
            ))
        }
    };
    let own_programs = match get("own_programs") {
        Value::Null => None,
        Value::String(s) if s.len() <= MAX_OWN_PROGRAMS => {
            let sha = hex::encode(Sha256::digest(s.as_bytes()));
            if own_sha.as_deref() != Some(sha.as_str()) {
                return Err(field_error(
                    "own_programs",
                    Reason::new("err-want-sha256-match"),
                ));
            }
            own_programs_bounded(s)?;
            Some(s.clone())
        }
        _ => {
            return Err(field_error(
                "own_programs",
                Reason::new("err-want-text-bytes").arg("max", MAX_OWN_PROGRAMS),
            ))
        }
    };
    let interval_s = match o.get("heartbeat_s") {
        None => super::stations::DEFAULT_HEARTBEAT_S,
        Some(v) => match v.as_i64() {
            Some(n) if (1..=86_400).contains(&n) => n,
            _ => {
                return Err(field_error(
                    "heartbeat_s",
                    Reason::new("err-want-heartbeat-s"),
                ))
            }
        },
    };
    Ok(Beat {
        clock: clock.timestamp(),
        interval_s,
        own_programs,
    })
}

/// The own programs must be TOML (`[[program]]` tables, as the station
/// writes them) and within the hub's bound on how often a program starts
/// (`timetable::bounds`): else 400 naming the field, nothing stored.
fn own_programs_bounded(text: &str) -> HubResult<()> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let why = e.message().trim().to_string();
        HubError::bad_request("err-bad-heartbeat-field-own-programs").arg("why", why)
    })?;
    match super::timetable::bounds::too_frequent_raw(&table) {
        None => Ok(()),
        Some(r) => {
            Err(HubError::bad_request("err-bad-heartbeat-own-programs").arg_msg("reason", r))
        }
    }
}

/// Store a heartbeat of `station`; returns the sequences it should hold and
/// the digest of the own programs the hub keeps for it.
pub async fn record(state: &AppState, station: &str, body: &Value) -> HubResult<Value> {
    let beat = check(body)?;
    let now = now_s();
    // The own programs are kept apart (sent once per change), not in the status.
    let mut status = body.clone();
    if let Some(o) = status.as_object_mut() {
        o.remove("own_programs");
    }
    sqlx::query(
        "UPDATE stations SET last_seen = $1, status = $2, clock_offset_s = $3, heartbeat_s = $4 WHERE id = $5",
    )
    .bind(now)
    .bind(status.to_string())
    .bind(beat.clock - now)
    .bind(beat.interval_s)
    .bind(station)
    .execute(&state.db.pool)
    .await?;
    if let Some(text) = &beat.own_programs {
        sqlx::query(
            "UPDATE stations SET own_programs = $1, own_programs_sha256 = $2 WHERE id = $3",
        )
        .bind(text)
        .bind(hex::encode(Sha256::digest(text.as_bytes())))
        .bind(station)
        .execute(&state.db.pool)
        .await?;
    }
    let own: Option<String> = sqlx::query("SELECT own_programs_sha256 FROM stations WHERE id = $1")
        .bind(station)
        .fetch_optional(&state.db.pool)
        .await?
        .map(|r| col::<Option<String>>(&r, "own_programs_sha256"))
        .transpose()?
        .flatten();
    let programs = super::timetable::current(&state.db, station)
        .await?
        .map(|t| t.sequence)
        .unwrap_or(0);
    Ok(serde_json::json!({
        "feed_sequence": state.link.feed_sequence(),
        "programs_sequence": programs,
        "own_programs_sha256": own,
    }))
}

/// One station as the stations API shows it.
#[derive(Debug, Serialize, Clone)]
pub struct StationInfo {
    pub id: String,
    pub name: String,
    pub areas: Vec<String>,
    pub enrolled: bool,
    pub online: bool,
    /// Unix seconds, by the hub's clock.
    pub last_seen: Option<i64>,
    pub on_air: Value,
    pub feed_sequence: Option<u64>,
    /// The hub's own feed sequence, to compare.
    pub hub_feed_sequence: u64,
    /// The timetable sequence the station applied (its heartbeat).
    pub programs_sequence: Option<u64>,
    /// Why the station refused the hub's timetable document, if it did.
    pub programs_error: Option<String>,
    /// The same as a message (code + arguments), from newer stations.
    pub programs_error_msg: Option<crate::i18n::Msg>,
    pub version: Option<String>,
    pub errors: Vec<String>,
    /// Station clock minus hub clock at the last heartbeat (shown, not trusted).
    pub clock_offset_s: Option<i64>,
    pub heartbeat_s: i64,
    pub asrun_lines: i64,
    /// Why the uploaded as-run chain is broken, when it is.
    pub chain_break: Option<String>,
    /// The station's IANA timezone and quiet hours, from its heartbeat
    /// (a station older than these fields sends neither).
    pub timezone: Option<String>,
    pub quiet_hours: Vec<String>,
}

/// The strings of the list `key` of a stored heartbeat.
pub fn strings(status: &Value, key: &str) -> Vec<String> {
    status
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|e| e.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `user` may see `station` (its areas, or an operator's stations).
pub fn visible(tree: &super::areas::AreaTree, user: &User, id: &str, areas: &[String]) -> bool {
    (user.has(Role::Operator) && user.stations.iter().any(|s| s == id))
        || scope::covers(tree, user, areas)
}

/// Every station `user` may see, by id.
pub async fn list(state: &AppState, user: &User) -> HubResult<Vec<StationInfo>> {
    let rows = sqlx::query(
        "SELECT id, name, areas, token_hash, last_seen, heartbeat_s, status, clock_offset_s, asrun_lines, chain_break \
         FROM stations ORDER BY id",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let all_areas: Vec<String> = rows
        .iter()
        .filter_map(|r| col::<String>(r, "areas").ok())
        .flat_map(|a| split(&a))
        .collect();
    let tree = state.area_tree(&all_areas).await?;
    let now = now_s();
    let hub_seq = state.link.feed_sequence();
    let mut out = vec![];
    for r in &rows {
        let id: String = col(r, "id")?;
        let areas = split(&col::<String>(r, "areas")?);
        if !visible(&tree, user, &id, &areas) {
            continue;
        }
        let last_seen: Option<i64> = col(r, "last_seen")?;
        let heartbeat_s: i64 = col(r, "heartbeat_s")?;
        let token: Option<String> = col(r, "token_hash")?;
        let status: Value = col::<Option<String>>(r, "status")?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(Value::Null);
        out.push(StationInfo {
            id,
            name: col(r, "name")?,
            areas,
            enrolled: token.is_some(),
            online: last_seen.is_some_and(|t| now - t <= 3 * heartbeat_s),
            last_seen,
            on_air: status.get("on_air").cloned().unwrap_or(Value::Null),
            feed_sequence: status.pointer("/feed/sequence").and_then(Value::as_u64),
            hub_feed_sequence: hub_seq,
            programs_sequence: status.get("programs_sequence").and_then(Value::as_u64),
            programs_error: status
                .get("programs_error")
                .and_then(Value::as_str)
                .map(String::from),
            programs_error_msg: status
                .get("programs_error_msg")
                .and_then(crate::i18n::Msg::from_json),
            version: status
                .get("version")
                .and_then(Value::as_str)
                .map(String::from),
            errors: strings(&status, "errors"),
            clock_offset_s: col(r, "clock_offset_s")?,
            heartbeat_s,
            asrun_lines: col(r, "asrun_lines")?,
            chain_break: col(r, "chain_break")?,
            timezone: status
                .get("timezone")
                .and_then(Value::as_str)
                .map(String::from),
            quiet_hours: strings(&status, "quiet_hours"),
        });
    }
    Ok(out)
}

/// One station `user` may see (404 alike when it does not exist or lies
/// outside the scope: no hint which).
pub async fn one(state: &AppState, user: &User, id: &str) -> HubResult<StationInfo> {
    list(state, user)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| HubError::not_found("err-no-station-lies-outside-your").arg("id", id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> Value {
        json!({"on_air": null, "next": [], "feed": null, "store": {"clips": 0, "bytes": 0},
               "output": {"device": "null", "state": "closed"}, "version": "0.1.0", "uptime_s": 5,
               "clock": "2026-11-29T08:00:00+07:00", "disk_free_bytes": 1000, "errors": [], "heartbeat_s": 60,
               "timezone": "Asia/Ho_Chi_Minh", "quiet_hours": ["21:30-05:00", "11:30:30-13:00"]})
    }

    #[test]
    fn a_good_heartbeat_passes() {
        let b = check(&good()).unwrap();
        assert_eq!(b.interval_s, 60);
    }

    #[test]
    fn each_wrong_field_is_named() {
        for (k, v) in [
            ("version", json!(1)),
            ("uptime_s", json!(-1)),
            ("clock", json!("yesterday")),
            ("disk_free_bytes", json!("lots")),
            ("errors", json!([1])),
            ("on_air", json!(3)),
            ("feed", json!("x")),
            ("heartbeat_s", json!(0)),
            ("programs_sequence", json!(-1)),
            ("programs_error", json!(3)),
            ("local_clips", json!([1])),
            ("timezone", json!("Mars/Olympus")),
            ("timezone", json!(7)),
            ("quiet_hours", json!(["21:30"])),
            ("quiet_hours", json!("21:30-05:00")),
            ("quiet_hours", json!(vec!["21:30-05:00"; 25])),
        ] {
            let mut b = good();
            b[k] = v;
            let e = check(&b).unwrap_err();
            assert_eq!(e.status(), axum::http::StatusCode::BAD_REQUEST);
            assert!(
                e.reason()
                    .text(crate::i18n::Lang::En)
                    .contains(&format!("`{k}`")),
                "{k}: {e}"
            );
        }
        assert!(check(&json!([1])).is_err());
    }
}
