//! The hub's own limits against a real `loa hub run`, over raw sockets: a
//! half-sent request head and an idle keep-alive connection are closed
//! within `header_timeout` (the half head with a 408 and its reason), a body
//! that stops is cut after `body_timeout` while one that trickles on is
//! served, the stations' events stream outlives both; one address holds at
//! most `max_connections_per_address` connections (the next gets 429 and is
//! closed) while other addresses are served.
//!
//! Timing assertions are only "closed within a generous bound".

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::hub::{Backend, Hub, HubOptions};
use common::station_api::{enroll, station_add};
use serde_json::json;

/// A hub with short limits, so the tests wait seconds, not minutes.
fn hub(extra: &str) -> Hub {
    let mut o = HubOptions::new(Backend::Sqlite);
    o.extra = extra.to_string();
    Hub::start_with(o)
}

/// Read until the hub closes the socket (or `bound` passes): what came, and
/// whether it was closed.
fn read_until_closed(s: &mut TcpStream, bound: Duration) -> (String, bool) {
    let t0 = Instant::now();
    let mut got = vec![];
    let mut buf = [0u8; 4096];
    s.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    while t0.elapsed() < bound {
        match s.read(&mut buf) {
            Ok(0) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            // A reset is a close too.
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), true),
        }
    }
    (String::from_utf8_lossy(&got).into_owned(), false)
}

fn body_of(answer: &str) -> serde_json::Value {
    let body = answer.split_once("\r\n\r\n").map(|x| x.1).unwrap_or("");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {answer}"))
}

#[test]
fn slow_heads_and_idle_connections_are_closed_but_an_events_stream_stays() {
    let hub = hub("header_timeout = \"2s\"\nbody_timeout = \"3s\"\n");
    let bound = Duration::from_secs(20);

    // Half a request line, then nothing: 408 with the reason, then closed.
    let mut s = TcpStream::connect(hub.addr).unwrap();
    s.write_all(b"GET /login HT").unwrap();
    let (got, closed) = read_until_closed(&mut s, bound);
    assert!(
        closed,
        "a stalled head is still open after {bound:?}: {got}"
    );
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    let v = body_of(&got);
    assert!(v["reason"].as_str().unwrap().contains("chậm"), "{v}");
    assert!(
        v["reason_en"].as_str().unwrap().contains("too slowly"),
        "{v}"
    );

    // Headers sent one line at a time, never ending: the same.
    let mut s = TcpStream::connect(hub.addr).unwrap();
    let t0 = Instant::now();
    s.write_all(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let mut closed = false;
    while t0.elapsed() < bound {
        std::thread::sleep(Duration::from_millis(500));
        if s.write_all(b"X-Slow: 1\r\n").is_err() {
            closed = true;
            break;
        }
        let mut b = [0u8; 512];
        s.set_read_timeout(Some(Duration::from_millis(10))).unwrap();
        if let Ok(n) = s.read(&mut b) {
            let text = String::from_utf8_lossy(&b[..n]).into_owned();
            assert!(n == 0 || text.starts_with("HTTP/1.1 408"), "{text}");
            closed = true;
            break;
        }
    }
    assert!(closed, "a trickled head is still open after {bound:?}");

    // A connection that says nothing, and one idle after its answer: closed.
    let mut s = TcpStream::connect(hub.addr).unwrap();
    let (got, closed) = read_until_closed(&mut s, bound);
    assert!(closed && got.is_empty(), "{closed} {got}");
    let mut s = TcpStream::connect(hub.addr).unwrap();
    s.write_all(b"GET /feed/minisign.pub HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let (got, closed) = read_until_closed(&mut s, bound);
    assert!(closed, "an idle keep-alive connection is still open: {got}");
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");

    // A body that stops halfway is cut; one that trickles on for longer
    // than both timeouts is served.
    let body = json!({"user": "admin", "password": hub.admin_password}).to_string();
    let head = format!(
        "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut s = TcpStream::connect(hub.addr).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(&body.as_bytes()[..10]).unwrap();
    let (got, closed) = read_until_closed(&mut s, bound);
    assert!(
        closed,
        "a stalled body is still open after {bound:?}: {got}"
    );
    assert!(!got.starts_with("HTTP/1.1 200"), "{got}");
    let mut s = TcpStream::connect(hub.addr).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    let chunks: Vec<&[u8]> = body.as_bytes().chunks(body.len() / 7 + 1).collect();
    for c in &chunks {
        std::thread::sleep(Duration::from_millis(1000));
        s.write_all(c).unwrap();
    }
    let (got, closed) = read_until_closed(&mut s, bound);
    assert!(closed, "{got}");
    assert!(
        got.starts_with("HTTP/1.1 200"),
        "a body sent over {} s, slower than both timeouts but never stalling: {got}",
        chunks.len()
    );

    // The events stream: still open after several header timeouts, and
    // its keep-alive comment (every 15 s) arrives.
    let code = station_add(&hub, "tram-a", "22936");
    let token = enroll(&mut hub.client(), &code)["token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut s = TcpStream::connect(hub.addr).unwrap();
    write!(
        s,
        "GET /api/v1/stations/tram-a/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n"
    )
    .unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let t0 = Instant::now();
    let mut got = String::new();
    let mut buf = [0u8; 4096];
    while !got.contains("\n:") {
        let n = s.read(&mut buf).unwrap_or(0);
        assert!(
            n > 0,
            "the events stream was closed after {:?}: {got}",
            t0.elapsed()
        );
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    assert!(t0.elapsed() > Duration::from_secs(4), "{got}");
}

/// A connection from `ip` (any 127.x address reaches the hub on Linux).
fn connect_from(ip: &str, to: SocketAddr) -> TcpStream {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let sock = tokio::net::TcpSocket::new_v4().unwrap();
        sock.bind(format!("{ip}:0").parse().unwrap()).unwrap();
        sock.connect(to).await.unwrap().into_std().unwrap()
    })
}

fn get_ok(s: &mut TcpStream) -> String {
    s.set_nonblocking(false).unwrap();
    s.write_all(b"GET /feed/minisign.pub HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let (got, _) = read_until_closed(s, Duration::from_secs(20));
    got
}

#[test]
fn one_address_holds_at_most_its_share_of_connections() {
    let hub = hub("max_connections_per_address = 4\n");
    let mut held: Vec<TcpStream> = (0..4)
        .map(|_| connect_from("127.0.0.1", hub.addr))
        .collect();
    // Make sure the hub has accepted all four before the fifth.
    std::thread::sleep(Duration::from_millis(300));
    let mut fifth = connect_from("127.0.0.1", hub.addr);
    fifth.set_nonblocking(false).unwrap();
    let _ = fifth.write_all(b"GET /feed/minisign.pub HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    let (got, closed) = read_until_closed(&mut fifth, Duration::from_secs(20));
    assert!(closed, "the fifth connection is still open: {got}");
    assert!(got.starts_with("HTTP/1.1 429"), "{got}");
    let v = body_of(&got);
    assert!(
        v["reason"].as_str().unwrap().contains("quá nhiều kết nối"),
        "{v}"
    );
    assert!(v["reason_en"].as_str().unwrap().contains("too many"), "{v}");

    // Another address is served meanwhile; so are the four.
    let mut other = connect_from("127.0.0.2", hub.addr);
    let got = get_ok(&mut other);
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    let got = get_ok(&mut held[0]);
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    // That one closed: there is room for one more.
    held.remove(0);
    std::thread::sleep(Duration::from_millis(300));
    let mut again = connect_from("127.0.0.1", hub.addr);
    let got = get_ok(&mut again);
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
}
