//! Daemon state: the config in force, the open output, what is on air, and
//! the facts the scheduler needs — plus the actions that change them.
//!
//! Every change of state happens on the scheduling loop's thread, in `pass`
//! (time moved) or `handle` (an event arrived). Going on air is `start.rs`,
//! ending (and shutdown) `ending.rs`, preemption `preempt.rs`, operators'
//! requests `requests.rs`, the hub's timetable `hub.rs`.

use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::events::Event;
use super::feeds::{self, InUse, Worker};
use super::notify::Notifier;
use super::outcome::{self, human, StopCause};
use super::preempt::PREEMPT_LEAD;
use super::{analyze, Options, MAX_SLEEP};
use crate::clock::Clock;
use crate::config::{Config, Item};
use crate::feed::view::{self, FeedView};
use crate::playout::{Broadcast, Output, OutputSpec};
use crate::record::{AsRun, ItemAired, Outcome, Record};
use crate::schedule::{self, Facts, Occurrence};

/// A broadcast is handed to playout this long before its start, so its first
/// sample is placed at the instant by playout rather than by our wake-up.
pub(super) const ARM_LEAD: Duration = Duration::from_millis(250);
/// After a device fails to open, wait this long before trying again when
/// nothing is due.
pub(super) const RETRY_OPEN: Duration = Duration::from_secs(10);

/// A broadcast to hand to playout: a scheduled occurrence or an operator's `play`.
pub(super) struct Job {
    pub occ: Occurrence,
    pub play: Vec<Item>,
    pub volume: f32,
    pub max_duration: Option<Duration>,
    /// Who asked for it (`loa play`), for the as-run record.
    pub requested_by: Option<String>,
    /// For a pushed broadcast: the feed its clip ids belong to.
    pub feed: Option<String>,
}

pub(super) struct OnAir {
    pub seq: u64,
    pub occ: Occurrence,
    pub broadcast: Broadcast,
    /// Wall time of the first sample.
    pub started: DateTime<Utc>,
    /// The `on_air` record is written (false while armed ahead of the start).
    pub recorded: bool,
    pub cause: Option<StopCause>,
    pub not_active: Vec<ItemAired>,
    /// The feed clips in its plan (the as-run items' `clip`).
    pub fed: Vec<super::resolve::Fed>,
    pub requested_by: Option<String>,
}

pub struct Station {
    pub cfg: Config,
    /// What the scheduler sees: `cfg` plus the feeds' pushed broadcasts.
    pub(super) sched: Config,
    /// Pushed program id -> its feed.
    pub(super) scopes: std::collections::HashMap<String, String>,
    pub(super) view: FeedView,
    pub(super) in_use: InUse,
    worker: Option<Worker>,
    pub notifier: Notifier,
    pub(super) clock: Clock,
    pub(super) boot: DateTime<Utc>,
    output_override: Option<String>,
    pub(super) asrun: AsRun,
    pub(super) facts: Facts,
    pub(super) tx: Sender<Event>,
    pub(super) output: Option<Output>,
    pub(super) open_error: Option<(String, Instant)>,
    pub(super) on_air: Option<OnAir>,
    /// A broadcast fading out to make room for a scheduled preemption (armed in
    /// `on_air`); recorded when playout reports its end.
    pub(super) fading: Option<OnAir>,
    /// An operator's `play`, waiting for the output to be free.
    pub(super) queued: Option<Job>,
    pub(super) seq: u64,
    distrusted_logged: bool,
    last_status: String,
    /// Clip loudness, measured once per content hash (STATE/loudness.json).
    pub(super) loudness: crate::loudness::Cache,
    analyzer: Option<analyze::Analyzer>,
    /// The link to the hub the station is enrolled with (`crate::link`).
    pub link: Option<crate::link::Link>,
    /// The hub's timetable merged into `cfg` (`daemon::hub`).
    pub(super) hub: crate::link::programs::Merged,
}

impl Station {
    pub fn new(cfg: Config, opts: Options, asrun: AsRun, tx: Sender<Event>) -> Station {
        let facts: Facts = asrun.facts().clone();
        let view = FeedView::read(&cfg.paths.state).unwrap_or_else(|e| {
            tracing::error!("cannot read the feed store: {e}; airing station clips only");
            FeedView::default()
        });
        let (sched, scopes) = view::with_pushed(&cfg, &view);
        let in_use = InUse::default();
        let cfg_state = cfg.paths.state.clone();
        let worker = feeds::spawn(&cfg, tx.clone(), in_use.clone());
        Station {
            sched,
            scopes: scopes.into_iter().collect(),
            view,
            in_use,
            worker,
            cfg,
            notifier: Notifier::new(),
            boot: opts.clock.now(),
            clock: opts.clock,
            output_override: opts.output,
            asrun,
            facts,
            tx,
            output: None,
            open_error: None,
            on_air: None,
            fading: None,
            queued: None,
            seq: 0,
            distrusted_logged: false,
            last_status: String::new(),
            loudness: crate::loudness::Cache::open(&cfg_state),
            analyzer: None,
            link: None,
            hub: Default::default(),
        }
    }

    /// Have the background analyzer measure every clip that may air (when clips
    /// are levelled): at start, after a reload, when the store changes.
    pub(super) fn analyze(&mut self) {
        let Some(target) = self.cfg.output.loudness else {
            return;
        };
        if self.analyzer.is_none() {
            self.analyzer = analyze::Analyzer::spawn(self.loudness.clone());
        }
        if let Some(a) = &self.analyzer {
            a.request(analyze::clips(&self.cfg, &self.view), target);
        }
    }

    pub fn output_spec(&self) -> OutputSpec {
        OutputSpec::parse(
            self.output_override
                .as_deref()
                .unwrap_or(&self.cfg.output.device),
        )
    }

    pub(super) fn tz(&self) -> chrono_tz::Tz {
        self.cfg.station.timezone
    }

    /// Append a record and keep the scheduler's facts in step with the log.
    pub(super) fn record(&mut self, rec: Record) {
        let instants: Vec<DateTime<Utc>> = [rec.started, rec.ended]
            .into_iter()
            .flatten()
            .map(|t| t.with_timezone(&Utc))
            .collect();
        let id = rec.occurrence.clone();
        let scheduled = rec.scheduled.with_timezone(&Utc);
        if let Err(e) = self.asrun.append(rec) {
            tracing::error!("cannot write the as-run log: {e}");
        }
        // A broadcast started or ended: heartbeat and upload now.
        if let Some(l) = &self.link {
            l.kick();
        }
        // Even when the write failed: what was decided is never decided again.
        self.facts.note(&id, scheduled, instants);
    }

    /// Close occurrences left on air by a power cut or kill: `partial`, never re-aired.
    /// Their ids are already in the done set, so the facts do not change.
    pub fn close_interrupted(&mut self) {
        match self.asrun.close_interrupted() {
            Ok(ids) => {
                for id in ids {
                    tracing::warn!(
                        "{id} was on air when loa last stopped: closed as partial (interrupted)"
                    );
                }
            }
            Err(e) => tracing::error!("cannot close interrupted broadcasts: {e}"),
        }
    }

    /// One look at the clock: record what was decided, start or arm what is
    /// due, open or release the output. Returns how long to sleep.
    pub fn pass(&mut self) -> Duration {
        let now = self.clock.now();
        if !schedule::clock_trusted(&self.facts, now) {
            if !self.distrusted_logged {
                tracing::error!(
                    "the clock reads {now}, earlier than the newest as-run record ({}): nothing is scheduled until the clock is set",
                    self.facts.newest.map(|t| t.to_rfc3339()).unwrap_or_default()
                );
                self.distrusted_logged = true;
            }
            self.set_status("waiting for the clock to be set".into());
            return MAX_SLEEP;
        }
        if std::mem::take(&mut self.distrusted_logged) {
            tracing::info!("the clock is trusted again ({now}): scheduling resumes");
        }
        if view::stamp(&self.cfg.paths.state) != self.view.stamp {
            self.refresh_feeds();
        }
        let plan = schedule::plan(&self.sched, &self.facts, now, self.boot);
        for (occ, reason) in plan.skipped {
            tracing::info!("skipped {}: {reason}", occ.id);
            self.record(outcome::decided(
                &occ,
                Outcome::Skipped,
                reason,
                now,
                self.tz(),
            ));
        }
        for occ in plan.missed {
            let reason = self.missed_reason(&occ, now);
            tracing::warn!("missed {}: {reason}", occ.id);
            self.record(outcome::decided(
                &occ,
                Outcome::Missed,
                reason,
                now,
                self.tz(),
            ));
        }
        if self.on_air.is_none() {
            if let Some(job) = self.queued.take() {
                self.start(job, Instant::now(), now);
            }
        }
        if let Some(top) = plan.due.into_iter().next() {
            self.take_due(top, now);
        }
        if let Some(next) = &plan.next {
            if !self.preempt_ahead(next, now) {
                self.prepare(next, now);
            }
        }
        self.release_if_idle(plan.next.as_ref(), now);
        let status = match (&self.on_air, &plan.next) {
            (Some(a), _) if a.recorded => format!("on air: {}", a.occ.id),
            (_, Some(n)) => format!("next: {}", n.id),
            _ => "nothing scheduled".into(),
        };
        self.set_status(status);
        self.sleep_until_next(plan.next.as_ref(), now)
    }

    fn set_status(&mut self, s: String) {
        if s != self.last_status {
            self.notifier.status(&s);
            self.last_status = s;
        }
    }

    fn missed_reason(&self, occ: &Occurrence, now: DateTime<Utc>) -> String {
        let late = (now - occ.start.with_timezone(&Utc))
            .to_std()
            .unwrap_or_default();
        let limit = human(occ.late_limit);
        if occ.start.with_timezone(&Utc) < self.boot {
            format!(
                "loa was not running at the time ({} late, late_limit {limit})",
                human(late)
            )
        } else if let Some(a) = self.on_air.as_ref().filter(|a| a.recorded) {
            format!("output busy with {} past the late_limit {limit}", a.occ.id)
        } else {
            format!("could not start within the late_limit {limit}")
        }
    }

    /// The most urgent due occurrence: start it, confirm it if armed, or preempt.
    fn take_due(&mut self, top: Occurrence, now: DateTime<Utc>) {
        let Some(cur) = self.on_air.as_mut() else {
            if let Some(job) = self.job_for(top) {
                self.start(job, Instant::now(), now);
            }
            return;
        };
        if cur.occ.id == top.id {
            if !cur.recorded {
                cur.recorded = true;
                let rec = outcome::on_air(&cur.occ, cur.started, self.cfg.station.timezone);
                let late = (now - cur.occ.start.with_timezone(&Utc)).num_milliseconds();
                tracing::info!(
                    "on air: {} «{}» (first sample placed at its instant; loop woke {late} ms after it)",
                    cur.occ.id,
                    cur.occ.title
                );
                self.record(rec);
            }
            return;
        }
        if cur.cause.is_some() {
            return; // already stopping; the due one starts when it has ended
        }
        if !cur.recorded {
            tracing::info!("disarming {}: {} is due first", cur.occ.id, top.id);
            cur.cause = Some(StopCause::Preempted(top.id.clone()));
            cur.broadcast.stop();
        } else if schedule::preempts(&top, cur.occ.priority) {
            tracing::info!(
                "{} (priority {}) preempts {} (priority {})",
                top.id,
                top.priority,
                cur.occ.id,
                cur.occ.priority
            );
            cur.cause = Some(StopCause::Preempted(top.id.clone()));
            cur.broadcast.stop();
        }
    }

    /// Open the output (and power the amplifier) ahead of the next start; arm it.
    fn prepare(&mut self, next: &Occurrence, now: DateTime<Utc>) {
        let lead = (next.start.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or_default();
        if lead <= self.cfg.output.warmup + ARM_LEAD
            && self.output.is_none()
            && self.may_retry_open()
            && self.open_output().is_ok()
        {
            self.warm_opening_stream(next);
        }
        if lead <= ARM_LEAD && self.on_air.is_none() && self.output.is_some() {
            let at = self.clock.instant_of(next.start.with_timezone(&Utc));
            if let Some(job) = self.job_for(next.clone()) {
                self.start(job, at, now);
            }
        }
    }

    /// A program that opens with a stream: connect it now, during the warm-up, so
    /// its first sample airs at the instant (the relay takes this connection).
    fn warm_opening_stream(&self, next: &Occurrence) {
        let first = self
            .sched
            .programs
            .get(next.index)
            .filter(|p| p.id == next.program)
            .and_then(|p| p.play.first());
        if let Some(crate::config::Item::Stream { url, .. }) = first {
            crate::relay::warm_up(
                url,
                crate::relay::RelayOptions::new(2, 48_000).connect_timeout,
            );
        }
    }

    fn sleep_until_next(&self, next: Option<&Occurrence>, now: DateTime<Utc>) -> Duration {
        let Some(next) = next else { return MAX_SLEEP };
        let lead = (next.start.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or_default();
        let mut marks = vec![lead];
        for before in [self.cfg.output.warmup + ARM_LEAD, PREEMPT_LEAD, ARM_LEAD] {
            if lead > before {
                marks.push(lead - before);
            }
        }
        marks.into_iter().min().unwrap_or(MAX_SLEEP).min(MAX_SLEEP)
    }

    pub fn handle(&mut self, ev: Event) {
        match ev {
            Event::Done { seq, report } => self.done(seq, report),
            Event::Reload => {
                let _ = self.reload();
            }
            Event::Control(call) => self.answer(call),
            // Statuses change on every attempt, the index only on updates.
            Event::FeedSynced => self.refresh_feeds(),
            Event::HubNudge => {
                if let Some(w) = &self.worker {
                    w.sync_now();
                }
            }
            Event::HubPrograms(f) => self.accept_hub_programs(*f),
            Event::Shutdown => {}
        }
    }

    /// Re-read the config. A valid one replaces the old for future
    /// occurrences (what is on air continues); an invalid one is refused and
    /// the old one keeps running. Returns the number of programs, or the errors.
    pub(super) fn reload(&mut self) -> Result<usize, Vec<crate::config::Diagnostic>> {
        self.notifier.reloading();
        let result = match super::load_config_merged(&self.cfg.path) {
            Ok((cfg, merged)) => {
                self.set_hub(merged);
                let old_device = self.output_spec().to_string();
                let feeds_changed = self.worker.as_ref().map(|w| &w.feeds) != Some(&cfg.feeds)
                    && !(self.worker.is_none() && cfg.feeds.is_empty());
                self.cfg = cfg;
                self.refresh_feeds();
                if let Some(l) = &self.link {
                    l.follow_config(&self.cfg);
                }
                if feeds_changed {
                    self.worker = feeds::spawn(&self.cfg, self.tx.clone(), self.in_use.clone());
                }
                if self.output_spec().to_string() != old_device && self.on_air.is_none() {
                    self.output = None;
                }
                // A broadcast armed from the old config is re-armed from the new one.
                if let Some(a) = self
                    .on_air
                    .as_mut()
                    .filter(|a| !a.recorded && a.cause.is_none())
                {
                    a.cause = Some(StopCause::Rearm);
                    a.broadcast.stop();
                }
                tracing::info!("config reloaded: {} programs", self.cfg.programs.len());
                Ok(self.cfg.programs.len())
            }
            Err(diags) => {
                for d in &diags {
                    tracing::error!("{d}");
                }
                tracing::error!(
                    "reload refused: the config has errors; the old schedule keeps running"
                );
                Err(diags)
            }
        };
        self.notifier.ready(&self.last_status);
        result
    }

    /// Re-read the store's index and rebuild the scheduler's view.
    fn refresh_feeds(&mut self) {
        match FeedView::read(&self.cfg.paths.state) {
            Ok(v) => self.view = v,
            Err(e) => tracing::error!("cannot read the feed store: {e}"),
        }
        let (sched, scopes) = view::with_pushed(&self.cfg, &self.view);
        self.sched = sched;
        self.scopes = scopes.into_iter().collect();
        self.analyze();
    }
}
