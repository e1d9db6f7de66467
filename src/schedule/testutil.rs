//! Test helpers: small builders for `Config` / `Program` values and instants.
//!
//! Test-only; never reads files or the clock.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use crate::config::*;

pub const ALL_DAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

pub fn config(tz: Tz, programs: Vec<Program>) -> Config {
    Config {
        path: PathBuf::from("/etc/loa/loa.toml"),
        station: Station {
            name: "test".into(),
            areas: vec![],
            timezone: tz,
            lang: vec![],
            language: None,
        },
        output: Output {
            device: "null".into(),
            volume: 1.0,
            quiet_hours: vec![],
            power_on: None,
            power_off: None,
            warmup: Duration::ZERO,
            loudness: None,
            dead_air: Duration::from_secs(10),
        },
        paths: Paths {
            clips: PathBuf::from("/clips"),
            state: PathBuf::from("/state"),
        },
        feeds: vec![],
        hub: Default::default(),
        programs,
    }
}

pub fn time(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
        .expect("test time")
}

pub fn quiet(start: &str, end: &str) -> QuietHours {
    QuietHours {
        start: time(start),
        end: time(end),
    }
}

pub fn program(id: &str, when: When) -> Program {
    Program {
        id: id.into(),
        title: format!("Title {id}"),
        when,
        days: ALL_DAYS.to_vec(),
        from: None,
        until: None,
        priority: DEFAULT_PRIORITY,
        max_duration: None,
        late_limit: DEFAULT_LATE_LIMIT,
        volume: 1.0,
        play: vec![Item::File(PathBuf::from(format!("/clips/{id}.ogg")))],
    }
}

pub fn at_prog(id: &str, times: &[&str]) -> Program {
    program(id, When::At(times.iter().map(|t| time(t)).collect()))
}

pub fn cron_prog(id: &str, expr: &str) -> Program {
    let s = cron::Schedule::from_str(expr).expect("test cron");
    program(id, When::Cron(Box::new(s), expr.into()))
}

pub fn on_start_prog(id: &str, delay_s: u64) -> Program {
    program(id, When::OnStart(Duration::from_secs(delay_s)))
}

/// A local wall time that exists exactly once.
pub fn local(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Tz> {
    tz.with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .expect("unambiguous test time")
}

pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

pub fn lutc(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    local(tz, y, mo, d, h, mi, s).with_timezone(&Utc)
}

pub fn ids(v: &[crate::schedule::Occurrence]) -> Vec<String> {
    v.iter().map(|o| o.id.clone()).collect()
}

/// Local start times of the programs of [`long_history`].
pub const HISTORY_TIMES: [&str; 10] = [
    "05:00", "06:30", "08:00", "09:30", "11:00", "12:30", "14:00", "15:30", "17:00", "18:30",
];

/// The programs of [`long_history`]: `lich-su-1` … `lich-su-10`.
pub fn history_programs() -> Vec<Program> {
    HISTORY_TIMES
        .iter()
        .enumerate()
        .map(|(k, t)| at_prog(&format!("lich-su-{}", k + 1), &[t]))
        .collect()
}

/// The facts of `years` of a station airing [`history_programs`] every day
/// (5-minute broadcasts) up to `end`, the last record (`lich-su-cuoi`)
/// scheduled one second before `end`: as a daemon would have noted them.
pub fn long_history(tz: Tz, end: DateTime<Utc>, years: u32) -> crate::schedule::Facts {
    use crate::schedule::occurrence_id;
    let mut facts = crate::schedule::Facts::default();
    let last_day = end.with_timezone(&tz).date_naive();
    let first_day = last_day - chrono::TimeDelta::days(i64::from(years) * 365);
    for day in first_day.iter_days().take_while(|d| *d <= last_day) {
        for (k, t) in HISTORY_TIMES.iter().enumerate() {
            let Some(start) = day.and_time(time(t)).and_local_timezone(tz).single() else {
                continue;
            };
            let ended = start.with_timezone(&Utc) + chrono::TimeDelta::minutes(5);
            if ended >= end {
                continue;
            }
            let id = occurrence_id(&format!("lich-su-{}", k + 1), &start);
            facts.note(&id, start.with_timezone(&Utc), [ended]);
        }
    }
    let last = end - chrono::TimeDelta::seconds(1);
    facts.note(
        &occurrence_id("lich-su-cuoi", &last.with_timezone(&tz)),
        last,
        [],
    );
    facts
}
