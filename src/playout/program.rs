//! The program source: the rodio `Source` one broadcast adds to the output's mixer.
//! From its first pull it holds silence until the frame that goes on air at the start
//! instant, then plays the prepared items back to back with gain, stop fade and the
//! max_duration cut, counting every frame it emits. Runs on the audio thread: never
//! blocks, never opens files, never allocates per sample.

use std::collections::VecDeque;
use std::num::NonZero;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rodio::source::SeekError;
use rodio::{ChannelCount, SampleRate, Source};

use super::backend::{duration_to_frames, frames_to_duration, SinkClock};
use super::broadcast::{EndedBy, ItemReport, Shared};
use super::prepare::{Body, Prepared};

/// Length of the stop fade.
pub(crate) const FADE: Duration = Duration::from_millis(300);

enum Phase {
    /// Not pulled yet: the start frame is computed at the first pull.
    Unstarted,
    /// Silence frames left before the program.
    Lead(u64),
    Program,
}

struct Current {
    body: Body,
    /// Read position in `head` (Audio) or frames left (Silence).
    pos: usize,
}

pub(crate) struct ProgramSource {
    channels: u16,
    rate: u32,
    at: Instant,
    gain: f32,
    max_frames: Option<u64>,
    fade_frames: u64,
    fade_left: Option<u64>,
    phase: Phase,
    items: Receiver<Vec<Prepared>>,
    /// Received but not yet opened.
    pending: VecDeque<Prepared>,
    current: Option<Current>,
    item_frames: u64,
    program_frames: u64,
    frame: Vec<f32>,
    sub: usize,
    finished: bool,
    shared: Arc<Shared>,
    clock: Arc<SinkClock>,
    notify: Sender<()>,
}

pub(crate) struct Params {
    pub at: Instant,
    pub gain: f32,
    pub max_duration: Option<Duration>,
}

impl ProgramSource {
    pub fn new(
        p: Params,
        items: Receiver<Vec<Prepared>>,
        shared: Arc<Shared>,
        clock: Arc<SinkClock>,
        notify: Sender<()>,
    ) -> ProgramSource {
        let (channels, rate) = (clock.channels.max(1), clock.rate.max(1));
        ProgramSource {
            channels,
            rate,
            at: p.at,
            gain: if p.gain.is_finite() {
                p.gain.max(0.0)
            } else {
                0.0
            },
            max_frames: p.max_duration.map(|d| duration_to_frames(d, rate)),
            fade_frames: duration_to_frames(FADE, rate).max(1),
            fade_left: None,
            phase: Phase::Unstarted,
            items,
            pending: VecDeque::new(),
            current: None,
            item_frames: 0,
            program_frames: 0,
            frame: vec![0.0; usize::from(channels)],
            sub: 0,
            finished: false,
            shared,
            clock,
            notify,
        }
    }

    fn finish(&mut self, why: EndedBy) {
        if self.finished {
            return;
        }
        self.finished = true;
        let end_on_air = self.clock.on_air_now();
        self.shared.end(why, Some(end_on_air));
        let _ = self.notify.send(());
    }

    /// Fill `self.frame` with the next frame; false when the broadcast has ended.
    fn next_frame(&mut self) -> bool {
        if self.shared.abort.load(Ordering::Relaxed) {
            self.finished = true;
            return false;
        }
        let stop = self.shared.stop.load(Ordering::Relaxed);
        if let Phase::Unstarted = self.phase {
            let on_air = self.clock.on_air_now();
            let lead = if self.at > on_air {
                duration_to_frames(self.at - on_air, self.rate)
            } else {
                0
            };
            if let Ok(mut st) = self.shared.state.lock() {
                st.first_sample = Some(on_air + frames_to_duration(lead, self.rate));
            }
            self.phase = Phase::Lead(lead);
        }
        if let Phase::Lead(left) = self.phase {
            if stop {
                if let Ok(mut st) = self.shared.state.lock() {
                    st.first_sample = None;
                }
                self.finish(EndedBy::Stopped);
                return false;
            }
            if left > 0 {
                self.phase = Phase::Lead(left - 1);
                self.frame.fill(0.0);
                return true;
            }
            self.phase = Phase::Program;
        }
        if self.max_frames.is_some_and(|m| self.program_frames >= m) {
            self.finish(EndedBy::MaxDuration);
            return false;
        }
        if stop && self.fade_left.is_none() {
            self.fade_left = Some(self.fade_frames);
        }
        if self.fade_left == Some(0) {
            self.finish(EndedBy::Stopped);
            return false;
        }
        if !self.fill_from_items() {
            return false;
        }
        let mut g = self.gain;
        if let Some(left) = self.fade_left.as_mut() {
            g *= *left as f32 / self.fade_frames as f32;
            *left -= 1;
        }
        if g != 1.0 {
            self.frame.iter_mut().for_each(|s| *s *= g);
        }
        self.program_frames += 1;
        self.shared
            .program_frames
            .store(self.program_frames, Ordering::Relaxed);
        true
    }

    /// One frame from the current item, moving to the next as items end.
    fn fill_from_items(&mut self) -> bool {
        loop {
            if let Some(cur) = self.current.as_mut() {
                if read_frame(cur, &mut self.frame) {
                    self.item_frames += 1;
                    self.shared
                        .item_frames
                        .store(self.item_frames, Ordering::Relaxed);
                    return true;
                }
                self.close_item();
                continue;
            }
            if let Some(p) = self.pending.pop_front() {
                self.open_item(p);
                continue;
            }
            match self.items.try_recv() {
                Ok(batch) => self.pending.extend(batch),
                Err(TryRecvError::Empty) => {
                    // The preparer is late: air silence rather than block.
                    self.frame.fill(0.0);
                    return true;
                }
                Err(TryRecvError::Disconnected) => {
                    self.finish(EndedBy::Completed);
                    return false;
                }
            }
        }
    }

    fn open_item(&mut self, p: Prepared) {
        self.shared.item_index.store(p.index, Ordering::Relaxed);
        self.item_frames = 0;
        self.shared.item_frames.store(0, Ordering::Relaxed);
        let Ok(mut st) = self.shared.state.lock() else {
            return;
        };
        st.last_name = p.name.clone();
        match p.body {
            Ok(body) => {
                st.current = Some((p.name, p.sha256));
                self.current = Some(Current { body, pos: 0 });
            }
            Err(error) => {
                tracing::debug!("skipping {}: {error}", p.name);
                st.reports.push(ItemReport {
                    name: p.name,
                    sha256: p.sha256,
                    seconds: 0.0,
                    error: Some(error),
                });
            }
        }
    }

    fn close_item(&mut self) {
        self.current = None;
        let seconds = self.item_frames as f64 / f64::from(self.rate);
        if let Ok(mut st) = self.shared.state.lock() {
            if let Some((name, sha256)) = st.current.take() {
                st.reports.push(ItemReport {
                    name,
                    sha256,
                    seconds,
                    error: None,
                });
            }
        }
    }
}

/// Read one frame; a partial last frame is padded with silence. False at the end.
fn read_frame(cur: &mut Current, frame: &mut [f32]) -> bool {
    match &mut cur.body {
        Body::Silence(left) => {
            if *left == 0 {
                return false;
            }
            *left -= 1;
            frame.fill(0.0);
            true
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
            got > 0
        }
    }
}

impl Drop for ProgramSource {
    fn drop(&mut self) {
        if !self.finished {
            let reason = self
                .clock
                .failure()
                .unwrap_or_else(|| "the sound output was closed during the broadcast".into());
            self.finished = true;
            self.shared.end(EndedBy::DeviceFailed(reason), None);
            let _ = self.notify.send(());
        }
    }
}

impl Iterator for ProgramSource {
    type Item = f32;

    #[inline]
    fn next(&mut self) -> Option<f32> {
        if self.finished {
            return None;
        }
        if self.sub == 0 && !self.next_frame() {
            return None;
        }
        let v = self.frame[self.sub];
        self.sub += 1;
        if self.sub == self.frame.len() {
            self.sub = 0;
        }
        Some(v)
    }
}

impl Source for ProgramSource {
    fn current_span_len(&self) -> Option<usize> {
        None
    }
    fn channels(&self) -> ChannelCount {
        NonZero::new(self.channels).unwrap_or(NonZero::<u16>::MIN)
    }
    fn sample_rate(&self) -> SampleRate {
        NonZero::new(self.rate).unwrap_or(NonZero::<u32>::MIN)
    }
    fn total_duration(&self) -> Option<Duration> {
        None
    }
    fn try_seek(&mut self, _: Duration) -> Result<(), SeekError> {
        Err(SeekError::NotSupported {
            underlying_source: "loa program",
        })
    }
}
