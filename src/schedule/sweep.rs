//! The conflict sweep: how agenda entries share the one output.
//!
//! Owns the simulation behind `Decision::Conflict`: one pass in start order;
//! a broadcast that falls due while another runs preempts it (strictly higher
//! priority) or waits; the free output goes to the highest-priority waiting
//! one; a waiting one whose late_limit passes before the output frees is
//! missed. O(n log n) with ordered sets. Touches only decisions and reasons.

use std::cmp::Reverse;
use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use super::{AgendaEntry, Decision};

/// The broadcast holding the output.
struct OnAir {
    entry: usize,
    end: DateTime<Utc>,
    priority: u32,
}

fn run_end(start: DateTime<Utc>, d: Option<Duration>) -> DateTime<Utc> {
    let d = TimeDelta::from_std(d.unwrap_or_default()).unwrap_or(TimeDelta::MAX);
    start
        .checked_add_signed(d)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Sets decision/reason of every entry not already `Skipped`. `entries` must be
/// in broadcast order (start, priority descending, config order).
pub fn sweep(entries: &mut [AgendaEntry]) {
    let n = entries.len();
    let mut s = Sweep {
        entries,
        on_air: None,
        queue: BTreeSet::new(),
        expiry: BTreeSet::new(),
        blocked_by: vec![0; n],
    };
    for i in 0..s.entries.len() {
        if s.entries[i].decision != Decision::Skipped {
            s.arrive(i);
        }
    }
    s.run_until(DateTime::<Utc>::MAX_UTC);
}

struct Sweep<'a> {
    entries: &'a mut [AgendaEntry],
    on_air: Option<OnAir>,
    /// Waiting: highest priority, then earliest start, then order first.
    queue: BTreeSet<(Reverse<u32>, DateTime<Utc>, usize)>,
    /// Waiting, by the last instant each may still start.
    expiry: BTreeSet<(DateTime<Utc>, usize)>,
    /// For each waiting entry, the entry on air when it fell due.
    blocked_by: Vec<usize>,
}

impl Sweep<'_> {
    fn arrive(&mut self, i: usize) {
        let start = self.entries[i].occ.start_utc();
        self.run_until(start);
        let priority = self.entries[i].occ.priority;
        match &self.on_air {
            None => self.start(i, start),
            Some(cur) if priority > cur.priority => {
                let by = cur.entry;
                self.preempted(by, i);
                self.start(i, start);
            }
            Some(cur) => {
                self.blocked_by[i] = cur.entry;
                self.queue.insert((Reverse(priority), start, i));
                self.expiry.insert((self.entries[i].occ.latest_start(), i));
            }
        }
    }

    fn preempted(&mut self, victim: usize, by: usize) {
        let mut reason = self.entries[victim].reason.take().unwrap_or_default();
        if !reason.is_empty() {
            reason.push_str("; then ");
        }
        reason.push_str("preempted by ");
        reason.push_str(&self.entries[by].occ.id);
        let e = &mut self.entries[victim];
        e.decision = Decision::Conflict;
        e.reason = Some(reason);
    }

    fn start(&mut self, i: usize, at: DateTime<Utc>) {
        self.on_air = Some(OnAir {
            entry: i,
            end: run_end(at, self.entries[i].duration),
            priority: self.entries[i].occ.priority,
        });
    }

    /// Runs the output until `t`: at each moment it frees (before or at `t`),
    /// waiting ones past their late_limit are missed and the best other takes it.
    fn run_until(&mut self, t: DateTime<Utc>) {
        while let Some(cur) = &self.on_air {
            if cur.end > t {
                return;
            }
            let free_at = cur.end;
            self.on_air = None;
            while let Some(&(latest, i)) = self.expiry.first() {
                if latest >= free_at {
                    break;
                }
                self.expiry.pop_first();
                let start = self.entries[i].occ.start_utc();
                self.queue
                    .remove(&(Reverse(self.entries[i].occ.priority), start, i));
                let wait = (free_at - start).num_seconds();
                let limit = self.entries[i].occ.late_limit.as_secs();
                self.conflict(
                    i,
                    &[
                        "would be missed (output free after ",
                        &wait.to_string(),
                        " s, late_limit ",
                        &limit.to_string(),
                        " s)",
                    ],
                );
            }
            if let Some((_, start, i)) = self.queue.pop_first() {
                self.expiry.remove(&(self.entries[i].occ.latest_start(), i));
                let wait = (free_at - start).num_seconds();
                self.conflict(i, &["waits ", &wait.to_string(), " s"]);
                self.start(i, free_at);
            }
        }
    }

    /// Marks a waiting entry: "overlaps OTHER; WHAT" (built without `fmt`:
    /// a year-long agenda writes hundreds of thousands of these).
    fn conflict(&mut self, i: usize, what: &[&str]) {
        let other = &self.entries[self.blocked_by[i]].occ.id;
        let len = 11 + other.len() + what.iter().map(|w| w.len()).sum::<usize>();
        let mut reason = String::with_capacity(len);
        reason.push_str("overlaps ");
        reason.push_str(other);
        reason.push_str("; ");
        what.iter().for_each(|w| reason.push_str(w));
        let e = &mut self.entries[i];
        e.decision = Decision::Conflict;
        e.reason = Some(reason);
    }
}
