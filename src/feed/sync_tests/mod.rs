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

mod good;
mod refused;
