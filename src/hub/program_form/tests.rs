//! Round trips (TOML -> form -> TOML) on every example program in the repo and
//! on a timetable using every key, reading posted forms, and diagnostics
//! placed on the field that wrote their line.

use chrono_tz::Asia::Ho_Chi_Minh;
use toml::{Table, Value};

use super::*;

fn programs_of(text: &str) -> Vec<Value> {
    let t: Table = toml::from_str(text).unwrap();
    match t.get("program") {
        Some(Value::Array(a)) => a.clone(),
        _ => Vec::new(),
    }
}

/// Every key and item kind of SPEC.md's `[[program]]`.
const EVERY_KEY: &str = r#"
[[program]]
id = "sang"
title = "Bản tin buổi sáng \"xã\""
at = ["05:00", "17:30:15"]
days = ["mon", "tue", "wed", "thu", "fri", "sat"]
from = "2026-01-01"
until = "2030-12-31"
priority = 20
max_duration = "30m"
late_limit = "5m"
volume = 0.75
play = [
  "chime.ogg",
  { category = "cai-cach-hanh-chinh", count = 2 },
  { category = "nong-nghiep" },
  { clip = "cchc-2026-11-27" },
  { silence = "2s" },
  { stream = "http://radio.example.vn/vov1", duration = "15m", fallback = [{ category = "cai-cach-hanh-chinh", count = 1 }, "ban-tin.mp3", { silence = "1s" }] },
  { stream = "https://radio.example.vn/vov2", duration = "1h30m" },
]

[[program]]
id = "dich-vu-cong"
cron = "0 30 11 * * Mon,Wed,Fri"
priority = 100
volume = 1.0
play = [{ clip = "x" }]

[[program]]
id = "thu-loa"
on_start = "3s"
play = ["chime.ogg"]
"#;

fn round_trip(text: &str) {
    let forms = from_toml(text).unwrap();
    let written = to_toml(&forms);
    let before = programs_of(text);
    let after = programs_of(&written.text);
    assert_eq!(
        before, after,
        "TOML -> form -> TOML changed:\n{}",
        written.text
    );
    // And again: the form of the written TOML is the same form.
    assert_eq!(from_toml(&written.text).unwrap(), forms);
}

#[test]
fn every_example_program_round_trips() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut seen = 0;
    for name in ["config/example.toml", "config/demo.toml"] {
        let text = std::fs::read_to_string(format!("{root}/{name}")).unwrap();
        seen += programs_of(&text).len();
        round_trip(&text);
    }
    assert!(seen >= 5, "the example configs hold {seen} programs");
}

#[test]
fn every_key_round_trips_and_is_valid() {
    round_trip(EVERY_KEY);
    let forms = from_toml(EVERY_KEY).unwrap();
    let (_, diags, cfg) = check_timetable(&forms, "Xã A", Ho_Chi_Minh, &[]);
    assert!(diags.iter().all(|d| !d.error), "{diags:?}");
    assert_eq!(cfg.unwrap().programs.len(), 3);
}

#[test]
fn a_key_without_a_field_is_refused_not_dropped() {
    let e = from_toml(
        "[[program]]\nid = \"a\"\nat = [\"05:00\"]\ncolour = \"red\"\nplay = [\"x.ogg\"]\n",
    );
    assert_eq!(e, Err(FormError::UnknownKey(1, "colour".into())));
    assert!(matches!(
        from_toml("[[program]\n"),
        Err(FormError::Syntax(_))
    ));
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn a_posted_form_with_rows_and_buttons() {
    let (mut f, op) = ProgramForm::from_pairs(&pairs(&[
        ("id", "chieu"),
        ("when", "at"),
        ("at", "17:00"),
        ("days", "mon"),
        ("days", "sun"),
        ("i1.kind", "stream"),
        ("i1.value", "http://r/v"),
        ("i1.duration", "5m"),
        ("i1.f0.kind", "clip"),
        ("i1.f0.value", "c1"),
        ("i0.kind", "category"),
        ("i0.value", "tin"),
        ("i0.count", "2"),
        ("i2.kind", "file"),
        ("i2.value", ""),
        ("op", "add-fb-1"),
    ]));
    assert_eq!(op, Op::AddFallback(1));
    assert_eq!(f.days, [true, false, false, false, false, false, true]);
    assert_eq!(f.items.len(), 3);
    assert_eq!(f.items[0].kind, ItemKind::Category);
    assert_eq!(f.items[1].fallback[0].value, "c1");
    f.apply(&op);
    assert_eq!(f.items[1].fallback.len(), 2);
    f.apply(&Op::RemoveFallback(1, 0));
    assert_eq!(f.items[1].fallback[0].kind, ItemKind::Category);
    f.drop_blank_rows();
    assert_eq!(
        f.items.len(),
        2,
        "the blank row and blank fallback are dropped"
    );
    assert!(f.items[1].fallback.is_empty());
    f.apply(&Op::RemoveItem(0));
    f.apply(&Op::RemoveItem(9));
    assert_eq!(f.items.len(), 1);
    let w = to_toml(&[f]);
    assert!(w.text.contains("days = [\"mon\", \"sun\"]"), "{}", w.text);
    assert!(
        w.text
            .contains("{ stream = \"http://r/v\", duration = \"5m\" }"),
        "{}",
        w.text
    );
}

fn fields_of(text: &str) -> Vec<(Option<usize>, String, bool)> {
    let forms = from_toml(text).unwrap();
    let (_, diags, _) = check_timetable(&forms, "Xã A", Ho_Chi_Minh, &[]);
    diags
        .into_iter()
        .map(|d| (d.program, d.field, d.error))
        .collect()
}

#[test]
fn diagnostics_land_on_their_field() {
    let bad = r#"
[[program]]
id = "sang"
at = ["25:00"]
play = ["chime.ogg"]

[[program]]
id = "Chieu Toi"
at = ["17:00"]
days = []
priority = "cao"
volume = 3
play = [
  { category = "tin", count = 0 },
  { stream = "ftp://radio/x", duration = "15m", fallback = [{ silence = "abc" }] },
]

[[program]]
id = "sang"
cron = "0 5 * * *"
play = [{ clip = "" }]
"#;
    let got = fields_of(bad);
    let has = |p: usize, f: &str| {
        got.iter()
            .any(|(gp, gf, e)| *gp == Some(p) && gf == f && *e)
    };
    assert!(has(0, "at"), "{got:?}");
    assert!(has(1, "id"), "{got:?}");
    assert!(has(1, "days"), "{got:?}");
    assert!(has(1, "priority"), "{got:?}");
    assert!(has(1, "volume"), "{got:?}");
    assert!(has(1, "i0.count"), "{got:?}");
    assert!(has(1, "i1.value"), "{got:?}");
    assert!(has(1, "i1.f0.value"), "{got:?}");
    assert!(has(2, "id"), "duplicate id: {got:?}");
    assert!(has(2, "cron"), "{got:?}");
    assert!(has(2, "i0.value"), "{got:?}");
}

#[test]
fn labels_in_the_readers_language() {
    use crate::i18n::Lang;
    assert_eq!(field_label(Lang::Vi, "at"), "Giờ phát");
    assert_eq!(
        field_label(Lang::Vi, "i1.f0.value"),
        "Mục 2, dự phòng 1: nội dung"
    );
    assert_eq!(field_label(Lang::En, "i0.count"), "Item 1: count");
}

#[test]
fn a_value_picked_for_the_rows_kind_wins() {
    let (f, _) = ProgramForm::from_pairs(&pairs(&[
        ("i0.kind", "category"),
        ("i0.file", "chuong.wav"),
        ("i0.category", "tin-tuc"),
        ("i1.kind", "file"),
        ("i1.file", "chuong.wav"),
        ("i1.category", ""),
        ("i2.kind", "category"),
        ("i2.value", "cu"),
        ("i2.category", ""),
        ("i2.f0.kind", "silence"),
        ("i2.f0.silence", "2s"),
    ]));
    let v: Vec<(ItemKind, &str)> = f.items.iter().map(|i| (i.kind, i.value.as_str())).collect();
    assert_eq!(
        v,
        [
            (ItemKind::Category, "tin-tuc"),
            (ItemKind::File, "chuong.wav"),
            (ItemKind::Category, "cu"),
        ]
    );
    assert_eq!(f.items[2].fallback[0].value, "2s");
    // A new program: two category rows; an added row takes the kind above.
    let mut n = ProgramForm::new_program();
    assert_eq!(n.items.len(), 2);
    assert!(n.items.iter().all(|i| i.kind == ItemKind::Category));
    n.items[1].kind = ItemKind::File;
    n.apply(&Op::AddItem);
    assert_eq!(n.items[2].kind, ItemKind::File);
}

#[test]
fn quiet_hours_and_zone_reach_the_config() {
    let forms =
        from_toml("[[program]]\nid = \"a\"\nat = [\"05:00\"]\nplay = [\"x.ogg\"]\n").unwrap();
    let (_, diags, cfg) = check_timetable(&forms, "Xã", Ho_Chi_Minh, &["21:30-05:00".into()]);
    assert!(
        diags.is_empty(),
        "a station file is not a warning on the hub: {diags:?}"
    );
    let cfg = cfg.unwrap();
    assert_eq!(cfg.station.timezone, Ho_Chi_Minh);
    assert_eq!(cfg.output.quiet_hours.len(), 1);
}
