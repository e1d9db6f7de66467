//! The catalogues hold together: every file parses, both languages have the
//! same messages with the same arguments, and every id the code asks for
//! (`tr!(lang, "id"…)`, `.tr("id")`) is in both.

use std::collections::{BTreeMap, BTreeSet};

use fluent_bundle::FluentResource;

use super::catalogue::{EN, VI};
use super::Lang;

/// id → the `$variables` its text uses, from a `.ftl` text (messages only;
/// `-terms` and comments skipped; continuation lines belong to the message above).
fn messages(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let first = line.chars().next().unwrap();
        if first.is_ascii_alphabetic() {
            let id = line.split('=').next().unwrap().trim().to_string();
            out.entry(id.clone()).or_default();
            current = Some(id);
        } else if first == '-' {
            current = None;
            continue;
        }
        if let Some(id) = &current {
            let mut rest = line;
            while let Some(i) = rest.find('$') {
                let name: String = rest[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                out.get_mut(id).unwrap().insert(name);
                rest = &rest[i + 1..];
            }
        }
    }
    out
}

#[test]
fn every_file_parses_in_both_languages() {
    for (lang, files) in [("vi", VI), ("en", EN)] {
        for (name, text) in files {
            if let Err((_, errs)) = FluentResource::try_new(text.to_string()) {
                panic!("locales/{lang}/{name}: {errs:?}");
            }
        }
    }
}

#[test]
fn both_languages_have_the_same_messages_and_arguments() {
    let vi_names: Vec<_> = VI.iter().map(|f| f.0).collect();
    let en_names: Vec<_> = EN.iter().map(|f| f.0).collect();
    assert_eq!(vi_names, en_names, "the same files in both languages");
    let mut seen = BTreeSet::new();
    for ((name, vi), (_, en)) in VI.iter().zip(EN) {
        let (vi, en) = (messages(vi), messages(en));
        let only_vi: Vec<_> = vi.keys().filter(|k| !en.contains_key(*k)).collect();
        let only_en: Vec<_> = en.keys().filter(|k| !vi.contains_key(*k)).collect();
        assert!(
            only_vi.is_empty() && only_en.is_empty(),
            "{name}: only in vi {only_vi:?}, only in en {only_en:?}"
        );
        for (id, args) in &vi {
            assert_eq!(args, &en[id], "{name}: {id} takes other arguments in en");
            assert!(seen.insert(id.clone()), "{id} is defined twice");
        }
    }
}

/// Calls whose first argument is a message id: the hub's refusals
/// (`HubError::forbidden("err-…")`, `Reason::new("err-…")`, …).
const ID_CALLS: &[&str] = &[
    "Reason::new(",
    "HubError::forbidden(",
    "HubError::invalid(",
    "HubError::conflict(",
    "HubError::not_found(",
    "HubError::unauthorized(",
    "HubError::bad_request(",
    "HubError::too_large(",
];

/// Every string literal right after `tr!(…,`, `.tr(` or one of `ID_CALLS` in `src/`.
fn ids_used() -> Vec<(String, String)> {
    let mut out = vec![];
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
        if p.extension().is_none_or(|e| e != "rs") || p.ends_with("i18n/tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        // Any literal that is an error id ("err-…"), wherever it is named.
        for (i, _) in text.match_indices("\"err-") {
            let id: String = text[i + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            // (a bare "err-" is a prefix, not an id)
            if id != "err-" && text[i + 1 + id.len()..].starts_with('"') {
                out.push((p.display().to_string(), id));
            }
        }
        for pat in ["tr!(", ".tr("].iter().chain(ID_CALLS) {
            let pat = *pat;
            let mut rest = text.as_str();
            while let Some(i) = rest.find(pat) {
                let before = rest[..i].chars().next_back();
                // the doc example in mod.rs, which names a placeholder
                if rest[i..].starts_with("tr!(lang, \"id\"") {
                    rest = &rest[i + pat.len()..];
                    continue;
                }
                rest = &rest[i + pat.len()..];
                if pat == "tr!(" && before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let from = if pat == "tr!(" {
                    // tr!(LANG, "id" …): the literal after the first comma
                    match rest.find(',') {
                        Some(c) => &rest[c + 1..],
                        None => break,
                    }
                } else {
                    rest
                };
                let Some(from) = from.trim_start().strip_prefix('"') else {
                    continue;
                };
                let id: String = from
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                if !id.is_empty() && !id.ends_with('-') {
                    out.push((p.display().to_string(), id));
                }
            }
        }
    }
    out
}

#[test]
fn every_id_the_code_asks_for_is_in_both_catalogues() {
    let used = ids_used();
    let missing: Vec<_> = used
        .iter()
        .filter(|(_, id)| !Lang::Vi.has(id) || !Lang::En.has(id))
        .collect();
    assert!(
        missing.is_empty(),
        "ids missing from a catalogue: {missing:?}"
    );
}

#[test]
fn lookup_formats_arguments_without_marks() {
    assert_eq!(Lang::Vi.tr("lang-name"), "Tiếng Việt");
    assert_eq!(crate::tr!(Lang::En, "lang-name"), "English");
    let s = crate::tr!(Lang::Vi, "catalogue-test", n = 3, who = "phe-duyet");
    assert_eq!(s, "phe-duyet: 3 mục");
    assert_eq!(Lang::Vi.tr("no-such-message"), "no-such-message");
}

#[test]
fn language_from_the_environment_words() {
    assert_eq!(Lang::parse("vi_VN.UTF-8"), Some(Lang::Vi));
    assert_eq!(Lang::parse("en_US"), Some(Lang::En));
    assert_eq!(Lang::parse("C.UTF-8"), None);
}
