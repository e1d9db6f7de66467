//! New clips for `loa publish --add`: checking the operator's files and
//! metadata against the feed (ids, category, areas, dates, decoding), copying
//! each file into `clips/` under its content hash, and the clip id a file name
//! gives (`slug`).

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use sha2::{Digest, Sha256};

use super::error::{io, PublishError};
use super::{ClipMeta, CLIPS_DIR};
use crate::feed::manifest::{check_id, Clip, Manifest, MAX_CLIP_BYTES};

/// Check the new clips and describe them (sha256 and bytes are filled in by
/// the copy). Nothing is written here.
pub(super) fn stage_clips(
    m: &Manifest,
    files: &[PathBuf],
    meta: &ClipMeta,
    now: DateTime<FixedOffset>,
    probe: &dyn Fn(&Path) -> Result<Option<Duration>, String>,
) -> Result<Vec<(PathBuf, Clip)>, PublishError> {
    if files.is_empty() {
        return Err(PublishError::NoFiles);
    }
    if meta.id.is_some() && files.len() > 1 {
        return Err(PublishError::IdWithSeveralFiles(files.len()));
    }
    let category = meta.category.clone().ok_or(PublishError::CategoryMissing)?;
    check_id(&category).map_err(|reason| PublishError::BadValue {
        what: "--category",
        value: category.clone(),
        reason,
    })?;
    let lang = meta.lang.clone().unwrap_or_default();
    if !lang.is_empty()
        && (lang.len() > 35
            || !lang
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
    {
        return Err(PublishError::BadValue {
            what: "--lang",
            value: lang,
            reason: "use a lower-case language code such as vi, cjm or en".into(),
        });
    }
    let areas = check_areas(&meta.areas)?;
    if let (Some(f), Some(u)) = (meta.valid_from, meta.valid_until) {
        if f > u {
            return Err(PublishError::BadValue {
                what: "--from",
                value: f.to_string(),
                reason: format!("it is after --until {u}"),
            });
        }
    }
    if let Some(u) = meta.valid_until {
        if u < now.date_naive() {
            return Err(PublishError::BadValue {
                what: "--until",
                value: u.to_string(),
                reason: format!(
                    "it is already past (today is {}), so the clip would never air",
                    now.date_naive()
                ),
            });
        }
    }

    let mut out: Vec<(PathBuf, Clip)> = vec![];
    for file in files {
        let bad = |reason: String| PublishError::BadFile {
            file: file.clone(),
            reason,
        };
        let md = std::fs::metadata(file).map_err(|e| bad(format!("cannot read it: {e}")))?;
        if !md.is_file() {
            return Err(bad("not a regular file".into()));
        }
        File::open(file).map_err(|e| bad(format!("cannot read it: {e}")))?;
        if md.len() == 0 {
            return Err(bad("the file is empty".into()));
        }
        if md.len() > MAX_CLIP_BYTES {
            return Err(bad(format!(
                "{} bytes is over the {MAX_CLIP_BYTES}-byte limit for a clip",
                md.len()
            )));
        }
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = match &meta.id {
            Some(id) => {
                check_id(id).map_err(|reason| PublishError::BadValue {
                    what: "--id",
                    value: id.clone(),
                    reason,
                })?;
                id.clone()
            }
            None => {
                let s = slug(&stem);
                check_id(&s).map_err(|_| {
                    bad("cannot make a clip id from the file name: give one with --id".into())
                })?;
                s
            }
        };
        if m.clips.iter().any(|c| c.id == id) {
            return Err(PublishError::DuplicateClip { id });
        }
        if m.broadcasts.iter().any(|b| b.id == id) {
            return Err(PublishError::IdTaken {
                id,
                kind: "broadcast",
            });
        }
        if let Some((first, _)) = out.iter().find(|(_, c)| c.id == id) {
            return Err(PublishError::DuplicateInBatch {
                id,
                first: first.clone(),
                second: file.clone(),
            });
        }
        let ext = match file.extension() {
            None => String::new(),
            Some(e) => {
                let e = e.to_string_lossy().to_ascii_lowercase();
                if e.is_empty() || e.len() > 10 || !e.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(bad(format!(
                        "unusual file extension `{e}`: rename it (e.g. .mp3, .ogg, .wav)"
                    )));
                }
                format!(".{e}")
            }
        };
        let duration = probe(file).map_err(|e| bad(format!("not playable audio: {e}")))?;
        out.push((
            file.clone(),
            Clip {
                id: id.clone(),
                title: meta.title.clone().unwrap_or_else(|| stem.clone()),
                category: category.clone(),
                lang: lang.clone(),
                path: format!("{CLIPS_DIR}/{id}{ext}"),
                sha256: String::new(),
                bytes: 0,
                duration_s: duration.map(|d| (d.as_secs_f64() * 1000.0).round() / 1000.0),
                valid_from: meta.valid_from,
                valid_until: meta.valid_until,
                areas: areas.clone(),
                stations: vec![],
                level: meta.level,
            },
        ));
    }
    Ok(out)
}

pub(super) fn check_areas(areas: &[String]) -> Result<Vec<String>, PublishError> {
    areas
        .iter()
        .map(|a| {
            let t = a.trim();
            if t.is_empty() || t.len() > 64 || t.contains(|c: char| c.is_whitespace() || c == ',') {
                Err(PublishError::BadValue {
                    what: "--areas",
                    value: a.clone(),
                    reason: "give administrative codes separated by commas, e.g. --areas 58,589"
                        .into(),
                })
            } else {
                Ok(t.to_string())
            }
        })
        .collect()
}

/// Copy `src` to `DIR/<rel>` through a temporary name in the same folder
/// (fsynced, then renamed); returns (sha256 hex, bytes) of what was copied.
pub(super) fn copy_clip(dir: &Path, src: &Path, rel: &str) -> Result<(String, u64), PublishError> {
    let clips = dir.join(CLIPS_DIR);
    std::fs::create_dir_all(&clips).map_err(io("create", &clips))?;
    let target = dir.join(rel);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = clips.join(format!(".{name}.part"));
    let bad = |reason: String| PublishError::BadFile {
        file: src.to_path_buf(),
        reason,
    };
    let result = (|| {
        let mut input = File::open(src).map_err(|e| bad(format!("cannot read it: {e}")))?;
        let mut out = File::create(&tmp).map_err(io("create", &tmp))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut bytes = 0u64;
        loop {
            let n = input
                .read(&mut buf)
                .map_err(|e| bad(format!("cannot read it: {e}")))?;
            if n == 0 {
                break;
            }
            bytes += n as u64;
            if bytes > MAX_CLIP_BYTES {
                return Err(bad(format!(
                    "over the {MAX_CLIP_BYTES}-byte limit for a clip"
                )));
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(io("write", &tmp))?;
        }
        if bytes == 0 {
            return Err(bad("the file is empty".into()));
        }
        out.sync_all().map_err(io("write", &tmp))?;
        std::fs::rename(&tmp, &target).map_err(io("put in place", &target))?;
        Ok((hex::encode(hasher.finalize()), bytes))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A clip id from a file name: lower-case ASCII, Vietnamese diacritics folded
/// (`đ` → `d`), anything else a single `-`, at most 100 characters.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue; // combining marks of decomposed text
        }
        let c = fold(c);
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out.truncate(100);
    out.trim_end_matches('-').to_string()
}

fn fold(c: char) -> char {
    const TABLE: [(char, &str); 8] = [
        ('a', "àáảãạăằắẳẵặâầấẩẫậä"),
        ('e', "èéẻẽẹêềếểễệë"),
        ('i', "ìíỉĩịîï"),
        ('o', "òóỏõọôồốổỗộơờớởỡợö"),
        ('u', "ùúủũụưừứửữựûü"),
        ('y', "ỳýỷỹỵÿ"),
        ('d', "đ"),
        ('c', "ç"),
    ];
    TABLE
        .iter()
        .find(|(_, set)| set.contains(c))
        .map_or(c, |(base, _)| *base)
}
