//! One broadcast on an output: the plan and report types, the shared state between the
//! audio thread and everyone else, the `Broadcast` handle (stop, stop at an instant, progress), and the
//! watcher thread that calls `on_done` exactly once (also on device failure).
//! Never touches the device; the samples are made in `program`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::backend::{frames_to_duration, SinkClock};

/// What to air, in order.
#[derive(Clone)]
pub struct BroadcastPlan {
    pub items: Vec<PlanItem>,
    /// Program volume, multiplied by the output's master volume.
    pub volume: f32,
    /// Hard stop after this much program time (from the first sample).
    pub max_duration: Option<Duration>,
    /// Loudness normalisation (None = off: clips and streams air as they are).
    pub leveling: Option<Leveling>,
    /// Skip an item (or a stream, to its fallback) after this long below
    /// [`DEAD_AIR_DBFS`]; None = never.
    pub dead_air: Option<Duration>,
}

impl BroadcastPlan {
    /// A plan with no leveling and no dead-air watch (tests, previews).
    pub fn plain(items: Vec<PlanItem>, volume: f32, max_duration: Option<Duration>) -> Self {
        BroadcastPlan {
            items,
            volume,
            max_duration,
            leveling: None,
            dead_air: None,
        }
    }
}

/// Output below this level counts as dead air.
pub const DEAD_AIR_DBFS: f32 = -50.0;

/// Clips air at `target_lufs` (measured once, kept in `cache`); streams get a slow
/// automatic gain towards it.
#[derive(Clone)]
pub struct Leveling {
    pub target_lufs: f64,
    pub cache: crate::loudness::Cache,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlanItem {
    /// An audio file (WAV, MP3, Ogg Vorbis, FLAC); `name` is what reports call it.
    File { path: PathBuf, name: String },
    /// Exactly this much silence.
    Silence(Duration),
    /// Relay a live HTTP(S) stream for `window` (cut earlier by max_duration). If it
    /// cannot be joined, is lost for good or stays silent (dead air), `fallback`
    /// airs for the rest of the window.
    Stream {
        url: String,
        window: Duration,
        fallback: Vec<PlanItem>,
    },
}

/// Where a broadcast is now.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Index in the plan's items of the item on air (or last aired).
    pub item_index: usize,
    pub item_name: String,
    /// Position within that item.
    pub position: Duration,
    /// Program time aired since the first sample (0 before it).
    pub elapsed: Duration,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BroadcastReport {
    /// The items reached, in plan order (aired, cut, or skipped with `error`); items
    /// never reached (after a stop, max_duration or failure) are not listed.
    pub items: Vec<ItemReport>,
    pub ended_by: EndedBy,
    /// When the first program sample went on air (None if it never did).
    pub first_sample: Option<Instant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndedBy {
    Completed,
    Stopped,
    MaxDuration,
    DeviceFailed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemReport {
    pub name: String,
    /// Hex sha256 of the file's bytes (files only).
    pub sha256: Option<String>,
    /// Seconds aired, counted from samples emitted.
    pub seconds: f64,
    /// Why the item was skipped or cut short (e.g. "cannot decode: ...").
    pub error: Option<String>,
    /// What happened while it aired (a stream's losses and returns), in order.
    pub events: Vec<String>,
}

/// State shared by the program source (audio thread), the watcher and handles.
pub(crate) struct Shared {
    pub rate: u32,
    pub stop: AtomicBool,
    /// Set once `State::stop_at` holds a fade-end instant.
    pub stop_at: AtomicBool,
    /// Set by the watcher when it ended the broadcast (device failure).
    pub abort: AtomicBool,
    pub item_index: AtomicUsize,
    pub item_frames: AtomicU64,
    pub program_frames: AtomicU64,
    pub state: Mutex<State>,
}

#[derive(Default)]
pub(crate) struct State {
    pub reports: Vec<ItemReport>,
    /// (name, sha256) of the item on air.
    pub current: Option<(String, Option<String>)>,
    pub last_name: String,
    pub ended: Option<EndedBy>,
    pub first_sample: Option<Instant>,
    /// When the last emitted sample is on air (end of the broadcast as heard).
    pub end_on_air: Option<Instant>,
    /// The instant by which a scheduled stop's fade must have ended.
    pub stop_at: Option<Instant>,
}

impl Shared {
    pub fn new(rate: u32) -> Shared {
        Shared {
            rate,
            stop: AtomicBool::new(false),
            stop_at: AtomicBool::new(false),
            abort: AtomicBool::new(false),
            item_index: AtomicUsize::new(0),
            item_frames: AtomicU64::new(0),
            program_frames: AtomicU64::new(0),
            state: Mutex::new(State::default()),
        }
    }

    fn secs(&self, frames: u64) -> f64 {
        frames as f64 / f64::from(self.rate)
    }

    /// End the broadcast once: close the current item's report and record why.
    /// Returns false if it had already ended.
    pub fn end(&self, why: EndedBy, end_on_air: Option<Instant>) -> bool {
        let Ok(mut st) = self.state.lock() else {
            return false;
        };
        if st.ended.is_some() {
            return false;
        }
        if let Some((name, sha256)) = st.current.take() {
            let seconds = self.secs(self.item_frames.load(Ordering::Relaxed));
            st.reports.push(ItemReport {
                name,
                sha256,
                seconds,
                error: None,
                events: Vec::new(),
            });
        }
        st.ended = Some(why);
        st.end_on_air = end_on_air;
        true
    }
}

/// A cheap handle on a running (or ended) broadcast.
#[derive(Clone)]
pub struct Broadcast {
    pub(crate) shared: Arc<Shared>,
}

impl Broadcast {
    /// Fade out over ~0.3 s, then end (reported as `Stopped`). Idempotent.
    pub fn stop(&self) {
        self.shared.stop.store(true, Ordering::Relaxed);
    }

    /// End with a fade that is over when `at` goes on air (a scheduled preemption:
    /// the next broadcast's first sample is placed at `at`). The fade is the usual
    /// ~0.3 s, shorter when less time is left (never under 5 ms); from `at` on
    /// nothing of this broadcast is heard. Reported as `Stopped`. The first call wins;
    /// `stop` still ends it sooner.
    pub fn stop_at(&self, at: Instant) {
        if let Ok(mut st) = self.shared.state.lock() {
            if st.stop_at.is_none() {
                st.stop_at = Some(at);
            }
        }
        self.shared.stop_at.store(true, Ordering::Release);
    }

    pub fn progress(&self) -> Progress {
        let s = &self.shared;
        let item_name = s
            .state
            .lock()
            .map(|st| {
                st.current
                    .as_ref()
                    .map(|c| c.0.clone())
                    .unwrap_or_else(|| st.last_name.clone())
            })
            .unwrap_or_default();
        Progress {
            item_index: s.item_index.load(Ordering::Relaxed),
            item_name,
            position: frames_to_duration(s.item_frames.load(Ordering::Relaxed), s.rate),
            elapsed: frames_to_duration(s.program_frames.load(Ordering::Relaxed), s.rate),
        }
    }

    /// True once the broadcast has ended (on_done may still be pending for a few ms).
    pub fn is_ended(&self) -> bool {
        self.shared
            .state
            .lock()
            .map(|st| st.ended.is_some())
            .unwrap_or(true)
    }
}

/// How often the watcher looks at the device's health while waiting.
const WATCH_EVERY: Duration = Duration::from_millis(100);
/// Never wait longer than this for the tail of the audio to be heard.
const MAX_TAIL_WAIT: Duration = Duration::from_secs(1);

/// Spawn the watcher: it waits for the end (or a device failure), lets the last samples
/// reach the air, then calls `on_done` once. Returns the notifier the source uses.
pub(crate) fn spawn_watcher(
    shared: Arc<Shared>,
    clock: Arc<SinkClock>,
    on_done: Box<dyn FnOnce(BroadcastReport) + Send>,
) -> std::sync::mpsc::Sender<()> {
    let (tx, rx) = channel::<()>();
    let body = move || {
        // Items that ended early are logged from here, never from the audio thread.
        let mut logged = 0;
        let mut log_new = |shared: &Shared| {
            if let Ok(st) = shared.state.lock() {
                for r in st.reports.iter().skip(logged) {
                    if let Some(e) = &r.error {
                        tracing::warn!("{}: {e} (after {:.1} s)", r.name, r.seconds);
                    }
                }
                logged = st.reports.len();
            }
        };
        loop {
            match rx.recv_timeout(WATCH_EVERY) {
                Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {
                    log_new(&shared);
                    if let Some(reason) = clock.failure() {
                        if shared.end(EndedBy::DeviceFailed(reason), None) {
                            shared.abort.store(true, Ordering::Relaxed);
                        }
                        break;
                    }
                }
            }
        }
        log_new(&shared);
        let report = {
            let mut st = match shared.state.lock() {
                Ok(st) => st,
                Err(p) => p.into_inner(),
            };
            if st.ended.is_none() {
                // The source vanished without ending (cannot normally happen).
                st.ended = Some(EndedBy::DeviceFailed(
                    "the sound output was closed during the broadcast".into(),
                ));
            }
            if let Some(t) = st.end_on_air {
                let now = Instant::now();
                if t > now {
                    drop(st);
                    std::thread::sleep((t - now).min(MAX_TAIL_WAIT));
                    st = match shared.state.lock() {
                        Ok(st) => st,
                        Err(p) => p.into_inner(),
                    };
                }
            }
            BroadcastReport {
                items: std::mem::take(&mut st.reports),
                ended_by: st.ended.clone().unwrap_or(EndedBy::Completed),
                first_sample: st.first_sample,
            }
        };
        on_done(report);
    };
    if let Err(e) = std::thread::Builder::new()
        .name("loa-broadcast-watch".into())
        .spawn(body)
    {
        // Without a watcher on_done cannot be called; say so loudly in the log.
        tracing::error!("cannot start the broadcast watcher thread: {e}");
    }
    tx
}
