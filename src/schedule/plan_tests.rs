use std::collections::HashMap;

use super::*;
use crate::schedule::testutil::*;
use crate::schedule::KEEP_DAYS;
use chrono_tz::Asia::Ho_Chi_Minh;
use chrono_tz::Tz;

const TZ: Tz = Ho_Chi_Minh;

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    lutc(TZ, 2026, 11, 27, h, m, s)
}

fn ids_of(v: &[Occurrence]) -> Vec<&str> {
    v.iter().map(|o| o.id.as_str()).collect()
}

fn id(program: &str, h: u32, m: u32) -> String {
    format!("{program}@2026-11-27T{h:02}:{m:02}:00+07:00")
}

fn facts_with(done: &[String], anchor: DateTime<Utc>) -> Facts {
    Facts {
        done: done.iter().cloned().collect(),
        anchor: Some(anchor),
        newest: Some(anchor),
    }
}

#[test]
fn clock_trust_follows_the_newest_record() {
    let mut f = Facts::default();
    assert!(clock_trusted(&f, utc(1970, 1, 1, 0, 0, 0)));
    f.newest = Some(at(9, 0, 0));
    assert!(!clock_trusted(&f, utc(1970, 1, 1, 0, 0, 10)));
    assert!(!clock_trusted(&f, at(9, 0, 0) - TimeDelta::nanoseconds(1)));
    assert!(clock_trusted(&f, at(9, 0, 0)));
}

#[test]
fn untrusted_clock_gives_an_empty_plan() {
    let cfg = config(TZ, vec![at_prog("a", &["05:00"])]);
    let f = facts_with(&[], at(9, 0, 0));
    let p = plan(&cfg, &f, utc(1970, 1, 1, 0, 0, 5), utc(1970, 1, 1, 0, 0, 0));
    assert_eq!(p, Plan::default());
    assert!(p.is_empty());
}

#[test]
fn empty_log_catches_up_from_the_start_of_the_local_day() {
    let cfg = config(
        TZ,
        vec![
            at_prog("a", &["00:00", "05:00", "08:55", "17:00"]),
            at_prog("y", &["23:00"]),
        ],
    );
    let now = at(9, 0, 0);
    let p = plan(&cfg, &Facts::default(), now, now);
    assert_eq!(ids_of(&p.due), [id("a", 8, 55)]);
    // Yesterday's 23:00 is before the window: ignored.
    assert_eq!(ids_of(&p.missed), [id("a", 0, 0), id("a", 5, 0)]);
    assert!(p.skipped.is_empty());
    assert_eq!(p.next.map(|o| o.id), Some(id("a", 17, 0)));
}

#[test]
fn empty_log_just_after_midnight_still_airs_what_is_within_late_limit() {
    let cfg = config(TZ, vec![at_prog("a", &["23:55", "23:40"])]);
    let now = lutc(TZ, 2026, 11, 28, 0, 2, 0);
    let p = plan(&cfg, &Facts::default(), now, now);
    assert_eq!(ids_of(&p.due), ["a@2026-11-27T23:55:00+07:00"]);
    assert!(p.missed.is_empty(), "{:?}", ids_of(&p.missed));
}

#[test]
fn restart_mid_day_uses_done_and_anchor() {
    let cfg = config(
        TZ,
        vec![
            at_prog("sang", &["05:00", "17:00"]),
            at_prog("tin", &["04:00", "06:00", "07:00", "08:55"]),
        ],
    );
    // Log: 04:00 and 05:00 aired, then the box was off until 09:00.
    let f = facts_with(&[id("tin", 4, 0), id("sang", 5, 0)], at(5, 20, 0));
    let f = Facts {
        anchor: Some(at(5, 0, 0)),
        ..f
    };
    let now = at(9, 0, 0);
    let p = plan(&cfg, &f, now, now);
    assert_eq!(ids_of(&p.due), [id("tin", 8, 55)]);
    assert_eq!(ids_of(&p.missed), [id("tin", 6, 0), id("tin", 7, 0)]);
    assert_eq!(p.next.map(|o| o.id), Some(id("sang", 17, 0)));
}

#[test]
fn catch_up_never_reaches_back_more_than_31_days() {
    let cfg = config(TZ, vec![at_prog("a", &["12:00"])]);
    let now = at(9, 0, 0);
    let f = facts_with(&[], now - TimeDelta::days(100));
    let p = plan(&cfg, &f, now, now);
    assert_eq!(p.missed.len(), 31);
    assert_eq!(p.missed[0].id, "a@2026-10-27T12:00:00+07:00");
    assert_eq!(p.missed[30].id, "a@2026-11-26T12:00:00+07:00");
}

#[test]
fn a_tie_at_the_anchor_is_not_lost() {
    let mut hi = at_prog("hi", &["05:00"]);
    hi.priority = 50;
    let cfg = config(TZ, vec![at_prog("lo", &["05:00"]), hi]);
    // `hi` went on air at 05:00 and is the anchor; `lo` waited.
    let f = facts_with(&[id("hi", 5, 0)], at(5, 0, 0));
    let p = plan(&cfg, &f, at(5, 8, 0), at(4, 0, 0));
    assert_eq!(ids_of(&p.due), [id("lo", 5, 0)]);
    let p = plan(&cfg, &f, at(5, 10, 1), at(4, 0, 0));
    assert!(p.due.is_empty());
    assert_eq!(ids_of(&p.missed), [id("lo", 5, 0)]);
}

#[test]
fn one_waiting_behind_a_preempting_broadcast_is_not_lost() {
    let mut alarm = at_prog("alarm", &["05:00"]);
    alarm.priority = 100;
    let cfg = config(
        TZ,
        vec![
            at_prog("news", &["04:40"]),
            at_prog("notice", &["04:55"]),
            alarm,
        ],
    );
    // news on air since 04:40, notice waiting since 04:55, alarm preempts at 05:00.
    let f = facts_with(&[id("news", 4, 40), id("alarm", 5, 0)], at(5, 0, 0));
    let p = plan(&cfg, &f, at(5, 3, 0), at(4, 0, 0));
    assert_eq!(ids_of(&p.due), [id("notice", 4, 55)]);
    let p = plan(&cfg, &f, at(5, 5, 1), at(4, 0, 0));
    assert_eq!(ids_of(&p.missed), [id("notice", 4, 55)]);
}

#[test]
fn waiting_stays_due_until_late_limit_then_missed() {
    let cfg = config(
        TZ,
        vec![at_prog("long", &["05:00"]), at_prog("b", &["05:05"])],
    );
    let boot = at(4, 0, 0);
    // `long` is on air (has an on_air record); the daemon does not start `b`.
    let f = facts_with(&[id("long", 5, 0)], at(5, 0, 0));
    for now in [at(5, 5, 0), at(5, 10, 0), at(5, 15, 0)] {
        let p = plan(&cfg, &f, now, boot);
        assert_eq!(ids_of(&p.due), [id("b", 5, 5)], "at {now}");
        assert!(p.missed.is_empty());
    }
    let p = plan(&cfg, &f, at(5, 15, 0) + TimeDelta::nanoseconds(1), boot);
    assert!(p.due.is_empty());
    assert_eq!(ids_of(&p.missed), [id("b", 5, 5)]);
    // Just before its start it is next, not due.
    let p = plan(&cfg, &f, at(5, 4, 59), boot);
    assert!(p.due.is_empty());
    assert_eq!(p.next.map(|o| o.id), Some(id("b", 5, 5)));
}

#[test]
fn due_orders_by_priority_then_earliest() {
    let mut hi = at_prog("hi", &["05:06"]);
    hi.priority = 30;
    let mut hi2 = at_prog("hi2", &["05:02"]);
    hi2.priority = 30;
    let cfg = config(TZ, vec![at_prog("lo", &["05:01"]), hi, hi2]);
    let p = plan(&cfg, &Facts::default(), at(5, 7, 0), at(5, 0, 0));
    assert_eq!(
        ids_of(&p.due),
        [id("hi2", 5, 2), id("hi", 5, 6), id("lo", 5, 1)]
    );
}

#[test]
fn quiet_hours_skip_low_priority_and_let_emergencies_through() {
    let mut alarm = at_prog("alarm", &["22:00"]);
    alarm.priority = 100;
    let mut cfg = config(TZ, vec![at_prog("late", &["22:00", "21:00"]), alarm]);
    cfg.output.quiet_hours = vec![quiet("21:30", "05:00")];
    let f = facts_with(&[], at(20, 0, 0));
    let p = plan(&cfg, &f, at(22, 5, 0), at(20, 0, 0));
    assert_eq!(ids_of(&p.due), [id("alarm", 22, 0)]);
    assert_eq!(ids_of(&p.missed), [id("late", 21, 0)]);
    assert_eq!(
        p.skipped
            .iter()
            .map(|(o, r)| (o.id.clone(), r.clone()))
            .collect::<Vec<_>>(),
        [(id("late", 22, 0), "quiet hours 21:30-05:00".to_string())]
    );
}

#[test]
fn done_is_never_due_missed_skipped_or_next_again() {
    let mut cfg = config(
        TZ,
        vec![at_prog("a", &["05:00", "08:58", "23:00", "23:30"])],
    );
    cfg.output.quiet_hours = vec![quiet("23:00", "23:10")];
    let done = [
        id("a", 5, 0),
        id("a", 8, 58),
        id("a", 23, 0),
        id("a", 23, 30),
    ];
    let mut f = facts_with(&done, at(4, 0, 0));
    f.newest = Some(at(4, 0, 0));
    for now in [at(9, 0, 0), at(23, 5, 0), at(23, 31, 0)] {
        let p = plan(&cfg, &f, now, at(4, 0, 0));
        assert!(
            p.due.is_empty() && p.missed.is_empty() && p.skipped.is_empty(),
            "{p:?}"
        );
    }
    let p = plan(&cfg, &f, at(9, 0, 0), at(4, 0, 0));
    assert_eq!(
        p.next.map(|o| o.id),
        Some("a@2026-11-28T05:00:00+07:00".to_string())
    );
}

#[test]
fn on_start_is_due_once_per_boot() {
    on_start_once_per_boot_on(Facts::default());
}

#[test]
fn on_start_is_due_once_per_boot_on_a_ten_year_history() {
    on_start_once_per_boot_on(ten_years());
}

fn on_start_once_per_boot_on(mut f: Facts) {
    let cfg = config(TZ, vec![on_start_prog("test", 5)]);
    let boot1 = at(9, 0, 0);
    let p = plan(&cfg, &f, boot1, boot1);
    assert!(p.due.is_empty());
    assert_eq!(
        p.next.as_ref().map(|o| o.id.as_str()),
        Some("test@2026-11-27T09:00:05+07:00")
    );
    let p = plan(&cfg, &f, boot1 + TimeDelta::seconds(5), boot1);
    assert_eq!(ids_of(&p.due), ["test@2026-11-27T09:00:05+07:00"]);
    f.record(&p.due[0], boot1 + TimeDelta::seconds(5));
    let p = plan(&cfg, &f, boot1 + TimeDelta::seconds(60), boot1);
    assert!(p.is_empty(), "{p:?}");
    // A restart an hour later: a new occurrence, the old one stays done.
    let boot2 = at(10, 0, 0);
    let p = plan(&cfg, &f, boot2 + TimeDelta::seconds(7), boot2);
    assert_eq!(ids_of(&p.due), ["test@2026-11-27T10:00:05+07:00"]);
    assert!(p.missed.is_empty());
}

#[test]
fn preemption_needs_strictly_higher_priority() {
    let cfg = config(TZ, vec![at_prog("a", &["05:00"])]);
    let mut o = Occurrence::new(&cfg.programs[0], 0, at(5, 0, 0).with_timezone(&TZ));
    assert!(!preempts(&o, 10));
    o.priority = 11;
    assert!(preempts(&o, 10));
    o.priority = 100;
    assert!(!preempts(&o, 100));
}

/// A daemon loop: each step asks for the plan at the (stepped) clock and records
/// every due occurrence as aired, every missed as missed, every skipped as
/// skipped. Returns id -> (outcome, instant decided). Panics on a second record.
fn simulate(
    cfg: &Config,
    facts: &mut Facts,
    boot: DateTime<Utc>,
    clock: &[DateTime<Utc>],
) -> HashMap<String, (&'static str, DateTime<Utc>)> {
    let mut out = HashMap::new();
    for &now in clock {
        let p = plan(cfg, facts, now, boot);
        if !clock_trusted(facts, now) {
            assert!(p.is_empty());
            continue;
        }
        let decided = p
            .due
            .iter()
            .map(|o| (o, "aired"))
            .chain(p.missed.iter().map(|o| (o, "missed")))
            .chain(p.skipped.iter().map(|(o, _)| (o, "skipped")));
        for (o, what) in decided.collect::<Vec<_>>() {
            assert!(
                out.insert(o.id.clone(), (what, now)).is_none(),
                "{} decided twice (at {now})",
                o.id
            );
            facts.record(o, now);
        }
    }
    out
}

/// A minute-by-minute clock from 00:00 to 24:10 with steps: +1 h at 03:05,
/// -1 h at 10:20, +1 h at 15:28, +5 min at 18:27.
fn stepped_clock() -> Vec<DateTime<Utc>> {
    let mut clock = Vec::new();
    let mut steps = vec![
        (at(3, 5, 0), TimeDelta::hours(1)),
        (at(10, 20, 0), TimeDelta::hours(-1)),
        (at(15, 28, 0), TimeDelta::hours(1)),
        (at(18, 27, 0), TimeDelta::minutes(5)),
    ];
    let mut now = at(0, 0, 0);
    let end = at(23, 59, 0) + TimeDelta::minutes(11);
    while now < end && clock.len() < 5000 {
        clock.push(now);
        now += TimeDelta::minutes(1);
        if let Some(pos) = steps.iter().position(|(when, _)| *when == now) {
            now += steps.remove(pos).1;
        }
    }
    assert!(steps.is_empty());
    clock
}

/// Ten years of a busy station's records, ending just before the test day.
fn ten_years() -> Facts {
    long_history(TZ, at(0, 0, 0), 10)
}

#[test]
fn daemon_loop_with_clock_steps_decides_each_occurrence_exactly_once() {
    daemon_loop_with_clock_steps_on(Facts::default());
}

#[test]
fn daemon_loop_with_clock_steps_on_a_ten_year_history() {
    daemon_loop_with_clock_steps_on(ten_years());
}

fn daemon_loop_with_clock_steps_on(mut facts: Facts) {
    let halves: Vec<String> = (0..24).map(|h| format!("{h:02}:30")).collect();
    let halves: Vec<&str> = halves.iter().map(String::as_str).collect();
    let cfg = config(
        TZ,
        vec![at_prog("h", &halves), cron_prog("c", "0 15 */2 * * *")],
    );
    let clock = stepped_clock();
    let got = simulate(&cfg, &mut facts, at(0, 0, 0), &clock);

    let day = occurrences(&cfg, at(0, 0, 0), lutc(TZ, 2026, 11, 28, 0, 0, 0), None);
    assert_eq!(day.len(), 24 + 12);
    assert_eq!(got.len(), day.len(), "every occurrence decided once");
    let missed: Vec<String> = {
        let mut v: Vec<_> = day
            .iter()
            .filter(|o| got[&o.id].0 == "missed")
            .map(|o| o.id.clone())
            .collect();
        v.sort();
        v
    };
    // +1 h at 03:05 jumps over h@03:30 (35 min late at 04:05); +1 h at 15:28
    // jumps over h@15:30 and c@16:15 (13 min late at 16:28).
    assert_eq!(missed, [id("c", 16, 15), id("h", 3, 30), id("h", 15, 30)]);
    for o in &day {
        let (what, when) = got[&o.id];
        if what == "aired" {
            let late = when - o.start_utc();
            assert!(
                late >= TimeDelta::zero() && late <= TimeDelta::minutes(10),
                "{} {late}",
                o.id
            );
        }
    }
    // +5 min at 18:27 -> 18:32: h@18:30 still airs, 2 min late.
    assert_eq!(got[&id("h", 18, 30)], ("aired", at(18, 32, 0)));
    // -1 h at 10:20 -> 09:20: nothing decided until the clock passes 10:19 again.
    assert_eq!(got[&id("h", 10, 30)], ("aired", at(10, 30, 0)));
    assert_eq!(got[&id("h", 9, 30)], ("aired", at(9, 30, 0)));
}

#[test]
fn restart_after_the_simulated_day_finds_nothing_to_do() {
    restart_after_the_simulated_day_on(Facts::default());
}

#[test]
fn restart_after_a_simulated_day_on_a_ten_year_history() {
    restart_after_the_simulated_day_on(ten_years());
}

fn restart_after_the_simulated_day_on(mut facts: Facts) {
    let cfg = config(TZ, vec![at_prog("h", &["05:00", "17:00"])]);
    let clock: Vec<_> = (0..24 * 60)
        .map(|m| at(0, 0, 0) + TimeDelta::minutes(m))
        .collect();
    let got = simulate(&cfg, &mut facts, at(0, 0, 0), &clock);
    assert_eq!(got.len(), 2);
    // Restart (new boot) at 17:03 with the same facts: nothing due or missed.
    let p = plan(&cfg, &facts, at(17, 3, 0), at(17, 3, 0));
    assert!(p.due.is_empty() && p.missed.is_empty());
    assert_eq!(
        p.next.map(|o| o.id),
        Some("h@2026-11-28T05:00:00+07:00".to_string())
    );
}

#[test]
fn a_small_step_back_that_stays_trusted_never_re_airs() {
    a_small_step_back_on(Facts::default());
}

#[test]
fn a_small_step_back_on_a_ten_year_history() {
    a_small_step_back_on(ten_years());
}

fn a_small_step_back_on(mut f: Facts) {
    let cfg = config(TZ, vec![at_prog("a", &["05:00"])]);
    let p = plan(&cfg, &f, at(5, 0, 0), at(4, 0, 0));
    assert_eq!(ids_of(&p.due), [id("a", 5, 0)]);
    f.record(&p.due[0], at(5, 0, 0));
    // The clock reads 05:30, then NTP steps it back to 05:00:30.
    for now in [at(5, 30, 0), at(5, 0, 30)] {
        assert!(clock_trusted(&f, now));
        let p = plan(&cfg, &f, now, at(4, 0, 0));
        assert!(p.due.is_empty() && p.missed.is_empty(), "{p:?}");
    }
}

#[path = "plan_history_tests.rs"]
mod history;
