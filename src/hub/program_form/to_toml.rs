//! Forms -> TOML `[[program]]` tables, one key a line and one play item a
//! line, remembering which form field wrote each stretch of each line so that
//! a `loa check` diagnostic at line:col can be shown beside that field.
//!
//! Text fields are written as TOML strings (escaped by the `toml` crate);
//! numeric fields as numbers when they read as one, else as strings, so that a
//! typo still reaches `loa check` and gets its message there.

use toml::Value;

use super::{ItemForm, ItemKind, ProgramForm, WhenKind, DAYS};

/// Where a field was written: 1-based line, character columns `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub line: usize,
    pub start: usize,
    pub end: usize,
    /// Which program (0-based) and which field: a form input name (`at`,
    /// `i2.value`, `i2.f0.count`) or `program` for the table header.
    pub program: usize,
    pub field: String,
}

/// TOML text and the map from its positions back to form fields.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub text: String,
    pub spans: Vec<Span>,
}

struct Writer {
    out: Written,
    line: usize,
    /// Characters on the current line so far.
    col: usize,
    program: usize,
}

impl Writer {
    fn put(&mut self, s: &str, field: Option<&str>) {
        let len = s.chars().count();
        if let Some(field) = field {
            self.out.spans.push(Span {
                line: self.line,
                start: self.col + 1,
                end: self.col + 1 + len,
                program: self.program,
                field: field.to_string(),
            });
        }
        self.out.text.push_str(s);
        self.col += len;
    }

    fn newline(&mut self) {
        self.out.text.push('\n');
        self.line += 1;
        self.col = 0;
    }

    /// `key = VALUE` on a line of its own, the whole line mapped to `field`.
    fn key(&mut self, key: &str, value: &str, field: &str) {
        self.put(&format!("{key} = {value}"), Some(field));
        self.newline();
    }
}

fn string(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// An integer or a float when the text reads as one, else a string.
fn number(s: &str) -> String {
    let t = s.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Value::Integer(i).to_string();
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => Value::Float(x).to_string(),
        _ => string(s),
    }
}

/// `05:00, 17:00` / `05:00 17:00` -> `["05:00", "17:00"]`.
fn times(s: &str) -> String {
    let parts: Vec<String> = s
        .split([',', ' ', ';'])
        .filter(|p| !p.is_empty())
        .map(string)
        .collect();
    format!("[{}]", parts.join(", "))
}

/// The TOML of `forms`, `[[program]]` tables separated by a blank line.
pub fn to_toml(forms: &[ProgramForm]) -> Written {
    let mut w = Writer {
        out: Written::default(),
        line: 1,
        col: 0,
        program: 0,
    };
    for (i, f) in forms.iter().enumerate() {
        w.program = i;
        if i > 0 {
            w.newline();
        }
        write_program(&mut w, f);
    }
    w.out
}

fn write_program(w: &mut Writer, f: &ProgramForm) {
    w.put("[[program]]", Some("program"));
    w.newline();
    w.key("id", &string(f.id.trim()), "id");
    if !f.title.trim().is_empty() {
        w.key("title", &string(f.title.trim()), "title");
    }
    match f.when {
        WhenKind::At => w.key("at", &times(&f.at), "at"),
        WhenKind::Cron => w.key("cron", &string(f.cron.trim()), "cron"),
        WhenKind::OnStart => w.key("on_start", &string(f.on_start.trim()), "on_start"),
    }
    if f.days != [true; 7] {
        let days: Vec<String> = DAYS
            .iter()
            .zip(f.days)
            .filter(|(_, on)| *on)
            .map(|(d, _)| string(d))
            .collect();
        w.key("days", &format!("[{}]", days.join(", ")), "days");
    }
    for (key, value, numeric) in [
        ("from", &f.from, false),
        ("until", &f.until, false),
        ("priority", &f.priority, true),
        ("max_duration", &f.max_duration, false),
        ("late_limit", &f.late_limit, false),
        ("volume", &f.volume, true),
    ] {
        if !value.trim().is_empty() {
            let v = if numeric {
                number(value)
            } else {
                string(value.trim())
            };
            w.key(key, &v, key);
        }
    }
    w.put("play = [", Some("play"));
    w.newline();
    for (n, it) in f.items.iter().enumerate() {
        w.put("  ", None);
        write_item(w, it, &format!("i{n}"));
        w.put(",", None);
        w.newline();
    }
    w.put("]", Some("play"));
    w.newline();
}

/// One item inline; each key's stretch mapped to its input (`i2.count`).
fn write_item(w: &mut Writer, it: &ItemForm, name: &str) {
    let value = format!("{name}.value");
    if it.kind == ItemKind::File {
        w.put(&string(it.value.trim()), Some(&value));
        return;
    }
    w.put("{ ", Some(&value));
    w.put(
        &format!("{} = {}", it.kind.key(), string(it.value.trim())),
        Some(&value),
    );
    if it.kind == ItemKind::Category && !it.count.trim().is_empty() {
        w.put(", ", None);
        w.put(
            &format!("count = {}", number(&it.count)),
            Some(&format!("{name}.count")),
        );
    }
    if it.kind == ItemKind::Stream {
        if !it.duration.trim().is_empty() {
            w.put(", ", None);
            w.put(
                &format!("duration = {}", string(it.duration.trim())),
                Some(&format!("{name}.duration")),
            );
        }
        if !it.fallback.is_empty() {
            w.put(", ", None);
            w.put("fallback = [", Some(&format!("{name}.fallback")));
            for (m, fb) in it.fallback.iter().enumerate() {
                if m > 0 {
                    w.put(", ", None);
                }
                write_item(w, fb, &format!("{name}.f{m}"));
            }
            w.put("]", Some(&format!("{name}.fallback")));
        }
    }
    w.put(" }", Some(&value));
}
