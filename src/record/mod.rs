//! The as-run log: `STATE/asrun.jsonl`, one JSON record a line, each appended
//! and fsynced at once and carrying the SHA-256 of the line before it (a
//! tamper-evident chain), plus `loa log`'s rows, table, CSV and JSON.
//!
//! Owns that file and nothing else: it records what the daemon reports and
//! answers what already happened; it never decides what airs.

mod error;
mod lines;
mod log;
mod model;
mod read;
mod render;
mod rows;
mod summary;
mod tally;
pub mod time;

pub use error::RecordError;
pub use lines::GENESIS;
pub use log::{AsRun, FILE_NAME, SUMMARY_EVERY_DAYS};
pub use model::{Event, ItemAired, Outcome, Record};
pub use read::{read, read_between, verify, VerifyReport};
pub use render::{items_text, render_csv, render_json, render_table, width};
pub use rows::{rows, Row, ON_AIR};
pub use summary::SUMMARY_FILE;
pub use tally::LAST_AIRED_DAYS;

#[cfg(test)]
mod tests;
