//! Reading the spanned TOML tree: typed getters that report wrong types, unknown keys
//! and missing keys at their exact position, and keep going.
//!
//! Owns the generic "value of key K must be a T, e.g. EXAMPLE" machinery. Knows no
//! section of the schema; the section readers pass keys and examples in.

use crate::i18n::Msg;
use std::borrow::Cow;
use std::ops::Range;
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::diag::Diags;
use super::suggest::closest;
use super::values::{parse_date, parse_duration, parse_time_of_day};

pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// Where the keys of the other tables live, for "`x` belongs in [y]" hints.
pub(crate) const SECTION_KEYS: &[(&str, &[&str])] = &[
    (
        "[station]",
        &["name", "areas", "timezone", "lang", "language"],
    ),
    (
        "[output]",
        &[
            "device",
            "volume",
            "quiet_hours",
            "power_on",
            "power_off",
            "warmup",
            "loudness",
            "dead_air",
        ],
    ),
    ("[paths]", &["clips", "state"]),
    ("[feed]", &["url", "public_key", "every", "max_store"]),
    (
        "[[program]]",
        &[
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
        ],
    ),
];

/// The kind of a value as a catalogue argument (`-check-type` renders it).
pub(crate) fn type_code(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "string",
        DeValue::Integer(_) => "integer",
        DeValue::Float(_) => "number",
        DeValue::Boolean(_) => "boolean",
        DeValue::Datetime(_) => "datetime",
        DeValue::Array(_) => "array",
        DeValue::Table(_) => "table",
    }
}

/// "a string", "an integer", ... for messages.
pub(crate) fn a_type(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date/time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// A table being read, with its own span (for "missing key" errors) and its name.
#[derive(Clone)]
pub(crate) struct TableRef<'a, 'i> {
    pub table: &'a DeTable<'i>,
    pub span: Range<usize>,
    /// How messages name it: `[output]`, `[[program]] "sang"`, `play item`.
    pub name: String,
}

impl<'a, 'i> TableRef<'a, 'i> {
    pub(crate) fn new(table: &'a DeTable<'i>, span: Range<usize>, name: impl Into<String>) -> Self {
        TableRef {
            table,
            span,
            name: name.into(),
        }
    }

    pub(crate) fn get(&self, key: &'a str) -> Option<Field<'a, 'i>> {
        self.table.get(key).map(|value| Field { key, value })
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// Span of a key (for errors about the key itself rather than its value).
    pub(crate) fn key_span(&self, key: &str) -> Range<usize> {
        self.table
            .get_key_value(key)
            .map(|(k, _)| k.span())
            .unwrap_or_else(|| self.span.clone())
    }

    /// The value of a key that must be present; reports it missing otherwise.
    pub(crate) fn required(
        &self,
        d: &mut Diags,
        key: &'a str,
        example: &str,
    ) -> Option<Field<'a, 'i>> {
        let field = self.get(key);
        // A misspelt key (`duraton`) is already reported with a "did you mean"
        // hint: don't also call the real key missing.
        let misspelt = self
            .table
            .keys()
            .any(|k| k.get_ref() != key && closest(k.get_ref(), &[key]).is_some());
        if field.is_none() && !misspelt {
            d.error(
                self.span.clone(),
                format!("{} is missing `{key}`: add e.g. {example}", self.name),
                Msg::new("check-missing-key")
                    .arg("key", key)
                    .arg("example", example),
            );
        }
        field
    }

    /// Report every key not in `allowed`, with a "did you mean" hint when one is close,
    /// or the table the key belongs in. Returns whether all keys were known.
    pub(crate) fn check_keys(&self, d: &mut Diags, allowed: &[&str]) -> bool {
        let mut all_known = true;
        for (key, _) in self.table.iter() {
            let name: &str = key.get_ref();
            if allowed.contains(&name) {
                continue;
            }
            all_known = false;
            let (text, msg) = unknown_key_message(name, &self.name, allowed);
            d.error(key.span(), text, msg);
        }
        all_known
    }
}

/// An unknown key: its English text and its catalogue message.
pub(crate) fn unknown_key_message(key: &str, table: &str, allowed: &[&str]) -> (String, Msg) {
    let mut text = format!("unknown key `{key}` in {table}");
    if let Some(best) = closest(key, allowed) {
        text.push_str(&format!(": did you mean `{best}`?"));
        let msg = Msg::new("check-unknown-key-hint")
            .arg("key", key)
            .arg("best", best);
        return (text, msg);
    }
    if let Some((section, _)) = SECTION_KEYS
        .iter()
        .find(|(s, keys)| !table.starts_with(s) && keys.contains(&key))
    {
        text.push_str(&format!(": `{key}` belongs in {section}"));
        let msg = Msg::new("check-unknown-key-section")
            .arg("key", key)
            .arg("section", section);
        return (text, msg);
    }
    text.push_str(&format!("; valid keys here: {}", allowed.join(", ")));
    let msg = Msg::new("check-unknown-key")
        .arg("key", key)
        .arg("keys", allowed.join(", "));
    (text, msg)
}

/// One `key = value` pair being read.
#[derive(Clone, Copy)]
pub(crate) struct Field<'a, 'i> {
    pub key: &'a str,
    pub value: &'a Value<'i>,
}

impl<'a, 'i> Field<'a, 'i> {
    pub(crate) fn span(&self) -> Range<usize> {
        self.value.span()
    }

    /// `wanted` is English ("a string"); `want` the same as a `-check-type`
    /// key ("string").
    pub(crate) fn wrong_type(&self, d: &mut Diags, wanted: &str, want: &str, example: &str) {
        d.error(
            self.span(),
            format!(
                "`{}` must be {wanted}, e.g. {example} (found {})",
                self.key,
                a_type(self.value.get_ref())
            ),
            Msg::new("check-wrong-type")
                .arg("key", self.key)
                .arg("want", want)
                .arg("example", example)
                .arg("found", type_code(self.value.get_ref())),
        );
    }

    pub(crate) fn str(&self, d: &mut Diags, example: &str) -> Option<&'a str> {
        match self.value.get_ref() {
            DeValue::String(s) => Some(s.as_ref()),
            _ => {
                self.wrong_type(d, "a string", "string", example);
                None
            }
        }
    }

    /// A string that may also be written as a bare TOML date/time (`from = 2026-01-01`).
    fn str_or_datetime(
        &self,
        d: &mut Diags,
        wanted: &str,
        want: &str,
        example: &str,
    ) -> Option<Cow<'a, str>> {
        match self.value.get_ref() {
            DeValue::String(s) => Some(Cow::Borrowed(s.as_ref())),
            DeValue::Datetime(dt) => Some(Cow::Owned(dt.to_string())),
            _ => {
                self.wrong_type(d, wanted, want, example);
                None
            }
        }
    }

    /// A non-empty string.
    pub(crate) fn non_empty_str(&self, d: &mut Diags, example: &str) -> Option<&'a str> {
        let s = self.str(d, example)?;
        if s.trim().is_empty() {
            d.error(
                self.span(),
                format!("`{}` is empty: write e.g. {example}", self.key),
                Msg::new("check-empty")
                    .arg("key", self.key)
                    .arg("example", example),
            );
            return None;
        }
        Some(s)
    }

    pub(crate) fn number(&self, d: &mut Diags, example: &str) -> Option<f64> {
        match as_number(self.value.get_ref()) {
            Some(n) => Some(n),
            None => {
                self.wrong_type(d, "a number", "number", example);
                None
            }
        }
    }

    /// A non-negative integer that fits a u32.
    pub(crate) fn u32(&self, d: &mut Diags, example: &str) -> Option<u32> {
        match self.value.get_ref() {
            DeValue::Integer(i) => match u32::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    d.error(
                        self.span(),
                        format!(
                            "`{}` must be a whole number from 0 to {}, e.g. {example}",
                            self.key,
                            u32::MAX
                        ),
                        Msg::new("check-whole-number-range")
                            .arg("key", self.key)
                            .arg("max", u32::MAX)
                            .arg("example", example),
                    );
                    None
                }
            },
            _ => {
                self.wrong_type(d, "a whole number", "whole-number", example);
                None
            }
        }
    }

    /// A volume: a number from 0.0 to 1.0.
    pub(crate) fn volume(&self, d: &mut Diags) -> Option<f32> {
        let example = format!("{} = 0.8", self.key);
        if let DeValue::String(s) = self.value.get_ref() {
            if let Some(pct) = s
                .trim()
                .strip_suffix('%')
                .and_then(|p| p.trim().parse::<f64>().ok())
            {
                d.error(
                    self.span(),
                    format!(
                        "`{}` is a number from 0.0 to 1.0, not a percentage: write {} = {} for {s}",
                        self.key,
                        self.key,
                        pct / 100.0
                    ),
                    Msg::new("check-volume-percent")
                        .arg("key", self.key)
                        .arg("value", s.as_ref())
                        .arg("fraction", pct / 100.0),
                );
                return None;
            }
        }
        let v = self.number(d, &example)?;
        if !(0.0..=1.0).contains(&v) {
            d.error(
                self.span(),
                format!(
                    "`{}` = {v} is out of range: it is a fraction from 0.0 (silent) to 1.0 (full), e.g. {example}",
                    self.key
                ),
                Msg::new("check-volume-range")
                    .arg("key", self.key)
                    .arg("value", v)
                    .arg("example", &example),
            );
            return None;
        }
        Some(v as f32)
    }

    pub(crate) fn array(&self, d: &mut Diags, example: &str) -> Option<&'a [Value<'i>]> {
        match self.value.get_ref() {
            DeValue::Array(a) => Some(a.as_ref()),
            _ => {
                self.wrong_type(d, "an array", "array", example);
                None
            }
        }
    }

    /// An array of strings; each non-string element is reported, the rest kept.
    pub(crate) fn str_array(
        &self,
        d: &mut Diags,
        example: &str,
    ) -> Option<Vec<(&'a str, Range<usize>)>> {
        let items = self.array(d, example)?;
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.as_ref(), item.span())),
                other => d.error(
                    item.span(),
                    format!(
                        "every element of `{}` must be a string, e.g. {example} (found {})",
                        self.key,
                        a_type(other)
                    ),
                    Msg::new("check-not-string-element")
                        .arg("key", self.key)
                        .arg("example", example)
                        .arg("found", type_code(other)),
                ),
            }
        }
        Some(out)
    }

    pub(crate) fn duration(&self, d: &mut Diags) -> Option<Duration> {
        let example = format!("{} = \"90s\"", self.key);
        if let DeValue::Integer(n) = self.value.get_ref() {
            let n = n.as_str();
            d.error(
                self.span(),
                format!(
                    "`{}` needs a unit, in quotes: write \"{n}s\" for seconds or \"{n}m\" for minutes, e.g. {example}",
                    self.key
                ),
                Msg::new("check-duration-no-unit")
                    .arg("key", self.key)
                    .arg("n", n),
            );
            return None;
        }
        let s = self.str(d, &example)?;
        parse_duration(s)
            .map_err(|e| {
                d.error(
                    self.span(),
                    format!("`{}`: {e}", self.key),
                    Msg::new("check-duration-invalid")
                        .arg("key", self.key)
                        .arg("value", s),
                )
            })
            .ok()
    }

    pub(crate) fn date(&self, d: &mut Diags) -> Option<NaiveDate> {
        let example = format!("{} = \"2026-01-31\"", self.key);
        let s = self.str_or_datetime(d, "a date string", "date", &example)?;
        parse_date(&s)
            .map_err(|e| {
                d.error(
                    self.span(),
                    format!("`{}`: {e}", self.key),
                    Msg::new("check-date-invalid")
                        .arg("key", self.key)
                        .arg("value", s.as_ref()),
                )
            })
            .ok()
    }
}

/// A TOML integer or float as f64.
pub(crate) fn as_number(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|n| n as f64),
        DeValue::Float(f) => f.as_str().parse::<f64>().ok().filter(|x| x.is_finite()),
        _ => None,
    }
}

/// A time of day written as a string or a bare TOML local time (`at = [05:00]`).
pub(crate) fn time_value(d: &mut Diags, key: &str, v: &Value<'_>) -> Option<NaiveTime> {
    let s: Cow<'_, str> = match v.get_ref() {
        DeValue::String(s) => Cow::Borrowed(s.as_ref()),
        DeValue::Datetime(dt) => Cow::Owned(dt.to_string()),
        other => {
            d.error(
                v.span(),
                format!(
                    "`{key}` takes times of day as strings, e.g. {key} = [\"05:00\", \"17:00\"] (found {})",
                    a_type(other)
                ),
                Msg::new("check-times-as-strings")
                    .arg("key", key)
                    .arg("found", type_code(other)),
            );
            return None;
        }
    };
    parse_time_of_day(&s)
        .map_err(|e| {
            d.error(
                v.span(),
                format!("`{key}`: {e}"),
                Msg::new("check-time-invalid")
                    .arg("key", key)
                    .arg("value", s.as_ref()),
            )
        })
        .ok()
}
