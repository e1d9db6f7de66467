//! Reading `asrun.jsonl` line by line as raw bytes, and the chain hash.
//!
//! Owns the line scanner (bounded memory, even on a garbage file) and the
//! SHA-256 of a line. Never parses records beyond handing bytes to serde,
//! never writes.

use std::io::{self, BufRead, Read};

use sha2::{Digest, Sha256};

use super::model::Record;

/// `prev` of the first line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A line longer than this is not a record (a record is well under 64 KiB).
pub const MAX_LINE: usize = 1 << 20;

/// SHA-256 (lower-case hex) of a line's bytes, without its newline.
pub fn hash(line: &[u8]) -> String {
    hex::encode(Sha256::digest(line))
}

/// One line of the file.
#[derive(Debug)]
pub struct RawLine {
    /// 1-based.
    pub no: usize,
    /// Byte offset of its first byte.
    pub start: u64,
    /// Its bytes without the newline (empty when `overlong`).
    pub bytes: Vec<u8>,
    /// Whether it ended with `\n` (only the last line can lack one).
    pub newline: bool,
    /// Longer than [`MAX_LINE`]: its bytes were discarded.
    pub overlong: bool,
}

impl RawLine {
    /// Parses it as a record, or says why not.
    pub fn parse(&self) -> Result<Record, String> {
        if self.overlong {
            return Err(format!("the line is longer than {MAX_LINE} bytes"));
        }
        if self.bytes.iter().all(u8::is_ascii_whitespace) {
            return Err("the line is empty".to_string());
        }
        serde_json::from_slice(&self.bytes).map_err(|e| format!("not a valid as-run record ({e})"))
    }

    /// The first bytes of the line, for a log message.
    pub fn preview(&self) -> String {
        let text = String::from_utf8_lossy(&self.bytes);
        let mut out: String = text.chars().take(120).collect();
        if text.chars().count() > 120 {
            out.push('…');
        }
        out
    }
}

/// Iterates over the lines of a reader; yields I/O errors as they come.
pub struct Lines<R> {
    reader: R,
    no: usize,
    pos: u64,
    done: bool,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines::resume(reader, 0, 0)
    }

    /// Lines of a reader positioned at byte `pos` of the file, after `no`
    /// lines: offsets and line numbers continue from there.
    pub fn resume(reader: R, pos: u64, no: usize) -> Self {
        Lines {
            reader,
            no,
            pos,
            done: false,
        }
    }

    fn next_line(&mut self) -> io::Result<Option<(RawLine, u64)>> {
        let mut bytes = Vec::new();
        let n = (&mut self.reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut bytes)?;
        if n == 0 {
            return Ok(None);
        }
        let mut consumed = n as u64;
        let mut newline = bytes.last() == Some(&b'\n');
        let overlong = !newline && bytes.len() > MAX_LINE;
        if overlong {
            bytes = Vec::new();
            // Skip the rest of the line without holding it in memory.
            loop {
                let buf = self.reader.fill_buf()?;
                if buf.is_empty() {
                    break;
                }
                if let Some(i) = buf.iter().position(|&b| b == b'\n') {
                    self.reader.consume(i + 1);
                    consumed += i as u64 + 1;
                    newline = true;
                    break;
                }
                let len = buf.len();
                self.reader.consume(len);
                consumed += len as u64;
            }
        } else if newline {
            bytes.pop();
        }
        self.no += 1;
        let line = RawLine {
            no: self.no,
            start: self.pos,
            bytes,
            newline,
            overlong,
        };
        self.pos += consumed;
        Ok(Some((line, consumed)))
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    /// The line and how many bytes it took in the file (newline included).
    type Item = io::Result<(RawLine, u64)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_line() {
            Ok(Some(x)) => Some(Ok(x)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lines_and_offsets() {
        let data = b"ab\n\ncde";
        let lines: Vec<_> = Lines::new(&data[..]).map(|l| l.unwrap()).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            (lines[0].0.start, lines[0].1, lines[0].0.newline),
            (0, 3, true)
        );
        assert_eq!(lines[0].0.bytes, b"ab");
        assert_eq!(
            (lines[1].0.start, lines[1].1, lines[1].0.bytes.len()),
            (3, 1, 0)
        );
        assert_eq!(
            (lines[2].0.no, lines[2].0.start, lines[2].0.newline),
            (3, 4, false)
        );
        assert_eq!(lines[2].0.bytes, b"cde");
    }

    #[test]
    fn overlong_line_is_skipped_not_held() {
        let mut data = vec![b'x'; MAX_LINE + 10];
        data.extend_from_slice(b"\nok\n");
        let lines: Vec<_> = Lines::new(&data[..]).map(|l| l.unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].0.overlong && lines[0].0.newline && lines[0].0.bytes.is_empty());
        assert_eq!(lines[0].1, MAX_LINE as u64 + 11);
        assert_eq!(lines[1].0.start, MAX_LINE as u64 + 11);
        assert_eq!(lines[1].0.bytes, b"ok");
    }

    #[test]
    fn hash_is_sha256_hex() {
        assert_eq!(
            hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(GENESIS.len(), 64);
    }
}
