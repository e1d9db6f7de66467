//! From a `loa check` diagnostic (line:col in the TOML that `to_toml` wrote)
//! back to the form field that produced it, and each field's label in the
//! reader's language (catalogue `programs-field-…`), so a message is shown
//! beside the right input.

use super::to_toml::Written;
use crate::i18n::Lang;

/// A diagnostic placed on a form: which program (0-based) and which input
/// (`at`, `i2.value`, …; `program` = the program as a whole; `""` = the
/// timetable as a whole, when the position lies outside every program).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDiag {
    pub program: Option<usize>,
    pub field: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub error: bool,
}

/// The program and field that wrote `line:col` of `w.text`: the stretch
/// holding the column, else the first one on that line.
pub fn locate(w: &Written, line: usize, col: usize) -> Option<(usize, String)> {
    let on_line = || w.spans.iter().filter(|s| s.line == line);
    on_line()
        .find(|s| s.start <= col && col < s.end)
        .or_else(|| on_line().next())
        .map(|s| (s.program, s.field.clone()))
}

/// Places a diagnostic of `w.text` on the form.
pub fn place(w: &Written, line: usize, col: usize, message: &str, error: bool) -> FieldDiag {
    let found = locate(w, line, col);
    FieldDiag {
        program: found.as_ref().map(|(p, _)| *p),
        field: found.map(|(_, f)| f).unwrap_or_default(),
        line,
        col,
        message: message.to_string(),
        error,
    }
}

/// The label of an input name in the reader's language.
pub fn field_label(l: Lang, field: &str) -> String {
    let id = match field {
        "" => "programs-field-timetable",
        "program" => "programs-field-program",
        "id" => "programs-field-id",
        "title" => "programs-field-title",
        "at" => "programs-field-at",
        "cron" => "programs-field-cron",
        "on_start" => "programs-field-on-start",
        "days" => "programs-field-days",
        "from" => "programs-field-from",
        "until" => "programs-field-until",
        "priority" => "programs-field-priority",
        "max_duration" => "programs-field-max-duration",
        "late_limit" => "programs-field-late-limit",
        "volume" => "programs-field-volume",
        "play" => "programs-field-play",
        other => return item_label(l, other),
    };
    l.tr(id)
}

/// `i2.count` -> "Mục 3: số bản tin"; `i2.f0.value` -> "Mục 3, dự phòng 1: …".
fn item_label(l: Lang, field: &str) -> String {
    let mut parts = field.split('.');
    let row = |p: Option<&str>, c: char| {
        p.and_then(|s| s.strip_prefix(c))
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| n + 1)
    };
    let item = row(parts.next(), 'i');
    let mut rest: Vec<&str> = parts.collect();
    let last = rest.pop().unwrap_or("value");
    let fb = rest.first().and_then(|s| row(Some(s), 'f'));
    let what = match last {
        "count" => l.tr("programs-part-count"),
        "duration" => l.tr("programs-part-duration"),
        "fallback" => l.tr("programs-part-fallback"),
        "kind" => l.tr("programs-part-kind"),
        _ => l.tr("programs-part-value"),
    };
    let n = item.unwrap_or(0);
    match fb {
        Some(m) => crate::tr!(l, "programs-field-fallback", n = n, m = m, what = what),
        None => crate::tr!(l, "programs-field-item", n = n, what = what),
    }
}
