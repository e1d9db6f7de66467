//! Adding clips, withdrawing them, pushing broadcasts: what each writes and
//! signs, and the checks on each change.

use super::*;

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
