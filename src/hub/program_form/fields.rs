//! From a `loa check` diagnostic (line:col in the TOML that `to_toml` wrote)
//! back to the form field that produced it, and each field's label in the
//! page's two languages, so a message is shown beside the right input.

use super::to_toml::Written;

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

/// (Vietnamese, English) label of an input name.
pub fn field_label(field: &str) -> (String, String) {
    let fixed = |vi: &str, en: &str| (vi.to_string(), en.to_string());
    match field {
        "" => fixed("Lịch phát sóng", "Timetable"),
        "program" => fixed("Chương trình", "Program"),
        "id" => fixed("Mã chương trình", "Program id"),
        "title" => fixed("Tên chương trình", "Title"),
        "at" => fixed("Giờ phát", "Times of day"),
        "cron" => fixed("Biểu thức cron", "Cron expression"),
        "on_start" => fixed("Phát khi khởi động sau", "On start, after"),
        "days" => fixed("Ngày trong tuần", "Days"),
        "from" => fixed("Từ ngày", "From"),
        "until" => fixed("Đến ngày", "Until"),
        "priority" => fixed("Mức ưu tiên", "Priority"),
        "max_duration" => fixed("Thời lượng tối đa", "Maximum length"),
        "late_limit" => fixed("Cho phép trễ", "Late limit"),
        "volume" => fixed("Âm lượng", "Volume"),
        "play" => fixed("Danh sách phát", "Play list"),
        other => item_label(other),
    }
}

/// `i2.count` -> "Mục 3: số bản tin"; `i2.f0.value` -> "Mục 3, dự phòng 1: …".
fn item_label(field: &str) -> (String, String) {
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
    let (what_vi, what_en) = match last {
        "count" => ("số bản tin", "count"),
        "duration" => ("thời lượng tiếp sóng", "relay length"),
        "fallback" => ("mục dự phòng", "fallback"),
        "kind" => ("loại", "kind"),
        _ => ("nội dung", "value"),
    };
    let n = item.unwrap_or(0);
    match fb {
        Some(m) => (
            format!("Mục {n}, dự phòng {m}: {what_vi}"),
            format!("Item {n}, fallback {m}: {what_en}"),
        ),
        None => (
            format!("Mục {n}: {what_vi}"),
            format!("Item {n}: {what_en}"),
        ),
    }
}
