//! TOML `[[program]]` tables (a timetable as the hub stores it, or a station
//! config) -> one `ProgramForm` each. Values become the text a person would
//! type; a key the form has no field for is refused rather than dropped, so
//! saving a form never silently loses part of a program.

use thiserror::Error;
use toml::{Table, Value};

use super::{ItemForm, ItemKind, ProgramForm, WhenKind, DAYS};
use crate::config::parse_weekday;

#[derive(Debug, Error, PartialEq)]
pub enum FormError {
    #[error(
        "the timetable is not valid TOML: {0}; fix it with `loa check` before editing it here"
    )]
    Syntax(String),
    #[error("program #{0}: `{1}` has no field in the editor; remove it from the TOML")]
    UnknownKey(usize, String),
    #[error(
        "program #{0}: `{1}` has a form the editor cannot show ({2}); fix it with `loa check`"
    )]
    Shape(usize, String, String),
}

/// Every `[[program]]` of `text` as a form, in order. Other top-level keys
/// (`loa_programs`, `station`, `sequence`, ... and station config sections)
/// are ignored.
pub fn from_toml(text: &str) -> Result<Vec<ProgramForm>, FormError> {
    let root: Table = toml::from_str(text).map_err(|e| FormError::Syntax(e.message().into()))?;
    let Some(list) = root.get("program") else {
        return Ok(Vec::new());
    };
    let Value::Array(list) = list else {
        return Err(FormError::Shape(
            1,
            "program".into(),
            "not [[program]]".into(),
        ));
    };
    list.iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::Table(t) => program(i + 1, t),
            _ => Err(FormError::Shape(
                i + 1,
                "program".into(),
                "not a table".into(),
            )),
        })
        .collect()
}

/// A scalar as typed text: strings as they are, numbers and dates printed.
fn text(n: usize, key: &str, v: &Value) -> Result<String, FormError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Integer(_) | Value::Float(_) | Value::Datetime(_) | Value::Boolean(_) => {
            Ok(v.to_string())
        }
        _ => Err(FormError::Shape(n, key.into(), "a list or table".into())),
    }
}

fn program(n: usize, t: &Table) -> Result<ProgramForm, FormError> {
    let mut f = ProgramForm {
        days: [true; 7],
        ..ProgramForm::default()
    };
    for (k, v) in t {
        let key = k.as_str();
        match key {
            "id" => f.id = text(n, key, v)?,
            "title" => f.title = text(n, key, v)?,
            "at" => {
                f.when = WhenKind::At;
                f.at = match v {
                    Value::Array(a) => a
                        .iter()
                        .map(|x| text(n, key, x))
                        .collect::<Result<Vec<_>, _>>()?
                        .join(", "),
                    _ => text(n, key, v)?,
                };
            }
            "cron" => {
                f.when = WhenKind::Cron;
                f.cron = text(n, key, v)?;
            }
            "on_start" => {
                f.when = WhenKind::OnStart;
                f.on_start = text(n, key, v)?;
            }
            "days" => f.days = days(n, v)?,
            "from" => f.from = text(n, key, v)?,
            "until" => f.until = text(n, key, v)?,
            "priority" => f.priority = text(n, key, v)?,
            "max_duration" => f.max_duration = text(n, key, v)?,
            "late_limit" => f.late_limit = text(n, key, v)?,
            "volume" => f.volume = text(n, key, v)?,
            "play" => f.items = items(n, "play", v)?,
            _ => return Err(FormError::UnknownKey(n, key.into())),
        }
    }
    Ok(f)
}

fn days(n: usize, v: &Value) -> Result<[bool; 7], FormError> {
    let Value::Array(a) = v else {
        return Err(FormError::Shape(n, "days".into(), "not a list".into()));
    };
    let mut out = [false; 7];
    for x in a {
        let s = text(n, "days", x)?;
        let day =
            parse_weekday(&s).map_err(|e| FormError::Shape(n, "days".into(), e.to_string()))?;
        let i = day.num_days_from_monday() as usize;
        debug_assert_eq!(DAYS.len(), 7);
        out[i] = true;
    }
    Ok(out)
}

fn items(n: usize, key: &str, v: &Value) -> Result<Vec<ItemForm>, FormError> {
    let Value::Array(a) = v else {
        return Err(FormError::Shape(n, key.into(), "not a list".into()));
    };
    a.iter().map(|x| item(n, key, x)).collect()
}

fn item(n: usize, key: &str, v: &Value) -> Result<ItemForm, FormError> {
    let t = match v {
        Value::String(s) => {
            return Ok(ItemForm {
                kind: ItemKind::File,
                value: s.clone(),
                ..ItemForm::default()
            })
        }
        Value::Table(t) => t,
        _ => {
            return Err(FormError::Shape(
                n,
                key.into(),
                "an item that is neither text nor a table".into(),
            ))
        }
    };
    let mut it = ItemForm::default();
    let mut kind = None;
    for (k, v) in t {
        match k.as_str() {
            "silence" | "category" | "clip" | "stream" => {
                if kind.is_some() {
                    return Err(FormError::Shape(
                        n,
                        key.into(),
                        "an item of two kinds".into(),
                    ));
                }
                kind = Some(
                    ItemKind::ALL
                        .into_iter()
                        .find(|x| x.key() == k)
                        .unwrap_or_default(),
                );
                it.value = text(n, k, v)?;
            }
            "count" => it.count = text(n, k, v)?,
            "duration" => it.duration = text(n, k, v)?,
            "fallback" => it.fallback = items(n, "fallback", v)?,
            other => return Err(FormError::UnknownKey(n, format!("{key}: {other}"))),
        }
    }
    it.kind = kind.ok_or_else(|| {
        FormError::Shape(
            n,
            key.into(),
            "an item table without silence, category, clip or stream".into(),
        )
    })?;
    Ok(it)
}
