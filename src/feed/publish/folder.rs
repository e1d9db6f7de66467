//! The feed folder's files: the publish lock, recovery of a publish cut off
//! by a crash, reading the current manifest (verified with the publishing
//! key), and putting a new signed manifest in place atomically.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use minisign::SecretKey;

use super::error::{io, PublishError};
use super::{LOCK_FILE, MANIFEST_FILE, NEW_MANIFEST, NEW_SIGNATURE, SIGNATURE_FILE};
use crate::feed::manifest::Manifest;
use crate::feed::sign::{self, SignError};

/// Take the publish lock (held until the returned file is dropped).
pub(super) fn lock(dir: &Path) -> Result<File, PublishError> {
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
pub(super) fn recover(dir: &Path, public_key: &str) -> Result<(), PublishError> {
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
pub(super) fn read_current(dir: &Path, public_key: &str) -> Result<Option<Manifest>, PublishError> {
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

/// Bump, check, sign, and put manifest and signature in place.
///
/// Order: both staged and fsynced; the signature renamed first, then the
/// manifest; then the folder fsynced. A station polling `manifest.json`
/// conditionally sees it change only once the matching signature is already
/// there; one that fetches across the two renames gets a mismatched pair,
/// which verification refuses as "bad signature" (never accepts). A crash
/// between the renames is finished by `recover` on the next publish, so from
/// the first rename on, the new clips (`placed`) must stay: it is emptied.
pub(super) fn finish(
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

pub(super) fn write_synced(path: &Path, data: &[u8]) -> Result<(), PublishError> {
    let mut f = File::create(path).map_err(io("create", path))?;
    f.write_all(data)
        .and_then(|()| f.sync_all())
        .map_err(io("write", path))
}

pub(super) fn sync_dir(dir: &Path) -> Result<(), PublishError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io("sync the folder", dir))
}

pub(super) fn remove_all(paths: &[PathBuf]) {
    for p in paths {
        if let Err(e) = std::fs::remove_file(p) {
            tracing::warn!("could not remove {}: {e}", p.display());
        }
    }
}
