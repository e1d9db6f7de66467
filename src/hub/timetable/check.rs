//! Checking a station's programs on the hub with the station's own rules
//! (`config::load_programs_str`, the `loa check` readers and messages), plus
//! what only the hub can tell: a `{ clip = "ID" }` no approved clip for the
//! station's areas answers, a file the station did not report having.
//! Diagnostics point at `line:col` inside the TOML as given. The hub's own
//! bound (`bounds.rs`: at most one start a minute) is checked here too.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::Serialize;

use super::{station_row, StationRow};
use crate::config::{load_programs_str, FileCheck, ProgramsOptions, Severity};
use crate::hub::app::AppState;
use crate::hub::db::{col, split};
use crate::hub::error::HubError;
use crate::i18n::{Lang, Msg};

/// One problem in the programs, 1-based `line` and `col` (characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diag {
    pub line: usize,
    pub col: usize,
    pub message: String,
    /// A warning is shown but does not refuse the programs.
    pub warning: bool,
    /// The problem as a catalogue message (`check-…` code + arguments),
    /// when it has one: `text(lang)` renders it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msg: Option<Msg>,
}

impl Diag {
    /// The problem in `lang` (the English text when it has no code yet).
    pub fn text(&self, lang: Lang) -> String {
        crate::i18n::Msg::render_or(self.msg.as_ref(), lang, &["check-", "err-"], &self.message)
    }

    /// `line:col: [warning:] text` in `lang` (English: `Display`).
    pub fn display_in(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let warn = if self.warning {
            format!("{} ", crate::tr!(lang, "check-warning"))
        } else {
            String::new()
        };
        format!("{}:{}: {warn}{}", self.line, self.col, self.text(lang))
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.line, self.col)?;
        if self.warning {
            write!(f, "warning: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// What the station can have; `None` = not checked.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Ids of approved feed clips that reach the station.
    pub feed_clips: Option<HashSet<String>>,
    /// File names in the station's clips folder (from its heartbeat).
    pub files: Option<HashSet<String>>,
}

/// Where file items resolve while checking on the hub (never read).
const CLIPS: &str = "/station-clips";

/// Every problem of `toml` as a station's programs (errors and warnings, by position).
pub fn check(toml: &str, known: &Known) -> Vec<Diag> {
    let files = match &known.files {
        Some(f) => FileCheck::Known(f),
        None => FileCheck::Skip,
    };
    let opts = ProgramsOptions {
        clips: Path::new(CLIPS),
        header_keys: &[],
        files,
        feed_clips: known.feed_clips.as_ref(),
    };
    let mut dense = vec![];
    let diags = match load_programs_str(toml, Path::new("programs.toml"), &opts) {
        Ok(l) => {
            // The hub's own bound (bounds.rs): at most one start a minute.
            let index = crate::config::LineIndex::new(toml);
            for (i, p) in l.programs.iter().enumerate() {
                if let Some(r) = super::bounds::too_frequent(p) {
                    let (line, col) = index.line_col(super::bounds::program_offset(toml, i));
                    dense.push(Diag {
                        line,
                        col,
                        message: r.text(Lang::En),
                        warning: false,
                        msg: r.to_msg(),
                    });
                }
            }
            l.warnings
        }
        Err(d) => d,
    };
    dense.extend(
        diags
            .into_iter()
            .filter(|d| !is_no_program_warning(d))
            .map(|d| Diag {
                line: d.line.max(1),
                col: d.col.max(1),
                warning: d.severity == Severity::Warning,
                message: d.message,
                msg: Some(d.msg),
            }),
    );
    dense.sort_by_key(|d| (d.line, d.col));
    dense
}

/// An empty timetable from the hub is fine (the station's own programs air).
fn is_no_program_warning(d: &crate::config::Diagnostic) -> bool {
    d.severity == Severity::Warning && d.message.contains("no [[program]]")
}

/// What `station` can have: approved clips for its areas, and the clip
/// files its latest heartbeat listed (`local_clips`).
pub async fn known(state: &AppState, station: &str) -> Result<Known, HubError> {
    let row = station_row(&state.db, station)
        .await?
        .ok_or_else(|| HubError::not_found("err-no-station-id-2").arg("station", station))?;
    known_for(state, &row).await
}

pub(crate) async fn known_for(state: &AppState, row: &StationRow) -> Result<Known, HubError> {
    let rows = sqlx::query("SELECT id, areas FROM clips WHERE state = 'approved'")
        .fetch_all(&state.db.pool)
        .await?;
    let mut all: Vec<(String, Vec<String>)> = vec![];
    for r in &rows {
        all.push((col(r, "id")?, split(&col::<String>(r, "areas")?)));
    }
    let codes: Vec<String> = all
        .iter()
        .flat_map(|(_, a)| a.iter().cloned())
        .chain(row.areas.iter().cloned())
        .collect();
    let tree = state.area_tree(&codes).await?;
    // A local announcement bound to other stations never reaches this one.
    let bound = crate::hub::local_clips::all(state).await?;
    let feed_clips = all
        .into_iter()
        .filter(|(id, _)| bound.get(id).is_none_or(|s| s.contains(&row.id)))
        .filter(|(_, areas)| {
            areas.is_empty()
                || areas.iter().any(|a| {
                    row.areas
                        .iter()
                        .any(|s| tree.covers(a, s) || tree.covers(s, a))
                })
        })
        .map(|(id, _)| id)
        .collect();
    let files = row
        .status
        .get("local_clips")
        .and_then(serde_json::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        });
    Ok(Known {
        feed_clips: Some(feed_clips),
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(v: &[&str]) -> Option<HashSet<String>> {
        Some(v.iter().map(|s| s.to_string()).collect())
    }

    const GOOD: &str = "[[program]]\nid = \"sang\"\nat = [\"05:00\"]\nplay = [\"chime.ogg\", { clip = \"cchc-1\" }, { category = \"tin\" }]\n";

    #[test]
    fn good_programs_pass() {
        let k = Known {
            feed_clips: set(&["cchc-1"]),
            files: set(&["chime.ogg"]),
        };
        assert_eq!(check(GOOD, &k), vec![]);
        assert_eq!(check("", &k), vec![], "an empty timetable is allowed");
        assert_eq!(check(GOOD, &Known::default()), vec![]);
    }

    #[test]
    fn loa_check_messages_at_line_and_col() {
        let bad = "[[program]]\nid = \"sang\"\nat = [\"25:00\"]\nplay = [\"chime.ogg\"]\n";
        let d = check(bad, &Known::default());
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line, d[0].col), (3, 7));
        assert!(!d[0].warning);
        assert!(d[0].to_string().starts_with("3:7: "), "{}", d[0]);
    }

    #[test]
    fn unknown_clips_files_and_sections_are_errors() {
        let k = Known {
            feed_clips: set(&[]),
            files: set(&["other.ogg"]),
        };
        let d = check(GOOD, &k);
        let text: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert!(
            text.iter()
                .any(|t| t.starts_with("4:9: ") && t.contains("chime.ogg")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.contains("cchc-1")), "{text:?}");
        let d = check("[station]\nname = \"x\"\n", &Known::default());
        assert!(d[0].message.contains("only [[program]]"), "{d:?}");
        assert_eq!((d[0].line, d[0].col), (1, 2));
    }

    #[test]
    fn paths_and_non_http_streams_are_refused() {
        for (play, want) in [
            ("\"../../etc/passwd\"", "file name only"),
            ("\"/etc/passwd\"", "file name only"),
            ("\"sub/x.ogg\"", "file name only"),
            ("{ stream = \"rtsp://x/y\", duration = \"1m\" }", "http"),
            (
                "{ stream = \"file:///etc/passwd\", duration = \"1m\" }",
                "http",
            ),
        ] {
            let t = format!("[[program]]\nid = \"a\"\nat = [\"05:00\"]\nplay = [{play}]\n");
            let d = check(&t, &Known::default());
            assert!(
                d.iter().any(|d| !d.warning && d.message.contains(want)),
                "{play}: {d:?}"
            );
        }
    }

    #[test]
    fn duplicate_ids_and_syntax_errors() {
        let t = format!("{GOOD}{GOOD}");
        let d = check(&t, &Known::default());
        assert!(d.iter().any(|d| d.message.contains("duplicate program id")));
        let d = check("[[program]\n", &Known::default());
        assert!(d[0].message.contains("invalid TOML"), "{d:?}");
    }
}
