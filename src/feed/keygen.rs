//! `loa keygen`: make a feed signing key pair in minisign's own formats and
//! file names (`minisign.key`, created 0600, and `minisign.pub`).
//!
//! Never overwrites an existing file and never leaves the secret key readable
//! by others, even for an instant. Knows nothing of manifests.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use minisign::KeyPair;

use super::sign::{resolve_password, terminal_available, SignError, PASSWORD_ENV};

/// File name of the secret key, as minisign names it.
pub const SECRET_KEY_FILE: &str = "minisign.key";
/// File name of the public key, as minisign names it.
pub const PUBLIC_KEY_FILE: &str = "minisign.pub";

/// What `keygen` wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyPaths {
    /// `DIR/minisign.key` (mode 0600).
    pub secret_key: PathBuf,
    /// `DIR/minisign.pub`.
    pub public_key_file: PathBuf,
    /// The `RW...` string (second line of minisign.pub): the station's
    /// `public_key` value.
    pub public_key: String,
}

/// Make a key pair in `out_dir` (created 0700 if missing).
///
/// Password-protected unless `unencrypted`: the password is `password`, else
/// `LOA_KEY_PASSWORD`, else asked twice on the terminal.
pub fn keygen(
    out_dir: &Path,
    unencrypted: bool,
    password: Option<String>,
) -> Result<KeyPaths, SignError> {
    let secret_key = out_dir.join(SECRET_KEY_FILE);
    let public_key_file = out_dir.join(PUBLIC_KEY_FILE);
    if !out_dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(out_dir)
            .map_err(|source| SignError::WriteKey {
                path: out_dir.to_path_buf(),
                source,
            })?;
    }
    // Before any prompt, so nobody types a password for nothing.
    for p in [&secret_key, &public_key_file] {
        if p.symlink_metadata().is_ok() {
            return Err(SignError::KeyExists { path: p.clone() });
        }
    }
    let gen_err = |e: minisign::PError| SignError::Keygen(e.to_string());
    let (kp, comment) = if unencrypted {
        (
            KeyPair::generate_unencrypted_keypair().map_err(gen_err)?,
            "minisign unencrypted secret key",
        )
    } else {
        let password = resolve_password(
            password,
            std::env::var(PASSWORD_ENV).ok(),
            terminal_available(),
        )
        .ok_or_else(|| {
            SignError::Keygen(format!(
                "a password is needed to protect the key: set {PASSWORD_ENV}, run on a terminal to be asked, or use --unencrypted"
            ))
        })?;
        if password.as_deref() == Some("") {
            return Err(SignError::Keygen(
                "the password is empty: give one, or use --unencrypted for a key without a password".into(),
            ));
        }
        // `None` makes minisign ask twice on the terminal.
        (
            KeyPair::generate_encrypted_keypair(password).map_err(gen_err)?,
            "minisign encrypted secret key",
        )
    };
    let sk_text = kp.sk.to_box(Some(comment)).map_err(gen_err)?.into_string();
    let pk_text = kp.pk.to_box().map_err(gen_err)?.into_string();

    write_new(&secret_key, sk_text.as_bytes(), 0o600)?;
    if let Err(e) = write_new(&public_key_file, pk_text.as_bytes(), 0o644) {
        let _ = std::fs::remove_file(&secret_key);
        return Err(e);
    }
    if let Ok(d) = std::fs::File::open(out_dir) {
        let _ = d.sync_all();
    }
    Ok(KeyPaths {
        secret_key,
        public_key_file,
        public_key: kp.pk.to_base64(),
    })
}

/// Create `path` (never replacing anything) with `mode` from the start,
/// write and fsync it; on failure, remove what was created.
fn write_new(path: &Path, data: &[u8], mode: u32) -> Result<(), SignError> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => SignError::KeyExists {
                path: path.to_path_buf(),
            },
            _ => SignError::WriteKey {
                path: path.to_path_buf(),
                source,
            },
        })?;
    f.write_all(data)
        .and_then(|()| f.sync_all())
        .map_err(|source| {
            let _ = std::fs::remove_file(path);
            SignError::WriteKey {
                path: path.to_path_buf(),
                source,
            }
        })
}

#[cfg(test)]
#[path = "keygen_tests.rs"]
mod tests;
