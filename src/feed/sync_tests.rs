//! End-to-end tests of one feed sync against the scripted local HTTP server
//! (and a file:// feed): every refusal and failure leaves the index and the
//! accepted sequence untouched and says why. Test-only.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use sha2::Digest;

use super::fetch::FetchOptions;
use super::manifest::{Broadcast, Clip, Manifest};
use super::store::{Index, Store};
use super::sync::{sync_with, Ctx, FeedSpec, Progress, SyncReport, SyncResult};
use super::testserver::{Act, TestServer};

const MANIFEST: &str = "/feed/manifest.json";
const SIG: &str = "/feed/manifest.json.minisig";

fn data(seed: u8, n: usize) -> Vec<u8> {
    let mut x = seed as u32 ^ 0x9e37_79b9;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

fn sha(b: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(b))
}

fn clip(id: &str, body: &[u8]) -> Clip {
    Clip {
        id: id.into(),
        title: format!("Bản tin {id}"),
        category: "tin-tuc".into(),
        lang: "vi".into(),
        path: format!("clips/{id}.mp3"),
        sha256: sha(body),
        bytes: body.len() as u64,
        duration_s: Some(12.5),
        valid_from: None,
        valid_until: None,
        areas: vec![],
        stations: vec![],
        level: Default::default(),
    }
}

fn manifest(seq: u64, clips: Vec<Clip>) -> Manifest {
    Manifest {
        loa_feed: 1,
        sequence: seq,
        published_at: "2026-11-27T08:00:00+07:00".parse().unwrap(),
        expires_at: "2026-12-27T08:00:00+07:00".parse().unwrap(),
        clips,
        broadcasts: vec![],
    }
}

struct Fx {
    srv: TestServer,
    kp: minisign::KeyPair,
    dir: tempfile::TempDir,
    store: Store,
    spec: FeedSpec,
    areas: Vec<String>,
    lang: Vec<String>,
    in_use: HashSet<String>,
    now: DateTime<Utc>,
    opts: FetchOptions,
    progress: Vec<Progress>,
}

impl Fx {
    fn new() -> Fx {
        let srv = TestServer::start();
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let url = srv.url(MANIFEST);
        Fx {
            srv,
            kp: minisign::KeyPair::generate_unencrypted_keypair().unwrap(),
            dir,
            store,
            spec: FeedSpec {
                key: url.clone(),
                url,
                max_store: None,
                station: None,
            },
            areas: vec!["58".into(), "589".into()],
            lang: vec!["vi".into()],
            in_use: HashSet::new(),
            now: "2026-11-28T00:00:00Z".parse().unwrap(),
            opts: FetchOptions {
                connect_timeout: Duration::from_millis(500),
                stall_timeout: Duration::from_millis(300),
                env_proxy: false,
            },
            progress: vec![],
        }
    }

    fn sign_with(kp: &minisign::KeyPair, bytes: &[u8]) -> String {
        minisign::sign(
            Some(&kp.pk),
            &kp.sk,
            std::io::Cursor::new(bytes),
            None,
            None,
        )
        .unwrap()
        .into_string()
    }

    /// Serve these manifest bytes, signed by the feed's key.
    fn publish_raw(&self, bytes: &[u8]) {
        self.srv.put(MANIFEST, bytes.to_vec());
        self.srv
            .put(SIG, Fx::sign_with(&self.kp, bytes).into_bytes());
    }

    fn publish(&self, m: &Manifest, files: &[(&str, &[u8])]) {
        for (id, body) in files {
            self.srv
                .put(&format!("/feed/clips/{id}.mp3"), body.to_vec());
        }
        self.publish_raw(&m.to_bytes());
    }

    fn sync(&mut self) -> SyncReport {
        let pk = minisign_verify::PublicKey::from_base64(&self.kp.pk.to_base64()).unwrap();
        let verify = move |data: &[u8], sig: &str| -> Result<(), String> {
            let s = minisign_verify::Signature::decode(sig).map_err(|e| e.to_string())?;
            pk.verify(data, &s, false).map_err(|e| e.to_string())
        };
        let ctx = Ctx {
            feed: &self.spec,
            station_areas: &self.areas,
            station_lang: &self.lang,
            verify: &verify,
            now: self.now,
        };
        let in_use = &self.in_use;
        let progress = &mut self.progress;
        sync_with(
            &mut self.store,
            &ctx,
            &|h| in_use.contains(h),
            &mut |p| progress.push(p),
            &self.opts,
        )
    }

    fn clip_hits(&self, id: &str) -> Vec<super::testserver::Hit> {
        let path = format!("/feed/clips/{id}.mp3");
        self.srv
            .hits()
            .into_iter()
            .filter(|h| h.path == path)
            .collect()
    }
}

fn expect(r: &SyncReport, failed: bool, part: &str) {
    match (&r.result, failed) {
        (SyncResult::Failed(m), true) | (SyncResult::Refused(m), false) => {
            assert!(m.contains(part), "`{m}` does not contain `{part}`")
        }
        (other, _) => panic!(
            "expected {}({part}), got {other:?}",
            if failed { "Failed" } else { "Refused" }
        ),
    }
}

/// A good sync of sequence 1 (clip `a`), then `change`, then a sync that must
/// leave the index and the sequence exactly as they were.
fn good_then(change: impl FnOnce(&mut Fx)) -> (Fx, SyncReport) {
    let mut fx = Fx::new();
    let a = data(1, 5000);
    fx.publish(&manifest(1, vec![clip("a", &a)]), &[("a", &a)]);
    assert_eq!(fx.sync().result, SyncResult::Updated);
    let before: Index = fx.store.index().clone();
    change(&mut fx);
    fx.srv.reset_counts();
    let r = fx.sync();
    assert_eq!(fx.store.index(), &before, "index changed: {r:?}");
    assert_eq!(Store::open(fx.dir.path()).unwrap().index(), &before);
    assert_eq!(r.sequence, Some(1));
    assert!(r.added.is_empty() && r.removed.is_empty());
    assert!(fx.store.clip_path(&sha(&a)).exists());
    (fx, r)
}

/// Sequence 2 adds clip `b` (20 000 bytes), served as `acts` say.
fn new_clip_served(acts: Vec<Act>) -> (Fx, SyncReport) {
    let b = data(2, 20_000);
    good_then(|fx| {
        let a = data(1, 5000);
        fx.publish(
            &manifest(2, vec![clip("a", &a), clip("b", &b)]),
            &[("b", &b)],
        );
        fx.srv.script("/feed/clips/b.mp3", acts);
    })
}

fn manifest_text(seq: u64, a: &[u8]) -> String {
    String::from_utf8(manifest(seq, vec![clip("a", a)]).to_bytes()).unwrap()
}

// ---- the good paths ----

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

// ---- failures: the store is untouched and the reason is given ----

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
