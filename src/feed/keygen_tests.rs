use super::*;
use crate::feed::sign::{load_secret_key, sign, verify};
use std::os::unix::fs::PermissionsExt;

#[test]
fn unencrypted_keygen_writes_minisign_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("keys");
    let k = keygen(&out, true, None).unwrap();
    assert_eq!(k.secret_key, out.join("minisign.key"));
    assert_eq!(k.public_key_file, out.join("minisign.pub"));
    let mode = std::fs::metadata(&k.secret_key)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let dir_mode = std::fs::metadata(&out).unwrap().permissions().mode();
    assert_eq!(dir_mode & 0o077, 0, "a new key folder is private");
    let pub_text = std::fs::read_to_string(&k.public_key_file).unwrap();
    let lines: Vec<&str> = pub_text.lines().collect();
    assert!(lines[0].starts_with("untrusted comment: minisign public key"));
    assert_eq!(lines[1], k.public_key);
    assert!(k.public_key.starts_with("RW"));

    let sk = load_secret_key(&k.secret_key, None).unwrap();
    let sig = sign(b"doc", &sk, "c").unwrap();
    verify(b"doc", &sig, &k.public_key).unwrap();
    verify(b"doc", &sig, &pub_text).unwrap();
}

#[test]
fn keygen_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let k = keygen(dir.path(), true, None).unwrap();
    let before = std::fs::read(&k.secret_key).unwrap();
    let e = keygen(dir.path(), true, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{} already exists: keygen never overwrites a key; move it away or choose another --out folder",
            k.secret_key.display()
        )
    );
    assert_eq!(std::fs::read(&k.secret_key).unwrap(), before);
    // A lone public key blocks too, and nothing is written.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("minisign.pub"), "x").unwrap();
    assert!(matches!(
        keygen(other.path(), true, None),
        Err(SignError::KeyExists { .. })
    ));
    assert!(!other.path().join("minisign.key").exists());
}

#[test]
fn encrypted_keygen_needs_the_password_to_sign() {
    let dir = tempfile::tempdir().unwrap();
    let k = keygen(dir.path(), false, Some("hunter2".into())).unwrap();
    let mode = std::fs::metadata(&k.secret_key)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let sk = load_secret_key(&k.secret_key, Some("hunter2".into())).unwrap();
    verify(b"x", &sign(b"x", &sk, "c").unwrap(), &k.public_key).unwrap();
    let e = load_secret_key(&k.secret_key, Some("hunter3".into())).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "wrong password for {} (or the key file is damaged)",
            k.secret_key.display()
        )
    );
}

#[test]
fn an_empty_password_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let e = keygen(dir.path(), false, Some(String::new())).unwrap_err();
    assert!(e.to_string().contains("use --unencrypted"), "{e}");
    assert!(!dir.path().join("minisign.key").exists());
}
