use super::*;
use crate::config::When;
use crate::schedule::testutil::*;
use chrono::Weekday;
use chrono_tz::{Asia::Ho_Chi_Minh, Europe::Berlin};

fn starts_utc(v: &[Occurrence]) -> Vec<DateTime<Utc>> {
    v.iter().map(|o| o.start_utc()).collect()
}

#[test]
fn at_times_in_station_zone_with_exact_ids() {
    let cfg = config(Ho_Chi_Minh, vec![at_prog("sang", &["05:00", "17:00"])]);
    let v = occurrences(
        &cfg,
        lutc(Ho_Chi_Minh, 2026, 11, 27, 0, 0, 0),
        lutc(Ho_Chi_Minh, 2026, 11, 29, 0, 0, 0),
        None,
    );
    assert_eq!(
        ids(&v),
        [
            "sang@2026-11-27T05:00:00+07:00",
            "sang@2026-11-27T17:00:00+07:00",
            "sang@2026-11-28T05:00:00+07:00",
            "sang@2026-11-28T17:00:00+07:00",
        ]
    );
    assert_eq!(v[0].start_utc(), utc(2026, 11, 26, 22, 0, 0));
    assert_eq!((v[0].index, v[0].priority), (0, 10));
    assert_eq!(v[0].title, "Title sang");
    assert_eq!(v[0].late_limit, Duration::from_secs(600));
}

#[test]
fn range_is_from_inclusive_to_exclusive() {
    let cfg = config(Ho_Chi_Minh, vec![at_prog("a", &["05:00"])]);
    let five = lutc(Ho_Chi_Minh, 2026, 11, 27, 5, 0, 0);
    let one_ns = TimeDelta::nanoseconds(1);
    assert_eq!(occurrences(&cfg, five, five + one_ns, None).len(), 1);
    assert_eq!(occurrences(&cfg, five - one_ns, five, None).len(), 0);
    assert_eq!(
        occurrences(&cfg, five + one_ns, five + TimeDelta::days(1), None).len(),
        0
    );
    assert_eq!(occurrences(&cfg, five, five, None).len(), 0);
}

#[test]
fn day_boundary_belongs_to_the_right_local_date() {
    let mut p = at_prog("b", &["23:59:59", "00:00"]);
    p.days = vec![Weekday::Fri];
    let cfg = config(Ho_Chi_Minh, vec![p]);
    let v = occurrences(
        &cfg,
        lutc(Ho_Chi_Minh, 2026, 11, 26, 0, 0, 0),
        lutc(Ho_Chi_Minh, 2026, 11, 30, 0, 0, 0),
        None,
    );
    // Friday 27th: its 00:00 and its 23:59:59; Saturday 00:00 is not Friday.
    assert_eq!(
        ids(&v),
        ["b@2026-11-27T00:00:00+07:00", "b@2026-11-27T23:59:59+07:00"]
    );
    // A range that starts one second after 23:59:59 gets nothing that day.
    let v = occurrences(
        &cfg,
        lutc(Ho_Chi_Minh, 2026, 11, 28, 0, 0, 0),
        lutc(Ho_Chi_Minh, 2026, 12, 4, 0, 0, 0),
        None,
    );
    assert!(v.is_empty(), "{:?}", ids(&v));
}

#[test]
fn dst_gap_is_skipped_not_shifted_for_at_and_cron() {
    for p in [at_prog("g", &["02:30"]), cron_prog("g", "0 30 2 * * *")] {
        let cfg = config(Berlin, vec![p]);
        let v = occurrences(
            &cfg,
            utc(2026, 3, 27, 12, 0, 0),
            utc(2026, 3, 31, 0, 0, 0),
            None,
        );
        assert_eq!(
            ids(&v),
            ["g@2026-03-28T02:30:00+01:00", "g@2026-03-30T02:30:00+02:00"]
        );
        assert_eq!(
            starts_utc(&v),
            [utc(2026, 3, 28, 1, 30, 0), utc(2026, 3, 30, 0, 30, 0)]
        );
    }
}

#[test]
fn dst_overlap_airs_once_on_the_first_instant_for_at_and_cron() {
    for p in [at_prog("o", &["02:30"]), cron_prog("o", "0 30 2 * * *")] {
        let cfg = config(Berlin, vec![p]);
        let v = occurrences(
            &cfg,
            utc(2026, 10, 24, 12, 0, 0),
            utc(2026, 10, 26, 12, 0, 0),
            None,
        );
        assert_eq!(
            ids(&v),
            ["o@2026-10-25T02:30:00+02:00", "o@2026-10-26T02:30:00+01:00"]
        );
        assert_eq!(v[0].start_utc(), utc(2026, 10, 25, 0, 30, 0));
        // From inside the second pass of the doubled hour: nothing more that day.
        let v = occurrences(
            &cfg,
            utc(2026, 10, 25, 1, 10, 0),
            utc(2026, 10, 26, 0, 0, 0),
            None,
        );
        assert!(v.is_empty(), "{:?}", ids(&v));
    }
}

#[test]
fn cron_every_quarter_hour_across_the_overlap_is_strictly_increasing_once_each() {
    let cfg = config(Berlin, vec![cron_prog("q", "0 */15 * * * *")]);
    let v = occurrences(
        &cfg,
        utc(2026, 10, 24, 23, 30, 0),
        utc(2026, 10, 25, 2, 1, 0),
        None,
    );
    assert_eq!(
        starts_utc(&v),
        [
            utc(2026, 10, 24, 23, 30, 0), // 01:30 CEST
            utc(2026, 10, 24, 23, 45, 0),
            utc(2026, 10, 25, 0, 0, 0), // 02:00 CEST, first pass only
            utc(2026, 10, 25, 0, 15, 0),
            utc(2026, 10, 25, 0, 30, 0),
            utc(2026, 10, 25, 0, 45, 0),
            utc(2026, 10, 25, 2, 0, 0), // 03:00 CET
        ]
    );
    // Starting inside the second pass of the doubled hour.
    let v = occurrences(
        &cfg,
        utc(2026, 10, 25, 1, 10, 0),
        utc(2026, 10, 25, 2, 20, 0),
        None,
    );
    assert_eq!(
        starts_utc(&v),
        [utc(2026, 10, 25, 2, 0, 0), utc(2026, 10, 25, 2, 15, 0)]
    );
}

#[test]
fn cron_every_quarter_hour_across_the_gap() {
    let cfg = config(Berlin, vec![cron_prog("q", "0 */15 * * * *")]);
    let v = occurrences(
        &cfg,
        utc(2026, 3, 29, 0, 30, 0),
        utc(2026, 3, 29, 1, 20, 0),
        None,
    );
    assert_eq!(
        ids(&v),
        [
            "q@2026-03-29T01:30:00+01:00",
            "q@2026-03-29T01:45:00+01:00",
            "q@2026-03-29T03:00:00+02:00",
            "q@2026-03-29T03:15:00+02:00",
        ]
    );
}

#[test]
fn days_filter_applies_to_at_and_cron() {
    let mut a = at_prog("a", &["05:00"]);
    a.days = vec![Weekday::Sat, Weekday::Sun];
    // cron says Mon-Sat; days says Sat/Sun: only Saturday remains.
    let mut c = cron_prog("c", "0 0 6 * * Mon-Sat");
    c.days = vec![Weekday::Sat, Weekday::Sun];
    let cfg = config(Ho_Chi_Minh, vec![a, c]);
    let v = occurrences(
        &cfg,
        lutc(Ho_Chi_Minh, 2026, 11, 23, 0, 0, 0),
        lutc(Ho_Chi_Minh, 2026, 12, 7, 0, 0, 0),
        None,
    );
    assert_eq!(
        ids(&v),
        [
            "a@2026-11-28T05:00:00+07:00",
            "c@2026-11-28T06:00:00+07:00",
            "a@2026-11-29T05:00:00+07:00",
            "a@2026-12-05T05:00:00+07:00",
            "c@2026-12-05T06:00:00+07:00",
            "a@2026-12-06T05:00:00+07:00",
        ]
    );
}

#[test]
fn from_and_until_are_inclusive_local_dates() {
    let mut a = at_prog("a", &["00:00", "23:59:59"]);
    a.from = chrono::NaiveDate::from_ymd_opt(2026, 11, 27);
    a.until = chrono::NaiveDate::from_ymd_opt(2026, 11, 28);
    let mut c = cron_prog("c", "0 0 12 * * *");
    c.from = a.from;
    c.until = a.until;
    let cfg = config(Ho_Chi_Minh, vec![a, c]);
    let v = occurrences(
        &cfg,
        lutc(Ho_Chi_Minh, 2026, 11, 1, 0, 0, 0),
        lutc(Ho_Chi_Minh, 2026, 12, 31, 0, 0, 0),
        None,
    );
    assert_eq!(
        ids(&v),
        [
            "a@2026-11-27T00:00:00+07:00",
            "c@2026-11-27T12:00:00+07:00",
            "a@2026-11-27T23:59:59+07:00",
            "a@2026-11-28T00:00:00+07:00",
            "c@2026-11-28T12:00:00+07:00",
            "a@2026-11-28T23:59:59+07:00",
        ]
    );
}

#[test]
fn on_start_is_one_occurrence_at_boot_plus_delay() {
    let cfg = config(Ho_Chi_Minh, vec![on_start_prog("test", 5)]);
    let boot = lutc(Ho_Chi_Minh, 2026, 11, 27, 9, 0, 0) + TimeDelta::milliseconds(700);
    let v = occurrences(
        &cfg,
        boot - TimeDelta::days(1),
        boot + TimeDelta::days(1),
        Some(boot),
    );
    assert_eq!(ids(&v), ["test@2026-11-27T09:00:06+07:00"]);
    assert_eq!(v[0].start_utc(), boot + TimeDelta::seconds(5));
    // Without a daemon (agenda), on_start programs produce nothing.
    assert!(occurrences(
        &cfg,
        boot - TimeDelta::days(1),
        boot + TimeDelta::days(1),
        None
    )
    .is_empty());
    // Outside the range: nothing.
    assert!(occurrences(
        &cfg,
        boot + TimeDelta::seconds(6),
        boot + TimeDelta::days(1),
        Some(boot)
    )
    .is_empty());
}

#[test]
fn ties_order_by_priority_then_config_order() {
    let mut hi = at_prog("hi", &["05:00"]);
    hi.priority = 50;
    let cfg = config(
        Ho_Chi_Minh,
        vec![
            at_prog("first", &["05:00"]),
            at_prog("second", &["05:00"]),
            hi,
        ],
    );
    let v = occurrences(
        &cfg,
        lutc(Ho_Chi_Minh, 2026, 11, 27, 0, 0, 0),
        lutc(Ho_Chi_Minh, 2026, 11, 28, 0, 0, 0),
        None,
    );
    let names: Vec<&str> = v.iter().map(|o| o.program.as_str()).collect();
    assert_eq!(names, ["hi", "first", "second"]);
}

#[test]
fn utc_station_zone_and_cron_year_field() {
    let cfg = config(chrono_tz::UTC, vec![cron_prog("y", "0 0 8 1 1 * 2027")]);
    let v = occurrences(
        &cfg,
        utc(2026, 1, 1, 0, 0, 0),
        utc(2030, 1, 1, 0, 0, 0),
        None,
    );
    assert_eq!(ids(&v), ["y@2027-01-01T08:00:00+00:00"]);
}

#[test]
fn manual_occurrence_and_unknown_program() {
    let cfg = config(Ho_Chi_Minh, vec![at_prog("sang", &["05:00"])]);
    let at = lutc(Ho_Chi_Minh, 2026, 11, 27, 9, 30, 0);
    let o = manual_occurrence(&cfg, "sang", at, Some(120)).unwrap();
    assert_eq!(o.id, "sang@2026-11-27T09:30:00+07:00");
    assert_eq!(o.priority, 120);
    let e = manual_occurrence(&cfg, "toi", at, None).unwrap_err();
    assert_eq!(
        e,
        ScheduleError::UnknownProgram {
            id: "toi".into(),
            known: "sang".into()
        }
    );
}

#[test]
fn a_pushed_once_program_has_one_occurrence_inside_the_range_only() {
    let at = lutc(Ho_Chi_Minh, 2026, 11, 28, 17, 15, 0);
    let cfg = config(Ho_Chi_Minh, vec![program("push-bao", When::Once(at))]);
    let day = |d| {
        occurrences(
            &cfg,
            lutc(Ho_Chi_Minh, 2026, 11, d, 0, 0, 0),
            lutc(Ho_Chi_Minh, 2026, 11, d + 1, 0, 0, 0),
            None,
        )
    };
    assert_eq!(ids(&day(28)), ["push-bao@2026-11-28T17:15:00+07:00"]);
    assert!(day(27).is_empty());
    assert!(day(29).is_empty());
}
