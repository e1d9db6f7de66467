//! The as-run report as an Excel workbook (`format=xlsx` on
//! `GET /api/v1/reports/asrun`), for officials who work in Excel: a sheet
//! "Tổng hợp" (the summary per station and category: minutes aired,
//! occurrences scheduled / aired / missed / failed, compliance %) and a sheet
//! "Chi tiết" (one row per occurrence, the CSV's columns). Cells are typed
//! (text stays text: no formula is ever written), Vietnamese is kept as is.
//! Only formats a `Report`; building it is `hub::reports`' job. The detail
//! sheet is written in the crate's constant-memory mode (BENCHMARKS.md).
//! Sheet names, headers and words are the reader's language's
//! (`hub::report_words`); the summary names stations, not their ids.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::error::{HubError, HubResult};
use super::report_words as words;
use super::reports::Report;
use crate::i18n::Lang;
use crate::tr;

fn head(ws: &mut Worksheet, cols: &[String], bold: &Format) -> Result<(), XlsxError> {
    for (c, h) in (0u16..).zip(cols) {
        ws.write_string_with_format(0, c, h, bold)?;
        ws.set_column_width(c, 18)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn write(rep: &Report, l: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb
        .add_worksheet()
        .set_name(tr!(l, "reports-sheet-summary"))?;
    head(ws, &words::summary_head(l), &bold)?;
    ws.set_column_width(0, 22)?;
    let every = tr!(l, "reports-every-category");
    for (r, s) in (1u32..).zip(&rep.summary) {
        let category = if s.category == "*" {
            every.as_str()
        } else {
            s.category.as_str()
        };
        ws.write_string(r, 0, &s.station_name)?;
        ws.write_string(r, 1, category)?;
        ws.write_number(r, 2, s.minutes_aired)?;
        ws.write_number(r, 3, s.scheduled as f64)?;
        ws.write_number(r, 4, s.aired as f64)?;
        ws.write_number(r, 5, s.missed as f64)?;
        ws.write_number(r, 6, s.failed as f64)?;
        ws.write_number(r, 7, s.compliance_pct)?;
    }
    // A province's month is 100,000+ rows: this sheet goes row by row to a
    // temporary file (the system's, private to the service) instead of
    // memory; the summary above is one row per station and category.
    let ws = wb
        .add_worksheet_with_constant_memory()?
        .set_name(tr!(l, "reports-sheet-detail"))?;
    head(ws, &words::detail_head(l), &bold)?;
    ws.set_column_width(4, 30)?;
    ws.set_column_width(5, 26)?;
    for (r, row) in (1u32..).zip(&rep.rows) {
        ws.write_string(r, 0, &row.station)?;
        ws.write_string(r, 1, &row.station_name)?;
        ws.write_string(r, 2, &row.occurrence)?;
        ws.write_string(r, 3, &row.program)?;
        ws.write_string(r, 4, &row.title)?;
        ws.write_string(r, 5, words::scheduled(&row.scheduled))?;
        ws.write_string(r, 6, words::outcome(l, &row.outcome))?;
        ws.write_number(r, 7, row.minutes)?;
        ws.write_string(r, 8, row.categories.join(" "))?;
        ws.write_boolean(r, 9, row.chain_break)?;
    }
    wb.save_to_buffer()
}

/// The workbook's bytes, its headers and words in `l`.
pub fn xlsx(rep: &Report, l: Lang) -> HubResult<Vec<u8>> {
    write(rep, l).map_err(|e| HubError::internal(format!("writing the report's XLSX: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::reports::{summarize, Row};

    #[test]
    fn a_workbook_is_a_zip_with_both_sheets() {
        let rows = vec![Row {
            station: "a".into(),
            station_name: "Đài xã Phước Đình".into(),
            occurrence: "p@x".into(),
            program: "p".into(),
            title: "=1+1".into(),
            scheduled: "2026-11-02T05:00:00+07:00".into(),
            outcome: "aired".into(),
            minutes: 2.5,
            categories: vec![],
            chain_break: false,
        }];
        let rep = Report {
            from: "2026-11-01".into(),
            to: "2026-11-30".into(),
            summary: summarize(&rows),
            rows,
        };
        let bytes = xlsx(&rep, Lang::Vi).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        // Read back: the constant-memory detail sheet writes its strings
        // inline; a formula-looking title stays text.
        use calamine::{Data, Reader, Xlsx};
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(wb.sheet_names(), ["Tổng hợp", "Chi tiết"]);
        let detail = wb.worksheet_range("Chi tiết").unwrap();
        let row: Vec<Data> = detail.rows().nth(1).unwrap().to_vec();
        assert_eq!(row[1], Data::String("Đài xã Phước Đình".into()));
        assert_eq!(row[4], Data::String("=1+1".into()));
        assert_eq!(row[5], Data::String("05:00 02/11/2026".into()));
        assert_eq!(row[6], Data::String("đã phát".into()));
        assert_eq!(row[7], Data::Float(2.5));
        assert_eq!(row[9], Data::Bool(false));
    }
}
