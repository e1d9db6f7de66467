//! The hub's web pages (server-rendered, Vietnamese first): reserved for the
//! pages work. `routes()` is merged into the app by `hub::app::router`; pages
//! call the same services as the JSON API (`hub::clips`, `hub::users`, …) and
//! take the same extractors (`CurrentUser`, `ClientAddr`).

use axum::Router;

use super::app::AppState;

/// The pages' routes (none yet).
pub fn routes() -> Router<AppState> {
    Router::new()
}
