//! The JSON API under `/api/v1` (HUB.md's staff API): one file per resource,
//! each a `routes()` merged here. Handlers are thin: they parse the request,
//! call a service (`hub::clips`, `hub::broadcasts`, `hub::users`, `hub::audit`)
//! and turn its answer or `HubError` into JSON.

mod audit;
mod broadcasts;
mod clips;
pub mod programs;
mod reports;
mod session;
mod stations;
pub mod tts;
mod users;

use axum::Router;

use super::app::AppState;

pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(session::routes())
        .merge(clips::routes(state))
        .merge(tts::routes())
        .merge(broadcasts::routes())
        .merge(audit::routes())
        .merge(users::routes())
        .merge(stations::routes())
        .merge(programs::routes())
        .merge(reports::routes())
}
