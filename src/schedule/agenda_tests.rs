use std::path::PathBuf;

use chrono::TimeDelta;

use super::*;
use crate::schedule::testutil::*;
use chrono_tz::Asia::Ho_Chi_Minh;
use chrono_tz::Tz;

const TZ: Tz = Ho_Chi_Minh;

fn at(h: u32, m: u32) -> DateTime<Utc> {
    lutc(TZ, 2026, 11, 27, h, m, 0)
}

fn id(program: &str, h: u32, m: u32) -> String {
    format!("{program}@2026-11-27T{h:02}:{m:02}:00+07:00")
}

/// Every file lasts as many minutes as the number in its name (`/clips/a20.ogg` -> 20 min).
fn minutes_from_name(item: &Item) -> Option<Duration> {
    match item {
        Item::File(p) => {
            let stem = p.file_stem()?.to_str()?;
            let digits: String = stem.chars().filter(|c| c.is_ascii_digit()).collect();
            digits
                .parse::<u64>()
                .ok()
                .map(|m| Duration::from_secs(m * 60))
        }
        _ => None,
    }
}

fn day(cfg: &Config) -> Vec<AgendaEntry> {
    agenda(cfg, at(0, 0), at(23, 59), None, &mut minutes_from_name)
}

fn summary(v: &[AgendaEntry]) -> Vec<(String, Decision, Option<String>)> {
    v.iter()
        .map(|e| (e.occ.id.clone(), e.decision, e.reason.clone()))
        .collect()
}

fn prog(id: &str, time: &str, minutes: u64, priority: u32) -> Program {
    let mut p = at_prog(id, &[time]);
    p.play = vec![Item::File(PathBuf::from(format!(
        "/clips/{id}{minutes}.ogg"
    )))];
    p.priority = priority;
    p
}

#[test]
fn items_durations_and_cap() {
    let mut p = at_prog("sang", &["05:00"]);
    p.play = vec![
        Item::File(PathBuf::from("/clips/chime3.ogg")),
        Item::Silence(Duration::from_secs(2)),
        Item::Category {
            category: "cchc".into(),
            count: 2,
        },
        Item::Clip("cchc-2026-11-27".into()),
        Item::Stream {
            url: "http://radio.example.vn/vov1".into(),
            duration: Duration::from_secs(900),
            fallback: vec![],
        },
        Item::File(PathBuf::from("/elsewhere/x.ogg")),
    ];
    let mut capped = p.clone();
    capped.id = "capped".into();
    capped.max_duration = Some(Duration::from_secs(600));
    let mut calls = 0;
    let cfg = config(TZ, vec![p, capped]);
    let v = agenda(
        &cfg,
        at(0, 0),
        at(0, 0) + TimeDelta::days(3),
        None,
        &mut |i: &Item| {
            calls += 1;
            minutes_from_name(i)
        },
    );
    assert_eq!(v.len(), 6);
    // Asked once per item per program, not per day.
    assert_eq!(calls, 12);
    let items: Vec<(&str, &str, Option<u64>)> = v[0]
        .items
        .iter()
        .map(|i| (i.kind, i.name.as_str(), i.duration.map(|d| d.as_secs())))
        .collect();
    assert_eq!(
        items,
        [
            ("file", "chime3.ogg", Some(180)),
            ("silence", "2 s", Some(2)),
            ("category", "cchc x2", None),
            ("clip", "cchc-2026-11-27", None),
            ("stream", "http://radio.example.vn/vov1", Some(900)),
            ("file", "/elsewhere/x.ogg", None),
        ]
    );
    assert_eq!(v[0].duration, Some(Duration::from_secs(180 + 2 + 900)));
    assert_eq!(v[1].occ.program, "capped");
    assert_eq!(v[1].duration, Some(Duration::from_secs(600)));
    // `sang` runs 18 min 2 s from 05:00; `capped` at 05:00 too, same priority: waits.
    assert_eq!(v[1].decision, Decision::Conflict);
    assert_eq!(
        v[1].reason.as_deref(),
        Some("overlaps sang@2026-11-27T05:00:00+07:00; would be missed (output free after 1082 s, late_limit 600 s)")
    );
}

#[test]
fn unknown_durations_give_none() {
    let mut p = at_prog("a", &["05:00"]);
    p.play = vec![Item::Clip("x".into())];
    let cfg = config(TZ, vec![p]);
    let v = day(&cfg);
    assert_eq!(v[0].duration, None);
    assert_eq!((v[0].decision, v[0].reason.clone()), (Decision::Air, None));
}

#[test]
fn quiet_hours_are_skipped_with_reason() {
    let mut alarm = prog("alarm", "22:00", 1, 100);
    alarm.id = "alarm".into();
    let mut cfg = config(TZ, vec![prog("late", "22:00", 1, 10), alarm]);
    cfg.output.quiet_hours = vec![quiet("21:30", "05:00")];
    assert_eq!(
        summary(&day(&cfg)),
        [
            (id("alarm", 22, 0), Decision::Air, None),
            (
                id("late", 22, 0),
                Decision::Skipped,
                Some("quiet hours 21:30-05:00".into())
            ),
        ]
    );
}

#[test]
fn overlap_waits_within_late_limit_or_would_be_missed() {
    let cfg = config(
        TZ,
        vec![
            prog("a", "05:00", 20, 10),
            prog("b", "05:05", 5, 10),
            prog("c", "05:10", 5, 10),
            prog("d", "05:30", 5, 10),
        ],
    );
    assert_eq!(
        summary(&day(&cfg)),
        [
            (id("a", 5, 0), Decision::Air, None),
            (
                id("b", 5, 5),
                Decision::Conflict,
                Some(format!(
                    "overlaps {}; would be missed (output free after 900 s, late_limit 600 s)",
                    id("a", 5, 0)
                ))
            ),
            (
                id("c", 5, 10),
                Decision::Conflict,
                Some(format!("overlaps {}; waits 600 s", id("a", 5, 0)))
            ),
            // c airs 05:20-05:25, so d at 05:30 is free.
            (id("d", 5, 30), Decision::Air, None),
        ]
    );
}

#[test]
fn waiting_chain_pushes_later_ones_back() {
    let cfg = config(
        TZ,
        vec![
            prog("a", "05:00", 10, 10),
            prog("b", "05:05", 10, 10),
            prog("c", "05:12", 5, 10),
        ],
    );
    // a 05:00-05:10; b waits 300 s, 05:10-05:20; c (due 05:12, blocked by b) waits 480 s.
    assert_eq!(
        summary(&day(&cfg)),
        [
            (id("a", 5, 0), Decision::Air, None),
            (
                id("b", 5, 5),
                Decision::Conflict,
                Some(format!("overlaps {}; waits 300 s", id("a", 5, 0)))
            ),
            (
                id("c", 5, 12),
                Decision::Conflict,
                Some(format!("overlaps {}; waits 480 s", id("b", 5, 5)))
            ),
        ]
    );
}

#[test]
fn higher_priority_preempts_and_the_free_output_goes_to_the_highest_waiting() {
    let cfg = config(
        TZ,
        vec![
            prog("a", "05:00", 20, 10),
            prog("urgent", "05:10", 5, 50),
            prog("low", "05:11", 5, 10),
            prog("mid", "05:12", 5, 30),
        ],
    );
    assert_eq!(
        summary(&day(&cfg)),
        [
            (
                id("a", 5, 0),
                Decision::Conflict,
                Some(format!("preempted by {}", id("urgent", 5, 10)))
            ),
            (id("urgent", 5, 10), Decision::Air, None),
            // urgent runs 05:10-05:15; mid (priority 30) goes first, then low.
            (
                id("low", 5, 11),
                Decision::Conflict,
                Some(format!("overlaps {}; waits 540 s", id("urgent", 5, 10)))
            ),
            (
                id("mid", 5, 12),
                Decision::Conflict,
                Some(format!("overlaps {}; waits 180 s", id("urgent", 5, 10)))
            ),
        ]
    );
}

#[test]
fn a_starved_low_priority_waiter_is_missed_when_its_late_limit_passes() {
    let late = |mut p: Program, m: u64| {
        p.late_limit = Duration::from_secs(m * 60);
        p
    };
    let cfg = config(
        TZ,
        vec![
            prog("a", "05:00", 10, 30),
            late(prog("low", "05:01", 5, 10), 20),
            prog("mid", "05:02", 10, 20),
            late(prog("midb", "05:03", 10, 20), 30),
        ],
    );
    let a = id("a", 5, 0);
    assert_eq!(
        summary(&day(&cfg)),
        [
            (a.clone(), Decision::Air, None),
            (
                id("low", 5, 1),
                Decision::Conflict,
                Some(format!(
                    "overlaps {a}; would be missed (output free after 1740 s, late_limit 1200 s)"
                ))
            ),
            (
                id("mid", 5, 2),
                Decision::Conflict,
                Some(format!("overlaps {a}; waits 480 s"))
            ),
            (
                id("midb", 5, 3),
                Decision::Conflict,
                Some(format!("overlaps {a}; waits 1020 s"))
            ),
        ]
    );
}

#[test]
fn equal_priority_at_the_same_start_waits_in_config_order() {
    let cfg = config(
        TZ,
        vec![prog("x", "05:00", 3, 10), prog("y", "05:00", 3, 10)],
    );
    let v = day(&cfg);
    assert_eq!(v[0].decision, Decision::Air);
    assert_eq!(
        v[1].reason,
        Some(format!("overlaps {}; waits 180 s", id("x", 5, 0)))
    );
}

#[test]
fn json_shape_matches_the_spec() {
    let mut cfg = config(TZ, vec![prog("sang", "05:00", 2, 10)]);
    cfg.output.quiet_hours = vec![quiet("04:00", "05:30")];
    let v = day(&cfg);
    let j = v[0].to_json();
    assert_eq!(
        j,
        serde_json::json!({
            "occurrence": "sang@2026-11-27T05:00:00+07:00",
            "program": "sang",
            "title": "Title sang",
            "start": "2026-11-27T05:00:00+07:00",
            "priority": 10,
            "items": [{"kind": "file", "name": "sang2.ogg", "duration_s": 120.0}],
            "duration_s": 120.0,
            "decision": "skipped",
            "reason": "quiet hours 04:00-05:30",
        })
    );
    assert_eq!(
        serde_json::to_string(&Decision::Conflict).unwrap(),
        "\"conflict\""
    );
    assert_eq!(Decision::Air.as_str(), "air");
}

fn thousand_programs() -> Config {
    let programs = (0..1000)
        .map(|i| {
            let t = format!("{:02}:{:02}", (i / 60) % 24, i % 60);
            prog(&format!("p{i}"), &t, 3, 10 + (i % 7) as u32)
        })
        .collect();
    config(TZ, programs)
}

#[test]
fn thousand_programs_for_a_week() {
    let cfg = thousand_programs();
    let v = agenda(
        &cfg,
        at(0, 0),
        at(0, 0) + TimeDelta::days(7),
        None,
        &mut minutes_from_name,
    );
    assert_eq!(v.len(), 7000);
    assert!(v.windows(2).all(|w| w[0].occ.start <= w[1].occ.start));
}

/// The full-size path: 1,000 programs over 365 days (run with --ignored, in release).
#[test]
#[ignore]
fn thousand_programs_for_a_year() {
    let cfg = thousand_programs();
    let v = agenda(
        &cfg,
        at(0, 0),
        at(0, 0) + TimeDelta::days(365),
        None,
        &mut minutes_from_name,
    );
    assert_eq!(v.len(), 365_000);
}

#[test]
fn stream_windows_follow_the_items_before_them() {
    let stream = |mins: u64| Item::Stream {
        url: "http://radio.example.vn/vov1".into(),
        duration: Duration::from_secs(mins * 60),
        fallback: vec![],
    };
    let mut p = at_prog("sang", &["05:00"]);
    p.play = vec![
        Item::File(PathBuf::from("/clips/chime3.ogg")),
        Item::Silence(Duration::from_secs(30)),
        stream(15),
        Item::Clip("unknown-length".into()),
        stream(5),
    ];
    let mut capped = p.clone();
    capped.id = "capped".into();
    capped.play.truncate(3);
    capped.max_duration = Some(Duration::from_secs(10 * 60));
    let mut late = capped.clone();
    late.id = "late".into();
    late.max_duration = Some(Duration::from_secs(60));
    let cfg = config(TZ, vec![p, capped, late]);
    let v = day(&cfg);
    let windows = |e: &AgendaEntry| -> Vec<Option<(u64, u64)>> {
        e.items
            .iter()
            .map(|i| i.window.map(|(a, b)| (a.as_secs(), b.as_secs())))
            .collect()
    };
    let by = |id: &str| v.iter().find(|e| e.occ.program == id).unwrap();
    // 3 min chime + 30 s silence: the relay runs 03:30 → 18:30; the second
    // stream follows an item of unknown length, so its window is unknown.
    assert_eq!(
        windows(by("sang")),
        [None, None, Some((210, 1110)), None, None]
    );
    // max_duration cuts the window; a window past max_duration has none.
    assert_eq!(windows(by("capped")), [None, None, Some((210, 600))]);
    assert_eq!(windows(by("late")), [None, None, None]);
    let json = serde_json::to_value(by("sang").json()).unwrap();
    assert_eq!(json["items"][2]["start"], "2026-11-27T05:03:30+07:00");
    assert_eq!(json["items"][2]["end"], "2026-11-27T05:18:30+07:00");
    assert!(json["items"][0].get("start").is_none());
}
