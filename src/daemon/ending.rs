//! How a broadcast ends: playout's report becomes the outcome record (with
//! the preemption or stop that cut it), the queued `play` goes on air, and on
//! SIGTERM whatever is on air fades out and is recorded `stopped`.
//!
//! Part of `Station` (see `station.rs`); runs on the scheduling loop's thread.

use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use chrono::Utc;

use super::events::Event;
use super::outcome::{self, StopCause};
use super::station::Station;
use crate::playout::{BroadcastReport, EndedBy};
use crate::record::Outcome;

impl Station {
    pub(super) fn done(&mut self, seq: u64, report: BroadcastReport) {
        let faded = self.fading.as_ref().is_some_and(|a| a.seq == seq);
        let a = if faded {
            self.fading.take()
        } else if self.on_air.as_ref().is_some_and(|a| a.seq == seq) {
            self.on_air.take()
        } else {
            None
        };
        let Some(mut a) = a else { return };
        if faded && report.ended_by == EndedBy::Completed {
            // It ran out before the preempting instant: it aired whole.
            a.cause = None;
        }
        if !faded {
            if let Ok(mut set) = self.in_use.lock() {
                set.clear();
            }
        }
        let failed = matches!(report.ended_by, EndedBy::DeviceFailed(_));
        if a.recorded {
            let ended = self.clock.now();
            let requested_by = a.requested_by.clone();
            let rec = outcome::finished(
                &a.occ,
                a.started,
                ended,
                self.tz(),
                &report,
                a.cause.as_ref(),
                a.not_active,
            );
            let mut rec = rec;
            super::resolve::tag_clips(&mut rec.items, &a.fed);
            if let Some(who) = requested_by {
                outcome::prepend_reason(&mut rec, format!("played by {who}"));
            }
            let aired: f64 = rec.items.iter().map(|i| i.seconds).sum();
            let first = match report.first_sample {
                Some(f) => {
                    let late = (self.clock.wall_of(f) - a.occ.start.with_timezone(&Utc))
                        .num_milliseconds();
                    format!("first sample {late} ms after its instant, {aired:.1} s aired")
                }
                None => "nothing aired".to_string(),
            };
            tracing::info!(
                "ended: {} {}{} ({first})",
                a.occ.id,
                rec.outcome.unwrap_or(Outcome::Aired),
                rec.reason
                    .as_ref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            );
            self.record(rec);
        } else if let EndedBy::DeviceFailed(why) = &report.ended_by {
            tracing::error!("output failed before {} started: {why}", a.occ.id);
        }
        if failed {
            self.output = None;
            self.open_error = Some(("output failed".into(), Instant::now()));
            self.power_off();
        }
    }

    /// SIGTERM: fade out what is on air, record it `stopped` (shutdown), exit.
    pub fn shutdown(&mut self, rx: &Receiver<Event>) {
        self.notifier.stopping();
        tracing::info!("shutting down");
        if self.on_air.is_some() || self.fading.is_some() {
            for a in self.on_air.iter_mut().chain(self.fading.iter_mut()) {
                if a.cause.is_none() {
                    a.cause = Some(StopCause::Shutdown);
                }
                a.broadcast.stop();
            }
            let deadline = Instant::now() + Duration::from_millis(1500);
            while self.on_air.is_some() || self.fading.is_some() {
                let left = deadline.saturating_duration_since(Instant::now());
                match rx.recv_timeout(left) {
                    Ok(Event::Done { seq, report }) => self.done(seq, report),
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
        }
        let left = [self.fading.take(), self.on_air.take()];
        for a in left.into_iter().flatten().filter(|a| a.recorded) {
            let report = BroadcastReport {
                items: Vec::new(),
                ended_by: EndedBy::Stopped,
                first_sample: None,
            };
            let cause = a.cause.clone().unwrap_or(StopCause::Shutdown);
            let rec = outcome::finished(
                &a.occ,
                a.started,
                self.clock.now(),
                self.tz(),
                &report,
                Some(&cause),
                a.not_active,
            );
            self.record(rec);
        }
        if self.output.take().is_some() {
            self.power_off();
        }
    }
}
