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
            clip: None,
            sha256: i.sha256.clone(),
            seconds: (i.seconds * 1000.0).round() / 1000.0,
            error: i.error.clone(),
            events: i.events.clone(),
        })
        .collect();
    items.extend(not_active);
    // An item with an error and no seconds was skipped; one with seconds was cut
    // short. An item's events (a stream's losses and returns) are not errors.
    let errors = |aired: bool| -> Vec<String> {
        items
            .iter()
            .filter(|i| (i.seconds > 0.0) == aired)
            .filter_map(|i| i.error.as_ref().map(|e| format!("{}: {e}", i.name)))
            .collect()
    };
    let (skipped, cut) = (errors(false), errors(true));
    let happened: Vec<String> = items
        .iter()
        .filter(|i| !i.events.is_empty())
        .map(|i| format!("{} {}", i.name, i.events.join(", ")))
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
    for (lead, list) in [("skipped ", skipped), ("cut short ", cut), ("", happened)] {
        if list.is_empty() {
            continue;
        }
        let list = format!("{lead}{}", list.join("; "));
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
    use crate::playout::ItemReport;
    use chrono::TimeZone;

    const URL: &str = "stream http://ice/vov1";

    fn occ() -> Occurrence {
        let tz: Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        Occurrence {
            id: "tin@2026-11-29T06:00:00+07:00".into(),
            program: "tin".into(),
            index: 0,
            title: "Tin VOV".into(),
            start: tz.with_ymd_and_hms(2026, 11, 29, 6, 0, 0).unwrap(),
            priority: 10,
            late_limit: Duration::from_secs(60),
        }
    }

    fn item(name: &str, seconds: f64, error: Option<&str>, events: &[&str]) -> ItemReport {
        ItemReport {
            name: name.into(),
            sha256: None,
            seconds,
            error: error.map(str::to_string),
            events: events.iter().map(|e| e.to_string()).collect(),
        }
    }

    fn record(items: Vec<ItemReport>) -> Record {
        let tz: Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        let o = occ();
        let start = o.start.with_timezone(&Utc);
        let report = BroadcastReport {
            items,
            ended_by: EndedBy::Completed,
            first_sample: None,
        };
        let end = start + chrono::Duration::seconds(26);
        finished(&o, start, end, tz, &report, None, Vec::new())
    }

    #[test]
    fn a_stream_lost_and_back_aired_and_says_so_without_skipped() {
        let lost = "lost at +8.1 s (the source closed the stream)";
        let rec = record(vec![
            item(
                URL,
                19.5,
                None,
                &[lost, "back at +14.6 s", "fallback aired 6.4 s"],
            ),
            item("fallback fb.wav", 6.4, None, &[]),
            item("silence (stream http://ice/vov1)", 0.1, None, &[]),
        ]);
        assert_eq!(rec.outcome, Some(Outcome::Aired));
        let why = rec.reason.clone().unwrap();
        assert_eq!(
            why,
            format!("{URL} {lost}, back at +14.6 s, fallback aired 6.4 s")
        );
        assert!(!why.contains("skipped"), "{why}");
        // Seconds add up to the window; the events stay on the stream's item.
        let total: f64 = rec.items.iter().map(|i| i.seconds).sum();
        assert!((total - 26.0).abs() < 1e-9, "{:?}", rec.items);
        assert_eq!(rec.items[0].error, None);
        assert_eq!(rec.items[0].events.len(), 3);
        assert!(rec.items[1..].iter().all(|i| i.events.is_empty()));
    }

    #[test]
    fn skipped_and_cut_short_items_are_told_apart() {
        let rec = record(vec![
            item("chime.ogg", 0.0, Some("cannot decode: bad header"), &[]),
            item(
                URL,
                3.0,
                Some("window ended 9.0 s early: stream down and no fallback"),
                &["lost at +3.0 s (no data for 5 s)", "no fallback"],
            ),
            item("tin.mp3", 12.0, None, &[]),
        ]);
        assert_eq!(rec.outcome, Some(Outcome::Aired));
        assert_eq!(
            rec.reason.as_deref(),
            Some(
                "skipped chime.ogg: cannot decode: bad header; \
                 cut short stream http://ice/vov1: window ended 9.0 s early: stream down and no fallback; \
                 stream http://ice/vov1 lost at +3.0 s (no data for 5 s), no fallback"
            )
        );
    }

    #[test]
    fn nothing_aired_is_failed_and_a_clean_stream_has_no_reason() {
        let rec = record(vec![item("a.ogg", 0.0, Some("file missing"), &[])]);
        assert_eq!(rec.outcome, Some(Outcome::Failed));
        assert_eq!(
            rec.reason.as_deref(),
            Some("no item could be played; skipped a.ogg: file missing")
        );
        let rec = record(vec![item(URL, 26.0, None, &[])]);
        assert_eq!((rec.outcome, rec.reason), (Some(Outcome::Aired), None));
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_secs(45)), "45s");
        assert_eq!(human(Duration::from_secs(600)), "10m");
        assert_eq!(human(Duration::from_secs(90)), "1m30s");
        assert_eq!(human(Duration::from_secs(3720)), "1h2m");
        assert_eq!(human(Duration::from_secs(7200)), "2h");
    }
}
