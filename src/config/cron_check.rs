//! Cron expressions: parse with the `cron` crate (seconds first) and turn its terse
//! or empty errors into advice, including the classic 5-field crontab mistake and
//! the 1 = Sunday day-of-week numbering.
//!
//! Pure: text in, schedule or message out. Knows nothing of TOML or spans.

use std::str::FromStr;

use cron::Schedule;

use crate::i18n::Msg;

/// Outcome of checking one cron expression.
#[derive(Debug)]
pub(crate) struct CronChecked {
    pub schedule: Schedule,
    /// Advice about a valid but likely misread expression (English, and
    /// the same as a catalogue message).
    pub warning: Option<(String, Msg)>,
}

const FIELDS: &str = "sec min hour day-of-month month day-of-week [year]";

/// Why an expression was refused, and where in it (character offset) when known.
#[derive(Debug, PartialEq)]
pub(crate) struct CronError {
    pub message: String,
    /// The same as a catalogue message.
    pub msg: Msg,
    pub offset: Option<usize>,
}

/// Parse `expr` as a seconds-first cron expression.
pub(crate) fn check_cron(expr: &str) -> Result<CronChecked, CronError> {
    let fields: Vec<&str> = expr.split_whitespace().collect();
    if fields.len() == 5 {
        let mut suggestion: Vec<String> = vec!["0".into()];
        suggestion.extend(fields[..4].iter().map(|f| f.to_string()));
        suggestion.push(crontab_dow_to_names(fields[4]).unwrap_or_else(|| fields[4].to_string()));
        let suggestion = suggestion.join(" ");
        return Err(CronError {
            message: format!(
                "cron expression \"{expr}\" has 5 fields, like a crontab line, but cron here is seconds-first ({FIELDS}): try \"{suggestion}\""
            ),
            msg: Msg::new("check-cron-five-fields")
                .arg("expr", expr)
                .arg("suggestion", suggestion),
            offset: None,
        });
    }
    let schedule = Schedule::from_str(expr).map_err(|e| {
        // The crate's message is "EXPR\n   ^\nDETAIL" (DETAIL often empty).
        let text = e.to_string();
        let mut lines = text.lines();
        let (offset, detail) = match (lines.next(), lines.next()) {
            (Some(first), Some(caret)) if first == expr && caret.trim() == "^" => {
                let detail: Vec<&str> = lines.collect();
                (Some(caret.len() - 1), detail.join(" "))
            }
            _ => (None, text.clone()),
        };
        let detail = detail.trim().replace("must be less than", "must be at most");
        let mut message = format!("invalid cron expression \"{expr}\"");
        if !detail.is_empty() {
            message.push_str(&format!(" ({detail})"));
        }
        if !expr.trim_start().starts_with('@') && !(6..=7).contains(&fields.len()) {
            message.push_str(&format!(": it has {} fields", fields.len()));
        }
        message.push_str(&format!(
            ": expected 6 or 7 fields, seconds first ({FIELDS}), e.g. \"0 0 5 * * Mon-Sat\" for 05:00 Monday to Saturday"
        ));
        CronError {
            message,
            msg: Msg::new("check-cron-invalid").arg("expr", expr),
            offset,
        }
    })?;
    let warning = fields
        .get(5)
        .filter(|dow| dow.chars().any(|c| c.is_ascii_digit()))
        .map(|dow| {
            let meant = cron_dow_to_names(dow);
            let crontab = crontab_dow_to_names(dow);
            let mut text = format!(
                "cron counts day-of-week from 1 = Sunday to 7 = Saturday, so \"{dow}\" means"
            );
            match &meant {
                Some(names) => text.push_str(&format!(" \"{names}\"")),
                None => text.push_str(" something unusual"),
            }
            text.push_str(" here; write day names to be clear");
            let crontab = crontab.filter(|c| Some(c) != meant.as_ref());
            if let Some(names) = &crontab {
                text.push_str(&format!(" (\"{names}\" if you meant crontab numbering)"));
            }
            let msg = match (meant, crontab) {
                (Some(names), Some(c)) => Msg::new("check-cron-dow-crontab")
                    .arg("dow", *dow)
                    .arg("names", names)
                    .arg("crontab", c),
                (Some(names), None) => Msg::new("check-cron-dow")
                    .arg("dow", *dow)
                    .arg("names", names),
                (None, Some(c)) => Msg::new("check-cron-dow-unusual-crontab")
                    .arg("dow", *dow)
                    .arg("crontab", c),
                (None, None) => Msg::new("check-cron-dow-unusual").arg("dow", *dow),
            };
            (text, msg)
        });
    Ok(CronChecked { schedule, warning })
}

const NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Rewrite numbers in a day-of-week field as names, with `name_of` mapping a number.
fn dow_to_names(field: &str, name_of: impl Fn(u32) -> Option<&'static str>) -> Option<String> {
    let parts: Option<Vec<String>> = field
        .split(',')
        .map(|part| {
            let (base, step) = match part.split_once('/') {
                Some((b, s)) => (b, Some(s)),
                None => (part, None),
            };
            let base: Option<Vec<String>> = base
                .split('-')
                .map(|x| match x.parse::<u32>() {
                    Ok(n) => name_of(n).map(str::to_string),
                    Err(_) => Some(x.to_string()),
                })
                .collect();
            let mut out = base?.join("-");
            if let Some(step) = step {
                out.push('/');
                out.push_str(step);
            }
            Some(out)
        })
        .collect();
    parts.map(|p| p.join(","))
}

/// Crontab numbering: 0 or 7 = Sunday, 1 = Monday.
fn crontab_dow_to_names(field: &str) -> Option<String> {
    dow_to_names(field, |n| {
        NAMES.get((n % 7) as usize).copied().filter(|_| n <= 7)
    })
}

/// The `cron` crate's numbering: 1 = Sunday ... 7 = Saturday.
fn cron_dow_to_names(field: &str) -> Option<String> {
    dow_to_names(field, |n| {
        n.checked_sub(1)
            .and_then(|i| NAMES.get(i as usize))
            .copied()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_first_expressions_parse() {
        let c = check_cron("0 0 5 * * Mon-Sat").unwrap();
        assert!(c.warning.is_none());
        assert_eq!(c.schedule.source(), "0 0 5 * * Mon-Sat");
        assert!(check_cron("@daily").unwrap().warning.is_none());
        assert!(check_cron("0 30 17 * * * 2026").is_ok());
    }

    #[test]
    fn five_field_crontab_gets_a_seconds_first_hint() {
        assert_eq!(
            check_cron("0 5 * * 1-6").unwrap_err().message,
            "cron expression \"0 5 * * 1-6\" has 5 fields, like a crontab line, but cron here is seconds-first (sec min hour day-of-month month day-of-week [year]): try \"0 0 5 * * Mon-Sat\""
        );
        assert!(check_cron("30 17 * * *")
            .unwrap_err()
            .message
            .ends_with("try \"0 30 17 * * *\""));
        assert!(check_cron("0 5 * * 0,7")
            .unwrap_err()
            .message
            .ends_with("try \"0 0 5 * * Sun,Sun\""));
    }

    #[test]
    fn numeric_day_of_week_warns() {
        let c = check_cron("0 0 5 * * 1-5").unwrap();
        assert_eq!(
            c.warning.as_ref().map(|w| w.0.as_str()),
            Some("cron counts day-of-week from 1 = Sunday to 7 = Saturday, so \"1-5\" means \"Sun-Thu\" here; write day names to be clear (\"Mon-Fri\" if you meant crontab numbering)")
        );
    }

    #[test]
    fn cron_errors_are_never_empty() {
        let e = check_cron("0 0 25 * * *").unwrap_err();
        assert_eq!(
            e.message,
            "invalid cron expression \"0 0 25 * * *\" (Hours must be at most 23. ('25' specified.)): expected 6 or 7 fields, seconds first (sec min hour day-of-month month day-of-week [year]), e.g. \"0 0 5 * * Mon-Sat\" for 05:00 Monday to Saturday"
        );
        assert_eq!(e.offset, Some(4));
        let e = check_cron("every day").unwrap_err();
        assert!(e.message.contains("it has 2 fields"), "{e:?}");
        let e = check_cron("* * *").unwrap_err();
        assert!(
            e.message
                .starts_with("invalid cron expression \"* * *\": it has 3 fields"),
            "{e:?}"
        );
        let e = check_cron("").unwrap_err();
        assert!(e.message.contains("e.g. \"0 0 5 * * Mon-Sat\""), "{e:?}");
    }

    #[test]
    fn dow_number_rewriting() {
        assert_eq!(crontab_dow_to_names("1-5"), Some("Mon-Fri".into()));
        assert_eq!(crontab_dow_to_names("*/2"), Some("*/2".into()));
        assert_eq!(
            crontab_dow_to_names("1-5/2,0"),
            Some("Mon-Fri/2,Sun".into())
        );
        assert_eq!(crontab_dow_to_names("9"), None);
        assert_eq!(cron_dow_to_names("1-5"), Some("Sun-Thu".into()));
        assert_eq!(cron_dow_to_names("0"), None);
    }
}
