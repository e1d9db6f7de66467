//! `loa publish` (district side): apply one change to a feed folder — add
//! clips, withdraw a clip or broadcast, push a broadcast — then re-sign the
//! manifest and replace `manifest.json` and its `.minisig` atomically.
//!
//! Owns the feed folder's layout (`manifest.json`, `manifest.json.minisig`,
//! `clips/`, `.publish.lock`). Never publishes on top of a manifest the key
//! did not sign, never touches anything outside the folder but the source
//! FILEs it reads, and knows nothing of stations, HTTP or playout (decoding
//! is the `probe` it is given).

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate};
use minisign::SecretKey;
use sha2::{Digest, Sha256};

use super::manifest::{
    check_id, Broadcast, Clip, ClipLevel, Manifest, ManifestError, FORMAT_VERSION, MAX_CLIP_BYTES,
};
use super::sign::{self, SignError};

pub const MANIFEST_FILE: &str = "manifest.json";
pub const SIGNATURE_FILE: &str = "manifest.json.minisig";
pub const CLIPS_DIR: &str = "clips";
pub const LOCK_FILE: &str = ".publish.lock";
/// How long a published manifest stays fresh unless told otherwise.
pub const DEFAULT_EXPIRES: Duration = Duration::from_secs(30 * 24 * 3600);
/// Staging names (under the lock) for the next manifest and signature.
const NEW_MANIFEST: &str = ".manifest.json.new";
const NEW_SIGNATURE: &str = ".manifest.json.minisig.new";

/// What the operator says about the clips being added (`--id`, `--title`, ...).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClipMeta {
    pub id: Option<String>,
    pub title: Option<String>,
    pub category: Option<String>,
    pub lang: Option<String>,
    pub areas: Vec<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// Circular 39's level of every clip added.
    pub level: ClipLevel,
}

/// One change to a feed.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Add {
        files: Vec<PathBuf>,
        meta: ClipMeta,
    },
    /// Withdraw the clip with this id (or, if no clip has it, the broadcast).
    Remove {
        id: String,
    },
    Broadcast {
        id: String,
        title: Option<String>,
        at: DateTime<FixedOffset>,
        play: Vec<String>,
        priority: u32,
        areas: Vec<String>,
    },
}

/// What a publish did.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub sequence: u64,
    /// Clip ids added, or the broadcast id pushed.
    pub added: Vec<String>,
    /// The clip or broadcast id withdrawn.
    pub removed: Vec<String>,
    pub manifest: PathBuf,
}

/// Why a publish was refused; the feed is then left as it was.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("another `loa publish` is working on {0}: wait for it to finish, then try again")]
    Locked(PathBuf),
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Key(#[from] SignError),
    #[error("refusing to publish on top of {path}: {reason}; publish with the key that signed this feed, or start a new feed in an empty folder")]
    ForeignManifest { path: PathBuf, reason: SignError },
    #[error("refusing to publish on top of {path}: {reason}; restore the feed folder from a backup before publishing")]
    DamagedFeed { path: PathBuf, reason: String },
    #[error("{file}: {reason}")]
    BadFile { file: PathBuf, reason: String },
    #[error("give at least one audio FILE to publish")]
    NoFiles,
    #[error("--id names one clip, but {0} files were given: publish them one at a time, or leave out --id")]
    IdWithSeveralFiles(usize),
    #[error("--category is required to publish a clip (lower-case letters, digits, `.`, `_`, `-`, e.g. --category thong-bao)")]
    CategoryMissing,
    #[error("{what} `{value}`: {reason}")]
    BadValue {
        what: &'static str,
        value: String,
        reason: String,
    },
    #[error("clip id {id} is already in the feed: remove it first or choose another --id")]
    DuplicateClip { id: String },
    #[error(
        "{first} and {second} would both become clip {id}: publish them one at a time with --id"
    )]
    DuplicateInBatch {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{id} is already the id of a {kind} in the feed: choose another id")]
    IdTaken { id: String, kind: &'static str },
    #[error("no clip or broadcast {0} in the feed (its ids are in manifest.json)")]
    Unknown(String),
    #[error("{0} names both a clip and a broadcast in the feed, so --remove cannot tell which to withdraw: fix the manifest by hand")]
    Ambiguous(String),
    #[error("clip {id} is played by broadcast {broadcast}: withdraw the broadcast first (--remove {broadcast})")]
    ClipInUse { id: String, broadcast: String },
    #[error("broadcast id {0} is already in the feed: choose another id")]
    DuplicateBroadcast(String),
    #[error("broadcast {broadcast} plays {clip}, which is not a clip of the feed: publish the clip first")]
    BroadcastUnknownClip { broadcast: String, clip: String },
    #[error("broadcast {id} plays nothing: name at least one clip of the feed")]
    BroadcastEmpty { id: String },
    #[error("broadcast {id} is at {at}, which is not in the future (now {now})")]
    BroadcastInPast {
        id: String,
        at: DateTime<FixedOffset>,
        now: DateTime<FixedOffset>,
    },
    #[error("the new manifest would be invalid: {0}")]
    Invalid(#[from] ManifestError),
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> PublishError {
    let path = path.to_path_buf();
    move |source| PublishError::Io {
        action,
        path,
        source,
    }
}

/// Apply `change` to the feed in `feed_dir` (created if missing), sign the
/// new manifest with `sk` and put it in place atomically.
pub fn publish(
    feed_dir: &Path,
    sk: &SecretKey,
    change: &Change,
    expires: Duration,
    now: DateTime<FixedOffset>,
    probe: &dyn Fn(&Path) -> Result<Option<Duration>, String>,
) -> Result<Published, PublishError> {
    std::fs::create_dir_all(feed_dir).map_err(io("create the feed folder", feed_dir))?;
    let _lock = lock(feed_dir)?;
    let public_key = sign::public_key_of(sk)?;
    recover(feed_dir, &public_key)?;
    let old = read_current(feed_dir, &public_key)?;
    let mut m = old.clone().unwrap_or(Manifest {
        loa_feed: FORMAT_VERSION,
        sequence: 0,
        published_at: now,
        expires_at: now,
        clips: vec![],
        broadcasts: vec![],
    });

    let mut placed: Vec<PathBuf> = vec![]; // new clip files, removed again on failure
    let mut doomed: Vec<PathBuf> = vec![]; // withdrawn clip files, deleted after success
    let (added, removed) = match change {
        Change::Add { files, meta } => {
            let staged = stage_clips(&m, files, meta, now, probe)?;
            let mut ids = vec![];
            for (src, clip) in staged {
                let result = copy_clip(feed_dir, &src, &clip.path);
                let (sha256, bytes) = match result {
                    Ok(v) => v,
                    Err(e) => {
                        remove_all(&placed);
                        return Err(e);
                    }
                };
                placed.push(feed_dir.join(&clip.path));
                ids.push(clip.id.clone());
                m.clips.push(Clip {
                    sha256,
                    bytes,
                    ..clip
                });
            }
            if let Err(e) = sync_dir(&feed_dir.join(CLIPS_DIR)) {
                remove_all(&placed);
                return Err(e);
            }
            (ids, vec![])
        }
        Change::Remove { id } => {
            if let Some(p) = remove(&mut m, id)? {
                doomed.push(feed_dir.join(p));
            }
            (vec![], vec![id.clone()])
        }
        Change::Broadcast {
            id,
            title,
            at,
            play,
            priority,
            areas,
        } => {
            let b = broadcast(&m, id, title, *at, play, *priority, areas, now)?;
            m.broadcasts.push(b);
            (vec![id.clone()], vec![])
        }
    };

    if let Err(e) = finish(feed_dir, sk, &mut m, expires, now, &mut placed) {
        remove_all(&placed); // empty once the new signature is in place
        return Err(e);
    }
    if !doomed.is_empty() {
        remove_all(&doomed);
        let _ = sync_dir(&feed_dir.join(CLIPS_DIR));
    }
    Ok(Published {
        sequence: m.sequence,
        added,
        removed,
        manifest: feed_dir.join(MANIFEST_FILE),
    })
}

/// Replace the whole manifest's clips and broadcasts (the hub's publish: it
/// keeps the list in its database and has already put every clip file under
/// `feed_dir`), sign it with `sk` (sequence + 1) and put it in place
/// atomically. Like `publish`, refuses a feed another key signed.
pub fn publish_manifest(
    feed_dir: &Path,
    sk: &SecretKey,
    clips: Vec<Clip>,
    broadcasts: Vec<Broadcast>,
    expires: Duration,
    now: DateTime<FixedOffset>,
) -> Result<Published, PublishError> {
    std::fs::create_dir_all(feed_dir).map_err(io("create the feed folder", feed_dir))?;
    let _lock = lock(feed_dir)?;
    let public_key = sign::public_key_of(sk)?;
    recover(feed_dir, &public_key)?;
    let old = read_current(feed_dir, &public_key)?;
    let mut m = Manifest {
        loa_feed: FORMAT_VERSION,
        sequence: old.map(|m| m.sequence).unwrap_or(0),
        published_at: now,
        expires_at: now,
        clips,
        broadcasts,
    };
    finish(feed_dir, sk, &mut m, expires, now, &mut vec![])?;
    Ok(Published {
        sequence: m.sequence,
        added: vec![],
        removed: vec![],
        manifest: feed_dir.join(MANIFEST_FILE),
    })
}

/// Take the publish lock (held until the returned file is dropped).
fn lock(dir: &Path) -> Result<File, PublishError> {
    let path = dir.join(LOCK_FILE);
    let f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io("open the lock file", &path))?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => Err(PublishError::Locked(dir.to_path_buf())),
        Err(std::fs::TryLockError::Error(e)) => Err(io("lock", &path)(e)),
    }
}

/// Finish or undo a publish that was cut off (crash, power loss) between
/// writing the staged files and renaming them.
fn recover(dir: &Path, public_key: &str) -> Result<(), PublishError> {
    let staged = dir.join(NEW_MANIFEST);
    if let Ok(bytes) = std::fs::read(&staged) {
        let sig = std::fs::read_to_string(dir.join(SIGNATURE_FILE)).unwrap_or_default();
        match sign::verify(&bytes, &sig, public_key) {
            Ok(()) => {
                // The signature was renamed into place, the manifest not yet.
                let target = dir.join(MANIFEST_FILE);
                std::fs::rename(&staged, &target)
                    .map_err(io("finish the cut-off publish of", &target))?;
                sync_dir(dir)?;
            }
            // Another key's feed: leave it for that key (`read_current` refuses).
            Err(SignError::WrongKey { .. }) => return Ok(()),
            Err(_) => {
                std::fs::remove_file(&staged).map_err(io("remove the stale", &staged))?;
            }
        }
    }
    let staged_sig = dir.join(NEW_SIGNATURE);
    if staged_sig.exists() {
        std::fs::remove_file(&staged_sig).map_err(io("remove the stale", &staged_sig))?;
    }
    Ok(())
}

/// The feed's current manifest, verified with this key; `None` for a new feed.
fn read_current(dir: &Path, public_key: &str) -> Result<Option<Manifest>, PublishError> {
    let path = dir.join(MANIFEST_FILE);
    let sig_path = dir.join(SIGNATURE_FILE);
    let damaged = |reason: String| PublishError::DamagedFeed {
        path: path.clone(),
        reason,
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if sig_path.exists() {
                return Err(damaged(format!(
                    "it is missing but {SIGNATURE_FILE} is there"
                )));
            }
            return Ok(None);
        }
        Err(e) => return Err(io("read", &path)(e)),
    };
    let sig = match std::fs::read_to_string(&sig_path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(damaged(format!(
                "it has no signature ({SIGNATURE_FILE} is missing)"
            )))
        }
        Err(e) => return Err(io("read", &sig_path)(e)),
    };
    match sign::verify(&bytes, &sig, public_key) {
        Ok(()) => {}
        Err(reason @ SignError::WrongKey { .. }) => {
            return Err(PublishError::ForeignManifest { path, reason })
        }
        Err(e) => return Err(damaged(e.to_string())),
    }
    let m = Manifest::parse(&bytes).map_err(|e| damaged(e.to_string()))?;
    Ok(Some(m))
}

/// Check the new clips and describe them (sha256 and bytes are filled in by
/// the copy). Nothing is written here.
fn stage_clips(
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

fn check_areas(areas: &[String]) -> Result<Vec<String>, PublishError> {
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
fn copy_clip(dir: &Path, src: &Path, rel: &str) -> Result<(String, u64), PublishError> {
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

/// Withdraw the clip (or else broadcast) `id`; returns the clip file to
/// delete once the manifest is written, if no other clip uses it.
fn remove(m: &mut Manifest, id: &str) -> Result<Option<String>, PublishError> {
    let clip = m.clips.iter().position(|c| c.id == id);
    let bcast = m.broadcasts.iter().position(|b| b.id == id);
    match (clip, bcast) {
        (Some(_), Some(_)) => Err(PublishError::Ambiguous(id.to_string())),
        (None, None) => Err(PublishError::Unknown(id.to_string())),
        (None, Some(i)) => {
            m.broadcasts.remove(i);
            Ok(None)
        }
        (Some(i), None) => {
            if let Some(b) = m.broadcasts.iter().find(|b| b.play.iter().any(|p| p == id)) {
                return Err(PublishError::ClipInUse {
                    id: id.to_string(),
                    broadcast: b.id.clone(),
                });
            }
            let c = m.clips.remove(i);
            let shared = m.clips.iter().any(|o| o.path == c.path);
            Ok((!shared).then_some(c.path))
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn broadcast(
    m: &Manifest,
    id: &str,
    title: &Option<String>,
    at: DateTime<FixedOffset>,
    play: &[String],
    priority: u32,
    areas: &[String],
    now: DateTime<FixedOffset>,
) -> Result<Broadcast, PublishError> {
    check_id(id).map_err(|reason| PublishError::BadValue {
        what: "broadcast id",
        value: id.to_string(),
        reason,
    })?;
    if m.broadcasts.iter().any(|b| b.id == id) {
        return Err(PublishError::DuplicateBroadcast(id.to_string()));
    }
    if m.clips.iter().any(|c| c.id == id) {
        return Err(PublishError::IdTaken {
            id: id.to_string(),
            kind: "clip",
        });
    }
    if play.is_empty() {
        return Err(PublishError::BroadcastEmpty { id: id.to_string() });
    }
    let mut first_title = None;
    for p in play {
        match m.clips.iter().find(|c| &c.id == p) {
            Some(c) => {
                first_title.get_or_insert_with(|| c.title.clone());
            }
            None => {
                return Err(PublishError::BroadcastUnknownClip {
                    broadcast: id.to_string(),
                    clip: p.clone(),
                })
            }
        }
    }
    if at <= now {
        return Err(PublishError::BroadcastInPast {
            id: id.to_string(),
            at,
            now,
        });
    }
    Ok(Broadcast {
        id: id.to_string(),
        title: title
            .clone()
            .or(first_title)
            .unwrap_or_else(|| id.to_string()),
        at,
        play: play.to_vec(),
        priority,
        areas: check_areas(areas)?,
    })
}

/// Bump, check, sign, and put manifest and signature in place.
///
/// Order: both staged and fsynced; the signature renamed first, then the
/// manifest; then the folder fsynced. A station polling `manifest.json`
/// conditionally sees it change only once the matching signature is already
/// there; one that fetches across the two renames gets a mismatched pair,
/// which verification refuses as "bad signature" (never accepts). A crash
/// between the renames is finished by `recover` on the next publish, so from
/// the first rename on, the new clips (`placed`) must stay: it is emptied.
fn finish(
    dir: &Path,
    sk: &SecretKey,
    m: &mut Manifest,
    expires: Duration,
    now: DateTime<FixedOffset>,
    placed: &mut Vec<PathBuf>,
) -> Result<(), PublishError> {
    let expires = chrono::Duration::from_std(expires).map_err(|_| PublishError::BadValue {
        what: "--expires",
        value: format!("{expires:?}"),
        reason: "too long".into(),
    })?;
    m.sequence = m
        .sequence
        .checked_add(1)
        .ok_or_else(|| PublishError::DamagedFeed {
            path: dir.join(MANIFEST_FILE),
            reason: "its sequence number is at the maximum".into(),
        })?;
    m.published_at = now;
    m.expires_at = now
        .checked_add_signed(expires)
        .ok_or_else(|| PublishError::BadValue {
            what: "--expires",
            value: format!("{expires}"),
            reason: "too long".into(),
        })?;
    m.check()?;
    let bytes = m.to_bytes();
    Manifest::parse(&bytes)?; // the size cap and exactly what stations will see
    let comment = format!(
        "timestamp:{}\tfile:{MANIFEST_FILE}\tsequence:{}",
        now.timestamp(),
        m.sequence
    );
    let sig = sign::sign(&bytes, sk, &comment)?;

    let new_sig = dir.join(NEW_SIGNATURE);
    let new_manifest = dir.join(NEW_MANIFEST);
    let sig_target = dir.join(SIGNATURE_FILE);
    let staged = write_synced(&new_sig, sig.as_bytes())
        .and_then(|()| write_synced(&new_manifest, &bytes))
        .and_then(|()| {
            std::fs::rename(&new_sig, &sig_target).map_err(io("put in place", &sig_target))
        });
    if let Err(e) = staged {
        let _ = std::fs::remove_file(&new_sig);
        let _ = std::fs::remove_file(&new_manifest);
        return Err(e);
    }
    placed.clear();
    let target = dir.join(MANIFEST_FILE);
    // If this fails, the staged manifest stays for `recover` to finish.
    std::fs::rename(&new_manifest, &target).map_err(io("put in place", &target))?;
    sync_dir(dir)
}

fn write_synced(path: &Path, data: &[u8]) -> Result<(), PublishError> {
    let mut f = File::create(path).map_err(io("create", path))?;
    f.write_all(data)
        .and_then(|()| f.sync_all())
        .map_err(io("write", path))
}

fn sync_dir(dir: &Path) -> Result<(), PublishError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io("sync the folder", dir))
}

fn remove_all(paths: &[PathBuf]) {
    for p in paths {
        if let Err(e) = std::fs::remove_file(p) {
            tracing::warn!("could not remove {}: {e}", p.display());
        }
    }
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

#[cfg(test)]
#[path = "publish_tests.rs"]
mod tests;
