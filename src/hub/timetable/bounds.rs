//! The hub's own bounds on programs, on top of `loa check`'s rules (which the
//! station keeps as SPEC.md fixes them): a program may not start more often
//! than once a minute (`MIN_GAP`), whoever sends it — an operator's timetable
//! (the API and the page editor) or a station's own programs in its
//! heartbeat; and an operator's timetable keeps priorities 1–99, like play
//! now (emergencies go through approval).
//!
//! Why once a minute: the week picture and every report work in minutes, no
//! loudspeaker programme repeats within a minute, and a program that does
//! (`cron = "* * * * * *"`: 604,800 starts a week) made a 1.3 GB page. A
//! seconds-first cron fires at most once a minute exactly when its seconds
//! field holds one value; `at` times must lie 60 s apart around the clock.

use std::str::FromStr;
use std::time::Duration;

use chrono::{NaiveTime, Timelike};
use cron::TimeUnitSpec;

use crate::config::{Program, When};
use crate::hub::error::Reason;

/// The closest two starts of one program may be.
pub const MIN_GAP: Duration = Duration::from_secs(60);

/// Why a program that fires this way is refused, if it is.
fn frequency_problem(id: &str, cron: Option<&str>, at: &[NaiveTime]) -> Option<Reason> {
    if let Some(expr) = cron {
        let n = cron::Schedule::from_str(expr).ok()?.seconds().count();
        if n > 1 {
            return Some(
                Reason::new("err-program-fires-too-often-cron")
                    .arg("id", id)
                    .arg("expr", expr)
                    .arg("n", n),
            );
        }
        return None;
    }
    let mut secs: Vec<u32> = at.iter().map(|t| t.num_seconds_from_midnight()).collect();
    secs.sort_unstable();
    let gap = MIN_GAP.as_secs() as u32;
    let close = secs
        .windows(2)
        .map(|w| (w[0], w[1]))
        .chain((secs.len() > 1).then(|| (secs[secs.len() - 1], secs[0] + 86_400)))
        .find(|(a, b)| b - a < gap)?;
    let hms = |s: u32| {
        let s = s % 86_400;
        format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    };
    let (a, b) = (hms(close.0), hms(close.1));
    Some(
        Reason::new("err-program-fires-too-often-times")
            .arg("id", id)
            .arg("a", a)
            .arg("b", b),
    )
}

/// Why `prog` fires too often for the hub, if it does.
pub fn too_frequent(prog: &Program) -> Option<Reason> {
    match &prog.when {
        When::Cron(_, expr) => frequency_problem(&prog.id, Some(expr), &[]),
        When::At(times) => frequency_problem(&prog.id, None, times),
        When::OnStart(_) | When::Once(_) => None,
    }
}

/// The same rule on raw `[[program]]` tables (a station's own programs, which
/// the hub cannot check whole): the first program that fires too often.
/// Values that do not parse are left to the station's own checks.
pub fn too_frequent_raw(programs: &toml::Table) -> Option<Reason> {
    let list = programs.get("program")?.as_array()?;
    list.iter().filter_map(toml::Value::as_table).find_map(|p| {
        let id = p.get("id").and_then(toml::Value::as_str).unwrap_or("?");
        if let Some(expr) = p.get("cron").and_then(toml::Value::as_str) {
            return frequency_problem(id, Some(expr), &[]);
        }
        let at: Vec<NaiveTime> = p
            .get("at")
            .and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(toml::Value::as_str)
                    .filter_map(|t| {
                        NaiveTime::parse_from_str(t, "%H:%M:%S")
                            .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"))
                            .ok()
                    })
                    .collect()
            })
            .unwrap_or_default();
        frequency_problem(id, None, &at)
    })
}

/// Byte offset of the `index`-th `[[program]]` table of `text` (0 if unknown).
pub fn program_offset(text: &str, index: usize) -> usize {
    toml::de::DeTable::parse(text)
        .ok()
        .and_then(|root| {
            root.get_ref()
                .get("program")
                .and_then(|p| p.get_ref().as_array().and_then(|a| a.get(index)))
                .map(|t| t.span().start)
        })
        .unwrap_or(0)
}

/// The first program of `text` whose priority is over `max`: (id, priority).
pub fn over_priority(text: &str, max: u32) -> Option<(String, i64)> {
    let t: toml::Table = text.parse().ok()?;
    t.get("program")?
        .as_array()?
        .iter()
        .filter_map(toml::Value::as_table)
        .find_map(|p| {
            let pr = p.get("priority")?.as_integer()?;
            (pr > i64::from(max)).then(|| {
                let id = p.get("id").and_then(toml::Value::as_str).unwrap_or("?");
                (id.to_string(), pr)
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Option<Reason> {
        too_frequent_raw(&s.parse().unwrap())
    }

    #[test]
    fn once_a_minute_at_most() {
        let r = raw("[[program]]\nid = \"x\"\ncron = \"* * * * * *\"\n").unwrap();
        let vi = r.text(crate::i18n::Lang::Vi);
        assert!(vi.contains("`x`") && vi.contains("quá dày"), "{vi}");
        assert!(raw("[[program]]\nid = \"x\"\ncron = \"0,30 * * * * *\"\n").is_some());
        assert!(raw("[[program]]\nid = \"x\"\ncron = \"0 * * * * *\"\n").is_none());
        assert!(raw("[[program]]\nid = \"x\"\ncron = \"0 0 5 * * Mon-Sat\"\n").is_none());
        assert!(raw("[[program]]\nid = \"y\"\nat = [\"05:00\", \"05:00:30\"]\n").is_some());
        assert!(raw("[[program]]\nid = \"y\"\nat = [\"23:59:30\", \"00:00:10\"]\n").is_some());
        assert!(raw("[[program]]\nid = \"y\"\nat = [\"05:00\", \"05:01\", \"17:00\"]\n").is_none());
        assert!(raw("[[program]]\nid = \"z\"\non_start = \"5s\"\n").is_none());
    }

    #[test]
    fn priorities_and_positions() {
        let t = "[[program]]\nid = \"a\"\nat = [\"05:00\"]\n\n[[program]]\nid = \"b\"\npriority = 200\n";
        assert_eq!(over_priority(t, 99), Some(("b".into(), 200)));
        assert_eq!(over_priority(t, 999), None);
        let line = t[..program_offset(t, 1)].matches('\n').count() + 1;
        assert!(line == 5 || line == 6, "{line}");
    }
}
