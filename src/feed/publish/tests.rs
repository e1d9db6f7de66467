use super::*;
use crate::feed::sign::{public_key_of, verify};
use minisign::KeyPair;
use sha2::{Digest, Sha256};
use std::fs::File;

fn key() -> (SecretKey, String) {
    let kp = KeyPair::generate_unencrypted_keypair().unwrap();
    let pk = kp.pk.to_base64();
    (kp.sk, pk)
}

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-27T08:00:00+07:00").unwrap()
}

/// A mono 8 kHz WAV of `samples` samples.
fn wav(dir: &Path, name: &str, samples: u32) -> PathBuf {
    let p = dir.join(name);
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&p, spec).unwrap();
    for i in 0..samples {
        w.write_sample(((i % 40) as i16 - 20) * 500).unwrap();
    }
    w.finalize().unwrap();
    p
}

fn probe(p: &Path) -> Result<Option<Duration>, String> {
    crate::decode::probe(p).map_err(|e| e.to_string())
}

fn meta(category: &str) -> ClipMeta {
    ClipMeta {
        category: Some(category.into()),
        ..ClipMeta::default()
    }
}

fn add(files: Vec<PathBuf>, meta: ClipMeta) -> Change {
    Change::Add { files, meta }
}

fn run(dir: &Path, sk: &SecretKey, change: &Change) -> Result<Published, PublishError> {
    publish(dir, sk, change, DEFAULT_EXPIRES, now(), &probe)
}

/// Manifest and signature bytes, to prove a refusal changed nothing.
fn snapshot(dir: &Path) -> (Vec<u8>, Vec<u8>) {
    (
        std::fs::read(dir.join(MANIFEST_FILE)).unwrap(),
        std::fs::read(dir.join(SIGNATURE_FILE)).unwrap(),
    )
}

fn current(dir: &Path, pk: &str) -> Manifest {
    let (m, s) = snapshot(dir);
    verify(&m, std::str::from_utf8(&s).unwrap(), pk).unwrap();
    Manifest::parse(&m).unwrap()
}

fn sha256_hex(p: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(p).unwrap()))
}

#[test]
fn add_copies_the_clip_and_signs_sequence_1() {
    let src = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let (sk, pk) = key();
    let f = wav(src.path(), "Thông báo số 1.WAV", 8000);
    let p = run(feed.path(), &sk, &add(vec![f.clone()], meta("thong-bao"))).unwrap();
    assert_eq!(
        p,
        Published {
            sequence: 1,
            added: vec!["thong-bao-so-1".into()],
            removed: vec![],
            manifest: feed.path().join("manifest.json"),
        }
    );
    let m = current(feed.path(), &pk);
    assert_eq!(m.sequence, 1);
    assert_eq!(m.published_at, now());
    assert_eq!(
        m.expires_at,
        DateTime::parse_from_rfc3339("2026-12-27T08:00:00+07:00").unwrap()
    );
    assert_eq!(m.clips.len(), 1);
    let c = &m.clips[0];
    assert_eq!(c.id, "thong-bao-so-1");
    assert_eq!(c.title, "Thông báo số 1");
    assert_eq!(c.category, "thong-bao");
    assert_eq!(c.lang, "");
    assert_eq!(c.path, "clips/thong-bao-so-1.wav");
    assert_eq!(c.duration_s, Some(1.0));
    let copied = feed.path().join(&c.path);
    assert_eq!(c.sha256, sha256_hex(&f));
    assert_eq!(sha256_hex(&copied), sha256_hex(&f));
    assert_eq!(c.bytes, std::fs::metadata(&f).unwrap().len());
    assert_eq!(c.bytes, 44 + 16000);
    // No staging leftovers.
    let mut names: Vec<String> = std::fs::read_dir(feed.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".publish.lock",
            "clips",
            "manifest.json",
            "manifest.json.minisig"
        ]
    );
    assert_eq!(
        std::fs::read_dir(feed.path().join("clips"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn add_takes_the_operators_metadata() {
    let src = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let (sk, pk) = key();
    let f = wav(src.path(), "x.wav", 4000);
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let m = ClipMeta {
        id: Some("cchc-2026-11-27".into()),
        title: Some("Cải cách hành chính".into()),
        category: Some("cai-cach-hanh-chinh".into()),
        lang: Some("vi".into()),
        areas: vec!["58".into(), " 589".into()],
        valid_from: Some(d("2026-11-27")),
        valid_until: Some(d("2026-12-31")),
        level: ClipLevel::Priority,
    };
    run(feed.path(), &sk, &add(vec![f], m)).unwrap();
    let c = &current(feed.path(), &pk).clips[0];
    assert_eq!(c.id, "cchc-2026-11-27");
    assert_eq!(c.title, "Cải cách hành chính");
    assert_eq!(c.lang, "vi");
    assert_eq!(c.areas, vec!["58", "589"]);
    assert_eq!(c.valid_from, Some(d("2026-11-27")));
    assert_eq!(c.valid_until, Some(d("2026-12-31")));
    assert_eq!(c.duration_s, Some(0.5));
    assert_eq!(c.level, ClipLevel::Priority);
    let text = std::fs::read_to_string(feed.path().join("manifest.json")).unwrap();
    assert!(text.contains(r#""level":"priority""#) || text.contains(r#""level": "priority""#));
}

#[test]
fn a_duplicate_id_is_refused_and_nothing_changes() {
    let src = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let (sk, _) = key();
    let f = wav(src.path(), "tin-bao.wav", 800);
    run(feed.path(), &sk, &add(vec![f.clone()], meta("tin"))).unwrap();
    let before = snapshot(feed.path());
    let e = run(feed.path(), &sk, &add(vec![f], meta("tin"))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "clip id tin-bao is already in the feed: remove it first or choose another --id"
    );
    assert_eq!(snapshot(feed.path()), before);
}

#[test]
fn remove_withdraws_the_clip_and_deletes_its_file() {
    let src = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let (sk, pk) = key();
    let a = wav(src.path(), "a.wav", 800);
    let b = wav(src.path(), "b.wav", 800);
    run(feed.path(), &sk, &add(vec![a, b], meta("tin"))).unwrap();
    let p = run(feed.path(), &sk, &Change::Remove { id: "a".into() }).unwrap();
    assert_eq!(p.sequence, 2);
    assert_eq!(p.removed, vec!["a"]);
    let m = current(feed.path(), &pk);
    assert_eq!(m.sequence, 2);
    assert_eq!(
        m.clips.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["b"]
    );
    assert!(!feed.path().join("clips/a.wav").exists());
    assert!(feed.path().join("clips/b.wav").exists());

    let before = snapshot(feed.path());
    let e = run(feed.path(), &sk, &Change::Remove { id: "a".into() }).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no clip or broadcast a in the feed (its ids are in manifest.json)"
    );
    assert_eq!(snapshot(feed.path()), before);
}

#[test]
fn broadcasts_are_checked_and_protect_their_clips() {
    let src = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let (sk, pk) = key();
    run(
        feed.path(),
        &sk,
        &add(vec![wav(src.path(), "Bão số 9.wav", 800)], meta("khan-cap")),
    )
    .unwrap();
    let at = DateTime::parse_from_rfc3339("2026-11-28T17:15:00+07:00").unwrap();
    let bc = |id: &str, play: &[&str]| Change::Broadcast {
        id: id.into(),
        title: None,
        at,
        play: play.iter().map(|s| s.to_string()).collect(),
        priority: 100,
        areas: vec!["589".into()],
    };
    let before = snapshot(feed.path());
    let e = run(feed.path(), &sk, &bc("bao-khan", &["bao-so-9", "khac"])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "broadcast bao-khan plays khac, which is not a clip of the feed: publish the clip first"
    );
    assert_eq!(snapshot(feed.path()), before);

    // Same id as a clip: refused (ids stay distinct so --remove is unambiguous).
    let e = run(feed.path(), &sk, &bc("bao-so-9", &["bao-so-9"])).unwrap_err();
    assert!(
        matches!(e, PublishError::IdTaken { kind: "clip", .. }),
        "{e}"
    );

    let ok = Change::Broadcast {
        id: "bao-khan".into(),
        title: None,
        at,
        play: vec!["bao-so-9".into()],
        priority: 100,
        areas: vec![],
    };
    let p = run(feed.path(), &sk, &ok).unwrap();
    assert_eq!(
        (p.sequence, p.added.clone()),
        (2, vec!["bao-khan".to_string()])
    );
    let m = current(feed.path(), &pk);
    assert_eq!(
        m.broadcasts,
        vec![Broadcast {
            id: "bao-khan".into(),
            title: "Bão số 9".into(),
            at,
            play: vec!["bao-so-9".into()],
            priority: 100,
            areas: vec![],
        }]
    );
    let e = run(feed.path(), &sk, &ok).unwrap_err();
    assert!(matches!(e, PublishError::DuplicateBroadcast(_)), "{e}");

    let e = run(
        feed.path(),
        &sk,
        &Change::Remove {
            id: "bao-so-9".into(),
        },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "clip bao-so-9 is played by broadcast bao-khan: withdraw the broadcast first (--remove bao-khan)"
    );
    run(
        feed.path(),
        &sk,
        &Change::Remove {
            id: "bao-khan".into(),
        },
    )
    .unwrap();
    let p = run(
        feed.path(),
        &sk,
        &Change::Remove {
            id: "bao-so-9".into(),
        },
    )
    .unwrap();
    assert_eq!(p.sequence, 4);
    let m = current(feed.path(), &pk);
    assert!(m.clips.is_empty() && m.broadcasts.is_empty());
}

#[test]
fn a_broadcast_in_the_past_is_refused() {
    let src = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let (sk, _) = key();
    run(
        feed.path(),
        &sk,
        &add(vec![wav(src.path(), "a.wav", 800)], meta("t")),
    )
    .unwrap();
    let e = run(
        feed.path(),
        &sk,
        &Change::Broadcast {
            id: "b".into(),
            title: Some("B".into()),
            at: now(),
            play: vec!["a".into()],
            priority: 10,
            areas: vec![],
        },
    )
    .unwrap_err();
    assert!(matches!(e, PublishError::BroadcastInPast { .. }), "{e}");
}

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
