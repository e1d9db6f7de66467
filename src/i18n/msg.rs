//! A message as data: a catalogue code and its named arguments, rendered in
//! the reader's language wherever it is read. Stations put one beside the
//! English text of what they report (a refused command or timetable), the
//! hub renders it for its pages; `loa check` renders its diagnostics from
//! one. On the wire: `{"code": "station-cmd-play-unknown", "args": {"target": "x"}}`
//! (argument values are strings).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Args, Lang};

/// Longest code and argument value accepted from the wire.
const MAX_CODE: usize = 80;
const MAX_ARG: usize = 2000;
const MAX_ARGS: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Msg {
    pub code: String,
    #[serde(default)]
    pub args: BTreeMap<String, String>,
}

impl Msg {
    pub fn new(code: &str) -> Msg {
        Msg {
            code: code.to_string(),
            args: BTreeMap::new(),
        }
    }

    /// The same message with argument `name` = `value`.
    pub fn arg(mut self, name: &str, value: impl ToString) -> Msg {
        self.args.insert(name.to_string(), value.to_string());
        self
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// A message read from the wire (a station's report): `None` when it is
    /// not `{code, args}` of strings within bounds.
    pub fn from_json(v: &serde_json::Value) -> Option<Msg> {
        let m: Msg = serde_json::from_value(v.clone()).ok()?;
        let code_ok = !m.code.is_empty()
            && m.code.len() <= MAX_CODE
            && m.code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let args_ok = m.args.len() <= MAX_ARGS
            && m.args.iter().all(|(k, v)| {
                k.len() <= MAX_CODE
                    && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && v.len() <= MAX_ARG
            });
        (code_ok && args_ok).then_some(m)
    }

    /// The message in `lang`, or `None` when the catalogue has no such code
    /// (a newer station) or it is not one of `prefixes` (what the caller
    /// accepts from this source).
    pub fn render(&self, lang: Lang, prefixes: &[&str]) -> Option<String> {
        if !prefixes.iter().any(|p| self.code.starts_with(p)) || !lang.has(&self.code) {
            return None;
        }
        let mut a = Args::new();
        for (k, v) in &self.args {
            a.set_owned(k.clone(), v.clone());
        }
        Some(lang.trf(&self.code, &a))
    }

    /// `msg` rendered in `lang` (codes with one of `prefixes`), else `fallback`
    /// (the English text of a message that has no code yet).
    pub fn render_or(msg: Option<&Msg>, lang: Lang, prefixes: &[&str], fallback: &str) -> String {
        msg.and_then(|m| m.render(lang, prefixes))
            .unwrap_or_else(|| fallback.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_shape_and_bounds() {
        let m = Msg::new("station-cmd-stop-nothing").arg("by", "van-hanh");
        let v = m.to_json();
        assert_eq!(
            v,
            serde_json::json!({"code": "station-cmd-stop-nothing", "args": {"by": "van-hanh"}})
        );
        assert_eq!(Msg::from_json(&v), Some(m));
        assert_eq!(Msg::from_json(&serde_json::json!("text")), None);
        assert_eq!(
            Msg::from_json(&serde_json::json!({"code": "Bad Code"})),
            None
        );
        assert_eq!(
            Msg::from_json(&serde_json::json!({"code": "x", "args": {"a": 3}})),
            None
        );
    }

    #[test]
    fn renders_known_codes_of_the_accepted_kind_only() {
        let m = Msg::new("station-cmd-stop-nothing").arg("by", "van-hanh");
        let vi = m.render(Lang::Vi, &["station-"]).unwrap();
        assert!(vi.contains("van-hanh"), "{vi}");
        assert!(vi.contains("dừng phát"), "{vi}");
        assert!(m.render(Lang::En, &["station-"]).unwrap().contains("Stop"));
        assert_eq!(m.render(Lang::Vi, &["check-"]), None);
        assert_eq!(
            Msg::new("station-no-such").render(Lang::Vi, &["station-"]),
            None
        );
    }
}
