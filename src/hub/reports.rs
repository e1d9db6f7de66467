//! The as-run report (HUB.md `GET /api/v1/reports/asrun`): one row per
//! occurrence from the stations' uploaded logs (their outcome lines), for a
//! date range (hub timezone), area, station and category, inside the reader's
//! scope; a summary per station and category (minutes aired, occurrences
//! scheduled / aired / missed / failed, compliance %); CSV (UTF-8 with BOM,
//! spreadsheet formulas defused) and an SVG chart of minutes per station per
//! week, drawn here with no outside asset.
//!
//! A category is the hub's category of each feed clip the occurrence aired,
//! found by the clip id the station wrote on the item (`clip`, kept by the
//! upload in `asrun.clip_ids`): two clips may share one audio file. Lines
//! without clip ids (older stations) fall back to the items' SHA-256, taking
//! the earliest clip with those bytes. Station clips have none. Reads only.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, TimeZone};
use futures_util::TryStreamExt;
use serde::Serialize;

use super::app::AppState;
use super::db::{col, split};
use super::error::{HubError, HubResult};
use super::report_words as words;
use super::users::User;
use crate::i18n::format::decimal;
use crate::i18n::Lang;

/// What a report is asked for.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct Query {
    pub from: Option<String>,
    pub to: Option<String>,
    pub area: Option<String>,
    pub station: Option<String>,
    pub category: Option<String>,
    pub format: Option<String>,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Row {
    pub station: String,
    pub station_name: String,
    pub occurrence: String,
    pub program: String,
    pub title: String,
    /// RFC 3339, hub timezone.
    pub scheduled: String,
    pub outcome: String,
    pub minutes: f64,
    pub categories: Vec<String>,
    /// The station's uploaded chain is broken (see the stations API).
    pub chain_break: bool,
}

#[derive(Debug, Serialize, Clone, PartialEq, Default)]
pub struct Summary {
    pub station: String,
    pub station_name: String,
    pub category: String,
    pub minutes_aired: f64,
    pub scheduled: u64,
    pub aired: u64,
    pub missed: u64,
    pub failed: u64,
    pub compliance_pct: f64,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub from: String,
    pub to: String,
    pub rows: Vec<Row>,
    pub summary: Vec<Summary>,
}

/// What the report reads from a raw outcome line stored without clip ids:
/// the items (for their clips' categories by SHA-256). Every other field is
/// skipped unparsed; a line whose items are no list has none.
#[derive(Debug, Default, serde::Deserialize)]
struct ItemsOf {
    #[serde(default)]
    items: serde_json::Value,
}

impl ItemsOf {
    fn sha256s(&self) -> impl Iterator<Item = &str> {
        self.items
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i.get("sha256").and_then(serde_json::Value::as_str))
    }
}

fn date(s: &Option<String>, name: &str) -> HubResult<Option<NaiveDate>> {
    s.as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| HubError::bad_request("err-must-be-date-yyyy-mm").arg("name", name))
        })
        .transpose()
}

/// Build the report `user` may see.
pub async fn build(state: &AppState, user: &User, q: &Query) -> HubResult<Report> {
    let tz = state.cfg.timezone;
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let to = date(&q.to, "to")?.unwrap_or(today);
    let from = date(&q.from, "from")?.unwrap_or(to - chrono::Days::new(30));
    let start = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.timestamp())
            .unwrap_or(0)
    };
    let (lo, hi) = (start(from), start(to + chrono::Days::new(1)));
    let stations = sqlx::query("SELECT id, name, areas, chain_break FROM stations")
        .fetch_all(&state.db.pool)
        .await?;
    let mut all_areas: Vec<String> = stations
        .iter()
        .filter_map(|r| col::<String>(r, "areas").ok())
        .flat_map(|a| split(&a))
        .collect();
    all_areas.extend(q.area.clone());
    let tree = state.area_tree(&all_areas).await?;
    let acknowledged = super::chain::broken_between(state, lo, hi).await?;
    let mut seen: HashMap<String, (String, bool)> = HashMap::new();
    for r in &stations {
        let id: String = col(r, "id")?;
        let areas = split(&col::<String>(r, "areas")?);
        if !super::heartbeat::visible(&tree, user, &id, &areas) {
            continue;
        }
        if q.station
            .as_deref()
            .is_some_and(|s| !s.is_empty() && s != id)
        {
            continue;
        }
        if let Some(a) = q.area.as_deref().filter(|a| !a.is_empty()) {
            if !areas.iter().any(|x| tree.covers(a, x)) {
                continue;
            }
        }
        let broken: Option<String> = col(r, "chain_break")?;
        let broken = broken.is_some() || acknowledged.contains(&id);
        seen.insert(id, (col(r, "name")?, broken));
    }
    let cats = Categories::load(state).await?;
    // Row by row: a province's month is 100,000+ lines; only the report's
    // rows are kept, never the raw lines.
    let mut lines = sqlx::query(
        "SELECT station, line, clip_ids, occurrence, program, title, scheduled, outcome, seconds FROM asrun WHERE event = 'outcome' AND scheduled >= $1 AND scheduled < $2 ORDER BY scheduled, station, id",
    )
    .bind(lo)
    .bind(hi)
    .fetch(&state.db.pool);
    let mut rows = vec![];
    while let Some(r) = lines.try_next().await? {
        let station: String = col(&r, "station")?;
        let Some((name, broken)) = seen.get(&station) else {
            continue;
        };
        let clip_ids: Option<String> = col(&r, "clip_ids")?;
        let categories = match clip_ids {
            Some(ids) => cats.by_ids(&ids),
            None => cats.by_hashes(&col::<String>(&r, "line")?),
        };
        if let Some(c) = q.category.as_deref().filter(|c| !c.is_empty()) {
            if !categories.iter().any(|x| x == c) {
                continue;
            }
        }
        // The upload stored the sum of the items' finite, non-negative seconds.
        let seconds: f64 = col(&r, "seconds")?;
        let at: i64 = col(&r, "scheduled")?;
        rows.push(Row {
            station,
            station_name: name.clone(),
            occurrence: col(&r, "occurrence")?,
            program: col(&r, "program")?,
            title: col(&r, "title")?,
            scheduled: tz
                .timestamp_opt(at, 0)
                .single()
                .map(|t| t.to_rfc3339())
                .unwrap_or_default(),
            outcome: col::<Option<String>>(&r, "outcome")?.unwrap_or_default(),
            minutes: (seconds / 60.0 * 100.0).round() / 100.0,
            categories,
            chain_break: *broken,
        });
    }
    Ok(Report {
        from: from.to_string(),
        to: to.to_string(),
        summary: summarize(&rows),
        rows,
    })
}

/// The hub's clips' categories, by clip id and by SHA-256 (the earliest clip
/// holding those bytes).
struct Categories {
    by_id: HashMap<String, String>,
    by_sha: HashMap<String, String>,
}

impl Categories {
    async fn load(state: &AppState) -> HubResult<Categories> {
        let rows = sqlx::query("SELECT id, sha256, category FROM clips ORDER BY created_at, id")
            .fetch_all(&state.db.pool)
            .await?;
        let mut cats = Categories {
            by_id: HashMap::new(),
            by_sha: HashMap::new(),
        };
        for r in &rows {
            let (id, sha, category): (String, String, String) =
                (col(r, "id")?, col(r, "sha256")?, col(r, "category")?);
            cats.by_sha.entry(sha).or_insert_with(|| category.clone());
            cats.by_id.insert(id, category);
        }
        Ok(cats)
    }

    /// The categories of the clips named in `ids` (a JSON array of clip ids).
    fn by_ids(&self, ids: &str) -> Vec<String> {
        let ids: Vec<String> = serde_json::from_str(ids).unwrap_or_default();
        sorted(ids.iter().filter_map(|id| self.by_id.get(id).cloned()))
    }

    /// The categories of the clips whose bytes the raw `line`'s items name.
    fn by_hashes(&self, line: &str) -> Vec<String> {
        let items: ItemsOf = serde_json::from_str(line).unwrap_or_default();
        sorted(items.sha256s().filter_map(|h| self.by_sha.get(h).cloned()))
    }
}

fn sorted(it: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = it.collect();
    v.sort();
    v.dedup();
    v
}

/// Hand the heap a report freed back to the system: glibc keeps freed memory
/// in its per-thread arenas, so a province's month would otherwise stay in
/// the hub's RSS (~100 MB, BENCHMARKS.md) until the next one reuses it.
pub fn give_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointer and only returns free pages.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Per station and category ("" = station clips; "*" = the station's whole).
pub fn summarize(rows: &[Row]) -> Vec<Summary> {
    let mut m: BTreeMap<(String, String), Summary> = BTreeMap::new();
    for r in rows {
        let mut keys = vec!["*".to_string()];
        keys.extend(r.categories.iter().cloned());
        for c in keys {
            let s = m
                .entry((r.station.clone(), c.clone()))
                .or_insert_with(|| Summary {
                    station: r.station.clone(),
                    station_name: r.station_name.clone(),
                    category: c,
                    ..Summary::default()
                });
            s.scheduled += 1;
            s.minutes_aired += r.minutes;
            match r.outcome.as_str() {
                "aired" | "partial" => s.aired += 1,
                "missed" | "skipped" => s.missed += 1,
                "failed" => s.failed += 1,
                _ => {}
            }
        }
    }
    m.into_values()
        .map(|mut s| {
            s.minutes_aired = (s.minutes_aired * 100.0).round() / 100.0;
            s.compliance_pct = if s.scheduled == 0 {
                0.0
            } else {
                (s.aired as f64 * 1000.0 / s.scheduled as f64).round() / 10.0
            };
            s
        })
        .collect()
}

/// A cell a spreadsheet will not run as a formula, whatever separator it
/// splits on (`crate::csv_cell`).
pub fn defuse(cell: &str) -> String {
    crate::csv_cell::cell(cell)
}

/// CSV, UTF-8 with a byte-order mark (spreadsheets then show Vietnamese
/// right), its headers and words in `l` (`hub::report_words`): times as
/// "05:00 07/12/2026", minutes with the language's decimal mark.
pub fn csv(rep: &Report, l: Lang) -> String {
    let head: Vec<String> = words::detail_head(l).iter().map(|h| defuse(h)).collect();
    let mut out = format!("\u{feff}{}\r\n", head.join(","));
    for r in &rep.rows {
        let cells = [
            r.station.clone(),
            r.station_name.clone(),
            r.occurrence.clone(),
            r.program.clone(),
            r.title.clone(),
            words::scheduled(&r.scheduled),
            words::outcome(l, &r.outcome),
            decimal(l, r.minutes, 2),
            r.categories.join(" "),
            words::yes_no(l, r.chain_break),
        ];
        let line: Vec<String> = cells.iter().map(|c| defuse(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(station: &str, outcome: &str, minutes: f64, cat: &[&str]) -> Row {
        Row {
            station: station.into(),
            station_name: "Đài xã".into(),
            occurrence: "p@x".into(),
            program: "p".into(),
            title: "=HYPERLINK(\"x\")".into(),
            scheduled: "2026-11-01T05:00:00+07:00".into(),
            outcome: outcome.into(),
            minutes,
            categories: cat.iter().map(|c| c.to_string()).collect(),
            chain_break: false,
        }
    }

    #[test]
    fn summary_counts_and_compliance() {
        let rows = [
            row("a", "aired", 2.0, &["cchc"]),
            row("a", "missed", 0.0, &["cchc"]),
            row("a", "failed", 0.0, &[]),
            row("a", "partial", 1.0, &[]),
        ];
        let s = summarize(&rows);
        let all = s.iter().find(|s| s.category == "*").unwrap();
        assert_eq!(
            (all.scheduled, all.aired, all.missed, all.failed),
            (4, 2, 1, 1)
        );
        assert_eq!(all.compliance_pct, 50.0);
        assert_eq!(all.minutes_aired, 3.0);
        let c = s.iter().find(|s| s.category == "cchc").unwrap();
        assert_eq!((c.scheduled, c.aired, c.compliance_pct), (2, 1, 50.0));
    }

    #[test]
    fn csv_has_a_bom_keeps_vietnamese_and_defuses_formulas() {
        let rep = Report {
            from: "a".into(),
            to: "b".into(),
            rows: vec![row("a", "aired", 2.0, &[])],
            summary: vec![],
        };
        let text = csv(&rep, Lang::Vi);
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("Đài xã"));
        assert!(text.starts_with("\u{feff}Mã đài,Tên đài,"), "{text}");
        assert!(
            text.contains(",05:00 01/11/2026,đã phát,\"2,00\",,không\r\n"),
            "{text}"
        );
        let en = csv(&rep, Lang::En);
        assert!(en.contains(",05:00 01/11/2026,aired,2.00,,no\r\n"), "{en}");
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
        assert_eq!(defuse("-1"), "\"'-1\"");
        assert_eq!(defuse("@x"), "\"'@x\"");
        assert_eq!(defuse(" =2+2"), "\" '=2+2\"");
        assert_eq!(defuse("a;=1+1"), "\"a;'=1+1\"");
        assert_eq!(defuse("ok"), "ok");
    }
}
