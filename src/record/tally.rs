//! What the daemon keeps from the as-run records it has read or written: the
//! scheduling facts (bounded done set, anchor, newest), the `on_air` records
//! still open, and when each clip last aired (category rotation).
//!
//! A pure fold over records, bounded by time, not by the length of the log.
//! At start-up it sees every record with any instant within
//! `schedule::KEEP_DAYS` of the newest (so all of today's records), on top of
//! the summary of everything older (`summary.rs`). A fact that needs only
//! recent records can be added here as is; one that needs older records must
//! also be carried in the summary. Never does I/O.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::model::{Event, Record};
use crate::schedule::Facts;

/// How long a clip's last airing is remembered, counted back from the newest
/// record. A clip that has not aired for longer ranks in category rotation
/// like one that never aired (first, newest first among equals).
pub const LAST_AIRED_DAYS: i64 = 366;

/// The fold of a run of records.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub facts: Facts,
    /// `on_air` records with no outcome yet, by occurrence.
    pub open: HashMap<String, Record>,
    /// Last airing of each clip by SHA-256 (outcome records, seconds > 0),
    /// at most [`LAST_AIRED_DAYS`] old.
    pub last_aired: HashMap<String, DateTime<Utc>>,
    /// The last cutoff applied to `last_aired`.
    aired_pruned_at: Option<DateTime<Utc>>,
}

/// The latest instant a record carries (`scheduled`, `started`, `ended`).
pub fn latest_instant(rec: &Record) -> DateTime<Utc> {
    [Some(rec.scheduled), rec.started, rec.ended]
        .into_iter()
        .flatten()
        .map(|t| t.with_timezone(&Utc))
        .max()
        .unwrap_or_else(|| rec.scheduled.with_timezone(&Utc))
}

impl Tally {
    /// Takes in one record (read back or just appended).
    pub fn note(&mut self, rec: Record) {
        let closed_before =
            self.facts.done.contains(&rec.occurrence) && !self.open.contains_key(&rec.occurrence);
        let scheduled = rec.scheduled.with_timezone(&Utc);
        let instants = [rec.started, rec.ended]
            .into_iter()
            .flatten()
            .map(|t| t.with_timezone(&Utc));
        self.facts.note(&rec.occurrence, scheduled, instants);
        if let Some(started) = rec.started.filter(|_| rec.event == Event::Outcome) {
            let t = started.with_timezone(&Utc);
            for item in rec.items.iter().filter(|i| i.seconds > 0.0) {
                if let Some(sha) = &item.sha256 {
                    match self.last_aired.get_mut(sha) {
                        Some(e) => *e = (*e).max(t),
                        None => {
                            self.last_aired.insert(sha.clone(), t);
                        }
                    }
                }
            }
        }
        match rec.event {
            Event::OnAir if !closed_before => {
                self.open.entry(rec.occurrence.clone()).or_insert(rec);
            }
            Event::OnAir => {}
            Event::Outcome => {
                self.open.remove(&rec.occurrence);
            }
        }
        self.forget_old_airings();
    }

    /// Drops clip airings older than [`LAST_AIRED_DAYS`] before the newest
    /// record (walks the map at most once per day of advance).
    fn forget_old_airings(&mut self) {
        let Some(newest) = self.facts.newest else {
            return;
        };
        let cutoff = newest - TimeDelta::days(LAST_AIRED_DAYS);
        if self
            .aired_pruned_at
            .is_some_and(|p| cutoff - p < TimeDelta::days(1))
        {
            return;
        }
        self.last_aired.retain(|_, t| *t >= cutoff);
        self.aired_pruned_at = Some(cutoff);
    }

    /// `on_air` records with no outcome yet, oldest `scheduled` first.
    pub fn open_sorted(&self) -> Vec<Record> {
        let mut open: Vec<Record> = self.open.values().cloned().collect();
        open.sort_by(|a, b| {
            a.scheduled
                .cmp(&b.scheduled)
                .then_with(|| a.occurrence.cmp(&b.occurrence))
        });
        open
    }
}
