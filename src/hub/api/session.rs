//! `/api/v1/session`: sign in (`POST`), who am I (`GET`), sign out
//! (`DELETE`), and the password change a one-time password needs
//! (`POST /api/v1/session/password`).

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::hub::app::AppState;
use crate::hub::auth::session::{self, audit_event, set_cookie};
use crate::hub::auth::{ClientAddr, SignedIn};
use crate::hub::error::HubResult;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/session", get(whoami).post(login).delete(logout))
        .route("/session/password", post(change_password))
}

#[derive(Deserialize)]
struct Login {
    user: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    addr: ClientAddr,
    Json(body): Json<Login>,
) -> HubResult<impl axum::response::IntoResponse> {
    let (token, user) = session::login(&state, &body.user, &body.password, &addr.0).await?;
    Ok((
        set_cookie(&state, Some(&token)),
        Json(json!({ "user": user })),
    ))
}

async fn whoami(s: SignedIn) -> Json<Value> {
    Json(json!({ "user": s.user }))
}

async fn logout(
    State(state): State<AppState>,
    addr: ClientAddr,
    s: SignedIn,
) -> HubResult<impl axum::response::IntoResponse> {
    session::logout(&state, &s.token).await?;
    state
        .audit(audit_event(
            &s.user,
            &addr,
            "logout",
            format!("user:{}", s.user.name),
        ))
        .await?;
    Ok((set_cookie(&state, None), Json(json!({ "ok": true }))))
}

#[derive(Deserialize)]
struct ChangePassword {
    old: String,
    new: String,
}

async fn change_password(
    State(state): State<AppState>,
    addr: ClientAddr,
    s: SignedIn,
    Json(body): Json<ChangePassword>,
) -> HubResult<Json<Value>> {
    session::change_password(&state, &s, &addr, &body.old, &body.new).await?;
    Ok(Json(json!({ "ok": true })))
}
