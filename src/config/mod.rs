//! Station configuration: the TOML schema, validation with file:line:col, path resolution.
//!
//! `load` / `load_str` turn a station config into the validated types of `model`,
//! reporting every problem at once as `Diagnostic`s. The value parsers
//! (`parse_duration`, `parse_time_of_day`, `parse_date`, ...) are reused by the CLI.
pub mod model;

mod cron_check;
mod diag;
mod error;
mod items;
mod load;
mod program;
mod programs;
mod sections;
mod suggest;
mod timezone;
mod values;
mod walk;

#[cfg(test)]
mod tests;

#[cfg(feature = "hub")]
pub(crate) use diag::LineIndex;
pub use diag::{Diagnostic, Severity};
pub use error::ConfigError;
pub use load::{load, load_str, LoadOptions, Loaded, Probe};
pub use model::*;
pub use programs::{load_programs_str, FileCheck, ProgramsLoaded, ProgramsOptions};
pub use timezone::{parse_timezone, system_timezone};
pub use values::{
    format_duration, parse_date, parse_duration, parse_quiet_window, parse_size, parse_time_of_day,
    parse_weekday, quiet_windows_overlap,
};
