//! Recording the real audio path: `parec` on the PulseAudio null sink's monitor,
//! with each chunk time-stamped on arrival so sample 0's wall-clock instant is
//! bounded from above (t0 <= arrival - samples_before/rate, tightest chunk wins).
#![allow(dead_code)]

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use super::{Recording, RATE};

/// Whether a PulseAudio server answers (`pactl info`).
pub fn available() -> bool {
    Command::new("pactl")
        .arg("info")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Skip (return false) without PulseAudio, except under CI where it must be there.
pub fn required_or_skip(test: &str) -> bool {
    if available() {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: no PulseAudio server answers, and CI=true requires the real audio path (see scripts/pulse-null.sh)");
    }
    eprintln!(
        "{test}: SKIPPED — no PulseAudio server (run scripts/test.sh, which starts a null sink)"
    );
    false
}

/// Bytes read so far, and the tightest bound on sample 0's wall-clock instant.
type Captured = Arc<Mutex<(Vec<u8>, Option<DateTime<Utc>>)>>;

pub struct Parec {
    child: Child,
    state: Captured,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Parec {
    pub fn start() -> Parec {
        let mut child = Command::new("parec")
            .args([
                "-d",
                "nullsink.monitor",
                "--latency-msec=10",
                "--format=s16le",
                "--rate=48000",
                "--channels=2",
                "--raw",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn parec");
        let mut out = child.stdout.take().unwrap();
        let state: Captured = Arc::new(Mutex::new((Vec::new(), None)));
        let st = state.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = vec![0u8; 8192];
            loop {
                let n = match out.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let now = Utc::now();
                let mut g = st.lock().unwrap();
                g.0.extend_from_slice(&buf[..n]);
                let frames = (g.0.len() / 4) as f64;
                let bound = now - TimeDelta::microseconds((frames * 1e6 / RATE as f64) as i64);
                g.1 = Some(g.1.map_or(bound, |b: DateTime<Utc>| b.min(bound)));
            }
        });
        std::thread::sleep(Duration::from_millis(300));
        Parec {
            child,
            state,
            reader: Some(reader),
        }
    }

    pub fn stop(mut self) -> Recording {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        let g = self.state.lock().unwrap();
        let samples =
            g.0.chunks_exact(4)
                .map(|f| {
                    let l = i16::from_le_bytes([f[0], f[1]]) as f32 / 32768.0;
                    let r = i16::from_le_bytes([f[2], f[3]]) as f32 / 32768.0;
                    l.abs().max(r.abs())
                })
                .collect();
        Recording {
            t0: g.1.expect("parec delivered audio"),
            rate: RATE,
            samples,
        }
    }
}
