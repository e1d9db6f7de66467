//! Failed-login rate limits, per account and per address (HUB.md): after
//! `PER_ACCOUNT` failures for one account, or `PER_ADDRESS` from one address,
//! within `WINDOW_S`, sign-in is refused with 429 until the oldest failure
//! leaves the window. Failures are rows in the database, so hub processes
//! sharing PostgreSQL share the limits and a restart does not reset them.
//!
//! A password check first *reserves* its slot: counting and inserting happen
//! in one write transaction (SQLite `BEGIN IMMEDIATE`, PostgreSQL a table
//! lock), so requests sent at once cannot all pass the count before any of
//! them is recorded. A reservation is a failure until the password proves
//! right; then `release` takes it back. The same slot guards sign-in and the
//! old password of a password change.

use tokio::sync::Mutex;

use crate::hub::db::{col, now_s, Db, Dialect};
use crate::hub::error::{HubError, HubResult, Reason};

pub const WINDOW_S: i64 = 15 * 60;
pub const PER_ACCOUNT: i64 = 5;
pub const PER_ADDRESS: i64 = 20;

/// Serialises reservations in this process (the database serialises them
/// across processes; this only spares SQLite's busy wait).
static LOCK: Mutex<()> = Mutex::const_new(());

/// The rows a password check holds until it is known to be right.
#[derive(Debug)]
#[must_use = "release the slot when the password was right"]
pub struct Reservation {
    account: String,
    ids: Vec<i64>,
}

/// The 429 for `kind` ("user" or "addr"), retry after `retry` seconds.
fn too_many(kind: &str, retry: u64) -> HubError {
    let code = if kind == "user" {
        "err-signin-too-many-account"
    } else {
        "err-signin-too-many-address"
    };
    HubError::TooMany {
        reason: Reason::new(code).arg("retry", retry),
        retry_after_s: retry,
    }
}

/// Take one slot for a password check on `account` from `address`, or
/// refuse with 429 when either is at its limit. Counting and taking are one
/// transaction: at most the limit of concurrent checks get a slot.
pub async fn reserve(db: &Db, account: &str, address: &str) -> HubResult<Reservation> {
    let _g = LOCK.lock().await;
    let mut tx = db.begin_write().await?;
    if db.dialect == Dialect::Postgres {
        sqlx::query("LOCK TABLE login_failures IN EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
    }
    let now = now_s();
    let since = now - WINDOW_S;
    let keys = [
        ("user", account, PER_ACCOUNT),
        ("addr", address, PER_ADDRESS),
    ];
    for (kind, key, limit) in keys {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failures \
             WHERE kind = $1 AND key = $2 AND at > $3",
        )
        .bind(kind)
        .bind(key)
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
        let n: i64 = col(&row, "n")?;
        if n >= limit {
            let oldest: Option<i64> = col(&row, "oldest")?;
            let retry = (oldest.unwrap_or(since) + WINDOW_S - now).max(1) as u64;
            return Err(too_many(kind, retry));
        }
    }
    let mut ids = vec![];
    for (kind, key, _) in keys {
        let row = sqlx::query(
            "INSERT INTO login_failures (kind, key, at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(kind)
        .bind(key)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        ids.push(col::<i64>(&row, "id")?);
    }
    sqlx::query("DELETE FROM login_failures WHERE at <= $1")
        .bind(since)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Reservation {
        account: account.to_string(),
        ids,
    })
}

/// The secret was right: give the slot back (the other failures stay).
pub async fn release(db: &Db, r: Reservation) -> HubResult<()> {
    for id in &r.ids {
        sqlx::query("DELETE FROM login_failures WHERE id = $1")
            .bind(id)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

/// A successful sign-in also clears the account's failures (not the address's).
pub async fn release_and_clear_account(db: &Db, r: Reservation) -> HubResult<()> {
    let account = r.account.clone();
    release(db, r).await?;
    sqlx::query("DELETE FROM login_failures WHERE kind = 'user' AND key = $1")
        .bind(&account)
        .execute(&db.pool)
        .await?;
    Ok(())
}
