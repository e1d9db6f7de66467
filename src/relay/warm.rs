//! Connections opened ahead: the daemon warms a program's opening stream while the
//! output warms up (seconds before the start), so the relay that is armed just
//! before the instant finds the server's join burst already waiting and airs from
//! the first sample. A warm connection is taken by the first relay of its URL, or
//! closed unclaimed after [`KEEP`].
//!
//! Owns only the parked connections; decides nothing about what airs.

use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::http::{self, Opened};

/// An unclaimed warm connection is closed after this.
const KEEP: Duration = Duration::from_secs(15);

struct Parked {
    url: String,
    at: Instant,
    opened: Opened,
}

static PARKED: Mutex<Vec<Parked>> = Mutex::new(Vec::new());
/// URLs being warmed right now.
static WARMING: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn warming() -> MutexGuard<'static, Vec<String>> {
    WARMING.lock().unwrap_or_else(|p| p.into_inner())
}

fn parked() -> MutexGuard<'static, Vec<Parked>> {
    PARKED.lock().unwrap_or_else(|p| p.into_inner())
}

/// Open `url` now on a short-lived thread and park the answer for the relay that
/// will ask for it. Failures are left for that relay to meet (and report).
pub fn warm_up(url: &str, connect_timeout: Duration) {
    let url = url.to_string();
    warming().push(url.clone());
    let done = url.clone();
    let spawned = std::thread::Builder::new()
        .name("loa-relay-warm".into())
        .spawn(move || {
            let never = AtomicBool::new(false);
            match http::open(
                &url,
                connect_timeout,
                connect_timeout,
                connect_timeout,
                &never,
            ) {
                Ok(opened) => {
                    tracing::debug!("relay {url}: connection warmed ahead of the start");
                    let mut p = parked();
                    p.retain(|x| x.at.elapsed() < KEEP);
                    p.push(Parked {
                        url: url.clone(),
                        at: Instant::now(),
                        opened,
                    });
                }
                Err(e) => tracing::debug!("relay {url}: warming failed: {e}"),
            }
            let mut w = warming();
            if let Some(i) = w.iter().position(|u| *u == url) {
                w.swap_remove(i);
            }
        });
    if let Err(e) = spawned {
        let mut w = warming();
        if let Some(i) = w.iter().position(|u| *u == done) {
            w.swap_remove(i);
        }
        tracing::debug!("cannot start a warm-up thread: {e}");
    }
}

/// The parked connection for `url`, if one is fresh; while one is on its way (a
/// slow link's head), wait for it rather than open a second one — until `stop`.
pub(crate) fn take(url: &str, stop: &AtomicBool) -> Option<Opened> {
    while warming().iter().any(|u| u == url) {
        if stop.load(std::sync::atomic::Ordering::Acquire) {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut p = parked();
    p.retain(|x| x.at.elapsed() < KEEP);
    let i = p.iter().position(|x| x.url == url)?;
    Some(p.swap_remove(i).opened)
}
