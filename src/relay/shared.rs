//! What the worker and the consumer ([`super::LiveFeed`]) share: the bounded sample
//! queue, flags and counters. The worker pushes and trims (oldest audio first);
//! the consumer only ever `try_lock`s, once per chunk.
//!
//! Owns no thread and no network; never blocks the consumer.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
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
    pub(crate) channels: usize,
    pub(crate) prebuffer: usize,
    pub(crate) max: usize,
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
    /// `prebuffer` and `max` in samples (whole frames; `prebuffer <= max`).
    pub(crate) fn new(channels: usize, prebuffer: usize, max: usize) -> Shared {
        let channels = channels.max(1);
        let max = (max / channels).max(1) * channels;
        let prebuffer = (prebuffer / channels * channels).min(max);
        Shared {
            queue: Mutex::new(VecDeque::with_capacity(max + channels * 4096)),
            available: AtomicUsize::new(0),
            started: AtomicBool::new(false),
            stop: Arc::new(AtomicBool::new(false)),
            failed: AtomicBool::new(false),
            failure: Mutex::new(None),
            channels,
            prebuffer,
            max,
            connects: AtomicU32::new(0),
            reconnects: AtomicU32::new(0),
            bytes: Arc::new(AtomicU64::new(0)),
            frames_decoded: AtomicU64::new(0),
            frames_dropped: AtomicU64::new(0),
        }
    }

    /// Worker: append whole frames, then drop the oldest beyond the cap (`max`, or
    /// `prebuffer` before the consumer's first read so a feed joined early stays live).
    pub(crate) fn push(&self, samples: &[f32]) {
        let ch = self.channels;
        let mut q = lock(&self.queue);
        q.extend(samples);
        let cap = if self.started.load(Ordering::Acquire) {
            self.max
        } else {
            self.prebuffer.max(ch)
        };
        if q.len() > cap {
            let excess = (q.len() - cap).div_ceil(ch) * ch;
            let excess = excess.min(q.len());
            q.drain(..excess);
            self.frames_dropped
                .fetch_add((excess / ch) as u64, Ordering::Relaxed);
        }
        self.available.store(q.len(), Ordering::Release);
        drop(q);
        self.frames_decoded
            .fetch_add((samples.len() / ch) as u64, Ordering::Relaxed);
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
        }
    }
}
