//! Entry points: read a station config file, validate every part of it, check the
//! files it plays, and return the validated `Config` or all problems at once.
//!
//! Owns the top-level table, cross-program checks (unique ids) and file checks
//! (existence, the optional decode probe). Never writes anything.

use crate::i18n::Msg;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use super::diag::{Diagnostic, Diags, Severity};
use super::error::ConfigError;
use super::items::{FileRef, ItemReader};
use super::model::{Config, HubLink, Station};
use super::program::read_program;
use super::sections::{
    default_output, read_feeds, read_hub, read_output, read_paths, read_station,
};
use super::walk::{a_type, type_code, TableRef};

/// A decode test for one clip file: `Err` says why it cannot be played.
pub type Probe<'a> = &'a dyn Fn(&Path) -> Result<(), String>;

/// How thoroughly to check the files a config plays.
#[derive(Default, Clone, Copy)]
pub struct LoadOptions<'a> {
    /// When Some: every station file item (play = ["x.ogg"], also inside stream
    /// fallbacks) must exist and pass this probe (decode test); failures are Errors
    /// at the item's span. When None: missing files are Warnings (the daemon skips
    /// them at air time), no decoding.
    pub probe: Option<Probe<'a>>,
}

/// A valid config and the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<Diagnostic>,
}

const TOP_KEYS: &[&str] = &["station", "output", "paths", "feed", "hub", "program"];

/// Read and validate the config file at `path`.
///
/// `Err` holds every error (and the warnings too), sorted by position.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Loaded, Vec<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|source| {
        let e = ConfigError::Read {
            path: path.to_path_buf(),
            source,
        };
        let msg = Msg::new("check-cannot-read")
            .arg("path", path.display())
            .arg("error", source_text(&e));
        vec![positionless(path, e.to_string(), msg)]
    })?;
    match std::str::from_utf8(&bytes) {
        Ok(text) => load_str(text, path, opts),
        Err(e) => {
            // Point at the bad byte: the prefix before it is valid UTF-8.
            let prefix = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
            let mut d = Diags::new(path, &prefix);
            d.error(
                prefix.len()..prefix.len(),
                ConfigError::NotUtf8.to_string(),
                Msg::new("check-not-utf8"),
            );
            Err(d.into_sorted())
        }
    }
}

/// Validate config text; `path` names it in messages and anchors relative paths.
pub fn load_str(text: &str, path: &Path, opts: &LoadOptions) -> Result<Loaded, Vec<Diagnostic>> {
    // A UTF-8 byte-order mark (Windows editors) is not part of the TOML; dropping it
    // keeps columns as the user sees them.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut d = Diags::new(path, text);
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        // The recovered tree is a guess; semantic checks on it would mislead.
        for e in &syntax {
            let span = e.span().unwrap_or(0..0);
            let (message, msg) = syntax_message(e.message(), text.get(span.clone()).unwrap_or(""));
            d.error(span.clone(), message, msg);
        }
        return Err(d.into_sorted());
    }
    let abs = absolute(path);
    let base = abs
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    let root = TableRef::new(root.get_ref(), 0..0, "the top level");
    root.check_keys(&mut d, TOP_KEYS);

    let station = match section(&mut d, &root, "station") {
        Some(t) => read_station(&mut d, &t),
        None => {
            if !root.has("station") {
                d.error(
                    0..0,
                    "the config has no [station] table: add one with at least its name, e.g. [station] name = \"Đài truyền thanh xã Phước Dinh\"",
                    Msg::new("check-no-station"),
                );
            }
            Station {
                name: String::new(),
                areas: Vec::new(),
                timezone: chrono_tz::Tz::UTC,
                lang: Vec::new(),
                language: None,
            }
        }
    };
    let output = match section(&mut d, &root, "output") {
        Some(t) => read_output(&mut d, &t),
        None => default_output(),
    };
    let paths_table = section(&mut d, &root, "paths");
    let paths = read_paths(&mut d, paths_table.as_ref(), &base);
    let feeds = root
        .get("feed")
        .map(|f| read_feeds(&mut d, f))
        .unwrap_or_default();
    let hub = match section(&mut d, &root, "hub") {
        Some(t) => read_hub(&mut d, &t),
        None => HubLink::default(),
    };

    let mut items = ItemReader {
        clips: &paths.clips,
        files: Vec::new(),
        clip_ids: Vec::new(),
    };
    let programs = read_programs(&mut d, &root, &mut items);
    let files = items.files;
    check_files(&mut d, &files, &paths.clips, opts);

    if d.has_errors() {
        return Err(d.into_sorted());
    }
    Ok(Loaded {
        config: Config {
            path: abs,
            station,
            output,
            paths,
            feeds,
            hub,
            programs,
        },
        warnings: d.into_sorted(),
    })
}

/// A top-level table by name; wrong types reported.
fn section<'a, 'i>(
    d: &mut Diags,
    root: &TableRef<'a, 'i>,
    key: &'a str,
) -> Option<TableRef<'a, 'i>> {
    let f = root.get(key)?;
    match f.value.get_ref() {
        DeValue::Table(t) => Some(TableRef::new(t, f.span(), format!("[{key}]"))),
        other => {
            d.error(
                f.span(),
                format!("`{key}` must be a table written [{key}] on its own line, followed by its keys (found {})", a_type(other)),
                Msg::new("check-section-not-table")
                    .arg("key", key)
                    .arg("found", type_code(other)),
            );
            None
        }
    }
}

pub(crate) fn read_programs(
    d: &mut Diags,
    root: &TableRef<'_, '_>,
    items: &mut ItemReader<'_>,
) -> Vec<super::model::Program> {
    let Some(f) = root.get("program") else {
        d.warning(
            0..0,
            "the config has no [[program]]: nothing will air",
            Msg::new("check-no-programs"),
        );
        return Vec::new();
    };
    let values = match f.value.get_ref() {
        DeValue::Array(a) => a.as_ref(),
        DeValue::Table(_) => {
            d.error(
                f.span(),
                "write programs as [[program]] (double brackets), one such table per program",
                Msg::new("check-program-brackets"),
            );
            return Vec::new();
        }
        other => {
            d.error(
                f.span(),
                format!(
                    "programs are written as [[program]] tables (found {})",
                    a_type(other)
                ),
                Msg::new("check-programs-not-tables").arg("found", type_code(other)),
            );
            return Vec::new();
        }
    };
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    let mut programs = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let DeValue::Table(t) = v.get_ref() else {
            d.error(
                v.span(),
                "each program is a [[program]] table with id, a schedule and play",
                Msg::new("check-program-not-table"),
            );
            continue;
        };
        let read = read_program(d, &TableRef::new(t, v.span(), "[[program]]"), i + 1, items);
        if let Some((id, span)) = read.id {
            if let Some(first) = seen.get(&id) {
                let line = d.line_of(first.start);
                d.error(
                    span,
                    format!("duplicate program id \"{id}\": the program at line {line} already uses it; give each program its own id"),
                    Msg::new("check-duplicate-id").arg("id", &id).arg("line", line),
                );
            } else {
                seen.insert(id, span);
            }
        }
        programs.extend(read.program);
    }
    programs
}

/// Existence and (with a probe) decodability of every station file item.
pub(crate) fn check_files(d: &mut Diags, files: &[FileRef], clips: &Path, opts: &LoadOptions) {
    let mut probed: HashMap<&Path, Result<(), String>> = HashMap::new();
    for file in files {
        let path = file.path.as_path();
        let severity = if opts.probe.is_some() {
            Severity::Error
        } else {
            Severity::Warning
        };
        let (skip, missing, not_file) = if opts.probe.is_some() {
            ("", "check-file-missing", "check-file-not-file")
        } else {
            (
                "; the daemon will skip this item when it airs",
                "check-file-missing-skip",
                "check-file-not-file-skip",
            )
        };
        if !path.exists() {
            d.push(
                severity,
                file.span.clone(),
                format!(
                    "clip file not found: {} (file names in `play` are looked up under [paths] clips = {}){skip}",
                    path.display(),
                    clips.display()
                ),
                Msg::new(missing)
                    .arg("path", path.display())
                    .arg("clips", clips.display()),
            );
            continue;
        }
        if !path.is_file() {
            d.push(
                severity,
                file.span.clone(),
                format!(
                    "{} is not a file (a directory?): name an audio file{skip}",
                    path.display()
                ),
                Msg::new(not_file).arg("path", path.display()),
            );
            continue;
        }
        let Some(probe) = opts.probe else { continue };
        let result = probed.entry(path).or_insert_with(|| probe(path));
        if let Err(e) = result {
            d.error(
                file.span.clone(),
                format!(
                    "cannot decode {}: {e}; check the file plays and is {}",
                    path.display(),
                    crate::decode::FORMATS
                ),
                Msg::new("check-cannot-decode")
                    .arg("path", path.display())
                    .arg("error", e.as_str())
                    .arg("formats", crate::decode::FORMATS),
            );
        }
    }
}

/// A TOML syntax error: its English text (the parser's words) and its
/// catalogue message.
pub(crate) fn syntax_message(message: &str, at: &str) -> (String, Msg) {
    let message = message.trim();
    if message == "duplicate key" {
        return (
            format!(
                "duplicate key `{at}`: a key (or a [table]) may appear only once; merge the two or remove one"
            ),
            Msg::new("check-duplicate-key").arg("key", at),
        );
    }
    let mut out = format!("invalid TOML: {message}");
    if message.contains("must be quoted") {
        out.push_str(" (put text in double quotes, e.g. name = \"Đài\")");
        return (out, Msg::new("check-invalid-toml-quote"));
    }
    (out, Msg::new("check-invalid-toml"))
}

fn positionless(path: &Path, message: String, msg: Msg) -> Diagnostic {
    Diagnostic {
        file: path.to_path_buf(),
        line: 0,
        col: 0,
        severity: Severity::Error,
        message,
        msg,
    }
}

/// The reason of a read error (the OS's words, without the path).
fn source_text(e: &ConfigError) -> String {
    match e {
        ConfigError::Read { source, .. } => source.to_string(),
        other => other.to_string(),
    }
}

/// `path` made absolute against the current directory, `.` components removed.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
