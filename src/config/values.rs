//! Parsers for the config's scalar formats: durations, times of day, dates, sizes,
//! weekdays, quiet-hours windows. Pure string → value functions, reused by the CLI.
//!
//! Errors are short sentences saying what was expected, with an example; callers add
//! the key name and position. Nothing here knows about TOML or spans.

use std::time::Duration;

use chrono::{NaiveDate, NaiveTime, Weekday};

use super::model::QuietHours;

/// Parse a duration like `"90s"`, `"15m"`, `"1h30m"`, `"500ms"`, `"2h"`, `"1d"`.
///
/// Parts are `<whole number><unit>` with units `d`, `h`, `m`, `s`, `ms`, largest
/// first, each at most once; spaces between parts are allowed.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    const EXPECTED: &str =
        "expected a duration like \"90s\", \"15m\", \"1h30m\" or \"500ms\" (units d, h, m, s, ms)";
    let text = s.trim();
    if text.is_empty() {
        return Err(format!("empty duration: {EXPECTED}"));
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "\"{s}\" has no unit: write \"{text}s\" for seconds or \"{text}m\" for minutes"
        ));
    }
    let mut rest = text;
    let mut total = Duration::ZERO;
    let mut last_rank = usize::MAX;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return Err(format!("\"{s}\" is not a duration: {EXPECTED}"));
        }
        let number: u64 = rest[..digits]
            .parse()
            .map_err(|_| format!("\"{s}\": number too large"))?;
        rest = &rest[digits..];
        let unit_len = rest.len() - rest.trim_start_matches(|c: char| c.is_alphabetic()).len();
        let unit = &rest[..unit_len];
        rest = rest[unit_len..].trim_start();
        let (rank, millis_per) = match unit {
            "d" => (4, 86_400_000u64),
            "h" => (3, 3_600_000),
            "m" | "min" => (2, 60_000),
            "s" => (1, 1_000),
            "ms" => (0, 1),
            "" if rest.starts_with('.') || rest.starts_with(',') => {
                return Err(format!(
                    "\"{s}\": fractions are not supported, combine units instead, e.g. \"1h30m\" or \"1500ms\""
                ))
            }
            "" => return Err(format!("\"{s}\": a number without a unit: {EXPECTED}")),
            other => return Err(format!("\"{s}\": unknown unit \"{other}\": {EXPECTED}")),
        };
        if rank >= last_rank {
            return Err(format!(
                "\"{s}\": write each unit once, largest first, e.g. \"1h30m\""
            ));
        }
        last_rank = rank;
        let millis = number
            .checked_mul(millis_per)
            .ok_or_else(|| format!("\"{s}\": duration too large"))?;
        total = total
            .checked_add(Duration::from_millis(millis))
            .ok_or_else(|| format!("\"{s}\": duration too large"))?;
    }
    Ok(total)
}

/// Parse a local time of day, `"HH:MM"` or `"HH:MM:SS"` (24-hour clock).
pub fn parse_time_of_day(s: &str) -> Result<NaiveTime, String> {
    let bad = || {
        format!("\"{s}\" is not a time of day: expected \"HH:MM\" or \"HH:MM:SS\" on a 24-hour clock, e.g. \"05:00\" or \"17:30\"")
    };
    let parts: Vec<&str> = s.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let mut nums = [0u32; 3];
    for (i, p) in parts.iter().enumerate() {
        let ok_len = if i == 0 {
            (1..=2).contains(&p.len())
        } else {
            p.len() == 2
        };
        if !ok_len || !p.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        nums[i] = p.parse().map_err(|_| bad())?;
    }
    let [h, m, sec] = nums;
    if h > 23 {
        return Err(format!(
            "\"{s}\": hour {h} is out of range: hours go from 00 to 23 (midnight is \"00:00\")"
        ));
    }
    if m > 59 {
        return Err(format!("\"{s}\": minute {m} is out of range 00-59"));
    }
    if sec > 59 {
        return Err(format!("\"{s}\": second {sec} is out of range 00-59"));
    }
    NaiveTime::from_hms_opt(h, m, sec).ok_or_else(bad)
}

/// Parse a calendar date `"YYYY-MM-DD"`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let shape_ok = t.len() == 10
        && t.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(format!(
            "\"{s}\" is not a date: expected \"YYYY-MM-DD\", e.g. \"2026-01-31\""
        ));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
        format!(
            "\"{s}\" is not a real calendar date: check the month (01-12) and the day of the month"
        )
    })
}

/// Parse a storage size: `"4GiB"`, `"500MB"`, `"800k"`, `"1024"` (bytes).
/// Decimal units (kB, MB, GB, TB) are powers of 1000, binary ones (KiB, MiB, GiB,
/// TiB) powers of 1024; the final `B` and the case are optional.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return Err(format!(
            "\"{s}\" is not a size: expected a number and a unit, e.g. \"4GiB\" or \"500MB\""
        ));
    }
    let number: u64 = t[..digits]
        .parse()
        .map_err(|_| format!("\"{s}\": number too large"))?;
    let unit = t[digits..].trim().to_ascii_lowercase();
    let unit = unit.strip_suffix('b').unwrap_or(&unit);
    let factor: u64 = match unit {
        "" => 1,
        "k" => 1000,
        "m" => 1000u64.pow(2),
        "g" => 1000u64.pow(3),
        "t" => 1000u64.pow(4),
        "ki" => 1 << 10,
        "mi" => 1 << 20,
        "gi" => 1 << 30,
        "ti" => 1 << 40,
        _ => {
            return Err(format!(
                "\"{s}\": unknown size unit: use B, kB, MB, GB, TB or KiB, MiB, GiB, TiB, e.g. \"4GiB\""
            ))
        }
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("\"{s}\": size too large"))
}

/// Parse a day of the week: English 3-letter or full name, any case.
pub fn parse_weekday(s: &str) -> Result<Weekday, String> {
    let lower = s.trim().to_ascii_lowercase();
    let day = match lower.as_str() {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => {
            let mut msg =
                format!("\"{s}\" is not a day of the week: use mon, tue, wed, thu, fri, sat, sun");
            // Vietnamese short forms: T2 (thứ hai) = Monday ... T7 = Saturday, CN = Sunday.
            let vi = match lower.replace([' ', '.'], "").as_str() {
                "t2" | "thu2" | "thứ2" | "thứhai" => Some("mon"),
                "t3" | "thu3" | "thứ3" | "thứba" => Some("tue"),
                "t4" | "thu4" | "thứ4" | "thứtư" => Some("wed"),
                "t5" | "thu5" | "thứ5" | "thứnăm" => Some("thu"),
                "t6" | "thu6" | "thứ6" | "thứsáu" => Some("fri"),
                "t7" | "thu7" | "thứ7" | "thứbảy" => Some("sat"),
                "cn" | "chủnhật" => Some("sun"),
                _ => None,
            };
            if let Some(day) = vi {
                msg.push_str(&format!(" (\"{s}\" is \"{day}\")"));
            }
            return Err(msg);
        }
    };
    Ok(day)
}

/// Parse a quiet-hours window `"HH:MM-HH:MM"`; an end before the start wraps past midnight.
pub fn parse_quiet_window(s: &str) -> Result<QuietHours, String> {
    let Some((a, b)) = s.split_once('-') else {
        return Err(format!(
            "\"{s}\" is not a window: expected \"HH:MM-HH:MM\", e.g. \"21:30-05:00\""
        ));
    };
    let start = parse_time_of_day(a).map_err(|e| format!("start of \"{s}\": {e}"))?;
    let end = parse_time_of_day(b).map_err(|e| format!("end of \"{s}\": {e}"))?;
    if start == end {
        return Err(format!(
            "\"{s}\" starts and ends at the same time: a quiet window needs two different times, e.g. \"21:30-05:00\""
        ));
    }
    Ok(QuietHours { start, end })
}

/// Whether two quiet windows share any instant of the day.
pub fn quiet_windows_overlap(a: &QuietHours, b: &QuietHours) -> bool {
    fn pieces(q: &QuietHours) -> Vec<(NaiveTime, Option<NaiveTime>)> {
        // Half-open [start, end); `None` end = until midnight.
        if q.start < q.end {
            vec![(q.start, Some(q.end))]
        } else {
            vec![(q.start, None), (NaiveTime::MIN, Some(q.end))]
        }
    }
    let before = |t: NaiveTime, end: Option<NaiveTime>| end.is_none_or(|e| t < e);
    pieces(a).iter().any(|&(s1, e1)| {
        pieces(b)
            .iter()
            .any(|&(s2, e2)| before(s1, e2) && before(s2, e1))
    })
}

/// A duration written back in the config's own syntax (`"1h30m"`), for messages.
pub fn format_duration(d: Duration) -> String {
    let mut ms = d.as_millis();
    if ms == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [
        ("d", 86_400_000u128),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
        ("ms", 1),
    ] {
        if ms >= size {
            out.push_str(&format!("{}{unit}", ms / size));
            ms %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32, s: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, s).unwrap()
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("1h 30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86400)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("2s500ms"), Ok(Duration::from_millis(2500)));
    }

    #[test]
    fn bad_durations() {
        assert_eq!(
            parse_duration("90").unwrap_err(),
            "\"90\" has no unit: write \"90s\" for seconds or \"90m\" for minutes"
        );
        assert!(parse_duration("1.5h").unwrap_err().contains("fractions"));
        assert!(parse_duration("5x")
            .unwrap_err()
            .contains("unknown unit \"x\""));
        assert!(parse_duration("30m1h")
            .unwrap_err()
            .contains("largest first"));
        assert!(parse_duration("1m1m")
            .unwrap_err()
            .contains("largest first"));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("abc").is_err());
        assert!(parse_duration("-5s").is_err());
        assert!(parse_duration("99999999999999999999s").is_err());
    }

    #[test]
    fn times_of_day() {
        assert_eq!(parse_time_of_day("05:00"), Ok(t(5, 0, 0)));
        assert_eq!(parse_time_of_day("5:00"), Ok(t(5, 0, 0)));
        assert_eq!(parse_time_of_day("17:45:30"), Ok(t(17, 45, 30)));
        assert_eq!(parse_time_of_day("00:00"), Ok(t(0, 0, 0)));
        assert!(parse_time_of_day("25:00")
            .unwrap_err()
            .contains("hour 25 is out of range"));
        assert!(parse_time_of_day("24:00").is_err());
        assert!(parse_time_of_day("12:60")
            .unwrap_err()
            .contains("minute 60"));
        assert!(parse_time_of_day("12:00:61")
            .unwrap_err()
            .contains("second 61"));
        assert!(parse_time_of_day("5h").is_err());
        assert!(parse_time_of_day("05:0").is_err());
        assert!(parse_time_of_day("1:2:3:4").is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2026-01-31"),
            Ok(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap())
        );
        assert!(parse_date("2026-02-30")
            .unwrap_err()
            .contains("not a real calendar date"));
        assert!(parse_date("31/01/2026").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("2026-1-31").is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4GiB"), Ok(4 << 30));
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("500 mb"), Ok(500_000_000));
        assert_eq!(parse_size("800k"), Ok(800_000));
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("2TiB"), Ok(2 << 40));
        assert!(parse_size("4 gigs").is_err());
        assert!(parse_size("GiB").is_err());
    }

    #[test]
    fn weekdays() {
        assert_eq!(parse_weekday("mon"), Ok(Weekday::Mon));
        assert_eq!(parse_weekday("SAT"), Ok(Weekday::Sat));
        assert_eq!(parse_weekday("Sunday"), Ok(Weekday::Sun));
        assert_eq!(
            parse_weekday("T3").unwrap_err(),
            "\"T3\" is not a day of the week: use mon, tue, wed, thu, fri, sat, sun (\"T3\" is \"tue\")"
        );
        assert!(parse_weekday("Chủ nhật")
            .unwrap_err()
            .ends_with("(\"Chủ nhật\" is \"sun\")"));
        assert!(parse_weekday("xyz").unwrap_err().ends_with("sat, sun"));
    }

    #[test]
    fn quiet_windows() {
        let q = parse_quiet_window("21:30-05:00").unwrap();
        assert_eq!(
            q,
            QuietHours {
                start: t(21, 30, 0),
                end: t(5, 0, 0)
            }
        );
        assert!(parse_quiet_window("21:30").is_err());
        assert!(parse_quiet_window("21:30-21:30").is_err());
        assert!(parse_quiet_window("21:30-25:00")
            .unwrap_err()
            .starts_with("end of"));
        let w = |s| parse_quiet_window(s).unwrap();
        assert!(quiet_windows_overlap(&w("21:30-05:00"), &w("04:00-06:00")));
        assert!(quiet_windows_overlap(&w("21:30-05:00"), &w("23:00-01:00")));
        assert!(quiet_windows_overlap(&w("12:00-13:00"), &w("12:30-12:45")));
        assert!(!quiet_windows_overlap(&w("21:30-05:00"), &w("05:00-06:00")));
        assert!(!quiet_windows_overlap(&w("12:00-13:00"), &w("13:00-14:00")));
        assert!(!quiet_windows_overlap(&w("22:00-23:00"), &w("23:30-01:00")));
    }

    #[test]
    fn durations_format_back() {
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h30m");
        assert_eq!(format_duration(Duration::from_millis(2500)), "2s500ms");
        assert_eq!(format_duration(Duration::ZERO), "0s");
    }
}
