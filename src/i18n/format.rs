//! Numbers, dates and weekdays as each language writes them: Vietnamese
//! "0,5", "07/12/2026", "T2"…"CN", "Tuần 50"; English "0.5", "07/12/2026",
//! "Mon"…"Sun", "Week 50". (Dates are dd/mm/yyyy in both: the English is
//! read by the same province.)

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};

use super::Lang;

/// `x` with `places` decimals, in the language's decimal mark.
pub fn decimal(lang: Lang, x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    match lang {
        Lang::Vi => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A whole number with thousands grouped: "12.345" (vi), "12,345" (en).
pub fn count(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// dd/mm/yyyy.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// "14:05 07/12/2026".
pub fn time_date(t: NaiveDateTime) -> String {
    t.format("%H:%M %d/%m/%Y").to_string()
}

/// T2…CN (vi), Mon…Sun (en).
pub fn weekday(lang: Lang, d: Weekday) -> &'static str {
    let i = d.num_days_from_monday() as usize;
    match lang {
        Lang::Vi => ["T2", "T3", "T4", "T5", "T6", "T7", "CN"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

/// "Tuần 50" / "Week 50" of an ISO week.
pub fn week(lang: Lang, d: NaiveDate) -> String {
    let w = d.iso_week().week();
    match lang {
        Lang::Vi => format!("Tuần {w}"),
        Lang::En => format!("Week {w}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_numbers_and_dates() {
        assert_eq!(decimal(Lang::Vi, 0.5, 1), "0,5");
        assert_eq!(decimal(Lang::En, 0.5, 1), "0.5");
        assert_eq!(count(Lang::Vi, 1234567), "1.234.567");
        assert_eq!(count(Lang::En, -1234), "-1,234");
        assert_eq!(count(Lang::Vi, 999), "999");
        let d = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(date(d), "07/12/2026");
        assert_eq!(weekday(Lang::Vi, d.weekday()), "T2");
        assert_eq!(weekday(Lang::Vi, Weekday::Sun), "CN");
        assert_eq!(week(Lang::Vi, d), "Tuần 50");
        let t = d.and_hms_opt(14, 5, 0).unwrap();
        assert_eq!(time_date(t), "14:05 07/12/2026");
    }
}
