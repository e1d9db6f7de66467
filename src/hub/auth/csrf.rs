//! Cross-site request refusal: a state-changing request (anything but GET,
//! HEAD, OPTIONS) whose `Sec-Fetch-Site` says another site, or whose `Origin`
//! is not the hub's own (`public_url`, or the local forms of `http/host.rs`;
//! never judged by the request's own `Host`, which a rebound DNS name
//! controls), is refused with 403 before any handler runs. Requests without
//! either header (curl, scripts, stations) pass: the session cookie is
//! SameSite and stations use bearer tokens, so a browser on another site
//! cannot ride a session.

use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::hub::app::AppState;
use crate::hub::error::HubError;
use crate::hub::http::host::Names;

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    match verdict(&Names::of(&state), &req) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

fn verdict(names: &Names, req: &Request) -> Result<(), HubError> {
    let h = req.headers();
    let refuse = |why: &str| Err(HubError::forbidden("err-cross-site").arg("why", why));
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return refuse(&format!("Sec-Fetch-Site: {site}"));
        }
    }
    if let Some(origin) = h.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if !names.origin_ok(origin) {
            return refuse(&format!("Origin: {origin}"));
        }
    }
    Ok(())
}
