//! The network side against small real TCP servers: one request however slow the
//! head, timeouts named right, a dropped body closing its connection.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use super::{get, ClientKey, NetError, Request};

fn req(url: &str, head: Duration, read: Duration) -> Request {
    Request {
        url: url.to_string(),
        headers: vec![("X-Test".into(), "1".into())],
        client: ClientKey {
            connect_timeout: Duration::from_secs(2),
            env_proxy: false,
        },
        head_timeout: head,
        read_timeout: read,
    }
}

/// Serve each connection with `f` on its own thread; count requests seen.
fn serve(f: fn(TcpStream)) -> (String, Arc<AtomicU32>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/x", l.local_addr().unwrap());
    let n = Arc::new(AtomicU32::new(0));
    let count = n.clone();
    thread::spawn(move || {
        for s in l.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            thread::spawn(move || f(s));
        }
    });
    (url, n)
}

fn read_head(s: &mut TcpStream) {
    let mut buf = Vec::new();
    let mut b = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") && s.read(&mut b).unwrap_or(0) == 1 {
        buf.push(b[0]);
    }
}

#[test]
fn a_head_slower_than_two_seconds_arrives_from_one_request() {
    let (url, n) = serve(|mut s| {
        read_head(&mut s);
        thread::sleep(Duration::from_secs(2));
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    });
    let t = Instant::now();
    let mut r = get(
        req(&url, Duration::from_secs(5), Duration::from_secs(1)),
        &|| false,
    )
    .unwrap();
    assert!(t.elapsed() >= Duration::from_millis(1900));
    assert_eq!(r.status, 200);
    let mut body = String::new();
    r.body.read_to_string(&mut body).unwrap();
    assert_eq!(body, "hello");
    assert_eq!(n.load(Ordering::SeqCst), 1, "the request was sent again");
}

#[test]
fn no_head_within_the_budget_is_a_head_timeout() {
    let (url, _) = serve(|mut s| {
        read_head(&mut s);
        thread::sleep(Duration::from_secs(3));
    });
    let e = get(
        req(&url, Duration::from_millis(300), Duration::from_secs(1)),
        &|| false,
    )
    .err()
    .unwrap();
    assert!(matches!(e, NetError::HeadTimeout(_)), "{e:?}");
}

#[test]
fn a_closed_port_is_refused() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/x", l.local_addr().unwrap());
    drop(l);
    let e = get(
        req(&url, Duration::from_secs(2), Duration::from_secs(1)),
        &|| false,
    )
    .err()
    .unwrap();
    assert!(matches!(e, NetError::Refused(_)), "{e:?}");
}

#[test]
fn giving_up_ends_the_wait_for_the_head() {
    let (url, _) = serve(|mut s| {
        read_head(&mut s);
        thread::sleep(Duration::from_secs(5));
    });
    let t = Instant::now();
    let e = get(
        req(&url, Duration::from_secs(5), Duration::from_secs(1)),
        &|| t.elapsed() > Duration::from_millis(300),
    )
    .err()
    .unwrap();
    assert!(matches!(e, NetError::Cancelled(_)), "{e:?}");
    assert!(t.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_body_stalling_past_the_read_timeout_fails_as_stalled() {
    let (url, _) = serve(|mut s| {
        read_head(&mut s);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc");
        thread::sleep(Duration::from_secs(3));
    });
    let mut r = get(
        req(&url, Duration::from_secs(2), Duration::from_millis(300)),
        &|| false,
    )
    .unwrap();
    let mut buf = [0u8; 10];
    assert_eq!(r.body.read(&mut buf).unwrap(), 3);
    let e = r.body.read(&mut buf).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TimedOut);
    let inner = e.get_ref().and_then(|x| x.downcast_ref::<NetError>());
    assert!(matches!(inner, Some(NetError::Stalled(_))), "{e:?}");
}

#[test]
fn a_body_cut_short_is_an_error_not_an_end() {
    let (url, _) = serve(|mut s| {
        read_head(&mut s);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc");
    });
    let mut r = get(
        req(&url, Duration::from_secs(2), Duration::from_secs(2)),
        &|| false,
    )
    .unwrap();
    let mut out = Vec::new();
    let e = r.body.read_to_end(&mut out).unwrap_err();
    assert_eq!(out, b"abc");
    let inner = e.get_ref().and_then(|x| x.downcast_ref::<NetError>());
    assert!(matches!(inner, Some(NetError::Cut { .. })), "{e:?}");
}

#[test]
fn a_read_slice_returns_would_block_and_leaves_the_body_intact() {
    let (url, _) = serve(|mut s| {
        read_head(&mut s);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
        thread::sleep(Duration::from_millis(500));
        let _ = s.write_all(b"ok");
    });
    let mut r = get(
        req(&url, Duration::from_secs(2), Duration::from_secs(2)),
        &|| false,
    )
    .unwrap();
    r.body.set_slice(Some(Duration::from_millis(100)));
    let mut buf = [0u8; 4];
    let mut slices = 0;
    let n = loop {
        match r.body.read(&mut buf) {
            Ok(n) => break n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => slices += 1,
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(&buf[..n], b"ok");
    assert!(slices >= 2, "{slices}");
}

#[test]
fn dropping_the_body_closes_the_connection_of_an_endless_stream() {
    let (tx, rx) = std::sync::mpsc::channel::<Duration>();
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/x", l.local_addr().unwrap());
    thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        read_head(&mut s);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: audio/mpeg\r\n\r\n");
        let chunk = [0u8; 4096];
        let mut closed_at = None;
        for _ in 0..2000 {
            if s.write_all(&chunk).is_err() {
                closed_at = Some(Instant::now());
                break;
            }
            thread::sleep(Duration::from_millis(5));
        }
        let _ = tx.send(closed_at.map_or(Duration::MAX, |c| c.elapsed()));
    });
    let mut r = get(
        req(&url, Duration::from_secs(2), Duration::from_secs(2)),
        &|| false,
    )
    .unwrap();
    let mut buf = [0u8; 1024];
    r.body.read_exact(&mut buf).unwrap();
    drop(r);
    let waited = rx.recv_timeout(Duration::from_secs(15)).unwrap();
    assert!(
        waited < Duration::MAX,
        "the server could write for 10 s after the drop"
    );
}

/// A TLS server (`openssl s_server`) with a self-signed certificate for
/// 127.0.0.1: the handshake reaches the system roots (loaded on this first
/// https use) and the certificate is refused, twice (the roots are kept).
#[test]
fn an_https_server_with_an_unknown_certificate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ok = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ])
        .args(["-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1"])
        .arg("-keyout")
        .arg(dir.path().join("k.pem"))
        .arg("-out")
        .arg(dir.path().join("c.pem"))
        .output()
        .expect("openssl (apt-get install openssl)");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = std::process::Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("-key")
        .arg(dir.path().join("k.pem"))
        .arg("-cert")
        .arg(dir.path().join("c.pem"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "s_server did not start"
        );
        thread::sleep(Duration::from_millis(50));
    }
    let url = format!("https://127.0.0.1:{port}/");
    for _ in 0..2 {
        let e = get(
            req(&url, Duration::from_secs(5), Duration::from_secs(5)),
            &|| false,
        )
        .map(|_| ())
        .unwrap_err();
        let msg = e.to_string();
        assert!(
            matches!(e, NetError::Connect { .. }) && msg.contains("certificate"),
            "{msg}"
        );
    }
    let _ = server.kill();
    let _ = server.wait();
}
