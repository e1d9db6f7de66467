//! The station config reader (`loa check`, `loa run`, `loa reload`): any bytes as
//! a loa.toml, through `config::load` (UTF-8 check, TOML with spans, every
//! section's validation), and the same text as a programs-only document
//! (`config::load_programs_str`, what a hub signs for a station). Every
//! diagnostic is rendered too, as `loa check` prints them.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use loa::config::{load, load_programs_str, FileCheck, LoadOptions, ProgramsOptions};

fuzz_target!(|data: &[u8]| {
    // `load` reads a file; the same bytes through a real one (UTF-8 check and all).
    let dir = std::env::temp_dir().join(format!("loa-fuzz-config-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("loa.toml");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let out = load(&path, &LoadOptions::default());
    render(out.map(|l| l.warnings));
    if let Ok(text) = std::str::from_utf8(data) {
        let opts = ProgramsOptions {
            clips: Path::new("/nonexistent/loa-fuzz/clips"),
            header_keys: &["station", "sequence"],
            files: FileCheck::Skip,
            feed_clips: None,
        };
        render(load_programs_str(text, Path::new("programs.toml"), &opts).map(|l| l.warnings));
    }
});

fn render(r: Result<Vec<loa::config::Diagnostic>, Vec<loa::config::Diagnostic>>) {
    let diags = match r {
        Ok(d) | Err(d) => d,
    };
    for d in diags {
        std::hint::black_box(d.to_string());
    }
}
