//! A scripted HTTP/1.1 server on 127.0.0.1 for the feed tests: static bodies
//! with ETag/304 and `Range` support, plus per-request misbehaviours (status
//! codes, stalls, early close, overlong bodies, no Content-Length). Counts
//! requests and bytes on the wire. Test-only; never touches the file system.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What to do with one request to a path (scripts are consumed in order;
/// when empty, `Serve`).
#[derive(Debug, Clone)]
pub enum Act {
    /// 200 (or 206 for `Range`, 304 for a matching `If-None-Match`).
    Serve,
    /// This status, empty body.
    Status(u16),
    /// As `Serve` (Range included), but only `after` body bytes, then
    /// silence (until the server drops).
    Stall { after: usize },
    /// As `Serve` (Range included), but only `after` body bytes, then close.
    Cut { after: usize },
    /// The body plus `extra` bytes, with a Content-Length that admits it.
    Longer { extra: usize },
    /// The body without Content-Length (ends when the connection closes).
    NoLength,
    /// Ignore `Range`: always 200 with the whole body.
    NoRange,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub status: u16,
    /// Body bytes written.
    pub body: u64,
}

impl Hit {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Route {
    body: Vec<u8>,
    etag: Option<String>,
    script: VecDeque<Act>,
}

#[derive(Default)]
struct Shared {
    routes: HashMap<String, Route>,
    hits: Vec<Hit>,
    wire_in: u64,
    wire_out: u64,
}

pub struct TestServer {
    pub addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    stop: Arc<AtomicBool>,
}

impl TestServer {
    pub fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Mutex::new(Shared::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (sh, st) = (shared.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (sh, st) = (sh.clone(), st.clone());
                std::thread::spawn(move || handle(conn, &sh, &st));
            }
        });
        TestServer { addr, shared, stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Serve `body` at `path` with a strong ETag derived from its content.
    pub fn put(&self, path: &str, body: Vec<u8>) {
        use sha2::Digest;
        let etag = format!("\"{}\"", &hex::encode(sha2::Sha256::digest(&body))[..16]);
        let mut s = self.shared.lock().unwrap();
        let r = s.routes.entry(path.to_string()).or_default();
        r.body = body;
        r.etag = Some(etag);
    }

    pub fn remove(&self, path: &str) {
        self.shared.lock().unwrap().routes.remove(path);
    }

    /// Misbehave for the next requests to `path`, in order.
    pub fn script(&self, path: &str, acts: Vec<Act>) {
        let mut s = self.shared.lock().unwrap();
        s.routes
            .entry(path.to_string())
            .or_default()
            .script
            .extend(acts);
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.shared.lock().unwrap().hits.clone()
    }

    /// Bytes (received, sent) on the wire, headers included.
    pub fn wire(&self) -> (u64, u64) {
        let s = self.shared.lock().unwrap();
        (s.wire_in, s.wire_out)
    }

    pub fn reset_counts(&self) {
        let mut s = self.shared.lock().unwrap();
        s.hits.clear();
        s.wire_in = 0;
        s.wire_out = 0;
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn handle(conn: TcpStream, shared: &Mutex<Shared>, stop: &AtomicBool) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(match conn.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut out = conn;
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let done = line == "\r\n";
        head.push(line);
        if done {
            break;
        }
    }
    let wire_in: usize = head.iter().map(String::len).sum();
    let target = head[0].split(' ').nth(1).unwrap_or("/").to_string();
    let path = target.split('?').next().unwrap_or("/").to_string();
    let headers: Vec<(String, String)> = head[1..]
        .iter()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let hit = Hit {
        path: path.clone(),
        headers,
        status: 0,
        body: 0,
    };
    let (act, body, etag) = {
        let mut s = shared.lock().unwrap();
        s.wire_in += wire_in as u64;
        match s.routes.get_mut(&path) {
            Some(r) => (
                r.script.pop_front().unwrap_or(Act::Serve),
                r.body.clone(),
                r.etag.clone(),
            ),
            None => (Act::Status(404), Vec::new(), None),
        }
    };
    let (status, extra_headers, payload, then) = respond(&act, &hit, &body, etag.as_deref());
    let mut text = format!(
        "HTTP/1.1 {status} {}\r\nConnection: close\r\n",
        reason(status)
    );
    for h in extra_headers {
        text.push_str(&h);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    let mut sent = out.write_all(text.as_bytes()).is_ok();
    sent = sent && out.write_all(&payload).is_ok();
    let _ = out.flush();
    {
        let mut s = shared.lock().unwrap();
        s.wire_out += (text.len() + if sent { payload.len() } else { 0 }) as u64;
        s.hits.push(Hit {
            status,
            body: payload.len() as u64,
            ..hit
        });
    }
    if then == Then::Hang {
        let t0 = Instant::now();
        while !stop.load(Ordering::SeqCst) && t0.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[derive(PartialEq)]
enum Then {
    Close,
    Hang,
}

fn respond(
    act: &Act,
    hit: &Hit,
    body: &[u8],
    etag: Option<&str>,
) -> (u16, Vec<String>, Vec<u8>, Then) {
    let len = |n: usize| format!("Content-Length: {n}");
    match act {
        Act::Status(code) => (*code, vec![len(0)], vec![], Then::Close),
        Act::Longer { extra } => {
            let mut b = body.to_vec();
            b.extend(std::iter::repeat_n(b'x', *extra));
            (200, vec![len(b.len())], b, Then::Close)
        }
        Act::NoLength => (200, vec![], body.to_vec(), Then::Close),
        Act::NoRange => (200, vec![len(body.len())], body.to_vec(), Then::Close),
        Act::Serve | Act::Cut { .. } | Act::Stall { .. } => {
            let (status, h, mut payload) = serve(hit, body, etag);
            match act {
                Act::Cut { after } => {
                    payload.truncate(*after);
                    (status, h, payload, Then::Close)
                }
                Act::Stall { after } => {
                    payload.truncate(*after);
                    (status, h, payload, Then::Hang)
                }
                _ => (status, h, payload, Then::Close),
            }
        }
    }
}

/// A well-behaved static server: 304 on a matching ETag, 206 on `Range: bytes=N-`.
fn serve(hit: &Hit, body: &[u8], etag: Option<&str>) -> (u16, Vec<String>, Vec<u8>) {
    let len = |n: usize| format!("Content-Length: {n}");
    let mut h = Vec::new();
    if let Some(e) = etag {
        if hit.header("If-None-Match") == Some(e) {
            return (304, vec![format!("ETag: {e}")], vec![]);
        }
        h.push(format!("ETag: {e}"));
    }
    let from = hit
        .header("Range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok());
    match from {
        Some(n) if n < body.len() => {
            h.push(format!(
                "Content-Range: bytes {n}-{}/{}",
                body.len() - 1,
                body.len()
            ));
            h.push(len(body.len() - n));
            (206, h, body[n..].to_vec())
        }
        Some(_) => (416, vec![len(0)], vec![]),
        None => {
            h.push(len(body.len()));
            (200, h, body.to_vec())
        }
    }
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        206 => "Partial Content",
        304 => "Not Modified",
        404 => "Not Found",
        416 => "Range Not Satisfiable",
        500 => "Internal Server Error",
        _ => "Status",
    }
}
