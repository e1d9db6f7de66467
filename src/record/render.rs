//! `loa log --format table|csv|json`: rows to text.
//!
//! Pure string building. Never reads the log, never decides what a row holds.

use super::model::ItemAired;
use super::rows::Row;
use super::time;

/// Longest title shown in the table (in columns); longer ones end in `…`.
const TITLE_MAX: usize = 40;

/// An aligned table, one row per occurrence, columns: date, time (scheduled,
/// station zone), program, title, outcome, aired (mm:ss), reason. Widths count
/// characters, not bytes, and combining marks count zero, so Vietnamese
/// titles line up whether precomposed or not. Ends with a newline.
pub fn render_table(rows: &[Row]) -> String {
    let header = [
        "DATE", "TIME", "PROGRAM", "TITLE", "OUTCOME", "AIRED", "REASON",
    ];
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            [
                r.scheduled.format("%Y-%m-%d").to_string(),
                r.scheduled.format("%H:%M:%S").to_string(),
                clean(&r.program),
                truncate(&clean(&r.title), TITLE_MAX),
                r.outcome.clone(),
                mm_ss(r.seconds_aired),
                r.reason.as_deref().map(clean).unwrap_or_default(),
            ]
        })
        .collect();
    let mut widths: [usize; 7] = header.map(width);
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out = String::new();
    let header = header.map(str::to_string);
    for row in std::iter::once(&header).chain(&cells) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = " ".repeat(widths[i] - width(cell));
            if i == 5 {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// CSV for spreadsheets: UTF-8 with a BOM (so Excel and LibreOffice show
/// Vietnamese), a header row, CRLF line ends, RFC 4180 quoting. Columns:
/// date, time, program, title, outcome, seconds_aired, reason, items
/// (`name (12.3s); …`), occurrence, scheduled, started, ended (RFC 3339).
pub fn render_csv(rows: &[Row]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str("date,time,program,title,outcome,seconds_aired,reason,items,occurrence,scheduled,started,ended\r\n");
    for r in rows {
        let fields = [
            r.scheduled.format("%Y-%m-%d").to_string(),
            r.scheduled.format("%H:%M:%S").to_string(),
            r.program.clone(),
            r.title.clone(),
            r.outcome.clone(),
            format!("{:.1}", r.seconds_aired),
            r.reason.clone().unwrap_or_default(),
            items_text(&r.items),
            r.occurrence.clone(),
            time::format(&r.scheduled),
            r.started.as_ref().map(time::format).unwrap_or_default(),
            r.ended.as_ref().map(time::format).unwrap_or_default(),
        ];
        let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A JSON array, one object per occurrence with the as-run fields
/// (`occurrence`, `program`, `title`, `scheduled`, `started`, `ended`,
/// `outcome`, `reason`, `items`, `seconds_aired`); absent values are `null`.
pub fn render_json(rows: &[Row]) -> String {
    match serde_json::to_string_pretty(rows) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        Err(e) => {
            // Not reachable with these types; never panic in a report.
            tracing::error!(error = %e, "cannot encode the as-run rows as JSON");
            "[]\n".to_string()
        }
    }
}

/// `chime.ogg (4.5s); tin-bao (0.0s, error: file missing)`; a stream's events
/// follow its seconds: `stream URL (20.3s, lost at +8.1 s (…), back at +14.6 s)`.
pub fn items_text(items: &[ItemAired]) -> String {
    items
        .iter()
        .map(|i| {
            let mut parts = vec![format!("{:.1}s", i.seconds)];
            if let Some(e) = &i.error {
                parts.push(format!("error: {e}"));
            }
            parts.extend(i.events.iter().cloned());
            format!("{} ({})", i.name, parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One CSV field (`crate::csv_cell`: formulas defused in every piece a
/// spreadsheet could split, e.g. a hostile title from a feed; quoted when needed).
fn csv_field(s: &str) -> String {
    crate::csv_cell::cell(s)
}

/// `mm:ss`, rounded to the second; minutes go past 59 (`75:03`).
fn mm_ss(seconds: f64) -> String {
    let total = if seconds.is_finite() && seconds > 0.0 {
        seconds.round() as u64
    } else {
        0
    };
    format!("{:02}:{:02}", total / 60, total % 60)
}

/// Columns a string takes on a terminal: one per character, none for
/// combining marks and zero-width characters.
pub fn width(s: &str) -> usize {
    s.chars().filter(|&c| !zero_width(c)).count()
}

fn zero_width(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0xFE20..=0xFE2F | 0x200B..=0x200F | 0xFEFF)
}

/// Control characters (a newline in a title) would break the table.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// At most `max` columns; a cut string ends in `…` and keeps the combining
/// marks of its last kept letter.
fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        if zero_width(c) {
            out.push(c);
            continue;
        }
        if used + 1 > max - 1 {
            break;
        }
        out.push(c);
        used += 1;
    }
    out.push('…');
    out
}
