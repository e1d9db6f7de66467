//! `loa agenda`: what will air, resolved to clips, with durations and decisions.
//!
//! Durations come from decoding each clip once (cached per file), so a
//! thousand programs sharing a few clips stay fast.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use std::io::Write;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use crate::clock::Clock;
use crate::config::{self, Item};
use crate::feed::select;
use crate::feed::view::{self, FeedView};
use crate::schedule::{self, AgendaEntry, AgendaItem, Decision};

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
    let mut cfg = match super::load(path) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    // Enrolled: the timetable the hub sent airs too (`loa run` adds it the same way).
    crate::link::programs::merge(&mut cfg);
    let tz = cfg.station.timezone;
    let from = match parse_from(from, tz, clock.now()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("loa: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let to = from + TimeDelta::days(i64::from(days));
    // Feed items resolve against the store as it is now (and pushed
    // broadcasts join the schedule); an unreadable store counts as empty.
    let view = FeedView::read(&cfg.paths.state).unwrap_or_default();
    let (sched, pushed) = view::with_pushed(&cfg, &view);
    let st = select::Station {
        areas: &cfg.station.areas,
        lang: &cfg.station.lang,
        today: from.with_timezone(&tz).date_naive(),
    };
    let never = HashMap::new();
    let secs = |c: &crate::feed::store::StoredClip| c.duration_s.map(Duration::from_secs_f64);
    let mut cache: HashMap<PathBuf, Option<Duration>> = HashMap::new();
    let mut duration_of = |item: &Item| match item {
        Item::File(p) => *cache
            .entry(p.clone())
            .or_insert_with(|| crate::decode::probe(p).ok().flatten()),
        Item::Silence(d) => Some(*d),
        Item::Stream { duration, .. } => Some(*duration),
        Item::Category { category, count } => {
            let picked = select::category(&view.clips, category, *count, &st, &never);
            picked
                .iter()
                .map(|c| secs(c))
                .sum::<Option<Duration>>()
                .filter(|_| !picked.is_empty())
        }
        Item::Clip(id) => select::by_id(&view.clips, id, &st).and_then(secs),
    };
    let mut entries = schedule::agenda(&sched, from, to, None, &mut duration_of);
    // Each day's due priority clips open its first station program; today's that
    // already aired (as-run log) are not due again.
    let aired = aired_today(
        &cfg.paths.state,
        clock.now().with_timezone(&tz).date_naive(),
    );
    let own = |o: &schedule::Occurrence| !pushed.iter().any(|(id, _)| *id == o.program);
    schedule::place_priority(&sched, &mut entries, &own, &mut |date| {
        let st = select::Station { today: date, ..st };
        select::priority_due(&view.clips, &st, &aired, tz)
            .into_iter()
            .map(|c| AgendaItem {
                kind: "priority",
                name: format!("priority {}", c.id),
                duration: secs(c),
                window: None,
            })
            .collect()
    });
    let stdout = std::io::stdout().lock();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, stdout);
    if json_out {
        write_json(&mut w, &entries)?;
    } else {
        write_table(&mut w, &entries, tz, from, to)?;
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// When each clip (by SHA-256) aired today, from today's as-run records (an
/// unreadable log counts as empty: the agenda is a forecast).
fn aired_today(state: &Path, today: NaiveDate) -> HashMap<String, DateTime<Utc>> {
    let path = state.join(crate::record::FILE_NAME);
    let records = crate::record::read_between(&path, Some(today), Some(today)).unwrap_or_default();
    let mut out = HashMap::new();
    for r in records {
        let Some(started) = r
            .started
            .filter(|_| r.event == crate::record::Event::Outcome)
        else {
            continue;
        };
        for i in r.items.iter().filter(|i| i.seconds > 0.0) {
            if let Some(sha) = &i.sha256 {
                out.insert(sha.clone(), started.with_timezone(&Utc));
            }
        }
    }
    out
}

/// A JSON array, one entry per line: valid JSON, and greppable.
pub fn write_json(w: &mut impl Write, entries: &[AgendaEntry]) -> std::io::Result<()> {
    w.write_all(b"[")?;
    for (i, e) in entries.iter().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *w, &e.json())?;
    }
    w.write_all(b"\n]\n")
}

fn write_mmss(w: &mut impl Write, d: Option<Duration>) -> std::io::Result<()> {
    match d {
        Some(d) => write!(w, "{}:{:02}", d.as_secs() / 60, d.as_secs() % 60),
        None => w.write_all(b"?"),
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub fn write_table(
    w: &mut impl Write,
    entries: &[AgendaEntry],
    tz: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> std::io::Result<()> {
    writeln!(
        w,
        "Agenda {} → {} ({tz}): {} broadcast(s)",
        from.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
        to.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
        entries.len()
    )?;
    let mut day = None;
    for e in entries {
        let t = &e.occ.start;
        let date = t.date_naive();
        if day != Some(date) {
            let wd = WEEKDAYS[t.weekday().num_days_from_monday() as usize];
            write!(
                w,
                "\n{wd} {:04}-{:02}-{:02}\n",
                date.year(),
                date.month(),
                date.day()
            )?;
            day = Some(date);
        }
        write!(
            w,
            "  {:02}:{:02}:{:02}  {:<16} p{:<3} ",
            t.hour(),
            t.minute(),
            t.second(),
            e.occ.program,
            e.occ.priority
        )?;
        write_mmss(w, e.duration)?;
        write!(w, "  {}", e.occ.title)?;
        if e.decision != Decision::Air {
            write!(
                w,
                "  [{}] {}",
                e.decision.as_str(),
                e.reason.as_deref().unwrap_or("")
            )?;
        }
        w.write_all(b"\n            ")?;
        for (i, item) in e.items.iter().enumerate() {
            if i > 0 {
                w.write_all(" · ".as_bytes())?;
            }
            if item.kind == "stream" {
                w.write_all(b"stream ")?;
            }
            write!(w, "{} (", item.name)?;
            write_mmss(w, item.duration)?;
            if let Some((a, b)) = item.window {
                let at =
                    |d: Duration| t.with_timezone(&tz) + TimeDelta::from_std(d).unwrap_or_default();
                write!(
                    w,
                    ", {}–{}",
                    at(a).format("%H:%M:%S"),
                    at(b).format("%H:%M:%S")
                )?;
            }
            w.write_all(b")")?;
        }
        w.write_all(b"\n")?;
    }
    Ok(())
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
