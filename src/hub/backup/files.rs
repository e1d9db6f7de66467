//! File work for backup and restore: a folder that must be new or empty,
//! copies that are fsynced and hashed, the clips folder, external tools
//! (`pg_dump`, `pg_restore`) with their errors passed on.

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::{fail, shown};
use crate::hub::error::HubResult;

/// `dir` must not exist or be empty.
pub fn fresh_folder(dir: &Path, what: &str) -> HubResult<()> {
    match std::fs::read_dir(dir) {
        Ok(mut rd) => {
            if rd.next().is_some() {
                return Err(fail(
                    format!(
                        "{what} {} không trống: không ghi đè; chọn một thư mục mới",
                        shown(dir).display()
                    ),
                    format!(
                        "{what} {} is not empty: nothing is overwritten; choose a new folder",
                        shown(dir).display()
                    ),
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(fail(
            format!("không đọc được {}: {e}", shown(dir).display()),
            format!("cannot read {}: {e}", shown(dir).display()),
        )),
    }
}

pub fn private(p: &Path, mode: u32) -> HubResult<()> {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

pub fn sync_dir(dir: &Path) -> HubResult<()> {
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// Copy `src` to `dst` (fsynced); returns the sha256 of what was copied.
pub fn copy_synced(src: &Path, dst: &Path) -> HubResult<String> {
    let mut input = std::fs::File::open(src).map_err(|e| {
        fail(
            format!("không đọc được {}: {e}", src.display()),
            format!("cannot read {}: {e}", src.display()),
        )
    })?;
    let mut out = std::fs::File::create(dst)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = input.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        out.write_all(&buf[..n])?;
    }
    out.sync_all()?;
    Ok(hex::encode(h.finalize()))
}

/// The file's SHA-256 (the feed store's reader, streamed).
pub fn sha256_file(p: &Path) -> HubResult<String> {
    Ok(crate::feed::store::sha256_file(p)?)
}

/// Copy the stored uploads (`SHA.ext`, skipping half-written `.name`s); a
/// file whose content does not match its name is refused. Returns how many.
pub fn copy_clips(from: &Path, to: &Path) -> HubResult<u64> {
    std::fs::create_dir_all(to)?;
    let mut n = 0;
    let rd = match std::fs::read_dir(from) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some((sha, _)) = crate::hub::store::blobs::valid_name(&name) else {
            continue;
        };
        let target = to.join(&name);
        let got = copy_synced(&e.path(), &target)?;
        if got != sha {
            let _ = std::fs::remove_file(&target);
            return Err(fail(
                format!("tệp {} hỏng (mã băm {got})", e.path().display()),
                format!(
                    "{} is damaged (its content hashes to {got}): restore it from an older backup",
                    e.path().display()
                ),
            ));
        }
        n += 1;
    }
    sync_dir(to)?;
    Ok(n)
}

/// Run a PostgreSQL client tool; its stderr becomes the error.
pub fn run(tool: &str, args: &[&str]) -> HubResult<()> {
    let out = std::process::Command::new(tool)
        .args(args)
        .output()
        .map_err(|e| {
            fail(
                format!("không chạy được {tool}: {e}; cài gói postgresql-client"),
                format!("cannot run {tool}: {e}; install postgresql-client (apt-get install postgresql-client)"),
            )
        })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let err = err.trim();
        return Err(fail(
            format!("{tool} thất bại: {err}"),
            format!("{tool} failed: {err}"),
        ));
    }
    Ok(())
}
