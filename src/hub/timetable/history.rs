//! A station's document history: every signed `programs.toml` the hub issued
//! (programs, play, stop), newest first, and any one of them whole — so a page
//! can draw what the station airs now when it has not applied the newest yet.

use serde::Serialize;

use crate::hub::db::{col, Db};
use crate::hub::error::HubError;

/// One issued document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Issued {
    pub sequence: u64,
    /// `programs`, `play` or `stop`.
    pub kind: String,
    /// Unix seconds.
    pub created_at: i64,
    pub created_by: String,
}

/// The newest `limit` documents of `station`, newest first.
pub async fn history(db: &Db, station: &str, limit: i64) -> Result<Vec<Issued>, HubError> {
    let rows = sqlx::query(
        "SELECT sequence, kind, created_at, created_by FROM timetable_docs \
         WHERE station = $1 ORDER BY sequence DESC LIMIT $2",
    )
    .bind(station)
    .bind(limit.clamp(1, 1000))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Issued {
                sequence: u64::try_from(col::<i64>(r, "sequence")?).unwrap_or(0),
                kind: col(r, "kind")?,
                created_at: col(r, "created_at")?,
                created_by: col(r, "created_by")?,
            })
        })
        .collect()
}

/// The whole signed document `sequence` of `station` (header, `[[program]]`
/// tables, `[command]`); read its programs with `config::load_programs_str`
/// and `feed::programs::HEADER_KEYS`.
pub async fn document(db: &Db, station: &str, sequence: u64) -> Result<Option<String>, HubError> {
    let r = sqlx::query("SELECT document FROM timetable_docs WHERE station = $1 AND sequence = $2")
        .bind(station)
        .bind(i64::try_from(sequence).unwrap_or(i64::MAX))
        .fetch_optional(&db.pool)
        .await?;
    r.map(|r| col::<String>(&r, "document")).transpose()
}
