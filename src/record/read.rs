//! Read-only access to `asrun.jsonl` for `loa log`: all records (or a date
//! range), and `--verify`, the hash-chain check.
//!
//! Never writes the file (a torn last line is skipped here, cut only by
//! `AsRun::open`), never needs the daemon.

use std::fs::File;
use std::io::{self, BufReader};
use std::path::Path;

use chrono::NaiveDate;

use super::error::RecordError;
use super::lines::{hash, Lines, GENESIS};
use super::model::Record;

/// All records of the log, in file order. A missing file is an empty log; a
/// torn last line is skipped with a warning; an invalid line elsewhere is an
/// error naming it.
pub fn read(path: &Path) -> Result<Vec<Record>, RecordError> {
    read_between(path, None, None)
}

/// Like [`read`], keeping only records whose `scheduled` local date is in
/// `[from, to]` (inclusive), so a long log need not be held whole.
pub fn read_between(
    path: &Path,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<Record>, RecordError> {
    let Some(file) = open_if_exists(path)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut bad = None;
    for item in Lines::new(BufReader::new(file)) {
        let (line, _) = item.map_err(RecordError::io(path, "read"))?;
        if let Some((no, problem)) = bad.take() {
            return Err(RecordError::Corrupt {
                path: path.to_path_buf(),
                line: no,
                problem,
            });
        }
        match line.parse() {
            Ok(rec) => {
                let day = rec.scheduled.date_naive();
                if from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t) {
                    out.push(rec);
                }
            }
            Err(problem) => bad = Some((line.no, problem)),
        }
    }
    if let Some((line, problem)) = bad {
        tracing::warn!(path = %path.display(), line, problem = %problem, "skipping a torn last line of the as-run log");
    }
    Ok(out)
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Lines in the file (all of them, also after a break).
    pub lines: usize,
    /// The first line that does not check (1-based) and what is wrong with it.
    pub first_bad: Option<(usize, String)>,
    /// SHA-256 of the last line (64 zeros for an empty log). Write it down
    /// somewhere else to make edits of the last line detectable too.
    pub head: String,
}

/// Checks every line: it must be a valid record whose `prev` is the SHA-256 of
/// the line before (64 zeros on line 1), and end with a newline.
///
/// Which line is reported: a line whose bytes were changed still carries a
/// correct `prev` itself, so the break shows on the *next* line (N+1 when
/// line N was edited); after deleted lines, the first line that follows the
/// gap (its new number); line 1 when the start was removed. An edit to the
/// very last line cannot be seen by any hash chain: compare `head` with a
/// copy kept elsewhere. A missing file is an empty, valid log.
pub fn verify(path: &Path) -> Result<VerifyReport, RecordError> {
    let mut report = VerifyReport {
        lines: 0,
        first_bad: None,
        head: GENESIS.to_string(),
    };
    let Some(file) = open_if_exists(path)? else {
        return Ok(report);
    };
    for item in Lines::new(BufReader::new(file)) {
        let (line, _) = item.map_err(RecordError::io(path, "read"))?;
        report.lines = line.no;
        if report.first_bad.is_some() {
            continue;
        }
        let problem = match line.parse() {
            Err(problem) => Some(problem),
            Ok(_) if !line.newline => Some(
                "the last line is incomplete (no newline): a write was cut off; `loa run` removes it at start".to_string(),
            ),
            Ok(rec) if rec.prev != report.head => Some(if line.no == 1 {
                "prev is not 64 zeros: the log does not start at its first record (lines were removed from the start)".to_string()
            } else {
                format!(
                    "prev is not the SHA-256 of line {}: line {} was changed, or lines were removed or inserted just before this one",
                    line.no - 1,
                    line.no - 1
                )
            }),
            Ok(_) => None,
        };
        match problem {
            Some(p) => report.first_bad = Some((line.no, p)),
            None => report.head = hash(&line.bytes),
        }
    }
    Ok(report)
}

fn open_if_exists(path: &Path) -> Result<Option<File>, RecordError> {
    match File::open(path) {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(RecordError::io(path, "open for reading")(e)),
    }
}
