//! The program source: the rodio `Source` one broadcast adds to the output's mixer.
//! From its first pull it holds silence until the frame that goes on air at the start
//! instant, then plays the item sequence (`sequence`) with gain, stop fade (or a fade
//! that ends at a scheduled stop instant) and the max_duration cut, counting every frame it emits. Runs on the audio thread: never
//! blocks, never opens files, never allocates per sample.

use std::num::NonZero;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rodio::source::SeekError;
use rodio::{ChannelCount, SampleRate, Source};

use super::backend::{duration_to_frames, frames_to_duration, SinkClock};
use super::broadcast::{EndedBy, Shared};
use super::prepare::Prepared;
use super::sequence::Sequence;

/// Length of the stop fade.
pub const FADE: Duration = Duration::from_millis(300);
/// The shortest fade of a scheduled stop that was asked for late (no click).
const MIN_FADE: Duration = Duration::from_millis(5);

enum Phase {
    /// Not pulled yet: the start frame is computed at the first pull.
    Unstarted,
    /// Silence frames left before the program.
    Lead(u64),
    Program,
}

pub(crate) struct ProgramSource {
    channels: u16,
    rate: u32,
    at: Instant,
    gain: f32,
    max_frames: Option<u64>,
    fade_frames: u64,
    fade_left: Option<u64>,
    /// Length of the fade under way (the full fade, or a scheduled stop's shorter one).
    fade_len: u64,
    /// When program frame 0 goes on air (known from the first pull).
    first: Option<Instant>,
    /// Program frame at which a scheduled stop's fade must be over.
    stop_frame: Option<u64>,
    phase: Phase,
    sequence: Sequence,
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
    pub dead_air: Option<Duration>,
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
            fade_len: 1,
            first: None,
            stop_frame: None,
            phase: Phase::Unstarted,
            sequence: Sequence::new(
                items,
                p.dead_air.map(|d| duration_to_frames(d, rate)),
                rate,
                shared.clone(),
            ),
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
            let first = on_air + frames_to_duration(lead, self.rate);
            self.first = Some(first);
            if let Ok(mut st) = self.shared.state.lock() {
                st.first_sample = Some(first);
            }
            self.phase = Phase::Lead(lead);
        }
        if self.stop_frame.is_none() && self.shared.stop_at.load(Ordering::Acquire) {
            self.stop_frame = self.scheduled_stop_frame();
        }
        let stop = stop || (self.stop_frame == Some(0) && self.program_frames == 0);
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
            self.fade_len = self.fade_frames;
        }
        if let (Some(end), None) = (self.stop_frame, self.fade_left) {
            // A scheduled stop: start the fade so that it is over at `end`.
            let left = end.saturating_sub(self.program_frames);
            if left <= self.fade_frames {
                let len = left.max(duration_to_frames(MIN_FADE, self.rate)).max(1);
                self.fade_left = Some(len);
                self.fade_len = len;
            }
        }
        if self.fade_left == Some(0) {
            self.finish(EndedBy::Stopped);
            return false;
        }
        if !self.sequence.next(&mut self.frame) {
            self.finish(EndedBy::Completed);
            return false;
        }
        let mut g = self.gain;
        if let Some(left) = self.fade_left.as_mut() {
            g *= *left as f32 / self.fade_len as f32;
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
}

impl ProgramSource {
    /// The program frame that goes on air at the scheduled stop instant (0 if that
    /// is before the first sample).
    fn scheduled_stop_frame(&self) -> Option<u64> {
        let at = self.shared.state.lock().ok()?.stop_at?;
        let first = self.first?;
        Some(duration_to_frames(
            at.saturating_duration_since(first),
            self.rate,
        ))
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
