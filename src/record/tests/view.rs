//! Tests of rows() and the table, CSV and JSON renderings.

use super::*;

fn sample_records() -> Vec<Record> {
    vec![
        on_air("sang", "Bản tin sáng", A, "2026-11-27T05:00:00.004+07:00"),
        outcome("chieu", "Bản tin chiều", B, Outcome::Missed),
        aired(
            "sang",
            "Bản tin sáng",
            A,
            "2026-11-27T05:00:00.004+07:00",
            "2026-11-27T05:02:05+07:00",
        ),
        on_air("sang", "Bản tin sáng", C, "2026-11-28T05:00:01+07:00"),
        on_air(
            "x",
            "Old",
            "2026-11-26T23:59:00+07:00",
            "2026-11-26T23:59:00+07:00",
        ),
    ]
}

#[test]
fn rows_merge_on_air_and_outcome_and_filter_by_date() {
    let mut recs = sample_records();
    recs[1].reason = Some("giờ yên lặng".into());
    let all = rows(&recs, None, None);
    let ids: Vec<&str> = all.iter().map(|r| r.occurrence.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "x@2026-11-26T23:59:00+07:00",
            "sang@2026-11-27T05:00:00+07:00",
            "chieu@2026-11-27T17:00:00+07:00",
            "sang@2026-11-28T05:00:00+07:00",
        ]
    );
    let sang = &all[1];
    assert_eq!(sang.outcome, "aired");
    assert_eq!(sang.started, Some(t("2026-11-27T05:00:00.004+07:00")));
    assert_eq!(sang.ended, Some(t("2026-11-27T05:02:05+07:00")));
    assert_eq!(sang.items.len(), 2);
    assert_eq!(sang.seconds_aired, 124.75);
    assert_eq!(all[2].outcome, "missed");
    assert_eq!(all[2].reason.as_deref(), Some("giờ yên lặng"));
    assert_eq!(all[2].started, None);
    assert_eq!(all[3].outcome, "on_air");
    assert_eq!(all[3].seconds_aired, 0.0);

    let d27 = NaiveDate::from_ymd_opt(2026, 11, 27);
    let one_day = rows(&recs, d27, d27);
    assert_eq!(one_day.len(), 2);
    assert_eq!(one_day[0].occurrence, occ("sang", A));
    assert_eq!(one_day[1].occurrence, occ("chieu", B));
    assert_eq!(
        rows(&recs, NaiveDate::from_ymd_opt(2026, 11, 28), None).len(),
        1
    );
    assert_eq!(
        rows(&recs, None, NaiveDate::from_ymd_opt(2026, 11, 26)).len(),
        1
    );
}

#[test]
fn csv_has_bom_header_and_quotes() {
    let mut recs = sample_records();
    recs[2].title = "Cải cách hành chính, dịch vụ công \"trực tuyến\"".into();
    let d27 = NaiveDate::from_ymd_opt(2026, 11, 27);
    let csv = render_csv(&rows(&recs, d27, d27));
    assert!(csv.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\u{feff}date,time,program,title,outcome,seconds_aired,reason,items,occurrence,scheduled,started,ended"
    );
    assert_eq!(
        lines[1],
        "2026-11-27,05:00:00,sang,\"Cải cách hành chính, dịch vụ công \"\"trực tuyến\"\"\",aired,124.8,,\"chime.ogg (4.5s); cchc-2026-11-27 (120.2s)\",sang@2026-11-27T05:00:00+07:00,2026-11-27T05:00:00.000+07:00,2026-11-27T05:00:00.004+07:00,2026-11-27T05:02:05.000+07:00"
    );
    assert_eq!(
        lines[2],
        "2026-11-27,17:00:00,chieu,Bản tin chiều,missed,0.0,,,chieu@2026-11-27T17:00:00+07:00,2026-11-27T17:00:00.000+07:00,,"
    );
    assert_eq!(lines[3], "");
    assert_eq!(lines.len(), 4);
}

#[test]
fn table_aligns_vietnamese_titles_by_characters() {
    let mut recs = sample_records();
    recs[1].reason = Some("quiet hours 21:30-05:00".into());
    // Decomposed (NFD) "ệ": e + U+0323 + U+0302 takes one column.
    recs[4].title = "Thông báo khe\u{323}\u{302}n".into();
    let table = render_table(&rows(&recs, None, None));
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(
        lines[0],
        "DATE        TIME      PROGRAM  TITLE           OUTCOME  AIRED  REASON"
    );
    assert_eq!(
        lines[1],
        "2026-11-26  23:59:00  x        Thông báo khe\u{323}\u{302}n  on_air   00:00"
    );
    assert_eq!(
        lines[2],
        "2026-11-27  05:00:00  sang     Bản tin sáng    aired    02:05"
    );
    assert_eq!(
        lines[3],
        "2026-11-27  17:00:00  chieu    Bản tin chiều   missed   00:00  quiet hours 21:30-05:00"
    );
    assert_eq!(
        lines[4],
        "2026-11-28  05:00:00  sang     Bản tin sáng    on_air   00:00"
    );
    // Every OUTCOME cell starts at the same character column.
    let starts: Vec<usize> = lines[1..]
        .iter()
        .map(|l| {
            let byte = ["on_air", "aired", "missed"]
                .iter()
                .filter_map(|w| l.find(w))
                .min()
                .unwrap();
            width(&l[..byte])
        })
        .collect();
    assert_eq!(starts, vec![47, 47, 47, 47]);
}

#[test]
fn table_cuts_long_titles_and_counts_minutes_past_an_hour() {
    let mut r = aired("p", &"Ư".repeat(50), A, A, B);
    r.items[0].seconds = 4503.4;
    let table = render_table(&rows(&[r], None, None));
    let row = table.lines().nth(1).unwrap();
    assert!(
        row.contains(&format!("{}…  aired", "Ư".repeat(39))),
        "{row}"
    );
    assert!(row.ends_with("aired    77:04"), "{row}");
}

#[test]
fn json_parses_back() {
    let all = rows(&sample_records(), None, None);
    let json = render_json(&all);
    let back: Vec<Row> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, all);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[1]["scheduled"], "2026-11-27T05:00:00.000+07:00");
    assert_eq!(v[1]["outcome"], "aired");
    assert_eq!(v[1]["items"][0]["name"], "chime.ogg");
    assert_eq!(v[2]["started"], serde_json::Value::Null);
    assert_eq!(render_json(&[]), "[]\n");
}

#[test]
fn csv_defuses_formulas_in_text_fields() {
    let mut recs = sample_records();
    recs[2].title = "=HYPERLINK(\"http://x\",\"bấm\")".into();
    for r in recs.iter_mut().filter(|r| r.program == "chieu") {
        r.title = "@SUM(A1)".into();
    }
    let d27 = NaiveDate::from_ymd_opt(2026, 11, 27);
    let csv = render_csv(&rows(&recs, d27, d27));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert!(
        lines[1].starts_with(
            "2026-11-27,05:00:00,sang,\"'=HYPERLINK(\"\"http://x\"\",\"\"bấm\"\")\",aired,"
        ),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("2026-11-27,17:00:00,chieu,\"'@SUM(A1)\",missed,"),
        "{}",
        lines[2]
    );
}

/// A stream's events (losses, returns) are kept on its item: a line without them
/// (written before they existed) still parses, one with them round-trips, and
/// CSV's items column and JSON show them.
#[test]
fn stream_events_parse_old_and_new_lines_and_show_in_csv_and_json() {
    let old = r#"{"name":"stream http://ice/vov1","seconds":19.5,"error":"lost at +8.1 s (closed); fallback aired"}"#;
    let item: ItemAired = serde_json::from_str(old).unwrap();
    assert!(item.events.is_empty());
    let mut r = aired(
        "tin",
        "Tin VOV",
        A,
        "2026-11-27T05:00:00.004+07:00",
        "2026-11-27T05:00:26+07:00",
    );
    r.items = vec![
        ItemAired {
            name: "stream http://ice/vov1".into(),
            clip: None,
            sha256: None,
            seconds: 19.5,
            error: None,
            events: vec![
                "lost at +8.1 s (closed)".into(),
                "back at +14.6 s".into(),
                "fallback aired 6.4 s".into(),
            ],
        },
        ItemAired {
            name: "fallback fb.wav".into(),
            clip: None,
            sha256: None,
            seconds: 6.5,
            error: None,
            events: Vec::new(),
        },
    ];
    let line = serde_json::to_string(&r).unwrap();
    assert!(
        line.contains(r#""events":["lost at +8.1 s (closed)","#),
        "{line}"
    );
    assert!(!line.contains(r#""name":"fallback fb.wav","seconds":6.5,"events""#));
    let back: Record = serde_json::from_str(&line).unwrap();
    assert_eq!(back, r);
    assert_eq!(
        items_text(&r.items),
        "stream http://ice/vov1 (19.5s, lost at +8.1 s (closed), back at +14.6 s, fallback aired 6.4 s); fallback fb.wav (6.5s)"
    );
    let rows = rows(&[r], None, None);
    let csv = render_csv(&rows);
    assert!(csv.contains("back at +14.6 s"), "{csv}");
    let json = render_json(&rows);
    assert!(
        json.contains(r#""events": ["#) || json.contains(r#""events":["#),
        "{json}"
    );
}
