//! Several hub processes, one system (issue 17): two `loa hub run` on one
//! PostgreSQL behind a round-robin proxy hand every station the same signed
//! manifest, programs documents and clip bytes through either process; a
//! nudge raised on one reaches events streams held on both; approvals made
//! on both at once never give two different manifests one sequence.

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use common::hub::{free_port, Backend, Client, Hub, HubOptions, Resp};
use common::hub_multi::{events, wait_event, write_config, HubProc, Proxy};
use common::station_api::{enroll, station_add};
use common::*;
use serde_json::json;
use sha2::{Digest, Sha256};

const WAIT: Duration = Duration::from_secs(30);

fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Resp {
    Client::new(addr).request("GET", path, headers, b"")
}

/// The same document, byte for byte, from both processes; returns it.
fn same_from_both(a: SocketAddr, b: SocketAddr, path: &str) -> Vec<u8> {
    let ra = get(a, path, &[]);
    let rb = get(b, path, &[]);
    assert_eq!(ra.status, 200, "{path} from A: {}", ra.text());
    assert_eq!(rb.status, 200, "{path} from B: {}", rb.text());
    assert_eq!(ra.body, rb.body, "{path} differs between the processes");
    assert_eq!(ra.header("etag"), rb.header("etag"), "{path} ETag");
    ra.body
}

fn wav(secs: f32, hz: f32) -> Vec<u8> {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("t.wav");
    write_tone(&p, hz, secs, 0.4);
    std::fs::read(p).unwrap()
}

fn upload(c: &mut Client, id: &str, data: &[u8]) {
    let r = c.post_form(
        "/api/v1/clips",
        &[
            ("id", id),
            ("title", "Bản tin"),
            ("category", "cchc"),
            ("areas", "22936"),
        ],
        Some(("a.wav", data)),
    );
    assert_eq!(r.status, 201, "{}", r.text());
}

#[test]
fn two_hub_processes_serve_one_feed() {
    let proxy_port = free_port();
    let proxy_url = format!("http://127.0.0.1:{proxy_port}");
    let mut o = HubOptions::new(Backend::Postgres);
    o.public_url = Some(proxy_url.clone());
    let mut hub = Hub::start_with(o);
    let admin = hub.admin("mat-khau-quan-tri-1");
    hub.add_user("bt", "editor", "589", "mk-bien-tap-589");
    hub.add_user("duyet", "approver", "58", "mk-phe-duyet-58");
    hub.add_user("duyet2", "approver", "58", "mk-phe-duyet-58b");
    let code = station_add(&hub, "phuoc-dinh", "22936");

    // Process B: same database and key, its own state folder (its cache).
    let b_dir = tempfile::tempdir().unwrap();
    let b_addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let b_cfg = write_config(
        b_dir.path(),
        "hub-b.toml",
        b_addr,
        &proxy_url,
        &b_dir.path().join("state"),
        &hub.database_url(),
        &hub.state().join("minisign.key"),
    );
    let b = HubProc::start(&b_cfg, b_addr);
    let a_addr = hub.addr;
    let proxy = Proxy::start(
        format!("127.0.0.1:{proxy_port}").parse().unwrap(),
        vec![a_addr, b_addr],
    );

    // Everything below goes through the proxy unless it names a process.
    let via = |addr| {
        let mut c = Client::new(addr);
        c.cookie = admin.cookie.clone();
        c
    };
    let mut ed = Client::new(proxy.addr);
    ed.cookie = hub.login("bt", "mk-bien-tap-589").cookie;
    let mut ap = Client::new(proxy.addr);
    ap.cookie = hub.login("duyet", "mk-phe-duyet-58").cookie;
    let st = enroll(&mut Client::new(proxy.addr), &code);
    let token = st["token"].as_str().unwrap().to_string();
    assert_eq!(
        st["feed_url"].as_str().unwrap(),
        format!("{proxy_url}/feed/manifest.json")
    );
    let ev_a = events(a_addr, "phuoc-dinh", &token);
    let ev_b = events(b_addr, "phuoc-dinh", &token);
    let first = wait_event(&ev_a, "feed", 1, WAIT);
    assert_eq!(
        wait_event(&ev_b, "feed", 1, WAIT),
        first,
        "both start at the same sequence"
    );

    // A clip approved through the proxy: both streams hear it, both serve it.
    let data = wav(1.5, 440.0);
    upload(&mut ed, "tin-1", &data);
    let r = ap.post_json("/api/v1/clips/tin-1/approve", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    let s1 = wait_event(&ev_a, "feed", first + 1, WAIT);
    assert_eq!(wait_event(&ev_b, "feed", s1, WAIT), s1);
    let m = same_from_both(a_addr, b_addr, "/feed/manifest.json");
    let sig = same_from_both(a_addr, b_addr, "/feed/manifest.json.minisig");
    loa::feed::sign::verify(&m, &String::from_utf8(sig).unwrap(), &hub.public_key).unwrap();
    let mv: serde_json::Value = serde_json::from_slice(&m).unwrap();
    assert_eq!(
        mv["sequence"].as_u64(),
        Some(s1),
        "a nudge names what the processes serve"
    );
    let clip = mv["clips"][0].clone();
    assert_eq!(clip["id"], "tin-1");
    let path = format!("/feed/{}", clip["path"].as_str().unwrap());
    // B never received the upload's bytes on disk unless it took the upload:
    // either way both serve them, whole and by range.
    let bytes = same_from_both(a_addr, b_addr, &path);
    assert_eq!(bytes, data);
    assert_eq!(
        hex::encode(Sha256::digest(&bytes)),
        clip["sha256"].as_str().unwrap()
    );
    for addr in [a_addr, b_addr] {
        let r = get(addr, &path, &[("Range", "bytes=100-1099")]);
        assert_eq!(r.status, 206, "range from {addr}");
        assert_eq!(r.body, data[100..1100].to_vec());
    }
    // A conditional poll is answered 304 by the other process too.
    let etag = get(a_addr, "/feed/manifest.json", &[])
        .header("etag")
        .unwrap()
        .to_string();
    assert_eq!(
        get(b_addr, "/feed/manifest.json", &[("If-None-Match", &etag)]).status,
        304
    );

    // The station's timetable, changed through the proxy; then play now.
    let mut ad = via(proxy.addr);
    let r = ad.request(
        "PUT",
        "/api/v1/stations/phuoc-dinh/programs",
        &[("Content-Type", "application/toml")],
        b"[[program]]\nid = \"sang\"\nat = [\"05:00\"]\nplay = [{ category = \"cchc\", count = 1 }]\n",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let p1 = r.json()["sequence"].as_u64().unwrap();
    assert_eq!(wait_event(&ev_a, "programs", p1, WAIT), p1);
    assert_eq!(wait_event(&ev_b, "programs", p1, WAIT), p1);
    let doc = same_from_both(a_addr, b_addr, "/feed/stations/phuoc-dinh/programs.toml");
    let dsig = same_from_both(
        a_addr,
        b_addr,
        "/feed/stations/phuoc-dinh/programs.toml.minisig",
    );
    loa::feed::sign::verify(&doc, &String::from_utf8(dsig).unwrap(), &hub.public_key).unwrap();
    assert!(String::from_utf8_lossy(&doc).contains(&format!("sequence = {p1}")));
    let r = ad.post_json(
        "/api/v1/stations/phuoc-dinh/play",
        &json!({"target": "sang"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let p2 = r.json()["sequence"].as_u64().unwrap();
    assert!(p2 > p1);
    assert_eq!(wait_event(&ev_a, "programs", p2, WAIT), p2);
    assert_eq!(wait_event(&ev_b, "programs", p2, WAIT), p2);
    let doc = same_from_both(a_addr, b_addr, "/feed/stations/phuoc-dinh/programs.toml");
    assert!(String::from_utf8_lossy(&doc).contains("sang"));

    // A pushed broadcast through the proxy.
    let r = ed.post_json(
        "/api/v1/broadcasts",
        &json!({"id": "khan", "title": "Khẩn cấp", "now": true, "play": ["tin-1"], "priority": 100, "areas": ["22936"]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = ap.post_json("/api/v1/broadcasts/khan/approve", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    let s2 = wait_event(&ev_a, "feed", s1 + 1, WAIT);
    assert_eq!(wait_event(&ev_b, "feed", s2, WAIT), s2);
    let m: serde_json::Value =
        serde_json::from_slice(&same_from_both(a_addr, b_addr, "/feed/manifest.json")).unwrap();
    assert_eq!(m["broadcasts"][0]["id"], "khan");

    // Approvals on both processes at once: every sequence served names one
    // manifest only, and the last one holds every clip.
    let n = 6;
    let ids: Vec<String> = (0..n).map(|i| format!("dong-thoi-{i}")).collect();
    for (i, id) in ids.iter().enumerate() {
        upload(&mut ed, id, &wav(0.5, 300.0 + 50.0 * i as f32));
    }
    let ap2 = hub.login("duyet2", "mk-phe-duyet-58b").cookie;
    let ap1 = ap.cookie.clone();
    let mut seen: HashMap<u64, Vec<u8>> = HashMap::new();
    std::thread::scope(|s| {
        let workers: Vec<_> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let (addr, cookie) = if i % 2 == 0 {
                    (a_addr, ap1.clone())
                } else {
                    (b_addr, ap2.clone())
                };
                s.spawn(move || {
                    let mut c = Client::new(addr);
                    c.cookie = cookie;
                    let r = c.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
                    assert_eq!(r.status, 200, "{id}: {}", r.text());
                })
            })
            .collect();
        // Meanwhile, read what both processes serve.
        while workers.iter().any(|w| !w.is_finished()) {
            for addr in [a_addr, b_addr] {
                let r = get(addr, "/feed/manifest.json", &[]);
                let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
                let seq = v["sequence"].as_u64().unwrap();
                let prev = seen.entry(seq).or_insert_with(|| r.body.clone());
                assert_eq!(*prev, r.body, "two different manifests with sequence {seq}");
            }
        }
        for w in workers {
            w.join().unwrap();
        }
    });
    let last: serde_json::Value =
        serde_json::from_slice(&same_from_both(a_addr, b_addr, "/feed/manifest.json")).unwrap();
    let listed: Vec<&str> = last["clips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for id in &ids {
        assert!(listed.contains(&id.as_str()), "{id} in {listed:?}");
    }
    let seq = last["sequence"].as_u64().unwrap();
    wait_event(&ev_a, "feed", seq, WAIT);
    wait_event(&ev_b, "feed", seq, WAIT);
    let rows = hub.sql("SELECT COUNT(*) || ' ' || COUNT(DISTINCT sequence) || ' ' || COUNT(DISTINCT sha256) FROM feed_manifests");
    let v: Vec<&str> = rows.split_whitespace().collect();
    assert_eq!(v[0], v[1], "one manifest per sequence: {rows}");
    // Each process's feed folder cache follows the database.
    wait_until(WAIT, "B's folder cache", || {
        std::fs::read(b_dir.path().join("state/feed/manifest.json")).ok()
            == Some(get(a_addr, "/feed/manifest.json", &[]).body)
    });
    let counts: Vec<usize> = proxy
        .counts
        .iter()
        .map(|c| c.load(std::sync::atomic::Ordering::SeqCst))
        .collect();
    assert!(
        counts.iter().all(|&c| c > 0),
        "the proxy used both: {counts:?}"
    );
    drop(b);
}
