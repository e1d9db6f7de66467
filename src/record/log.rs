//! The daemon's handle on `STATE/asrun.jsonl`: open (repairing a torn last
//! line), append with fsync and the hash chain, and the few facts scheduling
//! needs (done occurrences, anchor, newest instant, open `on_air` records).
//!
//! Never keeps all records in memory, never rewrites a complete line, never
//! decides what airs (that is `schedule`'s job).

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::error::RecordError;
use super::lines::{hash, Lines, RawLine, GENESIS};
use super::model::{Event, Record};

/// File name of the log inside the state folder.
pub const FILE_NAME: &str = "asrun.jsonl";

/// An open as-run log, ready to append to.
#[derive(Debug)]
pub struct AsRun {
    path: PathBuf,
    file: File,
    /// Length of the file up to the last complete line.
    len: u64,
    /// Hash of the last line (the next line's `prev`).
    head: String,
    lines: usize,
    done: HashSet<String>,
    open: HashMap<String, Record>,
    anchor: Option<DateTime<Utc>>,
    newest: Option<DateTime<Utc>>,
    /// Last airing of each clip by SHA-256 (outcome records, seconds > 0).
    last_aired: HashMap<String, DateTime<Utc>>,
    fsyncs: u64,
}

impl AsRun {
    /// Creates the state folder and the log if needed and reads the log.
    ///
    /// A torn last line (no newline, or not a valid record) is cut off with a
    /// warning naming what was dropped; a complete, valid last record whose
    /// `prev` chains but that lacks only its newline is kept and the newline
    /// added. An invalid line anywhere else is an error naming the line. A
    /// broken chain is only warned about here (`verify` reports it): it must
    /// not stop the station from airing.
    pub fn open(state_dir: &Path) -> Result<AsRun, RecordError> {
        fs::create_dir_all(state_dir)
            .map_err(RecordError::io(state_dir, "create the state folder"))?;
        let path = state_dir.join(FILE_NAME);
        let existed = path.exists();
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(RecordError::io(&path, "open for reading and appending"))?;
        // One writer per log: a second daemon on the same state would break the chain.
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(RecordError::Locked { path }),
            Err(fs::TryLockError::Error(e)) => {
                return Err(RecordError::io(&path, "lock")(e));
            }
        }
        if !existed {
            // Make the new file's directory entry durable too.
            if let Err(e) = File::open(state_dir).and_then(|d| d.sync_all()) {
                tracing::warn!(dir = %state_dir.display(), error = %e, "cannot fsync the state folder after creating the as-run log");
            }
        }
        let mut log = AsRun {
            path,
            file,
            len: 0,
            head: GENESIS.to_string(),
            lines: 0,
            done: HashSet::new(),
            open: HashMap::new(),
            anchor: None,
            newest: None,
            last_aired: HashMap::new(),
            fsyncs: 0,
        };
        log.load()?;
        Ok(log)
    }

    fn load(&mut self) -> Result<(), RecordError> {
        let mut bad: Option<(RawLine, String)> = None;
        let mut missing_newline = false;
        let mut chain_break: Option<usize> = None;
        let reader = self
            .file
            .try_clone()
            .map_err(RecordError::io(&self.path, "read"))?;
        for item in Lines::new(BufReader::new(reader)) {
            let (line, consumed) = item.map_err(RecordError::io(&self.path, "read"))?;
            if let Some((bad, problem)) = bad.take() {
                return Err(RecordError::Corrupt {
                    path: self.path.clone(),
                    line: bad.no,
                    problem,
                });
            }
            let rec = match line.parse() {
                Ok(rec) => rec,
                Err(problem) => {
                    bad = Some((line, problem));
                    continue;
                }
            };
            let chains = rec.prev == self.head;
            if !line.newline {
                if !chains {
                    let problem = "a record without its newline that does not chain".to_string();
                    bad = Some((line, problem));
                    continue;
                }
                missing_newline = true;
            }
            if !chains && chain_break.is_none() {
                chain_break = Some(line.no);
            }
            self.head = hash(&line.bytes);
            self.lines = line.no;
            self.len = line.start + consumed;
            self.note(rec);
        }
        if let Some(line) = chain_break {
            tracing::warn!(path = %self.path.display(), line, "as-run log chain is broken (the log was edited or lines were removed); appending continues; run `loa log --verify` for details");
        }
        if let Some((line, problem)) = bad {
            tracing::warn!(
                path = %self.path.display(),
                line = line.no,
                problem = %problem,
                dropped = %line.preview(),
                "cutting a torn last line off the as-run log (a write was interrupted)"
            );
            self.file
                .set_len(line.start)
                .map_err(RecordError::io(&self.path, "cut the torn last line"))?;
            self.file.sync_all().map_err(RecordError::io(
                &self.path,
                "fsync after cutting the torn last line",
            ))?;
            self.len = line.start;
        } else if missing_newline {
            tracing::warn!(path = %self.path.display(), line = self.lines, "the last as-run record lacked its newline; adding it");
            self.write_synced(b"\n", "complete the last line")?;
            self.len += 1;
        }
        Ok(())
    }

    /// Appends one record: sets `prev`, writes the line and its newline in one
    /// write, and fsyncs (`sync_data`) before returning. On failure the file is
    /// cut back to its last complete line, so the chain stays appendable.
    pub fn append(&mut self, mut rec: Record) -> Result<(), RecordError> {
        rec.prev = self.head.clone();
        let mut line = serde_json::to_string(&rec).map_err(|source| RecordError::Encode {
            occurrence: rec.occurrence.clone(),
            source,
        })?;
        let head = hash(line.as_bytes());
        line.push('\n');
        self.write_synced(line.as_bytes(), "append a record")?;
        self.len += line.len() as u64;
        self.head = head;
        self.lines += 1;
        self.note(rec);
        Ok(())
    }

    /// Closes every open `on_air` record as `partial`, reason `interrupted`
    /// (oldest first). Returns the occurrence ids closed.
    pub fn close_interrupted(&mut self) -> Result<Vec<String>, RecordError> {
        let mut closed = Vec::new();
        for on_air in self.open_occurrences() {
            self.append(Record::interrupted(&on_air))?;
            closed.push(on_air.occurrence);
        }
        Ok(closed)
    }

    fn write_synced(&mut self, bytes: &[u8], action: &'static str) -> Result<(), RecordError> {
        let result = self
            .file
            .write_all(bytes)
            .and_then(|()| self.file.sync_data());
        if let Err(e) = result {
            if let Err(cut) = self.file.set_len(self.len) {
                tracing::warn!(path = %self.path.display(), error = %cut, "cannot cut a failed write back off the as-run log; the next open will");
            }
            return Err(RecordError::io(&self.path, action)(e));
        }
        self.fsyncs += 1;
        Ok(())
    }

    /// Updates the in-memory facts with one record.
    fn note(&mut self, rec: Record) {
        let closed_before =
            self.done.contains(&rec.occurrence) && !self.open.contains_key(&rec.occurrence);
        if !self.done.contains(&rec.occurrence) {
            self.done.insert(rec.occurrence.clone());
        }
        let mut latest = rec.scheduled.with_timezone(&Utc);
        self.anchor = self.anchor.max(Some(latest));
        for t in [rec.started, rec.ended].into_iter().flatten() {
            latest = latest.max(t.with_timezone(&Utc));
        }
        self.newest = self.newest.max(Some(latest));
        if let Some(started) = rec.started.filter(|_| rec.event == Event::Outcome) {
            for item in rec.items.iter().filter(|i| i.seconds > 0.0) {
                if let Some(sha) = &item.sha256 {
                    let t = started.with_timezone(&Utc);
                    let e = self.last_aired.entry(sha.clone()).or_insert(t);
                    *e = (*e).max(t);
                }
            }
        }
        match rec.event {
            Event::OnAir if !closed_before => {
                self.open.entry(rec.occurrence.clone()).or_insert(rec);
            }
            Event::OnAir => {}
            Event::Outcome => {
                self.open.remove(&rec.occurrence);
            }
        }
    }

    /// Occurrence ids with any record (on_air or outcome).
    pub fn done(&self) -> &HashSet<String> {
        &self.done
    }

    /// The latest `scheduled` over all records.
    pub fn anchor(&self) -> Option<DateTime<Utc>> {
        self.anchor
    }

    /// The latest of `scheduled`, `started` and `ended` over all records.
    pub fn newest(&self) -> Option<DateTime<Utc>> {
        self.newest
    }

    /// `on_air` records with no outcome yet, oldest `scheduled` first.
    pub fn open_occurrences(&self) -> Vec<Record> {
        let mut open: Vec<Record> = self.open.values().cloned().collect();
        open.sort_by(|a, b| {
            a.scheduled
                .cmp(&b.scheduled)
                .then_with(|| a.occurrence.cmp(&b.occurrence))
        });
        open
    }

    /// When each clip (by SHA-256) last went on air: the rotation memory of
    /// category items, so it survives restarts.
    pub fn last_aired(&self) -> &HashMap<String, DateTime<Utc>> {
        &self.last_aired
    }

    /// `STATE/asrun.jsonl`.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of complete lines in the log.
    pub fn lines(&self) -> usize {
        self.lines
    }

    /// SHA-256 of the last line: the `prev` the next record will carry.
    pub fn head(&self) -> &str {
        &self.head
    }

    /// How many fsyncs this handle has issued (one per append).
    pub fn fsyncs(&self) -> u64 {
        self.fsyncs
    }
}
