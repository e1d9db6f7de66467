//! The as-run record: one JSON object per line of `STATE/asrun.jsonl`.
//!
//! Owns the record types and their JSON shape only; never does I/O and never
//! computes the chain (`log.rs` fills `prev`).

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::time::{ts, ts_opt};

/// One line of the as-run log.
///
/// Fields that are `None` (and `items` when empty) are left out of the line.
/// Unknown fields are ignored when reading, so newer loa versions may add some.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Record {
    pub event: Event,
    /// `program@local-start`, e.g. `sang@2026-11-27T05:00:00+07:00`.
    pub occurrence: String,
    pub program: String,
    pub title: String,
    #[serde(with = "ts")]
    pub scheduled: DateTime<FixedOffset>,
    #[serde(default, with = "ts_opt", skip_serializing_if = "Option::is_none")]
    pub started: Option<DateTime<FixedOffset>>,
    /// Outcome records only.
    #[serde(default, with = "ts_opt", skip_serializing_if = "Option::is_none")]
    pub ended: Option<DateTime<FixedOffset>>,
    /// Outcome records only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Outcome records only; left out when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemAired>,
    /// SHA-256 (hex) of the previous line's bytes without its newline; 64 zeros
    /// on the first line. Set by [`super::AsRun::append`]; whatever the caller
    /// puts here is overwritten.
    #[serde(default)]
    pub prev: String,
}

/// What a record says happened.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The broadcast started (written the moment it does).
    OnAir,
    /// The broadcast ended, or was decided without airing.
    Outcome,
}

/// How an occurrence ended.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Aired,
    Partial,
    Preempted,
    Stopped,
    Missed,
    Skipped,
    Failed,
}

impl Outcome {
    /// The word used in the log, the table, CSV and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Aired => "aired",
            Outcome::Partial => "partial",
            Outcome::Preempted => "preempted",
            Outcome::Stopped => "stopped",
            Outcome::Missed => "missed",
            Outcome::Skipped => "skipped",
            Outcome::Failed => "failed",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One item of a broadcast, as it went on air.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ItemAired {
    /// Clip id or file name (or stream URL).
    pub name: String,
    /// The feed's id of the clip, for a clip that came from a feed (the hub
    /// counts its category by it: two clips may share one audio file). Absent
    /// from station files, streams, silences and older lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clip: Option<String>,
    /// Of the clip's bytes; `None` for a stream or silence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Seconds actually aired.
    pub seconds: f64,
    /// Why it was cut or skipped, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What happened while it aired, in order, with the time into the item and
    /// the cause: a stream's losses and returns (`lost at +8.1 s (…)`, `back at
    /// +14.6 s`), dead air, the fallback. Not an error: the item aired. Absent
    /// from older lines and from items with nothing to tell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<String>,
}

impl Record {
    /// An `on_air` record: the broadcast has just started.
    pub fn on_air(
        occurrence: impl Into<String>,
        program: impl Into<String>,
        title: impl Into<String>,
        scheduled: DateTime<FixedOffset>,
        started: DateTime<FixedOffset>,
    ) -> Record {
        Record {
            event: Event::OnAir,
            occurrence: occurrence.into(),
            program: program.into(),
            title: title.into(),
            scheduled,
            started: Some(started),
            ended: None,
            outcome: None,
            reason: None,
            items: Vec::new(),
            prev: String::new(),
        }
    }

    /// An outcome record with no start, end, reason or items yet (set the
    /// public fields as needed).
    pub fn outcome(
        occurrence: impl Into<String>,
        program: impl Into<String>,
        title: impl Into<String>,
        scheduled: DateTime<FixedOffset>,
        outcome: Outcome,
    ) -> Record {
        Record {
            event: Event::Outcome,
            occurrence: occurrence.into(),
            program: program.into(),
            title: title.into(),
            scheduled,
            started: None,
            ended: None,
            outcome: Some(outcome),
            reason: None,
            items: Vec::new(),
            prev: String::new(),
        }
    }

    /// The outcome that closes an `on_air` record left open by a power cut or
    /// a kill: `partial`, reason `interrupted`, same start, no known end.
    pub fn interrupted(on_air: &Record) -> Record {
        let mut rec = Record::outcome(
            on_air.occurrence.clone(),
            on_air.program.clone(),
            on_air.title.clone(),
            on_air.scheduled,
            Outcome::Partial,
        );
        rec.started = on_air.started;
        rec.reason = Some("interrupted".to_string());
        rec
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn on_air_line_shape() {
        let rec = Record::on_air(
            "sang@2026-11-27T05:00:00+07:00",
            "sang",
            "Bản tin buổi sáng",
            t("2026-11-27T05:00:00+07:00"),
            t("2026-11-27T05:00:00.0123+07:00"),
        );
        assert_eq!(
            serde_json::to_string(&rec).unwrap(),
            r#"{"event":"on_air","occurrence":"sang@2026-11-27T05:00:00+07:00","program":"sang","title":"Bản tin buổi sáng","scheduled":"2026-11-27T05:00:00.000+07:00","started":"2026-11-27T05:00:00.012+07:00","prev":""}"#
        );
    }

    #[test]
    fn outcome_line_shape_and_back() {
        let mut rec = Record::outcome(
            "sang@2026-11-27T05:00:00+07:00",
            "sang",
            "Bản tin",
            t("2026-11-27T05:00:00+07:00"),
            Outcome::Preempted,
        );
        rec.started = Some(t("2026-11-27T05:00:00.5+07:00"));
        rec.ended = Some(t("2026-11-27T05:03:00+07:00"));
        rec.reason = Some("emergency bao-so-9".into());
        rec.items = vec![ItemAired {
            name: "chime.ogg".into(),
            clip: None,
            sha256: Some("ab".into()),
            seconds: 4.5,
            error: None,
            events: Vec::new(),
        }];
        let line = serde_json::to_string(&rec).unwrap();
        assert_eq!(
            line,
            r#"{"event":"outcome","occurrence":"sang@2026-11-27T05:00:00+07:00","program":"sang","title":"Bản tin","scheduled":"2026-11-27T05:00:00.000+07:00","started":"2026-11-27T05:00:00.500+07:00","ended":"2026-11-27T05:03:00.000+07:00","outcome":"preempted","reason":"emergency bao-so-9","items":[{"name":"chime.ogg","sha256":"ab","seconds":4.5}],"prev":""}"#
        );
        let back: Record = serde_json::from_str(&line).unwrap();
        assert_eq!(back, rec);
    }

    #[test]
    fn reads_any_rfc3339_and_ignores_unknown_fields() {
        let rec: Record = serde_json::from_str(
            r#"{"event":"outcome","occurrence":"x@1","program":"x","title":"X","scheduled":"2026-11-26T22:00:00Z","outcome":"missed","future":1,"prev":"00"}"#,
        )
        .unwrap();
        assert_eq!(rec.scheduled, t("2026-11-27T05:00:00+07:00"));
        assert_eq!(rec.outcome, Some(Outcome::Missed));
        assert_eq!(rec.started, None);
        assert!(rec.items.is_empty());
    }

    #[test]
    fn an_item_carries_its_feed_clip_id_and_older_items_parse_without() {
        let item = ItemAired {
            name: "priority tin-b".into(),
            clip: Some("tin-b".into()),
            sha256: Some("ab".into()),
            seconds: 3.0,
            error: None,
            events: Vec::new(),
        };
        let text = serde_json::to_string(&item).unwrap();
        assert_eq!(
            text,
            r#"{"name":"priority tin-b","clip":"tin-b","sha256":"ab","seconds":3.0}"#
        );
        assert_eq!(serde_json::from_str::<ItemAired>(&text).unwrap(), item);
        let old: ItemAired =
            serde_json::from_str(r#"{"name":"tin-b","sha256":"ab","seconds":3.0}"#).unwrap();
        assert_eq!(old.clip, None);
    }

    #[test]
    fn interrupted_closes_as_partial() {
        let on = Record::on_air(
            "a@1",
            "a",
            "A",
            t("2026-11-27T05:00:00+07:00"),
            t("2026-11-27T05:00:01+07:00"),
        );
        let out = Record::interrupted(&on);
        assert_eq!(out.event, Event::Outcome);
        assert_eq!(out.outcome, Some(Outcome::Partial));
        assert_eq!(out.reason.as_deref(), Some("interrupted"));
        assert_eq!(out.started, on.started);
        assert_eq!(out.ended, None);
    }
}
