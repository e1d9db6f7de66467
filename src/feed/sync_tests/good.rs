//! The good paths of a feed sync: clips stored under their hash, resumed
//! downloads, withdrawals, selection by area, language and validity.

use super::*;

#[test]
fn good_sync_stores_the_clip_under_its_hash() {
    let mut fx = Fx::new();
    let a = data(1, 5000);
    fx.publish(&manifest(7, vec![clip("a", &a)]), &[("a", &a)]);
    let r = fx.sync();
    assert_eq!(r.result, SyncResult::Updated);
    assert_eq!(r.added, vec!["a"]);
    assert_eq!(r.sequence, Some(7));
    assert_eq!(r.requests, 3);
    assert!(!r.stale);
    let path = fx.dir.path().join("store").join(sha(&a));
    assert_eq!(fx.store.clip_path(&sha(&a)), path);
    assert_eq!(std::fs::read(&path).unwrap(), a);
    let c = &fx.store.clips()[0];
    assert_eq!(
        (c.id.as_str(), c.feed.as_str()),
        ("a", fx.spec.key.as_str())
    );
    assert_eq!(c.published_at.to_rfc3339(), "2026-11-27T08:00:00+07:00");
    assert_eq!(fx.store.usage(), (1, 5000));
    assert_eq!(
        fx.progress.last(),
        Some(&Progress {
            clip: "a".into(),
            done: 5000,
            total: 5000
        })
    );
    let reopened = Store::open(fx.dir.path()).unwrap();
    assert_eq!(reopened.accepted(&fx.spec.key).unwrap().sequence, 7);
    assert_eq!(
        reopened.status(&fx.spec.key).unwrap().last_result,
        "updated"
    );
}

#[test]
fn unchanged_feed_costs_one_small_request() {
    let mut fx = Fx::new();
    let a = data(1, 5000);
    fx.publish(&manifest(1, vec![clip("a", &a)]), &[("a", &a)]);
    assert_eq!(fx.sync().result, SyncResult::Updated);
    fx.srv.reset_counts();
    let r = fx.sync();
    assert_eq!(r.result, SyncResult::Unchanged);
    assert_eq!(r.requests, 1);
    let hits = fx.srv.hits();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].status, 304);
    let (sent, received) = fx.srv.wire();
    assert!(sent + received < 2048, "{sent} + {received} bytes");
}

#[test]
fn same_sequence_with_new_etag_is_unchanged_and_remembers_the_etag() {
    let mut fx = Fx::new();
    let a = data(1, 5000);
    fx.publish(&manifest(1, vec![clip("a", &a)]), &[("a", &a)]);
    assert_eq!(fx.sync().result, SyncResult::Updated);
    fx.publish_raw(format!("{}\n", manifest_text(1, &a)).as_bytes());
    let r = fx.sync();
    assert_eq!((r.result, r.requests), (SyncResult::Unchanged, 2));
    let r = fx.sync();
    assert_eq!((r.result, r.requests), (SyncResult::Unchanged, 1));
}

#[test]
fn cut_download_resumes_with_range_and_fetches_only_the_rest() {
    let (mut fx, r) = new_clip_served(vec![Act::Cut { after: 8000 }]);
    expect(&r, true, "clip b: connection closed early");
    let part = fx.store.partial_path(&sha(&data(2, 20_000)));
    assert_eq!(std::fs::metadata(&part).unwrap().len(), 8000);
    let r = fx.sync();
    assert_eq!(r.result, SyncResult::Updated);
    assert_eq!(r.added, vec!["b"]);
    let hits = fx.clip_hits("b");
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].header("Range"), None);
    assert_eq!(hits[1].header("Range"), Some("bytes=8000-"));
    assert_eq!((hits[1].status, hits[1].body), (206, 12_000));
    assert!(!part.exists());
    assert_eq!(
        std::fs::read(fx.store.clip_path(&sha(&data(2, 20_000)))).unwrap(),
        data(2, 20_000)
    );
}

/// What a kill -9 loop does to a download, without killing: cut after every
/// 1 500 bytes; each sync resumes where the partial ends and the clip body
/// crosses the wire exactly once in total.
#[test]
fn resume_survives_many_cuts() {
    let (mut fx, r) = new_clip_served((0..13).map(|_| Act::Cut { after: 1500 }).collect());
    expect(&r, true, "connection closed early");
    let mut n = 1;
    while fx.sync().result != SyncResult::Updated {
        n += 1;
        assert!(n < 20);
    }
    assert_eq!(n, 13);
    let hits = fx.clip_hits("b");
    assert_eq!(hits.len(), 14);
    assert_eq!(hits.iter().map(|h| h.body).sum::<u64>(), 20_000);
    for (i, h) in hits.iter().enumerate().skip(1) {
        let want = format!("bytes={}-", i * 1500);
        assert_eq!(h.header("Range"), Some(want.as_str()));
    }
    assert_eq!(fx.store.accepted(&fx.spec.key).unwrap().sequence, 2);
    assert_eq!(fx.store.check_files(), Vec::<String>::new());
}

#[test]
fn server_ignoring_range_restarts_from_zero() {
    let (mut fx, _) = new_clip_served(vec![Act::Cut { after: 8000 }, Act::NoRange]);
    assert_eq!(fx.sync().result, SyncResult::Updated);
    let hits = fx.clip_hits("b");
    assert_eq!((hits[1].status, hits[1].body), (200, 20_000));
}

#[test]
fn corrupt_partial_is_caught_by_the_hash_and_restarted() {
    let b = data(2, 20_000);
    let (mut fx, r) = new_clip_served(vec![Act::Cut { after: 8000 }]);
    expect(&r, true, "closed early");
    // A power cut left garbage in the tail of the partial.
    let part = fx.store.partial_path(&sha(&b));
    std::fs::write(&part, vec![0u8; 8000]).unwrap();
    let r = fx.sync();
    expect(&r, true, "sha256 mismatch for clip b");
    assert!(!part.exists());
    assert_eq!(fx.sync().result, SyncResult::Updated);
}

#[test]
fn file_feed_works() {
    let mut fx = Fx::new();
    let feed = tempfile::tempdir().unwrap();
    let a = data(1, 3000);
    std::fs::create_dir_all(feed.path().join("clips")).unwrap();
    std::fs::write(feed.path().join("clips/a.mp3"), &a).unwrap();
    let m = manifest(3, vec![clip("a", &a)]).to_bytes();
    std::fs::write(feed.path().join("manifest.json"), &m).unwrap();
    let sig = Fx::sign_with(&fx.kp, &m);
    std::fs::write(feed.path().join("manifest.json.minisig"), sig).unwrap();
    fx.spec.url = format!("file://{}/manifest.json", feed.path().display());
    let r = fx.sync();
    assert_eq!((r.result, r.sequence), (SyncResult::Updated, Some(3)));
    assert_eq!(std::fs::read(fx.store.clip_path(&sha(&a))).unwrap(), a);
    let r = fx.sync();
    assert_eq!(r.result, SyncResult::Unchanged);
    // A file feed gets the same checks: a wrong clip is refused.
    std::fs::write(feed.path().join("clips/a.mp3"), data(9, 3001)).unwrap();
    let m = manifest(4, vec![clip("a", &data(9, 3000))]).to_bytes();
    std::fs::write(feed.path().join("manifest.json"), &m).unwrap();
    std::fs::write(
        feed.path().join("manifest.json.minisig"),
        Fx::sign_with(&fx.kp, &m),
    )
    .unwrap();
    expect(&fx.sync(), true, "body longer than declared 3000 bytes");
    assert_eq!(fx.store.accepted(&fx.spec.key).unwrap().sequence, 3);
}

#[test]
fn withdrawn_clip_is_removed() {
    let mut fx = Fx::new();
    let (a, b) = (data(1, 5000), data(2, 6000));
    fx.publish(
        &manifest(1, vec![clip("a", &a), clip("b", &b)]),
        &[("a", &a), ("b", &b)],
    );
    assert_eq!(fx.sync().result, SyncResult::Updated);
    fx.publish(&manifest(2, vec![clip("a", &a)]), &[]);
    fx.srv.reset_counts();
    let r = fx.sync();
    assert_eq!(r.result, SyncResult::Updated);
    assert_eq!(r.removed, vec!["b"]);
    assert!(r.added.is_empty());
    assert!(fx.clip_hits("a").is_empty(), "a was downloaded again");
    assert!(!fx.store.clip_path(&sha(&b)).exists());
    assert!(fx.store.clip_path(&sha(&a)).exists());
    assert_eq!(fx.store.usage(), (1, 5000));
}

#[test]
fn a_clip_on_air_is_kept_until_the_next_sync() {
    let mut fx = Fx::new();
    let (a, b) = (data(1, 5000), data(2, 6000));
    fx.publish(
        &manifest(1, vec![clip("a", &a), clip("b", &b)]),
        &[("a", &a), ("b", &b)],
    );
    assert_eq!(fx.sync().result, SyncResult::Updated);
    fx.in_use.insert(sha(&b));
    fx.publish(&manifest(2, vec![clip("a", &a)]), &[]);
    let r = fx.sync();
    assert_eq!(r.removed, vec!["b"]);
    assert!(fx.store.clip_path(&sha(&b)).exists());
    assert!(fx.store.clip(&fx.spec.key, "b").is_none());
    fx.in_use.clear();
    assert_eq!(fx.sync().result, SyncResult::Unchanged);
    assert!(!fx.store.clip_path(&sha(&b)).exists());
}

#[test]
fn areas_lang_and_validity_select_the_clips() {
    let mut fx = Fx::new();
    let bodies: Vec<Vec<u8>> = (1..=5).map(|i| data(i, 1000 + i as usize)).collect();
    let mut cs: Vec<Clip> = ["a", "b", "c", "d", "e"]
        .iter()
        .zip(&bodies)
        .map(|(id, b)| clip(id, b))
        .collect();
    cs[1].areas = vec!["01".into()]; // another province
    cs[2].lang = "cjm".into(); // a language this station does not air
    cs[3].lang = String::new(); // any language
    cs[3].areas = vec!["589".into()];
    cs[4].valid_until = NaiveDate::from_ymd_opt(2026, 11, 1); // over
    let mut m = manifest(1, cs);
    let b = |id: &str, play: &[&str], areas: &[&str]| Broadcast {
        id: id.into(),
        title: id.into(),
        at: "2026-11-28T17:15:00+07:00".parse().unwrap(),
        play: play.iter().map(|s| s.to_string()).collect(),
        priority: 100,
        areas: areas.iter().map(|s| s.to_string()).collect(),
    };
    m.broadcasts = vec![
        b("x", &["a", "c"], &["589"]),
        b("y", &["c"], &[]),
        b("z", &["a"], &["01"]),
    ];
    let files: Vec<(&str, &[u8])> = ["a", "b", "c", "d", "e"]
        .into_iter()
        .zip(bodies.iter().map(Vec::as_slice))
        .collect();
    fx.publish(&m, &files);
    let r = fx.sync();
    assert_eq!(r.result, SyncResult::Updated);
    assert_eq!(r.added, vec!["a", "d"]);
    for id in ["b", "c", "e"] {
        assert!(fx.clip_hits(id).is_empty(), "{id} downloaded");
    }
    let bs = fx.store.broadcasts();
    assert_eq!(bs.len(), 1);
    assert_eq!(
        (bs[0].id.as_str(), bs[0].play.clone()),
        ("x", vec!["a".into()])
    );
    // An empty language list airs everything.
    fx.lang.clear();
    fx.publish(&Manifest { sequence: 2, ..m }, &[]);
    assert_eq!(fx.sync().added, vec!["c"]);
}

#[test]
fn a_local_announcement_reaches_only_its_station() {
    let mut fx = Fx::new();
    let bodies: Vec<Vec<u8>> = (1..=3).map(|i| data(i, 900 + i as usize)).collect();
    let mut cs: Vec<Clip> = ["mine", "theirs", "all"]
        .iter()
        .zip(&bodies)
        .map(|(id, b)| clip(id, b))
        .collect();
    cs[0].stations = vec!["xa-a".into(), "xa-c".into()];
    cs[1].stations = vec!["xa-b".into()];
    let m = manifest(1, cs);
    let files: Vec<(&str, &[u8])> = ["mine", "theirs", "all"]
        .into_iter()
        .zip(bodies.iter().map(Vec::as_slice))
        .collect();
    fx.publish(&m, &files);
    // A feed that knows no station id (a plain [feed] table): only the unbound clip.
    assert_eq!(fx.sync().added, vec!["all"]);
    assert!(fx.clip_hits("mine").is_empty() && fx.clip_hits("theirs").is_empty());
    // The hub's feed of station xa-a: its own announcement too, never xa-b's.
    fx.spec.station = Some("xa-a".into());
    fx.publish(&Manifest { sequence: 2, ..m }, &[]);
    assert_eq!(fx.sync().added, vec!["mine"]);
    assert!(
        fx.clip_hits("theirs").is_empty(),
        "another station's clip downloaded"
    );
    let ids: Vec<String> = fx.store.clips().iter().map(|c| c.id.clone()).collect();
    assert!(!ids.contains(&"theirs".to_string()), "{ids:?}");
}

#[test]
fn max_store_refuses_before_downloading() {
    let mut fx = Fx::new();
    fx.spec.max_store = Some(9000);
    let (a, b) = (data(1, 5000), data(2, 6000));
    fx.publish(
        &manifest(1, vec![clip("a", &a), clip("b", &b)]),
        &[("a", &a), ("b", &b)],
    );
    let r = fx.sync();
    expect(&r, false, "over max_store (9000 bytes)");
    assert_eq!(r.requests, 2);
    assert!(fx.store.clips().is_empty() && r.sequence.is_none());
}

#[test]
fn a_stored_clip_is_not_downloaded_again() {
    let a = data(1, 5000);
    let (mut fx, _) = good_then(|_| {});
    fx.publish(&manifest(2, vec![clip("a", &a), clip("a2", &a)]), &[]);
    fx.srv.reset_counts();
    let r = fx.sync();
    assert_eq!((r.result, r.requests), (SyncResult::Updated, 2));
    assert_eq!(r.added, vec!["a2"]);
}
