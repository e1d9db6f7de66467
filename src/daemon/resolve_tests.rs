//! `resolve` with levels: today's due `priority` clips open a station program,
//! once a day, only where targeted; category items never pick them.

use std::collections::HashMap;
use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::config::{load_str, LoadOptions};
use crate::feed::manifest::ClipLevel;
use crate::feed::store::StoredClip;

fn config() -> Config {
    let toml = r#"
[station]
name = "Đài thử nghiệm"
areas = ["58"]
timezone = "Asia/Ho_Chi_Minh"
lang = ["vi"]

[[program]]
id = "chieu"
at = ["17:00"]
play = [{ category = "cchc", count = 2 }, { silence = "1s" }]
"#;
    let opts = LoadOptions { probe: None };
    load_str(toml, Path::new("/etc/loa/loa.toml"), &opts)
        .expect("valid config")
        .config
}

fn clip(id: &str, level: ClipLevel, areas: &[&str]) -> StoredClip {
    StoredClip {
        feed: "https://hub.example.vn/feed/manifest.json".into(),
        id: id.into(),
        title: id.into(),
        category: "cchc".into(),
        lang: "vi".into(),
        sha256: format!("sha-{id}"),
        bytes: 1,
        duration_s: Some(20.0),
        valid_from: NaiveDate::from_ymd_opt(2026, 11, 20),
        valid_until: NaiveDate::from_ymd_opt(2026, 11, 30),
        areas: areas.iter().map(|a| a.to_string()).collect(),
        published_at: "2026-11-20T08:00:00+07:00".parse().unwrap(),
        level,
    }
}

fn names(r: &Resolved) -> Vec<String> {
    r.items
        .iter()
        .map(|i| match i {
            PlanItem::File { name, .. } => name.clone(),
            PlanItem::Silence(d) => format!("silence {}", d.as_secs()),
            PlanItem::Stream { url, .. } => url.clone(),
        })
        .collect()
}

#[test]
fn a_due_priority_clip_opens_the_program_once_that_day() {
    let cfg = config();
    let view = FeedView {
        store_dir: "/var/lib/loa/store".into(),
        clips: vec![
            clip("thuong", ClipLevel::Normal, &[]),
            clip("uu-tien", ClipLevel::Priority, &["58"]),
            clip("tinh-khac", ClipLevel::Priority, &["01"]),
        ],
        ..FeedView::default()
    };
    let mut last_aired = HashMap::new();
    let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let cx = |last: &HashMap<_, _>, first: bool| {
        resolve(
            &Context {
                cfg: &cfg,
                view: &view,
                last_aired: last,
                today: day,
                feed: None,
                priority_first: first,
            },
            &cfg.programs[0].play,
        )
    };
    let r = cx(&last_aired, true);
    assert_eq!(names(&r), ["priority uu-tien", "thuong", "silence 1"]);
    assert_eq!(
        r.items[0],
        PlanItem::File {
            path: "/var/lib/loa/store/sha-uu-tien".into(),
            name: "priority uu-tien".into()
        }
    );
    assert!(
        r.shas.contains("sha-uu-tien"),
        "kept in the store while on air"
    );
    // Not for pushed broadcasts or operators' plays.
    assert_eq!(names(&cx(&last_aired, false)), ["thuong", "silence 1"]);
    // Aired this morning (05:00 local): the evening program opens without it.
    let morning = Utc.with_ymd_and_hms(2026, 11, 26, 22, 0, 0).unwrap();
    last_aired.insert("sha-uu-tien".to_string(), morning);
    assert_eq!(names(&cx(&last_aired, true)), ["thuong", "silence 1"]);
    // Yesterday's airing does not count today.
    let yesterday = Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap();
    last_aired.insert("sha-uu-tien".to_string(), yesterday);
    assert_eq!(
        names(&cx(&last_aired, true)),
        ["priority uu-tien", "thuong", "silence 1"]
    );
}

#[test]
fn two_feed_clips_with_one_audio_file_keep_their_own_ids_in_the_as_run() {
    let cfg = config();
    let mut a = clip("tin-a", ClipLevel::Normal, &[]);
    let mut b = clip("tin-b", ClipLevel::Normal, &[]);
    a.sha256 = "sha-chung".into();
    b.sha256 = "sha-chung".into();
    let view = FeedView {
        store_dir: "/var/lib/loa/store".into(),
        clips: vec![a, b],
        ..FeedView::default()
    };
    let r = resolve(
        &Context {
            cfg: &cfg,
            view: &view,
            last_aired: &HashMap::new(),
            today: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            feed: None,
            priority_first: false,
        },
        &cfg.programs[0].play,
    );
    // One audio file airs once per program: the plan keeps the clip it picked.
    assert_eq!(r.fed.len(), 1, "{:?}", r.fed);
    assert_eq!(r.fed[0].sha256, "sha-chung");
    let fed = [
        Fed {
            id: "tin-a".into(),
            sha256: "sha-chung".into(),
        },
        Fed {
            id: "tin-b".into(),
            sha256: "sha-chung".into(),
        },
    ];

    let aired = |name: &str, sha: Option<&str>| ItemAired {
        name: name.into(),
        clip: None,
        sha256: sha.map(str::to_string),
        seconds: 10.0,
        error: None,
        events: Vec::new(),
    };
    let mut items = vec![
        aired("tin-b", Some("sha-chung")),
        aired("tin-a", Some("sha-chung")),
        aired("priority tin-b", Some("sha-chung")),
        aired("fallback tin-a", Some("sha-chung")),
        // A station file with the same bytes, and one clip's name with other bytes.
        aired("tin-a.mp3", Some("sha-chung")),
        aired("tin-a", Some("sha-khac")),
        aired("silence 1.000 s", None),
    ];
    tag_clips(&mut items, &fed);
    let clips: Vec<Option<&str>> = items.iter().map(|i| i.clip.as_deref()).collect();
    assert_eq!(
        clips,
        [
            Some("tin-b"),
            Some("tin-a"),
            Some("tin-b"),
            Some("tin-a"),
            None,
            None,
            None
        ]
    );
}
