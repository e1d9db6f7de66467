//! Minisign signatures for the feed: verifying a manifest against the
//! configured public key (station and publisher), signing one (publisher),
//! and loading a secret key, asking for its password when it has one.
//!
//! Knows nothing of the manifest's content, HTTP or the store; never writes a
//! file. Signatures are standard minisign (prehashed Ed25519), so that
//! `minisign -Vm manifest.json -P KEY` verifies what `sign` makes.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use minisign::{PublicKey, SecretKey, SecretKeyBox};

/// Environment variable holding the secret key's password (for automation).
pub const PASSWORD_ENV: &str = "LOA_KEY_PASSWORD";
/// The untrusted comment of signatures we make (what `minisign -S` writes).
pub const SIGNATURE_COMMENT: &str = "signature from minisign secret key";

/// Why a signature, key or password was refused.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("not signed by the configured key: the signature was made by key {signed_by}, the configured public key is {expected}")]
    WrongKey { signed_by: String, expected: String },
    #[error("bad signature: the manifest does not match its signature (damaged, tampered with, or fetched while being republished)")]
    BadSignature,
    #[error("malformed signature: {0}")]
    MalformedSignature(String),
    #[error("malformed public key: {0} (expected the `RW...` line of minisign.pub)")]
    MalformedPublicKey(String),
    #[error("cannot read key {path}: {source}")]
    ReadKey {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a usable minisign secret key: {reason}")]
    MalformedSecretKey { path: PathBuf, reason: String },
    #[error("wrong password for {path} (or the key file is damaged)")]
    WrongPassword { path: PathBuf },
    #[error("{path} is password-protected: set {PASSWORD_ENV} or run on a terminal to be asked for the password")]
    PasswordNeeded { path: PathBuf },
    #[error("cannot sign: {0}")]
    Sign(String),
    #[error("{path} already exists: keygen never overwrites a key; move it away or choose another --out folder")]
    KeyExists { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    WriteKey {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot make a key pair: {0}")]
    Keygen(String),
}

/// Verify `manifest_bytes` against a minisign signature file's text.
///
/// `public_key_b64` is the `RW...` line of minisign.pub, or the whole file.
/// Legacy (non-prehashed) signatures are refused as malformed.
pub fn verify(
    manifest_bytes: &[u8],
    signature_text: &str,
    public_key_b64: &str,
) -> Result<(), SignError> {
    let pk = parse_public_key(public_key_b64)?;
    let sig = minisign_verify::Signature::decode(signature_text)
        .map_err(|e| SignError::MalformedSignature(e.to_string()))?;
    match pk.verify(manifest_bytes, &sig, false) {
        Ok(()) => Ok(()),
        Err(minisign_verify::Error::UnexpectedKeyId) => Err(SignError::WrongKey {
            signed_by: signature_key_id(signature_text).unwrap_or_else(|| "?".into()),
            expected: public_key_id(public_key_b64).unwrap_or_else(|| "?".into()),
        }),
        Err(minisign_verify::Error::UnexpectedAlgorithm) => Err(SignError::MalformedSignature(
            "legacy (non-prehashed) minisign signatures are not accepted: sign with a current minisign or loa".into(),
        )),
        Err(minisign_verify::Error::InvalidSignature) => Err(SignError::BadSignature),
        Err(e) => Err(SignError::MalformedSignature(e.to_string())),
    }
}

/// The `RW...` key string, from either that string or a whole minisign.pub.
fn key_line(public_key: &str) -> &str {
    let t = public_key.trim();
    if t.starts_with("untrusted comment:") {
        t.lines().nth(1).unwrap_or("").trim()
    } else {
        t
    }
}

fn parse_public_key(public_key: &str) -> Result<minisign_verify::PublicKey, SignError> {
    let line = key_line(public_key);
    if line.is_empty() {
        return Err(SignError::MalformedPublicKey("it is empty".into()));
    }
    minisign_verify::PublicKey::from_base64(line)
        .map_err(|e| SignError::MalformedPublicKey(format!("`{line}`: {e}")))
}

/// Sign `manifest_bytes`; returns the `.minisig` text (4 lines).
///
/// `trusted_comment` is signed too (minisign shows it on verification); it
/// must be one line.
pub fn sign(
    manifest_bytes: &[u8],
    sk: &SecretKey,
    trusted_comment: &str,
) -> Result<String, SignError> {
    if trusted_comment.contains(['\n', '\r']) {
        return Err(SignError::Sign(
            "the trusted comment must be a single line".into(),
        ));
    }
    if sk.is_encrypted() {
        return Err(SignError::Sign(
            "the secret key is still encrypted: load it with its password first".into(),
        ));
    }
    let pk = PublicKey::from_secret_key(sk).map_err(|e| SignError::Sign(e.to_string()))?;
    let sig = minisign::sign(
        Some(&pk),
        sk,
        Cursor::new(manifest_bytes),
        Some(trusted_comment),
        Some(SIGNATURE_COMMENT),
    )
    .map_err(|e| SignError::Sign(e.to_string()))?;
    Ok(sig.into_string())
}

/// The public key (`RW...` string) of a secret key.
pub fn public_key_of(sk: &SecretKey) -> Result<String, SignError> {
    PublicKey::from_secret_key(sk)
        .map(|pk| pk.to_base64())
        .map_err(|e| SignError::Sign(e.to_string()))
}

/// Load a minisign secret key file (minisign's own format, encrypted or not).
///
/// An encrypted key needs a password: `password` if given, else
/// `LOA_KEY_PASSWORD`, else asked on the terminal; with none of these, a
/// clear error.
pub fn load_secret_key(path: &Path, password: Option<String>) -> Result<SecretKey, SignError> {
    let text = std::fs::read_to_string(path).map_err(|source| SignError::ReadKey {
        path: path.to_path_buf(),
        source,
    })?;
    let malformed = |reason: &str| SignError::MalformedSecretKey {
        path: path.to_path_buf(),
        reason: reason.into(),
    };
    let line = text
        .lines()
        .nth(1)
        .ok_or_else(|| malformed("expected two lines (a comment, then the key)"))?;
    let raw = b64_decode(line.trim()).ok_or_else(|| malformed("the key line is not base64"))?;
    if raw.len() < 4 || &raw[0..2] != b"Ed" {
        return Err(malformed("not an Ed25519 minisign key"));
    }
    let sk_box = SecretKeyBox::from_string(&text).map_err(|e| malformed(&e.to_string()))?;
    match &raw[2..4] {
        [0, 0] if raw.len() == 158 && raw[126..].iter().all(|&b| b == 0) => {
            // `minisign -G -W` (the C tool) leaves the checksum of an
            // unencrypted key zero, which the crate calls corrupted: check
            // the key instead by signing with it against its own public key.
            let sk = SecretKey::from_bytes(&raw).map_err(|e| malformed(&e.to_string()))?;
            sign(b"loa key check", &sk, "key check")
                .map_err(|_| malformed("its key material is damaged"))?;
            Ok(sk)
        }
        [0, 0] => SecretKey::from_unencrypted_box(sk_box).map_err(|e| malformed(&e.to_string())),
        b"Sc" => {
            let password = resolve_password(
                password,
                std::env::var(PASSWORD_ENV).ok(),
                terminal_available(),
            )
            .ok_or_else(|| SignError::PasswordNeeded {
                path: path.to_path_buf(),
            })?;
            // `None` makes minisign ask on the terminal.
            SecretKey::from_box(sk_box, password).map_err(|e| match e.kind() {
                minisign::ErrorKind::Verify => SignError::WrongPassword {
                    path: path.to_path_buf(),
                },
                _ => malformed(&e.to_string()),
            })
        }
        _ => Err(malformed("unsupported key encryption")),
    }
}

/// Where a password comes from: `Some(Some(p))` = use `p`, `Some(None)` =
/// ask on the terminal, `None` = no way to get one.
pub(crate) fn resolve_password(
    given: Option<String>,
    env: Option<String>,
    terminal: bool,
) -> Option<Option<String>> {
    match given.or(env) {
        Some(p) => Some(Some(p)),
        None if terminal => Some(None),
        None => None,
    }
}

/// Whether minisign's prompt (which reads `/dev/tty`) can ask the operator.
pub(crate) fn terminal_available() -> bool {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .is_ok()
}

/// Key id as minisign prints it (`{:016X}` of the little-endian u64).
fn key_id_hex(id: &[u8]) -> String {
    let mut b = [0u8; 8];
    b.copy_from_slice(&id[..8]);
    format!("{:016X}", u64::from_le_bytes(b))
}

fn signature_key_id(signature_text: &str) -> Option<String> {
    let raw = b64_decode(signature_text.lines().nth(1)?.trim())?;
    (raw.len() >= 10).then(|| key_id_hex(&raw[2..10]))
}

fn public_key_id(public_key: &str) -> Option<String> {
    let raw = b64_decode(key_line(public_key))?;
    (raw.len() >= 10).then(|| key_id_hex(&raw[2..10]))
}

/// Standard base64 with padding (what minisign writes); `None` if invalid.
fn b64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
#[path = "sign_tests.rs"]
mod tests;
