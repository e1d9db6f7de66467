//! Outages told apart from bugs: a database that cannot be reached (stopped,
//! restarting, the pool's acquire timeout passed, SQLite busy past its
//! timeout) becomes 503 with a reason and `Retry-After`; a full disk (ENOSPC,
//! EDQUOT, SQLite's "database or disk is full") becomes 507. Everything
//! else stays an internal error (500, logged, never shown).
//!
//! `HubError`'s `From<sqlx::Error>` and `From<std::io::Error>` come here, so
//! every `?` on a query or a file write gets the right answer.

use super::error::{HubError, Reason};

/// Seconds a client is told to wait after a 503.
pub const RETRY_AFTER_S: u64 = 5;

/// 503: the database is out of reach.
pub fn unavailable() -> HubError {
    HubError::Unavailable(Reason::new("err-database-unavailable"))
}

/// 507: no space left in the hub's state folder.
pub fn disk_full() -> HubError {
    HubError::DiskFull(Reason::new("err-disk-full"))
}

/// Whether an I/O error means a full disk (or quota).
pub fn is_disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
        || matches!(e.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT))
}

/// Whether anything in `e`'s chain of sources is a full disk.
pub fn chain_is_disk_full(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(x) = cur {
        if let Some(io) = x.downcast_ref::<std::io::Error>() {
            if is_disk_full(io) {
                return true;
            }
        }
        cur = x.source();
    }
    false
}

pub fn from_io(e: std::io::Error) -> HubError {
    if is_disk_full(&e) {
        tracing::error!("hub: disk full: {e}");
        disk_full()
    } else {
        HubError::Internal(format!("file system: {e}"))
    }
}

pub fn from_sqlx(e: sqlx::Error) -> HubError {
    use sqlx::Error as E;
    let out = match &e {
        E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed => true,
        E::Io(io) if is_disk_full(io) => {
            tracing::error!("hub: database: {e}");
            return disk_full();
        }
        E::Io(_) | E::Tls(_) => true,
        E::Protocol(_) => true,
        E::Database(d) => {
            let code = d.code().map(|c| c.into_owned()).unwrap_or_default();
            let msg = d.message().to_ascii_lowercase();
            if code == "13" || msg.contains("database or disk is full") {
                tracing::error!("hub: database: {e}");
                return disk_full();
            }
            // PostgreSQL: 08xxx connection exceptions, 57P0x shutdown/crash,
            // 53xxx out of resources; SQLite: 5 busy, 6 locked.
            code.starts_with("08")
                || code.starts_with("57P")
                || code.starts_with("53")
                || code == "5"
                || code == "6"
                || msg.contains("database is locked")
        }
        _ => false,
    };
    if out {
        tracing::warn!("hub: database out of reach: {e}");
        unavailable()
    } else {
        HubError::Internal(format!("database: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[test]
    fn a_full_disk_is_507_and_an_unreachable_database_503() {
        let e = from_io(std::io::Error::from_raw_os_error(libc::ENOSPC));
        assert_eq!(e.status(), StatusCode::INSUFFICIENT_STORAGE);
        assert!(e
            .reason()
            .text(crate::i18n::Lang::Vi)
            .starts_with("Máy chủ hết dung lượng đĩa"));
        let e = from_sqlx(sqlx::Error::PoolTimedOut);
        assert_eq!(e.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(e
            .reason()
            .text(crate::i18n::Lang::Vi)
            .contains("tạm thời không truy cập được"));
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(
            from_sqlx(sqlx::Error::Io(refused)).status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        let e = from_io(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
