//! Circular 39's `priority` level in the agenda: on each day, the clips due that day
//! open the first station program that will air (priority < 100, not a pushed
//! broadcast), before its own items. Pure: the caller says which clips are due on a
//! date and which programs are the station's own; nothing here reads the store.

use std::time::Duration;

use chrono::NaiveDate;

use super::agenda::{AgendaEntry, AgendaItem, Decision};
use super::Occurrence;
use crate::config::Config;

/// Put `due(date)`'s items in front of each date's first entry that airs with
/// priority < 100 and is `own` (a program of the station's config). Later items'
/// stream windows move by the time added; the estimated duration grows, still cut
/// at the program's max_duration. A date with nothing due is left alone.
pub fn place_priority(
    cfg: &Config,
    entries: &mut [AgendaEntry],
    own: &dyn Fn(&Occurrence) -> bool,
    due: &mut dyn FnMut(NaiveDate) -> Vec<AgendaItem>,
) {
    let mut done_day: Option<NaiveDate> = None;
    for e in entries.iter_mut() {
        let date = e.occ.start.date_naive();
        if done_day == Some(date)
            || e.decision != Decision::Air
            || e.occ.priority >= 100
            || !own(&e.occ)
        {
            continue;
        }
        done_day = Some(date);
        let first = due(date);
        if first.is_empty() {
            continue;
        }
        let max = cfg.programs.get(e.occ.index).and_then(|p| p.max_duration);
        let cap = |d: Duration| max.map_or(d, |m| d.min(m));
        let added: Option<Duration> = first.iter().map(|i| i.duration).sum();
        for item in &mut e.items {
            item.window = item
                .window
                .zip(added)
                .map(|((a, b), x)| (cap(a + x), cap(b + x)))
                .filter(|(a, b)| b > a);
        }
        e.duration = match (e.duration, added) {
            (Some(d), Some(x)) => Some(cap(d + x)),
            (None, x) => x.map(cap),
            (Some(d), None) => Some(d),
        };
        e.items.splice(0..0, first);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Item;
    use crate::schedule::agenda;
    use crate::schedule::testutil::*;
    use chrono_tz::Asia::Ho_Chi_Minh as TZ;
    use std::path::PathBuf;

    fn prog(id: &str, times: &[&str], priority: u32) -> crate::config::Program {
        let mut p = at_prog(id, times);
        p.play = vec![Item::File(PathBuf::from("/clips/x.ogg"))];
        p.priority = priority;
        p.max_duration = Some(Duration::from_secs(90));
        p
    }

    fn clip(name: &str, secs: u64) -> AgendaItem {
        AgendaItem {
            kind: "priority",
            name: name.into(),
            duration: Some(Duration::from_secs(secs)),
            window: None,
        }
    }

    #[test]
    fn each_day_the_first_own_program_under_100_opens_with_the_due_clips() {
        let cfg = config(
            TZ,
            vec![
                prog("khan", &["04:30"], 100),
                prog("day", &["05:00", "17:00"], 10),
                prog("push-tin", &["04:45"], 10),
            ],
        );
        let from = lutc(TZ, 2026, 11, 27, 0, 0, 0);
        let to = lutc(TZ, 2026, 11, 29, 0, 0, 0);
        let mut v = agenda(&cfg, from, to, None, &mut |_| Some(Duration::from_secs(60)));
        let own = |o: &Occurrence| !o.program.starts_with("push-");
        let mut asked = Vec::new();
        place_priority(&cfg, &mut v, &own, &mut |d| {
            asked.push(d);
            if d.to_string() == "2026-11-27" {
                vec![clip("priority uu-tien", 20), clip("priority hai", 20)]
            } else {
                vec![]
            }
        });
        let names = |e: &AgendaEntry| e.items.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
        let day = |id: &str| v.iter().find(|e| e.occ.id == id).unwrap();
        // The 27th: the emergency and the pushed broadcast are passed over; the
        // 05:00 program opens with both, capped at its 90 s max_duration.
        let first = day("day@2026-11-27T05:00:00+07:00");
        assert_eq!(names(first), ["priority uu-tien", "priority hai", "x.ogg"]);
        assert_eq!(first.duration, Some(Duration::from_secs(90)));
        assert_eq!(names(day("day@2026-11-27T17:00:00+07:00")), ["x.ogg"]);
        assert_eq!(names(day("khan@2026-11-27T04:30:00+07:00")), ["x.ogg"]);
        // The 28th has nothing due: asked once, left alone.
        assert_eq!(names(day("day@2026-11-28T05:00:00+07:00")), ["x.ogg"]);
        assert_eq!(asked.len(), 2, "{asked:?}");
    }
}
