//! `loa check`: validate the config and everything it refers to.
//!
//! Every clip is opened and decoded (through playout's probe), every problem
//! printed as `file:line:col: message`; exit 2 on any error.

use std::path::Path;
use std::process::ExitCode;

use chrono::TimeDelta;

use crate::clock::Clock;
use crate::config::{self, LoadOptions, Severity};
use crate::schedule;

pub fn run(path: &Path, clock: Clock) -> anyhow::Result<ExitCode> {
    let probe = |p: &Path| crate::playout::probe(p).map(|_| ());
    let loaded = match config::load(
        path,
        &LoadOptions {
            probe: Some(&probe),
        },
    ) {
        Ok(l) => l,
        Err(diags) => return Ok(super::print_invalid(&diags)),
    };
    for w in &loaded.warnings {
        println!("{w}");
    }
    let cfg = &loaded.config;
    let now = clock.now();
    let next = schedule::occurrences(cfg, now, now + TimeDelta::days(8), None)
        .into_iter()
        .find(|o| schedule::quiet_reason(cfg, o).is_none());
    let warnings = loaded
        .warnings
        .iter()
        .filter(|d| matches!(d.severity, Severity::Warning))
        .count();
    let next = match next {
        Some(o) => format!(
            "next: {} at {}",
            o.program,
            o.start.format("%a %Y-%m-%d %H:%M:%S %Z")
        ),
        None => "nothing scheduled in the next 8 days".to_string(),
    };
    println!(
        "ok: {} — {} program(s), {} warning(s); {next}",
        path.display(),
        cfg.programs.len(),
        warnings
    );
    Ok(ExitCode::SUCCESS)
}
