//! The daemon's handle on `STATE/asrun.jsonl`: open (repairing a torn last
//! line), append with fsync and the hash chain, and the few facts scheduling
//! needs (done occurrences, anchor, newest instant, open `on_air` records,
//! clip airings).
//!
//! Start-up reads only the log's recent end: everything older is taken from
//! `asrun.summary.json` (`summary.rs`), which this handle moves forward as
//! the log grows, so start-up time and memory stay flat over years. Never
//! keeps all records in memory, never rewrites a complete line, never decides
//! what airs (that is `schedule`'s job).

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};

use super::error::RecordError;
use super::lines::{hash, Lines, RawLine};
use super::model::Record;
use super::summary::{self, Summary};
use super::tally::Tally;
use crate::schedule::{Done, Facts, KEEP_DAYS};

/// File name of the log inside the state folder.
pub const FILE_NAME: &str = "asrun.jsonl";

/// The summary is moved forward once it lags this far behind the window.
pub const SUMMARY_EVERY_DAYS: i64 = 7;

/// An open as-run log, ready to append to.
#[derive(Debug)]
pub struct AsRun {
    path: PathBuf,
    state_dir: PathBuf,
    file: File,
    /// Length of the file up to the last complete line.
    len: u64,
    /// Hash of the last line (the next line's `prev`).
    head: String,
    lines: usize,
    tally: Tally,
    /// The summary on disk (or the empty one): where start-up reads from.
    summary: Summary,
    /// Where `open` started reading (the summary's offset then).
    read_from: u64,
    fsyncs: u64,
}

impl AsRun {
    /// Creates the state folder and the log if needed and reads the log: the
    /// part after its summary when `asrun.summary.json` matches the log, all
    /// of it otherwise (then a summary is written for next time).
    ///
    /// A torn last line (no newline, or not a valid record) is cut off with a
    /// warning naming what was dropped; a complete, valid last record whose
    /// `prev` chains but that lacks only its newline is kept and the newline
    /// added. An invalid line anywhere else in the part read is an error
    /// naming the line (lines under the summary were checked when they were
    /// read, and are not read again: `loa log --verify` checks them all). A
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
        let file_len = file
            .metadata()
            .map_err(RecordError::io(&path, "read the size of"))?
            .len();
        let start = summary::load(state_dir, &file, file_len).unwrap_or_default();
        let mut log = AsRun {
            path,
            state_dir: state_dir.to_path_buf(),
            file,
            len: start.offset,
            head: start.head.clone(),
            lines: start.lines,
            tally: start.tally(),
            read_from: start.offset,
            summary: start,
            fsyncs: 0,
        };
        log.load()?;
        tracing::info!(
            "as-run log {}: {} lines; read {} bytes from byte {} (the lines before are summarised in {})",
            log.path.display(),
            log.lines,
            log.len - log.read_from,
            log.read_from,
            summary::SUMMARY_FILE
        );
        log.summarise_if_behind();
        Ok(log)
    }

    fn load(&mut self) -> Result<(), RecordError> {
        let mut bad: Option<(RawLine, String)> = None;
        let mut missing_newline = false;
        let mut chain_break: Option<usize> = None;
        let mut reader = self
            .file
            .try_clone()
            .map_err(RecordError::io(&self.path, "read"))?;
        reader
            .seek(SeekFrom::Start(self.len))
            .map_err(RecordError::io(&self.path, "read"))?;
        for item in Lines::resume(BufReader::new(reader), self.len, self.lines) {
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
            self.tally.note(rec);
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
        self.tally.note(rec);
        self.summarise_if_behind();
        Ok(())
    }

    /// Moves the summary forward (and writes it) once its cutoff lags more
    /// than [`SUMMARY_EVERY_DAYS`] behind the window's edge, or when there is
    /// none yet. Reads only the lines it moves over. A failure only costs
    /// start-up time later, so it is a warning.
    fn summarise_if_behind(&mut self) {
        let Some(newest) = self.tally.facts.newest else {
            return;
        };
        let cutoff = newest - TimeDelta::days(KEEP_DAYS);
        let due = self
            .summary
            .cutoff
            .is_none_or(|c| cutoff - c >= TimeDelta::days(SUMMARY_EVERY_DAYS));
        if !due {
            return;
        }
        let state_dir = &self.state_dir;
        let result = summary::advance(&self.file, &self.path, &self.summary, cutoff, self.len)
            .map_err(|e| e.to_string())
            .and_then(|next| {
                summary::write(state_dir, &next)
                    .map(|()| next)
                    .map_err(|e| {
                        let path = state_dir.join(summary::SUMMARY_FILE);
                        format!("cannot write {}: {e}", path.display())
                    })
            });
        match result {
            Ok(next) => self.summary = next,
            Err(e) => {
                tracing::warn!("cannot update the as-run summary ({e}); start-up reads more of the log until it can");
                // Still a true claim for the lines it covers: retry in a week.
                self.summary.cutoff = Some(cutoff);
            }
        }
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

    /// What scheduling needs from the log: done ids (bounded by the
    /// catch-up window), anchor and newest instant.
    pub fn facts(&self) -> &Facts {
        &self.tally.facts
    }

    /// Occurrence ids with any record (on_air or outcome), as far as they can
    /// still be planned (see `schedule::Done`).
    pub fn done(&self) -> &Done {
        &self.tally.facts.done
    }

    /// The latest `scheduled` over all records.
    pub fn anchor(&self) -> Option<DateTime<Utc>> {
        self.tally.facts.anchor
    }

    /// The latest of `scheduled`, `started` and `ended` over all records.
    pub fn newest(&self) -> Option<DateTime<Utc>> {
        self.tally.facts.newest
    }

    /// `on_air` records with no outcome yet, oldest `scheduled` first.
    pub fn open_occurrences(&self) -> Vec<Record> {
        self.tally.open_sorted()
    }

    /// When each clip (by SHA-256) last went on air, up to a year back
    /// (`tally::LAST_AIRED_DAYS`): the rotation memory of category items, so
    /// it survives restarts.
    pub fn last_aired(&self) -> &HashMap<String, DateTime<Utc>> {
        &self.tally.last_aired
    }

    /// The byte offset `open` started reading the log at (0: all of it).
    pub fn read_from(&self) -> u64 {
        self.read_from
    }

    /// The byte offset the current summary covers up to.
    pub fn summarised_to(&self) -> u64 {
        self.summary.offset
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
