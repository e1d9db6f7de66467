//! The days a program airs, as the timetable list says them: "hằng ngày" /
//! "every day" for all seven, "T2–T6" / "Mon–Fri" for a run of three days
//! or more, the others one by one ("T2, T4, CN"; "Sat, Sun"), with the
//! weekday names of `crate::i18n::format::weekday`.

use chrono::Weekday;

use super::i18n::Lang;
use crate::i18n::format::weekday;

/// The week from Monday, as `ProgramForm::days` holds it.
const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// `days` (Monday first) in words; `None` for every day (the caller says
/// "hằng ngày" in its own sentence) and for no day at all.
pub fn days_text(l: Lang, days: [bool; 7]) -> Option<String> {
    if days == [true; 7] || days == [false; 7] {
        return None;
    }
    let mut parts = vec![];
    let mut i = 0;
    while i < 7 {
        if !days[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < 7 && days[j + 1] {
            j += 1;
        }
        let (a, b) = (weekday(l, WEEK[i]), weekday(l, WEEK[j]));
        match j - i {
            0 => parts.push(a.to_string()),
            1 => parts.extend([a.to_string(), b.to_string()]),
            _ => parts.push(format!("{a}–{b}")),
        }
        i = j + 1;
    }
    Some(parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(on: &[usize]) -> [bool; 7] {
        let mut x = [false; 7];
        for i in on {
            x[*i] = true;
        }
        x
    }

    #[test]
    fn weekdays_runs_and_single_days() {
        assert_eq!(days_text(Lang::Vi, d(&[0, 1, 2, 3, 4])).unwrap(), "T2–T6");
        assert_eq!(days_text(Lang::En, d(&[0, 1, 2, 3, 4])).unwrap(), "Mon–Fri");
        assert_eq!(days_text(Lang::Vi, d(&[5, 6])).unwrap(), "T7, CN");
        assert_eq!(days_text(Lang::En, d(&[5, 6])).unwrap(), "Sat, Sun");
        assert_eq!(days_text(Lang::Vi, d(&[0, 2, 6])).unwrap(), "T2, T4, CN");
        assert_eq!(
            days_text(Lang::Vi, d(&[0, 1, 2, 3, 4, 5])).unwrap(),
            "T2–T7"
        );
        assert_eq!(
            days_text(Lang::Vi, d(&[0, 2, 3, 4, 6])).unwrap(),
            "T2, T4–T6, CN"
        );
        assert_eq!(days_text(Lang::Vi, [true; 7]), None);
        assert_eq!(days_text(Lang::Vi, [false; 7]), None);
    }
}
