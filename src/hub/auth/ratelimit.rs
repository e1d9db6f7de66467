//! Failed-login rate limits, per account and per address (HUB.md): after
//! `PER_ACCOUNT` failures for one account, or `PER_ADDRESS` from one address,
//! within `WINDOW_S`, sign-in is refused with 429 until the oldest failure
//! leaves the window. Failures are rows in the database, so hub processes
//! sharing PostgreSQL share the limits and a restart does not reset them.

use crate::hub::db::{col, now_s, Db};
use crate::hub::error::{HubError, HubResult, Reason};

pub const WINDOW_S: i64 = 15 * 60;
pub const PER_ACCOUNT: i64 = 5;
pub const PER_ADDRESS: i64 = 20;

/// Refuse with 429 when the account or the address is over its limit.
pub async fn check(db: &Db, account: &str, address: &str) -> HubResult<()> {
    let since = now_s() - WINDOW_S;
    for (kind, key, limit) in [
        ("user", account, PER_ACCOUNT),
        ("addr", address, PER_ADDRESS),
    ] {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failures \
             WHERE kind = $1 AND key = $2 AND at > $3",
        )
        .bind(kind)
        .bind(key)
        .bind(since)
        .fetch_one(&db.pool)
        .await?;
        let n: i64 = col(&row, "n")?;
        if n >= limit {
            let oldest: Option<i64> = col(&row, "oldest")?;
            let retry = (oldest.unwrap_or(since) + WINDOW_S - now_s()).max(1) as u64;
            let (vi, en) = if kind == "user" {
                ("tài khoản này", "this account")
            } else {
                ("địa chỉ này", "this address")
            };
            return Err(HubError::TooMany {
                reason: Reason::new(
                    format!("đăng nhập sai quá nhiều lần từ {vi}; thử lại sau {retry} giây"),
                    format!("too many failed sign-ins for {en}; try again in {retry} s"),
                ),
                retry_after_s: retry,
            });
        }
    }
    Ok(())
}

/// Count one failure against the account and the address (and forget old ones).
pub async fn record_failure(db: &Db, account: &str, address: &str) -> HubResult<()> {
    let now = now_s();
    for (kind, key) in [("user", account), ("addr", address)] {
        sqlx::query("INSERT INTO login_failures (kind, key, at) VALUES ($1, $2, $3)")
            .bind(kind)
            .bind(key)
            .bind(now)
            .execute(&db.pool)
            .await?;
    }
    sqlx::query("DELETE FROM login_failures WHERE at <= $1")
        .bind(now - WINDOW_S)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A successful sign-in clears the account's failures (not the address's).
pub async fn clear_account(db: &Db, account: &str) -> HubResult<()> {
    sqlx::query("DELETE FROM login_failures WHERE kind = 'user' AND key = $1")
        .bind(account)
        .execute(&db.pool)
        .await?;
    Ok(())
}
