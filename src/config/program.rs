//! Reader for one `[[program]]` table: id, schedule (at / cron / on_start), day and
//! date filters, priority, limits, volume and the play list.
//!
//! Id uniqueness across programs and file checks happen in `load.rs`; this file
//! only reads one table and never touches the file system.

use crate::i18n::Msg;
use std::ops::Range;

use chrono::{NaiveTime, Weekday};
use toml::de::DeValue;

use super::cron_check::check_cron;
use super::diag::Diags;
use super::items::ItemReader;
use super::model::{Program, When, DEFAULT_LATE_LIMIT, DEFAULT_PRIORITY};
use super::sections::positive;
use super::values::parse_weekday;
use super::walk::{time_value, Field, TableRef};

pub(crate) const PROGRAM_KEYS: &[&str] = &[
    "id",
    "title",
    "at",
    "cron",
    "on_start",
    "days",
    "from",
    "until",
    "priority",
    "max_duration",
    "late_limit",
    "volume",
    "play",
];

const WHEN_KEYS: [&str; 3] = ["at", "cron", "on_start"];
const WHEN_EXAMPLES: &str = "at = [\"05:00\"], cron = \"0 0 5 * * Mon-Sat\" or on_start = \"5s\"";

/// Whether `id` matches `[a-z0-9-]+`.
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A valid id close to `s`: lowercase, Vietnamese accents folded, other runs → `-`.
pub(crate) fn suggest_id(s: &str) -> String {
    const FOLD: &[(&str, char)] = &[
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ùúủũụưừứửữự", 'u'),
        ("ỳýỷỹỵ", 'y'),
        ("đ", 'd'),
    ];
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let c = FOLD
            .iter()
            .find(|(set, _)| set.contains(c))
            .map(|(_, base)| *base)
            .unwrap_or(c);
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// A program read from its table, plus what `load.rs` needs for cross-checks.
pub(crate) struct ReadProgram {
    /// None when the table had errors.
    pub program: Option<Program>,
    /// The id and its span, when the id was a string.
    pub id: Option<(String, Range<usize>)>,
}

pub(crate) fn read_program(
    d: &mut Diags,
    t: &TableRef<'_, '_>,
    number: usize,
    items: &mut ItemReader<'_>,
) -> ReadProgram {
    let raw_id = t.get("id").and_then(|f| match f.value.get_ref() {
        DeValue::String(s) => Some((s.to_string(), f.span())),
        _ => None,
    });
    let label = match &raw_id {
        Some((id, _)) => format!("program `{id}`"),
        None => format!("program #{number}"),
    };
    let table_name = match &raw_id {
        Some((id, _)) => format!("[[program]] \"{id}\""),
        None => format!("[[program]] #{number}"),
    };
    let t = TableRef::new(t.table, t.span.clone(), table_name);
    let errors_before = d.error_count();
    t.check_keys(d, PROGRAM_KEYS);

    let id = t
        .required(d, "id", "id = \"sang\"")
        .and_then(|f| f.str(d, "id = \"sang\"").map(|s| (s, f)))
        .and_then(|(s, f)| {
            if valid_id(s) {
                return Some(s.to_string());
            }
            let mut msg = format!(
                "program id \"{s}\" is not valid: use only lowercase letters a-z, digits and '-'"
            );
            let hint = suggest_id(s);
            let code = if hint.is_empty() {
                Msg::new("check-program-id-invalid").arg("id", s)
            } else {
                msg.push_str(&format!(", e.g. \"{hint}\""));
                Msg::new("check-program-id-invalid-hint")
                    .arg("id", s)
                    .arg("hint", &hint)
            };
            d.error(f.span(), msg, code);
            None
        });
    let title = match t.get("title") {
        Some(f) => f
            .non_empty_str(d, "title = \"Bản tin buổi sáng\"")
            .map(str::to_string),
        None => id.clone(),
    };
    let when = read_when(d, &t, &label);
    let days = match t.get("days") {
        Some(f) => read_days(d, f),
        None => Some(ALL_DAYS.to_vec()),
    };
    let from = t.get("from").map(|f| f.date(d));
    let until = t.get("until").map(|f| f.date(d));
    if let (Some(Some(a)), Some(Some(b))) = (from, until) {
        if a > b {
            let from_line = d.line_of(t.key_span("from").start);
            d.error(
                t.key_span("until"),
                format!("`until` {b} is before `from` {a} (line {from_line}): {label} would never air; swap them or fix the dates"),
                Msg::new("check-until-before-from")
                    .arg("from", a.format("%d/%m/%Y"))
                    .arg("until", b.format("%d/%m/%Y")),
            );
        }
    }
    let priority = match t.get("priority") {
        Some(f) => f.u32(d, "priority = 10"),
        None => Some(DEFAULT_PRIORITY),
    };
    let max_duration = t
        .get("max_duration")
        .map(|f| f.duration(d).filter(|v| positive(d, f, *v)));
    let late_limit = match t.get("late_limit") {
        Some(f) => f.duration(d),
        None => Some(DEFAULT_LATE_LIMIT),
    };
    let volume = match t.get("volume") {
        Some(f) => f.volume(d),
        None => Some(1.0),
    };
    let play = t
        .required(d, "play", "play = [\"chime.ogg\"]")
        .and_then(|f| read_play(d, f, items, &label));

    let program = (d.error_count() == errors_before)
        .then_some(())
        .and_then(|_| {
            Some(Program {
                id: id?,
                title: title?,
                when: when?,
                days: days?,
                from: from.flatten(),
                until: until.flatten(),
                priority: priority?,
                max_duration: max_duration.flatten(),
                late_limit: late_limit?,
                volume: volume?,
                play: play?,
            })
        });
    ReadProgram {
        program,
        id: raw_id,
    }
}

const ALL_DAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn read_when(d: &mut Diags, t: &TableRef<'_, '_>, label: &str) -> Option<When> {
    let present: Vec<&str> = WHEN_KEYS.iter().copied().filter(|k| t.has(k)).collect();
    match present.as_slice() {
        [] => {
            d.error(
                t.span.clone(),
                format!("{label} has no schedule: add exactly one of {WHEN_EXAMPLES}"),
                Msg::new("check-no-schedule"),
            );
            None
        }
        [key] => {
            let f = t.get(key)?;
            match *key {
                "at" => read_at(d, f),
                "cron" => read_cron(d, f),
                _ => f.duration(d).map(When::OnStart),
            }
        }
        [first, rest @ ..] => {
            for other in rest {
                d.error(
                    t.key_span(other),
                    format!("{label} has both `{first}` and `{other}`: keep exactly one of `at`, `cron`, `on_start` (make a second program for another schedule)"),
                    Msg::new("check-two-schedules")
                        .arg("first", first)
                        .arg("other", other),
                );
            }
            None
        }
    }
}

fn read_at(d: &mut Diags, f: Field<'_, '_>) -> Option<When> {
    let values = match f.value.get_ref() {
        DeValue::Array(a) => a.as_ref(),
        _ => std::slice::from_ref(f.value),
    };
    if values.is_empty() {
        d.error(
            f.span(),
            "`at` is empty: give one or more times of day, e.g. at = [\"05:00\", \"17:00\"]",
            Msg::new("check-at-empty"),
        );
        return None;
    }
    let mut times: Vec<NaiveTime> = Vec::new();
    let mut ok = true;
    for v in values {
        match time_value(d, "at", v) {
            Some(t) if times.contains(&t) => d.warning(
                v.span(),
                format!("`at` lists {} twice: it airs once", t.format("%H:%M:%S")),
                Msg::new("check-at-twice").arg("time", t.format("%H:%M")),
            ),
            Some(t) => times.push(t),
            None => ok = false,
        }
    }
    times.sort();
    ok.then_some(When::At(times))
}

fn read_cron(d: &mut Diags, f: Field<'_, '_>) -> Option<When> {
    let expr = f.str(d, "cron = \"0 0 5 * * Mon-Sat\"")?;
    match check_cron(expr) {
        Ok(checked) => {
            if let Some((w, msg)) = checked.warning {
                d.warning(f.span(), w, msg);
            }
            Some(When::Cron(Box::new(checked.schedule), expr.to_string()))
        }
        Err(e) => {
            // Point inside the string when it is written plainly (no escapes).
            let span = f.span();
            let plain = d
                .source(span.clone())
                .get(1..)
                .and_then(|s| s.strip_suffix(['"', '\'']))
                == Some(expr);
            let at = match e.offset {
                Some(i) if plain => {
                    let byte = expr.char_indices().nth(i).map_or(expr.len(), |(b, _)| b);
                    span.start + 1 + byte
                }
                _ => span.start,
            };
            d.error(at..span.end, e.message, e.msg);
            None
        }
    }
}

fn read_days(d: &mut Diags, f: Field<'_, '_>) -> Option<Vec<Weekday>> {
    let example = "days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]";
    let items = f.str_array(d, example)?;
    if items.is_empty() {
        d.error(
            f.span(),
            format!("`days` is empty, so the program would never air: list days, e.g. {example}, or remove `days` for every day"),
            Msg::new("check-days-empty"),
        );
        return None;
    }
    let mut days = Vec::new();
    let mut ok = true;
    for (s, span) in items {
        match parse_weekday(s) {
            Ok(day) => days.push(day),
            Err(e) => {
                d.error(
                    span,
                    format!("`days`: {e}"),
                    Msg::new("check-day-invalid").arg("value", s),
                );
                ok = false;
            }
        }
    }
    days.sort_by_key(|w| w.num_days_from_monday());
    days.dedup();
    ok.then_some(days)
}

fn read_play(
    d: &mut Diags,
    f: Field<'_, '_>,
    items: &mut ItemReader<'_>,
    label: &str,
) -> Option<Vec<super::model::Item>> {
    let values = f.array(d, "play = [\"chime.ogg\", { silence = \"2s\" }]")?;
    if values.is_empty() {
        d.error(
            f.span(),
            format!(
                "`play` is empty: {label} needs at least one item, e.g. play = [\"chime.ogg\"]"
            ),
            Msg::new("check-play-empty"),
        );
        return None;
    }
    Some(items.read_list(d, "play", values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(valid_id("sang"));
        assert!(valid_id("ban-tin-2"));
        assert!(!valid_id("Sang"));
        assert!(!valid_id("ban_tin"));
        assert!(!valid_id(""));
        assert_eq!(suggest_id("Bản tin sáng"), "ban-tin-sang");
        assert_eq!(suggest_id("Đài_ĐỊA-phương"), "dai-dia-phuong");
        assert_eq!(suggest_id("!!"), "");
    }
}
