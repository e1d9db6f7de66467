//! Quiet hours: whether an occurrence may start, judged on its local start time.
//!
//! Owns only that judgement and its reason text. Priority >= 100 (emergency)
//! ignores quiet hours. Never decides anything else about the occurrence.

use super::Occurrence;
use crate::config::{Config, QuietHours, EMERGENCY_PRIORITY};

/// `Some(reason)` when a priority < 100 occurrence starts inside quiet hours,
/// e.g. `"quiet hours 21:30-05:00"`.
pub fn quiet_reason(cfg: &Config, occ: &Occurrence) -> Option<String> {
    if occ.priority >= EMERGENCY_PRIORITY || cfg.output.quiet_hours.is_empty() {
        return None;
    }
    let local = occ.start.with_timezone(&cfg.station.timezone).time();
    cfg.output
        .quiet_hours
        .iter()
        .find(|q| q.contains(local))
        .map(describe)
}

/// `quiet hours HH:MM-HH:MM` (seconds shown only when not zero).
pub fn describe(q: &QuietHours) -> String {
    format!("quiet hours {}", q.text())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::testutil::*;
    use chrono_tz::Asia::Ho_Chi_Minh;

    fn occ_at(cfg: &Config, hh: u32, mm: u32, priority: u32) -> Occurrence {
        let mut o = Occurrence::new(
            &cfg.programs[0],
            0,
            local(Ho_Chi_Minh, 2026, 11, 27, hh, mm, 0),
        );
        o.priority = priority;
        o
    }

    #[test]
    fn wrapping_window_inclusive_start_exclusive_end() {
        let mut cfg = config(Ho_Chi_Minh, vec![at_prog("a", &["05:00"])]);
        cfg.output.quiet_hours = vec![quiet("21:30", "05:00")];
        let why = Some("quiet hours 21:30-05:00".to_string());
        assert_eq!(quiet_reason(&cfg, &occ_at(&cfg, 21, 30, 10)), why);
        assert_eq!(quiet_reason(&cfg, &occ_at(&cfg, 23, 59, 10)), why);
        assert_eq!(quiet_reason(&cfg, &occ_at(&cfg, 4, 59, 10)), why);
        assert_eq!(quiet_reason(&cfg, &occ_at(&cfg, 5, 0, 10)), None);
        assert_eq!(quiet_reason(&cfg, &occ_at(&cfg, 21, 29, 10)), None);
        // Emergencies ignore quiet hours; 99 does not.
        assert_eq!(quiet_reason(&cfg, &occ_at(&cfg, 23, 0, 100)), None);
        assert_eq!(quiet_reason(&cfg, &occ_at(&cfg, 23, 0, 99)), why);
    }

    #[test]
    fn several_windows_name_the_matching_one() {
        let mut cfg = config(Ho_Chi_Minh, vec![at_prog("a", &["05:00"])]);
        cfg.output.quiet_hours = vec![quiet("11:00", "13:30"), quiet("22:00", "04:00")];
        assert_eq!(
            quiet_reason(&cfg, &occ_at(&cfg, 12, 0, 10)).as_deref(),
            Some("quiet hours 11:00-13:30")
        );
        assert_eq!(
            quiet_reason(&cfg, &occ_at(&cfg, 3, 0, 10)).as_deref(),
            Some("quiet hours 22:00-04:00")
        );
        assert_eq!(quiet_reason(&cfg, &occ_at(&cfg, 14, 0, 10)), None);
    }
}
