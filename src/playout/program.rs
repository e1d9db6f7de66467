//! The program source: the rodio `Source` one broadcast adds to the output's mixer.
//! From its first pull it holds silence until the frame that goes on air at the start
//! instant, then plays the item sequence (`sequence`) with gain, stop fade and the
//! max_duration cut, counting every frame it emits. Runs on the audio thread: never
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
pub(crate) const FADE: Duration = Duration::from_millis(300);

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
        if !self.sequence.next(&mut self.frame) {
            self.finish(EndedBy::Completed);
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
