//! Each station's timetable from the hub (HUB.md "The feed and timetables the
//! hub publishes", issue 12): the `[[program]]` tables the programs editor
//! publishes for a station, signed into `STATE/feed/stations/ID/programs.toml`
//! (+ `.minisig`, format in `crate::feed::programs`), and remote play now /
//! stop riding the same signed, sequenced, station-bound document.
//!
//! The interface the pages and the JSON API call:
//!
//! ```text
//! current(db, station)                      -> Option<StationTimetable>
//! check(toml, &Known)                       -> Vec<Diag>      (no database; `loa check`'s messages)
//! known(state, station)                     -> Known          (clips and files that station can have)
//! publish(state, user, addr, station, toml) -> sequence | TimetableError
//! command(state, user, addr, station, Play{target, priority} | Stop) -> sequence | TimetableError
//! refresh(state)                            -> re-sign documents about to expire
//! history(db, station, limit)               -> the issued documents, newest first
//! document(db, station, sequence)           -> one signed document whole (e.g. the applied one)
//! ```
//!
//! Who may: an operator of that station (its `stations` list) or an admin
//! whose areas cover the station; anyone else gets `Forbidden` (403, audited).
//! Every document gets the station's next sequence (the database's primary key
//! keeps two hub processes from issuing one twice), an audit row (before →
//! after) and a nudge (`event: programs` on the station's events stream,
//! across processes by PostgreSQL NOTIFY).
//!
//! ```text
//! mod.rs    types, current(), publish(), command(), the scope rule
//! check.rs  check() and known(): validation with line:col diagnostics
//! bounds.rs the hub's own bounds: one start a minute at most, operators' priorities 1–99
//! issue.rs  sequence, render, sign, store, write the files, nudge; refresh()
//! history.rs the issued documents of a station
//! ```

pub mod bounds;
mod check;
mod history;
mod issue;
mod target;

use serde::Serialize;

pub use check::{check, known, Diag, Known};
pub use history::{document, history, Issued};
pub use issue::refresh;
pub(crate) use issue::write_files;

use super::app::AppState;
use super::audit;
use super::db::{col, split, Db};
use super::error::{HubError, Reason};
use super::users::{Role, User};
use crate::feed::programs::{plain_target, Action, Command};

/// What the hub holds for one station.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StationTimetable {
    pub station: String,
    /// The `[[program]]` tables as the editor last published them.
    pub toml: String,
    /// The newest document's sequence (a play/stop document counts too).
    pub sequence: u64,
    /// Unix seconds.
    pub published_at: i64,
    pub published_by: String,
    /// The sequence the station says it applied (its latest heartbeat).
    pub applied_sequence: Option<u64>,
    /// Why the station refused a document, from its latest heartbeat.
    pub station_error: Option<String>,
    /// The same as a message (`programs_error_msg`), rendered by `refusal`.
    pub station_error_msg: Option<crate::i18n::Msg>,
}

/// Why a timetable change was refused.
#[derive(Debug, thiserror::Error)]
pub enum TimetableError {
    /// The programs have errors (`line:col: message`, the `loa check` ones).
    #[error("the programs have errors: {}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Diag>),
    /// Not an operator of that station nor an admin over it.
    #[error("forbidden: {0}")]
    Forbidden(Reason),
    #[error("no such station")]
    NoStation,
    /// A play/stop request with a bad field.
    #[error("bad request: {0}")]
    BadCommand(Reason),
    /// A play now whose target the station does not have (nothing sent).
    #[error("not on the station: {0}")]
    NotOnStation(Reason),
    #[error(transparent)]
    Hub(#[from] HubError),
}

impl From<sqlx::Error> for TimetableError {
    fn from(e: sqlx::Error) -> TimetableError {
        TimetableError::Hub(e.into())
    }
}

/// A remote command asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Remote {
    Play {
        target: String,
        priority: Option<u32>,
    },
    Stop,
}

/// The station's row: its areas and last heartbeat.
pub(crate) struct StationRow {
    pub id: String,
    pub areas: Vec<String>,
    pub status: serde_json::Value,
}

pub(crate) async fn station_row(db: &Db, id: &str) -> Result<Option<StationRow>, HubError> {
    let Some(r) = sqlx::query("SELECT areas, status FROM stations WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(StationRow {
        id: id.to_string(),
        areas: split(&col::<String>(&r, "areas")?),
        status: col::<Option<String>>(&r, "status")?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(serde_json::Value::Null),
    }))
}

/// What the hub holds for `station` (`None`: never published).
pub async fn current(db: &Db, station: &str) -> Result<Option<StationTimetable>, HubError> {
    let Some(r) = sqlx::query(
        "SELECT toml, sequence, published_at, published_by FROM timetables WHERE station = $1",
    )
    .bind(station)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let status = station_row(db, station)
        .await?
        .map(|s| s.status)
        .unwrap_or_default();
    Ok(Some(StationTimetable {
        station: station.to_string(),
        toml: col(&r, "toml")?,
        sequence: u64::try_from(col::<i64>(&r, "sequence")?).unwrap_or(0),
        published_at: col(&r, "published_at")?,
        published_by: col(&r, "published_by")?,
        applied_sequence: status
            .get("programs_sequence")
            .and_then(serde_json::Value::as_u64),
        station_error: status
            .get("programs_error")
            .and_then(serde_json::Value::as_str)
            .map(String::from),
        station_error_msg: status
            .get("programs_error_msg")
            .and_then(crate::i18n::Msg::from_json),
    }))
}

/// May `user` change `station`'s timetable? (operator of it, or admin over it)
pub(crate) async fn may_change(
    state: &AppState,
    user: &User,
    station: &str,
    areas: &[String],
) -> Result<(), HubError> {
    if user.has(Role::Operator) && user.stations.iter().any(|s| s == station) {
        return Ok(());
    }
    if user.has(Role::Admin) {
        let tree = state.area_tree(areas).await?;
        if super::scope::covers(&tree, user, areas) {
            return Ok(());
        }
    }
    Err(HubError::forbidden("err-only-operator-station-admin-over").arg("station", station))
}

/// Scope check with its audit row on refusal.
async fn allowed(
    state: &AppState,
    user: &User,
    addr: &str,
    station: &str,
    action: &str,
) -> Result<StationRow, TimetableError> {
    let Some(row) = station_row(&state.db, station).await? else {
        return Err(TimetableError::NoStation);
    };
    if let Err(e) = may_change(state, user, station, &row.areas).await {
        let reason = e.reason();
        state
            .audit(audit::Event {
                actor: user.name.clone(),
                address: addr.to_string(),
                action: format!("{action}_refused"),
                target: format!("station:{station}"),
                before: String::new(),
                after: reason.text(crate::i18n::Lang::En),
            })
            .await?;
        return Err(TimetableError::Forbidden(reason));
    }
    Ok(row)
}

/// Check, sign and publish `toml` as `station`'s timetable; returns its sequence.
pub async fn publish(
    state: &AppState,
    user: &User,
    addr: &str,
    station: &str,
    toml: &str,
) -> Result<u64, TimetableError> {
    let row = allowed(state, user, addr, station, "timetable_publish").await?;
    operator_priorities(state, user, addr, station, toml).await?;
    let k = check::known_for(state, &row).await?;
    let diags = check(toml, &k);
    if diags.iter().any(|d| !d.warning) {
        return Err(TimetableError::Invalid(
            diags.into_iter().filter(|d| !d.warning).collect(),
        ));
    }
    issue::issue(state, &user.name, addr, station, Some(toml), None).await
}

/// Operators' timetable priorities are capped like play now: a program at
/// `OPERATOR_MAX_PRIORITY` + 1 or more (an emergency, airing through quiet
/// hours) from someone who is neither approver nor admin is refused (403,
/// audited, nothing signed).
async fn operator_priorities(
    state: &AppState,
    user: &User,
    addr: &str,
    station: &str,
    toml: &str,
) -> Result<(), TimetableError> {
    if user.has(Role::Admin) || user.has(Role::Approver) {
        return Ok(());
    }
    let Some((id, p)) = bounds::over_priority(toml, OPERATOR_MAX_PRIORITY) else {
        return Ok(());
    };
    let reason = Reason::new("err-program-has-priority-operators-may")
        .arg("id", id)
        .arg("p", p)
        .arg("operator_max_priority", OPERATOR_MAX_PRIORITY);
    state
        .audit(audit::Event {
            actor: user.name.clone(),
            address: addr.to_string(),
            action: "timetable_publish_refused".into(),
            target: format!("station:{station}"),
            before: String::new(),
            after: reason.text(crate::i18n::Lang::En),
        })
        .await?;
    Err(TimetableError::Forbidden(reason))
}

/// The biggest priority an operator may give a remote "play now" (emergencies
/// go through approval); admins may go higher.
pub const OPERATOR_MAX_PRIORITY: u32 = 99;

/// Sign a play now / stop for `station` (its programs unchanged).
pub async fn command(
    state: &AppState,
    user: &User,
    addr: &str,
    station: &str,
    remote: Remote,
) -> Result<u64, TimetableError> {
    allowed(state, user, addr, station, "remote_command").await?;
    let now = chrono::Utc::now()
        .with_timezone(&state.cfg.timezone)
        .to_rfc3339();
    let cmd = match remote {
        Remote::Play { target, priority } => {
            let target = target.trim().to_string();
            if !plain_target(&target) {
                return Err(TimetableError::BadCommand(Reason::new(
                    "err-target-must-be-program-id",
                )));
            }
            let max = if user.has(Role::Admin) {
                999
            } else {
                OPERATOR_MAX_PRIORITY
            };
            if let Some(p) = priority.filter(|p| *p == 0 || *p > max) {
                return Err(TimetableError::BadCommand(
                    Reason::new("err-priority-out-range-1")
                        .arg("p", p)
                        .arg("max", max),
                ));
            }
            target::check(state, station, &target).await?;
            Command {
                action: Action::Play,
                target: Some(target),
                priority,
                by: user.name.clone(),
                issued_at: now,
            }
        }
        Remote::Stop => Command {
            action: Action::Stop,
            target: None,
            priority: None,
            by: user.name.clone(),
            issued_at: now,
        },
    };
    issue::issue(state, &user.name, addr, station, None, Some(cmd)).await
}
