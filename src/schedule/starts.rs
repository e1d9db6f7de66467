//! Start instants of ONE program, in order, from a given instant on.
//!
//! Owns the wall-clock rules: `at` times and cron read in the station zone, the
//! DST gap (a local time that does not exist is skipped, never shifted), the DST
//! overlap (only the first, earlier instant), `days` on the local date, `from`/
//! `until` as inclusive local dates, and `on_start` (boot + delay). Pure: every
//! instant is passed in; never reads the clock.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use crate::config::{Program, When};

/// The first instant of a local date (local midnight, or the first local time
/// that exists when midnight falls in a DST gap). `None` for a date the zone
/// skipped entirely.
pub fn day_start(tz: &Tz, date: NaiveDate) -> Option<DateTime<Utc>> {
    (0..24 * 60)
        .step_by(15)
        .filter_map(|m: u32| NaiveTime::from_hms_opt(m / 60, m % 60, 0))
        .find_map(|t| tz.from_local_datetime(&date.and_time(t)).earliest())
        .map(|d| d.with_timezone(&Utc))
}

/// The instant a local wall time airs at: `None` in a DST gap, the earlier
/// instant in a DST overlap.
fn resolve(tz: &Tz, date: NaiveDate, time: NaiveTime) -> Option<DateTime<Tz>> {
    tz.from_local_datetime(&date.and_time(time)).earliest()
}

enum Source<'a> {
    At {
        times: Vec<NaiveTime>,
        date: NaiveDate,
        pos: usize,
    },
    Cron(cron::ScheduleIterator<'a, Tz>),
    Once(Option<DateTime<Tz>>),
    Done,
}

/// Iterator over the start instants (station zone) of one program that are
/// `>= from`, strictly increasing. Unbounded for `at`/cron without `until`:
/// callers stop it (`take_while`).
pub struct Starts<'a> {
    tz: Tz,
    prog: &'a Program,
    from: DateTime<Utc>,
    last: Option<DateTime<Utc>>,
    source: Source<'a>,
}

impl<'a> Starts<'a> {
    /// `boot`: the daemon's start, for `on_start` programs (`None`: they yield nothing).
    pub fn new(
        tz: Tz,
        prog: &'a Program,
        from: DateTime<Utc>,
        boot: Option<DateTime<Utc>>,
    ) -> Self {
        let mut from = from;
        if let Some(first) = prog.from.and_then(|d| day_start(&tz, d)) {
            from = from.max(first);
        }
        let source = if prog.days.is_empty() {
            Source::Done
        } else {
            match &prog.when {
                When::At(times) => {
                    let mut times = times.clone();
                    times.sort_unstable();
                    times.dedup();
                    let mut date = from.with_timezone(&tz).date_naive();
                    if let Some(f) = prog.from {
                        date = date.max(f);
                    }
                    if times.is_empty() {
                        Source::Done
                    } else {
                        Source::At {
                            times,
                            date,
                            pos: 0,
                        }
                    }
                }
                When::Cron(schedule, _) => Source::Cron(cron_after(schedule, &tz, from)),
                When::OnStart(delay) => Source::Once(
                    boot.zip(TimeDelta::from_std(*delay).ok())
                        .and_then(|(b, d)| b.checked_add_signed(d))
                        .map(|s| s.with_timezone(&tz)),
                ),
                When::Once(at) => Source::Once(Some(at.with_timezone(&tz))),
            }
        };
        Starts {
            tz,
            prog,
            from,
            last: None,
            source,
        }
    }

    /// The next raw candidate: resolved in the zone, not yet filtered.
    fn candidate(&mut self) -> Option<DateTime<Tz>> {
        match &mut self.source {
            Source::Done => None,
            Source::Once(once) => once.take(),
            Source::At { times, date, pos } => loop {
                if let Some(until) = self.prog.until {
                    if *date > until {
                        return None;
                    }
                }
                if *pos >= times.len() || !self.prog.days.contains(&date.weekday()) {
                    *date = date.succ_opt()?;
                    *pos = 0;
                    continue;
                }
                let t = times[*pos];
                *pos += 1;
                if let Some(start) = resolve(&self.tz, *date, t) {
                    return Some(start);
                }
            },
            Source::Cron(it) => {
                let raw = it.next()?;
                // Overlap: cron yields both instants of a doubled local time (and
                // may revisit the doubled hour); map every one to the earlier.
                resolve(&self.tz, raw.date_naive(), raw.time()).or(Some(raw))
            }
        }
    }
}

fn cron_after<'a>(
    schedule: &'a cron::Schedule,
    tz: &Tz,
    from: DateTime<Utc>,
) -> cron::ScheduleIterator<'a, Tz> {
    // `after` is exclusive: start one second earlier so `from` itself counts.
    let after = from - TimeDelta::seconds(1);
    schedule.after(&after.with_timezone(tz))
}

impl Iterator for Starts<'_> {
    type Item = DateTime<Tz>;

    fn next(&mut self) -> Option<DateTime<Tz>> {
        loop {
            let Some(start) = self.candidate() else {
                self.source = Source::Done;
                return None;
            };
            let utc = start.with_timezone(&Utc);
            if utc < self.from || self.last.is_some_and(|l| utc <= l) {
                continue;
            }
            let date = start.date_naive();
            if self.prog.until.is_some_and(|u| date > u) {
                self.source = Source::Done;
                return None;
            }
            if self.prog.from.is_some_and(|f| date < f) {
                continue;
            }
            if !self.prog.days.contains(&date.weekday()) {
                if let (Source::Cron(_), When::Cron(schedule, _)) = (&self.source, &self.prog.when)
                {
                    // Jump to the next local day rather than walk this one.
                    if let Some(next_day) = date.succ_opt().and_then(|d| day_start(&self.tz, d)) {
                        self.source = Source::Cron(cron_after(schedule, &self.tz, next_day));
                    }
                }
                continue;
            }
            self.last = Some(utc);
            return Some(start);
        }
    }
}
