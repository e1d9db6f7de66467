//! Against a real `loa hub run`: a request naming another host (a rebound
//! DNS name, an absolute URI, two Host headers) gets 421 with its reason,
//! while public_url's host, the listen address and localhost are served —
//! to browsers and to stations alike; the cross-site check judges `Origin`
//! by public_url, never by the request's own Host. And every answer carries
//! the security headers (CSP without inline script, no framing, nosniff,
//! Referrer-Policy), refusals included.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use common::hub::{Backend, Hub, HubOptions, Resp};
use common::station_api::{beat, station_add};
use serde_json::json;

/// One request with exactly these head lines (after the request line).
fn send(addr: SocketAddr, request_line: &str, lines: &[&str], body: &str) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!("{request_line}\r\nConnection: close\r\n");
    for l in lines {
        head.push_str(l);
        head.push_str("\r\n");
    }
    if !body.is_empty() {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body.as_bytes()).unwrap();
    let mut raw = vec![];
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (h, b) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = h.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no answer: {text:?}"));
    Resp {
        status,
        headers: lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect(),
        body: b.as_bytes().to_vec(),
    }
}

fn misdirected(r: &Resp) {
    assert_eq!(r.status, 421, "{}", r.text());
    let v = r.json();
    assert_eq!(v["error"], "misdirected", "{v}");
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("không phải của hệ thống này"),
        "{v}"
    );
    assert!(
        v["reason_en"].as_str().unwrap().contains("not this hub's"),
        "{v}"
    );
}

#[test]
fn a_foreign_host_is_misdirected_and_origins_are_judged_by_public_url() {
    let mut o = HubOptions::new(Backend::Sqlite);
    o.public_url = Some("https://loa.example.vn".into());
    let hub = Hub::start_with(o);
    let port = hub.addr.port();
    let login = json!({"user": "admin", "password": hub.admin_password}).to_string();

    // Names the hub knows itself by: served.
    for host in [
        "loa.example.vn".to_string(),
        "LOA.example.vn:443".to_string(),
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
    ] {
        let r = send(
            hub.addr,
            "GET /login HTTP/1.1",
            &[&format!("Host: {host}")],
            "",
        );
        assert_eq!(r.status, 200, "Host: {host}: {}", r.text());
    }
    // A rebound name, even with a matching Origin (the old check took
    // Origin == Host as same-site): 421 before any handler.
    let r = send(
        hub.addr,
        "GET /login HTTP/1.1",
        &["Host: rebind.evil.example"],
        "",
    );
    misdirected(&r);
    let r = send(
        hub.addr,
        "POST /api/v1/session HTTP/1.1",
        &[
            &format!("Host: rebind.evil.example:{port}"),
            &format!("Origin: http://rebind.evil.example:{port}"),
        ],
        &login,
    );
    misdirected(&r);
    // The host in an absolute URI counts, and two Host headers are refused.
    let r = send(
        hub.addr,
        "GET http://evil.example/login HTTP/1.1",
        &[&format!("Host: 127.0.0.1:{port}")],
        "",
    );
    misdirected(&r);
    let r = send(
        hub.addr,
        "GET /login HTTP/1.1",
        &["Host: loa.example.vn", "Host: evil.example"],
        "",
    );
    assert!(r.status == 400 || r.status == 421, "{}", r.text());

    // Origin: public_url (and the local forms on the listen port) pass; an
    // Origin equal to the Host but not the hub's is refused.
    let r = send(
        hub.addr,
        "POST /api/v1/session HTTP/1.1",
        &["Host: loa.example.vn", "Origin: https://loa.example.vn"],
        &login,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = send(
        hub.addr,
        "POST /api/v1/session HTTP/1.1",
        &[
            &format!("Host: localhost:{port}"),
            &format!("Origin: http://localhost:{port}"),
        ],
        &login,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    for (host, origin) in [
        ("loa.example.vn", "http://loa.example.vn"),
        ("localhost:3000", "http://localhost:3000"),
        ("loa.example.vn", "https://evil.example"),
    ] {
        let r = send(
            hub.addr,
            "POST /api/v1/session HTTP/1.1",
            &[&format!("Host: {host}"), &format!("Origin: {origin}")],
            &login,
        );
        assert_eq!(r.status, 403, "Host {host}, Origin {origin}: {}", r.text());
        assert!(r.json()["reason"]
            .as_str()
            .unwrap()
            .contains("trang web khác"));
    }

    // Stations use public_url: enrolment and heartbeats are served.
    let code = station_add(&hub, "tram-a", "22936");
    let r = send(
        hub.addr,
        "POST /api/v1/enroll HTTP/1.1",
        &["Host: loa.example.vn"],
        &json!({ "code": code }).to_string(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let token = r.json()["token"].as_str().unwrap().to_string();
    let r = send(
        hub.addr,
        "POST /api/v1/stations/tram-a/heartbeat HTTP/1.1",
        &[
            "Host: loa.example.vn",
            &format!("Authorization: Bearer {token}"),
        ],
        &beat(&chrono::Utc::now().to_rfc3339()).to_string(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = send(
        hub.addr,
        "POST /api/v1/stations/tram-a/heartbeat HTTP/1.1",
        &[
            "Host: evil.example",
            &format!("Authorization: Bearer {token}"),
        ],
        &beat(&chrono::Utc::now().to_rfc3339()).to_string(),
    );
    misdirected(&r);
}

fn secured(what: &str, r: &Resp) {
    let csp = r
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP: {:?}", r.headers));
    for d in [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(d), "{what}: {d} missing in {csp}");
    }
    assert!(!csp.contains("unsafe-eval"), "{what}: {csp}");
    let script = csp.split(';').find(|d| d.contains("script-src")).unwrap();
    assert!(!script.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(r.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(r.header("referrer-policy"), Some("same-origin"), "{what}");
}

#[test]
fn every_answer_carries_the_security_headers() {
    let mut hub = Hub::start(Backend::Sqlite);
    let host = format!("Host: {}", hub.addr);
    for path in [
        "/login",
        "/api/v1/stations",
        "/feed/minisign.pub",
        "/no-such-page",
    ] {
        let r = send(hub.addr, &format!("GET {path} HTTP/1.1"), &[&host], "");
        secured(path, &r);
    }
    let r = send(hub.addr, "GET /login HTTP/1.1", &["Host: evil.example"], "");
    secured("a 421", &r);
    let mut admin = hub.admin("mat-khau-quan-tri-1");
    for path in ["/clips", "/stations", "/reports", "/accounts"] {
        let r = admin.get(path);
        assert_eq!(r.status, 200, "{path}");
        secured(path, &r);
    }
}
