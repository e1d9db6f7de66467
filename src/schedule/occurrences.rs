//! Occurrences: one program starting at one instant, with its id; the merged,
//! ordered list of all programs' occurrences in a time range.
//!
//! Owns the ordering (start, then priority descending, then config order) and
//! the `Occurrence` value. Wall-clock rules live in `starts`; nothing here reads
//! the clock, the as-run log or any file.

use std::cmp::Reverse;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::ids::occurrence_id;
use super::starts::Starts;
use super::ScheduleError;
use crate::config::{Config, Program};

/// One program starting at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// `PROGRAMID@` + local start, RFC 3339, station zone, whole seconds.
    pub id: String,
    /// Program id.
    pub program: String,
    /// Index into `config.programs`.
    pub index: usize,
    pub title: String,
    pub start: DateTime<Tz>,
    pub priority: u32,
    pub late_limit: Duration,
}

impl Occurrence {
    /// The occurrence of `config.programs[index]` starting at `start`.
    pub fn new(prog: &Program, index: usize, start: DateTime<Tz>) -> Self {
        Occurrence {
            id: occurrence_id(&prog.id, &start),
            program: prog.id.clone(),
            index,
            title: prog.title.clone(),
            start,
            priority: prog.priority,
            late_limit: prog.late_limit,
        }
    }

    /// The start as a UTC instant.
    pub fn start_utc(&self) -> DateTime<Utc> {
        self.start.with_timezone(&Utc)
    }

    /// The last instant it may still start (start + late_limit), saturating.
    pub fn latest_start(&self) -> DateTime<Utc> {
        let late = TimeDelta::from_std(self.late_limit).unwrap_or(TimeDelta::MAX);
        self.start_utc()
            .checked_add_signed(late)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

/// The broadcast order: start, then priority (highest first), then config order.
pub fn order(a: &Occurrence, b: &Occurrence) -> std::cmp::Ordering {
    a.start
        .cmp(&b.start)
        .then(b.priority.cmp(&a.priority))
        .then(a.index.cmp(&b.index))
}

/// Start instants in `[from, to)`, sorted by start, then priority descending,
/// then program order. `boot` is the daemon's start instant, for `on_start`
/// programs; with `None` (e.g. `loa agenda` without a daemon) they produce
/// nothing.
pub fn occurrences(
    cfg: &Config,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    boot: Option<DateTime<Utc>>,
) -> Vec<Occurrence> {
    let tz = cfg.station.timezone;
    start_keys(cfg, from, to, boot)
        .into_iter()
        .map(|(s, _, index)| Occurrence::new(&cfg.programs[index], index, s.with_timezone(&tz)))
        .collect()
}

/// A start in broadcast order: (start, priority descending, program index).
pub(crate) type StartKey = (DateTime<Utc>, Reverse<u32>, usize);

/// The sorted keys of `occurrences`: sorting these small keys and building
/// the larger values once, in order, keeps a year-long agenda fast. Keys are
/// unique: one program never starts twice at the same instant.
pub(crate) fn start_keys(
    cfg: &Config,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    boot: Option<DateTime<Utc>>,
) -> Vec<StartKey> {
    start_keys_capped(cfg, from, to, boot, usize::MAX).unwrap_or_default()
}

/// [`start_keys`] with at most `cap` keys, enforced while the starts are
/// expanded (never more than `cap` + 1 are made): past it, `Err` holds the
/// index of the program with the most starts counted (the one to blame).
pub(crate) fn start_keys_capped(
    cfg: &Config,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    boot: Option<DateTime<Utc>>,
    cap: usize,
) -> Result<Vec<StartKey>, usize> {
    let tz = cfg.station.timezone;
    let mut keys = Vec::new();
    if from >= to {
        return Ok(keys);
    }
    let mut counts = vec![0usize; cfg.programs.len()];
    for (index, prog) in cfg.programs.iter().enumerate() {
        let before = keys.len();
        let room = cap.saturating_add(1).saturating_sub(before);
        keys.extend(
            Starts::new(tz, prog, from, boot)
                .map(|s| s.with_timezone(&Utc))
                .take_while(|s| *s < to)
                .take(room)
                .map(|s| (s, Reverse(prog.priority), index)),
        );
        counts[index] = keys.len() - before;
        if keys.len() > cap {
            let densest = (0..counts.len())
                .max_by_key(|&i| (counts[i], Reverse(i)))
                .unwrap_or(index);
            return Err(densest);
        }
    }
    keys.sort_unstable();
    Ok(keys)
}

/// The first occurrence of each program with start in `(after, before)` for which
/// `skip` is false; the earliest of those (ties: priority, then program order).
pub fn first_after(
    cfg: &Config,
    after: DateTime<Utc>,
    before: DateTime<Utc>,
    boot: Option<DateTime<Utc>>,
    skip: &dyn Fn(&Occurrence) -> bool,
) -> Option<Occurrence> {
    let tz = cfg.station.timezone;
    let from = after + TimeDelta::nanoseconds(1);
    cfg.programs
        .iter()
        .enumerate()
        .filter_map(|(index, prog)| {
            Starts::new(tz, prog, from, boot)
                .take_while(|s| s.with_timezone(&Utc) < before)
                .map(|s| Occurrence::new(prog, index, s))
                .find(|o| !skip(o))
        })
        .min_by(order)
}

/// The program with this id, and its index.
pub fn find_program<'a>(cfg: &'a Config, id: &str) -> Result<(usize, &'a Program), ScheduleError> {
    cfg.programs
        .iter()
        .enumerate()
        .find(|(_, p)| p.id == id)
        .ok_or_else(|| ScheduleError::UnknownProgram {
            id: id.to_string(),
            known: cfg
                .programs
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// An unscheduled occurrence of a program asked for now (`loa play PROGRAM`):
/// starts at `at`, with `priority` overriding the program's when given.
pub fn manual_occurrence(
    cfg: &Config,
    program: &str,
    at: DateTime<Utc>,
    priority: Option<u32>,
) -> Result<Occurrence, ScheduleError> {
    let (index, prog) = find_program(cfg, program)?;
    let mut occ = Occurrence::new(prog, index, at.with_timezone(&cfg.station.timezone));
    if let Some(p) = priority {
        occ.priority = p;
    }
    Ok(occ)
}

#[cfg(test)]
#[path = "occurrences_tests.rs"]
mod tests;
