use super::*;
use minisign::KeyPair;

fn pair() -> (SecretKey, String) {
    let kp = KeyPair::generate_unencrypted_keypair().unwrap();
    (kp.sk, kp.pk.to_base64())
}

const DOC: &[u8] = b"{ \"loa_feed\": 1 }\n";

fn minisign_cli() -> bool {
    let ok = std::process::Command::new("minisign")
        .arg("-v")
        .output()
        .is_ok();
    if !ok {
        eprintln!("minisign command not installed: skipping the interoperability check");
    }
    ok
}

#[test]
fn sign_then_verify_round_trip() {
    let (sk, pk) = pair();
    let sig = sign(DOC, &sk, "timestamp:1\tfile:manifest.json").unwrap();
    let lines: Vec<&str> = sig.lines().collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[0],
        "untrusted comment: signature from minisign secret key"
    );
    assert!(lines[1].starts_with("RU"), "prehashed ED: {}", lines[1]);
    assert_eq!(lines[2], "trusted comment: timestamp:1\tfile:manifest.json");
    verify(DOC, &sig, &pk).unwrap();
    // A whole minisign.pub text works as well.
    let pub_text = minisign::PublicKey::from_base64(&pk)
        .unwrap()
        .to_box()
        .unwrap()
        .into_string();
    verify(DOC, &sig, &pub_text).unwrap();
    assert_eq!(public_key_of(&sk).unwrap(), pk);
}

#[test]
fn another_key_is_refused_with_its_own_reason() {
    let (sk, _) = pair();
    let (_, other_pk) = pair();
    let sig = sign(DOC, &sk, "c").unwrap();
    let e = verify(DOC, &sig, &other_pk).unwrap_err();
    let signed_by = key_id_hex(&b64_decode(&public_key_of(&sk).unwrap()).unwrap()[2..10]);
    let expected = key_id_hex(&b64_decode(&other_pk).unwrap()[2..10]);
    assert_eq!(
        e.to_string(),
        format!("not signed by the configured key: the signature was made by key {signed_by}, the configured public key is {expected}")
    );
    assert!(matches!(e, SignError::WrongKey { .. }));
}

#[test]
fn tampering_is_a_bad_signature() {
    let (sk, pk) = pair();
    let sig = sign(DOC, &sk, "c").unwrap();
    let e = verify(b"{ \"loa_feed\": 2 }\n", &sig, &pk).unwrap_err();
    assert!(matches!(e, SignError::BadSignature), "{e}");
    assert!(e.to_string().starts_with("bad signature"));
    // The trusted comment is covered too.
    let forged = sig.replace("trusted comment: c", "trusted comment: d");
    assert!(matches!(
        verify(DOC, &forged, &pk),
        Err(SignError::BadSignature)
    ));
}

#[test]
fn malformed_inputs_say_which() {
    let (sk, pk) = pair();
    let sig = sign(DOC, &sk, "c").unwrap();
    let e = verify(DOC, "not a signature", &pk).unwrap_err();
    assert!(matches!(e, SignError::MalformedSignature(_)), "{e}");
    assert!(e.to_string().starts_with("malformed signature"));
    let e = verify(DOC, &sig, "RWQnotakey").unwrap_err();
    assert!(matches!(e, SignError::MalformedPublicKey(_)), "{e}");
    assert!(e.to_string().starts_with("malformed public key"));
    assert!(matches!(
        verify(DOC, &sig, ""),
        Err(SignError::MalformedPublicKey(_))
    ));
    assert!(matches!(
        sign(DOC, &sk, "two\nlines"),
        Err(SignError::Sign(_))
    ));
}

#[test]
fn base64_decoder_matches_known_vectors() {
    assert_eq!(b64_decode("RWQAAEIy").unwrap(), b"Ed\0\0B2");
    assert_eq!(b64_decode("RWRTY0Iy").unwrap(), b"EdScB2");
    assert_eq!(b64_decode("aGk=").unwrap(), b"hi");
    assert_eq!(b64_decode("a*"), None);
}

#[test]
fn password_sources_in_order() {
    let s = |v: &str| Some(v.to_string());
    assert_eq!(resolve_password(s("a"), s("b"), true), Some(s("a")));
    assert_eq!(resolve_password(None, s("b"), false), Some(s("b")));
    assert_eq!(resolve_password(None, None, true), Some(None));
    assert_eq!(resolve_password(None, None, false), None);
}

fn write_key(dir: &Path, name: &str, sk: &SecretKey) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, sk.to_box(None).unwrap().to_bytes()).unwrap();
    p
}

#[test]
fn encrypted_keys_need_the_right_password() {
    let dir = tempfile::tempdir().unwrap();
    let kp = KeyPair::generate_encrypted_keypair(Some("secret".into())).unwrap();
    let path = write_key(dir.path(), "enc.key", &kp.sk);
    let sk = load_secret_key(&path, Some("secret".into())).unwrap();
    let sig = sign(DOC, &sk, "c").unwrap();
    verify(DOC, &sig, &kp.pk.to_base64()).unwrap();
    let e = load_secret_key(&path, Some("wrong".into())).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "wrong password for {} (or the key file is damaged)",
            path.display()
        )
    );
}

#[test]
fn unencrypted_and_broken_key_files() {
    let dir = tempfile::tempdir().unwrap();
    let (sk, pk) = pair();
    let path = write_key(dir.path(), "plain.key", &sk);
    // No password needed, none asked.
    let loaded = load_secret_key(&path, None).unwrap();
    assert_eq!(public_key_of(&loaded).unwrap(), pk);

    let junk = dir.path().join("junk.key");
    std::fs::write(&junk, "untrusted comment: x\n!!!\n").unwrap();
    let e = load_secret_key(&junk, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{} is not a usable minisign secret key: the key line is not base64",
            junk.display()
        )
    );
    let missing = dir.path().join("missing.key");
    let e = load_secret_key(&missing, None).unwrap_err();
    assert!(matches!(e, SignError::ReadKey { .. }), "{e}");
    assert!(e
        .to_string()
        .starts_with(&format!("cannot read key {}", missing.display())));
}

/// Run the `minisign` command in `dir` with `stdin`; asserts success.
fn minisign(dir: &Path, args: &[&str], stdin: &str) {
    use std::io::Write;
    let mut c = std::process::Command::new("minisign")
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    assert!(c.wait().unwrap().success(), "minisign {args:?}");
}

#[test]
fn minisign_cli_keys_and_signatures_interoperate() {
    if !minisign_cli() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // An unencrypted key from `minisign -G -W` (its checksum is left zero).
    minisign(d, &["-G", "-W", "-p", "u.pub", "-s", "u.key"], "");
    let pub_text = std::fs::read_to_string(d.join("u.pub")).unwrap();
    std::fs::write(d.join("m.json"), DOC).unwrap();
    minisign(d, &["-S", "-s", "u.key", "-m", "m.json"], "");
    let sig = std::fs::read_to_string(d.join("m.json.minisig")).unwrap();
    verify(DOC, &sig, &pub_text).unwrap();
    assert!(matches!(
        verify(b"other", &sig, &pub_text),
        Err(SignError::BadSignature)
    ));
    let sk = load_secret_key(&d.join("u.key"), None).unwrap();
    assert_eq!(
        public_key_of(&sk).unwrap(),
        pub_text.lines().nth(1).unwrap()
    );
    let ours = sign(DOC, &sk, "c").unwrap();
    std::fs::write(d.join("m.json.minisig"), ours).unwrap();
    minisign(d, &["-Vm", "m.json", "-p", "u.pub"], "");
    // A damaged key of that kind is refused, not used.
    let text = std::fs::read_to_string(d.join("u.key")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut raw = b64_decode(&lines[1]).unwrap();
    raw[70] ^= 1; // inside the secret seed (bytes 62..94)
    lines[1] = b64_encode(&raw);
    std::fs::write(d.join("bad.key"), lines.join("\n")).unwrap();
    let e = load_secret_key(&d.join("bad.key"), None).unwrap_err();
    assert!(
        e.to_string().ends_with("its key material is damaged"),
        "{e}"
    );
}

/// Encrypted keys from the C tool use scrypt at 1 GiB: slow, so opt-in.
#[test]
#[ignore = "slow (minisign's scrypt at 1 GiB): cargo test -- --ignored"]
fn minisign_cli_encrypted_keys_load() {
    if !minisign_cli() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    minisign(d, &["-G", "-p", "e.pub", "-s", "e.key"], "pw\npw\n");
    let pub_text = std::fs::read_to_string(d.join("e.pub")).unwrap();
    let sk = load_secret_key(&d.join("e.key"), Some("pw".into())).unwrap();
    assert_eq!(
        public_key_of(&sk).unwrap(),
        pub_text.lines().nth(1).unwrap()
    );
    assert!(matches!(
        load_secret_key(&d.join("e.key"), Some("nope".into())),
        Err(SignError::WrongPassword { .. })
    ));
}

fn b64_encode(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for ch in bytes.chunks(3) {
        let n = (u32::from(ch[0]) << 16)
            | (u32::from(*ch.get(1).unwrap_or(&0)) << 8)
            | u32::from(*ch.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= ch.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn base64_round_trip() {
    for v in [&b""[..], b"h", b"hi", b"hi!", b"Ed\0\0B2\xff"] {
        assert_eq!(b64_decode(&b64_encode(v)).unwrap(), v);
    }
}
