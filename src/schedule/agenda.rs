//! The agenda: what will air in a range, each broadcast with its items,
//! estimated duration and decision (air, skipped, conflict) and the reason.
//!
//! Owns the entry values, item descriptions and estimated durations; the
//! decisions come from `sweep`. Item durations come from the caller
//! (`duration_of`); nothing here opens a file.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde::Serialize;
use serde_json::Value;

use super::occurrences::{start_keys, start_keys_capped, StartKey};
use super::quiet::quiet_reason;
use super::sweep::sweep;
use super::Occurrence;
use crate::config::{Config, Item, Program};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Air,
    Skipped,
    Conflict,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Air => "air",
            Decision::Skipped => "skipped",
            Decision::Conflict => "conflict",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AgendaItem {
    /// "file" | "silence" | "category" | "clip" | "stream" | "priority" (a due
    /// priority-level clip opening the day's first program, see `levels`)
    pub kind: &'static str,
    pub name: String,
    pub duration: Option<Duration>,
    /// A stream's window as offsets from the program's start, cut by
    /// max_duration (None for other items, or when an earlier item's duration
    /// is unknown).
    pub window: Option<(Duration, Duration)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AgendaEntry {
    pub occ: Occurrence,
    pub items: Vec<AgendaItem>,
    /// Sum of the known item durations, capped at max_duration; `None` when no
    /// item's duration is known.
    pub duration: Option<Duration>,
    pub decision: Decision,
    pub reason: Option<String>,
}

impl AgendaEntry {
    /// The `agenda --json` shape of SPEC.md, borrowing from the entry.
    pub fn json(&self) -> JsonEntry<'_> {
        let secs = |d: Option<Duration>| d.map(|d| d.as_secs_f64());
        JsonEntry {
            occurrence: &self.occ.id,
            program: &self.occ.program,
            title: &self.occ.title,
            start: self.occ.start.to_rfc3339_opts(SecondsFormat::Secs, false),
            priority: self.occ.priority,
            items: self
                .items
                .iter()
                .map(|i| {
                    let window = i.window.map(|(a, b)| {
                        let at = |d: Duration| {
                            let t = self.occ.start + TimeDelta::from_std(d).unwrap_or_default();
                            t.to_rfc3339_opts(SecondsFormat::Secs, false)
                        };
                        (at(a), at(b))
                    });
                    let (start, end) = window.unzip();
                    JsonItem {
                        kind: i.kind,
                        name: &i.name,
                        duration_s: secs(i.duration),
                        start,
                        end,
                    }
                })
                .collect(),
            duration_s: secs(self.duration),
            decision: self.decision,
            reason: self.reason.as_deref(),
        }
    }

    /// [`AgendaEntry::json`] as a JSON value.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.json()).unwrap_or(Value::Null)
    }
}

/// One `agenda --json` entry (SPEC field names and order).
#[derive(Debug, Serialize)]
pub struct JsonEntry<'a> {
    pub occurrence: &'a str,
    pub program: &'a str,
    pub title: &'a str,
    pub start: String,
    pub priority: u32,
    pub items: Vec<JsonItem<'a>>,
    pub duration_s: Option<f64>,
    pub decision: Decision,
    pub reason: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct JsonItem<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub duration_s: Option<f64>,
    /// A stream's window (local time with offset), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// Describes one play item. Silence and stream durations come from the config
/// when `duration_of` does not know better.
fn describe(
    cfg: &Config,
    item: &Item,
    duration_of: &mut dyn FnMut(&Item) -> Option<Duration>,
) -> AgendaItem {
    let known = duration_of(item);
    let (kind, name, own) = match item {
        Item::File(p) => {
            let shown = p.strip_prefix(&cfg.paths.clips).unwrap_or(p);
            ("file", shown.display().to_string(), None)
        }
        Item::Silence(d) => ("silence", format!("{} s", d.as_secs_f64()), Some(*d)),
        Item::Category { category, count } => ("category", format!("{category} x{count}"), None),
        Item::Clip(id) => ("clip", id.clone(), None),
        Item::Stream { url, duration, .. } => ("stream", url.clone(), Some(*duration)),
    };
    AgendaItem {
        kind,
        name: name.to_string(),
        duration: known.or(own),
        window: None,
    }
}

fn program_items(
    cfg: &Config,
    prog: &Program,
    duration_of: &mut dyn FnMut(&Item) -> Option<Duration>,
) -> (Vec<AgendaItem>, Option<Duration>) {
    let mut items: Vec<AgendaItem> = prog
        .play
        .iter()
        .map(|i| describe(cfg, i, duration_of))
        .collect();
    let mut at = Some(Duration::ZERO);
    for item in &mut items {
        if item.kind == "stream" {
            let end =
                |a: Duration, d: Duration| prog.max_duration.map_or(a + d, |m| (a + d).min(m));
            item.window = at
                .zip(item.duration)
                .map(|(a, d)| (a, end(a, d)))
                .filter(|(a, b)| b > a);
        }
        at = at.zip(item.duration).map(|(a, d)| a + d);
    }
    let known: Vec<Duration> = items.iter().filter_map(|i| i.duration).collect();
    let duration = if known.is_empty() {
        None
    } else {
        let sum: Duration = known.iter().sum();
        Some(prog.max_duration.map_or(sum, |m| sum.min(m)))
    };
    (items, duration)
}

/// Every occurrence with start in `[from, to)`, in broadcast order, with items,
/// estimated duration and decision. `boot`: see `occurrences`. `duration_of`
/// is asked once per item per program (results are reused across days).
///
/// Decisions, simulating the one output: quiet hours -> Skipped; a broadcast
/// that starts while an earlier one runs either preempts it (higher priority:
/// the earlier becomes Conflict "preempted by X") or waits (Conflict "overlaps
/// X; waits N s", or "overlaps X; would be missed ..." past its late_limit).
/// Waiting broadcasts take the free output highest priority first.
pub fn agenda(
    cfg: &Config,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    boot: Option<DateTime<Utc>>,
    duration_of: &mut dyn FnMut(&Item) -> Option<Duration>,
) -> Vec<AgendaEntry> {
    let keys = start_keys(cfg, from, to, boot);
    from_keys(cfg, keys, duration_of)
}

/// [`agenda`] of at most `cap` broadcasts, bounded while the starts are
/// expanded (a program firing every second makes no more than `cap` + 1):
/// past it, `Err` holds the index of the densest program. The hub's week
/// picture draws with this.
pub fn agenda_capped(
    cfg: &Config,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    boot: Option<DateTime<Utc>>,
    duration_of: &mut dyn FnMut(&Item) -> Option<Duration>,
    cap: usize,
) -> Result<Vec<AgendaEntry>, usize> {
    let keys = start_keys_capped(cfg, from, to, boot, cap)?;
    Ok(from_keys(cfg, keys, duration_of))
}

fn from_keys(
    cfg: &Config,
    keys: Vec<StartKey>,
    duration_of: &mut dyn FnMut(&Item) -> Option<Duration>,
) -> Vec<AgendaEntry> {
    let tz = cfg.station.timezone;
    let mut per_program: Vec<Option<(Vec<AgendaItem>, Option<Duration>)>> =
        vec![None; cfg.programs.len()];
    let mut entries: Vec<AgendaEntry> = Vec::with_capacity(keys.len());
    for (start, _, index) in keys {
        let occ = Occurrence::new(&cfg.programs[index], index, start.with_timezone(&tz));
        let (items, duration) = per_program[occ.index]
            .get_or_insert_with(|| program_items(cfg, &cfg.programs[occ.index], duration_of))
            .clone();
        let reason = quiet_reason(cfg, &occ);
        let decision = if reason.is_some() {
            Decision::Skipped
        } else {
            Decision::Air
        };
        entries.push(AgendaEntry {
            occ,
            items,
            duration,
            decision,
            reason,
        });
    }
    sweep(&mut entries);
    entries
}

#[cfg(test)]
#[path = "agenda_tests.rs"]
mod tests;
