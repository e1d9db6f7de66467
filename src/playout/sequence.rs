//! The item sequence of one broadcast, on the audio thread: takes prepared items in
//! order, plays each to its end, runs stream windows ([`super::window`]: the relay,
//! its fallback while the link is down, the relay again once it is back), skips an
//! item that stays below the dead-air level too long, and reports every item reached.
//! Never blocks, never opens files, never logs (the watcher logs what ended early);
//! program-wide gain, fades and cuts are `program`'s.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::Arc;

use super::broadcast::{ItemReport, Shared, DEAD_AIR_DBFS};
use super::prepare::{Body, Prepared};
use super::window::{Window, CROSSFADE_FRAMES};
use crate::relay::LiveRead;

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
}

pub(crate) struct Sequence {
    items: Receiver<Vec<Prepared>>,
    pending: VecDeque<Prepared>,
    current: Option<Current>,
    /// A fallback item fading out under the returning stream, frames left.
    outgoing: Option<(Current, u32)>,
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
            outgoing: None,
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
                while self.windows.len() > i {
                    self.finish_window();
                }
                continue;
            }
            if self.windows.last().is_some_and(|w| w.on_stream) {
                match self.stream_frame(frame) {
                    Some(more) => return more,
                    None => continue,
                }
            }
            if self.windows.last().is_some_and(Window::ready) {
                self.return_to_stream();
                continue;
            }
            if let Some(cur) = self.current.as_mut() {
                match read(cur, frame) {
                    Read::Sound => {
                        cur.frames += 1;
                        self.shared.item_frames.store(cur.frames, Ordering::Relaxed);
                        if let Some(w) = self.windows.last_mut() {
                            w.fallback_frames += 1;
                        }
                        self.tick_windows();
                        if self.dead_air_reached(frame) {
                            let secs = self.quiet as f64 / f64::from(self.rate);
                            self.close_item(Some(format!(
                                "dead air: {secs:.1} s below {DEAD_AIR_DBFS} dBFS"
                            )));
                        }
                        return true;
                    }
                    Read::End => self.close_item(None),
                }
                continue;
            }
            match self.next_prepared() {
                Next::Item(p) => self.open_item(p),
                Next::Late => {
                    // The preparer is late: air silence rather than block.
                    frame.fill(0.0);
                    if let Some(w) = self.windows.last_mut() {
                        w.silence_frames += 1;
                    }
                    self.tick_windows();
                    return true;
                }
                Next::WindowDone => {
                    // No fallback left while the stream is down: the program goes on.
                    if let Some(w) = self.windows.last_mut() {
                        w.cut_short = true;
                    }
                    self.finish_window();
                }
                Next::Done => return false,
            }
        }
    }

    /// One frame from the innermost window's stream. `None`: it is lost (or given
    /// up) and the fallback takes this very frame.
    fn stream_frame(&mut self, frame: &mut [f32]) -> Option<bool> {
        let w = self.windows.last_mut()?;
        let got = match w.feed.as_mut() {
            Some(f) => f.read_frame(frame),
            None => LiveRead::Failed,
        };
        match got {
            LiveRead::Audio => {
                let g = w.fade_gain();
                let mix = g < 1.0 || self.outgoing.is_some();
                w.stream_frames += 1;
                self.shared
                    .item_frames
                    .store(w.stream_frames, Ordering::Relaxed);
                if mix {
                    self.crossfade(frame, g);
                }
                self.tick_windows();
                if self.dead_air_reached(frame) {
                    let secs = self.quiet as f64 / f64::from(self.rate);
                    if let Some(w) = self.windows.last_mut() {
                        let at = w.at();
                        w.events.push(format!(
                            "dead air: {secs:.1} s below {DEAD_AIR_DBFS} dBFS at {at}"
                        ));
                        w.on_stream = false;
                        w.feed = None;
                    }
                    self.quiet = 0;
                }
                Some(true)
            }
            LiveRead::Buffering => {
                frame.fill(0.0);
                w.silence_frames += 1;
                self.tick_windows();
                Some(true)
            }
            LiveRead::Lost | LiveRead::Failed => {
                w.lost();
                if matches!(got, LiveRead::Failed) {
                    w.feed = None;
                }
                self.quiet = 0;
                self.set_on_air(None);
                None
            }
        }
    }

    /// Mix the outgoing fallback item under the stream frame (stream gain `g`).
    fn crossfade(&mut self, frame: &mut [f32], g: f32) {
        for s in frame.iter_mut() {
            *s *= g;
        }
        let Some((cur, left)) = self.outgoing.as_mut() else {
            return;
        };
        let mut tmp = [0f32; 8];
        let n = frame.len().min(tmp.len());
        let ended = matches!(read(cur, &mut tmp[..n]), Read::End);
        if !ended {
            // The crossfade's frames count as the stream's, so the window adds up.
            for (s, o) in frame.iter_mut().zip(&tmp[..n]) {
                *s += o * (1.0 - g);
            }
        }
        *left = left.saturating_sub(1);
        if ended || *left == 0 {
            self.close_outgoing();
        }
    }

    fn close_outgoing(&mut self) {
        if let Some((cur, _)) = self.outgoing.take() {
            self.report_of(cur, Some("cut: the stream came back".into()));
        }
    }

    /// The stream is back and buffered: the fallback item on air fades out under it.
    fn return_to_stream(&mut self) {
        self.close_outgoing();
        let crossfade = self.current.is_some();
        if let Some(cur) = self.current.take() {
            self.outgoing = Some((cur, CROSSFADE_FRAMES));
        }
        self.quiet = 0;
        if let Some(w) = self.windows.last_mut() {
            w.back(crossfade);
            let name = w.name.clone();
            self.set_on_air(Some((name, None)));
        }
    }

    fn set_on_air(&self, item: Option<(String, Option<String>)>) {
        if let Ok(mut st) = self.shared.state.lock() {
            st.current = item;
        }
    }

    fn tick_windows(&mut self) {
        for w in &mut self.windows {
            w.tick();
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

    fn next_prepared(&mut self) -> Next {
        let (rx, pending) = match self.windows.last_mut() {
            Some(w) if w.on_stream => return Next::Late,
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
            Ok(Body::Live(live)) => {
                let live = *live;
                let Some(fallback) = live.fallback else {
                    return;
                };
                let slot = self.shared.state.lock().map_or(0, |st| st.reports.len());
                self.windows.push(Window {
                    left: live.window,
                    elapsed: 0,
                    feed: Some(live.feed),
                    name: p.name,
                    slot,
                    on_stream: true,
                    stream_frames: 0,
                    silence_frames: 0,
                    fallback_frames: 0,
                    has_fallback: live.has_fallback,
                    fallback,
                    pending: VecDeque::new(),
                    events: Vec::new(),
                    cut_short: false,
                    fade: 0,
                    fade_len: 0,
                    rate: self.rate,
                });
            }
            Ok(body) => {
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
                    events: Vec::new(),
                });
            }
        }
    }

    /// Close the innermost window: its stream's report goes where the stream stood
    /// in the program, followed by its silence, if any.
    fn finish_window(&mut self) {
        self.close_outgoing();
        let Some(w) = self.windows.pop() else {
            return;
        };
        if let Ok(mut st) = self.shared.state.lock() {
            if st.current.as_ref().is_some_and(|(n, _)| *n == w.name) {
                st.current = None;
            }
            let at = w.slot.min(st.reports.len());
            for (i, r) in w.reports().into_iter().enumerate() {
                st.reports.insert(at + i, r);
            }
        }
    }

    /// Report the current item (if any) as aired for its frames, with `error` if it
    /// ended early, and leave nothing on air.
    fn close_item(&mut self, error: Option<String>) {
        if let Some(cur) = self.current.take() {
            self.set_on_air(None);
            self.report_of(cur, error);
        }
    }

    fn report_of(&self, cur: Current, error: Option<String>) {
        self.report(ItemReport {
            name: cur.name,
            sha256: cur.sha256,
            seconds: cur.frames as f64 / f64::from(self.rate),
            error,
            events: Vec::new(),
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
        // Streams open as windows, never as the current item.
        Body::Live(_) => Read::End,
    }
}
