//! Refusals that leave the feed as it was: another key's feed, a damaged
//! feed, unplayable or missing files, bad arguments.

use super::*;

#[test]
fn a_feed_signed_by_another_key_is_refused() {
    let src = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let (theirs, _) = key();
    let (ours, _) = key();
    let f = wav(src.path(), "a.wav", 800);
    run(feed.path(), &theirs, &add(vec![f], meta("t"))).unwrap();
    let before = snapshot(feed.path());
    let g = wav(src.path(), "b.wav", 800);
    let e = run(feed.path(), &ours, &add(vec![g], meta("t"))).unwrap_err();
    assert!(matches!(e, PublishError::ForeignManifest { .. }), "{e}");
    let msg = e.to_string();
    assert!(
        msg.starts_with(&format!(
            "refusing to publish on top of {}: not signed by the configured key",
            feed.path().join(MANIFEST_FILE).display()
        )),
        "{msg}"
    );
    assert_eq!(snapshot(feed.path()), before);
    assert!(!feed.path().join("clips/b.wav").exists());
}

#[test]
fn a_damaged_feed_is_refused() {
    let src = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let (sk, _) = key();
    run(
        feed.path(),
        &sk,
        &add(vec![wav(src.path(), "a.wav", 800)], meta("t")),
    )
    .unwrap();
    let mpath = feed.path().join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&mpath).unwrap();
    std::fs::write(&mpath, text.replace("\"sequence\": 1", "\"sequence\": 9")).unwrap();
    let e = run(feed.path(), &sk, &Change::Remove { id: "a".into() }).unwrap_err();
    assert!(matches!(e, PublishError::DamagedFeed { .. }), "{e}");
    assert!(e.to_string().contains(": bad signature"), "{e}");
    assert!(feed.path().join("clips/a.wav").exists());

    std::fs::remove_file(feed.path().join(SIGNATURE_FILE)).unwrap();
    let e = run(feed.path(), &sk, &Change::Remove { id: "a".into() }).unwrap_err();
    assert!(e.to_string().contains("it has no signature"), "{e}");
}

#[test]
fn unplayable_or_missing_files_are_named() {
    let src = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let (sk, _) = key();
    let junk = src.path().join("junk.mp3");
    std::fs::write(&junk, b"this is not audio at all").unwrap();
    let e = run(feed.path(), &sk, &add(vec![junk.clone()], meta("t"))).unwrap_err();
    assert!(
        e.to_string()
            .starts_with(&format!("{}: not playable audio: ", junk.display())),
        "{e}"
    );
    let good = wav(src.path(), "good.wav", 800);
    let refuse = |p: &Path| -> Result<Option<Duration>, String> {
        Err(format!("cannot decode: {}", p.display()))
    };
    let e = publish(
        feed.path(),
        &sk,
        &add(vec![good.clone()], meta("t")),
        DEFAULT_EXPIRES,
        now(),
        &refuse,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: not playable audio: cannot decode: {}",
            good.display(),
            good.display()
        )
    );
    let missing = src.path().join("missing.wav");
    let e = run(
        feed.path(),
        &sk,
        &add(vec![good, missing.clone()], meta("t")),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with(&format!("{}: cannot read it: ", missing.display())),
        "{e}"
    );
    // Nothing was published, nothing copied.
    assert!(!feed.path().join(MANIFEST_FILE).exists());
    assert!(!feed.path().join("clips").exists());
}

#[test]
fn add_argument_errors() {
    let src = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let (sk, _) = key();
    let a = wav(src.path(), "a.wav", 800);
    let b = wav(src.path(), "b.wav", 800);
    let e = run(feed.path(), &sk, &add(vec![a.clone()], ClipMeta::default())).unwrap_err();
    assert!(matches!(e, PublishError::CategoryMissing), "{e}");
    let m = ClipMeta {
        id: Some("x".into()),
        ..meta("t")
    };
    let e = run(feed.path(), &sk, &add(vec![a.clone(), b], m)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "--id names one clip, but 2 files were given: publish them one at a time, or leave out --id"
    );
    let e = run(feed.path(), &sk, &add(vec![a.clone()], meta("Thông báo"))).unwrap_err();
    assert!(e.to_string().starts_with("--category `Thông báo`: "), "{e}");
    let a2 = src.path().join("sub");
    std::fs::create_dir(&a2).unwrap();
    let a2 = wav(&a2, "A.wav", 800);
    let e = run(feed.path(), &sk, &add(vec![a, a2], meta("t"))).unwrap_err();
    assert!(matches!(e, PublishError::DuplicateInBatch { .. }), "{e}");
    let e = run(feed.path(), &sk, &add(vec![], meta("t"))).unwrap_err();
    assert!(matches!(e, PublishError::NoFiles), "{e}");
    assert!(!feed.path().join(MANIFEST_FILE).exists());
}
