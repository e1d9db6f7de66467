//! The link's HTTP: POST a JSON body (with the station's bearer token) and
//! read a capped JSON answer, on the shared reqwest client; and a way for a
//! plain thread (`loa enroll`) to run a future on the network thread.

use std::time::Duration;

use serde_json::Value;

/// Answers bigger than this are refused (the hub's are tiny).
pub const MAX_ANSWER: usize = 256 * 1024;
/// One request, connect to last byte.
pub const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LinkError {
    #[error("hub.json at {path}: {msg}")]
    Creds { path: String, msg: String },
    #[error("cannot reach the hub at {url}: {msg}")]
    Unreachable { url: String, msg: String },
    #[error("the hub at {url} answered {status}: {reason}")]
    Refused {
        url: String,
        status: u16,
        reason: String,
        body: Value,
    },
    #[error("the hub at {url} sent a bad answer: {msg}")]
    BadAnswer { url: String, msg: String },
    #[error("the network thread is not running: {0}")]
    Net(String),
}

/// POST `body` as JSON; `Ok` only for a 2xx answer with a JSON body.
pub async fn post_json(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    body: &Value,
) -> Result<Value, LinkError> {
    let mut req = client
        .post(url)
        .timeout(TIMEOUT)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_string());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let unreachable = |e: reqwest::Error| LinkError::Unreachable {
        url: url.to_string(),
        msg: crate::net::NetError::from_send(&e, url).to_string(),
    };
    let mut resp = req.send().await.map_err(unreachable)?;
    let status = resp.status();
    let mut bytes = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(unreachable)? {
        if bytes.len() + chunk.len() > MAX_ANSWER {
            return Err(LinkError::BadAnswer {
                url: url.into(),
                msg: format!("the answer is over {MAX_ANSWER} bytes"),
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if !status.is_success() {
        let reason = v
            .get("reason_en")
            .or_else(|| v.get("reason"))
            .and_then(Value::as_str)
            .map(String::from)
            .unwrap_or_else(|| String::from_utf8_lossy(&bytes).chars().take(200).collect());
        return Err(LinkError::Refused {
            url: url.into(),
            status: status.as_u16(),
            reason,
            body: v,
        });
    }
    if v.is_null() {
        return Err(LinkError::BadAnswer {
            url: url.into(),
            msg: "the answer is not JSON".into(),
        });
    }
    Ok(v)
}

/// Run `fut` on the network thread and wait for it (plain threads only).
pub fn block_on<F>(fut: F) -> Result<F::Output, LinkError>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let net = crate::net::shared().map_err(|e| LinkError::Net(e.to_string()))?;
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    net.handle().spawn(async move {
        let _ = tx.send(fut.await);
    });
    rx.recv()
        .map_err(|_| LinkError::Net("the request task ended without an answer".into()))
}
