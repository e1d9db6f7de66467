//! Several `loa hub run` processes of one system, for tests: a hub process
//! from a hub.toml written here (any state folder, database and key), a
//! round-robin TCP proxy on loopback in front of several processes (each new
//! connection goes to the next one), and an events-stream reader.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::loa;

/// Write a hub.toml in `dir`; returns its path.
pub fn write_config(
    dir: &Path,
    name: &str,
    listen: SocketAddr,
    public_url: &str,
    state: &Path,
    database: &str,
    key: &Path,
) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(
        &p,
        format!(
            "[hub]\nlisten = \"{listen}\"\npublic_url = \"{public_url}\"\nstate = \"{}\"\ndatabase = \"{database}\"\nkey = \"{}\"\ntimezone = \"Asia/Ho_Chi_Minh\"\nlang = \"vi\"\nmax_upload = \"8MiB\"\nsession_idle = \"1h\"\n",
            state.display(),
            key.display()
        ),
    )
    .unwrap();
    p
}

/// `loa --config CONFIG ARGS`: (exit code, stdout, stderr).
pub fn run(config: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let o = loa()
        .arg("--config")
        .arg(config)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// What the hub logs once it has bound its address (src/hub/app.rs).
const LISTENING: &str = "loa hub: listening on ";

/// One `loa hub run` process.
pub struct HubProc {
    pub config: PathBuf,
    pub addr: SocketAddr,
    pub log: PathBuf,
    child: Option<Child>,
}

impl HubProc {
    /// Start `loa hub run` with `config` (listening on `addr`) and wait until it answers.
    pub fn start(config: &Path, addr: SocketAddr) -> HubProc {
        let log = config.with_extension("log");
        let before = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .matches(LISTENING)
            .count();
        let err = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let child = loa()
            .arg("--config")
            .arg(config)
            .args(["hub", "run"])
            .stdout(Stdio::null())
            .stderr(err)
            .spawn()
            .unwrap();
        let mut p = HubProc {
            config: config.to_path_buf(),
            addr,
            log,
            child: Some(child),
        };
        // Ready when *this* process says it listens (one more "listening on"
        // line in its log than before it started): a connect alone could reach
        // another test's hub that took the port in between.
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(60) {
            if p.listening_lines() > before && TcpStream::connect(addr).is_ok() {
                return p;
            }
            if let Some(Ok(Some(st))) = p.child.as_mut().map(|c| c.try_wait()) {
                panic!("loa hub run exited ({st}): {}", p.stderr());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("loa hub run did not listen: {}", p.stderr());
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn listening_lines(&self) -> usize {
        self.stderr().matches(LISTENING).count()
    }

    /// SIGTERM and wait.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            unsafe {
                libc::kill(c.id() as i32, libc::SIGTERM);
            }
            let t0 = Instant::now();
            while t0.elapsed() < Duration::from_secs(15) {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for HubProc {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A round-robin TCP proxy on loopback: connection k goes to backend k mod n.
pub struct Proxy {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    /// How many connections went to each backend.
    pub counts: Arc<Vec<AtomicUsize>>,
}

impl Proxy {
    pub fn start(listen: SocketAddr, backends: Vec<SocketAddr>) -> Proxy {
        let l = TcpListener::bind(listen).unwrap();
        let addr = l.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let counts: Arc<Vec<AtomicUsize>> =
            Arc::new(backends.iter().map(|_| AtomicUsize::new(0)).collect());
        let (stop2, counts2) = (stop.clone(), counts.clone());
        std::thread::spawn(move || {
            let mut next = 0usize;
            for c in l.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(client) = c else { continue };
                let i = next % backends.len();
                next += 1;
                counts2[i].fetch_add(1, Ordering::SeqCst);
                let Ok(server) = TcpStream::connect(backends[i]) else {
                    continue;
                };
                pipe(client, server);
            }
        });
        Proxy { addr, stop, counts }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn pipe(a: TcpStream, b: TcpStream) {
    let (a2, b2) = (a.try_clone().unwrap(), b.try_clone().unwrap());
    let copy = |mut from: TcpStream, mut to: TcpStream| {
        std::thread::spawn(move || {
            let mut buf = [0u8; 16 * 1024];
            loop {
                match from.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if to.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                }
            }
            let _ = to.shutdown(Shutdown::Write);
        });
    };
    copy(a, b2);
    copy(b, a2);
}

/// Read `GET /api/v1/stations/ID/events` from `addr` with `token` in a
/// thread; each event comes out as (name, sequence).
pub fn events(addr: SocketAddr, station: &str, token: &str) -> mpsc::Receiver<(String, u64)> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET /api/v1/stations/{station}/events HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        let mut r = BufReader::new(s);
        let mut name = String::new();
        let mut line = String::new();
        loop {
            line.clear();
            match r.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let l = line.trim_end();
            if let Some(n) = l.strip_prefix("event:") {
                name = n.trim().to_string();
            } else if let Some(d) = l.strip_prefix("data:") {
                let v: serde_json::Value = match serde_json::from_str(d.trim()) {
                    Ok(v) => v,
                    Err(_) => continue,
                };
                if let Some(seq) = v["sequence"].as_u64() {
                    if tx.send((name.clone(), seq)).is_err() {
                        return;
                    }
                }
            }
        }
    });
    rx
}

/// Wait (up to `limit`) for an event `name` with a sequence of at least `seq`.
pub fn wait_event(
    rx: &mpsc::Receiver<(String, u64)>,
    name: &str,
    seq: u64,
    limit: Duration,
) -> u64 {
    let t0 = Instant::now();
    while let Some(left) = limit.checked_sub(t0.elapsed()) {
        match rx.recv_timeout(left) {
            Ok((n, s)) if n == name && s >= seq => return s,
            Ok(_) => continue,
            Err(_) => break,
        }
    }
    panic!("no `event: {name}` with sequence >= {seq}");
}
