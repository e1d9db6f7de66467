//! Cross-site request refusal: a state-changing request (anything but GET,
//! HEAD, OPTIONS) whose `Sec-Fetch-Site` says another site, or whose `Origin`
//! is neither the hub's public URL nor the host it was sent to, is refused
//! with 403 before any handler runs. Requests without either header (curl,
//! scripts, stations) pass: the session cookie is SameSite and stations use
//! bearer tokens, so a browser on another site cannot ride a session.

use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::hub::app::AppState;
use crate::hub::error::HubError;

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    match verdict(&state.cfg.public_url, &req) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

fn verdict(public_url: &str, req: &Request) -> Result<(), HubError> {
    let h = req.headers();
    let refuse = |why: &str| {
        Err(HubError::forbidden(
            "yêu cầu từ trang web khác bị từ chối",
            format!("cross-site request refused ({why})"),
        ))
    };
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return refuse(&format!("Sec-Fetch-Site: {site}"));
        }
    }
    if let Some(origin) = h.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let host = h
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let same_host = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            == Some(host);
        if origin != public_url && !same_host {
            return refuse(&format!("Origin: {origin}"));
        }
    }
    Ok(())
}
