//! `GET /static/upload.js`: the upload forms' progress bar, a small script
//! served by the hub itself (the CSP allows only `script-src 'self'`, no
//! inline script). The forms work without it.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

const JS: &str = include_str!("js/upload.js");

pub async fn serve() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        JS,
    )
}
