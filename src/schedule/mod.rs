//! The scheduling core: programs + as-run facts + an instant -> occurrences,
//! the plan (due / missed / skipped / next) and the agenda.
//!
//! PURE: no I/O, no clock reads, no threads, no async. Every instant is passed
//! in, so every rule of SPEC.md "Scheduling rules" is unit-tested with any zone,
//! DST transition or clock step, without sleeping. Never touches playout, the
//! as-run log file or the config parser.

mod agenda;
mod done;
mod error;
mod ids;
mod levels;
mod occurrences;
mod plan;
mod quiet;
mod starts;
mod sweep;
#[cfg(test)]
pub(crate) mod testutil;

pub use agenda::{agenda, agenda_capped, AgendaEntry, AgendaItem, Decision};
pub use done::{Done, KEEP_DAYS};
pub use error::ScheduleError;
pub use ids::{occurrence_id, parse_occurrence_id, round_to_second};
pub use levels::place_priority;
pub use occurrences::{find_program, manual_occurrence, occurrences, order, Occurrence};
pub use plan::{clock_trusted, plan, preempts, Facts, Plan, CATCH_UP_DAYS, NEXT_HORIZON_DAYS};
pub use quiet::quiet_reason;
pub use starts::day_start;
