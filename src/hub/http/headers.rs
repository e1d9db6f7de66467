//! Security headers on every answer of the hub (pages, API, feed, refusals):
//! a Content-Security-Policy that allows no script but the hub's own files
//! and no framing, `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`
//! and `Referrer-Policy: same-origin` (the language switch reads the Referer
//! of the hub's own pages; nothing leaves for other sites).
//!
//! A route that must be framed by other sites (the citizens' embed) says so
//! by putting `Framing::Anywhere` in its response's extensions (e.g. return
//! `(Extension(Framing::Anywhere), page)`): it then gets `frame-ancestors *`
//! and no X-Frame-Options. A route that sets its own `Content-Security-Policy`
//! keeps it.

use axum::extract::Request;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The policy, with `frame-ancestors` as given. `style-src 'unsafe-inline'`:
/// the pages embed their one stylesheet and the week picture places its
/// blocks with `style` attributes (`style-src-attr` alone is unknown to older
/// phones' browsers, which would then drop the picture's layout). Scripts,
/// the real danger, are limited to files the hub serves; images, audio and
/// fetches to the hub itself (`default-src 'self'`).
macro_rules! policy {
    ($ancestors:literal) => {
        concat!(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; ",
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors ",
            $ancestors
        )
    };
}

/// The CSP of every answer unless a route opts into framing.
pub const CSP: &str = policy!("'none'");
/// The CSP of a route that answers with `Framing::Anywhere`.
pub const CSP_FRAMEABLE: &str = policy!("*");

/// Who may put a hub page in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Framing {
    /// Nobody (the default; clickjacking).
    #[default]
    Deny,
    /// Any site (an embeddable public page).
    Anywhere,
}

/// The headers that do not depend on the route (also on raw refusals).
pub fn fixed() -> [(HeaderName, HeaderValue); 4] {
    [
        (CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)),
        (X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (REFERRER_POLICY, HeaderValue::from_static("same-origin")),
    ]
}

/// Middleware: add the headers a response does not set itself.
pub async fn set(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let framing = resp
        .extensions()
        .get::<Framing>()
        .copied()
        .unwrap_or_default();
    let h = resp.headers_mut();
    for (name, value) in fixed() {
        match (framing, &name) {
            (Framing::Anywhere, n) if n == X_FRAME_OPTIONS => continue,
            (Framing::Anywhere, n) if n == CONTENT_SECURITY_POLICY => {
                h.entry(name)
                    .or_insert(HeaderValue::from_static(CSP_FRAMEABLE));
            }
            _ => {
                h.entry(name).or_insert(value);
            }
        }
    }
    resp
}
