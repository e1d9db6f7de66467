//! playout: plays one broadcast (a list of items) on an output, its first sample at a
//! precise instant, and reports what aired. Outputs: sound devices (cpal), `wav:PATH`
//! and `null` (real-time-paced). Knows nothing of schedules, logs or config files.
//! Threads only: the output's (audio callback or pacer), one preparer and one watcher
//! per broadcast.

mod backend;
mod broadcast;
mod device;
mod paced;
mod prepare;
mod program;
mod sequence;
mod spec;
mod wavfile;
mod window;

#[cfg(test)]
mod leveling_tests;
#[cfg(test)]
mod preempt_tests;
#[cfg(test)]
mod pulse_check;
#[cfg(test)]
mod sequence_tests;
#[cfg(test)]
mod tests;

use std::time::Instant;

pub use broadcast::{
    Broadcast, BroadcastPlan, BroadcastReport, EndedBy, ItemReport, Leveling, PlanItem, Progress,
    DEAD_AIR_DBFS,
};
pub(crate) use prepare::sha256_file;
pub use program::FADE;
pub use spec::OutputSpec;
pub use wavfile::{read_sidecar, sidecar_path};

use backend::Backend;

/// Errors of the playout module.
#[derive(Debug, thiserror::Error)]
pub enum PlayoutError {
    /// The output could not be opened.
    #[error("cannot open sound output `{output}`: {reason}")]
    Open { output: String, reason: String },
}

/// An open output. Dropping it releases the device (stream closed, wav file finalised);
/// a broadcast still running then ends with `DeviceFailed`.
pub struct Output {
    backend: Box<dyn Backend>,
    spec: OutputSpec,
    master_volume: f32,
}

impl Output {
    /// Open `spec`. `master_volume` multiplies every broadcast's volume.
    pub fn open(spec: &OutputSpec, master_volume: f32) -> Result<Output, PlayoutError> {
        let opener = backend::find(spec.backend_name()).ok_or_else(|| PlayoutError::Open {
            output: spec.to_string(),
            reason: "no backend for this kind of output".into(),
        })?;
        let backend = opener(spec)?;
        Ok(Output {
            backend,
            spec: spec.clone(),
            master_volume,
        })
    }

    /// Start a broadcast whose first sample goes out at `at` (silence until then; if
    /// `at` is past, at once). `on_done` is called once, from a playout thread, when it
    /// ends for any reason (after its last sample has gone on air).
    pub fn start(
        &self,
        plan: BroadcastPlan,
        at: Instant,
        on_done: Box<dyn FnOnce(BroadcastReport) + Send>,
    ) -> Broadcast {
        let clock = std::sync::Arc::clone(self.backend.clock());
        let shared = std::sync::Arc::new(broadcast::Shared::new(clock.rate));
        let notify = broadcast::spawn_watcher(shared.clone(), clock.clone(), on_done);
        let setup = prepare::Setup {
            channels: clock.channels,
            rate: clock.rate,
            leveling: plan.leveling,
            prefix: String::new(),
            starts_at: Some(at),
            lazy_streams: false,
        };
        let items = prepare::spawn(plan.items, setup);
        let source = program::ProgramSource::new(
            program::Params {
                at,
                gain: plan.volume * self.master_volume,
                max_duration: plan.max_duration,
                dead_air: plan.dead_air,
            },
            items,
            shared.clone(),
            clock,
            notify,
        );
        self.backend.mixer().add(source);
        Broadcast { shared }
    }

    /// The device's failure since open (cpal error callback, wav write error, stall).
    pub fn failure(&self) -> Option<String> {
        self.backend.clock().failure()
    }

    /// Treat every frame as going on air `offset` earlier than the device reports, so
    /// broadcasts start that much later. Default zero: sound devices are trusted (their
    /// reported playback delay is compensated), paced sinks are exact. Useful when "on
    /// air" is measured at a tap ahead of the device's clock, e.g. a PulseAudio null
    /// sink's monitor, which renders one block (the recorder's latency) early.
    pub fn set_latency_offset(&self, offset: std::time::Duration) {
        self.backend.clock().set_offset(offset);
    }

    /// What this output was opened as.
    pub fn spec(&self) -> &OutputSpec {
        &self.spec
    }

    /// The output's sample rate and channel count.
    pub fn format(&self) -> (u32, u16) {
        let c = self.backend.clock();
        (c.rate, c.channels)
    }
}
