//! The report's chart as SVG, drawn by the hub (no outside asset, no script):
//! minutes aired per station (commune) per ISO week ("Tuần 50"), then per
//! station and category, as horizontal bars with their values, its words
//! from the catalogue in the reader's language. Text is escaped; the picture
//! only depends on the report and the language it is given.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};

use super::reports::Report;
use crate::i18n::format::{date, decimal, week};
use crate::i18n::Lang;
use crate::tr;

/// "2026-12-07" (the report's own form) as "07/12/2026".
pub fn dmy(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(date)
        .unwrap_or_else(|_| iso.to_string())
}

/// One bar's row: its label on a line of its own (long commune names fit a
/// phone), the bar under it. The picture is 340 px wide: a 360 px phone shows
/// it whole, unscaled.
const LABEL_H: usize = 15;
const BAR_H: usize = 16;
const ROW_H: usize = LABEL_H + BAR_H + 4;
const LEFT: usize = 8;
const BAR_W: f64 = 260.0;
const WIDTH: usize = 340;

/// `&`, `<`, `>`, `"` escaped for SVG text.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart of `rep`, its words in `l`: weeks as "Tuần 50", stations by
/// name, numbers with the language's decimal mark.
pub fn svg(rep: &Report, l: Lang) -> String {
    // Keyed by station name and ISO year and week (in order), labelled by
    // the week's first day ("Tuần 50").
    let mut weekly: BTreeMap<(String, i32, u32), (NaiveDate, f64)> = BTreeMap::new();
    for r in &rep.rows {
        let Ok(t) = chrono::DateTime::parse_from_rfc3339(&r.scheduled) else {
            continue;
        };
        let w = t.iso_week();
        let monday =
            NaiveDate::from_isoywd_opt(w.year(), w.week(), Weekday::Mon).unwrap_or(t.date_naive());
        weekly
            .entry((r.station_name.clone(), w.year(), w.week()))
            .or_insert((monday, 0.0))
            .1 += r.minutes;
    }
    let per_cat: Vec<(String, f64)> = rep
        .summary
        .iter()
        .filter(|s| s.category != "*")
        .map(|s| {
            let label = tr!(
                l,
                "reports-chart-category-bar",
                station = s.station_name.clone(),
                category = s.category.clone()
            );
            (label, s.minutes_aired)
        })
        .collect();
    let bars: Vec<(String, f64)> = weekly
        .into_iter()
        .map(|((st, _, _), (monday, m))| {
            let label = tr!(
                l,
                "reports-chart-week-bar",
                station = st,
                week = week(l, monday)
            );
            (label, m)
        })
        .collect();
    let max = bars
        .iter()
        .chain(per_cat.iter())
        .map(|(_, m)| *m)
        .fold(0.0f64, f64::max)
        .max(1.0);
    let mut y = 30;
    let mut body = String::new();
    let none = tr!(l, "reports-chart-none");
    let mut section = |title: &str, list: &[(String, f64)], y: &mut usize| {
        body.push_str(&format!(
            "<text x=\"{LEFT}\" y=\"{}\" font-weight=\"bold\">{}</text>\n",
            *y,
            esc(title)
        ));
        *y += 10;
        if list.is_empty() {
            *y += BAR_H;
            body.push_str(&format!(
                "<text x=\"8\" y=\"{}\">{}</text>\n",
                *y - 4,
                esc(&none)
            ));
        }
        for (label, m) in list {
            let w = (m / max * BAR_W).max(1.0);
            body.push_str(&format!(
                "<text x=\"{LEFT}\" y=\"{ly}\">{lb}</text><rect x=\"{LEFT}\" y=\"{y0}\" width=\"{w:.1}\" height=\"{h}\" fill=\"#2f6fad\"><title>{lb}: {v}</title></rect><text x=\"{tx:.1}\" y=\"{ty}\">{v}</text>\n",
                ly = *y + LABEL_H - 3,
                lb = esc(label),
                v = decimal(l, *m, 1),
                y0 = *y + LABEL_H,
                h = BAR_H - 2,
                ty = *y + LABEL_H + BAR_H - 4,
                tx = LEFT as f64 + w + 4.0,
            ));
            *y += ROW_H;
        }
        *y += 24;
    };
    section(&tr!(l, "reports-chart-weekly"), &bars, &mut y);
    section(&tr!(l, "reports-chart-categories"), &per_cat, &mut y);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{y}\" viewBox=\"0 0 {w} {y}\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">\n<title>{t}</title>\n{body}</svg>\n",
        w = WIDTH,
        t = esc(&tr!(l, "reports-chart-title", from = dmy(&rep.from), to = dmy(&rep.to))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::reports::{summarize, Row};

    #[test]
    fn bars_per_week_and_category_escaped() {
        let row = |d: &str, m: f64| Row {
            station: "a".into(),
            station_name: "Xã <Phước> Dinh".into(),
            occurrence: "p".into(),
            program: "p".into(),
            title: "t".into(),
            scheduled: format!("{d}T05:00:00+07:00"),
            outcome: "aired".into(),
            minutes: m,
            categories: vec!["cchc".into()],
            chain_break: false,
        };
        let rows = vec![
            row("2026-11-02", 2.0),
            row("2026-11-03", 1.0),
            row("2026-11-10", 4.0),
        ];
        let rep = Report {
            from: "2026-11-01".into(),
            to: "2026-11-30".into(),
            summary: summarize(&rows),
            rows,
        };
        let s = svg(&rep, Lang::Vi);
        assert!(s.starts_with("<svg"));
        assert_eq!(
            s.matches("<rect").count(),
            3,
            "two weeks + one category: {s}"
        );
        assert!(s.contains("Xã &lt;Phước&gt; Dinh · Tuần 45"), "{s}");
        assert!(
            s.contains("Xã &lt;Phước&gt; Dinh · cchc"),
            "a station's name, not its id: {s}"
        );
        assert!(
            s.contains(">3,0</text>") && s.contains(">7,0</text>"),
            "{s}"
        );
        assert!(
            s.contains("Báo cáo phát sóng 01/11/2026 – 30/11/2026"),
            "{s}"
        );
        assert!(!s.contains("W45") && !s.contains("2026-11"), "{s}");
        let en = svg(&rep, Lang::En);
        assert!(en.contains("Xã &lt;Phước&gt; Dinh · Week 45") && en.contains(">3.0</text>"));
        assert!(!s.contains("http://") || s.matches("http://").count() == 1);
    }
}
