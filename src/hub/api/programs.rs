//! A station's timetable from the hub (HUB.md staff API): `GET` and `PUT
//! /api/v1/stations/ID/programs` (body: TOML `[[program]]` tables; 422 with
//! `line:col: message` diagnostics, or `{"sequence"}` once signed), and remote
//! `POST …/play {"target","priority"}` and `POST …/stop`, and `GET
//! …/programs/history` (the issued documents). The rules are in
//! `hub::timetable`; this file only maps shapes and errors.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::hub::app::AppState;
use crate::hub::auth::{ClientAddr, CurrentUser};
use crate::hub::error::{HubError, HubResult};
use crate::hub::heartbeat;
use crate::hub::timetable::{self, Remote, StationTimetable, TimetableError};
use crate::i18n::Lang;

/// The biggest programs body accepted.
pub const MAX_PROGRAMS: usize = 256 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/stations/{id}/programs",
            get(read)
                .put(replace)
                .layer(DefaultBodyLimit::max(MAX_PROGRAMS)),
        )
        .route("/stations/{id}/programs/history", get(list_history))
        .route(
            "/stations/{id}/play",
            post(play).layer(DefaultBodyLimit::max(4 * 1024)),
        )
        .route(
            "/stations/{id}/stop",
            post(stop).layer(DefaultBodyLimit::max(4 * 1024)),
        )
}

/// A timetable error as the API answers it.
pub fn answer(e: TimetableError) -> Response {
    match e {
        TimetableError::Invalid(diags) => {
            let lines: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({
                    "error": "invalid",
                    "reason": crate::tr!(
                        Lang::Vi,
                        "err-programs-have-errors",
                        lines = diags
                            .iter()
                            .map(|d| d.display_in(Lang::Vi))
                            .collect::<Vec<_>>()
                            .join("\n")
                    ),
                    "reason_en": crate::tr!(
                        Lang::En,
                        "err-programs-have-errors",
                        lines = lines.join("\n")
                    ),
                    "diagnostics": lines,
                    "details": diags,
                })),
            )
                .into_response()
        }
        TimetableError::Forbidden(r) => HubError::Forbidden(r).into_response(),
        TimetableError::NoStation => HubError::not_found("err-no-such-station").into_response(),
        TimetableError::BadCommand(r) => HubError::BadRequest(r).into_response(),
        TimetableError::NotOnStation(r) => HubError::Invalid(r).into_response(),
        TimetableError::Hub(e) => e.into_response(),
    }
}

async fn read(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> HubResult<Json<StationTimetable>> {
    let info = heartbeat::one(&state, &user, &id).await?;
    let t = timetable::current(&state.db, &id).await?;
    Ok(Json(t.unwrap_or(StationTimetable {
        station: id,
        toml: String::new(),
        sequence: 0,
        published_at: 0,
        published_by: String::new(),
        applied_sequence: info.programs_sequence,
        station_error: None,
        station_error_msg: None,
    })))
}

/// The issued documents, newest first (`?limit=`, default 50).
async fn list_history(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> HubResult<Json<Vec<timetable::Issued>>> {
    heartbeat::one(&state, &user, &id).await?;
    let limit = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(50);
    Ok(Json(timetable::history(&state.db, &id, limit).await?))
}

async fn replace(
    State(state): State<AppState>,
    user: CurrentUser,
    addr: ClientAddr,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(text) = std::str::from_utf8(&body) else {
        return HubError::bad_request("err-programs-must-be-utf-8").into_response();
    };
    match timetable::publish(&state, &user, &addr.0, &id, text).await {
        Ok(seq) => Json(json!({ "sequence": seq })).into_response(),
        Err(e) => answer(e),
    }
}

async fn play(
    State(state): State<AppState>,
    user: CurrentUser,
    addr: ClientAddr,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let v: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return HubError::bad_request("err-body-not-valid-json")
                .arg("e", e)
                .into_response()
        }
    };
    let Some(target) = v.get("target").and_then(Value::as_str) else {
        return HubError::bad_request("err-field-target-program-clip-play").into_response();
    };
    let priority = match v.get("priority") {
        None | Some(Value::Null) => None,
        Some(p) => match p.as_u64().and_then(|p| u32::try_from(p).ok()) {
            Some(p) => Some(p),
            None => {
                return HubError::bad_request("err-field-priority-must-be-whole").into_response()
            }
        },
    };
    let remote = Remote::Play {
        target: target.to_string(),
        priority,
    };
    match timetable::command(&state, &user, &addr.0, &id, remote).await {
        Ok(seq) => Json(json!({ "sequence": seq })).into_response(),
        Err(e) => answer(e),
    }
}

async fn stop(
    State(state): State<AppState>,
    user: CurrentUser,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> Response {
    match timetable::command(&state, &user, &addr.0, &id, Remote::Stop).await {
        Ok(seq) => Json(json!({ "sequence": seq })).into_response(),
        Err(e) => answer(e),
    }
}
