//! Putting a broadcast on air: the job for a scheduled occurrence, the output
//! opened for it (retried, released when idle, the amplifier relay), its items
//! resolved, and the hand-over to playout with the `on_air` record.
//!
//! Part of `Station` (see `station.rs`); runs on the scheduling loop's thread.

use std::time::Instant;

use chrono::{DateTime, Utc};

use super::events::Event;
use super::outcome;
use super::station::{Job, OnAir, Station, ARM_LEAD, RETRY_OPEN};
use super::{power, resolve};
use crate::config::Item;
use crate::playout::{BroadcastPlan, Leveling, Output};
use crate::record::Outcome;
use crate::schedule::Occurrence;

impl Station {
    pub(super) fn may_retry_open(&self) -> bool {
        self.open_error
            .as_ref()
            .is_none_or(|(_, t)| t.elapsed() >= RETRY_OPEN)
    }

    pub(super) fn open_output(&mut self) -> Result<(), String> {
        if self.output.is_some() {
            return Ok(());
        }
        if let Some(argv) = &self.cfg.output.power_on {
            if let Err(e) = power::run("power_on", argv) {
                tracing::warn!("{e}");
            }
        }
        let spec = self.output_spec();
        match Output::open(&spec, self.cfg.output.volume) {
            Ok(out) => {
                tracing::info!("output {spec} open");
                self.output = Some(out);
                self.open_error = None;
                Ok(())
            }
            Err(e) => {
                let msg = e.to_string();
                tracing::error!("{msg} (will retry)");
                self.open_error = Some((msg.clone(), Instant::now()));
                self.power_off();
                Err(msg)
            }
        }
    }

    pub(super) fn power_off(&self) {
        if let Some(argv) = &self.cfg.output.power_off {
            if let Err(e) = power::run("power_off", argv) {
                tracing::warn!("{e}");
            }
        }
    }

    pub(super) fn release_if_idle(&mut self, next: Option<&Occurrence>, now: DateTime<Utc>) {
        if self.on_air.is_some() || self.fading.is_some() || self.output.is_none() {
            return;
        }
        let soon = next.is_some_and(|n| {
            (n.start.with_timezone(&Utc) - now)
                .to_std()
                .unwrap_or_default()
                <= self.cfg.output.warmup + ARM_LEAD * 2
        });
        if !soon {
            self.output = None;
            tracing::info!("output released");
            self.power_off();
        }
    }

    /// The job for a scheduled occurrence: its program's items and settings.
    pub(super) fn job_for(&self, occ: Occurrence) -> Option<Job> {
        let program = self
            .sched
            .programs
            .get(occ.index)
            .filter(|p| p.id == occ.program)?;
        Some(Job {
            play: program.play.clone(),
            volume: program.volume,
            max_duration: program.max_duration,
            requested_by: None,
            feed: self.scopes.get(&program.id).cloned(),
            occ,
        })
    }

    /// Hand a job to playout, its first sample at `at` (now when `at` has passed).
    pub(super) fn start(&mut self, job: Job, at: Instant, now: DateTime<Utc>) {
        let first = priority_first(&job);
        let occ = job.occ;
        if let Err(reason) = self.open_output() {
            tracing::error!("failed {}: {reason}", occ.id);
            let reason = format!("output unavailable: {reason}");
            self.record(outcome::decided(
                &occ,
                Outcome::Failed,
                reason,
                now,
                self.tz(),
            ));
            return;
        }
        let resolve::Resolved {
            items,
            skipped: not_active,
            shas,
            fed,
        } = self.plan_items(&job.play, job.feed.as_deref(), first, at);
        if let Ok(mut set) = self.in_use.lock() {
            if self.fading.is_none() {
                set.clear();
            }
            set.extend(shas);
        }
        let plan = BroadcastPlan {
            items,
            volume: job.volume,
            max_duration: job.max_duration,
            leveling: self.cfg.output.loudness.map(|target_lufs| Leveling {
                target_lufs,
                cache: self.loudness.clone(),
            }),
            dead_air: Some(self.cfg.output.dead_air).filter(|d| !d.is_zero()),
        };
        self.seq += 1;
        let (seq, tx) = (self.seq, self.tx.clone());
        let Some(output) = self.output.as_ref() else {
            return;
        };
        let broadcast = output.start(
            plan,
            at,
            Box::new(move |report| {
                let _ = tx.send(Event::Done { seq, report });
            }),
        );
        let started = self.clock.wall_of(at.max(Instant::now()));
        let armed = at > Instant::now();
        let mut on_air = OnAir {
            seq,
            occ,
            broadcast,
            started,
            recorded: false,
            cause: None,
            not_active,
            fed,
            requested_by: job.requested_by,
        };
        if !armed {
            on_air.recorded = true;
            let late = (started - on_air.occ.start.with_timezone(&Utc)).num_milliseconds();
            tracing::info!(
                "on air: {} «{}» ({late} ms after its instant)",
                on_air.occ.id,
                on_air.occ.title
            );
            self.record(outcome::on_air(&on_air.occ, started, self.tz()));
        }
        self.on_air = Some(on_air);
    }

    /// Playout items for a program starting at `at`, resolved now (see `resolve`);
    /// "today" is the local date it goes on air (armed just before midnight, it is
    /// the new day's).
    pub(super) fn plan_items(
        &self,
        play: &[Item],
        feed: Option<&str>,
        first: bool,
        at: Instant,
    ) -> resolve::Resolved {
        let on_air = self.clock.wall_of(at.max(Instant::now()));
        let cx = resolve::Context {
            cfg: &self.cfg,
            view: &self.view,
            last_aired: self.asrun.last_aired(),
            today: on_air.with_timezone(&self.tz()).date_naive(),
            feed,
            priority_first: first,
        };
        resolve::resolve(&cx, play)
    }
}

/// Whether a job opens with today's due `priority` clips: a scheduled program of
/// the station's own (not a pushed broadcast, not an operator's `play`) with
/// priority < 100.
fn priority_first(job: &Job) -> bool {
    job.requested_by.is_none() && job.feed.is_none() && job.occ.priority < 100
}
