//! `loa hub backup DEST` and `loa hub restore SRC` (issue 17).
//!
//! A backup is a folder: the database as one consistent snapshot taken while
//! the hub runs (SQLite `VACUUM INTO` → `hub.db`; PostgreSQL `pg_dump
//! --format=custom` → `hub.pgdump`, clip bytes included), the signing key
//! (`minisign.key`, as it is on disk: still encrypted if it was), the stored
//! uploads (`clips/`, SQLite only: PostgreSQL holds them in `clip_blobs`),
//! and `backup.json` written last (what is in it, hashes; its presence marks
//! a finished backup). `STATE/feed/` is not copied: it is rebuilt.
//!
//! The sequence rule: stations refuse a feed or programs document whose
//! sequence is not above the last they accepted, and the old hub may have
//! published after the backup. So a restore sets floors (`hub_meta`) at
//! `RESTORE_GAP` above the highest sequence the backup knows of (its newest
//! manifest and programs documents, and what stations last reported in their
//! heartbeats); the restored hub re-signs everything above them at start.
//!
//! ```text
//! mod.rs      the format (backup.json), backup()
//! restore.rs  restore(): checks, database, key, clips, floors
//! files.rs    copying with fsync and hashes, folder checks
//! ```

mod files;
mod restore;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use restore::{restore, Restored};

use super::config::HubConfig;
use super::db::{col, Db, Dialect};
use super::error::{HubError, HubResult};

/// backup.json's `loa_hub_backup`.
pub const FORMAT: u32 = 1;
pub const INFO_FILE: &str = "backup.json";
pub const SQLITE_FILE: &str = "hub.db";
pub const PG_FILE: &str = "hub.pgdump";
pub const KEY_FILE: &str = "minisign.key";
pub const CLIPS_DIR: &str = "clips";
/// How far past the highest sequence a backup knows of a restore moves the
/// feed's and every station's programs sequence: more publishes than the old
/// hub could make between a backup and its loss.
pub const RESTORE_GAP: u64 = 1_000_000;

/// `backup.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Info {
    pub loa_hub_backup: u32,
    pub created_at: String,
    pub version: String,
    /// `sqlite` or `postgres`.
    pub dialect: String,
    /// The database file in the backup folder.
    pub database: String,
    pub feed_sequence: u64,
    pub programs_sequence: u64,
    pub public_key: String,
    pub clips: u64,
    /// sha256 of each file (path relative to the backup folder).
    pub files: BTreeMap<String, String>,
}

/// An error with a Vietnamese and an English half, for the CLI.
pub(crate) fn fail(vi: impl Into<String>, en: impl Into<String>) -> HubError {
    HubError::internal(format!("{} / {}", vi.into(), en.into()))
}

pub(crate) fn dialect_name(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => "sqlite",
        Dialect::Postgres => "postgres",
    }
}

/// The highest feed and programs sequences the database knows of: published,
/// or reported by a station's latest heartbeat.
pub(crate) async fn highest(db: &Db) -> HubResult<(u64, u64)> {
    let r = sqlx::query(
        "SELECT (SELECT MAX(sequence) FROM feed_manifests) AS f, \
         (SELECT MAX(sequence) FROM timetable_docs) AS p",
    )
    .fetch_one(&db.pool)
    .await?;
    let mut feed = u64::try_from(col::<Option<i64>>(&r, "f")?.unwrap_or(0)).unwrap_or(0);
    let mut programs = u64::try_from(col::<Option<i64>>(&r, "p")?.unwrap_or(0)).unwrap_or(0);
    for r in sqlx::query("SELECT status FROM stations WHERE status IS NOT NULL")
        .fetch_all(&db.pool)
        .await?
    {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&col::<String>(&r, "status")?) else {
            continue;
        };
        if let Some(s) = v.pointer("/feed/sequence").and_then(|s| s.as_u64()) {
            feed = feed.max(s);
        }
        if let Some(s) = v.get("programs_sequence").and_then(|s| s.as_u64()) {
            programs = programs.max(s);
        }
    }
    Ok((feed, programs))
}

/// Take a consistent backup of the hub `cfg` describes into the new folder `dest`.
pub async fn backup(cfg: &HubConfig, dest: &Path) -> HubResult<Info> {
    files::fresh_folder(dest, "DEST")?;
    std::fs::create_dir_all(dest)?;
    files::private(dest, 0o700)?;
    let db = Db::open(&cfg.database).await?;
    let mut files_map = BTreeMap::new();
    let database = match db.dialect {
        Dialect::Sqlite => {
            let out = dest.join(SQLITE_FILE);
            sqlx::query("VACUUM INTO $1")
                .bind(out.to_string_lossy().into_owned())
                .execute(&db.pool)
                .await
                .map_err(|e| {
                    fail(
                        format!("không chép được cơ sở dữ liệu: {e}"),
                        format!("cannot copy the database: {e}"),
                    )
                })?;
            SQLITE_FILE
        }
        Dialect::Postgres => {
            let out = dest.join(PG_FILE).to_string_lossy().into_owned();
            files::run(
                "pg_dump",
                &[
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    out.as_str(),
                    "--dbname",
                    cfg.database.as_str(),
                ],
            )?;
            PG_FILE
        }
    };
    files::private(&dest.join(database), 0o600)?;
    files_map.insert(
        database.to_string(),
        files::sha256_file(&dest.join(database))?,
    );
    let key = dest.join(KEY_FILE);
    files::copy_synced(&cfg.key, &key)?;
    files::private(&key, 0o600)?;
    files_map.insert(KEY_FILE.to_string(), files::sha256_file(&key)?);
    // SQLite: the uploads are files; content-addressed and never rewritten,
    // so any copied after the snapshot are only unused extras.
    let mut clips = 0;
    if db.dialect == Dialect::Sqlite {
        clips = files::copy_clips(&cfg.uploads_dir(), &dest.join(CLIPS_DIR))?;
    }
    let (feed_sequence, programs_sequence) = highest(&db).await?;
    let sk = crate::feed::sign::load_secret_key(&cfg.key, None).ok();
    let public_key = match sk {
        Some(k) => crate::feed::sign::public_key_of(&k).unwrap_or_default(),
        None => std::fs::read_to_string(cfg.feed_dir().join(crate::feed::keygen::PUBLIC_KEY_FILE))
            .ok()
            .and_then(|t| t.lines().nth(1).map(String::from))
            .unwrap_or_default(),
    };
    let info = Info {
        loa_hub_backup: FORMAT,
        created_at: chrono::Utc::now().with_timezone(&cfg.timezone).to_rfc3339(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        dialect: dialect_name(db.dialect).to_string(),
        database: database.to_string(),
        feed_sequence,
        programs_sequence,
        public_key,
        clips,
        files: files_map,
    };
    let text = serde_json::to_string_pretty(&info).map_err(HubError::internal)?;
    crate::hub::store::cache::write(dest, INFO_FILE, text.as_bytes())?;
    files::sync_dir(dest)?;
    Ok(info)
}

/// The folder a path names, for messages.
pub(crate) fn shown(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}
