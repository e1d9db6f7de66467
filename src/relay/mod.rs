//! Relaying a live HTTP(S) audio stream (Icecast/Shoutcast style: MP3 or Ogg Vorbis,
//! endless or chunked bodies): a worker thread connects, decodes, converts to the
//! output format and fills a bounded buffer; [`LiveFeed`] hands it out one frame at
//! a time on the audio thread without blocking or allocating.
//!
//! Owns the connection, reconnects within `retry_for` and the failure reason. Never
//! decides about the broadcast window, the fallback or dead air (the caller's), and
//! trusts no byte from the network (bounded buffers, no panics reach the caller).

mod decode;
mod error;
mod http;
mod id3;
mod ogg_guard;
mod shared;
mod warm;
mod worker;

/// The integration tests' streaming server, shared with the unit tests.
#[cfg(test)]
#[path = "../../tests/common/stream_server.rs"]
pub(crate) mod stream_server;
#[cfg(test)]
mod tests;

use std::sync::atomic::Ordering;
use std::sync::{Arc, TryLockError};
use std::time::{Duration, Instant};

pub use error::RelayError;
use shared::Shared;
pub use warm::warm_up;

/// The byte guards the relay puts in front of its decoder (the ID3 tag skipper,
/// then the Ogg setup-header guard), over any reader: for the fuzz target
/// `fuzz/fuzz_targets/relay_demux.rs` only, not part of loa's API.
#[doc(hidden)]
pub fn fuzz_guards<R: std::io::Read>(inner: R) -> impl std::io::Read {
    ogg_guard::OggGuard::new(id3::SkipId3::new(inner))
}

/// Optional processing on the worker thread: input interleaved samples at the output
/// format; append the processed samples to the `Vec`.
pub type Process = Box<dyn FnMut(&[f32], &mut Vec<f32>) + Send>;

/// How to relay. `process` is not here (a closure is neither `Debug` nor `Clone`):
/// pass it to [`connect_with`].
#[derive(Debug, Clone)]
pub struct RelayOptions {
    /// Output format to convert to.
    pub channels: u16,
    pub rate: u32,
    /// Resolve + connect + response head (default 5 s).
    pub connect_timeout: Duration,
    /// No body bytes this long = connection lost (default 5 s).
    pub no_data_timeout: Duration,
    /// After a loss mid-stream, keep reconnecting this long before failing (default
    /// 8 s). Ignored with `persist`.
    pub retry_for: Duration,
    /// Never give up: after a loss (or a failed first connection) report the link
    /// down ([`LiveRead::Lost`] once the buffer is dry) and keep reconnecting with
    /// growing pauses for as long as the feed lives. For broadcast windows.
    pub persist: bool,
    /// Audio buffered before (re)starting to play (default 0.5 s).
    pub prebuffer: Duration,
    /// Kept before the first read, and what a latency cut goes back to (default 3 s).
    pub cushion: Duration,
    /// The latency bound: more buffered than this is cut back to `cushion`, once,
    /// with a short fade (default 10 s: a congested link's bursts fit whole).
    pub max_buffer: Duration,
    /// Connect no sooner than this, unless the consumer reads before (None: at
    /// once). Lets a relay late in a long program leave the link alone meanwhile.
    pub connect_at: Option<Instant>,
}

impl RelayOptions {
    pub fn new(channels: u16, rate: u32) -> RelayOptions {
        RelayOptions {
            channels,
            rate,
            connect_timeout: Duration::from_secs(5),
            no_data_timeout: Duration::from_secs(5),
            retry_for: Duration::from_secs(8),
            persist: false,
            prebuffer: Duration::from_millis(500),
            cushion: Duration::from_secs(3),
            max_buffer: Duration::from_secs(10),
            connect_at: None,
        }
    }
}

/// What [`LiveFeed::read_frame`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveRead {
    /// Real samples.
    Audio,
    /// Silence: connecting, prebuffering, or an underrun while connected (or, without
    /// `persist`, reconnecting).
    Buffering,
    /// Silence: with `persist`, the link is down and the buffer is dry (the fallback's
    /// moment); reconnects go on (see [`LiveFeed::down_reason`], [`LiveFeed::ready`]).
    Lost,
    /// Silence: the worker gave up for good (see [`LiveFeed::failure`]).
    Failed,
}

/// Counters for the as-run log and benchmarks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RelayStats {
    /// Connections answered 200 with an acceptable content-type.
    pub connects: u32,
    /// Reconnect attempts after losses (successful or not).
    pub reconnects: u32,
    /// Body bytes received.
    pub bytes: u64,
    /// Frames decoded (after conversion and processing).
    pub frames_decoded: u64,
    /// Frames dropped to bound the buffer (including, before the first read, all but
    /// the newest `prebuffer`).
    pub frames_dropped: u64,
    /// Times the buffer ran dry while playing and connected.
    pub underruns: u32,
    /// Latency cuts (the buffer went over `max_buffer`).
    pub cuts: u32,
}

/// Start relaying `url` on a worker thread; returns at once.
pub fn connect(url: &str, opts: RelayOptions) -> LiveFeed {
    connect_with(url, opts, None)
}

/// [`connect`] with `process` run on the worker thread over each chunk of converted audio.
pub fn connect_with(url: &str, opts: RelayOptions, process: Option<Process>) -> LiveFeed {
    let ch = usize::from(opts.channels.max(1));
    let samples = |d: Duration| (d.as_secs_f64() * f64::from(opts.rate)) as usize * ch;
    let max = samples(opts.max_buffer).max(ch);
    let shared = Arc::new(Shared::new(
        ch,
        samples(opts.prebuffer),
        samples(opts.cushion),
        max,
    ));
    let feed = LiveFeed {
        shared: shared.clone(),
        local: Vec::with_capacity(LOCAL_FRAMES * ch),
        pos: 0,
        channels: ch,
        playing: false,
        started: false,
        underruns: 0,
    };
    worker::spawn(url.to_string(), opts, process, shared);
    feed
}

/// Frames the consumer takes per lock.
const LOCAL_FRAMES: usize = 1024;

/// The consumer side, for the audio thread. Dropping it stops the worker (the
/// connection closes within ~1 s even if the server stalls).
pub struct LiveFeed {
    shared: Arc<Shared>,
    /// Samples taken from the shared queue; `pos` is the next one.
    local: Vec<f32>,
    pos: usize,
    channels: usize,
    playing: bool,
    started: bool,
    underruns: u32,
}

impl LiveFeed {
    /// Fill one frame (`frame.len() == channels`; extra slots get silence, missing
    /// ones are skipped). Real-time safe: no blocking lock, no allocation.
    pub fn read_frame(&mut self, frame: &mut [f32]) -> LiveRead {
        if !self.started {
            self.started = true;
            self.shared.started.store(true, Ordering::Release);
        }
        let ch = self.channels;
        if self.left() < self.local.capacity() / 2
            && self.shared.available.load(Ordering::Acquire) > 0
        {
            self.refill();
        }
        if !self.playing {
            let level = self.left() + self.shared.available.load(Ordering::Acquire);
            let failed = self.shared.failed.load(Ordering::Acquire);
            let down = self.down();
            if level >= self.shared.prebuffer.max(ch) || ((failed || down) && level >= ch) {
                self.playing = true;
            } else {
                frame.fill(0.0);
                return if failed && level < ch {
                    LiveRead::Failed
                } else if down && level < ch {
                    LiveRead::Lost
                } else {
                    LiveRead::Buffering
                };
            }
        }
        if self.left() < ch {
            self.refill();
        }
        if self.left() >= ch {
            let src = &self.local[self.pos..self.pos + ch];
            let n = frame.len().min(ch);
            frame[..n].copy_from_slice(&src[..n]);
            frame[n..].fill(0.0);
            self.pos += ch;
            return LiveRead::Audio;
        }
        frame.fill(0.0);
        if self.shared.available.load(Ordering::Acquire) >= ch {
            // The worker holds the lock this instant: try again next frame.
            return LiveRead::Buffering;
        }
        self.playing = false;
        if self.shared.failed.load(Ordering::Acquire) {
            return LiveRead::Failed;
        }
        if self.down() {
            return LiveRead::Lost;
        }
        self.underruns += 1;
        LiveRead::Buffering
    }

    fn down(&self) -> bool {
        self.shared.link.load(Ordering::Acquire) == shared::DOWN
    }

    /// The link is up and enough is buffered to go (back) on air without a hole.
    /// Lock-free.
    pub fn ready(&self) -> bool {
        self.shared.link.load(Ordering::Acquire) == shared::UP
            && self.left() + self.shared.available.load(Ordering::Acquire)
                >= self.shared.prebuffer.max(self.channels)
    }

    /// Why the link went down last (with `persist`), if it did.
    pub fn down_reason(&self) -> Option<String> {
        self.shared.down_reason()
    }

    fn left(&self) -> usize {
        self.local.len() - self.pos
    }

    /// Move whole frames from the shared queue into `local` (one `try_lock`).
    fn refill(&mut self) {
        let mut q = match self.shared.queue.try_lock() {
            Ok(q) => q,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => return,
        };
        self.local.drain(..self.pos);
        self.pos = 0;
        let room = self.local.capacity() - self.local.len();
        let n = room.min(q.len()) / self.channels * self.channels;
        self.local.extend(q.drain(..n));
        self.shared.available.store(q.len(), Ordering::Release);
    }

    /// Why the worker gave up (Some only once it has).
    pub fn failure(&self) -> Option<String> {
        self.shared.failure()
    }

    pub fn stats(&self) -> RelayStats {
        self.shared.stats(self.underruns)
    }
}

impl Drop for LiveFeed {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
    }
}
