//! The hub's one error type: every refusal a handler or service can give,
//! mapped to its HTTP status and a JSON body `{"error", "reason", "reason_en"}`
//! (`reason` in Vietnamese, the users' language; `reason_en` in English),
//! both rendered from the catalogue: a reason is a message code and its
//! arguments (`HubError::forbidden("err-…").arg("id", id)`), never text, so
//! pages show it in the reader's language (`Lang::reason`).
//! Refusals (403) are logged with their reason; internal errors are logged
//! in full and shown only as "internal error".

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::i18n::{Args, Lang, Msg};

/// What a user is told: a catalogue message (`locales/*/errors.ftl`, ids
/// `err-…`, or another area's id) with its arguments, rendered in the
/// reader's language when it is read. An argument can itself be a message
/// (a state's name, a nested refusal), rendered in the same language.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    code: &'static str,
    args: Vec<(&'static str, Arg)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Text(String),
    Msg(Box<Reason>),
    /// Text already rendered from a catalogue in each language (a station's
    /// diagnostic): `[vi, en]`.
    Rendered([String; 2]),
}

impl Reason {
    /// The message `code` (a literal: the catalogue tests find it in the source).
    pub fn new(code: &'static str) -> Reason {
        Reason { code, args: vec![] }
    }

    /// The same message with argument `name` = `value` (shown as is).
    pub fn arg(mut self, name: &'static str, value: impl std::fmt::Display) -> Reason {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// The same message with argument `name` = another message, rendered in
    /// the same language.
    pub fn arg_msg(mut self, name: &'static str, value: Reason) -> Reason {
        self.args.push((name, Arg::Msg(Box::new(value))));
        self
    }

    /// The same message with argument `name` = `render(lang)`, rendered now
    /// in both languages (text that is already catalogue-based, such as a
    /// station's diagnostic).
    pub fn arg_per_lang(mut self, name: &'static str, render: impl Fn(Lang) -> String) -> Reason {
        self.args
            .push((name, Arg::Rendered([render(Lang::Vi), render(Lang::En)])));
        self
    }

    /// The message as wire data (`Msg`), when every argument is plain text.
    pub fn to_msg(&self) -> Option<Msg> {
        self.args
            .iter()
            .try_fold(Msg::new(self.code), |m, (k, v)| match v {
                Arg::Text(t) => Some(m.arg(k, t)),
                _ => None,
            })
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let mut a = Args::new();
        for (k, v) in &self.args {
            match v {
                Arg::Text(t) => a.set_str(k, t.clone()),
                Arg::Msg(m) => a.set_str(k, m.text(lang)),
                Arg::Rendered([vi, en]) => a.set_str(
                    k,
                    match lang {
                        Lang::Vi => vi.clone(),
                        Lang::En => en.clone(),
                    },
                ),
            }
        }
        lang.trf(self.code, &a)
    }
}

impl From<&'static str> for Reason {
    fn from(code: &'static str) -> Reason {
        Reason::new(code)
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.text(Lang::Vi), self.text(Lang::En))
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
    pub fn forbidden(r: impl Into<Reason>) -> HubError {
        HubError::Forbidden(r.into())
    }
    pub fn invalid(r: impl Into<Reason>) -> HubError {
        HubError::Invalid(r.into())
    }
    pub fn conflict(r: impl Into<Reason>) -> HubError {
        HubError::Conflict(r.into())
    }
    pub fn not_found(r: impl Into<Reason>) -> HubError {
        HubError::NotFound(r.into())
    }
    pub fn unauthorized(r: impl Into<Reason>) -> HubError {
        HubError::Unauthorized(r.into())
    }
    pub fn bad_request(r: impl Into<Reason>) -> HubError {
        HubError::BadRequest(r.into())
    }
    pub fn too_large(r: impl Into<Reason>) -> HubError {
        HubError::TooLarge(r.into())
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

    /// The same refusal with argument `name` = `value` in its reason
    /// (an internal error has none).
    pub fn arg(self, name: &'static str, value: impl std::fmt::Display) -> HubError {
        self.map_reason(|r| r.arg(name, value))
    }

    /// The same refusal with argument `name` = another message.
    pub fn arg_msg(self, name: &'static str, value: Reason) -> HubError {
        self.map_reason(|r| r.arg_msg(name, value))
    }

    /// The same refusal with argument `name` rendered in each language now.
    pub fn arg_per_lang(self, name: &'static str, render: impl Fn(Lang) -> String) -> HubError {
        self.map_reason(|r| r.arg_per_lang(name, render))
    }

    fn map_reason(self, f: impl FnOnce(Reason) -> Reason) -> HubError {
        match self {
            HubError::Unauthorized(r) => HubError::Unauthorized(f(r)),
            HubError::Forbidden(r) => HubError::Forbidden(f(r)),
            HubError::NotFound(r) => HubError::NotFound(f(r)),
            HubError::Conflict(r) => HubError::Conflict(f(r)),
            HubError::Invalid(r) => HubError::Invalid(f(r)),
            HubError::TooLarge(r) => HubError::TooLarge(f(r)),
            HubError::BadRequest(r) => HubError::BadRequest(f(r)),
            HubError::TooMany {
                reason,
                retry_after_s,
            } => HubError::TooMany {
                reason: f(reason),
                retry_after_s,
            },
            HubError::Unavailable(r) => HubError::Unavailable(f(r)),
            HubError::DiskFull(r) => HubError::DiskFull(f(r)),
            e @ HubError::Internal(_) => e,
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
            HubError::Internal(_) => Reason::new("err-internal"),
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
            HubError::Forbidden(r) => tracing::warn!("hub: refused: {:?}", r.text(Lang::En)),
            HubError::Unavailable(r) | HubError::DiskFull(r) => {
                tracing::error!("hub: {:?}", r.text(Lang::En))
            }
            _ => tracing::debug!("hub: {:?}", self.to_string()),
        }
        let reason = self.reason();
        let body = serde_json::json!({
            "error": self.code(),
            "reason": reason.text(Lang::Vi),
            "reason_en": reason.text(Lang::En),
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
