//! Per-feed state on the station, in two parts with different trust:
//!
//! - [`Accepted`]: what was last accepted from a feed (sequence, HTTP
//!   validators, dates). It lives *inside* the store index (`index.json`) so it
//!   is committed in the same atomic rename as the clips it describes: a
//!   sequence can never be recorded for clips that are not in place.
//! - [`FeedStatus`]: how the last attempts went (times, result, stale flag,
//!   failure count), in `STATE/store/feeds.json`. Written after every sync,
//!   atomically; it is only for display and back-off, never trusted.
//!
//! Also [`Backoff`], the poll delay after each sync (in memory).
//!
//! Partial downloads keep no bookkeeping besides `STATE/store/partial/<sha256>.part`
//! itself: its length is the resume offset, and the final hash check decides.
//!
//! Knows nothing of HTTP or signatures. Never writes clip files.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use super::store::{write_atomic, FeedError};

/// What was accepted from one feed (committed with the index).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accepted {
    /// The manifest's `sequence`.
    pub sequence: u64,
    /// The manifest response's `ETag`, sent back as `If-None-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The manifest response's `Last-Modified`, sent back as `If-Modified-Since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    pub published_at: DateTime<FixedOffset>,
    pub expires_at: DateTime<FixedOffset>,
    /// The station areas and languages the clips were selected for; when the
    /// config changes them, the next sync re-applies the same manifest.
    #[serde(default)]
    pub selection: String,
}

impl Accepted {
    /// Whether the accepted manifest has expired at `now` (the feed is stale).
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        self.expires_at <= now
    }
}

/// How syncing one feed has gone (display and back-off only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempt: Option<DateTime<Utc>>,
    /// Last sync that ended Updated or Unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_success: Option<DateTime<Utc>>,
    /// `updated`, `unchanged`, `refused: REASON` or `failed: REASON`.
    #[serde(default)]
    pub last_result: String,
    /// The accepted manifest has expired, or the newest one offered had.
    #[serde(default)]
    pub stale: bool,
    /// Consecutive failed or refused syncs.
    #[serde(default)]
    pub failures: u32,
}

/// All feeds' statuses, keyed by feed key.
pub type FeedStatuses = BTreeMap<String, FeedStatus>;

/// The status file's name under `STATE/store/`.
pub const STATUS_FILE: &str = "feeds.json";

/// Load `feeds.json`; a missing or unreadable file is an empty map (it holds
/// nothing that matters for correctness).
pub fn load_statuses(store_dir: &Path) -> FeedStatuses {
    let path = store_dir.join(STATUS_FILE);
    match std::fs::read(&path) {
        Ok(b) => serde_json::from_slice(&b).unwrap_or_else(|e| {
            tracing::warn!("ignoring unreadable {}: {e}", path.display());
            FeedStatuses::new()
        }),
        Err(_) => FeedStatuses::new(),
    }
}

/// Write `feeds.json` atomically (temp file, fsync, rename, fsync folder).
pub fn save_statuses(store_dir: &Path, statuses: &FeedStatuses) -> Result<(), FeedError> {
    let mut bytes = serde_json::to_vec_pretty(statuses).map_err(|e| FeedError::Io {
        path: store_dir.join(STATUS_FILE),
        source: std::io::Error::other(e),
    })?;
    bytes.push(b'\n');
    write_atomic(&store_dir.join(STATUS_FILE), &bytes)
}

/// Poll delays: `every` (±10 %) while syncs succeed; after failures,
/// exponential from `every` with jitter ("equal jitter": between half and all
/// of `every * 2^failures`), capped at one hour (or `every`, if longer).
#[derive(Debug, Clone)]
pub struct Backoff {
    every: Duration,
    failures: u32,
    rng: u64,
}

impl Backoff {
    pub const MAX: Duration = Duration::from_secs(3600);

    pub fn new(every: Duration) -> Backoff {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0)
            ^ (std::process::id() as u64) << 32;
        Backoff::with_seed(every, seed)
    }

    /// Deterministic jitter, for tests.
    pub fn with_seed(every: Duration, seed: u64) -> Backoff {
        Backoff {
            every,
            failures: 0,
            rng: seed,
        }
    }

    /// Consecutive failures so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The delay before the next poll, after a sync that was `ok` or not.
    pub fn next_delay(&mut self, ok: bool) -> Duration {
        let r = self.unit();
        if ok {
            self.failures = 0;
            return self.every.mul_f64(0.9 + 0.2 * r);
        }
        self.failures = self.failures.saturating_add(1);
        let cap = Self::MAX.max(self.every);
        let factor = 2f64.powi(self.failures.min(30) as i32);
        let d = self.every.mul_f64(factor).min(cap);
        d.mul_f64(0.5 + 0.5 * r)
    }

    /// splitmix64 -> [0, 1).
    fn unit(&mut self) -> f64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_missing_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load_statuses(dir.path()).is_empty());
        let mut s = FeedStatuses::new();
        s.insert(
            "https://x/feed/manifest.json".into(),
            FeedStatus {
                last_result: "failed: HTTP 500".into(),
                failures: 3,
                stale: true,
                ..Default::default()
            },
        );
        save_statuses(dir.path(), &s).unwrap();
        assert_eq!(load_statuses(dir.path()), s);
        std::fs::write(dir.path().join(STATUS_FILE), b"{garbage").unwrap();
        assert!(load_statuses(dir.path()).is_empty());
    }

    #[test]
    fn stale_when_expired() {
        let a = Accepted {
            sequence: 1,
            etag: None,
            last_modified: None,
            published_at: "2026-11-01T00:00:00+07:00".parse().unwrap(),
            expires_at: "2026-12-01T00:00:00+07:00".parse().unwrap(),
            selection: String::new(),
        };
        let before: DateTime<Utc> = "2026-11-30T16:59:59Z".parse().unwrap();
        let at: DateTime<Utc> = "2026-11-30T17:00:00Z".parse().unwrap();
        assert!(!a.is_stale(before));
        assert!(a.is_stale(at));
    }
    #[test]
    fn backoff_grows_with_jitter_to_one_hour_and_resets() {
        let every = Duration::from_secs(120);
        let mut b = Backoff::with_seed(every, 7);
        let ok = b.next_delay(true);
        assert!(ok >= Duration::from_secs(108) && ok <= Duration::from_secs(132));
        let mut prev_hi = every;
        for n in 1..=10u32 {
            let d = b.next_delay(false);
            let full = (every * 2u32.pow(n)).min(Backoff::MAX);
            assert!(d >= full / 2 && d <= full, "failure {n}: {d:?}");
            assert!(d >= every);
            prev_hi = prev_hi.max(d);
        }
        assert!(prev_hi <= Backoff::MAX);
        assert_eq!(b.failures(), 10);
        let d = b.next_delay(true);
        assert!(d <= Duration::from_secs(132));
        assert_eq!(b.failures(), 0);
        let (mut x, mut y) = (Backoff::with_seed(every, 1), Backoff::with_seed(every, 2));
        assert_ne!(x.next_delay(false), y.next_delay(false));
    }

    #[test]
    fn backoff_every_longer_than_an_hour() {
        let every = Duration::from_secs(7200);
        let mut b = Backoff::with_seed(every, 3);
        for _ in 0..5 {
            let d = b.next_delay(false);
            assert!(d >= every / 2 && d <= every, "{d:?}");
        }
    }
}
