//! Which names this hub answers to, from hub.toml alone (never from the
//! request): a request whose `Host` (or absolute URI) names another host is
//! refused with 421 before any route runs, so a page on a rebound DNS name
//! cannot talk to the hub; and the cross-site check (`auth/csrf.rs`) accepts
//! an `Origin` only if it is the hub's own.
//!
//! Accepted host names (port ignored: rebinding needs a foreign *name*):
//! `public_url`'s host; `localhost` and loopback addresses (the local CLI,
//! an ssh tunnel, the tests); the `listen` address — and, when that is
//! 0.0.0.0 / `::`, any IP literal (the hub is reached by one of the
//! machine's addresses; an IP literal cannot be rebound). No `Host` at all
//! (HTTP/1.0, health checks) is no browser and passes.
//!
//! Accepted origins: `public_url` exactly (scheme, host, port), or
//! `http(s)://H:PORT` with H one of the local forms above and PORT the
//! `listen` port (so another web app on the same machine, another port, is
//! still another site).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::hub::app::AppState;
use crate::hub::error::Reason;

/// The names and origins a hub accepts; built from the config.
#[derive(Debug, Clone)]
pub struct Names {
    public_scheme: String,
    public_host: String,
    public_port: u16,
    listen: SocketAddr,
}

/// `(host, port)` of `host[:port]`, host lower-cased, IPv6 brackets and a
/// final dot removed; `None` when it does not parse.
fn split_authority(a: &str) -> Option<(String, Option<u16>)> {
    let a = a.trim();
    let (host, port) = if let Some(rest) = a.strip_prefix('[') {
        let (h, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?.parse().ok()?),
        };
        (h.to_string(), port)
    } else {
        match a.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p.parse().ok()?)),
            None => (a.to_string(), None),
        }
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some((host, port))
}

fn default_port(scheme: &str) -> u16 {
    if scheme == "https" {
        443
    } else {
        80
    }
}

/// `(scheme, host, port)` of `scheme://authority[/…]`.
fn split_url(url: &str) -> Option<(String, String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    let (host, port) = split_authority(authority)?;
    let port = port.unwrap_or(default_port(&scheme));
    Some((scheme, host, port))
}

impl Names {
    pub fn new(public_url: &str, listen: SocketAddr) -> Names {
        let (public_scheme, public_host, public_port) = split_url(public_url)
            .unwrap_or_else(|| ("http".into(), listen.ip().to_string(), listen.port()));
        Names {
            public_scheme,
            public_host,
            public_port,
            listen,
        }
    }

    /// The names of the running hub.
    pub fn of(state: &AppState) -> Names {
        Names::new(&state.cfg.public_url, state.cfg.listen)
    }

    /// `localhost`, a loopback address, the listen address, or (listening
    /// on all addresses) any IP literal.
    fn is_local(&self, host: &str) -> bool {
        if host == "localhost" {
            return true;
        }
        match host.parse::<IpAddr>() {
            Ok(ip) => {
                let ip = ip.to_canonical();
                ip.is_loopback()
                    || ip == self.listen.ip().to_canonical()
                    || self.listen.ip().is_unspecified()
            }
            Err(_) => false,
        }
    }

    /// Whether a `Host` header value names this hub.
    pub fn host_ok(&self, value: &str) -> bool {
        match split_authority(value) {
            Some((host, _)) => host == self.public_host || self.is_local(&host),
            None => false,
        }
    }

    /// Whether an `Origin` header value is this hub's.
    pub fn origin_ok(&self, value: &str) -> bool {
        let Some((scheme, host, port)) = split_url(value) else {
            return false;
        };
        match value.split_once("://") {
            Some((_, rest)) if !rest.contains(['/', '?', '#', '@']) => {}
            _ => return false, // an origin is scheme://host[:port], nothing more
        }
        if scheme == self.public_scheme && host == self.public_host && port == self.public_port {
            return true;
        }
        (scheme == "http" || scheme == "https")
            && self.is_local(&host)
            && port == self.listen.port()
    }
}

/// Middleware: refuse a request that names another host (421).
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let names = Names::of(&state);
    if req.headers().get_all(header::HOST).iter().count() > 1 {
        return super::refusal::response(
            StatusCode::BAD_REQUEST,
            "bad_request",
            Reason::new("err-host-header-twice"),
        );
    }
    let from_uri = req.uri().authority().map(|a| a.as_str().to_string());
    let from_header = req
        .headers()
        .get(header::HOST)
        .map(|v| v.to_str().unwrap_or("\u{0}").to_string());
    for h in from_uri.iter().chain(from_header.iter()) {
        if !names.host_ok(h) {
            tracing::warn!("hub: refused a request for host {h:?} (not public_url's)");
            return super::refusal::response(
                StatusCode::MISDIRECTED_REQUEST,
                "misdirected",
                Reason::new("err-host-misdirected"),
            );
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(public: &str, listen: &str) -> Names {
        Names::new(public, listen.parse().unwrap())
    }

    #[test]
    fn hosts() {
        let n = names("https://Loa.Example.vn", "127.0.0.1:8080");
        for ok in [
            "loa.example.vn",
            "LOA.example.vn:443",
            "loa.example.vn.",
            "127.0.0.1:8080",
            "localhost:8080",
            "[::1]:8080",
            "127.0.0.2",
        ] {
            assert!(n.host_ok(ok), "{ok}");
        }
        for bad in [
            "evil.example.com",
            "loa.example.vn.evil.com",
            "10.0.0.5:8080",
            "",
            "loa.example.vn:x",
        ] {
            assert!(!n.host_ok(bad), "{bad}");
        }
        let any = names("https://loa.example.vn", "0.0.0.0:8080");
        assert!(any.host_ok("192.168.1.5:8080"));
        assert!(!any.host_ok("rebind.evil.com:8080"));
    }

    #[test]
    fn origins() {
        let n = names("https://loa.example.vn", "127.0.0.1:8080");
        for ok in [
            "https://loa.example.vn",
            "https://loa.example.vn:443",
            "http://127.0.0.1:8080",
            "http://localhost:8080",
        ] {
            assert!(n.origin_ok(ok), "{ok}");
        }
        for bad in [
            "http://loa.example.vn",
            "https://loa.example.vn:8443",
            "https://evil.example.com",
            "http://localhost:3000",
            "null",
            "https://loa.example.vn/x",
        ] {
            assert!(!n.origin_ok(bad), "{bad}");
        }
    }
}
