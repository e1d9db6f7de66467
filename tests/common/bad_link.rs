//! A misbehaving link in front of a server, for relay tests: a local TCP proxy that
//! holds the first byte back, then delivers what the server sent in bursts (as a
//! congested 3G link does), and can stall for a while mid-stream. Records when the
//! stall was, in wall-clock time, so a recording can be checked against it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

#[derive(Clone, Copy, Debug)]
pub struct Behaviour {
    /// Nothing goes to the client before this (from the connection).
    pub first_byte_after: Duration,
    /// Bytes are held and sent at once every `burst`.
    pub burst: Duration,
    /// Nothing at all from `stall_at` (after the connection) for `stall_for`.
    pub stall_at: Option<Duration>,
    pub stall_for: Duration,
}

/// Stall start and end, wall clock.
pub type Stalls = Arc<Mutex<Vec<(DateTime<Utc>, DateTime<Utc>)>>>;

pub struct BadLink {
    pub port: u16,
    /// Each stall's start and end, wall clock.
    pub stalls: Stalls,
}

impl BadLink {
    /// Proxy 127.0.0.1:PORT → `upstream` (host:port) with `b`.
    pub fn start(upstream: String, b: Behaviour) -> BadLink {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().unwrap().port();
        let stalls = Arc::new(Mutex::new(Vec::new()));
        let st = stalls.clone();
        thread::spawn(move || {
            for client in l.incoming().flatten() {
                let up = upstream.clone();
                let st = st.clone();
                thread::spawn(move || {
                    let _ = serve(client, &up, b, &st);
                });
            }
        });
        BadLink { port, stalls }
    }

    /// `url` with its host:port replaced by the proxy's.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn serve(
    mut client: TcpStream,
    upstream: &str,
    b: Behaviour,
    stalls: &Stalls,
) -> std::io::Result<()> {
    let start = Instant::now();
    let mut up = TcpStream::connect(upstream)?;
    // Requests go up as they come.
    let (mut c_read, mut u_write) = (client.try_clone()?, up.try_clone()?);
    thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = c_read.read(&mut buf) {
            if n == 0 || u_write.write_all(&buf[..n]).is_err() {
                break;
            }
        }
    });
    // Answers pile up here and go down in bursts.
    let held = Arc::new(Mutex::new(Vec::<u8>::new()));
    let (h, done) = (held.clone(), Arc::new(Mutex::new(false)));
    let d = done.clone();
    thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match up.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => h.lock().unwrap().extend_from_slice(&buf[..n]),
            }
        }
        *d.lock().unwrap() = true;
    });
    thread::sleep(b.first_byte_after);
    let mut stalled = false;
    loop {
        let t = start.elapsed();
        if let Some(at) = b.stall_at {
            if !stalled && t >= at {
                stalled = true;
                let from = Utc::now();
                thread::sleep(b.stall_for);
                stalls.lock().unwrap().push((from, Utc::now()));
            }
        }
        let chunk = std::mem::take(&mut *held.lock().unwrap());
        if !chunk.is_empty() {
            client.write_all(&chunk)?;
        } else if *done.lock().unwrap() {
            return Ok(());
        }
        thread::sleep(b.burst);
    }
}
