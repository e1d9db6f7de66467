//! Whole configs that load: the SPEC example, defaults of feeds, outputs and play
//! items, the file probe, and reading from disk.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;

use super::*;
/// The example config of SPEC.md, verbatim.
const SPEC_EXAMPLE: &str = r#"[station]
name = "Đài truyền thanh xã Phước Dinh"
areas = ["58", "589", "22936"]      # administrative codes it answers to: province, district, commune
timezone = "Asia/Ho_Chi_Minh"       # IANA name; default: the system's zone
lang = ["vi", "cjm"]                # languages it airs, for feed clips; default all

[output]
device = "default"                  # see "Outputs"
volume = 0.8                        # 0.0–1.0
quiet_hours = ["21:30-05:00"]       # no program starts inside; priority >= 100 ignores this
power_on = ["gpioset", "gpiochip0", "17=1"]   # optional: run before each broadcast (amplifier relay)
power_off = ["gpioset", "gpiochip0", "17=0"]  # optional: run after it
warmup = "3s"                       # power_on and output open this long before the start, so the start itself is on time
loudness = -16                      # LUFS target for clips (EBU R128); "off" to disable
dead_air = "10s"                    # output silent this long while on air: skip to the next item

[paths]
clips = "audio"                     # the station's own clips
state = "/var/lib/loa"              # store, as-run log, socket; default $STATE_DIRECTORY when set

[feed]                              # optional; or repeat [[feed]] to follow several feeds
url = "https://truyenthanh.example.vn/feed/manifest.json"   # http, https or file
public_key = "RWQ..."               # minisign public key; unsigned or wrongly signed feeds are refused
every = "2m"
max_store = "4GiB"                  # all feeds together
# [[feed]]                          # e.g. the province's feed and the district's, each with its own key

[[program]]
id = "sang"                         # unique, [a-z0-9-]+
title = "Bản tin buổi sáng"
at = ["05:00"]                      # one or more times of day ...
# cron = "0 0 5 * * Mon-Sat"        # ... or a cron expression (the `cron` crate's syntax, seconds first)
# on_start = "5s"                   # ... or once each time the daemon starts, after this delay (speaker test, demo)
days = ["mon", "tue", "wed", "thu", "fri", "sat"]   # default every day
from = "2026-01-01"                 # optional date window
until = "2030-12-31"
priority = 10                       # default 10; >= 100 is an emergency
max_duration = "30m"                # hard stop; items that would run past it are cut, and logged so
late_limit = "10m"                  # still start this late (after downtime or a conflict); default 10m
volume = 1.0
play = [
  "chime.ogg",                                         # a file under [paths] clips
  { category = "cai-cach-hanh-chinh", count = 2 },     # feed clips of that category valid today
  { clip = "cchc-2026-11-27" },                        # one feed clip by id
  { silence = "2s" },
  { stream = "http://radio.example.vn/vov1", duration = "15m",  # relay a live stream ...
    fallback = [{ category = "cai-cach-hanh-chinh", count = 1 }] }, # ... or this if it fails
]
"#;

#[test]
fn spec_example_loads_with_warnings() {
    let l = loaded(SPEC_EXAMPLE);
    let c = &l.config;
    assert_eq!(c.station.name, "Đài truyền thanh xã Phước Dinh");
    assert_eq!(c.station.areas, vec!["58", "589", "22936"]);
    assert_eq!(c.station.timezone, Tz::Asia__Ho_Chi_Minh);
    assert_eq!(c.station.lang, vec!["vi", "cjm"]);
    assert_eq!(c.output.device, "default");
    assert_eq!(c.output.volume, 0.8);
    assert_eq!(
        c.output.quiet_hours,
        vec![QuietHours {
            start: t(21, 30),
            end: t(5, 0)
        }]
    );
    assert_eq!(
        c.output.power_on,
        Some(vec![
            "gpioset".to_string(),
            "gpiochip0".into(),
            "17=1".into()
        ])
    );
    assert_eq!(
        c.output.power_off,
        Some(vec![
            "gpioset".to_string(),
            "gpiochip0".into(),
            "17=0".into()
        ])
    );
    assert_eq!(c.output.warmup, Duration::from_secs(3));
    assert_eq!(c.output.loudness, Some(-16.0));
    assert_eq!(c.output.dead_air, Duration::from_secs(10));
    assert_eq!(c.paths.clips, PathBuf::from("/etc/loa/audio"));
    assert_eq!(c.paths.state, PathBuf::from("/var/lib/loa"));
    assert_eq!(c.feeds.len(), 1);
    assert_eq!(
        c.feeds[0].url,
        "https://truyenthanh.example.vn/feed/manifest.json"
    );
    assert_eq!(c.feeds[0].public_key, "RWQ...");
    assert_eq!(c.feeds[0].every, Duration::from_secs(120));
    assert_eq!(c.feeds[0].max_store, Some(4 << 30));
    let p = &c.programs[0];
    assert_eq!(p.id, "sang");
    assert_eq!(p.title, "Bản tin buổi sáng");
    assert!(matches!(&p.when, When::At(v) if v == &vec![t(5, 0)]));
    assert_eq!(
        p.days,
        vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat
        ]
    );
    assert_eq!(p.from, NaiveDate::from_ymd_opt(2026, 1, 1));
    assert_eq!(p.until, NaiveDate::from_ymd_opt(2030, 12, 31));
    assert_eq!(p.priority, 10);
    assert!(!p.is_emergency());
    assert_eq!(p.max_duration, Some(Duration::from_secs(1800)));
    assert_eq!(p.late_limit, Duration::from_secs(600));
    assert_eq!(p.volume, 1.0);
    assert_eq!(
        p.play,
        vec![
            Item::File(PathBuf::from("/etc/loa/audio/chime.ogg")),
            Item::Category {
                category: "cai-cach-hanh-chinh".into(),
                count: 2
            },
            Item::Clip("cchc-2026-11-27".into()),
            Item::Silence(Duration::from_secs(2)),
            Item::Stream {
                url: "http://radio.example.vn/vov1".into(),
                duration: Duration::from_secs(900),
                fallback: vec![Item::Category {
                    category: "cai-cach-hanh-chinh".into(),
                    count: 1
                }],
            },
        ]
    );
    let w: Vec<String> = l.warnings.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        w,
        vec![
            "/etc/loa/loa.toml:42:3: warning: clip file not found: /etc/loa/audio/chime.ogg (file names in `play` are looked up under [paths] clips = /etc/loa/audio); the daemon will skip this item when it airs",
        ]
    );
}

#[test]
fn probe_checks_every_file_item() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.ogg"), b"ok").unwrap();
    std::fs::write(dir.path().join("bad.ogg"), b"junk").unwrap();
    let text = r#"[station]
name = "x"
timezone = "UTC"

[[program]]
id = "a"
at = ["05:00"]
play = ["good.ogg", "bad.ogg", "missing.ogg",
  { stream = "https://r.example.vn/a", duration = "1m", fallback = ["bad.ogg", "good.ogg"] }]
"#;
    let path = dir.path().join("loa.toml");
    let calls = std::cell::RefCell::new(Vec::new());
    let probe = |p: &Path| -> Result<(), String> {
        calls.borrow_mut().push(
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
        );
        if p.ends_with("bad.ogg") {
            Err("no decoder for this data".into())
        } else {
            Ok(())
        }
    };
    let errs = load_str(
        text,
        &path,
        &LoadOptions {
            probe: Some(&probe),
        },
    )
    .unwrap_err();
    let shown: Vec<String> = errs
        .iter()
        .map(|d| format!("{}:{}:{}", d.line, d.col, d.message))
        .collect();
    let dirname = dir.path().display();
    assert_eq!(
        shown,
        vec![
            format!("8:21:cannot decode {dirname}/bad.ogg: no decoder for this data; check the file plays and is WAV, MP3, Ogg Vorbis, FLAC or AAC (M4A)"),
            format!("8:32:clip file not found: {dirname}/missing.ogg (file names in `play` are looked up under [paths] clips = {dirname})"),
            format!("9:69:cannot decode {dirname}/bad.ogg: no decoder for this data; check the file plays and is WAV, MP3, Ogg Vorbis, FLAC or AAC (M4A)"),
        ]
    );
    assert_eq!(errs[1].severity, Severity::Error);
    assert_eq!(errs[2].severity, Severity::Error);
    // Each file is probed once, however often it is named.
    assert_eq!(*calls.borrow(), vec!["good.ogg", "bad.ogg"]);

    // Without a probe: only the missing file, as a warning; nothing decoded.
    let l = load_str(text, &path, &none()).unwrap();
    let w: Vec<(usize, usize, Severity)> = l
        .warnings
        .iter()
        .map(|d| (d.line, d.col, d.severity))
        .collect();
    assert_eq!(w, vec![(8, 32, Severity::Warning)]);
    assert_eq!(calls.borrow().len(), 2);
}

#[test]
fn load_reads_files_and_reports_unreadable_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loa.toml");
    std::fs::write(&path, MIN).unwrap();
    let l = load(&path, &none()).unwrap();
    assert_eq!(l.config.path, path);
    assert_eq!(l.config.paths.clips, dir.path());

    let missing = dir.path().join("nope.toml");
    let errs = load(&missing, &none()).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!((errs[0].line, errs[0].col), (0, 0));
    let shown = errs[0].to_string();
    assert!(
        shown.starts_with(&format!(
            "{}: cannot read the config file {}: ",
            missing.display(),
            missing.display()
        )),
        "{shown}"
    );
    assert!(
        shown.ends_with("check the path (--config or $LOA_CONFIG) and its permissions"),
        "{shown}"
    );

    let latin1 = dir.path().join("latin1.toml");
    std::fs::write(&latin1, b"[station]\nname = \"\xd0\xe0i\"\n").unwrap();
    let errs = load(&latin1, &none()).unwrap_err();
    assert_eq!(
        errs[0].to_string(),
        format!("{}:2:9: the config file is not UTF-8 text: save it as UTF-8 (most editors offer \"UTF-8\" in Save As)", latin1.display())
    );
}

#[test]
fn feeds_table_or_array() {
    let text = format!(
        "{MIN}\n[[feed]]\nurl = \"https://a.example.vn/m.json\"\npublic_key = \"RWa\"\nevery = \"5m\"\nmax_store = \"500MB\"\n\n[[feed]]\nurl = \"file:///srv/feed/manifest.json\"\npublic_key = \"RWb\"\n"
    );
    let l = loaded(&text);
    let f = &l.config.feeds;
    assert_eq!(f.len(), 2);
    assert_eq!(
        (f[0].every, f[0].max_store),
        (Duration::from_secs(300), Some(500_000_000))
    );
    assert_eq!(
        (f[1].every, f[1].max_store),
        (Duration::from_secs(120), None)
    );
    assert!(l.warnings.is_empty(), "feeds are active: {:?}", l.warnings);

    let text = format!("{MIN}\n[feed]\nurl = \"ftp://x\"\nmax_store = \"4 gigs\"\nevry = \"2m\"\n");
    assert_eq!(
        errors(&text),
        vec![
            "/etc/loa/loa.toml:10:1: [feed] is missing `public_key`: add e.g. public_key = \"RWQ...\" (the second line of the publisher's minisign.pub)",
            "/etc/loa/loa.toml:11:7: `url` \"ftp://x\" must start with http://, https:// or file://, e.g. url = \"https://truyenthanh.example.vn/feed/manifest.json\"",
            "/etc/loa/loa.toml:12:13: `max_store`: \"4 gigs\": unknown size unit: use B, kB, MB, GB, TB or KiB, MiB, GiB, TiB, e.g. \"4GiB\"",
            "/etc/loa/loa.toml:13:1: unknown key `evry` in [feed]: did you mean `every`?",
        ]
    );
}

#[test]
fn output_values() {
    let text = format!(
        "{MIN}\n[output]\ndevice = \"wav:/tmp/air.wav\"\nvolume = 1\nloudness = \"off\"\ndead_air = \"0s\"\nwarmup = \"500ms\"\n"
    );
    let o = loaded(&text).config.output;
    assert_eq!(o.device, "wav:/tmp/air.wav");
    assert_eq!(o.volume, 1.0);
    assert_eq!(o.loudness, None);
    assert_eq!(o.dead_air, Duration::ZERO);
    assert_eq!(o.warmup, Duration::from_millis(500));

    let text = format!("{MIN}\n[output]\nloudness = 5\npower_off = [\"relay\", 0]\n");
    assert_eq!(
        errors(&text),
        vec![
            "/etc/loa/loa.toml:11:12: `loudness` = 5 is out of range: LUFS targets are between -70 and 0, e.g. loudness = -16 (LUFS) or loudness = \"off\"",
            "/etc/loa/loa.toml:12:23: every element of `power_off` must be a string, e.g. power_off = [\"gpioset\", \"gpiochip0\", \"17=1\"] (found an integer)",
        ]
    );
}

#[test]
fn play_items_and_nothing_to_air() {
    let text = MIN.replace(
        "play = [{ silence = \"1s\" }]",
        "play = [{ clip = \"c1\" }, { category = \"tin\" }]",
    );
    let l = loaded(&text);
    assert_eq!(
        l.config.programs[0].play,
        vec![
            Item::Clip("c1".into()),
            Item::Category {
                category: "tin".into(),
                count: 1
            }
        ]
    );
    assert!(
        l.warnings.is_empty(),
        "feed items are active: {:?}",
        l.warnings
    );
    let only_stream = MIN.replace(
        "play = [{ silence = \"1s\" }]",
        "play = [{ stream = \"http://x/vov1\", duration = \"1m\" }]",
    );
    let w: Vec<String> = loaded(&only_stream)
        .warnings
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        w,
        vec!["/etc/loa/loa.toml:8:9: warning: this stream has no `fallback`: if it cannot be relayed or stays silent, nothing airs in its window; add e.g. fallback = [{ category = \"cai-cach-hanh-chinh\", count = 1 }]".to_string()]
    );
    // Stream URLs must name a host and carry no password.
    for (url, why) in [
        ("http:///vov1", "has no host name"),
        (
            "https://user:pw@radio.vn/x",
            "must not carry a user name or password",
        ),
        (
            "http://radio vn/x",
            "is not a valid URL: it contains spaces or control characters",
        ),
    ] {
        let text = MIN.replace(
            "play = [{ silence = \"1s\" }]",
            &format!("play = [{{ stream = \"{url}\", duration = \"1m\", fallback = [{{ silence = \"1s\" }}] }}]"),
        );
        let got = errors(&text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains(why), "{url}: {got:?}");
    }

    let text = MIN.replace(
        "play = [{ silence = \"1s\" }]",
        "play = [{ clip = \"c\", stream = \"http://x\" }, { count = 2 }, {}, \"http://radio/x\", { stream = \"rtsp://x\", duration = \"1m\" }]",
    );
    assert_eq!(
        errors(&text),
        vec![
            "/etc/loa/loa.toml:8:23: a play item is one thing: this one has both `clip` and `stream`; split it into two items",
            "/etc/loa/loa.toml:8:46: this play item says neither `silence`, `category`, `clip` nor `stream`: write e.g. \"chime.ogg\", { silence = \"2s\" }, { category = \"cai-cach-hanh-chinh\", count = 2 }, { clip = \"cchc-2026-11-27\" } or { stream = \"http://radio.example.vn/vov1\", duration = \"15m\" }",
            "/etc/loa/loa.toml:8:61: empty play item: write e.g. \"chime.ogg\", { silence = \"2s\" }, { category = \"cai-cach-hanh-chinh\", count = 2 }, { clip = \"cchc-2026-11-27\" } or { stream = \"http://radio.example.vn/vov1\", duration = \"15m\" }",
            "/etc/loa/loa.toml:8:65: \"http://radio/x\" is a URL, not a file: to relay a stream write { stream = \"http://radio/x\", duration = \"15m\" }",
            "/etc/loa/loa.toml:8:94: `stream` \"rtsp://x\" must be an http:// or https:// URL, e.g. { stream = \"http://radio.example.vn/vov1\", duration = \"15m\" }",
        ]
    );
}

#[test]
fn structural_mistakes() {
    // [program] instead of [[program]], and no [station] at all.
    let text = "[program]\nid = \"a\"\n";
    assert_eq!(
        errors(text),
        vec![
            "/etc/loa/loa.toml:1:1: the config has no [station] table: add one with at least its name, e.g. [station] name = \"Đài truyền thanh xã Phước Dinh\"",
            "/etc/loa/loa.toml:1:1: write programs as [[program]] (double brackets), one such table per program",
        ]
    );
    let text = "station = \"x\"\n";
    assert_eq!(
        errors(text),
        vec![
            "/etc/loa/loa.toml:1:1: warning: the config has no [[program]]: nothing will air",
            "/etc/loa/loa.toml:1:11: `station` must be a table written [station] on its own line, followed by its keys (found a string)",
        ]
    );
}

#[test]
fn config_error_wraps_diagnostics() {
    let errs = load_str("x = 1\n", Path::new("a.toml"), &none()).unwrap_err();
    let e = ConfigError::from(errs);
    assert_eq!(
        e.to_string(),
        "a.toml:1:1: unknown key `x` in the top level; valid keys here: station, output, paths, feed, hub, program\na.toml:1:1: the config has no [station] table: add one with at least its name, e.g. [station] name = \"Đài truyền thanh xã Phước Dinh\"\na.toml:1:1: warning: the config has no [[program]]: nothing will air"
    );
}

#[test]
fn volume_as_percentage_gets_a_hint() {
    let text = format!("{MIN}volume = \"80%\"\n");
    assert_eq!(
        errors(&text),
        vec!["/etc/loa/loa.toml:9:10: `volume` is a number from 0.0 to 1.0, not a percentage: write volume = 0.8 for 80%"]
    );
    let text = format!("{MIN}volume = 0.5\npriority = 100\n");
    let p = &loaded(&text).config.programs[0];
    assert_eq!((p.volume, p.priority, p.is_emergency()), (0.5, 100, true));
}

#[test]
fn at_accepts_a_single_time_and_warns_on_repeats() {
    let text = MIN.replace("at = [\"05:00\"]", "at = \"05:00:30\"");
    let p = &loaded(&text).config.programs[0];
    assert!(
        matches!(&p.when, When::At(v) if v == &vec![NaiveTime::from_hms_opt(5, 0, 30).unwrap_or_default()])
    );
    let text = MIN.replace("at = [\"05:00\"]", "at = [\"05:00\", \"17:00\", \"5:00\"]");
    assert_eq!(
        warnings(&text),
        vec!["/etc/loa/loa.toml:7:25: warning: `at` lists 05:00:00 twice: it airs once"]
    );
}
