//! The hub's database: one `sqlx::AnyPool` over SQLite (a file in the state
//! folder) or PostgreSQL (by URL), and the migrations of both dialects
//! (`migrations/sqlite`, `migrations/postgres`, embedded in the binary).
//!
//! Queries elsewhere are written once, with `$1` placeholders and only
//! integer, float and text columns (times are Unix seconds as i64), so the
//! same code runs on both. Lists are stored as comma-separated text.

use std::borrow::Cow;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::AnyPool;

use super::error::{HubError, HubResult};

/// The longest a request waits for a database connection before its 503.
pub const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Which SQL dialect the pool speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// The pool and its dialect; cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub dialect: Dialect,
}

const SQLITE: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../../migrations/sqlite/0001_init.sql"),
    ),
    (
        2,
        "stations",
        include_str!("../../migrations/sqlite/0002_stations.sql"),
    ),
    (
        3,
        "clip_areas",
        include_str!("../../migrations/sqlite/0003_clip_areas.sql"),
    ),
    (
        4,
        "timetables",
        include_str!("../../migrations/sqlite/0004_timetables.sql"),
    ),
    (
        5,
        "chain_breaks",
        include_str!("../../migrations/sqlite/0005_chain_breaks.sql"),
    ),
    (
        6,
        "clip_stations",
        include_str!("../../migrations/sqlite/0006_clip_stations.sql"),
    ),
    (
        7,
        "own_programs",
        include_str!("../../migrations/sqlite/0007_own_programs.sql"),
    ),
    (
        8,
        "feed_store",
        include_str!("../../migrations/sqlite/0008_feed_store.sql"),
    ),
    (
        9,
        "asrun_clips",
        include_str!("../../migrations/sqlite/0009_asrun_clips.sql"),
    ),
    (
        10,
        "clip_text",
        include_str!("../../migrations/sqlite/0010_clip_text.sql"),
    ),
    (
        11,
        "public_clips",
        include_str!("../../migrations/sqlite/0011_public_clips.sql"),
    ),
];
const POSTGRES: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "stations",
        include_str!("../../migrations/postgres/0002_stations.sql"),
    ),
    (
        3,
        "clip_areas",
        include_str!("../../migrations/postgres/0003_clip_areas.sql"),
    ),
    (
        4,
        "timetables",
        include_str!("../../migrations/postgres/0004_timetables.sql"),
    ),
    (
        5,
        "chain_breaks",
        include_str!("../../migrations/postgres/0005_chain_breaks.sql"),
    ),
    (
        6,
        "clip_stations",
        include_str!("../../migrations/postgres/0006_clip_stations.sql"),
    ),
    (
        7,
        "own_programs",
        include_str!("../../migrations/postgres/0007_own_programs.sql"),
    ),
    (
        8,
        "feed_store",
        include_str!("../../migrations/postgres/0008_feed_store.sql"),
    ),
    (
        9,
        "asrun_clips",
        include_str!("../../migrations/postgres/0009_asrun_clips.sql"),
    ),
    (
        10,
        "clip_text",
        include_str!("../../migrations/postgres/0010_clip_text.sql"),
    ),
    (
        11,
        "public_clips",
        include_str!("../../migrations/postgres/0011_public_clips.sql"),
    ),
];

fn migrator(dialect: Dialect) -> Migrator {
    let list = match dialect {
        Dialect::Sqlite => SQLITE,
        Dialect::Postgres => POSTGRES,
    };
    let migrations: Vec<Migration> = list
        .iter()
        .map(|(v, d, sql)| {
            Migration::new(
                *v,
                Cow::Borrowed(*d),
                MigrationType::Simple,
                Cow::Borrowed(*sql),
                false,
            )
        })
        .collect();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

impl Db {
    /// A transaction that will write. SQLite's plain `BEGIN` takes the write
    /// lock only at the first write, and a read-then-write transaction that
    /// finds another writer there fails at once with "database is locked"
    /// (the busy timeout does not apply to that upgrade): under load — 1,000
    /// stations' heartbeats — a sign-in's audit row got a 500. `BEGIN
    /// IMMEDIATE` waits for the lock up front, within the busy timeout.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.dialect {
            Dialect::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Dialect::Postgres => self.pool.begin().await,
        }
    }

    /// Connect to `url` (`sqlite://PATH` is created when missing) and bring the
    /// schema up to date.
    pub async fn open(url: &str) -> HubResult<Db> {
        sqlx::any::install_default_drivers();
        let dialect = if url.starts_with("sqlite:") {
            Dialect::Sqlite
        } else {
            Dialect::Postgres
        };
        let url = match dialect {
            Dialect::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_string(),
        };
        let opts = AnyPoolOptions::new()
            .max_connections(match dialect {
                Dialect::Sqlite => 4,
                Dialect::Postgres => 8,
            })
            // A stopped database answers 503 within this, never hangs a request
            // (`outage.rs`); the pool reconnects by itself once it is back.
            .acquire_timeout(ACQUIRE_TIMEOUT);
        let opts = if dialect == Dialect::Sqlite {
            opts.after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::query("PRAGMA journal_mode = WAL")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("PRAGMA busy_timeout = 10000")
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            })
        } else {
            opts
        };
        let pool = opts.connect(&url).await.map_err(|e| {
            HubError::internal(format!(
                "cannot open the database {}: {e}; check [hub] database in the hub config",
                redact(&url)
            ))
        })?;
        migrator(dialect)
            .run(&pool)
            .await
            .map_err(|e| HubError::internal(format!("cannot migrate the database: {e}")))?;
        Ok(Db { pool, dialect })
    }
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Comma-separated text → list (empty text = empty list).
pub fn split(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

/// List → comma-separated text.
pub fn join(v: &[String]) -> String {
    v.join(",")
}

/// Read a column, turning a type mismatch into an internal error.
pub fn col<'r, T>(row: &'r AnyRow, name: &str) -> HubResult<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    row.try_get(name)
        .map_err(|e| HubError::internal(format!("column {name}: {e}")))
}

/// Unix seconds now.
pub fn now_s() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    #[test]
    fn redact_hides_only_the_password() {
        assert_eq!(
            super::redact("postgres://loa:secret@db/loa"),
            "postgres://loa:***@db/loa"
        );
        assert_eq!(
            super::redact("postgres://loa@db/loa"),
            "postgres://loa@db/loa"
        );
        assert_eq!(super::redact("sqlite:///x/hub.db"), "sqlite:///x/hub.db");
    }
}
