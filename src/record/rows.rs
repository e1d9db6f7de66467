//! `loa log`'s view: one row per occurrence, its `on_air` and outcome merged.
//!
//! Pure: records in, rows out. Never reads files, never formats text.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::model::{Event, ItemAired, Record};
use super::time::{ts, ts_opt};

/// `outcome` of an occurrence that started and has no outcome record (yet).
pub const ON_AIR: &str = "on_air";

/// One occurrence as `loa log` shows it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Row {
    pub occurrence: String,
    pub program: String,
    pub title: String,
    #[serde(with = "ts")]
    pub scheduled: DateTime<FixedOffset>,
    #[serde(default, with = "ts_opt")]
    pub started: Option<DateTime<FixedOffset>>,
    #[serde(default, with = "ts_opt")]
    pub ended: Option<DateTime<FixedOffset>>,
    /// An outcome word (`aired`, `missed`, …) or `on_air`.
    pub outcome: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub items: Vec<ItemAired>,
    /// Sum of the items' seconds (0 when there are none).
    pub seconds_aired: f64,
}

impl Row {
    fn new(rec: &Record) -> Row {
        let mut row = Row {
            occurrence: rec.occurrence.clone(),
            program: rec.program.clone(),
            title: rec.title.clone(),
            scheduled: rec.scheduled,
            started: rec.started,
            ended: None,
            outcome: ON_AIR.to_string(),
            reason: rec.reason.clone(),
            items: Vec::new(),
            seconds_aired: 0.0,
        };
        if rec.event == Event::Outcome {
            row.take_outcome(rec);
        }
        row
    }

    /// The outcome wins: its fields replace the on_air's, keeping the on_air's
    /// start when the outcome has none.
    fn take_outcome(&mut self, rec: &Record) {
        self.program = rec.program.clone();
        self.title = rec.title.clone();
        self.scheduled = rec.scheduled;
        self.started = rec.started.or(self.started);
        self.ended = rec.ended;
        self.outcome = rec.outcome.map_or("unknown", |o| o.as_str()).to_string();
        self.reason = rec.reason.clone();
        self.items = rec.items.clone();
        // fold from +0.0: an empty f64 `sum()` is -0.0, which would print as "-0.0".
        self.seconds_aired = rec.items.iter().fold(0.0, |acc, i| acc + i.seconds);
    }

    fn merge(&mut self, rec: &Record) {
        match rec.event {
            Event::Outcome => self.take_outcome(rec),
            Event::OnAir => {
                if self.started.is_none() {
                    self.started = rec.started;
                }
            }
        }
    }
}

/// One row per occurrence whose `scheduled` local date (in its own offset, the
/// station's zone) is within `[from, to]` inclusive, oldest first (ties by
/// occurrence id). Several outcome records for one occurrence: the last wins.
pub fn rows(records: &[Record], from: Option<NaiveDate>, to: Option<NaiveDate>) -> Vec<Row> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<Row> = Vec::new();
    for rec in records {
        let day = rec.scheduled.date_naive();
        if from.is_some_and(|f| day < f) || to.is_some_and(|t| day > t) {
            continue;
        }
        match index.get(rec.occurrence.as_str()) {
            Some(&i) => out[i].merge(rec),
            None => {
                index.insert(&rec.occurrence, out.len());
                out.push(Row::new(rec));
            }
        }
    }
    out.sort_by(|a, b| {
        a.scheduled
            .cmp(&b.scheduled)
            .then_with(|| a.occurrence.cmp(&b.occurrence))
    });
    out
}
