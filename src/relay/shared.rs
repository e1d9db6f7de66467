//! What the worker and the consumer ([`super::LiveFeed`]) share: the bounded sample
//! queue, the link's state, flags and counters. The worker pushes; the consumer only
//! ever `try_lock`s, once per chunk.
//!
//! Buffer policy: before the consumer's first read the newest `cushion` is kept (a
//! relay joined early stays near live). Once on air nothing that has not aired is
//! dropped while the queue stays under `max` (bursts from a slow link or Icecast's
//! join burst are absorbed whole); past `max` the latency is cut back to `cushion`
//! in one go, with a short fade out and in around the cut, so it happens once per
//! excess, never as a train of small holes.
//!
//! Owns no thread and no network; never blocks the consumer.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::RelayStats;

pub(crate) struct Shared {
    pub(crate) queue: Mutex<VecDeque<f32>>,
    /// Samples in `queue`, stored under its lock; read lock-free by the consumer.
    pub(crate) available: AtomicUsize,
    /// The consumer has read at least once (until then only `prebuffer` is kept).
    pub(crate) started: AtomicBool,
    /// The consumer is gone: the worker stops.
    pub(crate) stop: Arc<AtomicBool>,
    /// The worker gave up for good (`failure` is set before this).
    pub(crate) failed: AtomicBool,
    pub(crate) failure: Mutex<Option<String>>,
    /// [`CONNECTING`], [`UP`] (a connection delivers audio) or [`DOWN`] (lost,
    /// reconnecting).
    pub(crate) link: AtomicU8,
    /// Why the link went down last (set before `link` turns [`DOWN`]).
    pub(crate) down_reason: Mutex<Option<String>>,
    pub(crate) channels: usize,
    pub(crate) prebuffer: usize,
    pub(crate) cushion: usize,
    pub(crate) max: usize,
    /// Latency cuts made (each one drop of `max - cushion` or more).
    pub(crate) cuts: AtomicU32,
    pub(crate) connects: AtomicU32,
    pub(crate) reconnects: AtomicU32,
    pub(crate) bytes: Arc<AtomicU64>,
    pub(crate) frames_decoded: AtomicU64,
    pub(crate) frames_dropped: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    /// `prebuffer`, `cushion` and `max` in samples (whole frames; `prebuffer <=
    /// cushion <= max`).
    pub(crate) fn new(channels: usize, prebuffer: usize, cushion: usize, max: usize) -> Shared {
        let channels = channels.max(1);
        let max = (max / channels).max(1) * channels;
        let prebuffer = (prebuffer / channels * channels).min(max);
        let cushion = (cushion / channels * channels).clamp(prebuffer, max);
        Shared {
            queue: Mutex::new(VecDeque::with_capacity(max + channels * 4096)),
            available: AtomicUsize::new(0),
            started: AtomicBool::new(false),
            stop: Arc::new(AtomicBool::new(false)),
            failed: AtomicBool::new(false),
            failure: Mutex::new(None),
            link: AtomicU8::new(CONNECTING),
            down_reason: Mutex::new(None),
            channels,
            prebuffer,
            cushion,
            max,
            cuts: AtomicU32::new(0),
            connects: AtomicU32::new(0),
            reconnects: AtomicU32::new(0),
            bytes: Arc::new(AtomicU64::new(0)),
            frames_decoded: AtomicU64::new(0),
            frames_dropped: AtomicU64::new(0),
        }
    }

    /// Worker: append whole frames, then apply the buffer policy (module doc).
    pub(crate) fn push(&self, samples: &[f32]) {
        let ch = self.channels;
        let mut q = lock(&self.queue);
        q.extend(samples);
        let dropped = if !self.started.load(Ordering::Acquire) {
            let cap = self.cushion.max(ch);
            let excess = (q.len().saturating_sub(cap).div_ceil(ch) * ch).min(q.len());
            q.drain(..excess);
            excess
        } else if q.len() > self.max {
            self.cuts.fetch_add(1, Ordering::Relaxed);
            cut_latency(&mut q, ch, self.cushion.max(ch))
        } else {
            0
        };
        if dropped > 0 {
            self.frames_dropped
                .fetch_add((dropped / ch) as u64, Ordering::Relaxed);
        }
        self.available.store(q.len(), Ordering::Release);
        drop(q);
        self.frames_decoded
            .fetch_add((samples.len() / ch) as u64, Ordering::Relaxed);
    }

    /// Worker: a connection delivers audio again.
    pub(crate) fn link_up(&self) {
        self.link.store(UP, Ordering::Release);
    }

    /// Worker: the connection is gone (or could not be made), for `why`.
    pub(crate) fn link_down(&self, why: String) {
        if self.link.load(Ordering::Acquire) != DOWN {
            *lock(&self.down_reason) = Some(why);
        }
        self.link.store(DOWN, Ordering::Release);
    }

    /// Never blocks (the consumer asks from the audio thread): `None` also while
    /// the worker holds the lock this instant.
    pub(crate) fn down_reason(&self) -> Option<String> {
        match self.down_reason.try_lock() {
            Ok(g) => g.clone(),
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner().clone(),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    /// Worker: give up for good with `why`.
    pub(crate) fn fail(&self, why: String) {
        *lock(&self.failure) = Some(why);
        self.failed.store(true, Ordering::Release);
    }

    pub(crate) fn failure(&self) -> Option<String> {
        if !self.failed.load(Ordering::Acquire) {
            return None;
        }
        lock(&self.failure).clone()
    }

    pub(crate) fn stats(&self, underruns: u32) -> RelayStats {
        RelayStats {
            connects: self.connects.load(Ordering::Relaxed),
            reconnects: self.reconnects.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            frames_decoded: self.frames_decoded.load(Ordering::Relaxed),
            frames_dropped: self.frames_dropped.load(Ordering::Relaxed),
            underruns,
            cuts: self.cuts.load(Ordering::Relaxed),
        }
    }
}

pub(crate) const CONNECTING: u8 = 0;
pub(crate) const UP: u8 = 1;
pub(crate) const DOWN: u8 = 2;

/// Frames faded out before a latency cut and in after it (5 ms at 48 kHz).
const CUT_FADE: usize = 240;

/// Cut the queue back to `keep` samples of its newest audio: the oldest
/// [`CUT_FADE`] frames stay (they may be next on air) and fade out, the newest
/// `keep` fade in. Returns the samples dropped.
fn cut_latency(q: &mut VecDeque<f32>, ch: usize, keep: usize) -> usize {
    let fade = (CUT_FADE * ch).min(keep / 2) / ch * ch;
    if q.len() <= keep + fade {
        return 0;
    }
    let (head, drop_to) = (fade, q.len() - keep);
    let frames = fade / ch;
    for f in 0..frames {
        let g = 1.0 - (f + 1) as f32 / frames as f32;
        for c in 0..ch {
            q[f * ch + c] *= g;
        }
    }
    q.drain(head..drop_to);
    for f in 0..frames {
        let g = f as f32 / frames as f32;
        for c in 0..ch {
            q[head + f * ch + c] *= g;
        }
    }
    drop_to - head
}
