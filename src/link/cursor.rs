//! Where the as-run upload stands: `STATE/hub-asrun.json` keeps the SHA-256
//! of the last line the hub acknowledged and the byte offset just after it in
//! `STATE/asrun.jsonl`. Pending lines are read straight from the log file from
//! that offset (never through the daemon's start-up reading of the log), whole
//! lines only, in bounded batches: weeks offline are caught up batch by batch.
//!
//! If the line before the offset is not the acknowledged one (the file was
//! edited, rotated or replaced), the acknowledged hash is looked up from the
//! start; if it is gone, everything is offered again and the hub, which keeps
//! lines it already holds once, decides — a real break it flags.

use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::record::GENESIS;

pub const CURSOR_FILE: &str = "hub-asrun.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub station: String,
    /// Hash of the last acknowledged line (GENESIS before the first).
    pub last: String,
    /// Byte offset just after that line.
    pub offset: u64,
}

/// Lines to send.
#[derive(Debug, Default, PartialEq)]
pub struct Batch {
    pub lines: Vec<String>,
    /// Offset just after each line.
    pub ends: Vec<u64>,
}

/// The pending lines do not follow the cursor: find it again.
#[derive(Debug, PartialEq)]
pub struct Misplaced;

pub fn sha(line: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(line))
}

impl Cursor {
    pub fn genesis(station: &str) -> Cursor {
        Cursor {
            station: station.into(),
            last: GENESIS.into(),
            offset: 0,
        }
    }

    /// The stored cursor of `station` (another station's, or none: from the start).
    pub fn load(state: &Path, station: &str) -> Cursor {
        std::fs::read(state.join(CURSOR_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<Cursor>(&b).ok())
            .filter(|c| c.station == station)
            .unwrap_or_else(|| Cursor::genesis(station))
    }

    /// Store atomically (fsynced before the rename).
    pub fn save(&self, state: &Path) -> std::io::Result<()> {
        let tmp = state.join(".hub-asrun.json.new");
        let bytes = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, state.join(CURSOR_FILE))
    }
}

fn prev_of(line: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(line)
        .ok()?
        .get("prev")?
        .as_str()
        .map(String::from)
}

/// Up to `max_lines` whole lines (and about `max_bytes`) after `cur`.
pub fn pending(
    log: &Path,
    cur: &Cursor,
    max_lines: usize,
    max_bytes: usize,
) -> std::io::Result<Result<Batch, Misplaced>> {
    let f = match std::fs::File::open(log) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(if cur.offset == 0 {
                Ok(Batch::default())
            } else {
                Err(Misplaced)
            })
        }
        Err(e) => return Err(e),
    };
    let len = f.metadata()?.len();
    if cur.offset > len {
        return Ok(Err(Misplaced));
    }
    let mut r = BufReader::new(f);
    r.seek(SeekFrom::Start(cur.offset))?;
    let mut batch = Batch::default();
    let mut pos = cur.offset;
    let mut bytes = 0usize;
    let mut buf = Vec::new();
    while batch.lines.len() < max_lines && bytes < max_bytes {
        buf.clear();
        let n = r.read_until(b'\n', &mut buf)?;
        if n == 0 || buf.last() != Some(&b'\n') {
            break; // end, or a line still being written
        }
        pos += n as u64;
        buf.pop();
        let line = String::from_utf8_lossy(&buf).into_owned();
        if batch.lines.is_empty() && prev_of(&line).as_deref() != Some(cur.last.as_str()) {
            return Ok(Err(Misplaced));
        }
        bytes += line.len();
        batch.lines.push(line);
        batch.ends.push(pos);
    }
    Ok(Ok(batch))
}

/// The offset just after the line whose hash is `hash` (0 for GENESIS).
pub fn find(log: &Path, hash: &str) -> std::io::Result<Option<u64>> {
    if hash == GENESIS {
        return Ok(Some(0));
    }
    let f = match std::fs::File::open(log) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut r = BufReader::new(f);
    let mut pos = 0u64;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = r.read_until(b'\n', &mut buf)?;
        if n == 0 || buf.last() != Some(&b'\n') {
            return Ok(None);
        }
        pos += n as u64;
        buf.pop();
        if sha(&buf) == hash {
            return Ok(Some(pos));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_of(n: usize) -> (tempfile::TempDir, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let mut prev = GENESIS.to_string();
        let mut lines = vec![];
        for i in 0..n {
            let l = format!(r#"{{"event":"outcome","i":{i},"prev":"{prev}"}}"#);
            prev = sha(l.as_bytes());
            lines.push(l);
        }
        std::fs::write(dir.path().join("asrun.jsonl"), lines.join("\n") + "\n").unwrap();
        (dir, lines)
    }

    #[test]
    fn batches_follow_the_cursor_and_stop_at_a_partial_line() {
        let (dir, lines) = log_of(5);
        let log = dir.path().join("asrun.jsonl");
        let mut cur = Cursor::genesis("s");
        let b = pending(&log, &cur, 2, 1 << 20).unwrap().unwrap();
        assert_eq!(b.lines, lines[..2]);
        cur.last = sha(lines[1].as_bytes());
        cur.offset = b.ends[1];
        let b = pending(&log, &cur, 100, 1 << 20).unwrap().unwrap();
        assert_eq!(b.lines, lines[2..]);
        let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        std::io::Write::write_all(&mut f, b"{\"half").unwrap();
        let b = pending(&log, &cur, 100, 1 << 20).unwrap().unwrap();
        assert_eq!(b.lines.len(), 3);
    }

    #[test]
    fn a_moved_cursor_is_found_again_and_a_lost_one_is_not() {
        let (dir, lines) = log_of(4);
        let log = dir.path().join("asrun.jsonl");
        let cur = Cursor {
            station: "s".into(),
            last: sha(lines[1].as_bytes()),
            offset: 3,
        };
        assert_eq!(pending(&log, &cur, 10, 1 << 20).unwrap(), Err(Misplaced));
        let at = find(&log, &cur.last).unwrap().unwrap();
        assert_eq!(at, (lines[0].len() + lines[1].len() + 2) as u64);
        assert_eq!(find(&log, &"ab".repeat(32)).unwrap(), None);
        assert_eq!(find(&log, GENESIS).unwrap(), Some(0));
    }

    #[test]
    fn the_cursor_is_per_station() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cursor {
            station: "a".into(),
            last: "x".into(),
            offset: 9,
        };
        c.save(dir.path()).unwrap();
        assert_eq!(Cursor::load(dir.path(), "a"), c);
        assert_eq!(Cursor::load(dir.path(), "b"), Cursor::genesis("b"));
    }
}
