//! Clip bytes every hub process can serve. With PostgreSQL the bytes of each
//! stored upload go into `clip_blobs` (by sha256, 1 MiB parts, written before
//! the clip's row, so a row never names bytes the database lacks); a process
//! that lacks the file in `STATE/clips/` streams it back out part by part,
//! checks the hash, and renames it into place: never a whole clip in memory,
//! and the content-addressed name means a cached file is never stale.
//! With SQLite (one process) `STATE/clips/` is the store, as before.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::hub::app::AppState;
use crate::hub::db::{col, Db, Dialect};
use crate::hub::error::{HubError, HubResult};

/// Bytes per `clip_blobs` row.
pub const PART: usize = 1024 * 1024;

/// One materialisation at a time in this process (a second caller then
/// finds the file in place).
static FETCH: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Is `name` a stored clip's file name (`SHA256.ext`)?
pub fn valid_name(name: &str) -> Option<(&str, &str)> {
    let (sha, ext) = name.split_once('.')?;
    let hex = sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit());
    let ext_ok =
        !ext.is_empty() && ext.len() <= 10 && ext.bytes().all(|b| b.is_ascii_alphanumeric());
    (hex && ext_ok).then_some((sha, ext))
}

/// PostgreSQL: put the file's bytes into `clip_blobs` under `sha256` (once).
pub async fn put(db: &Db, sha256: &str, file: &Path) -> HubResult<()> {
    if db.dialect != Dialect::Postgres {
        return Ok(());
    }
    // Parts go in in one transaction, so part 0 present = the whole clip.
    let have = sqlx::query("SELECT 1 AS one FROM clip_blobs WHERE sha256 = $1 AND part = 0")
        .bind(sha256)
        .fetch_optional(&db.pool)
        .await?;
    if have.is_some() {
        return Ok(());
    }
    let mut f = tokio::fs::File::open(file).await?;
    let mut tx = db.pool.begin().await?;
    let mut buf = vec![0u8; PART];
    let mut part = 0i64;
    loop {
        let mut n = 0;
        while n < PART {
            let k = f.read(&mut buf[n..]).await?;
            if k == 0 {
                break;
            }
            n += k;
        }
        if n == 0 {
            break;
        }
        sqlx::query("INSERT INTO clip_blobs (sha256, part, data) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(sha256)
            .bind(part)
            .bind(buf[..n].to_vec())
            .execute(&mut *tx)
            .await?;
        part += 1;
        if n < PART {
            break;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The stored upload `STATE/clips/SHA.ext`, fetched from the database first
/// when this process lacks it (PostgreSQL).
pub async fn local(state: &AppState, sha256: &str, ext: &str) -> HubResult<PathBuf> {
    let dir = state.cfg.uploads_dir();
    let path = dir.join(format!("{sha256}.{ext}"));
    if tokio::fs::try_exists(&path).await.unwrap_or(false) || state.db.dialect != Dialect::Postgres
    {
        return Ok(path);
    }
    let _g = FETCH.lock().await;
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(path);
    }
    tokio::fs::create_dir_all(&dir).await?;
    let tmp = dir.join(format!(".{sha256}.{ext}.part"));
    let result = fetch(&state.db, sha256, &tmp).await;
    match result {
        Ok(()) => {
            tokio::fs::rename(&tmp, &path).await?;
            Ok(path)
        }
        Err(e) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            Err(e)
        }
    }
}

/// Stream `sha256`'s parts into `tmp`, checking the hash; fsynced.
async fn fetch(db: &Db, sha256: &str, tmp: &Path) -> HubResult<()> {
    let mut out = tokio::fs::File::create(tmp).await?;
    let mut hasher = Sha256::new();
    let mut part = 0i64;
    loop {
        let r = sqlx::query("SELECT data FROM clip_blobs WHERE sha256 = $1 AND part = $2")
            .bind(sha256)
            .bind(part)
            .fetch_optional(&db.pool)
            .await?;
        let Some(r) = r else { break };
        let data: Vec<u8> = col(&r, "data")?;
        hasher.update(&data);
        out.write_all(&data).await?;
        part += 1;
    }
    out.sync_all().await?;
    let got = hex::encode(hasher.finalize());
    if part == 0 || got != sha256 {
        return Err(HubError::internal(format!(
            "the database holds no whole copy of clip bytes {sha256} ({part} parts, hash {got})"
        )));
    }
    Ok(())
}

/// PostgreSQL, at start: put every stored clip whose bytes the database
/// lacks (uploaded before issue 17) into `clip_blobs`, from this process's files.
pub async fn backfill(state: &AppState) -> HubResult<()> {
    if state.db.dialect != Dialect::Postgres {
        return Ok(());
    }
    let rows = sqlx::query(
        "SELECT DISTINCT sha256, ext FROM clips c WHERE NOT EXISTS \
         (SELECT 1 FROM clip_blobs b WHERE b.sha256 = c.sha256 AND b.part = 0)",
    )
    .fetch_all(&state.db.pool)
    .await?;
    for r in &rows {
        let sha: String = col(r, "sha256")?;
        let ext: String = col(r, "ext")?;
        let file = state.cfg.uploads_dir().join(format!("{sha}.{ext}"));
        if file.exists() {
            put(&state.db, &sha, &file).await?;
        } else {
            tracing::warn!(
                "hub: clip bytes {sha} are neither in the database nor in {}",
                file.display()
            );
        }
    }
    Ok(())
}
