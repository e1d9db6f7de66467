//! `GET /api/v1/audit?from=&to=` (admins only): the audit rows in the window
//! (RFC 3339 or YYYY-MM-DD, default everything) and the verdict on the whole
//! chain (`{"entries": [...], "chain": {"ok", "rows", "broken_at"}}`), or
//! with `format=csv` the rows as UTF-8 CSV with a BOM (for spreadsheets).

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::hub::app::AppState;
use crate::hub::audit;
use crate::hub::auth::CurrentUser;
use crate::hub::error::{HubError, HubResult};
use crate::hub::scope;
use crate::hub::users::Role;

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(read))
}

#[derive(Deserialize)]
struct Window {
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

/// Every field quoted, formulas defused in every piece (`crate::csv_cell`).
fn csv_field(s: &str) -> String {
    let c = crate::csv_cell::cell(s);
    if c.starts_with('"') {
        c
    } else {
        format!("\"{c}\"")
    }
}

fn to_csv(entries: &[audit::Entry], tz: chrono_tz::Tz) -> String {
    use chrono::TimeZone;
    let mut out = String::from("\u{feff}id,at,actor,address,action,target,before,after,hash\r\n");
    for e in entries {
        let at = tz
            .timestamp_opt(e.at, 0)
            .single()
            .map(|t| t.to_rfc3339())
            .unwrap_or_default();
        let row = [
            e.id.to_string(),
            at,
            e.actor.clone(),
            e.address.clone(),
            e.action.clone(),
            e.target.clone(),
            e.before.clone(),
            e.after.clone(),
            e.hash.clone(),
        ];
        let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

fn instant(s: &str, tz: chrono_tz::Tz) -> HubResult<i64> {
    use chrono::TimeZone;
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp());
    }
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| HubError::invalid("err-neither-date-yyyy-mm-dd").arg("s", s))?;
    let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    Ok(tz
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.timestamp())
        .unwrap_or(0))
}

async fn read(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(w): Query<Window>,
) -> HubResult<Response> {
    scope::require(&user, Role::Admin)?;
    let tz = state.cfg.timezone;
    let from = w
        .from
        .as_deref()
        .map(|s| instant(s, tz))
        .transpose()?
        .unwrap_or(i64::MIN);
    let to = match w.to.as_deref() {
        // A date `to` includes that whole day.
        Some(s) if !s.contains('T') => instant(s, tz)? + 24 * 3600,
        Some(s) => instant(s, tz)?,
        None => i64::MAX,
    };
    let entries = audit::list(&state.db, from, to).await?;
    match w.format.as_deref() {
        Some("csv") => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"nhat-ky-thao-tac.csv\"",
                ),
            ],
            to_csv(&entries, tz),
        )
            .into_response()),
        None | Some("json") => {
            let chain = audit::verify(&state.db).await?;
            Ok(Json(json!({ "entries": entries, "chain": chain })).into_response())
        }
        Some(f) => Err(HubError::invalid("err-format-not-offered-json-csv-2").arg("f", f)),
    }
}
