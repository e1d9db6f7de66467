//! The one place "now" comes from.
//!
//! Wall-clock time is read only through [`Clock`], so tests (and `LOA_FAKE_TIME`)
//! can shift it; monotonic instants come from `std::time::Instant` directly.
//! Owns no scheduling logic.

use chrono::{DateTime, Utc};
use std::time::{Duration, Instant};

/// A wall clock, optionally offset from the system's (for tests and demos).
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    offset: chrono::TimeDelta,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that reads `fake` now and runs at real speed from here on.
    pub fn starting_at(fake: DateTime<Utc>) -> Clock {
        Clock {
            offset: fake - Utc::now(),
        }
    }

    /// From `LOA_FAKE_TIME` (RFC 3339) when set, else the system clock.
    pub fn from_env() -> Result<Clock, String> {
        match std::env::var("LOA_FAKE_TIME") {
            Ok(s) if !s.trim().is_empty() => DateTime::parse_from_rfc3339(s.trim())
                .map(|t| Clock::starting_at(t.with_timezone(&Utc)))
                .map_err(|e| format!("LOA_FAKE_TIME `{s}` is not an RFC 3339 time: {e}")),
            _ => Ok(Clock::system()),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }

    /// The monotonic instant at which the wall clock will read `t` (or now, if
    /// `t` has passed). Recomputed after every wake, so clock steps are harmless.
    pub fn instant_of(&self, t: DateTime<Utc>) -> Instant {
        let (now_wall, now_mono) = (self.now(), Instant::now());
        match (t - now_wall).to_std() {
            Ok(ahead) => now_mono + ahead,
            Err(_) => now_mono,
        }
    }

    /// The wall-clock reading at monotonic instant `i` (near now).
    pub fn wall_of(&self, i: Instant) -> DateTime<Utc> {
        let (now_wall, now_mono) = (self.now(), Instant::now());
        if i >= now_mono {
            now_wall + delta(i - now_mono)
        } else {
            now_wall - delta(now_mono - i)
        }
    }
}

fn delta(d: Duration) -> chrono::TimeDelta {
    chrono::TimeDelta::from_std(d).unwrap_or(chrono::TimeDelta::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fake_clock_reads_the_fake_time() {
        let fake = DateTime::parse_from_rfc3339("2030-01-02T03:04:05Z")
            .unwrap()
            .with_timezone(&Utc);
        let c = Clock::starting_at(fake);
        let d = (c.now() - fake).num_milliseconds();
        assert!((0..1000).contains(&d), "{d}");
    }

    #[test]
    fn instant_of_past_is_now_and_future_is_ahead() {
        let c = Clock::system();
        let before = Instant::now();
        assert!(c.instant_of(c.now() - chrono::TimeDelta::hours(1)) >= before);
        let ahead = c.instant_of(c.now() + chrono::TimeDelta::seconds(10));
        let d = ahead.duration_since(before).as_secs_f64();
        assert!((9.9..10.1).contains(&d), "{d}");
        let back = c.wall_of(ahead);
        assert!(((back - c.now()).num_milliseconds() - 10_000).abs() < 100);
    }
}
