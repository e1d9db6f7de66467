//! Diagnostics: what a config problem is, where it is (file:line:col) and how it prints.
//!
//! Owns the `Diagnostic` type, byte-offset → line:column conversion and the collector
//! the validators push into. Knows nothing about the config schema.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::i18n::{Lang, Msg};

/// How bad a problem is: errors refuse the config, warnings are printed and accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a config file.
///
/// `line` and `col` are 1-based (`col` counts characters, not bytes). `line == 0`
/// means the problem has no position (the file could not be read): it then prints
/// as `FILE: MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub severity: Severity,
    /// The English text (what `Display` prints).
    pub message: String,
    /// The same as a catalogue message (`check-…` code + arguments):
    /// `text(lang)` renders it. Every diagnostic has one.
    pub msg: Msg,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The problem in `lang`, rendered from the catalogue (the English text
    /// when the catalogue lacks the code, which the catalogue tests forbid).
    pub fn text(&self, lang: Lang) -> String {
        crate::i18n::Msg::render_or(Some(&self.msg), lang, &["check-"], &self.message)
    }

    /// `FILE:LINE:COL: [warning:] TEXT` in `lang` (English: `Display`, byte for byte).
    pub fn display_in(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let mut out = format!("{}:", self.file.display());
        if self.line > 0 {
            out.push_str(&format!("{}:{}:", self.line, self.col));
        }
        if self.severity == Severity::Warning {
            out.push(' ');
            out.push_str(&crate::tr!(lang, "check-warning"));
        }
        out.push(' ');
        out.push_str(&self.text(lang));
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.file.display())?;
        if self.line > 0 {
            write!(f, "{}:{}:", self.line, self.col)?;
        }
        if self.severity == Severity::Warning {
            write!(f, " warning:")?;
        }
        write!(f, " {}", self.message)
    }
}

/// Maps byte offsets of one text to 1-based (line, character column).
pub(crate) struct LineIndex<'s> {
    text: &'s str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'s> LineIndex<'s> {
    pub(crate) fn new(text: &'s str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// 1-based line and column of a byte offset (clamped to the text, snapped back
    /// to a character boundary).
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self.text[start..offset].chars().count() + 1;
        (line, col)
    }
}

/// Collects diagnostics for one file while validating it.
pub(crate) struct Diags<'s> {
    file: PathBuf,
    index: LineIndex<'s>,
    items: Vec<Diagnostic>,
}

impl<'s> Diags<'s> {
    pub(crate) fn new(file: &Path, text: &'s str) -> Self {
        Diags {
            file: file.to_path_buf(),
            index: LineIndex::new(text),
            items: Vec::new(),
        }
    }

    /// A problem: its English text (what `Display` prints) and the same as a
    /// catalogue message (`check-…` code + arguments) for other languages.
    pub(crate) fn push(
        &mut self,
        severity: Severity,
        span: Range<usize>,
        message: impl Into<String>,
        msg: Msg,
    ) {
        let message = message.into();
        let (line, col) = self.index.line_col(span.start);
        self.items.push(Diagnostic {
            file: self.file.clone(),
            line,
            col,
            severity,
            message,
            msg,
        });
    }

    /// An error with its English text and its catalogue message (`check-…`).
    pub(crate) fn error(&mut self, span: Range<usize>, message: impl Into<String>, msg: Msg) {
        self.push(Severity::Error, span, message, msg);
    }

    /// A warning with its English text and its catalogue message.
    pub(crate) fn warning(&mut self, span: Range<usize>, message: impl Into<String>, msg: Msg) {
        self.push(Severity::Warning, span, message, msg);
    }

    /// The source text of a span ("" when out of range).
    pub(crate) fn source(&self, span: Range<usize>) -> &'s str {
        self.index.text.get(span).unwrap_or("")
    }

    /// 1-based line of a byte offset, for messages that point at another place.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.index.line_col(offset).0
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    pub(crate) fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// All diagnostics, sorted by position (errors first at the same position).
    pub(crate) fn into_sorted(self) -> Vec<Diagnostic> {
        let mut items = self.items;
        items.sort_by_key(|d| (d.line, d.col, d.severity));
        items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nĐài x\n\ny";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(2), (1, 3));
        assert_eq!(idx.line_col(3), (2, 1));
        // "Đài " is 4 characters but 6 bytes.
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(x), (2, 5));
        assert_eq!(idx.line_col(text.len()), (4, 2));
        // Inside a multi-byte character: snapped back to its start.
        assert_eq!(idx.line_col(4), (2, 1));
    }

    #[test]
    fn display_formats() {
        let mut d = Diagnostic {
            file: PathBuf::from("loa.toml"),
            line: 3,
            col: 7,
            severity: Severity::Error,
            message: "bad".into(),
            msg: Msg::new("check-no-programs"),
        };
        assert_eq!(d.to_string(), "loa.toml:3:7: bad");
        d.severity = Severity::Warning;
        assert_eq!(d.to_string(), "loa.toml:3:7: warning: bad");
        d.line = 0;
        d.severity = Severity::Error;
        assert_eq!(d.to_string(), "loa.toml: bad");
    }
}
