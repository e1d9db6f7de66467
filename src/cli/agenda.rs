//! `loa agenda`: what will air, resolved to clips, with durations and decisions.
//!
//! Durations come from decoding each clip once (cached per file), so a
//! thousand programs sharing a few clips stay fast.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use crate::clock::Clock;
use crate::config::{self, Item};
use crate::schedule::{self, AgendaEntry, Decision};

/// `--from`: a date (start of that local day) or a local date-time; default now.
pub fn parse_from(s: Option<&str>, tz: Tz, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let Some(s) = s else { return Ok(now) };
    let local = if let Ok(d) = config::parse_date(s) {
        d.and_hms_opt(0, 0, 0).unwrap_or_default()
    } else {
        [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .ok_or_else(|| format!("--from `{s}`: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]"))?
    };
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + TimeDelta::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| format!("--from `{s}`: no such local time in {tz}"))
}

pub fn run(
    path: &Path,
    clock: Clock,
    from: Option<&str>,
    days: u32,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let cfg = match super::load(path) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let tz = cfg.station.timezone;
    let from = match parse_from(from, tz, clock.now()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("loa: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let to = from + TimeDelta::days(i64::from(days));
    let mut cache: HashMap<PathBuf, Option<Duration>> = HashMap::new();
    let mut duration_of = |item: &Item| match item {
        Item::File(p) => *cache
            .entry(p.clone())
            .or_insert_with(|| crate::playout::probe(p).ok().flatten()),
        Item::Silence(d) => Some(*d),
        Item::Stream { duration, .. } => Some(*duration),
        _ => None,
    };
    let entries = schedule::agenda(&cfg, from, to, None, &mut duration_of);
    let out = if json_out {
        render_json(&entries)
    } else {
        render_table(&entries, tz, from, to)
    };
    println!("{out}");
    Ok(ExitCode::SUCCESS)
}

pub fn render_json(entries: &[AgendaEntry]) -> String {
    let arr: Vec<serde_json::Value> = entries.iter().map(AgendaEntry::to_json).collect();
    serde_json::to_string_pretty(&arr).unwrap_or_else(|_| "[]".into())
}

fn mmss(d: Option<Duration>) -> String {
    d.map_or("?".into(), |d| {
        format!("{}:{:02}", d.as_secs() / 60, d.as_secs() % 60)
    })
}

pub fn render_table(
    entries: &[AgendaEntry],
    tz: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> String {
    let mut out = format!(
        "Agenda {} → {} ({tz}): {} broadcast(s)\n",
        from.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
        to.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
        entries.len()
    );
    let mut day = String::new();
    for e in entries {
        let d = e.occ.start.format("%a %Y-%m-%d").to_string();
        if d != day {
            out.push_str(&format!("\n{d}\n"));
            day = d;
        }
        let flag = match e.decision {
            Decision::Air => String::new(),
            ref other => format!(
                "  [{}] {}",
                other.as_str(),
                e.reason.clone().unwrap_or_default()
            ),
        };
        out.push_str(&format!(
            "  {}  {:<16} p{:<3} {:>6}  {}{flag}\n",
            e.occ.start.format("%H:%M:%S"),
            e.occ.program,
            e.occ.priority,
            mmss(e.duration),
            e.occ.title
        ));
        let names: Vec<String> = e
            .items
            .iter()
            .map(|i| format!("{} ({})", i.name, mmss(i.duration)))
            .collect();
        out.push_str(&format!("            {}\n", names.join(" · ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_accepts_dates_and_datetimes_in_station_time() {
        let tz: Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        let now = Utc::now();
        let d = parse_from(Some("2026-11-27"), tz, now).unwrap();
        assert_eq!(d.to_rfc3339(), "2026-11-26T17:00:00+00:00");
        let dt = parse_from(Some("2026-11-27T05:30"), tz, now).unwrap();
        assert_eq!(dt.to_rfc3339(), "2026-11-26T22:30:00+00:00");
        assert_eq!(parse_from(None, tz, now).unwrap(), now);
        assert!(parse_from(Some("27/11/2026"), tz, now)
            .unwrap_err()
            .contains("expected YYYY-MM-DD"));
    }
}
