//! Validating a station's timetable on the hub with the station's own loader
//! (`config::load_str`, the code behind `loa check`): the programs are put
//! behind a small `[station]` / `[output]` head carrying the station's zone
//! and quiet hours, and every diagnostic's line is moved back to the
//! programs' own text. The resulting `Config` also feeds the week picture.

use std::path::Path;

use chrono_tz::Tz;
use thiserror::Error;

use super::fields::{place, FieldDiag};
use super::to_toml::{to_toml, Written};
use super::ProgramForm;
use crate::config::{load_str, Config, Diagnostic, LoadOptions};

/// Where the hub pretends the station's clips folder is: station files cannot
/// be checked on the hub (the station checks them when it applies).
const STATION_CLIPS: &str = "/station/clips";

#[derive(Debug, Error)]
pub enum CheckError {
    #[error("{} problem(s) in the timetable, first: {}", .0.len(), .0.first().map(|d| d.to_string()).unwrap_or_default())]
    Invalid(Vec<Diagnostic>),
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The station config the hub checks `programs` with, and the number of
/// lines in front of them.
fn wrapped(programs: &str, name: &str, tz: Tz, quiet_hours: &[String]) -> (String, usize) {
    let quiet: Vec<String> = quiet_hours.iter().map(|q| toml_string(q)).collect();
    let head = format!(
        "[station]\nname = {}\ntimezone = {}\n[output]\nquiet_hours = [{}]\n[paths]\nclips = {}\nstate = \"/station/state\"\n",
        toml_string(name),
        toml_string(tz.name()),
        quiet.join(", "),
        toml_string(STATION_CLIPS),
    );
    let lines = head.lines().count();
    (format!("{head}{programs}"), lines)
}

/// Validates the programs text of a timetable like `loa check` does. `Ok`
/// holds the config (for the agenda) and the warnings; `Err` every problem.
/// Diagnostics carry lines of `programs` itself (0 = outside it) and the
/// file name `programs.toml`. Missing station files are not reported: the
/// hub does not hold them.
pub fn timetable_config(
    programs: &str,
    name: &str,
    tz: Tz,
    quiet_hours: &[String],
) -> Result<(Config, Vec<Diagnostic>), CheckError> {
    let (text, head) = wrapped(programs, name, tz, quiet_hours);
    let file = Path::new("/station/programs.toml");
    let fix = |mut v: Vec<Diagnostic>| {
        v.retain(|d| {
            !(d.severity == crate::config::Severity::Warning && d.message.contains(STATION_CLIPS))
        });
        for d in &mut v {
            d.file = "programs.toml".into();
            d.line = d.line.saturating_sub(head);
            if d.line == 0 {
                d.col = 0;
            }
        }
        v
    };
    match load_str(&text, file, &LoadOptions::default()) {
        Ok(l) => Ok((l.config, fix(l.warnings))),
        Err(e) => Err(CheckError::Invalid(fix(e))),
    }
}

/// The TOML of `forms` and every diagnostic placed on its field; the config
/// when there is no error.
pub fn check_timetable(
    forms: &[ProgramForm],
    name: &str,
    tz: Tz,
    quiet_hours: &[String],
) -> (Written, Vec<FieldDiag>, Option<Config>) {
    let w = to_toml(forms);
    let (diags, cfg) = match timetable_config(&w.text, name, tz, quiet_hours) {
        Ok((cfg, warn)) => (warn, Some(cfg)),
        Err(CheckError::Invalid(v)) => (v, None),
    };
    let placed = diags
        .iter()
        .map(|d| place(&w, d.line, d.col, &d.message, d.is_error()))
        .collect();
    (w, placed, cfg)
}
