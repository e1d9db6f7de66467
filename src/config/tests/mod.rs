//! Whole-file tests of `load_str` / `load`, split by theme; shared helpers here.

use std::path::Path;

use chrono::NaiveTime;

use super::*;

mod diagnostics;
mod loading;

pub(super) const FILE: &str = "/etc/loa/loa.toml";

pub(super) fn none() -> LoadOptions<'static> {
    LoadOptions { probe: None }
}

/// Every diagnostic of a config that must be refused, as printed.
pub(super) fn errors(text: &str) -> Vec<String> {
    match load_str(text, Path::new(FILE), &none()) {
        Ok(l) => panic!(
            "expected errors, got a config with warnings {:?}",
            l.warnings
        ),
        Err(diags) => diags.iter().map(|d| d.to_string()).collect(),
    }
}

pub(super) fn loaded(text: &str) -> Loaded {
    match load_str(text, Path::new(FILE), &none()) {
        Ok(l) => l,
        Err(diags) => panic!("unexpected errors: {diags:#?}"),
    }
}

pub(super) fn warnings(text: &str) -> Vec<String> {
    loaded(text)
        .warnings
        .iter()
        .map(|d| d.to_string())
        .collect()
}

pub(super) fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

pub(super) const MIN: &str = r#"[station]
name = "x"
timezone = "UTC"

[[program]]
id = "a"
at = ["05:00"]
play = [{ silence = "1s" }]
"#;
