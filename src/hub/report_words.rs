//! The words of the as-run report's exports (CSV, XLSX) in the reader's
//! language, from the catalogue (`locales/*/reports.ftl`): the column
//! headers, the outcome words, yes / no and times as officials write them.
//! The JSON report keeps the log's own words (`aired`, RFC 3339).

use chrono::DateTime;

use crate::i18n::format::time_date;
use crate::i18n::Lang;
use crate::tr;

/// The detail's columns (CSV and the XLSX sheet "Chi tiết"), in order.
pub fn detail_head(l: Lang) -> [String; 10] {
    [
        tr!(l, "reports-head-station-id"),
        tr!(l, "reports-head-station-name"),
        tr!(l, "reports-head-occurrence"),
        tr!(l, "reports-head-program"),
        tr!(l, "reports-head-title"),
        tr!(l, "reports-head-scheduled"),
        tr!(l, "reports-head-outcome"),
        tr!(l, "reports-head-minutes"),
        tr!(l, "reports-head-categories"),
        tr!(l, "reports-head-chain-break"),
    ]
}

/// The summary's columns (the XLSX sheet "Tổng hợp"), in order.
pub fn summary_head(l: Lang) -> [String; 8] {
    [
        tr!(l, "reports-col-station"),
        tr!(l, "reports-col-category"),
        tr!(l, "reports-col-minutes"),
        tr!(l, "reports-col-scheduled"),
        tr!(l, "reports-col-aired"),
        tr!(l, "reports-col-missed"),
        tr!(l, "reports-col-failed"),
        tr!(l, "reports-head-compliance"),
    ]
}

/// An as-run outcome (`aired`, `missed`, …) in words; an unknown one as is.
pub fn outcome(l: Lang, word: &str) -> String {
    match word {
        "aired" => tr!(l, "reports-outcome-aired"),
        "partial" => tr!(l, "reports-outcome-partial"),
        "preempted" => tr!(l, "reports-outcome-preempted"),
        "stopped" => tr!(l, "reports-outcome-stopped"),
        "missed" => tr!(l, "reports-outcome-missed"),
        "skipped" => tr!(l, "reports-outcome-skipped"),
        "failed" => tr!(l, "reports-outcome-failed"),
        other => other.to_string(),
    }
}

/// Yes or no.
pub fn yes_no(l: Lang, yes: bool) -> String {
    if yes {
        tr!(l, "reports-yes")
    } else {
        tr!(l, "reports-no")
    }
}

/// A row's RFC 3339 time (hub timezone) as "05:00 07/12/2026"; as is if it
/// is not one.
pub fn scheduled(rfc3339: &str) -> String {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| time_date(t.naive_local()))
        .unwrap_or_else(|_| rfc3339.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_each_language() {
        assert_eq!(outcome(Lang::Vi, "missed"), "bỏ lỡ");
        assert_eq!(outcome(Lang::En, "missed"), "missed");
        assert_eq!(outcome(Lang::Vi, "aired"), "đã phát");
        assert_eq!(outcome(Lang::Vi, "later"), "later");
        assert_eq!(yes_no(Lang::Vi, true), "có");
        assert_eq!(detail_head(Lang::Vi)[1], "Tên đài");
        assert_eq!(scheduled("2026-12-07T05:00:00+07:00"), "05:00 07/12/2026");
    }
}
