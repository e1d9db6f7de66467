//! Occurrence ids: `PROGRAM@local-start` (RFC 3339, station zone, whole seconds).
//!
//! Owns the id text format only: building it from a start instant and taking it
//! apart again. The id is the key of the as-run log, so its format must never
//! change. Knows nothing of programs or the clock.

use chrono::{
    DateTime, Datelike, FixedOffset, Offset, SecondsFormat, TimeDelta, TimeZone, Timelike,
};

use super::ScheduleError;

/// `start` rounded to the nearest whole second (half a second rounds up).
pub fn round_to_second<Z: TimeZone>(start: &DateTime<Z>) -> DateTime<Z> {
    let nanos = start.nanosecond();
    let whole = start.clone() - TimeDelta::nanoseconds(i64::from(nanos));
    if nanos >= 500_000_000 {
        whole + TimeDelta::seconds(1)
    } else {
        whole
    }
}

/// The id of `program` starting at `start` (already in the station zone), e.g.
/// `sang@2026-11-27T05:00:00+07:00`. Sub-second starts are rounded.
pub fn occurrence_id<Z: TimeZone>(program: &str, start: &DateTime<Z>) -> String
where
    Z::Offset: std::fmt::Display,
{
    let start = round_to_second(start);
    let offset = start.offset().fix().local_minus_utc();
    let local = start.naive_local();
    let mut id = String::with_capacity(program.len() + 26);
    id.push_str(program);
    id.push('@');
    if offset % 60 != 0 || !(0..=9999).contains(&local.year()) {
        // Historical offsets with seconds, odd years: let chrono spell it.
        id.push_str(&start.to_rfc3339_opts(SecondsFormat::Secs, false));
        return id;
    }
    // The hot path of a year-long agenda: same text as chrono's RFC 3339.
    let sign = if offset < 0 { '-' } else { '+' };
    let off = offset.unsigned_abs() / 60;
    let fields = [
        (local.year() as u32 / 100, None),
        (local.year() as u32 % 100, Some('-')),
        (local.month(), Some('-')),
        (local.day(), Some('T')),
        (local.hour(), Some(':')),
        (local.minute(), Some(':')),
        (local.second(), Some(sign)),
        (off / 60, Some(':')),
        (off % 60, None),
    ];
    for (n, sep) in fields {
        id.push(char::from(b'0' + (n / 10) as u8));
        id.push(char::from(b'0' + (n % 10) as u8));
        if let Some(c) = sep {
            id.push(c);
        }
    }
    id
}

/// Splits an occurrence id into its program id and start instant.
pub fn parse_occurrence_id(id: &str) -> Result<(String, DateTime<FixedOffset>), ScheduleError> {
    let bad = |why: &str| ScheduleError::BadOccurrenceId {
        id: id.to_string(),
        why: why.to_string(),
    };
    let (program, start) = id.split_once('@').ok_or_else(|| bad("no `@`"))?;
    if program.is_empty()
        || !program
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(bad("the program part must be [a-z0-9-]+"));
    }
    let start = DateTime::parse_from_rfc3339(start)
        .map_err(|e| bad(&format!("the start is not RFC 3339 ({e})")))?;
    Ok((program.to_string(), start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use chrono_tz::Asia::Ho_Chi_Minh;

    #[test]
    fn id_uses_local_offset_and_whole_seconds() {
        let t = Utc.with_ymd_and_hms(2026, 11, 26, 22, 0, 0).unwrap();
        let local = t.with_timezone(&Ho_Chi_Minh);
        assert_eq!(
            occurrence_id("sang", &local),
            "sang@2026-11-27T05:00:00+07:00"
        );
        let frac = local + TimeDelta::milliseconds(499);
        assert_eq!(occurrence_id("x", &frac), "x@2026-11-27T05:00:00+07:00");
        let frac = local + TimeDelta::milliseconds(500);
        assert_eq!(occurrence_id("x", &frac), "x@2026-11-27T05:00:01+07:00");
        let frac = local + TimeDelta::milliseconds(59_999);
        assert_eq!(occurrence_id("x", &frac), "x@2026-11-27T05:01:00+07:00");
    }

    #[test]
    fn fast_id_text_matches_chrono_rfc3339() {
        let zones: [chrono_tz::Tz; 5] = [
            Ho_Chi_Minh,
            chrono_tz::Europe::Berlin,
            chrono_tz::America::St_Johns,
            chrono_tz::Asia::Kathmandu,
            chrono_tz::UTC,
        ];
        let base = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 7).unwrap();
        for tz in zones {
            for h in (0..24 * 400).step_by(37) {
                let t = (base + TimeDelta::hours(h)).with_timezone(&tz);
                let want = format!("p@{}", t.to_rfc3339_opts(SecondsFormat::Secs, false));
                assert_eq!(occurrence_id("p", &t), want);
            }
        }
        let lmt = Utc
            .with_ymd_and_hms(1890, 1, 1, 0, 0, 0)
            .unwrap()
            .with_timezone(&Ho_Chi_Minh);
        let want = format!("p@{}", lmt.to_rfc3339_opts(SecondsFormat::Secs, false));
        assert_eq!(occurrence_id("p", &lmt), want);
    }

    #[test]
    fn parse_round_trips_and_rejects_garbage() {
        let (p, t) = parse_occurrence_id("sang@2026-11-27T05:00:00+07:00").unwrap();
        assert_eq!(p, "sang");
        assert_eq!(
            t.with_timezone(&Utc),
            Utc.with_ymd_and_hms(2026, 11, 26, 22, 0, 0).unwrap()
        );
        assert!(matches!(
            parse_occurrence_id("sang"),
            Err(ScheduleError::BadOccurrenceId { .. })
        ));
        assert!(parse_occurrence_id("Sang@2026-11-27T05:00:00+07:00").is_err());
        assert!(parse_occurrence_id("sang@2026-11-27 05:00").is_err());
    }
}
