//! The feed folder: the publish lock, a publish cut off between its renames,
//! the real `minisign` verifying the result, clip ids from file names.

use super::*;

#[test]
fn a_second_publisher_is_locked_out() {
    let src = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let (sk, _) = key();
    let held = File::create(feed.path().join(LOCK_FILE)).unwrap();
    held.lock().unwrap();
    let e = run(
        feed.path(),
        &sk,
        &add(vec![wav(src.path(), "a.wav", 800)], meta("t")),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "another `loa publish` is working on {}: wait for it to finish, then try again",
            feed.path().display()
        )
    );
    drop(held);
    run(
        feed.path(),
        &sk,
        &add(vec![wav(src.path(), "a.wav", 800)], meta("t")),
    )
    .unwrap();
}

#[test]
fn a_publish_cut_off_between_the_renames_is_finished() {
    let src = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let (sk, pk) = key();
    run(
        feed.path(),
        &sk,
        &add(vec![wav(src.path(), "a.wav", 800)], meta("t")),
    )
    .unwrap();
    // Sequence 2 got its signature in place, then the power went.
    let mut m = current(feed.path(), &pk);
    m.sequence = 2;
    m.clips[0].title = "renamed".into();
    let bytes = m.to_bytes();
    let sig = sign::sign(&bytes, &sk, "c").unwrap();
    std::fs::write(feed.path().join(SIGNATURE_FILE), sig).unwrap();
    std::fs::write(feed.path().join(NEW_MANIFEST), &bytes).unwrap();
    // Another key does not touch it...
    let (other, _) = key();
    let e = run(feed.path(), &other, &Change::Remove { id: "a".into() }).unwrap_err();
    assert!(matches!(e, PublishError::ForeignManifest { .. }), "{e}");
    assert!(feed.path().join(NEW_MANIFEST).exists());
    // ...the right key finishes it, then publishes on top.
    let p = run(
        feed.path(),
        &sk,
        &add(vec![wav(src.path(), "b.wav", 800)], meta("t")),
    )
    .unwrap();
    assert_eq!(p.sequence, 3);
    let m = current(feed.path(), &pk);
    assert_eq!(m.clips[0].title, "renamed");
    assert_eq!(m.clips.len(), 2);
    assert!(!feed.path().join(NEW_MANIFEST).exists());

    // Cut off before the signature moved: the stale staged files are dropped.
    std::fs::write(feed.path().join(NEW_MANIFEST), b"{}").unwrap();
    std::fs::write(feed.path().join(NEW_SIGNATURE), b"x").unwrap();
    let p = run(feed.path(), &sk, &Change::Remove { id: "b".into() }).unwrap();
    assert_eq!(p.sequence, 4);
    assert!(!feed.path().join(NEW_MANIFEST).exists());
    assert!(!feed.path().join(NEW_SIGNATURE).exists());
}

#[test]
fn minisign_verifies_a_published_manifest() {
    if std::process::Command::new("minisign")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("minisign command not installed: skipping the interoperability check");
        return;
    }
    let src = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let (sk, pk) = key();
    assert_eq!(public_key_of(&sk).unwrap(), pk);
    run(
        feed.path(),
        &sk,
        &add(vec![wav(src.path(), "a.wav", 800)], meta("t")),
    )
    .unwrap();
    let out = std::process::Command::new("minisign")
        .args(["-Vm", "manifest.json", "-P", &pk])
        .current_dir(feed.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Signature and comment signature verified"),
        "{stdout}"
    );
    assert!(
        stdout.contains("file:manifest.json\tsequence:1"),
        "{stdout}"
    );
    // And refuses a tampered one.
    let mpath = feed.path().join(MANIFEST_FILE);
    let mut bytes = std::fs::read(&mpath).unwrap();
    bytes.push(b' ');
    std::fs::write(&mpath, bytes).unwrap();
    let out = std::process::Command::new("minisign")
        .args(["-Vm", "manifest.json", "-P", &pk])
        .current_dir(feed.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn slugs_fold_vietnamese() {
    assert_eq!(slug("Thông báo số 1"), "thong-bao-so-1");
    assert_eq!(slug("Đường ĐI  qua__Phố"), "duong-di-qua-pho");
    assert_eq!(slug("Cải cách hành chính"), "cai-cach-hanh-chinh");
    assert_eq!(slug("Tiếng Việt: ỷ ữ ợ ặ"), "tieng-viet-y-u-o-a");
    // Decomposed (NFD) text: combining marks dropped.
    assert_eq!(slug("Tho\u{302}ng ba\u{301}o"), "thong-bao");
    assert_eq!(slug("--x--"), "x");
    assert_eq!(slug("!!!"), "");
    assert_eq!(slug(&"a".repeat(150)).len(), 100);
}
