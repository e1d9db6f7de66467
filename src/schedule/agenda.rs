//! The agenda: what will air in a range, each broadcast with its items,
//! estimated duration and decision (air, skipped, conflict) and the reason.
//!
//! Owns the estimate of how broadcasts share the one output: a single sweep in
//! start order with a priority queue of waiting broadcasts (O(n log n)). Item
//! durations come from the caller (`duration_of`); nothing here opens a file.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt::Write as _;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde::Serialize;
use serde_json::{json, Value};

use super::occurrences::occurrences;
use super::quiet::quiet_reason;
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
    /// "file" | "silence" | "category" | "clip" | "stream"
    pub kind: &'static str,
    pub name: String,
    pub duration: Option<Duration>,
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
    /// The `agenda --json` shape of SPEC.md.
    pub fn to_json(&self) -> Value {
        let secs = |d: Option<Duration>| d.map(|d| d.as_secs_f64());
        json!({
            "occurrence": self.occ.id,
            "program": self.occ.program,
            "title": self.occ.title,
            "start": self.occ.start.to_rfc3339_opts(SecondsFormat::Secs, false),
            "priority": self.occ.priority,
            "items": self.items.iter().map(|i| json!({
                "kind": i.kind, "name": i.name, "duration_s": secs(i.duration),
            })).collect::<Vec<_>>(),
            "duration_s": secs(self.duration),
            "decision": self.decision,
            "reason": self.reason,
        })
    }
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
    }
}

fn program_items(
    cfg: &Config,
    prog: &Program,
    duration_of: &mut dyn FnMut(&Item) -> Option<Duration>,
) -> (Vec<AgendaItem>, Option<Duration>) {
    let items: Vec<AgendaItem> = prog.play.iter().map(|i| describe(cfg, i, duration_of)).collect();
    let known: Vec<Duration> = items.iter().filter_map(|i| i.duration).collect();
    let duration = if known.is_empty() {
        None
    } else {
        let sum: Duration = known.iter().sum();
        Some(prog.max_duration.map_or(sum, |m| sum.min(m)))
    };
    (items, duration)
}

/// One broadcast holding the output in the simulation.
struct OnAir {
    entry: usize,
    end: DateTime<Utc>,
    priority: u32,
}

/// A broadcast waiting for the output: highest priority, then earliest start,
/// then first in order pops first.
type Waiting = (u32, Reverse<DateTime<Utc>>, Reverse<usize>);

fn run_end(start: DateTime<Utc>, d: Option<Duration>) -> DateTime<Utc> {
    let d = TimeDelta::from_std(d.unwrap_or_default()).unwrap_or(TimeDelta::MAX);
    start.checked_add_signed(d).unwrap_or(DateTime::<Utc>::MAX_UTC)
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
    let t = std::time::Instant::now();
    let occs = occurrences(cfg, from, to, boot);
    eprintln!("occs {:?}", t.elapsed());
    let mut per_program: Vec<Option<(Vec<AgendaItem>, Option<Duration>)>> =
        vec![None; cfg.programs.len()];
    let mut entries: Vec<AgendaEntry> = Vec::with_capacity(occs.len());
    for occ in occs {
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
    let t = std::time::Instant::now();
    Sweep::new(&mut entries).run();
    eprintln!("sweep {:?}", t.elapsed());
    entries
}

/// The single pass over entries in start order.
struct Sweep<'a> {
    entries: &'a mut [AgendaEntry],
    on_air: Option<OnAir>,
    waiting: BinaryHeap<Waiting>,
    /// For each waiting entry, the entry it overlapped when it fell due.
    blocked_by: Vec<usize>,
}

impl<'a> Sweep<'a> {
    fn new(entries: &'a mut [AgendaEntry]) -> Self {
        let n = entries.len();
        Sweep {
            entries,
            on_air: None,
            waiting: BinaryHeap::new(),
            blocked_by: vec![0; n],
        }
    }

    fn run(mut self) {
        for i in 0..self.entries.len() {
            if self.entries[i].decision == Decision::Skipped {
                continue;
            }
            let start = self.entries[i].occ.start_utc();
            self.free_until(start);
            match &self.on_air {
                None => self.start(i, start),
                Some(cur) if self.entries[i].occ.priority > cur.priority => {
                    let mut reason = self.entries[cur.entry].reason.take().unwrap_or_default();
                    if !reason.is_empty() {
                        reason.push_str("; then ");
                    }
                    reason.push_str("preempted by ");
                    reason.push_str(&self.entries[i].occ.id);
                    let prev = &mut self.entries[cur.entry];
                    prev.decision = Decision::Conflict;
                    prev.reason = Some(reason);
                    self.start(i, start);
                }
                Some(cur) => {
                    self.blocked_by[i] = cur.entry;
                    let o = &self.entries[i].occ;
                    self.waiting.push((o.priority, Reverse(start), Reverse(i)));
                }
            }
        }
        self.free_until(DateTime::<Utc>::MAX_UTC);
    }

    fn start(&mut self, i: usize, at: DateTime<Utc>) {
        self.on_air = Some(OnAir {
            entry: i,
            end: run_end(at, self.entries[i].duration),
            priority: self.entries[i].occ.priority,
        });
    }

    /// Lets the simulated output run until `t`: whenever it frees before or at
    /// `t`, the best waiting broadcast takes it (or is missed past late_limit).
    fn free_until(&mut self, t: DateTime<Utc>) {
        loop {
            // Nothing waits while the output is free: arrivals then start at once.
            let Some(cur) = &self.on_air else {
                return;
            };
            if cur.end > t {
                return;
            }
            let free_at = cur.end;
            self.on_air = None;
            while let Some((_, Reverse(start), Reverse(i))) = self.waiting.pop() {
                let wait = (free_at - start).num_seconds();
                let airs = free_at <= self.entries[i].occ.latest_start();
                let mut reason = String::with_capacity(100);
                reason.push_str("overlaps ");
                reason.push_str(&self.entries[self.blocked_by[i]].occ.id);
                if airs {
                    let _ = write!(reason, "; waits {wait} s");
                } else {
                    let limit = self.entries[i].occ.late_limit.as_secs();
                    let _ = write!(
                        reason,
                        "; would be missed (output free after {wait} s, late_limit {limit} s)"
                    );
                }
                let e = &mut self.entries[i];
                e.decision = Decision::Conflict;
                e.reason = Some(reason);
                if airs {
                    self.start(i, free_at);
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "agenda_tests.rs"]
mod tests;
