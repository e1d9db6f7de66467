//! The hub's one error type: every refusal a handler or service can give,
//! mapped to its HTTP status and a JSON body `{"error", "reason", "reason_en"}`
//! (`reason` in Vietnamese, the users' language; `reason_en` in English).
//! Refusals (403) are logged with their reason; internal errors are logged
//! in full and shown only as "internal error".

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// A user-facing message in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub vi: String,
    pub en: String,
}

impl Reason {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Reason {
        Reason {
            vi: vi.into(),
            en: en.into(),
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.vi, self.en)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// No session, or it is over: sign in.
    #[error("unauthorized: {0}")]
    Unauthorized(Reason),
    /// Signed in, but role, scope or rule says no.
    #[error("forbidden: {0}")]
    Forbidden(Reason),
    #[error("not found: {0}")]
    NotFound(Reason),
    /// The request clashes with what is stored (duplicate id, wrong state).
    #[error("conflict: {0}")]
    Conflict(Reason),
    /// The request is well formed but its content is refused.
    #[error("invalid: {0}")]
    Invalid(Reason),
    #[error("too large: {0}")]
    TooLarge(Reason),
    /// The request's shape is wrong (a station's heartbeat or as-run body): 400 naming the field.
    #[error("bad request: {0}")]
    BadRequest(Reason),
    #[error("too many attempts: {reason}")]
    TooMany { reason: Reason, retry_after_s: u64 },
    /// The database cannot be reached right now (stopped, restarting, every
    /// connection busy past the acquire timeout): 503, try again later.
    #[error("unavailable: {0}")]
    Unavailable(Reason),
    /// The state folder's disk is full: 507; nothing of the request was kept.
    #[error("disk full: {0}")]
    DiskFull(Reason),
    /// A bug or an outage: logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type HubResult<T> = Result<T, HubError>;

impl HubError {
    pub fn forbidden(vi: impl Into<String>, en: impl Into<String>) -> HubError {
        HubError::Forbidden(Reason::new(vi, en))
    }
    pub fn invalid(vi: impl Into<String>, en: impl Into<String>) -> HubError {
        HubError::Invalid(Reason::new(vi, en))
    }
    pub fn conflict(vi: impl Into<String>, en: impl Into<String>) -> HubError {
        HubError::Conflict(Reason::new(vi, en))
    }
    pub fn not_found(vi: impl Into<String>, en: impl Into<String>) -> HubError {
        HubError::NotFound(Reason::new(vi, en))
    }
    pub fn unauthorized(vi: impl Into<String>, en: impl Into<String>) -> HubError {
        HubError::Unauthorized(Reason::new(vi, en))
    }
    pub fn bad_request(vi: impl Into<String>, en: impl Into<String>) -> HubError {
        HubError::BadRequest(Reason::new(vi, en))
    }
    pub fn internal(what: impl std::fmt::Display) -> HubError {
        HubError::Internal(what.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            HubError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            HubError::Forbidden(_) => StatusCode::FORBIDDEN,
            HubError::NotFound(_) => StatusCode::NOT_FOUND,
            HubError::Conflict(_) => StatusCode::CONFLICT,
            HubError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            HubError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            HubError::BadRequest(_) => StatusCode::BAD_REQUEST,
            HubError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            HubError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            HubError::DiskFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            HubError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The short machine-readable code of the JSON body.
    pub fn code(&self) -> &'static str {
        match self {
            HubError::Unauthorized(_) => "unauthorized",
            HubError::Forbidden(_) => "forbidden",
            HubError::NotFound(_) => "not_found",
            HubError::Conflict(_) => "conflict",
            HubError::Invalid(_) => "invalid",
            HubError::TooLarge(_) => "too_large",
            HubError::BadRequest(_) => "bad_request",
            HubError::TooMany { .. } => "too_many_requests",
            HubError::Unavailable(_) => "unavailable",
            HubError::DiskFull(_) => "disk_full",
            HubError::Internal(_) => "internal",
        }
    }

    /// What the user is told (never the detail of an internal error).
    pub fn reason(&self) -> Reason {
        match self {
            HubError::Unauthorized(r)
            | HubError::Forbidden(r)
            | HubError::NotFound(r)
            | HubError::Conflict(r)
            | HubError::Invalid(r)
            | HubError::TooLarge(r)
            | HubError::BadRequest(r)
            | HubError::TooMany { reason: r, .. }
            | HubError::Unavailable(r)
            | HubError::DiskFull(r) => r.clone(),
            HubError::Internal(_) => Reason::new(
                "lỗi nội bộ; đã ghi vào nhật ký của máy chủ",
                "internal error; it is in the hub's log",
            ),
        }
    }
}

impl From<sqlx::Error> for HubError {
    fn from(e: sqlx::Error) -> HubError {
        super::outage::from_sqlx(e)
    }
}

impl From<std::io::Error> for HubError {
    fn from(e: std::io::Error) -> HubError {
        super::outage::from_io(e)
    }
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        match &self {
            // Reasons quote what users typed: escaped, one line each.
            HubError::Internal(detail) => tracing::error!("hub: {detail:?}"),
            HubError::Forbidden(r) => tracing::warn!("hub: refused: {:?}", r.en),
            HubError::Unavailable(r) | HubError::DiskFull(r) => tracing::error!("hub: {:?}", r.en),
            _ => tracing::debug!("hub: {:?}", self.to_string()),
        }
        let reason = self.reason();
        let body = serde_json::json!({
            "error": self.code(),
            "reason": reason.vi,
            "reason_en": reason.en,
        });
        let mut resp = (self.status(), Json(body)).into_response();
        let retry = match &self {
            HubError::TooMany { retry_after_s, .. } => Some(*retry_after_s),
            HubError::Unavailable(_) => Some(super::outage::RETRY_AFTER_S),
            _ => None,
        };
        if let Some(s) = retry {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        resp
    }
}
