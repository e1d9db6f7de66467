//! A generator of long, well-formed as-run histories: years of a busy
//! station (by default 10 programs a day, each an `on_air` line and an
//! `aired` outcome line), chained as `loa log --verify` checks it.
//!
//! Deliberately independent of loa's own code (only serde_json, sha2 and
//! chrono), so tests do not trust the code they test. Used by the
//! integration tests, the record unit tests (via `#[path]`) and
//! `scripts/gen-history.sh` (examples/gen_history.rs).
#![allow(dead_code)]

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveTime, TimeDelta, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Local start times of the generated programs (`lich-su-1` … `lich-su-10`).
pub const TIMES: [&str; 10] = [
    "05:00", "06:30", "08:00", "09:30", "11:00", "12:30", "14:00", "15:30", "17:00", "18:30",
];
/// How long each generated broadcast lasts.
pub const BROADCAST: TimeDelta = TimeDelta::minutes(5);

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Days of history, ending with the day of `end`.
    pub days: u32,
    /// Nothing in the history is at or after this instant.
    pub end: DateTime<Utc>,
    /// The station's UTC offset, in hours.
    pub offset_h: i32,
    /// Programs a day (the first `per_day` of [`TIMES`]).
    pub per_day: usize,
    /// Records written before the generated ones (their `prev` is set here).
    pub first: Vec<serde_json::Value>,
}

impl Spec {
    pub fn years(years: u32, end: DateTime<Utc>, offset_h: i32) -> Spec {
        Spec {
            days: years * 365,
            end,
            offset_h,
            per_day: TIMES.len(),
            first: Vec::new(),
        }
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub lines: usize,
    pub bytes: u64,
    /// SHA-256 of the last line (the chain's tip).
    pub head: String,
    /// Latest instant written.
    pub newest: Option<DateTime<Utc>>,
    /// Occurrence ids, oldest first.
    pub occurrences: Vec<String>,
}

#[derive(Serialize)]
struct Item<'a> {
    name: &'a str,
    sha256: String,
    seconds: f64,
}

#[derive(Serialize)]
struct Line<'a> {
    event: &'a str,
    occurrence: &'a str,
    program: &'a str,
    title: &'a str,
    scheduled: String,
    started: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    ended: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    items: Vec<Item<'a>>,
    prev: String,
}

fn ts(t: DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string()
}

fn sha_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The SHA-256 the history gives feed clip number `n` (a new clip every
/// third day, so rotation memory has years of distinct clips in it).
pub fn clip_sha(n: i64) -> String {
    sha_hex(format!("ban-tin-{n}").as_bytes())
}

fn put(out: &mut impl Write, line: &impl Serialize, w: &mut Written) -> io::Result<()> {
    let mut text = serde_json::to_string(line).map_err(io::Error::other)?;
    w.head = sha_hex(text.as_bytes());
    text.push('\n');
    out.write_all(text.as_bytes())?;
    w.lines += 1;
    w.bytes += text.len() as u64;
    Ok(())
}

/// Writes the history to `path` (replacing it).
pub fn write(path: &Path, spec: &Spec) -> io::Result<Written> {
    let mut out = BufWriter::new(File::create(path)?);
    let tz = FixedOffset::east_opt(spec.offset_h * 3600).expect("offset in range");
    let last_day = spec.end.with_timezone(&tz).date_naive();
    let first_day = last_day - TimeDelta::days(i64::from(spec.days) - 1);
    let chime = sha_hex(b"chime.ogg");
    let mut w = Written {
        lines: 0,
        bytes: 0,
        head: "0".repeat(64),
        newest: None,
        occurrences: Vec::new(),
    };
    for rec in &spec.first {
        let mut rec = rec.clone();
        rec["prev"] = serde_json::Value::String(w.head.clone());
        put(&mut out, &rec, &mut w)?;
    }
    for day in first_day.iter_days().take_while(|d| *d <= last_day) {
        let day_no = (day - first_day).num_days();
        for (k, hm) in TIMES.iter().take(spec.per_day).enumerate() {
            let time = NaiveTime::parse_from_str(hm, "%H:%M").expect("HH:MM");
            let start = day
                .and_time(time)
                .and_local_timezone(tz)
                .single()
                .expect("fixed offset");
            let started = start + TimeDelta::milliseconds(3 + (day_no % 7));
            let ended = started + BROADCAST;
            if ended.with_timezone(&Utc) >= spec.end {
                continue;
            }
            let program = format!("lich-su-{}", k + 1);
            let occurrence = format!("{program}@{}", start.format("%Y-%m-%dT%H:%M:%S%:z"));
            let title = format!("Chương trình phát thanh số {} — lịch sử thử nghiệm", k + 1);
            let on_air = Line {
                event: "on_air",
                occurrence: &occurrence,
                program: &program,
                title: &title,
                scheduled: ts(start),
                started: ts(started),
                ended: None,
                outcome: None,
                items: Vec::new(),
                prev: w.head.clone(),
            };
            put(&mut out, &on_air, &mut w)?;
            let clip = format!("ban-tin-{}", day_no / 3);
            let aired = Line {
                event: "outcome",
                ended: Some(ts(ended)),
                outcome: Some("aired"),
                items: vec![
                    Item {
                        name: "chime.ogg",
                        sha256: chime.clone(),
                        seconds: 4.5,
                    },
                    Item {
                        name: &clip,
                        sha256: clip_sha(day_no / 3),
                        seconds: 295.5,
                    },
                ],
                prev: w.head.clone(),
                ..on_air
            };
            put(&mut out, &aired, &mut w)?;
            w.newest = Some(ended.with_timezone(&Utc));
            w.occurrences.push(occurrence);
        }
    }
    out.flush()?;
    out.get_ref().sync_all()?;
    Ok(w)
}
