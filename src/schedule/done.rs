//! Exactly-once memory: the ids of occurrences that have an as-run record,
//! kept only while such an occurrence could still come up again.
//!
//! Why the bound is safe: `plan` considers only occurrences starting at or
//! after `now - CATCH_UP_DAYS`, and it plans nothing while the clock reads
//! earlier than the newest record (`clock_trusted`). So whenever it plans,
//! `now >= newest` and no occurrence starting before `newest - CATCH_UP_DAYS`
//! is ever looked up. Ids are dropped once their start is more than
//! [`KEEP_DAYS`] (one day of margin over the window) before the newest record:
//! a clock stepped back past the window's edge is untrusted, so nothing
//! forgotten can air again. Owns only the set; never reads the log or the clock.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::ids::parse_occurrence_id;
use super::plan::CATCH_UP_DAYS;

/// How long an id is kept, counted back from the newest record: the catch-up
/// window plus a day of margin (sub-second starts, rounding).
pub const KEEP_DAYS: i64 = CATCH_UP_DAYS + 1;

/// Occurrence ids with a record, each with the start it was recorded for.
#[derive(Debug, Clone, Default)]
pub struct Done {
    ids: HashMap<String, DateTime<Utc>>,
    /// The last cutoff applied (pruning runs when it moves by a day or more).
    pruned_at: Option<DateTime<Utc>>,
}

impl Done {
    /// Remembers `id`, recorded for an occurrence starting at `start` (the
    /// record's `scheduled`). A later start for the same id wins. An id
    /// already out of reach (before the last cutoff applied) is not kept.
    pub fn insert(&mut self, id: &str, start: DateTime<Utc>) {
        if self.pruned_at.is_some_and(|cutoff| start < cutoff) {
            return;
        }
        match self.ids.get_mut(id) {
            Some(s) => *s = (*s).max(start),
            None => {
                self.ids.insert(id.to_string(), start);
            }
        }
    }

    /// Whether `id` has a record (among those still kept).
    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The kept ids and their starts, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, DateTime<Utc>)> {
        self.ids.iter().map(|(id, t)| (id.as_str(), *t))
    }

    /// Forgets what can no longer be planned once the newest record is
    /// `newest`: ids whose start is more than [`KEEP_DAYS`] before it. Cheap
    /// to call after every record: the set is walked at most once per day of
    /// advance, so it holds at most `KEEP_DAYS + 1` days of ids.
    pub fn forget_older_than_window(&mut self, newest: DateTime<Utc>) {
        let cutoff = newest - TimeDelta::days(KEEP_DAYS);
        if self
            .pruned_at
            .is_some_and(|p| cutoff - p < TimeDelta::days(1))
        {
            return;
        }
        self.ids.retain(|_, start| *start >= cutoff);
        self.pruned_at = Some(cutoff);
    }
}

impl PartialEq for Done {
    fn eq(&self, other: &Self) -> bool {
        self.ids == other.ids
    }
}

impl Eq for Done {}

/// From bare ids (tests, tools): each start is read from the id itself; an id
/// that does not parse is kept for ever.
impl FromIterator<String> for Done {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        let mut done = Done::default();
        for id in iter {
            let start = parse_occurrence_id(&id)
                .map(|(_, t)| t.with_timezone(&Utc))
                .unwrap_or(DateTime::<Utc>::MAX_UTC);
            done.insert(&id, start);
        }
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 5, 0, 0).unwrap() + TimeDelta::days(i64::from(d))
    }

    #[test]
    fn keeps_the_window_and_a_day_then_forgets() {
        let mut done = Done::default();
        for d in 0..100 {
            done.insert(&format!("a@{d}"), t(d));
            done.forget_older_than_window(t(d));
            // At most KEEP_DAYS + 1 days (pruning is at most a day behind) + today.
            assert!(done.len() as i64 <= KEEP_DAYS + 2, "{}", done.len());
        }
        assert!(done.contains("a@99"));
        assert!(done.contains(&format!("a@{}", 99 - KEEP_DAYS)));
        assert!(!done.contains(&format!("a@{}", 99 - KEEP_DAYS - 2)));
    }

    #[test]
    fn a_later_start_for_the_same_id_wins() {
        let mut done = Done::default();
        done.insert("x", t(50));
        done.insert("x", t(0));
        done.forget_older_than_window(t(60));
        assert!(done.contains("x"));
    }

    #[test]
    fn from_ids_reads_starts_and_keeps_unparsable_ones() {
        let done: Done = [
            "sang@2026-01-01T05:00:00+07:00".to_string(),
            "not an id".to_string(),
        ]
        .into_iter()
        .collect();
        let mut pruned = done.clone();
        pruned.forget_older_than_window(t(400));
        assert!(!pruned.contains("sang@2026-01-01T05:00:00+07:00"));
        assert!(pruned.contains("not an id"));
        assert_eq!(done.len(), 2);
    }
}
