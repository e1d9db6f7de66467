//! The validated station configuration: what the rest of loa reads.
//!
//! Owns only plain data. Parsing, spans and validation live in the sibling
//! modules; nothing here does I/O. Every path is already absolute (resolved
//! against the config file's folder).

use std::path::PathBuf;
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;

/// A whole, valid station config.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from (absolute).
    pub path: PathBuf,
    pub station: Station,
    pub output: Output,
    pub paths: Paths,
    /// `[feed]` / `[[feed]]` tables.
    pub feeds: Vec<Feed>,
    /// `[hub]`: how the station reports to the hub it is enrolled with (`loa enroll`).
    pub hub: HubLink,
    pub programs: Vec<Program>,
}

/// The optional `[hub]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct HubLink {
    /// Heartbeat interval (default 1 min).
    pub heartbeat: Duration,
}

impl Default for HubLink {
    fn default() -> Self {
        HubLink {
            heartbeat: Duration::from_secs(60),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Station {
    pub name: String,
    pub areas: Vec<String>,
    pub timezone: Tz,
    /// Empty = all languages.
    pub lang: Vec<String>,
    /// The language the station's command line speaks (`language = "vi"`);
    /// `None`: the environment's (`LANG`), else English.
    pub language: Option<crate::i18n::Lang>,
}

#[derive(Debug, Clone)]
pub struct Output {
    /// `default`, a device name, `wav:PATH` or `null`.
    pub device: String,
    /// Master volume, 0.0–1.0.
    pub volume: f32,
    pub quiet_hours: Vec<QuietHours>,
    /// argv run before each broadcast (amplifier relay on).
    pub power_on: Option<Vec<String>>,
    /// argv run after each broadcast.
    pub power_off: Option<Vec<String>>,
    pub warmup: Duration,
    /// LUFS target; `None` = "off". Not active yet (relay issue).
    pub loudness: Option<f64>,
    /// Not active yet (relay issue).
    pub dead_air: Duration,
}

/// A daily local-time window `start-end`; `end < start` wraps past midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// `HH:MM-HH:MM` as the config writes it (seconds only when not zero).
    pub fn text(&self) -> String {
        let hhmm = |t: NaiveTime| {
            if t.second() == 0 {
                t.format("%H:%M").to_string()
            } else {
                t.format("%H:%M:%S").to_string()
            }
        };
        format!("{}-{}", hhmm(self.start), hhmm(self.end))
    }

    /// Whether a local time of day falls inside (start inclusive, end exclusive).
    pub fn contains(&self, t: NaiveTime) -> bool {
        if self.start <= self.end {
            t >= self.start && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }
}

#[derive(Debug, Clone)]
pub struct Paths {
    pub clips: PathBuf,
    pub state: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub url: String,
    pub public_key: String,
    pub every: Duration,
    pub max_store: Option<u64>,
    /// The id this feed knows the station by (the hub's feed of an enrolled
    /// station): clips bound to other stations are not downloaded. None for
    /// `[feed]` tables: station-bound clips are never theirs.
    pub station: Option<String>,
}

/// How a program's start instants are defined.
#[derive(Debug, Clone)]
pub enum When {
    /// Local times of day.
    At(Vec<NaiveTime>),
    /// A cron expression (seconds first), with its source text.
    Cron(Box<cron::Schedule>, String),
    /// Once per daemon start, this long after it.
    OnStart(Duration),
    /// Once, at this instant: a broadcast pushed by a feed (never from TOML).
    Once(chrono::DateTime<chrono::Utc>),
}

#[derive(Debug, Clone)]
pub struct Program {
    /// Unique, `[a-z0-9-]+`.
    pub id: String,
    pub title: String,
    pub when: When,
    /// Days it may start on; all seven when the key is absent.
    pub days: Vec<Weekday>,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Default 10; >= 100 is an emergency (ignores quiet hours).
    pub priority: u32,
    pub max_duration: Option<Duration>,
    /// Default 10 minutes.
    pub late_limit: Duration,
    /// Program volume, 0.0–1.0 (times the master volume).
    pub volume: f32,
    pub play: Vec<Item>,
}

impl Program {
    pub fn is_emergency(&self) -> bool {
        self.priority >= EMERGENCY_PRIORITY
    }
}

pub const EMERGENCY_PRIORITY: u32 = 100;
pub const DEFAULT_PRIORITY: u32 = 10;
pub const DEFAULT_LATE_LIMIT: Duration = Duration::from_secs(600);

/// One entry of a program's `play` list.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A station file (absolute path).
    File(PathBuf),
    Silence(Duration),
    /// Feed clips of a category valid today, least recently aired first.
    Category {
        category: String,
        count: u32,
    },
    /// One feed clip by id.
    Clip(String),
    /// A live stream relay for `duration`; `fallback` airs for the rest of the
    /// window if the stream cannot be joined, is lost or stays silent.
    Stream {
        url: String,
        duration: Duration,
        fallback: Vec<Item>,
    },
}
