//! The station's own messages hold together in both languages: every
//! `check-…` and `cli-…` code the code names is in both catalogues, every
//! one renders in Vietnamese without English catalogue text, and every
//! refusal the daemon sends (`station-cmd-…`) has its local `cli-cmd-…` twin.

use std::collections::{BTreeMap, BTreeSet};

use crate::i18n::{Lang, Msg};

const VI_FILES: [&str; 2] = [
    include_str!("../../locales/vi/check.ftl"),
    include_str!("../../locales/vi/cli.ftl"),
];

/// id → the `$arguments` its text uses (messages only, not `-terms`).
fn ids(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in text.lines() {
        let Some((id, rest)) = line.split_once(" = ") else {
            continue;
        };
        if !id.starts_with(|c: char| c.is_ascii_lowercase()) || id.contains(' ') {
            continue;
        }
        let args = out.entry(id.to_string()).or_default();
        for part in rest.split('$').skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            args.insert(name);
        }
    }
    out
}

/// Every `"check-…"` / `"cli-…"` string literal under `src/`.
fn codes_in_source() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            for e in std::fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
            continue;
        }
        if p.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        for prefix in ["\"check-", "\"cli-"] {
            for (i, _) in text.match_indices(prefix) {
                let code: String = text[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                    .collect();
                // A prefix being matched (`&["check-"]`), not a code.
                if !code.ends_with('-') {
                    out.insert(code);
                }
            }
        }
    }
    out
}

/// A value for argument `name` of `id`: the kind codes where a select
/// expression reads it, else a placeholder without letters.
fn value(name: &str) -> &'static str {
    match name {
        "found" | "want" => "string",
        _ => "①",
    }
}

#[test]
fn every_code_the_station_names_is_in_both_catalogues() {
    let missing: Vec<_> = codes_in_source()
        .into_iter()
        .filter(|c| !Lang::Vi.has(c) || !Lang::En.has(c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes missing from a catalogue: {missing:?}"
    );
}

#[test]
fn every_station_message_renders_in_vietnamese_without_english() {
    let mut checked = 0;
    for file in VI_FILES {
        for (id, args) in ids(file) {
            let msg = args.iter().fold(Msg::new(&id), |m, a| m.arg(a, value(a)));
            let vi = msg.render(Lang::Vi, &["check-", "cli-"]).unwrap();
            let en = msg.render(Lang::En, &["check-", "cli-"]).unwrap();
            assert_ne!(vi, en, "{id} is the same in both languages");
            assert!(!vi.contains(&id), "{id} is missing in vi: {vi}");
            // Vietnamese text has letters English has not (ư, ô, đ, …).
            let text: String = vi.replace('①', "");
            assert!(
                !text.is_ascii(),
                "{id} reads as English (no Vietnamese letter): {vi}"
            );
            for word in [
                " the ", " must ", " is not ", " was ", " cannot ", " write ",
            ] {
                assert!(!vi.contains(word), "{id} carries English ({word:?}): {vi}");
            }
            for a in &args {
                if value(a) == "①" {
                    assert!(vi.contains('①'), "{id} drops ${a} in vi: {vi}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 80, "only {checked} messages found");
}

#[test]
fn a_wrong_type_renders_in_both_languages() {
    let m = Msg::new("check-wrong-type")
        .arg("key", "volume")
        .arg("want", "number")
        .arg("example", "volume = 0.8")
        .arg("found", "string");
    assert_eq!(
        m.render(Lang::Vi, &["check-"]).unwrap(),
        "«volume» phải là một số, ví dụ volume = 0.8 (ở đây là một chuỗi chữ)."
    );
    assert_eq!(
        m.render(Lang::En, &["check-"]).unwrap(),
        "`volume` must be a number, e.g. volume = 0.8 (found a string)."
    );
}

#[test]
fn every_refusal_the_daemon_sends_has_a_local_twin() {
    let text = include_str!("../daemon/requests.rs");
    let mut n = 0;
    for (i, _) in text.match_indices("Msg::new(\"station-cmd-") {
        let code: String = text[i + 10..].chars().take_while(|c| *c != '"').collect();
        let local = code.replacen("station-cmd-", "cli-cmd-", 1);
        assert!(
            Lang::Vi.has(&local) && Lang::En.has(&local),
            "{code} has no {local}"
        );
        n += 1;
    }
    assert!(n >= 5, "{n}");
}
