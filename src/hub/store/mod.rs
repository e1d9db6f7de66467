//! What the hub publishes, kept in the database so every hub process on one
//! PostgreSQL hands stations the same bytes (issue 17): the signed manifests
//! (`feed_manifests`, one row per sequence), the stations' signed programs
//! documents (`timetable_docs`, hub::timetable), the clips' bytes
//! (`clip_blobs` on PostgreSQL; SQLite keeps them in `STATE/clips/`), and the
//! sequence floors a restore sets (`hub_meta`).
//!
//! `STATE/feed/` is only a cache of these (for nginx or a CDN in front, and
//! for clip files served with ranges); the hub itself serves the documents
//! straight from the database (`serve.rs`), so no process can serve a stale
//! or different one.
//!
//! ```text
//! mod.rs    the cross-process publish lock, latest manifest, hub_meta floors
//! blobs.rs  clip bytes: into the database, back out to a local file (streamed)
//! cache.rs  STATE/feed/ rebuilt from the database (after a publish, on a nudge)
//! serve.rs  GET /feed/…: documents from the database, clips from the cache
//! ```

pub mod blobs;
pub mod cache;
pub mod serve;

use sqlx::AnyConnection;

use super::db::{col, Db, Dialect};
use super::error::HubResult;

/// `hub_meta` name: a restore's floor for the feed's sequence.
pub const FEED_FLOOR: &str = "feed_sequence_floor";
/// `hub_meta` name: a restore's floor for every station's programs sequence.
pub const PROGRAMS_FLOOR: &str = "programs_sequence_floor";

/// The advisory lock keys (PostgreSQL): publishing the feed, issuing one
/// station's programs document.
const LOCK_FEED: i64 = 0x006c_6f61_6665_6564; // "loafeed"
const LOCK_PROGRAMS: i32 = 0x6c6f_6170; // "loap" + hashtext(station)

/// Serialise publishing the feed across hub processes for the rest of the
/// transaction `conn` is in (SQLite: its write transaction already does).
pub async fn lock_feed(dialect: Dialect, conn: &mut AnyConnection) -> HubResult<()> {
    if dialect == Dialect::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(LOCK_FEED)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Serialise issuing `station`'s programs documents across hub processes for
/// the rest of the transaction.
pub async fn lock_programs(
    dialect: Dialect,
    conn: &mut AnyConnection,
    station: &str,
) -> HubResult<()> {
    if dialect == Dialect::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind(LOCK_PROGRAMS)
            .bind(station)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// One signed manifest as stored.
#[derive(Debug, Clone)]
pub struct Stored {
    pub sequence: u64,
    pub manifest: String,
    pub signature: String,
    pub sha256: String,
}

const LATEST: &str = "SELECT sequence, manifest, signature, sha256 FROM feed_manifests ORDER BY sequence DESC LIMIT 1";

fn stored(r: &sqlx::any::AnyRow) -> HubResult<Stored> {
    Ok(Stored {
        sequence: u64::try_from(col::<i64>(r, "sequence")?).unwrap_or(0),
        manifest: col(r, "manifest")?,
        signature: col(r, "signature")?,
        sha256: col(r, "sha256")?,
    })
}

/// The newest signed manifest (`None` before the first publish).
pub async fn latest(db: &Db) -> HubResult<Option<Stored>> {
    let r = sqlx::query(LATEST).fetch_optional(&db.pool).await?;
    r.as_ref().map(stored).transpose()
}

/// The same, inside a transaction.
pub async fn latest_in(conn: &mut AnyConnection) -> HubResult<Option<Stored>> {
    let r = sqlx::query(LATEST).fetch_optional(conn).await?;
    r.as_ref().map(stored).transpose()
}

/// A `hub_meta` number (0 when unset).
pub async fn meta(conn: &mut AnyConnection, name: &str) -> HubResult<i64> {
    let r = sqlx::query("SELECT value FROM hub_meta WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await?;
    Ok(match r {
        Some(r) => col(&r, "value")?,
        None => 0,
    })
}

/// Raise a `hub_meta` number to at least `value`.
pub async fn raise_meta(conn: &mut AnyConnection, name: &str, value: i64) -> HubResult<()> {
    let now = meta(conn, name).await?;
    if value > now {
        sqlx::query(
            "INSERT INTO hub_meta (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(name)
        .bind(value)
        .execute(conn)
        .await?;
    }
    Ok(())
}
