//! Exact positions and messages of config errors and warnings: unknown keys, bad
//! values, cron hints, duplicate ids, column counting in Vietnamese text.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;

use super::*;
#[test]
fn minimal_config_gets_all_defaults() {
    let l = loaded(MIN);
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    let c = l.config;
    assert_eq!(c.path, PathBuf::from(FILE));
    assert_eq!(c.station.name, "x");
    assert_eq!(c.station.timezone, Tz::UTC);
    assert!(c.station.areas.is_empty() && c.station.lang.is_empty());
    assert_eq!(c.output.device, "default");
    assert_eq!(c.output.volume, 1.0);
    assert!(c.output.quiet_hours.is_empty());
    assert_eq!(c.output.power_on, None);
    assert_eq!(c.output.power_off, None);
    assert_eq!(c.output.warmup, Duration::from_secs(3));
    assert_eq!(c.output.loudness, Some(-16.0));
    assert_eq!(c.output.dead_air, Duration::from_secs(10));
    assert_eq!(c.paths.clips, PathBuf::from("/etc/loa"));
    let state = std::env::var("STATE_DIRECTORY")
        .ok()
        .filter(|s| !s.is_empty())
        .map(|s| PathBuf::from(s.split(':').next().unwrap_or_default()))
        .unwrap_or_else(|| PathBuf::from("/var/lib/loa"));
    assert_eq!(c.paths.state, state);
    assert!(c.feeds.is_empty());
    let p = &c.programs[0];
    assert_eq!(p.id, "a");
    assert_eq!(p.title, "a");
    assert!(matches!(&p.when, When::At(v) if v == &vec![t(5, 0)]));
    assert_eq!(p.days.len(), 7);
    assert_eq!((p.from, p.until), (None, None));
    assert_eq!(p.priority, 10);
    assert_eq!(p.max_duration, None);
    assert_eq!(p.late_limit, Duration::from_secs(600));
    assert_eq!(p.volume, 1.0);
    assert_eq!(p.play, vec![Item::Silence(Duration::from_secs(1))]);
}

#[test]
fn relative_paths_resolve_against_the_config_folder() {
    let text = format!(
        "{MIN}\n[paths]\nclips = \"audio\"\nstate = \"./state\"\n\n[[program]]\nid = \"b\"\non_start = \"5s\"\nplay = [\"chime.ogg\", \"/srv/x.ogg\", \"sub/../y.ogg\"]\n"
    );
    let l = load_str(&text, Path::new("/srv/loa/./station.toml"), &none()).unwrap();
    let c = l.config;
    assert_eq!(c.path, PathBuf::from("/srv/loa/station.toml"));
    assert_eq!(c.paths.clips, PathBuf::from("/srv/loa/audio"));
    assert_eq!(c.paths.state, PathBuf::from("/srv/loa/state"));
    assert_eq!(
        c.programs[1].play,
        vec![
            Item::File(PathBuf::from("/srv/loa/audio/chime.ogg")),
            Item::File(PathBuf::from("/srv/x.ogg")),
            Item::File(PathBuf::from("/srv/loa/audio/sub/../y.ogg")),
        ]
    );
    assert!(matches!(c.programs[1].when, When::OnStart(d) if d == Duration::from_secs(5)));
    // Missing files are only warnings without a probe.
    assert_eq!(l.warnings.len(), 3);
    assert_eq!(
        l.warnings[0].to_string(),
        "/srv/loa/./station.toml:17:9: warning: clip file not found: /srv/loa/audio/chime.ogg (file names in `play` are looked up under [paths] clips = /srv/loa/audio); the daemon will skip this item when it airs"
    );
}

#[test]
fn unknown_top_level_keys() {
    let text = format!("colour = 1\n{MIN}\n[programs]\nid = \"b\"\n");
    assert_eq!(
        errors(&text),
        vec![
            "/etc/loa/loa.toml:1:1: unknown key `colour` in the top level; valid keys here: station, output, paths, feed, hub, program",
            "/etc/loa/loa.toml:11:2: unknown key `programs` in the top level: did you mean `program`?",
        ]
    );
    // A key of another table written at the top: say where it belongs.
    let text = format!("timezone = \"UTC\"\n{MIN}");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:1:1: unknown key `timezone` in the top level: `timezone` belongs in [station]"]
    );
}

#[test]
fn unknown_key_in_output() {
    let text = format!("{MIN}\n[output]\ndevice = \"null\"\n  volumn = 0.8\n");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:12:3: unknown key `volumn` in [output]: did you mean `volume`?"]
    );
}

#[test]
fn unknown_key_in_program() {
    let text = format!("{MIN}priorty = 5\n");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:9:1: unknown key `priorty` in [[program]] \"a\": did you mean `priority`?"]
    );
}

#[test]
fn unknown_key_in_inline_play_table() {
    let text = MIN.replace(
        "play = [{ silence = \"1s\" }]",
        "play = [\"a.ogg\", { stream = \"http://radio.example.vn/vov1\", duraton = \"15m\" }]",
    );
    assert_eq!(
        errors(&text),
        vec![
            "/etc/loa/loa.toml:8:9: warning: clip file not found: /etc/loa/a.ogg (file names in `play` are looked up under [paths] clips = /etc/loa); the daemon will skip this item when it airs",
            "/etc/loa/loa.toml:8:18: warning: this stream has no `fallback`: if it cannot be relayed or stays silent, nothing airs in its window; add e.g. fallback = [{ category = \"cai-cach-hanh-chinh\", count = 1 }]",
            "/etc/loa/loa.toml:8:61: unknown key `duraton` in this `stream` item: did you mean `duration`?",
        ]
    );
    let text = MIN.replace("{ silence = \"1s\" }", "{ silence = \"1s\", count = 2 }");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:8:27: unknown key `count` in this `silence` item; valid keys here: silence"]
    );
    let text = MIN.replace("{ silence = \"1s\" }", "{ silense = \"1s\" }");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:8:11: unknown key `silense` in this play item: did you mean `silence`?"]
    );
}

#[test]
fn bad_time_is_reported_at_the_string() {
    let text = MIN.replace("at = [\"05:00\"]", "at = [\"05:00\", \"25:00\"]");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:7:16: `at`: \"25:00\": hour 25 is out of range: hours go from 00 to 23 (midnight is \"00:00\")"]
    );
    // Bare TOML times are accepted too.
    let text = MIN.replace("at = [\"05:00\"]", "at = [17:30, \"05:00\"]");
    let c = loaded(&text).config;
    assert!(matches!(&c.programs[0].when, When::At(v) if v == &vec![t(5, 0), t(17, 30)]));
}

#[test]
fn bad_durations_are_reported_at_the_value() {
    let text = format!("{MIN}max_duration = \"30\"\nlate_limit = \"1.5h\"\n");
    assert_eq!(
        errors(&text),
        vec![
            "/etc/loa/loa.toml:9:16: `max_duration`: \"30\" has no unit: write \"30s\" for seconds or \"30m\" for minutes",
            "/etc/loa/loa.toml:10:14: `late_limit`: \"1.5h\": fractions are not supported, combine units instead, e.g. \"1h30m\" or \"1500ms\"",
        ]
    );
    let text = format!("{MIN}\n[output]\nwarmup = 3\n");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:11:10: `warmup` needs a unit, in quotes: write \"3s\" for seconds or \"3m\" for minutes, e.g. warmup = \"90s\""]
    );
}

#[test]
fn bad_dates() {
    let text = format!("{MIN}from = \"2026-02-30\"\nuntil = \"31/12/2030\"\n");
    assert_eq!(
        errors(&text),
        vec![
            "/etc/loa/loa.toml:9:8: `from`: \"2026-02-30\" is not a real calendar date: check the month (01-12) and the day of the month",
            "/etc/loa/loa.toml:10:9: `until`: \"31/12/2030\" is not a date: expected \"YYYY-MM-DD\", e.g. \"2026-01-31\"",
        ]
    );
    let text = format!("{MIN}from = \"2027-01-01\"\nuntil = 2026-12-31\n");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:10:1: `until` 2026-12-31 is before `from` 2027-01-01 (line 9): program `a` would never air; swap them or fix the dates"]
    );
    let text = format!("{MIN}from = 2026-01-01\nuntil = \"2030-12-31\"\n");
    let p = &loaded(&text).config.programs[0];
    assert_eq!(p.from, NaiveDate::from_ymd_opt(2026, 1, 1));
    assert_eq!(p.until, NaiveDate::from_ymd_opt(2030, 12, 31));
}

#[test]
fn bad_timezone_gets_a_hint() {
    let text = MIN.replace("\"UTC\"", "\"Asia/Bangkokk\"");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:3:12: `timezone`: unknown timezone \"Asia/Bangkokk\": did you mean \"Asia/Bangkok\"?"]
    );
    let text = MIN.replace("\"UTC\"", "\"Vietnam\"");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:3:12: `timezone`: unknown timezone \"Vietnam\": did you mean \"Asia/Ho_Chi_Minh\"?"]
    );
    let text = MIN.replace("\"UTC\"", "\"Moon/Crater\"");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:3:12: `timezone`: unknown timezone \"Moon/Crater\": expected an IANA name like \"Asia/Ho_Chi_Minh\" (Vietnam), or leave `timezone` out to use the system's zone"]
    );
}

#[test]
fn five_field_cron_gets_the_seconds_first_hint() {
    let text = MIN.replace("at = [\"05:00\"]", "cron = \"0 5 * * 1-6\"");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:7:8: cron expression \"0 5 * * 1-6\" has 5 fields, like a crontab line, but cron here is seconds-first (sec min hour day-of-month month day-of-week [year]): try \"0 0 5 * * Mon-Sat\""]
    );
}

#[test]
fn numeric_day_of_week_is_a_warning() {
    let text = MIN.replace("at = [\"05:00\"]", "cron = \"0 0 5 * * 2-7\"");
    assert_eq!(
        warnings(&text),
        vec!["/etc/loa/loa.toml:7:8: warning: cron counts day-of-week from 1 = Sunday to 7 = Saturday, so \"2-7\" means \"Mon-Sat\" here; write day names to be clear (\"Tue-Sun\" if you meant crontab numbering)"]
    );
    let text = MIN.replace("at = [\"05:00\"]", "cron = \"0 0 5 * * Mon-Sat\"");
    let l = loaded(&text);
    assert!(l.warnings.is_empty());
    match &l.config.programs[0].when {
        When::Cron(s, src) => {
            assert_eq!(src, "0 0 5 * * Mon-Sat");
            assert_eq!(s.source(), "0 0 5 * * Mon-Sat");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn schedule_keys_are_exclusive_and_required() {
    let text = MIN.replace("at = [\"05:00\"]", "at = [\"05:00\"]\non_start = \"5s\"");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:8:1: program `a` has both `at` and `on_start`: keep exactly one of `at`, `cron`, `on_start` (make a second program for another schedule)"]
    );
    let text = MIN.replace("at = [\"05:00\"]\n", "");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:5:1: program `a` has no schedule: add exactly one of at = [\"05:00\"], cron = \"0 0 5 * * Mon-Sat\" or on_start = \"5s\""]
    );
}

#[test]
fn on_start_keeps_its_day_filters() {
    let text = MIN.replace(
        "at = [\"05:00\"]",
        "on_start = \"5s\"\ndays = [\"Sat\", \"sunday\", \"sat\"]\nfrom = \"2026-01-01\"",
    );
    let p = &loaded(&text).config.programs[0];
    assert!(matches!(p.when, When::OnStart(d) if d == Duration::from_secs(5)));
    assert_eq!(p.days, vec![Weekday::Sat, Weekday::Sun]);
    assert_eq!(p.from, NaiveDate::from_ymd_opt(2026, 1, 1));
}

#[test]
fn duplicate_and_bad_ids() {
    let text = format!("{MIN}\n[[program]]\nid = \"a\"\nat = [\"06:00\"]\nplay = [{{ silence = \"1s\" }}]\n\n[[program]]\nid = \"Bản tin sáng\"\nat = [\"07:00\"]\nplay = [{{ silence = \"1s\" }}]\n");
    assert_eq!(
        errors(&text),
        vec![
            "/etc/loa/loa.toml:11:6: duplicate program id \"a\": the program at line 6 already uses it; give each program its own id",
            "/etc/loa/loa.toml:16:6: program id \"Bản tin sáng\" is not valid: use only lowercase letters a-z, digits and '-', e.g. \"ban-tin-sang\"",
        ]
    );
}

#[test]
fn overlapping_quiet_hours_name_both() {
    let text = format!(
        "{MIN}\n[output]\nquiet_hours = [\"21:30-05:00\", \"12:00-13:00\",\n  \"04:00-06:00\"]\n"
    );
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:12:3: quiet hours \"04:00-06:00\" overlap \"21:30-05:00\" (line 11): merge them into one window"]
    );
    let text = format!("{MIN}\n[output]\nquiet_hours = [\"21:30-05:00\", \"05:00-05:30\"]\n");
    assert_eq!(
        loaded(&text).config.output.quiet_hours,
        vec![
            QuietHours {
                start: t(21, 30),
                end: t(5, 0)
            },
            QuietHours {
                start: t(5, 0),
                end: t(5, 30)
            },
        ]
    );
}

#[test]
fn many_errors_are_reported_in_one_run_sorted_by_line() {
    let text = r#"[station]
timezone = "Moon/Base"

[output]
volume = 1.5
power_on = []

[[program]]
id = "x"
at = ["5h"]
days = ["mon", "t2"]
play = []

[[program]]
id = "x"
cron = "0 0 5 * * Mon-Sta"
priority = -1
play = [{ silence = "0s" }, 42]
"#;
    assert_eq!(
        errors(text),
        vec![
            "/etc/loa/loa.toml:1:1: [station] is missing `name`: add e.g. name = \"Đài truyền thanh xã Phước Dinh\"",
            "/etc/loa/loa.toml:2:12: `timezone`: unknown timezone \"Moon/Base\": expected an IANA name like \"Asia/Ho_Chi_Minh\" (Vietnam), or leave `timezone` out to use the system's zone",
            "/etc/loa/loa.toml:5:10: `volume` = 1.5 is out of range: it is a fraction from 0.0 (silent) to 1.0 (full), e.g. volume = 0.8",
            "/etc/loa/loa.toml:6:12: `power_on` is empty: give the command and its arguments, e.g. power_on = [\"gpioset\", \"gpiochip0\", \"17=1\"], or remove the key",
            "/etc/loa/loa.toml:10:7: `at`: \"5h\" is not a time of day: expected \"HH:MM\" or \"HH:MM:SS\" on a 24-hour clock, e.g. \"05:00\" or \"17:30\"",
            "/etc/loa/loa.toml:11:16: `days`: \"t2\" is not a day of the week: use mon, tue, wed, thu, fri, sat, sun (\"t2\" is \"mon\")",
            "/etc/loa/loa.toml:12:8: `play` is empty: program `x` needs at least one item, e.g. play = [\"chime.ogg\"]",
            "/etc/loa/loa.toml:15:6: duplicate program id \"x\": the program at line 9 already uses it; give each program its own id",
            "/etc/loa/loa.toml:16:19: invalid cron expression \"0 0 5 * * Mon-Sta\" ('Sta' is not a valid day of the week.): expected 6 or 7 fields, seconds first (sec min hour day-of-month month day-of-week [year]), e.g. \"0 0 5 * * Mon-Sat\" for 05:00 Monday to Saturday",
            "/etc/loa/loa.toml:17:12: `priority` must be a whole number from 0 to 4294967295, e.g. priority = 10",
            "/etc/loa/loa.toml:18:21: `silence` must be longer than 0s, e.g. silence = \"2m\"",
            "/etc/loa/loa.toml:18:29: each `play` item is a file name or an inline table, e.g. \"chime.ogg\", { silence = \"2s\" }, { category = \"cai-cach-hanh-chinh\", count = 2 }, { clip = \"cchc-2026-11-27\" } or { stream = \"http://radio.example.vn/vov1\", duration = \"15m\" } (found an integer)",
        ]
    );
}

#[test]
fn columns_count_vietnamese_characters() {
    let text = r#"# Cấu hình đài truyền thanh xã Phước Dinh — chương trình buổi sáng
[station]
name = "Đài truyền thanh xã Phước Dinh"   # tên đài
timezone = "Asia/Ho_Chi_Minh"

[[program]]
id = "sang"
title = "Bản tin buổi sáng"
at = ["05:00"]
play = [{ clip = "thông-báo" }, { silence = "hai giây" }]   # lỗi ở đây
"#;
    // `{ silence = "hai giây" }`: the value starts at character 45 of line 10,
    // after "thông-báo" (9 characters, 12 bytes).
    assert_eq!(
        errors(text),
        vec![
            "/etc/loa/loa.toml:10:45: `silence`: \"hai giây\" is not a duration: expected a duration like \"90s\", \"15m\", \"1h30m\" or \"500ms\" (units d, h, m, s, ms)",
        ]
    );
    let text = text.replace("\"hai giây\"", "\"2s\"");
    // Bare keys must be ASCII in TOML: the parser's errors land on ê and đ.
    assert_eq!(
        errors(&text.replace("title", "tiêu_đề = 1\ntitle")),
        vec![
            "/etc/loa/loa.toml:8:3: invalid TOML: invalid unquoted key, expected letters, numbers, `-`, `_`",
            "/etc/loa/loa.toml:8:6: invalid TOML: invalid unquoted key, expected letters, numbers, `-`, `_`",
        ]
    );
    assert_eq!(
        errors(&text.replace("title", "\"tiêu_đề\" = 1\ntitle")),
        vec![
            "/etc/loa/loa.toml:8:1: unknown key `tiêu_đề` in [[program]] \"sang\"; valid keys here: id, title, at, cron, on_start, days, from, until, priority, max_duration, late_limit, volume, play",
        ]
    );
}

#[test]
fn syntax_errors_have_positions() {
    let text = "[station]\nname = Đài\n";
    let errs = errors(text);
    assert_eq!(
        errs,
        vec!["/etc/loa/loa.toml:2:8: invalid TOML: string values must be quoted, expected literal string (put text in double quotes, e.g. name = \"Đài\")"]
    );
    let text = format!("{MIN}\n[station]\nname = \"y\"\n");
    assert_eq!(
        errors(&text),
        vec![
            "/etc/loa/loa.toml:10:2: duplicate key `station`: a key (or a [table]) may appear only once; merge the two or remove one",
            "/etc/loa/loa.toml:11:1: duplicate key `name`: a key (or a [table]) may appear only once; merge the two or remove one",
        ]
    );
}

#[test]
fn byte_order_mark_is_ignored() {
    let text = format!("\u{feff}{}", MIN.replace("\"UTC\"", "\"Nowhere\""));
    let errs = errors(&text);
    assert!(
        errs[0].starts_with("/etc/loa/loa.toml:3:12: `timezone`"),
        "{errs:?}"
    );
}

#[test]
fn hub_table_heartbeat_default_value_and_diagnostics() {
    assert_eq!(loaded(MIN).config.hub.heartbeat, Duration::from_secs(60));
    let c = loaded(&format!("{MIN}\n[hub]\nheartbeat = \"30s\"\n")).config;
    assert_eq!(c.hub.heartbeat, Duration::from_secs(30));
    let e = errors(&format!("{MIN}\n[hub]\nheartbeet = \"30s\"\n"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].contains("unknown key `heartbeet` in [hub]: did you mean `heartbeat`?"),
        "{e:?}"
    );
    let e = errors(&format!("{MIN}\n[hub]\nheartbeat = \"0s\"\n"));
    assert!(e[0].contains("`heartbeat` must be longer than 0s"), "{e:?}");
    let e = errors(&format!("hub = 3\n{MIN}"));
    assert!(e[0].contains("`hub` must be a table"), "{e:?}");
}
