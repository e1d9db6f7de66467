//! The output backend trait, the table of backends by name (as librespot's
//! `audio_backend::BACKENDS`), and the `SinkClock` every backend keeps so a broadcast
//! can tell when each frame it emits goes on air. Never decodes or schedules.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rodio::mixer::Mixer;

use super::spec::OutputSpec;
use super::PlayoutError;

/// An open output: a rodio mixer that something pulls in real time, and its clock.
/// Dropping it releases the device (stream closed, file finalised).
pub(crate) trait Backend: Send {
    /// Where broadcasts are added.
    fn mixer(&self) -> &Mixer;
    /// The sink's timeline, failure slot and stall watchdog.
    fn clock(&self) -> &std::sync::Arc<SinkClock>;
}

/// Opens one kind of output for a spec. `master_volume` is applied by broadcasts, not here.
pub(crate) type Opener = fn(&OutputSpec) -> Result<Box<dyn Backend>, PlayoutError>;

/// Backends by name; `OutputSpec::backend_name` picks the row.
pub(crate) const BACKENDS: &[(&str, Opener)] = &[
    ("default", super::device::open),
    ("device", super::device::open),
    ("wav", super::paced::open_wav),
    ("null", super::paced::open_null),
];

pub(crate) fn find(name: &str) -> Option<Opener> {
    BACKENDS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// No pull for this long (after the first one) means the device is stuck.
const STALL_AFTER: Duration = Duration::from_millis(900);
/// No first pull this long after open means the device never started.
const NEVER_STARTED_AFTER: Duration = Duration::from_secs(3);

/// The timeline of one open sink: which frame it is producing now and when a given
/// frame goes on air. Written by the pulling thread (audio callback or paced thread),
/// read by the broadcast source (same thread) and by watchers.
pub(crate) struct SinkClock {
    pub channels: u16,
    pub rate: u32,
    origin: Instant,
    /// Index of the frame being produced right now.
    frame: AtomicU64,
    /// (frame index, instant that frame goes on air), set at each block.
    anchor: Mutex<(u64, Instant)>,
    /// Nanoseconds after `origin` of the last block; 0 = no block yet.
    last_block_ns: AtomicU64,
    /// Frames are taken to go on air this much before the sink says (see
    /// `Output::set_latency_offset`).
    offset_ns: AtomicU64,
    failure: Mutex<Option<String>>,
}

impl SinkClock {
    pub fn new(channels: u16, rate: u32) -> SinkClock {
        let origin = Instant::now();
        SinkClock {
            channels,
            rate,
            origin,
            frame: AtomicU64::new(0),
            anchor: Mutex::new((0, origin)),
            last_block_ns: AtomicU64::new(0),
            offset_ns: AtomicU64::new(0),
            failure: Mutex::new(None),
        }
    }

    /// A block of frames starting at `frame` is being produced; `frame` goes on air at `on_air`.
    pub fn begin_block(&self, frame: u64, on_air: Instant) {
        if let Ok(mut a) = self.anchor.lock() {
            *a = (frame, on_air);
        }
        self.frame.store(frame, Ordering::Relaxed);
        let ns = on_air_ns(self.origin, Instant::now());
        self.last_block_ns.store(ns.max(1), Ordering::Relaxed);
    }

    /// The frame with this index is being produced now.
    #[inline]
    pub fn set_frame(&self, frame: u64) {
        self.frame.store(frame, Ordering::Relaxed);
    }

    /// When the frame being produced now goes on air.
    pub fn on_air_now(&self) -> Instant {
        let frame = self.frame.load(Ordering::Relaxed);
        let (f0, t0) = self.anchor.lock().map(|a| *a).unwrap_or((0, self.origin));
        let t = t0 + frames_to_duration(frame.saturating_sub(f0), self.rate);
        let offset = Duration::from_nanos(self.offset_ns.load(Ordering::Relaxed));
        t.checked_sub(offset).unwrap_or(t)
    }

    pub fn set_offset(&self, offset: Duration) {
        let ns = u64::try_from(offset.as_nanos()).unwrap_or(u64::MAX);
        self.offset_ns.store(ns, Ordering::Relaxed);
    }

    /// Record a device failure (the first reason wins).
    pub fn fail(&self, reason: String) {
        if let Ok(mut f) = self.failure.lock() {
            if f.is_none() {
                tracing::debug!("sound output failed: {reason}");
                *f = Some(reason);
            }
        }
    }

    /// The recorded failure, or a stall: nothing pulled for too long.
    pub fn failure(&self) -> Option<String> {
        if let Some(f) = self.failure.lock().ok().and_then(|f| f.clone()) {
            return Some(f);
        }
        let now = Instant::now();
        let last = self.last_block_ns.load(Ordering::Relaxed);
        if last == 0 {
            let waited = now.duration_since(self.origin);
            (waited > NEVER_STARTED_AFTER).then(|| {
                format!(
                    "sound output never started: no audio requested in {:.1} s",
                    waited.as_secs_f64()
                )
            })
        } else {
            let since = now
                .duration_since(self.origin)
                .saturating_sub(Duration::from_nanos(last));
            (since > STALL_AFTER).then(|| {
                format!(
                    "sound output stalled: no audio requested for {:.1} s",
                    since.as_secs_f64()
                )
            })
        }
    }
}

fn on_air_ns(origin: Instant, t: Instant) -> u64 {
    u64::try_from(t.saturating_duration_since(origin).as_nanos()).unwrap_or(u64::MAX)
}

/// Exact duration of `frames` at `rate`.
pub(crate) fn frames_to_duration(frames: u64, rate: u32) -> Duration {
    let rate = u64::from(rate.max(1));
    Duration::new(
        frames / rate,
        u32::try_from((frames % rate) * 1_000_000_000 / rate).unwrap_or(0),
    )
}

/// Nearest whole number of frames in `d` at `rate`.
pub(crate) fn duration_to_frames(d: Duration, rate: u32) -> u64 {
    let n = d.as_nanos() * u128::from(rate) + 500_000_000;
    u64::try_from(n / 1_000_000_000).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_math_is_exact() {
        assert_eq!(frames_to_duration(48_000, 48_000), Duration::from_secs(1));
        assert_eq!(frames_to_duration(24, 48_000), Duration::from_micros(500));
        assert_eq!(
            duration_to_frames(Duration::from_millis(500), 48_000),
            24_000
        );
        assert_eq!(duration_to_frames(Duration::from_nanos(10_417), 48_000), 1);
    }

    #[test]
    fn on_air_follows_anchor() {
        let c = SinkClock::new(2, 48_000);
        let t = Instant::now() + Duration::from_millis(40);
        c.begin_block(1000, t);
        c.set_frame(1480);
        assert_eq!(c.on_air_now(), t + Duration::from_millis(10));
        assert_eq!(c.failure(), None);
        c.fail("gone".into());
        c.fail("second".into());
        assert_eq!(c.failure().as_deref(), Some("gone"));
    }

    #[test]
    fn table_has_every_spec_kind() {
        for s in ["default", "hw:0", "wav:/x.wav", "null"] {
            let name = OutputSpec::parse(s).backend_name();
            assert!(find(name).is_some(), "no backend for {name}");
        }
    }
}
