//! Failures of a feed sync: the store and the accepted sequence are left
//! untouched and the reason is given.

use super::*;

#[test]
fn manifest_404() {
    let (fx, r) = good_then(|fx| fx.srv.remove(MANIFEST));
    expect(&r, true, &format!("HTTP 404 for {}", fx.srv.url(MANIFEST)));
}

#[test]
fn manifest_500() {
    let (_, r) = good_then(|fx| fx.srv.script(MANIFEST, vec![Act::Status(500)]));
    expect(&r, true, "HTTP 500 for http://");
}

#[test]
fn connection_refused() {
    let (_, r) = good_then(|fx| {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        fx.spec.url = format!("http://{}/feed/manifest.json", l.local_addr().unwrap());
    });
    expect(&r, true, "connection refused by http://127.0.0.1:");
    assert_eq!(r.requests, 1);
}

#[test]
fn stalled_download() {
    let (fx, r) = new_clip_served(vec![Act::Stall { after: 3000 }]);
    expect(&r, true, "clip b: no data for 0.3 s from http://");
    let part = fx.store.partial_path(&sha(&data(2, 20_000)));
    assert_eq!(std::fs::metadata(part).unwrap().len(), 3000);
}

#[test]
fn stalled_manifest() {
    let (_, r) = good_then(|fx| {
        fx.publish_raw(manifest_text(2, &data(1, 5000)).as_bytes());
        fx.srv.script(MANIFEST, vec![Act::Stall { after: 10 }]);
    });
    expect(&r, true, "manifest: no data for 0.3 s");
}

#[test]
fn truncated_body() {
    let (_, r) = new_clip_served(vec![Act::Cut { after: 100 }]);
    expect(&r, true, "clip b: connection closed early after 100 bytes");
}

#[test]
fn body_longer_than_declared() {
    let (fx, r) = new_clip_served(vec![Act::Longer { extra: 1 }]);
    expect(&r, true, "body longer than declared 20000 bytes");
    assert!(!fx.store.partial_path(&sha(&data(2, 20_000))).exists());
}

#[test]
fn body_longer_than_declared_without_content_length() {
    let b = data(2, 20_000);
    let (fx, r) = good_then(|fx| {
        let a = data(1, 5000);
        let mut long = b.clone();
        long.extend_from_slice(b"more");
        fx.publish(
            &manifest(2, vec![clip("a", &a), clip("b", &b)]),
            &[("b", &long)],
        );
        fx.srv.script("/feed/clips/b.mp3", vec![Act::NoLength]);
    });
    expect(&r, true, "body longer than declared 20000 bytes");
    assert!(!fx.store.partial_path(&sha(&b)).exists());
}

#[test]
fn wrong_sha256() {
    let (fx, r) = good_then(|fx| {
        let a = data(1, 5000);
        let b = data(2, 20_000);
        fx.publish(
            &manifest(2, vec![clip("a", &a), clip("b", &b)]),
            &[("b", &data(3, 20_000))],
        );
    });
    expect(&r, true, "sha256 mismatch for clip b");
    assert!(!fx.store.clip_path(&sha(&data(2, 20_000))).exists());
    assert!(!fx.store.partial_path(&sha(&data(2, 20_000))).exists());
}

#[test]
fn unsigned_feed() {
    let (_, r) = good_then(|fx| {
        fx.publish_raw(manifest_text(2, &data(1, 5000)).as_bytes());
        fx.srv.remove(SIG);
    });
    expect(&r, false, "signature: the feed is unsigned (HTTP 404 for");
}

#[test]
fn bad_signature() {
    let (_, r) = good_then(|fx| {
        let text = manifest_text(2, &data(1, 5000));
        fx.publish_raw(text.as_bytes());
        // A signature of other bytes (the manifest was changed after signing).
        let sig = Fx::sign_with(&fx.kp, text.replace('2', "3").as_bytes());
        fx.srv.put(SIG, sig.into_bytes());
    });
    expect(&r, false, "signature: ");
}

#[test]
fn garbage_signature() {
    let (_, r) = good_then(|fx| {
        fx.publish_raw(manifest_text(2, &data(1, 5000)).as_bytes());
        fx.srv.put(SIG, b"not a minisign signature".to_vec());
    });
    expect(&r, false, "signature: ");
}

#[test]
fn signature_by_another_key() {
    let (_, r) = good_then(|fx| {
        let text = manifest_text(2, &data(1, 5000));
        fx.publish_raw(text.as_bytes());
        let other = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
        fx.srv
            .put(SIG, Fx::sign_with(&other, text.as_bytes()).into_bytes());
    });
    expect(&r, false, "signature: ");
}

#[test]
fn lower_sequence_is_a_rollback() {
    let (_, r) = good_then(|fx| {
        fx.publish(&manifest(0, vec![clip("a", &data(1, 5000))]), &[]);
    });
    expect(
        &r,
        false,
        "rollback: sequence 0 is lower than the accepted 1",
    );
}

#[test]
fn expired_manifest_keeps_the_store_and_marks_it_stale() {
    let (fx, r) = good_then(|fx| {
        let a = data(1, 5000);
        let mut m = manifest(2, vec![clip("a", &a)]);
        m.published_at = "2026-10-01T00:00:00+07:00".parse().unwrap();
        m.expires_at = "2026-11-27T00:00:00+07:00".parse().unwrap();
        fx.publish(&m, &[]);
    });
    expect(&r, false, "expired at 2026-11-27T00:00:00+07:00");
    assert!(r.stale);
    assert!(fx.store.status(&fx.spec.key).unwrap().stale);
}

#[test]
fn accepted_manifest_past_expiry_is_stale_on_304() {
    let mut fx = Fx::new();
    let a = data(1, 5000);
    fx.publish(&manifest(1, vec![clip("a", &a)]), &[("a", &a)]);
    assert!(!fx.sync().stale);
    fx.now = "2026-12-28T00:00:00Z".parse().unwrap();
    let r = fx.sync();
    assert_eq!(
        (r.result, r.stale, r.requests),
        (SyncResult::Unchanged, true, 1)
    );
}

#[test]
fn malformed_json() {
    let (_, r) = good_then(|fx| fx.publish_raw(b"{ \"loa_feed\": 1, \"sequence\": 2,"));
    expect(&r, false, "manifest is not valid JSON");
}

#[test]
fn unknown_format_version() {
    let (_, r) = good_then(|fx| {
        let t = manifest_text(2, &data(1, 5000)).replace("\"loa_feed\": 1", "\"loa_feed\": 2");
        fx.publish_raw(t.as_bytes());
    });
    expect(&r, false, "format version 2 is not supported");
}

#[test]
fn manifest_over_one_mib() {
    let (_, r) = good_then(|fx| {
        let t = manifest_text(2, &data(1, 5000));
        let big = format!("{t}{}", " ".repeat(1024 * 1024));
        fx.publish_raw(big.as_bytes());
    });
    expect(&r, false, "over the 1048576-byte limit");
    assert_eq!((r.requests, r.bytes), (1, 0));
}

#[test]
fn manifest_over_one_mib_without_content_length_is_not_buffered() {
    let (_, r) = good_then(|fx| {
        let t = manifest_text(2, &data(1, 5000));
        fx.publish_raw(format!("{t}{}", " ".repeat(3 * 1024 * 1024)).as_bytes());
        fx.srv.script(MANIFEST, vec![Act::NoLength]);
    });
    expect(&r, false, "over the 1048576-byte limit");
    assert_eq!(r.bytes, 1024 * 1024 + 1);
}

#[test]
fn absurd_bytes() {
    let (_, r) = good_then(|fx| {
        let a = data(1, 5000);
        let mut c = clip("a", &a);
        c.bytes = 99_999_999_999;
        fx.publish(&manifest(2, vec![c]), &[]);
    });
    expect(&r, false, "bytes 99999999999 is outside");
}

#[test]
fn duplicate_ids() {
    let (_, r) = good_then(|fx| {
        let a = data(1, 5000);
        fx.publish(&manifest(2, vec![clip("a", &a), clip("a", &a)]), &[]);
    });
    expect(&r, false, "duplicate clip id `a`");
}

#[test]
fn path_with_dot_dot() {
    let (_, r) = good_then(|fx| {
        let a = data(1, 5000);
        let mut c = clip("a", &a);
        c.path = "clips/../../../etc/passwd".into();
        fx.publish(&manifest(2, vec![c]), &[]);
    });
    expect(&r, false, "`..`");
}

#[test]
fn path_with_another_scheme() {
    let (_, r) = good_then(|fx| {
        let a = data(1, 5000);
        let mut c = clip("a", &a);
        c.path = "http://evil.example/a.mp3".into();
        fx.publish(&manifest(2, vec![c]), &[]);
    });
    expect(&r, false, "scheme");
    assert_eq!(r.requests, 2);
}

#[test]
fn failure_is_counted_in_the_status_and_reset_by_success() {
    let (mut fx, _) = good_then(|fx| fx.srv.script(MANIFEST, vec![Act::Status(500)]));
    let st = fx.store.status(&fx.spec.key).unwrap().clone();
    assert_eq!(st.failures, 1);
    assert!(
        st.last_result.starts_with("failed: manifest: HTTP 500"),
        "{}",
        st.last_result
    );
    assert_eq!(fx.sync().result, SyncResult::Unchanged);
    assert_eq!(fx.store.status(&fx.spec.key).unwrap().failures, 0);
}

#[test]
fn changed_station_languages_reapply_an_unchanged_feed() {
    let mut fx = Fx::new();
    let (a, b) = (data(1, 5000), data(2, 6000));
    let mut cb = clip("b", &b);
    cb.lang = "cjm".into();
    fx.publish(
        &manifest(1, vec![clip("a", &a), cb]),
        &[("a", &a), ("b", &b)],
    );
    assert_eq!(fx.sync().added, vec!["a"]);
    assert_eq!(fx.sync().result, SyncResult::Unchanged);
    fx.lang.push("cjm".into());
    fx.srv.reset_counts();
    let r = fx.sync();
    assert_eq!(
        (r.result, r.added.clone()),
        (SyncResult::Updated, vec!["b".to_string()])
    );
    assert_eq!(fx.srv.hits()[0].header("If-None-Match"), None);
    assert_eq!(fx.sync().requests, 1);
}

#[test]
fn another_feeds_sync_spares_clips_of_an_unfinished_sync() {
    let mut fx = Fx::new();
    let a = data(1, 5000);
    fx.publish(&manifest(1, vec![clip("a", &a)]), &[("a", &a)]);
    let feed_a = fx.spec.clone();
    // Feed B: clip b1 arrives, b2 is cut, so B's sync fails with b1 installed.
    let (b1, b2) = (data(4, 4000), data(5, 9000));
    let mut m = manifest(1, vec![clip("b1", &b1), clip("b2", &b2)]);
    m.clips[0].path = "b/b1.bin".into();
    m.clips[1].path = "b/b2.bin".into();
    fx.srv.put("/feed/b/b1.bin", b1.clone());
    fx.srv.put("/feed/b/b2.bin", b2.clone());
    fx.srv
        .script("/feed/b/b2.bin", vec![Act::Cut { after: 10 }]);
    let text = m.to_bytes();
    fx.srv.put("/feed/b.json", text.clone());
    fx.srv.put(
        "/feed/b.json.minisig",
        Fx::sign_with(&fx.kp, &text).into_bytes(),
    );
    fx.spec = FeedSpec {
        url: fx.srv.url("/feed/b.json"),
        key: "b".into(),
        max_store: None,
        station: None,
    };
    expect(&fx.sync(), true, "clip b2: connection closed early");
    assert!(fx.store.clip_path(&sha(&b1)).exists());
    fx.spec = feed_a.clone();
    assert_eq!(fx.sync().result, SyncResult::Updated);
    assert!(fx.store.clip_path(&sha(&b1)).exists(), "b1 collected");
    fx.spec = FeedSpec {
        url: fx.srv.url("/feed/b.json"),
        key: "b".into(),
        max_store: None,
        station: None,
    };
    fx.srv.reset_counts();
    let r = fx.sync();
    assert_eq!(r.result, SyncResult::Updated);
    assert_eq!(r.requests, 3, "b1 fetched again");
    assert_eq!(fx.store.clips().len(), 3);
    assert_eq!(fx.store.usage(), (3, 18_000));
}
