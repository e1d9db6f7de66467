//! The station API of HUB.md under `/api/v1`: `POST /enroll`, a station's
//! `heartbeat`, `asrun` and `events` (bearer token, its own id only), and the
//! staff's `GET /stations` and the acknowledgment of an as-run chain break
//! (`…/asrun/acknowledge`, `…/asrun/breaks`). Bodies are read as bytes under a cap per route
//! (over it: 413) and checked here for shape (400 naming the field); the rules
//! are in `hub::stations`, `hub::heartbeat`, `hub::asrun`, `hub::nudge`.
//! The events stream carries `event: feed` and, for this station only,
//! `event: programs` (its timetable document, `hub::timetable`).

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::{Stream, StreamExt};
use serde_json::{json, Value};
use tokio::sync::broadcast::error::RecvError;

use crate::hub::app::AppState;
use crate::hub::asrun::{self, Answer};
use crate::hub::auth::{ClientAddr, CurrentUser};
use crate::hub::chain;
use crate::hub::error::{HubError, HubResult};
use crate::hub::heartbeat::{self, StationInfo};
use crate::hub::stations::{self, Enrolled, StationAuth};
use crate::i18n::Lang;

/// Keep-alive comments on an events stream this often.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/enroll",
            post(enroll).layer(DefaultBodyLimit::max(4 * 1024)),
        )
        .route("/stations", get(list))
        .route(
            "/stations/{id}/heartbeat",
            post(beat).layer(DefaultBodyLimit::max(heartbeat::MAX_BODY)),
        )
        .route(
            "/stations/{id}/asrun",
            post(upload).layer(DefaultBodyLimit::max(asrun::MAX_BODY)),
        )
        .route("/stations/{id}/events", get(events))
        .route(
            "/stations/{id}/asrun/breaks",
            get(breaks).layer(DefaultBodyLimit::max(4 * 1024)),
        )
        .route(
            "/stations/{id}/asrun/acknowledge",
            post(acknowledge).layer(DefaultBodyLimit::max(4 * 1024)),
        )
}

/// Parse a JSON body, or 400 saying why.
fn json_body(body: &[u8]) -> HubResult<Value> {
    serde_json::from_slice(body)
        .map_err(|e| HubError::bad_request("err-body-not-valid-json").arg("e", e))
}

async fn enroll(
    State(state): State<AppState>,
    addr: ClientAddr,
    body: Bytes,
) -> HubResult<Json<Enrolled>> {
    let v = json_body(&body)?;
    let Some(code) = v.get("code").and_then(Value::as_str) else {
        return Err(HubError::bad_request("err-field-code-enrolment-code-must"));
    };
    Ok(Json(stations::enroll(&state, &addr.0, code).await?))
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> HubResult<Json<Vec<StationInfo>>> {
    Ok(Json(heartbeat::list(&state, &user).await?))
}

/// `GET …/asrun/breaks`: the acknowledged breaks on record, newest first.
async fn breaks(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> HubResult<Json<Vec<chain::Break>>> {
    Ok(Json(chain::list(&state, &user, &id).await?))
}

/// `POST …/asrun/acknowledge {"note"}` (admin): the break goes on record and
/// the station's next batch may start a new stretch (`hub::chain`).
async fn acknowledge(
    State(state): State<AppState>,
    user: CurrentUser,
    addr: ClientAddr,
    Path(id): Path<String>,
    body: Bytes,
) -> HubResult<Json<chain::Break>> {
    let v = json_body(&body)?;
    let note = v
        .get("note")
        .and_then(Value::as_str)
        .ok_or_else(|| HubError::bad_request("err-field-note-must-be-string"))?;
    Ok(Json(
        chain::acknowledge(&state, &user, &addr.0, &id, note).await?,
    ))
}

async fn beat(
    State(state): State<AppState>,
    auth: StationAuth,
    Path(id): Path<String>,
    body: Bytes,
) -> HubResult<Json<Value>> {
    auth.require(&id)?;
    let v = json_body(&body)?;
    Ok(Json(heartbeat::record(&state, &id, &v).await?))
}

async fn upload(
    State(state): State<AppState>,
    auth: StationAuth,
    addr: ClientAddr,
    Path(id): Path<String>,
    body: Bytes,
) -> HubResult<Response> {
    auth.require(&id)?;
    let v = json_body(&body)?;
    let lines: Vec<String> = match v.get("lines").and_then(Value::as_array) {
        Some(a) if a.iter().all(Value::is_string) => a
            .iter()
            .filter_map(|l| l.as_str().map(String::from))
            .collect(),
        _ => return Err(HubError::bad_request("err-field-lines-must-be-list")),
    };
    Ok(match asrun::upload(&state, &id, &addr.0, &lines).await? {
        Answer::Accepted { accepted, last } => {
            Json(json!({ "accepted": accepted, "last": last })).into_response()
        }
        Answer::Break {
            last,
            index,
            reason,
        } => (
            StatusCode::CONFLICT,
            Json(json!({
                "error": "chain_break",
                "reason": crate::tr!(Lang::Vi, "err-chain-break", index = index.to_string()),
                "reason_en": reason,
                "index": index,
                "last": last,
            })),
        )
            .into_response(),
    })
}

async fn events(
    State(state): State<AppState>,
    auth: StationAuth,
    Path(id): Path<String>,
) -> HubResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    auth.require(&id)?;
    let link = state.link.clone();
    let rx = link.subscribe();
    let prx = link.subscribe_programs();
    // The current sequences first: a station that missed a nudge while
    // disconnected catches up on connecting.
    let programs_now = crate::hub::timetable::current(&state.db, &id)
        .await?
        .map(|t| t.sequence);
    let first = futures_util::stream::iter(
        std::iter::once(Nudge::Feed(link.feed_sequence()))
            .chain(programs_now.map(Nudge::Programs))
            .collect::<Vec<_>>(),
    );
    let feed = futures_util::stream::unfold((rx, link.clone()), |(mut rx, link)| async move {
        match rx.recv().await {
            Ok(seq) => Some((Nudge::Feed(seq), (rx, link))),
            // Too slow to keep up: the newest is all that matters.
            Err(RecvError::Lagged(_)) => Some((Nudge::Feed(link.feed_sequence()), (rx, link))),
            Err(RecvError::Closed) => None,
        }
    });
    let programs = futures_util::stream::unfold(
        (prx, link.clone(), id.clone()),
        |(mut rx, link, id)| async move {
            loop {
                match rx.recv().await {
                    Ok((s, seq)) if s == id => return Some((Nudge::Programs(seq), (rx, link, id))),
                    Ok(_) => continue,
                    Err(RecvError::Lagged(_)) => match link.programs_sequence(&id) {
                        Some(seq) => return Some((Nudge::Programs(seq), (rx, link, id))),
                        None => continue,
                    },
                    Err(RecvError::Closed) => return None,
                }
            }
        },
    );
    let stream = first
        .chain(futures_util::stream::select(feed, programs))
        .map(|n| {
            let (name, seq) = match n {
                Nudge::Feed(s) => ("feed", s),
                Nudge::Programs(s) => ("programs", s),
            };
            Ok(Event::default()
                .event(name)
                .data(json!({ "sequence": seq }).to_string()))
        })
        .take_until(link.stopping());
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

/// What an events stream tells its station.
enum Nudge {
    Feed(u64),
    Programs(u64),
}
