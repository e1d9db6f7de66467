//! Errors of the scheduling core.
//!
//! Owns only the error type. The scheduling functions themselves are total (a
//! validated config always yields an answer); these errors come from the
//! helpers that look things up by name or parse occurrence ids.

use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ScheduleError {
    /// A program id that the config does not define.
    #[error(
        "no program `{id}` in the config; known programs: {known}. Check the id with `loa agenda`."
    )]
    UnknownProgram { id: String, known: String },
    /// An occurrence id that is not `PROGRAM@RFC3339`.
    #[error("bad occurrence id `{id}`: {why}; expected PROGRAM@YYYY-MM-DDTHH:MM:SS+HH:MM, e.g. sang@2026-11-27T05:00:00+07:00")]
    BadOccurrenceId { id: String, why: String },
    /// An instant outside the range the calendar can represent.
    #[error("instant out of range: {what}; check the clock and the durations in the config")]
    OutOfRange { what: String },
}
