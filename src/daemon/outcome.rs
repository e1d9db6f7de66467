//! Turns what playout reports into as-run records.
//!
//! Pure mapping, no I/O: a finished broadcast (or one decided without airing)
//! becomes an outcome record with the SPEC's fields and a human reason.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::time::Duration;

use crate::playout::{BroadcastReport, EndedBy};
use crate::record::{Event, ItemAired, Outcome, Record};
use crate::schedule::Occurrence;

/// Why the daemon asked a broadcast to stop early.
#[derive(Debug, Clone, PartialEq)]
pub enum StopCause {
    /// A higher-priority occurrence (its id) took the output.
    Preempted(String),
    /// An operator asked (`loa stop`; who).
    Operator(String),
    /// The daemon is shutting down.
    Shutdown,
    /// Armed ahead of its start from a config that was since reloaded: it is
    /// re-armed from the new one (never on air, never recorded).
    Rearm,
}

pub fn local(t: DateTime<Utc>, tz: Tz) -> chrono::DateTime<chrono::FixedOffset> {
    t.with_timezone(&tz).fixed_offset()
}

/// A record of `occ` with no times or outcome yet.
fn base(occ: &Occurrence, event: Event) -> Record {
    Record {
        event,
        occurrence: occ.id.clone(),
        program: occ.program.clone(),
        title: occ.title.clone(),
        scheduled: occ.start.fixed_offset(),
        started: None,
        ended: None,
        outcome: None,
        reason: None,
        items: Vec::new(),
        prev: String::new(),
    }
}

/// The `on_air` record written the moment a broadcast starts.
pub fn on_air(occ: &Occurrence, started: DateTime<Utc>, tz: Tz) -> Record {
    Record {
        started: Some(local(started, tz)),
        ..base(occ, Event::OnAir)
    }
}

/// An outcome decided without airing (missed, skipped, failed to start).
pub fn decided(
    occ: &Occurrence,
    outcome: Outcome,
    reason: String,
    now: DateTime<Utc>,
    tz: Tz,
) -> Record {
    Record {
        ended: Some(local(now, tz)),
        outcome: Some(outcome),
        reason: Some(reason),
        ..base(occ, Event::Outcome)
    }
}

/// The outcome of a broadcast that went on air.
pub fn finished(
    occ: &Occurrence,
    started: DateTime<Utc>,
    ended: DateTime<Utc>,
    tz: Tz,
    report: &BroadcastReport,
    cause: Option<&StopCause>,
    not_active: Vec<ItemAired>,
) -> Record {
    let mut items: Vec<ItemAired> = report
        .items
        .iter()
        .map(|i| ItemAired {
            name: i.name.clone(),
            sha256: i.sha256.clone(),
            seconds: (i.seconds * 1000.0).round() / 1000.0,
            error: i.error.clone(),
        })
        .collect();
    items.extend(not_active);
    let skipped: Vec<String> = items
        .iter()
        .filter_map(|i| i.error.as_ref().map(|e| format!("{}: {e}", i.name)))
        .collect();
    let any_aired = items.iter().any(|i| i.seconds > 0.0);
    let (outcome, mut reason) = match (&report.ended_by, cause) {
        (EndedBy::DeviceFailed(why), _) => (Outcome::Failed, Some(format!("output failed: {why}"))),
        (_, Some(StopCause::Preempted(by))) => {
            (Outcome::Preempted, Some(format!("preempted by {by}")))
        }
        (_, Some(StopCause::Operator(who))) => {
            (Outcome::Stopped, Some(format!("stopped by {who}")))
        }
        (_, Some(StopCause::Rearm)) => (Outcome::Stopped, Some("re-armed".to_string())),
        (_, Some(StopCause::Shutdown)) => (Outcome::Stopped, Some("shutdown".to_string())),
        (EndedBy::MaxDuration, None) => (Outcome::Aired, Some("cut at max_duration".to_string())),
        (EndedBy::Stopped, None) => (Outcome::Stopped, Some("stopped".to_string())),
        (EndedBy::Completed, None) if !any_aired && !skipped.is_empty() => {
            (Outcome::Failed, Some("no item could be played".to_string()))
        }
        (EndedBy::Completed, None) => (Outcome::Aired, None),
    };
    if !skipped.is_empty() {
        let list = format!("skipped {}", skipped.join("; "));
        reason = Some(match reason {
            Some(r) => format!("{r}; {list}"),
            None => list,
        });
    }
    Record {
        started: Some(local(started, tz)),
        ended: Some(local(ended, tz)),
        outcome: Some(outcome),
        reason,
        items,
        ..base(occ, Event::Outcome)
    }
}

/// Put `note` in front of the record's reason.
pub fn prepend_reason(rec: &mut Record, note: String) {
    rec.reason = Some(match rec.reason.take() {
        Some(r) => format!("{note}; {r}"),
        None => note,
    });
}

/// "5m", "1h2m", "45s": for reasons an operator reads.
pub fn human(d: Duration) -> String {
    let s = d.as_secs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    match (h, m, sec) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, 0, 0) => format!("{h}h"),
        (h, m, _) => format!("{h}h{m}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_secs(45)), "45s");
        assert_eq!(human(Duration::from_secs(600)), "10m");
        assert_eq!(human(Duration::from_secs(90)), "1m30s");
        assert_eq!(human(Duration::from_secs(3720)), "1h2m");
        assert_eq!(human(Duration::from_secs(7200)), "2h");
    }
}
