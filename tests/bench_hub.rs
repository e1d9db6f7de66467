//! Hub benchmarks (`#[ignore]`; `bench/run.sh` runs them in release):
//! upload → approved → in the signed feed for a 10 MB MP3 (median of 3),
//! and the hub's idle RSS. Each prints one `BENCH` line.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::hub::{Backend, Hub, HubOptions};
use serde_json::json;

#[test]
#[ignore]
fn bench_hub_upload_to_signed_feed_10mb_mp3() {
    let mut o = HubOptions::new(Backend::Sqlite);
    o.max_upload = "200MiB".into();
    let hub = Hub::start_with(o);
    hub.add_user("bt", "editor", "589", "mk-bien-tap-589");
    hub.add_user("duyet", "approver", "58", "mk-phe-duyet-58");
    let mp3 = hub.dir.path().join("tin.mp3");
    let ok = Command::new("sox")
        .args(["-n", "-r", "44100", "-c", "2", "-C", "320"])
        .arg(&mp3)
        .args(["synth", "262", "pinknoise", "vol", "0.3"])
        .status()
        .expect("sox with libsox-fmt-mp3");
    assert!(ok.success());
    let data = std::fs::read(&mp3).unwrap();
    let mut ed = hub.login("bt", "mk-bien-tap-589");
    let mut ap = hub.login("duyet", "mk-phe-duyet-58");
    let mut times = vec![];
    let (mut up_t, mut ap_t) = (vec![], vec![]);
    for i in 0..3 {
        let id = format!("tin-{i}");
        let t0 = Instant::now();
        let r = ed.post_form(
            "/api/v1/clips",
            &[
                ("id", &id),
                ("title", "Bản tin 10 MB"),
                ("category", "thong-bao"),
            ],
            Some(("tin.mp3", &data)),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        let t1 = Instant::now();
        let r = ap.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
        assert_eq!(r.status, 200, "{}", r.text());
        let m = hub.manifest();
        assert!(m["clips"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == id.as_str()));
        let t2 = Instant::now();
        up_t.push((t1 - t0).as_secs_f64());
        ap_t.push((t2 - t1).as_secs_f64());
        times.push((t2 - t0).as_secs_f64());
    }
    let med = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    println!(
        "BENCH hub upload -> approved -> signed feed, {:.1} MB MP3 (262 s, 320 kbit/s; median of 3): {:.2} s (upload, decode + EBU R128 {:.2} s; approve + re-sign {:.3} s)",
        data.len() as f64 / 1e6,
        med(&mut times),
        med(&mut up_t),
        med(&mut ap_t)
    );
}

#[test]
#[ignore]
fn bench_hub_idle_rss() {
    let hub = Hub::start(Backend::Sqlite);
    let mut c = hub.login("admin", &hub.admin_password.clone());
    assert_eq!(c.get("/api/v1/session").status, 200);
    std::thread::sleep(Duration::from_secs(10));
    let (rss, hwm) = common::rss_kb(hub.pid().unwrap());
    println!(
        "BENCH hub idle: RSS {rss} kB (peak {hwm} kB: argon2id uses 19 MiB while it checks a password) 10 s after start and one sign-in, SQLite"
    );
}
