//! Why a request failed, in words callers map onto their own errors (feed, relay).
//! Owns only the classification of reqwest's errors; decides nothing.

use std::error::Error as _;
use std::io;

/// One failed request or body.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NetError {
    #[error("bad URL `{url}`: {msg}")]
    BadUrl { url: String, msg: String },
    #[error("connection refused by {0}: is the server up?")]
    Refused(String),
    #[error("cannot resolve the host of {0}: check DNS and the network")]
    HostNotFound(String),
    #[error("could not connect to {0} in time: check the network")]
    ConnectTimeout(String),
    #[error("no response head from {0} in time")]
    HeadTimeout(String),
    #[error("cannot connect to {url}: {msg}")]
    Connect { url: String, msg: String },
    #[error("no data in time from {0}")]
    Stalled(String),
    #[error("connection to {url} cut: {msg}")]
    Cut { url: String, msg: String },
    #[error("the caller gave up on {0}")]
    Cancelled(String),
    #[error("the network thread is not running ({0}): restart loa")]
    Runtime(String),
}

impl NetError {
    /// Classify a reqwest error from sending a request (up to the response head).
    pub(crate) fn from_send(e: &reqwest::Error, url: &str) -> NetError {
        let url = url.to_string();
        let chain = chain(e);
        if e.is_builder() {
            return NetError::BadUrl { url, msg: chain };
        }
        if e.is_connect() {
            if e.is_timeout() {
                return NetError::ConnectTimeout(url);
            }
            if io_kind(e) == Some(io::ErrorKind::ConnectionRefused) {
                return NetError::Refused(url);
            }
            if chain.contains("dns error") || chain.contains("lookup address") {
                return NetError::HostNotFound(url);
            }
            return NetError::Connect { url, msg: chain };
        }
        if e.is_timeout() {
            return NetError::HeadTimeout(url);
        }
        NetError::Connect { url, msg: chain }
    }

    /// Classify a reqwest error while reading a body.
    pub(crate) fn from_body(e: &reqwest::Error, url: &str) -> NetError {
        if e.is_timeout() {
            return NetError::Stalled(url.to_string());
        }
        NetError::Cut {
            url: url.to_string(),
            msg: chain(e),
        }
    }

    /// As an I/O error for `Read` (kinds callers can match on).
    pub(crate) fn into_io(self) -> io::Error {
        let kind = match &self {
            NetError::Stalled(_) => io::ErrorKind::TimedOut,
            NetError::Cut { .. } => io::ErrorKind::UnexpectedEof,
            NetError::Refused(_) => io::ErrorKind::ConnectionRefused,
            _ => io::ErrorKind::Other,
        };
        io::Error::new(kind, self)
    }
}

/// The error and its sources, `: `-joined (reqwest's own Display is terse).
fn chain(e: &reqwest::Error) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let m = s.to_string();
        if !out.contains(&m) {
            out.push_str(": ");
            out.push_str(&m);
        }
        src = s.source();
    }
    out
}

fn io_kind(e: &reqwest::Error) -> Option<io::ErrorKind> {
    let mut src = e.source();
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            return Some(io.kind());
        }
        src = s.source();
    }
    None
}
