//! Programs-only documents: the `[[program]]` tables a hub keeps and signs for
//! one station (HUB.md, `/feed/stations/ID/programs.toml`), validated with the
//! same readers and messages as `loa check`.
//!
//! Only `program` (and the header keys the caller names) may appear at the
//! top level. A station file item must be a plain name in the station's clips
//! folder (a hub never names any other file on the box). Feed clip ids and
//! file names can be checked against what the station may have. Never reads a
//! file except, with [`FileCheck::Disk`], to see that clip files exist.

use crate::i18n::Msg;
use std::collections::HashSet;
use std::path::{Component, Path};

use toml::de::DeTable;

use super::diag::{Diagnostic, Diags};
use super::items::{FileRef, ItemReader};
use super::load::{check_files, read_programs, syntax_message};
use super::model::Program;
use super::walk::TableRef;
use super::LoadOptions;

/// How station file items (`play = ["chime.ogg"]`) are checked.
#[derive(Clone, Copy)]
pub enum FileCheck<'a> {
    /// On this box: a missing file is a warning (skipped when it airs), as `loa run` loads.
    Disk,
    /// On a hub: the names the station reported; any other is an error.
    Known(&'a HashSet<String>),
    /// Not at all (a hub that has not heard the station's list yet).
    Skip,
}

/// What a programs document is checked against.
#[derive(Clone, Copy)]
pub struct ProgramsOptions<'a> {
    /// The station's clips folder (file items resolve under it).
    pub clips: &'a Path,
    /// Top-level keys allowed besides `program` (a signed document's header).
    pub header_keys: &'a [&'a str],
    pub files: FileCheck<'a>,
    /// Feed clip ids the station can have; `None` = not checked.
    pub feed_clips: Option<&'a HashSet<String>>,
}

/// Valid programs and the warnings found on the way.
#[derive(Debug)]
pub struct ProgramsLoaded {
    pub programs: Vec<Program>,
    pub warnings: Vec<Diagnostic>,
}

/// Validate a programs document; `path` names it in messages. `Err` holds
/// every error (and the warnings), sorted by position.
pub fn load_programs_str(
    text: &str,
    path: &Path,
    opts: &ProgramsOptions,
) -> Result<ProgramsLoaded, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut d = Diags::new(path, text);
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        for e in &syntax {
            let span = e.span().unwrap_or(0..0);
            let (message, msg) = syntax_message(e.message(), text.get(span.clone()).unwrap_or(""));
            d.error(span.clone(), message, msg);
        }
        return Err(d.into_sorted());
    }
    let root = TableRef::new(root.get_ref(), 0..0, "the programs document");
    let mut allowed: Vec<&str> = vec!["program"];
    allowed.extend_from_slice(opts.header_keys);
    for (k, _) in root.table.iter() {
        let name: &str = k.get_ref();
        if !allowed.contains(&name) {
            d.error(
                k.span(),
                format!("`{name}` is not allowed here: a station's timetable from the hub holds only [[program]] tables (the station's other settings stay in its own config file)"),
                Msg::new("check-only-programs").arg("key", name),
            );
        }
    }
    let mut items = ItemReader {
        clips: opts.clips,
        files: Vec::new(),
        clip_ids: Vec::new(),
    };
    let programs = read_programs(&mut d, &root, &mut items);
    for f in &items.files {
        plain_name(&mut d, f, opts.clips);
    }
    match opts.files {
        FileCheck::Disk => {
            let plain: Vec<FileRef> = items
                .files
                .iter()
                .filter(|f| is_plain(f, opts.clips))
                .map(|f| FileRef {
                    path: f.path.clone(),
                    span: f.span.clone(),
                })
                .collect();
            check_files(&mut d, &plain, opts.clips, &LoadOptions { probe: None });
        }
        FileCheck::Known(names) => {
            for f in items.files.iter().filter(|f| is_plain(f, opts.clips)) {
                let name = file_name(f);
                if !names.contains(&name) {
                    d.error(
                        f.span.clone(),
                        format!("the station has no clip file \"{name}\" in its clips folder: copy it onto the station, or pick one it has{}", listed(names)),
                        Msg::new("check-station-no-file").arg("name", &name),
                    );
                }
            }
        }
        FileCheck::Skip => {}
    }
    if let Some(known) = opts.feed_clips {
        for (id, span) in &items.clip_ids {
            if !known.contains(id) {
                d.error(
                    span.clone(),
                    format!("no approved clip \"{id}\" reaches this station: upload and approve it for the station's areas first, or check the id"),
                    Msg::new("check-clip-unknown").arg("id", id),
                );
            }
        }
    }
    if d.has_errors() {
        return Err(d.into_sorted());
    }
    Ok(ProgramsLoaded {
        programs,
        warnings: d.into_sorted(),
    })
}

fn file_name(f: &FileRef) -> String {
    f.path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// True when the item is one name directly in the clips folder.
fn is_plain(f: &FileRef, clips: &Path) -> bool {
    let Ok(rest) = f.path.strip_prefix(clips) else {
        return false;
    };
    let parts: Vec<Component> = rest.components().collect();
    matches!(parts.as_slice(), [Component::Normal(n)] if !n.to_string_lossy().starts_with('.'))
}

fn plain_name(d: &mut Diags, f: &FileRef, clips: &Path) {
    if !is_plain(f, clips) {
        d.error(
            f.span.clone(),
            "a timetable from the hub names station clips by file name only (e.g. \"chime.ogg\"): no folders, no paths, no hidden files",
            Msg::new("check-file-name-only"),
        );
    }
}

fn listed(names: &HashSet<String>) -> String {
    if names.is_empty() {
        return String::new();
    }
    let mut v: Vec<&str> = names.iter().map(String::as_str).collect();
    v.sort_unstable();
    let more = v.len().saturating_sub(8);
    v.truncate(8);
    format!(
        " ({}{})",
        v.join(", "),
        if more > 0 {
            format!(", … {more} more")
        } else {
            String::new()
        }
    )
}
