//! Tests of the as-run log. Shared helpers here; the log itself (chain, fsync,
//! torn lines, verify) in `log.rs`; start-up on years of history (the summary)
//! in `history.rs`; rows and rendering in `view.rs`.

#[path = "../../../tests/common/history.rs"]
mod gen;
mod history;
mod log;
mod view;

use std::fs;
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use super::lines::hash;
use super::*;

pub(super) fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

pub(super) fn utc(s: &str) -> DateTime<Utc> {
    t(s).with_timezone(&Utc)
}

pub(super) fn occ(program: &str, at: &str) -> String {
    format!("{program}@{at}")
}

pub(super) fn on_air(program: &str, title: &str, at: &str, started: &str) -> Record {
    Record::on_air(occ(program, at), program, title, t(at), t(started))
}

pub(super) fn outcome(program: &str, title: &str, at: &str, o: Outcome) -> Record {
    Record::outcome(occ(program, at), program, title, t(at), o)
}

pub(super) fn aired(program: &str, title: &str, at: &str, started: &str, ended: &str) -> Record {
    let mut r = outcome(program, title, at, Outcome::Aired);
    r.started = Some(t(started));
    r.ended = Some(t(ended));
    r.items = vec![
        ItemAired {
            name: "chime.ogg".into(),
            clip: None,
            sha256: Some("aa".repeat(32)),
            seconds: 4.5,
            error: None,
            events: Vec::new(),
        },
        ItemAired {
            name: "cchc-2026-11-27".into(),
            clip: None,
            sha256: Some("bb".repeat(32)),
            seconds: 120.25,
            error: None,
            events: Vec::new(),
        },
    ];
    r
}

pub(super) const A: &str = "2026-11-27T05:00:00+07:00";
pub(super) const B: &str = "2026-11-27T17:00:00+07:00";
pub(super) const C: &str = "2026-11-28T05:00:00+07:00";

pub(super) fn file_lines(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.ends_with('\n') || text.is_empty());
    text.lines().map(str::to_string).collect()
}

pub(super) fn prev_of(line: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    v["prev"].as_str().unwrap().to_string()
}
