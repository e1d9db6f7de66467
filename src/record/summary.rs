//! `STATE/asrun.summary.json`: the fold of the log's older lines, so that
//! `loa run` starts by reading only the recent end of `asrun.jsonl`.
//!
//! The summary covers the log's first `offset` bytes (`lines` whole lines,
//! the last one hashing to `head`), all of whose records carry only instants
//! before `cutoff`; it keeps what the daemon still needs from them: the
//! newest and latest-scheduled instants, `on_air` records still open, and
//! recent clip airings. Written atomically (temporary file, fsync, rename);
//! trusted at start-up only if its `head` matches the log's bytes at
//! `offset`, else ignored and the whole log is read (as before it existed).
//! It is a cache: deleting it costs one full read. Never touches the log.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::RecordError;
use super::lines::{hash, Lines, GENESIS, MAX_LINE};
use super::model::Record;
use super::tally::{latest_instant, Tally};

/// File name of the summary inside the state folder.
pub const SUMMARY_FILE: &str = "asrun.summary.json";
const VERSION: u32 = 1;

/// The fold of the log's first `offset` bytes.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Summary {
    /// Format version (1).
    pub loa_asrun_summary: u32,
    /// Bytes of the log covered: whole lines, each with its newline.
    pub offset: u64,
    /// Lines covered.
    pub lines: usize,
    /// SHA-256 of the last covered line (64 zeros when none).
    pub head: String,
    /// Every covered record carries only instants before this.
    pub cutoff: Option<DateTime<Utc>>,
    /// Latest `scheduled` among covered records.
    pub anchor: Option<DateTime<Utc>>,
    /// Latest instant among covered records.
    pub newest: Option<DateTime<Utc>>,
    /// Covered `on_air` records with no covered outcome.
    #[serde(default)]
    pub open: Vec<Record>,
    /// Clip SHA-256 -> last airing, among covered records (bounded by age).
    #[serde(default)]
    pub last_aired: BTreeMap<String, DateTime<Utc>>,
}

impl Default for Summary {
    fn default() -> Summary {
        Summary {
            loa_asrun_summary: VERSION,
            offset: 0,
            lines: 0,
            head: GENESIS.to_string(),
            cutoff: None,
            anchor: None,
            newest: None,
            open: Vec::new(),
            last_aired: BTreeMap::new(),
        }
    }
}

impl Summary {
    /// The fold it stands for (no done ids: none of its records can be planned again).
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        t.facts.anchor = self.anchor;
        t.facts.newest = self.newest;
        t.open = self
            .open
            .iter()
            .map(|r| (r.occurrence.clone(), r.clone()))
            .collect();
        t.last_aired = self.last_aired.clone().into_iter().collect();
        t
    }

    fn take_tally(&mut self, t: &Tally) {
        self.anchor = t.facts.anchor;
        self.newest = t.facts.newest;
        self.open = t.open_sorted();
        self.last_aired = t.last_aired.iter().map(|(k, v)| (k.clone(), *v)).collect();
    }
}

/// Reads the summary of the log `log` (`log_len` bytes long) if there is a
/// usable one. Missing: `None`. Unreadable, of another version, or not
/// matching the log (moved aside, replaced, cut): `None` with a warning.
pub fn load(state_dir: &Path, log: &File, log_len: u64) -> Option<Summary> {
    let path = state_dir.join(SUMMARY_FILE);
    let text = match fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "cannot read the as-run summary; reading the whole as-run log instead");
            return None;
        }
    };
    let problem = match serde_json::from_slice::<Summary>(&text) {
        Err(e) => format!("not a valid summary ({e})"),
        Ok(s) if s.loa_asrun_summary != VERSION => {
            format!("version {} is not {VERSION}", s.loa_asrun_summary)
        }
        Ok(s) if s.offset > log_len => format!(
            "it covers {} bytes but the log has {log_len} (the log was cut or replaced)",
            s.offset
        ),
        Ok(s) => match line_before(log, s.offset) {
            Ok(Some(line)) if hash(&line) == s.head => return Some(s),
            Ok(None) if s.offset == 0 && s.head == GENESIS => return Some(s),
            Ok(_) => {
                "it does not match the log's bytes at its offset (the log was replaced or edited)"
                    .to_string()
            }
            Err(e) => format!("cannot read the log at its offset ({e})"),
        },
    };
    tracing::warn!(path = %path.display(), problem = %problem, "ignoring the as-run summary; reading the whole as-run log instead (once)");
    None
}

/// The bytes of the line that ends just before `offset` (without its
/// newline), `None` at offset 0 or when the byte before is not a newline.
fn line_before(log: &File, offset: u64) -> io::Result<Option<Vec<u8>>> {
    if offset == 0 {
        return Ok(None);
    }
    let mut end = [0u8; 1];
    log.read_exact_at(&mut end, offset - 1)?;
    if end[0] != b'\n' {
        return Ok(None);
    }
    let body_end = offset - 1;
    let mut start = body_end;
    let mut buf = vec![0u8; 4096];
    // Walk back in blocks to the previous newline (or the file start).
    while start > 0 && body_end - start <= MAX_LINE as u64 {
        let n = buf.len().min(start as usize);
        let at = start - n as u64;
        log.read_exact_at(&mut buf[..n], at)?;
        if let Some(i) = buf[..n].iter().rposition(|&b| b == b'\n') {
            start = at + i as u64 + 1;
            break;
        }
        start = at;
    }
    if body_end - start > MAX_LINE as u64 {
        return Ok(None);
    }
    let mut line = vec![0u8; (body_end - start) as usize];
    log.read_exact_at(&mut line, start)?;
    Ok(Some(line))
}

/// Moves `from` forward over the lines of `log` (up to `end`) whose records
/// carry only instants before `cutoff`, stopping at the first that does not
/// (or that is not a complete, valid record). Reads only those lines.
pub fn advance(
    log: &File,
    path: &Path,
    from: &Summary,
    cutoff: DateTime<Utc>,
    end: u64,
) -> Result<Summary, RecordError> {
    let mut next = from.clone();
    next.cutoff = Some(from.cutoff.map_or(cutoff, |c| c.max(cutoff)));
    let mut tally = from.tally();
    let mut reader = log.try_clone().map_err(RecordError::io(path, "read"))?;
    reader
        .seek(SeekFrom::Start(from.offset))
        .map_err(RecordError::io(path, "read"))?;
    let reader = BufReader::new(reader.take(end.saturating_sub(from.offset)));
    for item in Lines::resume(reader, from.offset, from.lines) {
        let (line, consumed) = item.map_err(RecordError::io(path, "read"))?;
        let Ok(rec) = line.parse() else { break };
        if !line.newline || latest_instant(&rec) >= cutoff {
            break;
        }
        next.offset = line.start + consumed;
        next.lines = line.no;
        next.head = hash(&line.bytes);
        tally.note(rec);
    }
    next.take_tally(&tally);
    Ok(next)
}

/// Writes the summary atomically: a temporary file, fsynced, renamed over
/// the old one, and the folder fsynced.
pub fn write(state_dir: &Path, summary: &Summary) -> io::Result<()> {
    let path = state_dir.join(SUMMARY_FILE);
    let tmp = state_dir.join(format!("{SUMMARY_FILE}.tmp"));
    let bytes = serde_json::to_vec(summary).map_err(io::Error::other)?;
    let mut f = File::create(&tmp)?;
    f.write_all(&bytes)?;
    f.sync_all()?;
    drop(f);
    fs::rename(&tmp, &path)?;
    File::open(state_dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_before_walks_back_over_long_lines_and_refuses_mid_line_offsets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let (a, b) = ("a".repeat(10_000), "b".repeat(5));
        fs::write(&path, format!("{a}\n{b}\n")).unwrap();
        let f = File::open(&path).unwrap();
        assert_eq!(
            line_before(&f, 10_001).unwrap(),
            Some(a.clone().into_bytes())
        );
        assert_eq!(line_before(&f, 10_007).unwrap(), Some(b.into_bytes()));
        assert_eq!(line_before(&f, 0).unwrap(), None);
        assert_eq!(line_before(&f, 500).unwrap(), None, "not at a line's end");
    }

    #[test]
    fn a_summary_round_trips_through_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Summary {
            offset: 0,
            ..Summary::default()
        };
        s.last_aired.insert("ab".repeat(32), Utc::now());
        write(dir.path(), &s).unwrap();
        let log = File::create(dir.path().join("asrun.jsonl")).unwrap();
        assert_eq!(load(dir.path(), &log, 0), Some(s));
        assert!(!dir.path().join(format!("{SUMMARY_FILE}.tmp")).exists());
    }
}
