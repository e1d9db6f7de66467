//! The report's chart as SVG, drawn by the hub (no outside asset, no script):
//! minutes aired per station (commune) per ISO week, then per category, as
//! horizontal bars with their values. Text is escaped; the picture only
//! depends on the report it is given.

use std::collections::BTreeMap;

use super::reports::Report;

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

/// The chart of `rep`.
pub fn svg(rep: &Report) -> String {
    let mut weekly: BTreeMap<(String, String), f64> = BTreeMap::new();
    for r in &rep.rows {
        let week = chrono::DateTime::parse_from_rfc3339(&r.scheduled)
            .map(|t| {
                use chrono::Datelike;
                let w = t.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            })
            .unwrap_or_default();
        *weekly.entry((r.station_name.clone(), week)).or_default() += r.minutes;
    }
    let per_cat: Vec<(String, f64)> = rep
        .summary
        .iter()
        .filter(|s| s.category != "*")
        .map(|s| (format!("{} · {}", s.station, s.category), s.minutes_aired))
        .collect();
    let bars: Vec<(String, f64)> = weekly
        .into_iter()
        .map(|((st, w), m)| (format!("{st} · {w}"), m))
        .collect();
    let max = bars
        .iter()
        .chain(per_cat.iter())
        .map(|(_, m)| *m)
        .fold(0.0f64, f64::max)
        .max(1.0);
    let mut y = 30;
    let mut body = String::new();
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
                "<text x=\"8\" y=\"{}\">(không có dữ liệu / no data)</text>\n",
                *y - 4
            ));
        }
        for (label, m) in list {
            let w = (m / max * BAR_W).max(1.0);
            body.push_str(&format!(
                "<text x=\"{LEFT}\" y=\"{ly}\">{l}</text><rect x=\"{LEFT}\" y=\"{y0}\" width=\"{w:.1}\" height=\"{h}\" fill=\"#2f6fad\"><title>{l}: {m:.1}</title></rect><text x=\"{tx:.1}\" y=\"{ty}\">{m:.1}</text>\n",
                ly = *y + LABEL_H - 3,
                l = esc(label),
                y0 = *y + LABEL_H,
                h = BAR_H - 2,
                ty = *y + LABEL_H + BAR_H - 4,
                tx = LEFT as f64 + w + 4.0,
            ));
            *y += ROW_H;
        }
        *y += 24;
    };
    section("Phút phát theo xã, theo tuần", &bars, &mut y);
    section("Phút phát theo chuyên mục", &per_cat, &mut y);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{y}\" viewBox=\"0 0 {w} {y}\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">\n<title>{t}</title>\n{body}</svg>\n",
        w = WIDTH,
        t = esc(&format!("Báo cáo phát sóng {} – {}", rep.from, rep.to)),
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
        let s = svg(&rep);
        assert!(s.starts_with("<svg"));
        assert_eq!(
            s.matches("<rect").count(),
            3,
            "two weeks + one category: {s}"
        );
        assert!(s.contains("Xã &lt;Phước&gt; Dinh · 2026-W45"));
        assert!(s.contains(">3.0</text>") && s.contains(">7.0</text>"));
        assert!(!s.contains("http://") || s.matches("http://").count() == 1);
    }
}
