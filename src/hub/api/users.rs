//! `/api/v1/users` (admins: list, create with a one-time password) and
//! `/api/v1/areas` (anyone signed in: the administrative units, for pickers).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::hub::app::AppState;
use crate::hub::auth::{ClientAddr, CurrentUser};
use crate::hub::error::{HubError, HubResult};
use crate::hub::scope;
use crate::hub::users::{self, NewUser, Role, User};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/areas", get(areas))
}

async fn list(State(state): State<AppState>, user: CurrentUser) -> HubResult<Json<Vec<User>>> {
    scope::require(&user, Role::Admin)?;
    Ok(Json(users::list(&state.db).await?))
}

#[derive(Deserialize)]
struct Create {
    name: String,
    roles: Vec<String>,
    #[serde(default)]
    areas: Vec<String>,
    #[serde(default)]
    stations: Vec<String>,
}

async fn create(
    State(state): State<AppState>,
    admin: CurrentUser,
    addr: ClientAddr,
    Json(body): Json<Create>,
) -> HubResult<(StatusCode, Json<Value>)> {
    let mut roles = vec![];
    for r in &body.roles {
        let role: Role = r
            .parse()
            .map_err(|_: String| HubError::invalid("err-role-unknown").arg("role", r))?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    let new = NewUser {
        name: body.name,
        roles,
        areas: body.areas,
        stations: body.stations,
        password: None,
    };
    let (user, password) = users::create_by_admin(&state, &admin, &addr, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "user": user, "password": password })),
    ))
}

async fn areas(State(state): State<AppState>, _user: CurrentUser) -> HubResult<Json<Value>> {
    let tree = crate::hub::areas::load(&state.db).await?;
    let mut list = tree.list();
    list.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(Json(json!(list)))
}
