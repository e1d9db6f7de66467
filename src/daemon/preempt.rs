//! Scheduled preemption: a higher-priority occurrence known in advance takes the
//! output at its instant, like any other start. The broadcast on air is told to
//! fade out so that its fade is over at that instant (`Broadcast::stop_at`), and the
//! preempting one is armed on the same open output (no warm-up or power-on needed:
//! the amplifier is already on) to place its first sample there. The faded one is
//! kept aside until playout reports it, then recorded `preempted`. Takeovers that
//! arrive unannounced (`loa play --priority`, a due occurrence not armed in time)
//! still fade first and start after (see `station::take_due` and `requests`).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::outcome::StopCause;
use super::station::{Station, ARM_LEAD};
use crate::playout::FADE;
use crate::schedule::{self, Occurrence};

/// How far ahead of a preempting start the loop acts: the whole fade, plus the
/// margin every armed start gets.
pub(super) const PREEMPT_LEAD: Duration = FADE.saturating_add(ARM_LEAD);

impl Station {
    /// If `next` will preempt what is on air and its instant is within
    /// [`PREEMPT_LEAD`]: fade the broadcast on air out to end at the instant, and arm
    /// `next` at it. Returns true when it did.
    pub(super) fn preempt_ahead(&mut self, next: &Occurrence, now: DateTime<Utc>) -> bool {
        let start = next.start.with_timezone(&Utc);
        let lead = (start - now).to_std().unwrap_or_default();
        if lead > PREEMPT_LEAD || self.fading.is_some() || self.output.is_none() {
            return false;
        }
        let preempts = self.on_air.as_ref().is_some_and(|a| {
            a.recorded && a.cause.is_none() && schedule::preempts(next, a.occ.priority)
        });
        if !preempts {
            return false;
        }
        let Some(job) = self.job_for(next.clone()) else {
            return false;
        };
        let Some(mut cur) = self.on_air.take() else {
            return false;
        };
        let at = self.clock.instant_of(start);
        tracing::info!(
            "{} (priority {}) preempts {} (priority {}) at its instant: fading out over the last {} ms before it",
            next.id,
            next.priority,
            cur.occ.id,
            cur.occ.priority,
            at.saturating_duration_since(Instant::now())
                .min(FADE)
                .as_millis()
        );
        cur.cause = Some(StopCause::Preempted(next.id.clone()));
        cur.broadcast.stop_at(at);
        self.fading = Some(cur);
        self.start(job, at, now);
        true
    }
}
