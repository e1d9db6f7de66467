//! Issuing a station's signed programs document: the station's next sequence,
//! rendered (`feed::programs::render`), signed with the feed key, stored
//! (`timetable_docs`, `timetables`), written atomically to
//! `STATE/feed/stations/ID/programs.toml` + `.minisig`, audited, nudged.
//! `refresh` re-signs documents before they expire and rewrites files that
//! are missing or behind the database (a restored state folder).

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::TimeDelta;
use serde_json::json;

use super::TimetableError;
use crate::feed::programs::{self, Command, Header, PROGRAMS_FILE, PROGRAMS_SIG};
use crate::hub::app::AppState;
use crate::hub::audit;
use crate::hub::db::{col, now_s};
use crate::hub::error::{HubError, HubResult};

/// A document is valid this long.
pub const EXPIRES: TimeDelta = TimeDelta::days(30);
/// `refresh` re-signs a document older than this (10 days before it expires).
const REFRESH_AFTER_S: i64 = 20 * 24 * 3600;

/// Serialises issuing in this process (an advisory lock per station, and the
/// primary key, do across processes).
static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The folder of a station's documents.
pub fn station_dir(feed: &Path, station: &str) -> PathBuf {
    feed.join("stations").join(station)
}

/// Issue the next document of `station`: new programs (`Some`) or the current
/// ones unchanged, with `command` when given. Returns its sequence.
pub(super) async fn issue(
    state: &AppState,
    actor: &str,
    addr: &str,
    station: &str,
    programs: Option<&str>,
    command: Option<Command>,
) -> Result<u64, TimetableError> {
    let _g = LOCK.lock().await;
    let mut tries = 0;
    loop {
        tries += 1;
        match try_issue(state, actor, station, programs, command.clone()).await {
            Ok(done) => {
                crate::hub::fault::point("after-timetable-commit");
                // The database is the truth (served from it); the folder is a cache.
                if let Err(e) = write_files(&state.cfg.feed_dir(), station, &done.doc, &done.sig) {
                    tracing::warn!("hub: station {station}'s programs files not refreshed: {e}");
                }
                let (action, after) = match &command {
                    None => (
                        "timetable_publish",
                        json!({"sequence": done.sequence, "toml": done.toml}),
                    ),
                    Some(c) => (
                        match c.action {
                            programs::Action::Play => "remote_play",
                            programs::Action::Stop => "remote_stop",
                        },
                        json!({"sequence": done.sequence, "command": c}),
                    ),
                };
                state
                    .audit(audit::Event {
                        actor: actor.to_string(),
                        address: addr.to_string(),
                        action: action.into(),
                        target: format!("station:{station}"),
                        before: json!({"sequence": done.before_seq, "toml": done.before_toml})
                            .to_string(),
                        after: after.to_string(),
                    })
                    .await?;
                tracing::info!(
                    "hub: station {station:?} timetable sequence {} ({action}) by {actor:?}",
                    done.sequence
                );
                crate::hub::nudge::raise_programs(&state.db, &state.link, station, done.sequence)
                    .await?;
                return Ok(done.sequence);
            }
            // Another hub process took this sequence: take the next one.
            Err(TimetableError::Hub(HubError::Internal(e))) if tries < 4 && is_conflict(&e) => {
                tokio::time::sleep(Duration::from_millis(20 * tries)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

fn is_conflict(e: &str) -> bool {
    let e = e.to_ascii_lowercase();
    e.contains("unique") || e.contains("duplicate key")
}

struct Issued {
    sequence: u64,
    doc: String,
    sig: String,
    toml: String,
    before_seq: u64,
    before_toml: String,
}

async fn try_issue(
    state: &AppState,
    actor: &str,
    station: &str,
    programs: Option<&str>,
    command: Option<Command>,
) -> Result<Issued, TimetableError> {
    let mut tx = state.db.begin_write().await?;
    // One issuer of this station's documents at a time, across processes.
    crate::hub::store::lock_programs(state.db.dialect, &mut tx, station).await?;
    let floor = crate::hub::store::meta(&mut tx, crate::hub::store::PROGRAMS_FLOOR).await?;
    let cur = sqlx::query("SELECT toml, sequence FROM timetables WHERE station = $1")
        .bind(station)
        .fetch_optional(&mut *tx)
        .await?;
    let (before_toml, before_seq) = match &cur {
        Some(r) => (col::<String>(r, "toml")?, col::<i64>(r, "sequence")?),
        None => (String::new(), 0),
    };
    let last = sqlx::query("SELECT MAX(sequence) AS s FROM timetable_docs WHERE station = $1")
        .bind(station)
        .fetch_one(&mut *tx)
        .await?;
    let last: Option<i64> = col(&last, "s")?;
    let sequence = last.unwrap_or(0).max(before_seq).max(floor) + 1;
    let toml = programs.map(str::to_string).unwrap_or(before_toml.clone());
    let now = chrono::Utc::now()
        .with_timezone(&state.cfg.timezone)
        .fixed_offset();
    let header = Header {
        station: station.to_string(),
        sequence: sequence as u64,
        issued_at: now,
        expires_at: now + EXPIRES,
        by: actor.to_string(),
        command: command.clone(),
    };
    let doc = programs::render(&header, &toml).map_err(HubError::internal)?;
    let sig = crate::feed::sign::sign(
        doc.as_bytes(),
        &state.key,
        &format!("loa programs station:{station} sequence:{sequence}"),
    )
    .map_err(HubError::internal)?;
    let kind = match &command {
        None => "programs",
        Some(c) => match c.action {
            programs::Action::Play => "play",
            programs::Action::Stop => "stop",
        },
    };
    let at = now_s();
    sqlx::query(
        "INSERT INTO timetable_docs (station, sequence, kind, document, signature, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(station)
    .bind(sequence)
    .bind(kind)
    .bind(&doc)
    .bind(&sig)
    .bind(at)
    .bind(actor)
    .execute(&mut *tx)
    .await
    .map_err(|e| HubError::internal(format!("database: {e}")))?;
    if command.is_none() || cur.is_none() {
        sqlx::query(
            "INSERT INTO timetables (station, toml, sequence, published_at, published_by) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (station) DO UPDATE SET toml = excluded.toml, sequence = excluded.sequence, \
             published_at = excluded.published_at, published_by = excluded.published_by",
        )
        .bind(station)
        .bind(&toml)
        .bind(sequence)
        .bind(at)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query("UPDATE timetables SET sequence = $1 WHERE station = $2")
            .bind(sequence)
            .bind(station)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Issued {
        sequence: sequence as u64,
        doc,
        sig,
        toml,
        before_seq: before_seq as u64,
        before_toml,
    })
}

/// The sequence of the document now in `dir`, if readable.
fn file_sequence(dir: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(dir.join(PROGRAMS_FILE)).ok()?;
    programs::parse_header(&text).ok().map(|h| h.sequence)
}

/// Put a document and its signature in place (each written aside, fsynced,
/// renamed), unless a newer one is already there.
pub(crate) fn write_files(feed: &Path, station: &str, doc: &str, sig: &str) -> HubResult<()> {
    let dir = station_dir(feed, station);
    std::fs::create_dir_all(&dir)?;
    let seq = programs::parse_header(doc)
        .map(|h| h.sequence)
        .map_err(HubError::internal)?;
    if file_sequence(&dir).is_some_and(|s| s > seq) {
        return Ok(());
    }
    // The signature first: a station that reads the new signature with the old
    // document refuses once, and the document's new ETag makes it look again.
    for (name, body) in [(PROGRAMS_SIG, sig), (PROGRAMS_FILE, doc)] {
        let tmp = dir.join(format!(".{name}.new"));
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(body.as_bytes())?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, dir.join(name))?;
    }
    Ok(())
}

/// Re-sign each station's document well before it expires, or when it lies
/// at or below a restore's sequence floor (same programs, by `hub`), and
/// rewrite document files missing or behind the database.
pub async fn refresh(state: &AppState) -> HubResult<()> {
    let rows = sqlx::query(
        "SELECT d.station, d.sequence, d.document, d.signature, d.created_at FROM timetable_docs d \
         WHERE d.sequence = (SELECT MAX(e.sequence) FROM timetable_docs e WHERE e.station = d.station)",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let feed = state.cfg.feed_dir();
    let floor = {
        let mut conn = state.db.pool.acquire().await?;
        crate::hub::store::meta(&mut conn, crate::hub::store::PROGRAMS_FLOOR).await?
    };
    for r in &rows {
        let station: String = col(r, "station")?;
        let created: i64 = col(r, "created_at")?;
        let below_floor = col::<i64>(r, "sequence")? <= floor;
        if now_s() - created > REFRESH_AFTER_S || below_floor {
            match issue(state, "hub", "-", &station, None, None).await {
                Ok(_) => continue,
                Err(e) => tracing::error!(
                    "hub: cannot re-sign station {station:?}'s timetable: {:?}",
                    e.to_string()
                ),
            }
        }
        let seq = u64::try_from(col::<i64>(r, "sequence")?).unwrap_or(0);
        let dir = station_dir(&feed, &station);
        if file_sequence(&dir) != Some(seq) {
            let doc: String = col(r, "document")?;
            let sig: String = col(r, "signature")?;
            write_files(&feed, &station, &doc, &sig)?;
        }
    }
    Ok(())
}
