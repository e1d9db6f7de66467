//! The audit log (HUB.md): one row per login, failed login, account change,
//! upload, approval, rejection, publish, withdrawal…: who, when, from which
//! address, what, before → after. Rows are chained with SHA-256 like the
//! as-run log (each row's `hash` covers its fields and the previous row's
//! hash), so an edited or deleted row shows in `verify`.
//!
//! Owns the `audit` table; append-only (nothing here updates or deletes).

use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

use super::db::{col, now_s, Db, Dialect};
use super::error::HubResult;

/// The `prev` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What to record.
#[derive(Debug, Clone, Default)]
pub struct Event {
    /// Account name, `-` for someone unknown (a failed login names the account tried in `target`).
    pub actor: String,
    pub address: String,
    /// e.g. `login`, `login_failed`, `user_add`, `clip_upload`, `clip_approve`.
    pub action: String,
    /// What it acted on: `clip:ID`, `user:NAME`, `feed`.
    pub target: String,
    /// JSON (or empty) before and after.
    pub before: String,
    pub after: String,
}

/// One stored row.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub address: String,
    pub action: String,
    pub target: String,
    pub before: String,
    pub after: String,
    pub prev: String,
    pub hash: String,
}

/// The chain hash of a row.
pub fn row_hash(prev: &str, at: i64, e: &Event) -> String {
    let fields =
        serde_json::json!([prev, at, e.actor, e.address, e.action, e.target, e.before, e.after]);
    hex::encode(Sha256::digest(fields.to_string().as_bytes()))
}

/// Append one row (appends are serialised: in this process by `lock`, across
/// hub processes sharing PostgreSQL by a table lock).
pub async fn append(db: &Db, lock: &Mutex<()>, e: Event) -> HubResult<()> {
    let _g = lock.lock().await;
    let mut tx = db.begin_write().await?;
    append_in(db.dialect, &mut tx, &e).await?;
    tx.commit().await?;
    trace(&e);
    Ok(())
}

/// Append one row inside the caller's write transaction, so that a change
/// and its row commit together (the caller holds `AppState::audit_lock`,
/// taken before `begin_write`, as `append` does; it logs with [`trace`]
/// once committed).
pub async fn append_in(
    dialect: Dialect,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    e: &Event,
) -> HubResult<()> {
    if dialect == Dialect::Postgres {
        sqlx::query("LOCK TABLE audit IN EXCLUSIVE MODE")
            .execute(&mut **tx)
            .await?;
    }
    let last = sqlx::query("SELECT hash FROM audit ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?;
    let prev = match last {
        Some(r) => col::<String>(&r, "hash")?,
        None => GENESIS.to_string(),
    };
    let at = now_s();
    let hash = row_hash(&prev, at, e);
    sqlx::query(
        "INSERT INTO audit (at, actor, address, action, target, before, after, prev, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(at)
    .bind(&e.actor)
    .bind(&e.address)
    .bind(&e.action)
    .bind(&e.target)
    .bind(&e.before)
    .bind(&e.after)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The log line of a committed row.
pub fn trace(e: &Event) {
    // Names and targets are typed by users: escaped, so one row is one line.
    tracing::info!(
        "audit: {:?} {} {:?} from {:?}",
        e.actor,
        e.action,
        e.target,
        e.address
    );
}

pub fn entry(r: &sqlx::any::AnyRow) -> HubResult<Entry> {
    Ok(Entry {
        id: col(r, "id")?,
        at: col(r, "at")?,
        actor: col(r, "actor")?,
        address: col(r, "address")?,
        action: col(r, "action")?,
        target: col(r, "target")?,
        before: col(r, "before")?,
        after: col(r, "after")?,
        prev: col(r, "prev")?,
        hash: col(r, "hash")?,
    })
}

/// Rows with `from <= at < to` (Unix seconds), oldest first.
pub async fn list(db: &Db, from: i64, to: i64) -> HubResult<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT id, at, actor, address, action, target, before, after, prev, hash \
         FROM audit WHERE at >= $1 AND at < $2 ORDER BY id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(entry).collect()
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Verdict {
    pub ok: bool,
    pub rows: usize,
    /// The id of the first row that does not follow (edited, or one before it deleted).
    pub broken_at: Option<i64>,
}

/// Check every row's hash and link, oldest first.
pub async fn verify(db: &Db) -> HubResult<Verdict> {
    let all = list(db, i64::MIN, i64::MAX).await?;
    Ok(verify_rows(&all))
}

pub fn verify_rows(all: &[Entry]) -> Verdict {
    let mut prev = GENESIS.to_string();
    for r in all {
        let e = Event {
            actor: r.actor.clone(),
            address: r.address.clone(),
            action: r.action.clone(),
            target: r.target.clone(),
            before: r.before.clone(),
            after: r.after.clone(),
        };
        if r.prev != prev || row_hash(&r.prev, r.at, &e) != r.hash {
            return Verdict {
                ok: false,
                rows: all.len(),
                broken_at: Some(r.id),
            };
        }
        prev = r.hash.clone();
    }
    Verdict {
        ok: true,
        rows: all.len(),
        broken_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, prev: &str, action: &str) -> Entry {
        let e = Event {
            actor: "a".into(),
            action: action.into(),
            ..Event::default()
        };
        Entry {
            id,
            at: 5,
            actor: e.actor.clone(),
            address: String::new(),
            action: e.action.clone(),
            target: String::new(),
            before: String::new(),
            after: String::new(),
            prev: prev.into(),
            hash: row_hash(prev, 5, &e),
        }
    }

    #[test]
    fn chain_detects_edits_and_deletions() {
        let a = row(1, GENESIS, "login");
        let b = row(2, &a.hash, "clip_upload");
        let c = row(3, &b.hash, "clip_approve");
        assert!(verify_rows(&[a.clone(), b.clone(), c.clone()]).ok);
        let mut edited = b.clone();
        edited.action = "clip_reject".into();
        assert_eq!(
            verify_rows(&[a.clone(), edited, c.clone()]).broken_at,
            Some(2)
        );
        assert_eq!(verify_rows(&[a, c]).broken_at, Some(3));
    }
}
