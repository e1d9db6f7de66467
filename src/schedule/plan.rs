//! The plan: given the config, the as-run facts and `now`, what is due, missed,
//! skipped and next.
//!
//! Owns the catch-up window, exactly-once (via `Facts::done`), clock trust and
//! preemption. A pure function of its inputs, so a clock step can neither fire a
//! storm of starts nor re-air a done occurrence. Never reads the clock or the log.

use chrono::{DateTime, TimeDelta, Utc};

use super::done::Done;
use super::occurrences::{first_after, occurrences, order};
use super::quiet::quiet_reason;
use super::starts::day_start;
use super::Occurrence;
use crate::config::Config;

/// How far back catch-up looks at most.
pub const CATCH_UP_DAYS: i64 = 31;
/// How far ahead `next` looks (covers a yearly program and Feb 29).
pub const NEXT_HORIZON_DAYS: i64 = 5 * 366;

/// What the as-run log says, reduced to what scheduling needs. Its size is
/// bounded by the catch-up window, not by the length of the log (see `Done`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Occurrence ids with any as-run record, as far as they can still matter.
    pub done: Done,
    /// Latest `scheduled` instant among records.
    pub anchor: Option<DateTime<Utc>>,
    /// Latest instant written in any record (started/ended/scheduled).
    pub newest: Option<DateTime<Utc>>,
}

impl Facts {
    /// Records one more as-run record for `occ`, written at `at`.
    pub fn record(&mut self, occ: &Occurrence, at: DateTime<Utc>) {
        self.note(&occ.id, occ.start_utc(), [at]);
    }

    /// Takes in one as-run record: occurrence `id`, its `scheduled` instant
    /// and the other instants it carries (started, ended). Forgets done ids
    /// that fell out of reach (see `Done::forget_older_than_window`).
    pub fn note(
        &mut self,
        id: &str,
        scheduled: DateTime<Utc>,
        instants: impl IntoIterator<Item = DateTime<Utc>>,
    ) {
        self.done.insert(id, scheduled);
        self.anchor = self.anchor.max(Some(scheduled));
        let latest = instants.into_iter().fold(scheduled, DateTime::max);
        self.newest = self.newest.max(Some(latest));
        if let Some(newest) = self.newest {
            self.done.forget_older_than_window(newest);
        }
    }
}

/// The answer for one instant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// start <= now, now - start <= late_limit, not done, not quiet; highest
    /// priority first, then earliest, then config order.
    pub due: Vec<Occurrence>,
    /// Not done, started more than late_limit ago, inside the catch-up window;
    /// earliest first.
    pub missed: Vec<Occurrence>,
    /// Not done, start <= now, in quiet hours (with the reason); earliest first.
    pub skipped: Vec<(Occurrence, String)>,
    /// Earliest occurrence with start > now that is not done.
    pub next: Option<Occurrence>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.due.is_empty()
            && self.missed.is_empty()
            && self.skipped.is_empty()
            && self.next.is_none()
    }
}

/// False while the wall clock reads earlier than the newest as-run record.
pub fn clock_trusted(facts: &Facts, now: DateTime<Utc>) -> bool {
    facts.newest.is_none_or(|n| now >= n)
}

/// Whether `candidate` may interrupt what is on air: strictly higher priority.
pub fn preempts(candidate: &Occurrence, on_air_priority: u32) -> bool {
    candidate.priority > on_air_priority
}

/// What is due, missed, skipped and next at `now`. `boot` is the daemon's start
/// (for `on_start` programs). An untrusted clock gives an empty plan.
///
/// Catch-up window: occurrences with start in `[now - 31 days, now]`, not done,
/// and
/// - with records (`facts.anchor` set): start + late_limit >= anchor, i.e. every
///   one after the newest `scheduled` instant, plus any that could still have
///   been waiting when that record was written (a tie at the anchor, or one
///   waiting behind a preempting broadcast);
/// - in an empty log: start at or after the current local day's start, or
///   still within its late_limit.
pub fn plan(cfg: &Config, facts: &Facts, now: DateTime<Utc>, boot: DateTime<Utc>) -> Plan {
    let mut out = Plan::default();
    if !clock_trusted(facts, now) {
        return out;
    }
    let floor = now - TimeDelta::days(CATCH_UP_DAYS);
    let max_late = cfg
        .programs
        .iter()
        .map(|p| TimeDelta::from_std(p.late_limit).unwrap_or(TimeDelta::days(CATCH_UP_DAYS)))
        .max()
        .unwrap_or(TimeDelta::zero());
    let today = now.with_timezone(&cfg.station.timezone).date_naive();
    let today_start = day_start(&cfg.station.timezone, today).unwrap_or(now);
    let generate_from = match facts.anchor {
        Some(anchor) => anchor - max_late,
        None => today_start.min(now - max_late),
    }
    .max(floor);
    let in_window = |o: &Occurrence| {
        let start = o.start_utc();
        start >= floor
            && match facts.anchor {
                Some(anchor) => o.latest_start() >= anchor,
                None => start >= today_start || o.latest_start() >= now,
            }
    };

    let until = now + TimeDelta::nanoseconds(1);
    for o in occurrences(cfg, generate_from, until, Some(boot)) {
        if facts.done.contains(&o.id) || !in_window(&o) {
            continue;
        }
        if let Some(why) = quiet_reason(cfg, &o) {
            out.skipped.push((o, why));
        } else if now <= o.latest_start() {
            out.due.push(o);
        } else {
            out.missed.push(o);
        }
    }
    out.due.sort_by(|a, b| {
        b.priority
            .cmp(&a.priority)
            .then(a.start.cmp(&b.start))
            .then(a.index.cmp(&b.index))
    });
    out.missed.sort_by(order);
    out.skipped.sort_by(|a, b| order(&a.0, &b.0));
    out.next = first_after(
        cfg,
        now,
        now + TimeDelta::days(NEXT_HORIZON_DAYS),
        Some(boot),
        &|o| facts.done.contains(&o.id),
    );
    out
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
