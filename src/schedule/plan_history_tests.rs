//! The plan on top of ten years of history: the done set holds the window
//! only, and a clock stepped back past the window's edge never re-airs.

use super::*;

#[test]
fn the_done_set_of_a_ten_year_history_holds_the_window_only() {
    let f = ten_years();
    // 10 programs a day, kept for KEEP_DAYS (+1 day of pruning slack, + today).
    assert!(
        f.done.len() <= 10 * (KEEP_DAYS as usize + 2),
        "{}",
        f.done.len()
    );
    assert!(f.done.len() >= 10 * CATCH_UP_DAYS as usize);
    let newest = f.newest.unwrap();
    for (id, start) in f.done.iter() {
        assert!(
            start >= newest - TimeDelta::days(KEEP_DAYS + 1),
            "{id} kept"
        );
    }
    assert!(f.done.contains("lich-su-1@2026-11-26T05:00:00+07:00"));
    assert!(!f.done.contains("lich-su-1@2021-11-26T05:00:00+07:00"));
}

#[test]
fn a_clock_stepped_back_past_the_window_edge_never_re_airs() {
    // The station airs the history's own programs: every one of their
    // occurrences for ten years is in the log, most of them forgotten by `done`.
    let cfg = config(TZ, history_programs());
    let f = ten_years();
    let newest = f.newest.unwrap();
    let old = "lich-su-3@2026-09-01T08:00:00+07:00";
    assert!(!f.done.contains(old), "outside the window: forgotten");
    for back in [
        TimeDelta::days(CATCH_UP_DAYS),
        TimeDelta::days(KEEP_DAYS),
        TimeDelta::days(40),
        TimeDelta::days(89) + TimeDelta::minutes(1),
        TimeDelta::days(400),
        TimeDelta::days(3650),
    ] {
        let now = newest - back;
        assert!(!clock_trusted(&f, now));
        assert_eq!(
            plan(&cfg, &f, now, now),
            Plan::default(),
            "stepped back {back}"
        );
    }
    // 1970 (a box without RTC): nothing either.
    let epoch = utc(1970, 1, 1, 0, 0, 10);
    assert_eq!(plan(&cfg, &f, epoch, epoch), Plan::default());
    // A clock stepped back and then running minute by minute up to the newest
    // record, and a day past it: only the new day's occurrences are decided.
    let mut facts = f.clone();
    let mut clock: Vec<_> = (0..40 * 24)
        .map(|h| newest - TimeDelta::days(40) + TimeDelta::hours(h))
        .collect();
    clock.extend((0..24 * 60 + 60).map(|m| newest + TimeDelta::minutes(m)));
    let got = simulate(&cfg, &mut facts, newest - TimeDelta::days(40), &clock);
    let mut decided: Vec<&str> = got.keys().map(String::as_str).collect();
    decided.sort();
    assert_eq!(decided.len(), 10, "{decided:?}");
    assert!(
        decided.iter().all(|id| id.contains("@2026-11-27T")),
        "{decided:?}"
    );
    assert!(got.values().all(|(what, _)| *what == "aired"), "{got:?}");
}
