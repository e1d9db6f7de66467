//! Start-up on years of history: the summary makes `open` read only the log's
//! recent end, and the facts it gives are those of reading everything.

use std::fs::OpenOptions;

use chrono::TimeDelta;
use serde_json::json;

use super::gen;
use super::*;
use crate::record::tally::Tally;
use crate::schedule::{self, KEEP_DAYS};

const END: &str = "2026-11-27T00:00:00Z";

fn end() -> DateTime<Utc> {
    utc(END)
}

/// Writes `STATE/asrun.jsonl` with `spec`; returns what was written.
fn generate(state: &Path, spec: &gen::Spec) -> gen::Written {
    fs::create_dir_all(state).unwrap();
    gen::write(&state.join(FILE_NAME), spec).unwrap()
}

fn days(n: u32) -> gen::Spec {
    gen::Spec {
        days: n,
        ..gen::Spec::years(1, end(), 7)
    }
}

/// The fold of every record of the log, read from its first line.
fn reference(state: &Path) -> Tally {
    let mut t = Tally::default();
    for rec in read(&state.join(FILE_NAME)).unwrap() {
        t.note(rec);
    }
    t
}

/// `log` gives what reading everything gives, up to the documented bounds:
/// done ids within KEEP_DAYS of the newest, clip airings within LAST_AIRED_DAYS.
fn assert_same_facts(log: &AsRun, want: &Tally) {
    let newest = want.facts.newest.expect("a non-empty log");
    assert_eq!(log.newest(), want.facts.newest);
    assert_eq!(log.anchor(), want.facts.anchor);
    assert_eq!(log.open_occurrences(), want.open_sorted());
    let keep = newest - TimeDelta::days(KEEP_DAYS);
    for (id, start) in want.facts.done.iter().filter(|(_, s)| *s >= keep) {
        assert!(log.done().contains(id), "{id} ({start}) lost");
    }
    for (id, start) in log.done().iter() {
        assert!(start >= keep - TimeDelta::days(1), "{id} ({start}) kept");
        assert!(want.facts.done.contains(id), "{id} unknown");
    }
    let aired_keep = newest - TimeDelta::days(LAST_AIRED_DAYS);
    for (sha, t) in want.last_aired.iter().filter(|(_, t)| **t >= aired_keep) {
        assert_eq!(log.last_aired().get(sha), Some(t), "{sha}");
    }
    for (sha, t) in log.last_aired() {
        assert!(*t >= aired_keep - TimeDelta::days(1), "{sha} ({t}) kept");
        assert_eq!(want.last_aired.get(sha), Some(t), "{sha}");
    }
}

#[test]
fn ten_years_first_open_reads_all_then_only_the_recent_end() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path();
    let written = generate(state, &gen::Spec::years(10, end(), 7));
    // 3,650 days of 10 programs, 2 lines each; the last day ends at 07:00 local.
    assert_eq!(written.lines, 2 * (3_649 * 10 + 2));
    let want = reference(state);

    let log = AsRun::open(state).unwrap();
    assert_eq!(log.read_from(), 0, "no summary yet: the whole log is read");
    assert!(state.join(SUMMARY_FILE).exists());
    let summarised = log.summarised_to();
    assert!(summarised > written.bytes * 9 / 10, "{summarised}");
    assert_eq!(
        (log.lines(), log.head()),
        (written.lines, written.head.as_str())
    );
    assert_same_facts(&log, &want);
    drop(log);

    let mut log = AsRun::open(state).unwrap();
    assert_eq!(log.read_from(), summarised);
    let tail = written.bytes - log.read_from();
    // KEEP_DAYS + SUMMARY_EVERY_DAYS days at most, 20 lines of < 600 bytes a day.
    let bound = (KEEP_DAYS + SUMMARY_EVERY_DAYS + 1) as u64 * 20 * 600;
    assert!(tail < bound, "read {tail} bytes at start-up");
    assert_eq!(
        (log.lines(), log.head()),
        (written.lines, written.head.as_str())
    );
    assert!(log.done().len() <= 10 * (KEEP_DAYS as usize + 2));
    // A new clip every third day (and the chime): a year and a day of them.
    let clips = log.last_aired().len() as i64;
    assert!(
        clips <= (LAST_AIRED_DAYS + 1) / 3 + 2,
        "{clips} clips remembered"
    );
    assert_same_facts(&log, &want);

    // Appending continues the one chain, which `verify` checks from line 1.
    log.append(outcome(
        "sang",
        "Sáng",
        "2026-11-27T07:30:00+07:00",
        Outcome::Skipped,
    ))
    .unwrap();
    let report = verify(&state.join(FILE_NAME)).unwrap();
    assert_eq!((report.lines, report.first_bad), (written.lines + 1, None));
    assert_eq!(report.head, log.head());
}

/// A way to make the summary not match the log.
type Spoil<'a> = Box<dyn Fn() + 'a>;

#[test]
fn a_summary_that_does_not_match_the_log_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path();
    let summary = state.join(SUMMARY_FILE);
    let cases: [(&str, Spoil); 5] = [
        (
            "log replaced by a shorter one",
            Box::new(|| {
                generate(state, &days(60));
            }),
        ),
        (
            "log replaced by a longer one",
            Box::new(|| {
                generate(state, &gen::Spec::years(2, end(), 7));
            }),
        ),
        (
            "log cut short",
            Box::new(|| {
                let f = OpenOptions::new()
                    .write(true)
                    .open(state.join(FILE_NAME))
                    .unwrap();
                f.set_len(1000).unwrap();
            }),
        ),
        (
            "summary is garbage",
            Box::new(|| fs::write(&summary, "{\"loa_asrun").unwrap()),
        ),
        (
            "summary of another version",
            Box::new(|| {
                let text = fs::read_to_string(&summary).unwrap();
                fs::write(
                    &summary,
                    text.replace("\"loa_asrun_summary\":1", "\"loa_asrun_summary\":9"),
                )
                .unwrap();
            }),
        ),
    ];
    for (what, spoil) in cases {
        generate(state, &gen::Spec::years(1, end(), 7));
        drop(AsRun::open(state).unwrap());
        assert!(
            AsRun::open(state).unwrap().read_from() > 0,
            "{what}: summary in use"
        );
        spoil();
        let log = AsRun::open(state).unwrap();
        assert_eq!(log.read_from(), 0, "{what}: the whole log is read");
        if log.newest().is_some() {
            assert_same_facts(&log, &reference(state));
        }
        drop(log);
        // The summary was rewritten for the log as it is now.
        let log = AsRun::open(state).unwrap();
        assert_eq!(log.read_from(), log.summarised_to(), "{what}");
        let _ = fs::remove_file(state.join(FILE_NAME));
    }
}

fn record_at(
    event: &str,
    program: &str,
    at: DateTime<Utc>,
    sha: Option<&str>,
) -> serde_json::Value {
    let t = |d: DateTime<Utc>| {
        d.with_timezone(&FixedOffset::east_opt(7 * 3600).unwrap())
            .format(time::FORMAT)
            .to_string()
    };
    let occurrence = format!(
        "{program}@{}",
        at.with_timezone(&FixedOffset::east_opt(7 * 3600).unwrap())
            .format("%Y-%m-%dT%H:%M:%S%:z")
    );
    let mut v = json!({"event": event, "occurrence": occurrence, "program": program, "title": "T",
        "scheduled": t(at), "started": t(at)});
    if event == "outcome" {
        v["ended"] = json!(t(at + TimeDelta::minutes(1)));
        v["outcome"] = json!("aired");
        v["items"] = json!([{"name": "c", "sha256": sha, "seconds": 60.0}]);
    }
    v
}

#[test]
fn an_open_on_air_and_clip_airings_older_than_the_window_outlive_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path();
    let (old, older) = ("cc".repeat(32), "dd".repeat(32));
    let mut spec = days(200);
    spec.first = vec![
        record_at("outcome", "xua", end() - TimeDelta::days(500), Some(&older)),
        record_at("outcome", "cu", end() - TimeDelta::days(250), Some(&old)),
        record_at("on_air", "dang-phat", end() - TimeDelta::days(240), None),
    ];
    generate(state, &spec);
    drop(AsRun::open(state).unwrap());
    let mut log = AsRun::open(state).unwrap();
    assert!(log.read_from() > 0);
    assert_same_facts(&log, &reference(state));
    let open = log.open_occurrences();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].program, "dang-phat");
    assert_eq!(
        log.last_aired().get(&old),
        Some(&(end() - TimeDelta::days(250)))
    );
    assert_eq!(
        log.last_aired().get(&older),
        None,
        "older than LAST_AIRED_DAYS"
    );
    // Closed as interrupted at this start, it stays closed at the next.
    assert_eq!(log.close_interrupted().unwrap().len(), 1);
    drop(log);
    let log = AsRun::open(state).unwrap();
    assert!(log.read_from() > 0);
    assert!(log.open_occurrences().is_empty());
    assert_same_facts(&log, &reference(state));
}

#[test]
fn appends_move_the_summary_forward_during_a_long_run() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path();
    generate(state, &days(60));
    let mut log = AsRun::open(state).unwrap();
    let first = log.summarised_to();
    assert!(first > 0);
    for day in 1..=SUMMARY_EVERY_DAYS + 2 {
        let at = end() + TimeDelta::days(day);
        let rec: Record =
            serde_json::from_value(record_at("outcome", "moi", at, Some("ee"))).unwrap();
        log.append(rec).unwrap();
        let moved = log.summarised_to() > first;
        assert_eq!(moved, day >= SUMMARY_EVERY_DAYS, "day {day}");
    }
    let summarised = log.summarised_to();
    drop(log);
    let log = AsRun::open(state).unwrap();
    assert_eq!(log.read_from(), summarised);
    assert_same_facts(&log, &reference(state));
}

#[test]
fn a_torn_last_line_after_the_summary_is_still_cut() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path();
    let written = generate(state, &days(100));
    drop(AsRun::open(state).unwrap());
    let path = state.join(FILE_NAME);
    let mut f = OpenOptions::new().append(true).open(&path).unwrap();
    f.write_all(b"{\"event\":\"on_air\",\"occ").unwrap();
    drop(f);
    let log = AsRun::open(state).unwrap();
    assert!(log.read_from() > 0);
    assert_eq!(log.lines(), written.lines);
    assert_eq!(fs::metadata(&path).unwrap().len(), written.bytes);
    assert_eq!(verify(&path).unwrap().first_bad, None);
}

#[test]
fn plans_on_a_generated_ten_year_log_are_those_of_the_full_read() {
    use crate::schedule::testutil::{at_prog, config};
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path();
    generate(state, &gen::Spec::years(10, end(), 7));
    drop(AsRun::open(state).unwrap());
    let log = AsRun::open(state).unwrap();
    assert!(log.read_from() > 0);
    let full = reference(state).facts;
    let tz: chrono_tz::Tz = "Etc/GMT-7".parse().unwrap();
    let programs = gen::TIMES
        .iter()
        .enumerate()
        .map(|(k, t)| at_prog(&format!("lich-su-{}", k + 1), &[t]))
        .collect();
    let cfg = config(tz, programs);
    let local = |d: u32, h: u32, m: u32| utc(&format!("2026-11-{d:02}T{h:02}:{m:02}:00+07:00"));
    // The newest record ends 06:35 on the 27th (local); the history's end is 07:00.
    for (now, boot) in [
        (local(27, 7, 0), local(27, 7, 0)),
        (local(27, 12, 31), local(27, 12, 31)),
        (local(28, 5, 3), local(27, 7, 0)),
        (end() - TimeDelta::days(40), end() - TimeDelta::days(40)),
        (local(26, 5, 0), local(26, 5, 0)),
    ] {
        let bounded = schedule::plan(&cfg, log.facts(), now, boot);
        assert_eq!(bounded, schedule::plan(&cfg, &full, now, boot), "at {now}");
        let due: Vec<&str> = bounded.due.iter().map(|o| o.id.as_str()).collect();
        let missed = bounded.missed.len();
        match now {
            n if n == local(27, 12, 31) => {
                assert_eq!(due, ["lich-su-6@2026-11-27T12:30:00+07:00"]);
                assert_eq!(missed, 3, "08:00, 09:30, 11:00");
            }
            n if n == local(28, 5, 3) => {
                assert_eq!(due, ["lich-su-1@2026-11-28T05:00:00+07:00"]);
                assert_eq!(missed, 8, "the rest of the 27th");
            }
            _ => assert!(due.is_empty() && missed == 0, "at {now}: {bounded:?}"),
        }
    }
}
