//! A tiny Icecast/Shoutcast-style streaming server for tests (std only): serves
//! audio bodies paced in real time after a burst-on-connect, as HTTP/1.0 endless
//! bodies or HTTP/1.1 chunked, looped or not, optionally cut after a while (and
//! then refusing with 503). Also makes test streams with sox.
//!
//! Used both by integration tests (`mod common;`) and by `src/relay/tests.rs`
//! (`#[path]`), so it depends on nothing else in `tests/common`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Sending slice after the burst.
const SLICE: Duration = Duration::from_millis(50);

/// One path served by a [`StreamServer`].
#[derive(Debug, Clone)]
pub struct Route {
    pub path: String,
    pub body: Vec<u8>,
    pub content_type: String,
    /// Pacing after the burst; 0 = send nothing after the burst (a stalled server).
    pub bytes_per_sec: u64,
    /// Seconds of audio (at `bytes_per_sec`) sent at once on connect, like Icecast's burst-on-connect.
    pub burst_secs: f64,
    /// HTTP/1.1 chunked; else HTTP/1.0 with no Content-Length (close-delimited).
    pub chunked: bool,
    /// Start again at the end of `body`; else end the response there.
    pub loop_body: bool,
    /// Close the connection this long after it was accepted.
    pub cut_after_secs: Option<f64>,
    /// Once a connection to this path was cut, later requests get 503.
    pub refuse_after_cut: bool,
    /// After each cut, requests get 503 for this long (then are served again).
    pub refuse_for_secs: Option<f64>,
}

impl Route {
    /// Defaults: 1 s burst, HTTP/1.0 endless, looped, never cut.
    pub fn new(path: &str, body: Vec<u8>, content_type: &str, bytes_per_sec: u64) -> Route {
        Route {
            path: path.to_string(),
            body,
            content_type: content_type.to_string(),
            bytes_per_sec,
            burst_secs: 1.0,
            chunked: false,
            loop_body: true,
            cut_after_secs: None,
            refuse_after_cut: false,
            refuse_for_secs: None,
        }
    }
}

#[derive(Default)]
struct PathState {
    requests: AtomicUsize,
    open: AtomicUsize,
    cut: AtomicBool,
    /// When the last cut happened.
    cut_at: std::sync::Mutex<Option<Instant>>,
}

struct Shared {
    routes: HashMap<String, Route>,
    state: Mutex<HashMap<String, Arc<PathState>>>,
    stop: AtomicBool,
}

impl Shared {
    fn path_state(&self, path: &str) -> Arc<PathState> {
        let mut m = self.state.lock().unwrap_or_else(|e| e.into_inner());
        m.entry(path.to_string()).or_default().clone()
    }
}

/// Serves `routes` on 127.0.0.1 (random port), one thread per connection. Drop stops it.
pub struct StreamServer {
    port: u16,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl StreamServer {
    pub fn start(routes: Vec<Route>) -> StreamServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind test stream server");
        let port = listener.local_addr().expect("local addr").port();
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let shared = Arc::new(Shared {
            routes: routes.into_iter().map(|r| (r.path.clone(), r)).collect(),
            state: Mutex::new(HashMap::new()),
            stop: AtomicBool::new(false),
        });
        let sh = shared.clone();
        let accept = thread::spawn(move || {
            while !sh.stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let sh = sh.clone();
                        thread::spawn(move || {
                            let _ = serve(stream, &sh);
                        });
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        StreamServer {
            port,
            shared,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }

    /// Requests received for `path` (any answer).
    pub fn requests(&self, path: &str) -> usize {
        self.shared.path_state(path).requests.load(Ordering::SeqCst)
    }

    /// Connections to `path` currently streaming (a client close is noticed within ~50 ms).
    pub fn open_connections(&self, path: &str) -> usize {
        self.shared.path_state(path).open.load(Ordering::SeqCst)
    }
}

impl Drop for StreamServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

/// Decrements the open-connection count when a streaming connection ends.
struct OpenGuard(Arc<PathState>);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
    }
}

fn read_head(stream: &mut TcpStream) -> io::Result<String> {
    stream.set_read_timeout(Some(Duration::from_secs(3)))?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 || stream.read(&mut byte)? == 0 {
            return Err(io::Error::other("bad request head"));
        }
        head.push(byte[0]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

fn serve(mut stream: TcpStream, sh: &Shared) -> io::Result<()> {
    let accepted = Instant::now();
    stream.set_nodelay(true)?;
    let head = read_head(&mut stream)?;
    let target = head.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/").to_string();
    let st = sh.path_state(&path);
    st.requests.fetch_add(1, Ordering::SeqCst);
    let Some(route) = sh.routes.get(&path) else {
        stream.write_all(b"HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nnot found\n")?;
        return Ok(());
    };
    let refusing = route.refuse_for_secs.is_some_and(|f| {
        st.cut_at
            .lock()
            .unwrap()
            .is_some_and(|t| t.elapsed().as_secs_f64() < f)
    });
    if refusing || (route.refuse_after_cut && st.cut.load(Ordering::SeqCst)) {
        stream.write_all(b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nbusy\n")?;
        return Ok(());
    }
    st.open.fetch_add(1, Ordering::SeqCst);
    let _guard = OpenGuard(st.clone());
    let head = if route.chunked {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\nicy-name: loa test\r\n\r\n",
            route.content_type
        )
    } else {
        format!(
            "HTTP/1.0 200 OK\r\nContent-Type: {}\r\nicy-name: loa test\r\n\r\n",
            route.content_type
        )
    };
    stream.write_all(head.as_bytes())?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;

    let mut sender = Sender {
        stream: &mut stream,
        route,
        pos: 0,
    };
    let burst = (route.burst_secs.max(0.0) * route.bytes_per_sec as f64) as usize;
    let mut done = !sender.send(burst)?;
    let paced_from = Instant::now();
    let mut paced_sent = 0usize;
    while !done {
        if sh.stop.load(Ordering::SeqCst) {
            break;
        }
        if let Some(cut) = route.cut_after_secs {
            if accepted.elapsed().as_secs_f64() >= cut {
                st.cut.store(true, Ordering::SeqCst);
                *st.cut_at.lock().unwrap() = Some(Instant::now());
                let _ = sender.stream.shutdown(Shutdown::Both);
                return Ok(());
            }
        }
        thread::sleep(SLICE);
        if client_closed(sender.stream) {
            return Ok(());
        }
        let due = (paced_from.elapsed().as_secs_f64() * route.bytes_per_sec as f64) as usize;
        let n = due.saturating_sub(paced_sent);
        paced_sent += n;
        done = !sender.send(n)?;
    }
    if route.chunked && done {
        sender.stream.write_all(b"0\r\n\r\n")?;
    }
    let _ = stream.shutdown(Shutdown::Both);
    Ok(())
}

/// Writes the next bytes of a route's body.
struct Sender<'a> {
    stream: &'a mut TcpStream,
    route: &'a Route,
    pos: usize,
}

impl Sender<'_> {
    /// Send `n` more bytes (wrapping when looping); false once the body is over.
    fn send(&mut self, mut n: usize) -> io::Result<bool> {
        let body = &self.route.body;
        while n > 0 {
            if self.pos >= body.len() {
                if !self.route.loop_body || body.is_empty() {
                    return Ok(false);
                }
                self.pos = 0;
            }
            let take = n.min(body.len() - self.pos);
            let part = &body[self.pos..self.pos + take];
            if self.route.chunked {
                self.stream.write_all(format!("{take:x}\r\n").as_bytes())?;
                self.stream.write_all(part)?;
                self.stream.write_all(b"\r\n")?;
            } else {
                self.stream.write_all(part)?;
            }
            self.pos += take;
            n -= take;
        }
        Ok(self.route.loop_body || self.pos < body.len())
    }
}

/// Has the client closed its side? (Peeks without blocking.)
fn client_closed(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let mut b = [0u8; 1];
    let closed = match stream.peek(&mut b) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != io::ErrorKind::WouldBlock,
    };
    let _ = stream.set_nonblocking(false);
    closed
}

/// A `secs`-long 440 Hz stereo 44.1 kHz tone made by sox as `dir/name` (format from the
/// extension; MP3 at 128 kbit/s CBR, Ogg Vorbis at quality 6), with extra `effect` args
/// (e.g. `["vol", "0"]`). None when sox is missing or cannot write that format (a
/// panic instead under CI=true, where .ci/run installs it).
pub fn sox_stream(dir: &Path, name: &str, secs: u32, effect: &[&str]) -> Option<Vec<u8>> {
    let out = dir.join(name);
    let mut cmd = Command::new("sox");
    cmd.args(["-R", "-n", "-r", "44100", "-c", "2"]);
    if name.ends_with(".mp3") {
        cmd.args(["-C", "128"]);
    } else if name.ends_with(".ogg") {
        cmd.args(["-C", "6"]);
    }
    cmd.arg(&out)
        .args(["synth", &secs.to_string(), "sine", "440"])
        .args(effect)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let made = match cmd.status() {
        Ok(s) if s.success() => std::fs::read(&out).ok().filter(|b| !b.is_empty()),
        _ => None,
    };
    if made.is_none() && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "sox cannot make {name}, and CI=true requires it (apt-get install sox libsox-fmt-mp3)"
        );
    }
    made
}

/// `http://127.0.0.1:PORT/` with nothing listening.
pub fn unused_port_url() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9);
    format!("http://127.0.0.1:{port}/")
}
