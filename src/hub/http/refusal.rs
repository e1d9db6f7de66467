//! Refusals made below the router (connection cap, misdirected `Host`,
//! header timeout) in the same shape as `HubError`'s JSON:
//! `{"error", "reason", "reason_en"}` — as an axum response, or as the raw
//! bytes of a whole HTTP/1.1 answer for a socket no handler will see.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::hub::error::Reason;
use crate::i18n::Lang;

/// The JSON body every refusal carries (the reason from the catalogue, in
/// both languages).
pub fn body(code: &str, reason: &Reason) -> serde_json::Value {
    serde_json::json!({
        "error": code,
        "reason": reason.text(Lang::Vi),
        "reason_en": reason.text(Lang::En),
    })
}

/// An axum response (for middleware).
pub fn response(status: StatusCode, code: &str, reason: Reason) -> Response {
    tracing::debug!("hub: refused ({status}): {}", reason.text(Lang::En));
    (status, Json(body(code, &reason))).into_response()
}

/// A complete `Connection: close` answer to write straight to a socket;
/// `retry_after_s` adds `Retry-After`.
pub fn raw(status: StatusCode, code: &str, reason: Reason, retry_after_s: Option<u64>) -> Vec<u8> {
    let json = body(code, &reason).to_string();
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n{}: application/json\r\n{}: {}\r\nconnection: close\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        header::CONTENT_TYPE,
        header::CONTENT_LENGTH,
        json.len(),
    );
    for (k, v) in super::headers::fixed() {
        head.push_str(&format!("{k}: {}\r\n", v.to_str().unwrap_or("")));
    }
    if let Some(s) = retry_after_s {
        head.push_str(&format!("{}: {s}\r\n", header::RETRY_AFTER));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(json.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_answer_is_complete_http() {
        let r = raw(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_connections",
            Reason::new("err-too-many-connections"),
            Some(10),
        );
        let s = String::from_utf8(r).unwrap();
        assert!(s.starts_with("HTTP/1.1 429 Too Many Requests\r\n"), "{s}");
        let (head, body) = s.split_once("\r\n\r\n").unwrap();
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{head}"
        );
        assert!(head.contains("retry-after: 10"), "{head}");
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(
            v["reason_en"],
            "this address holds too many connections to the hub; try again later"
        );
        assert_eq!(
            v["reason"],
            "địa chỉ này đang mở quá nhiều kết nối tới hệ thống; hãy thử lại sau"
        );
    }
}
