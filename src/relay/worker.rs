//! The relay worker thread: connect, decode, convert, process, push into the shared
//! queue; after a loss, reconnect with growing pauses for `retry_for`; give up with a
//! reason. The first connection failing before any audio is a failure at once.
//!
//! Never touches the consumer's state beyond [`Shared`]; never blocks the consumer.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use super::decode;
use super::error::{secs, RelayError};
use super::http::{self, Body, Link};
use super::shared::Shared;
use super::{Process, RelayOptions};

/// Pauses before reconnect attempts: 0.5 s, 1 s, then 2 s.
const FIRST_PAUSE: Duration = Duration::from_millis(500);
const MAX_PAUSE: Duration = Duration::from_secs(2);

/// Start the worker thread (detached: it ends on its own once `shared.stop` is set).
pub(crate) fn spawn(
    url: String,
    opts: RelayOptions,
    process: Option<Process>,
    shared: Arc<Shared>,
) {
    let sh = shared.clone();
    let res = thread::Builder::new()
        .name("loa-relay".into())
        .spawn(move || {
            let sh2 = sh.clone();
            let url2 = url.clone();
            let run = catch_unwind(AssertUnwindSafe(move || {
                Worker::new(url, opts, process, sh).run();
            }));
            if let Err(p) = run {
                let msg = p
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                tracing::warn!("relay {url2}: worker panicked: {msg}");
                sh2.fail(RelayError::Panic(msg).to_string());
            }
        });
    if let Err(e) = res {
        shared.fail(format!("cannot start the relay thread: {e}"));
    }
}

/// How one connection ended.
enum Session {
    /// The consumer went away.
    Stopped,
    /// Ended before any audio was decoded.
    Failed(RelayError),
    /// Ended after audio was decoded.
    Lost(RelayError),
}

struct Worker {
    url: String,
    opts: RelayOptions,
    process: Option<Process>,
    shared: Arc<Shared>,
    chunk: Vec<f32>,
    out: Vec<f32>,
    carry: Vec<f32>,
    chunk_len: usize,
}

impl Worker {
    fn new(
        url: String,
        opts: RelayOptions,
        process: Option<Process>,
        shared: Arc<Shared>,
    ) -> Worker {
        let ch = usize::from(opts.channels.max(1));
        // 20 ms of output per push.
        let chunk_len = (opts.rate as usize / 50).max(1) * ch;
        Worker {
            url,
            opts,
            process,
            shared,
            chunk: Vec::with_capacity(chunk_len),
            out: Vec::with_capacity(chunk_len * 2),
            carry: Vec::with_capacity(chunk_len * 2),
            chunk_len,
        }
    }

    /// Hold off until `connect_at`, or the consumer's first read if that comes
    /// sooner; false when the consumer went away meanwhile.
    fn wait_for_connect_time(&self) -> bool {
        let Some(at) = self.opts.connect_at else {
            return true;
        };
        while Instant::now() < at && !self.shared.started.load(Ordering::Acquire) {
            if self.stopped() {
                return false;
            }
            thread::sleep(
                at.saturating_duration_since(Instant::now())
                    .min(Duration::from_millis(20)),
            );
        }
        !self.stopped()
    }

    fn stopped(&self) -> bool {
        self.shared.stop.load(Ordering::Acquire)
    }

    fn run(&mut self) {
        let url = self.url.clone();
        if !self.wait_for_connect_time() {
            return;
        }
        let mut reason = match self.session(None) {
            Session::Stopped => return,
            Session::Failed(e) => {
                tracing::warn!("relay {url}: cannot relay: {e}");
                self.shared.fail(e.to_string());
                return;
            }
            Session::Lost(e) => e,
        };
        loop {
            let retry_for = self.opts.retry_for;
            tracing::warn!(
                "relay {url}: stream lost ({reason}); reconnecting for up to {}",
                secs(retry_for)
            );
            let deadline = Instant::now() + retry_for;
            let mut pause = FIRST_PAUSE;
            let mut failed = 0u32;
            let mut last: Option<RelayError> = None;
            let resumed = loop {
                if !self.sleep_until((Instant::now() + pause).min(deadline)) {
                    return;
                }
                if Instant::now() >= deadline {
                    break None;
                }
                pause = (pause * 2).min(MAX_PAUSE);
                self.shared.reconnects.fetch_add(1, Ordering::Relaxed);
                tracing::info!("relay {url}: reconnect attempt {}", failed + 1);
                match self.session(Some(deadline)) {
                    Session::Stopped => return,
                    Session::Failed(e) => {
                        tracing::info!("relay {url}: reconnect failed: {e}");
                        failed += 1;
                        last = Some(e);
                    }
                    Session::Lost(e) => break Some(e),
                }
            };
            match resumed {
                Some(e) => reason = e,
                None => {
                    let tail = match last {
                        Some(RelayError::GaveUp) | None => String::new(),
                        Some(e) => format!(" (last: {e})"),
                    };
                    let why = format!(
                        "stream lost: {reason}; {failed} reconnect{} failed{tail}",
                        if failed == 1 { "" } else { "s" }
                    );
                    tracing::warn!("relay {url}: giving up: {why}");
                    self.shared.fail(why);
                    return;
                }
            }
        }
    }

    /// Sleep until `t` in short steps; false if stopped meanwhile.
    fn sleep_until(&self, t: Instant) -> bool {
        loop {
            if self.stopped() {
                return false;
            }
            let now = Instant::now();
            if now >= t {
                return true;
            }
            thread::sleep((t - now).min(Duration::from_millis(50)));
        }
    }

    /// One connection, from GET to its end. `deadline`: while reconnecting, audio
    /// must come before it.
    fn session(&mut self, deadline: Option<Instant>) -> Session {
        let url = self.url.clone();
        let budget = match deadline {
            Some(d) => self
                .opts
                .connect_timeout
                .min(d.saturating_duration_since(Instant::now())),
            None => self.opts.connect_timeout,
        };
        if budget.is_zero() {
            return Session::Failed(RelayError::GaveUp);
        }
        let opened = match http::open(
            &url,
            self.opts.connect_timeout,
            budget,
            self.opts.no_data_timeout,
            &self.shared.stop,
        ) {
            Ok(o) => o,
            Err(_) if self.stopped() => return Session::Stopped,
            Err(e) => return Session::Failed(e),
        };
        self.shared.connects.fetch_add(1, Ordering::Relaxed);
        tracing::info!("relay {url}: connected (content-type {})", opened.ctype);
        let link = Link::new(
            self.shared.stop.clone(),
            self.shared.bytes.clone(),
            self.opts.no_data_timeout,
            deadline,
        );
        let body = Body::new(opened.reader, link.clone());
        let (ch, rate) = (self.opts.channels, self.opts.rate);
        let mut conv = match decode::start(body, link.clone(), opened.kind, &opened.ctype, ch, rate)
        {
            Ok(c) => c,
            Err(msg) => {
                let e = RelayError::Undecodable {
                    ctype: opened.ctype,
                    msg,
                };
                // A guard's refusal (kept by the link) wins over the decoder's words.
                return self.ended(&link, false, e);
            }
        };
        self.carry.clear();
        let mut got_audio = false;
        loop {
            if self.stopped() {
                return Session::Stopped;
            }
            self.chunk.clear();
            for s in conv.by_ref().take(self.chunk_len) {
                self.chunk.push(if s.is_finite() {
                    s.clamp(-2.0, 2.0)
                } else {
                    0.0
                });
            }
            let full = self.chunk.len() == self.chunk_len;
            if !self.chunk.is_empty() {
                if !got_audio && deadline.is_some() {
                    tracing::info!("relay {url}: audio is back");
                }
                got_audio = true;
                link.audio();
                self.deliver();
            }
            if !full {
                let e = RelayError::Decoder("the decoded stream ended (corrupt data?)".into());
                return self.ended(&link, got_audio, e);
            }
        }
    }

    /// Classify the end of a session: the body's own reason wins over `fallback`.
    fn ended(&self, link: &Link, got_audio: bool, fallback: RelayError) -> Session {
        let reason = link.reason();
        if self.stopped() || reason == Some(RelayError::Stopped) {
            return Session::Stopped;
        }
        let e = reason.unwrap_or(fallback);
        if got_audio {
            Session::Lost(e)
        } else {
            Session::Failed(e)
        }
    }

    /// Run `process` (if any) over the chunk and push whole frames.
    fn deliver(&mut self) {
        match self.process.as_mut() {
            Some(p) => {
                self.out.clear();
                p(&self.chunk, &mut self.out);
                self.carry.extend_from_slice(&self.out);
            }
            None => self.carry.extend_from_slice(&self.chunk),
        }
        let ch = self.shared.channels;
        let n = self.carry.len() / ch * ch;
        if n > 0 {
            self.shared.push(&self.carry[..n]);
            self.carry.drain(..n);
        }
    }
}
