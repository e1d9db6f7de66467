//! `/api/v1/broadcasts`: propose a pushed broadcast, list, one, and the life
//! cycle (approve, reject, withdraw: the handlers `api::clips` shares, over
//! `hub::lifecycle`). Rules are in `hub::broadcasts`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};

use super::clips::{approve, reject, withdraw};
use crate::hub::app::AppState;
use crate::hub::auth::{ClientAddr, CurrentUser};
use crate::hub::broadcasts::{self, BroadcastInfo, Proposal};
use crate::hub::error::HubResult;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/broadcasts", get(list).post(propose))
        .route("/broadcasts/{id}", get(one))
        .route("/broadcasts/{id}/approve", post(approve::<BroadcastInfo>))
        .route("/broadcasts/{id}/reject", post(reject::<BroadcastInfo>))
        .route("/broadcasts/{id}/withdraw", post(withdraw::<BroadcastInfo>))
}

async fn propose(
    State(state): State<AppState>,
    user: CurrentUser,
    addr: ClientAddr,
    Json(p): Json<Proposal>,
) -> HubResult<(StatusCode, Json<BroadcastInfo>)> {
    let b = broadcasts::propose(&state, &user, &addr, p).await?;
    Ok((StatusCode::CREATED, Json(b)))
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> HubResult<Json<Vec<BroadcastInfo>>> {
    Ok(Json(broadcasts::list(&state, &user).await?))
}

async fn one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> HubResult<Json<BroadcastInfo>> {
    Ok(Json(broadcasts::get(&state, &user, &id).await?))
}
