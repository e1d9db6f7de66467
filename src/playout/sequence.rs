//! The item sequence of one broadcast, on the audio thread: takes prepared items in
//! order, plays each to its end, opens stream windows (a live relay, or its fallback
//! once the relay fails or goes silent, until the window's time is up), skips an item
//! that stays below the dead-air level too long, and reports every item reached.
//! Never blocks, never opens files, never logs (the watcher logs what ended early);
//! program-wide gain, fades and cuts are `program`'s.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::Arc;

use super::broadcast::{ItemReport, Shared, DEAD_AIR_DBFS};
use super::prepare::{Body, Prepared};
use crate::relay::LiveRead;

/// A stream item's window: its time left, and where its fallback comes from.
struct Window {
    /// Frames left before the window closes (whatever is on air is then cut).
    left: u64,
    /// The stream is still the item on air (false once it failed: fallback mode).
    live: bool,
    has_fallback: bool,
    fallback: Receiver<Vec<Prepared>>,
    pending: VecDeque<Prepared>,
}

struct Current {
    body: Body,
    /// Read position in `head` (Audio) or frames left (Silence).
    pos: usize,
    name: String,
    sha256: Option<String>,
    /// Frames aired so far.
    frames: u64,
}

/// How reading one frame of the current item went.
enum Read {
    Sound,
    End,
    /// A live stream gave up for good (reason from the relay).
    Lost(String),
}

pub(crate) struct Sequence {
    items: Receiver<Vec<Prepared>>,
    pending: VecDeque<Prepared>,
    current: Option<Current>,
    windows: Vec<Window>,
    /// Dead-air limit in frames (None = no watch) and the quiet run so far.
    dead_air: Option<u64>,
    quiet: u64,
    threshold: f32,
    rate: u32,
    shared: Arc<Shared>,
}

impl Sequence {
    pub fn new(
        items: Receiver<Vec<Prepared>>,
        dead_air: Option<u64>,
        rate: u32,
        shared: Arc<Shared>,
    ) -> Sequence {
        Sequence {
            items,
            pending: VecDeque::new(),
            current: None,
            windows: Vec::new(),
            dead_air,
            quiet: 0,
            threshold: 10f32.powf(DEAD_AIR_DBFS / 20.0),
            rate: rate.max(1),
            shared,
        }
    }

    /// Fill `frame` with the next frame of the program; false when every item is done.
    pub fn next(&mut self, frame: &mut [f32]) -> bool {
        loop {
            if let Some(i) = self.windows.iter().position(|w| w.left == 0) {
                // The window's time is up: cut what is on air, close it (and any
                // window opened inside it).
                self.close_item(None);
                self.windows.truncate(i);
                continue;
            }
            if let Some(cur) = self.current.as_mut() {
                match read(cur, frame) {
                    Read::Sound => {
                        cur.frames += 1;
                        self.shared.item_frames.store(cur.frames, Ordering::Relaxed);
                        self.tick_windows();
                        if self.dead_air_reached(frame) {
                            let secs = self.quiet as f64 / f64::from(self.rate);
                            self.fail_current(format!(
                                "dead air: {secs:.1} s below {DEAD_AIR_DBFS} dBFS"
                            ));
                        }
                        return true;
                    }
                    Read::End => self.close_item(None),
                    Read::Lost(why) => self.fail_current(why),
                }
                continue;
            }
            match self.next_prepared() {
                Next::Item(p) => self.open_item(p),
                Next::Late => {
                    // The preparer is late: air silence rather than block.
                    frame.fill(0.0);
                    self.tick_windows();
                    return true;
                }
                Next::WindowDone => {
                    // The fallback ran out before the window did: move on.
                    self.windows.pop();
                }
                Next::Done => return false,
            }
        }
    }

    fn tick_windows(&mut self) {
        for w in &mut self.windows {
            w.left = w.left.saturating_sub(1);
        }
    }

    /// Count quiet frames of clips and streams (never of silence items).
    fn dead_air_reached(&mut self, frame: &[f32]) -> bool {
        let Some(limit) = self.dead_air else {
            return false;
        };
        if matches!(
            self.current.as_ref().map(|c| &c.body),
            Some(Body::Silence(_))
        ) {
            return false;
        }
        if frame.iter().any(|s| s.abs() >= self.threshold) {
            self.quiet = 0;
            return false;
        }
        self.quiet += 1;
        self.quiet >= limit
    }

    /// End the current item early with `why`; a live stream hands over to its fallback.
    fn fail_current(&mut self, why: String) {
        let live = matches!(self.current.as_ref().map(|c| &c.body), Some(Body::Live(_)));
        let why = match self.windows.last() {
            Some(w) if live && w.has_fallback => format!("{why}; fallback aired"),
            Some(_) if live => format!("{why}; no fallback"),
            _ => why,
        };
        self.close_item(Some(why));
    }

    fn next_prepared(&mut self) -> Next {
        let (rx, pending) = match self.windows.last_mut() {
            Some(w) => (&w.fallback, &mut w.pending),
            None => (&self.items, &mut self.pending),
        };
        loop {
            if let Some(p) = pending.pop_front() {
                return Next::Item(p);
            }
            match rx.try_recv() {
                Ok(batch) => pending.extend(batch),
                Err(TryRecvError::Empty) => return Next::Late,
                Err(TryRecvError::Disconnected) if self.windows.is_empty() => return Next::Done,
                Err(TryRecvError::Disconnected) => return Next::WindowDone,
            }
        }
    }

    fn open_item(&mut self, p: Prepared) {
        if self.windows.is_empty() {
            self.shared.item_index.store(p.index, Ordering::Relaxed);
        }
        self.shared.item_frames.store(0, Ordering::Relaxed);
        self.quiet = 0;
        if let Ok(mut st) = self.shared.state.lock() {
            st.last_name = p.name.clone();
            if p.body.is_ok() {
                st.current = Some((p.name.clone(), p.sha256.clone()));
            }
        }
        match p.body {
            Ok(mut body) => {
                if let Body::Live(live) = &mut body {
                    if let Some(fallback) = live.fallback.take() {
                        self.windows.push(Window {
                            left: live.window,
                            live: true,
                            has_fallback: live.has_fallback,
                            fallback,
                            pending: VecDeque::new(),
                        });
                    }
                }
                self.current = Some(Current {
                    body,
                    pos: 0,
                    name: p.name,
                    sha256: p.sha256,
                    frames: 0,
                });
            }
            Err(error) => {
                self.report(ItemReport {
                    name: p.name,
                    sha256: p.sha256,
                    seconds: 0.0,
                    error: Some(error),
                });
            }
        }
    }

    /// Report the current item (if any) as aired for its frames, with `error` if it
    /// ended early, and leave nothing on air.
    fn close_item(&mut self, error: Option<String>) {
        let Some(cur) = self.current.take() else {
            return;
        };
        if let Ok(mut st) = self.shared.state.lock() {
            st.current = None;
        }
        if matches!(cur.body, Body::Live(_)) {
            if let Some(w) = self.windows.last_mut() {
                w.live = false;
            }
        }
        self.report(ItemReport {
            name: cur.name,
            sha256: cur.sha256,
            seconds: cur.frames as f64 / f64::from(self.rate),
            error,
        });
    }

    fn report(&self, r: ItemReport) {
        if let Ok(mut st) = self.shared.state.lock() {
            st.reports.push(r);
        }
    }
}

enum Next {
    Item(Prepared),
    /// Nothing prepared yet.
    Late,
    /// The innermost window's fallback has nothing more.
    WindowDone,
    /// The plan is done.
    Done,
}

/// Read one frame; a partial last frame is padded with silence.
fn read(cur: &mut Current, frame: &mut [f32]) -> Read {
    match &mut cur.body {
        Body::Silence(left) => {
            if *left == 0 {
                return Read::End;
            }
            *left -= 1;
            frame.fill(0.0);
            Read::Sound
        }
        Body::Audio { head, rest } => {
            let mut got = 0;
            for s in frame.iter_mut() {
                let v = if cur.pos < head.len() {
                    cur.pos += 1;
                    Some(head[cur.pos - 1])
                } else {
                    rest.next()
                };
                match v {
                    Some(v) => {
                        *s = v;
                        got += 1;
                    }
                    None => *s = 0.0,
                }
            }
            if got > 0 {
                Read::Sound
            } else {
                Read::End
            }
        }
        Body::Live(live) => match live.feed.read_frame(frame) {
            LiveRead::Audio | LiveRead::Buffering => Read::Sound,
            LiveRead::Failed => Read::Lost(
                live.feed
                    .failure()
                    .unwrap_or_else(|| "the stream failed".into()),
            ),
        },
    }
}
