//! `/api/v1/clips`: upload (multipart), list, one clip, its audio, and the
//! life cycle (submit, approve, reject, withdraw). Thin: the rules are in
//! `hub::clips` and `hub::lifecycle`. The approve, reject and withdraw
//! handlers are generic over the reviewed kind: broadcasts route them too.

use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::hub::app::AppState;
use crate::hub::auth::{ClientAddr, CurrentUser};
use crate::hub::clips::{self, ClipInfo};
use crate::hub::error::{HubError, HubResult};
use crate::hub::lifecycle::{self, Reviewed};
use crate::hub::upload;

pub fn routes(state: &AppState) -> Router<AppState> {
    // Room for the form's text fields on top of the file itself.
    let limit =
        usize::try_from(state.cfg.max_upload.saturating_add(1024 * 1024)).unwrap_or(usize::MAX);
    Router::new()
        .route(
            "/clips",
            get(list).post(create).layer(DefaultBodyLimit::max(limit)),
        )
        .route("/clips/{id}", get(one))
        .route("/clips/{id}/audio", get(audio))
        .route("/clips/{id}/submit", post(submit))
        .route("/clips/{id}/approve", post(approve::<ClipInfo>))
        .route("/clips/{id}/reject", post(reject::<ClipInfo>))
        .route("/clips/{id}/withdraw", post(withdraw::<ClipInfo>))
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    addr: ClientAddr,
    form: Multipart,
) -> HubResult<(StatusCode, Json<ClipInfo>)> {
    crate::hub::local_clips::may_upload(&user)?;
    let up = upload::receive(form, &state.cfg.tmp_dir(), state.cfg.max_upload).await?;
    let clip = clips::create(&state, &user, &addr, up).await?;
    Ok((StatusCode::CREATED, Json(clip)))
}

#[derive(Deserialize)]
struct ListQuery {
    state: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> HubResult<Json<Vec<ClipInfo>>> {
    Ok(Json(clips::list(&state, &user, q.state.as_deref()).await?))
}

async fn one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> HubResult<Json<ClipInfo>> {
    Ok(Json(clips::get(&state, &user, &id).await?))
}

/// The audio, with ranges (so a page's player can seek).
async fn audio(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    req: Request,
) -> HubResult<Response> {
    let (path, mime) = clips::audio(&state, &user, &id).await?;
    let resp = ServeFile::new_with_mime(path, &mime.parse().map_err(HubError::internal)?)
        .oneshot(req)
        .await
        .map_err(HubError::internal)?;
    let mut resp = resp.into_response();
    resp.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline"),
    );
    resp.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    Ok(resp)
}

async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> HubResult<Json<ClipInfo>> {
    Ok(Json(clips::submit(&state, &user, &addr, &id).await?))
}

/// `POST …/ID/approve`, for clips and broadcasts alike.
pub(super) async fn approve<I: Reviewed>(
    State(state): State<AppState>,
    user: CurrentUser,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> HubResult<Json<I>> {
    Ok(Json(lifecycle::approve(&state, &user, &addr, &id).await?))
}

#[derive(Deserialize)]
pub(super) struct RejectBody {
    #[serde(default)]
    pub reason: String,
}

/// `POST …/ID/reject {"reason"}`, for clips and broadcasts alike.
pub(super) async fn reject<I: Reviewed>(
    State(state): State<AppState>,
    user: CurrentUser,
    addr: ClientAddr,
    Path(id): Path<String>,
    Json(body): Json<RejectBody>,
) -> HubResult<Json<I>> {
    Ok(Json(
        lifecycle::reject(&state, &user, &addr, &id, &body.reason).await?,
    ))
}

/// `POST …/ID/withdraw`, for clips and broadcasts alike.
pub(super) async fn withdraw<I: Reviewed>(
    State(state): State<AppState>,
    user: CurrentUser,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> HubResult<Json<I>> {
    Ok(Json(lifecycle::withdraw(&state, &user, &addr, &id).await?))
}
