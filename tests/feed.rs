//! The signed feed end to end with the real binary: `loa publish` into a
//! folder served by a real nginx, the daemon picking clips up and airing them
//! (category rotation, pushed broadcasts at their instant), tampered clips
//! refused, a failing feed never stopping the airing, and `loa sync` killed
//! mid-download again and again without ever leaving a bad file.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use common::feedkit::{feed, feed_toml, noise_wav, publish};
use common::nginx::{self, Nginx};
use common::*;
use sha2::{Digest, Sha256};

/// Every stored clip's content matches its name (its SHA-256).
fn store_is_sound(state: &Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(state.join("store"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
            let got = hex::encode(Sha256::digest(std::fs::read(e.path()).unwrap()));
            assert_eq!(got, name, "a stored file does not match its name");
            n += 1;
        }
    }
    n
}

#[test]
fn a_published_clip_airs_in_a_category_program_and_a_pushed_broadcast_at_its_instant() {
    if !nginx::required_or_skip("feed e2e") {
        return;
    }
    let st = Station::new();
    let f = feed(&st);
    write_tone(&st.path("thong-bao.wav"), 660.0, 1.0, 0.5);
    publish(
        &f,
        &[
            "--category",
            "cchc",
            "--lang",
            "vi",
            st.path("thong-bao.wav").to_str().unwrap(),
        ],
    );
    let web = Nginx::start(&f.root, &st.path("nginx"));
    let a = whole_second_in(6);
    st.write_config(&format!(
        "{}[[program]]\nid = \"cchc\"\nat = [\"{}\"]\nplay = [{{ category = \"cchc\", count = 1 }}]\n",
        feed_toml(&web.url("manifest.json"), &f.public_key),
        st.local_hms(a)
    ));
    let mut d = st.spawn();
    std::thread::sleep(Duration::from_millis(1500));
    let b = a + TimeDelta::seconds(4);
    publish(
        &f,
        &[
            "--broadcast",
            "khan",
            "--at",
            &b.to_rfc3339(),
            "--play",
            "thong-bao",
            "--priority",
            "100",
        ],
    );
    st.wait_for(Duration::from_secs(20), "both aired", |r| {
        r.iter().filter(|x| x["outcome"] == "aired").count() == 2
    });
    d.term();
    let cchc = &st.outcomes("cchc")[0];
    assert_eq!(cchc["items"][0]["name"], "thong-bao", "{cchc}");
    assert_eq!(
        cchc["items"][0]["clip"], "thong-bao",
        "the as-run item carries the feed clip id: {cchc}"
    );
    let push = &st.outcomes("push-khan")[0];
    assert_eq!(push["outcome"], "aired", "{push}");
    assert_eq!(push["items"][0]["clip"], "thong-bao", "{push}");
    let rec = Recording::read_wav(&st.wav_path());
    let on = rec.onsets(0.02, Duration::from_millis(500));
    assert_eq!(on.len(), 2, "{on:?}");
    for (got, want) in on.iter().zip([a, b]) {
        let late = late_ms(*got, want);
        assert!(late.abs() <= 50.0, "{late} ms from its instant");
    }
    assert!(
        web.log().iter().any(|(status, ..)| *status == 304),
        "conditional polls: {:?}",
        web.requests()
    );
}

#[test]
fn a_tampered_clip_on_the_server_is_refused_and_the_store_is_untouched() {
    if !nginx::required_or_skip("feed tamper") {
        return;
    }
    let st = Station::new();
    let f = feed(&st);
    write_tone(&st.path("mot.wav"), 440.0, 0.5, 0.5);
    publish(
        &f,
        &["--category", "cchc", st.path("mot.wav").to_str().unwrap()],
    );
    let web = Nginx::start(&f.root, &st.path("nginx"));
    st.write_config(&format!(
        "{}[[program]]\nid = \"x\"\nat = [\"05:00\"]\nplay = [{{ category = \"cchc\" }}]\n",
        feed_toml(&web.url("manifest.json"), &f.public_key)
    ));
    let ok = st.cmd(&["sync"]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let index_before = std::fs::read(st.path("state/store/index.json")).unwrap();
    // A second clip, then someone swaps its bytes on the server.
    write_tone(&st.path("hai.wav"), 880.0, 0.5, 0.5);
    publish(
        &f,
        &["--category", "cchc", st.path("hai.wav").to_str().unwrap()],
    );
    let served = f.root.join("clips/hai.wav");
    let mut bytes = std::fs::read(&served).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0xff;
    std::fs::write(&served, bytes).unwrap();
    let bad = st.cmd(&["sync"]);
    let out = String::from_utf8_lossy(&bad.stdout).into_owned();
    assert_eq!(bad.status.code(), Some(1), "{out}");
    assert!(
        out.contains("sha256"),
        "the reason names the hash check: {out}"
    );
    assert_eq!(
        std::fs::read(st.path("state/store/index.json")).unwrap(),
        index_before,
        "index untouched"
    );
    assert_eq!(
        store_is_sound(&st.path("state")),
        1,
        "only the good clip is stored"
    );
}

#[test]
fn a_failing_feed_never_stops_the_airing() {
    let st = Station::new();
    st.tone("x.wav", 440.0, 0.5);
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port(); // closed once dropped
    let a = whole_second_in(4);
    st.write_config(&format!(
        "{}[[program]]\nid = \"tin\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        feed_toml(
            &format!("http://127.0.0.1:{dead}/manifest.json"),
            "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"
        ),
        st.local_hms(a)
    ));
    let mut d = st.spawn_with(&["--output", "null"]);
    st.wait_for(Duration::from_secs(12), "tin aired", |r| {
        r.iter().any(|x| x["outcome"] == "aired")
    });
    let status = st.cmd(&["status", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    let result = v["feed"]["result"].as_str().unwrap_or_default().to_string();
    assert!(result.contains("failed"), "{v:#}");
    assert!(d.alive());
    d.term();
    assert!(d.stderr().contains("store is unchanged"), "{}", d.stderr());
}

#[test]
fn sync_killed_mid_download_twenty_times_never_stores_a_bad_file_and_resumes_with_range() {
    if !nginx::required_or_skip("feed kill -9") {
        return;
    }
    let st = Station::new();
    let f = feed(&st);
    // About 3 MB of noise at 256 kB/s: 12 s, longer than the 20 cuts take.
    let big = st.path("dai.wav");
    noise_wav(&big, 16, 12345);
    publish(&f, &["--category", "cchc", big.to_str().unwrap()]);
    let web = Nginx::start_with(&f.root, &st.path("nginx"), Some("256k"));
    st.write_config(&format!(
        "{}[[program]]\nid = \"x\"\nat = [\"05:00\"]\nplay = [{{ category = \"cchc\" }}]\n",
        feed_toml(&web.url("manifest.json"), &f.public_key)
    ));
    let mut seed = Utc::now().timestamp_subsec_nanos() as u64 | 1;
    for round in 0..20 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let wait = Duration::from_millis(100 + seed % 400);
        let mut child = loa()
            .arg("--config")
            .arg(st.config_path())
            .arg("sync")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let t = Instant::now();
        while t.elapsed() < wait && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        store_is_sound(&st.path("state"));
        let index = st.path("state/store/index.json");
        if index.exists() {
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&index).unwrap())
                .expect("index is whole JSON after a kill");
            for c in v["clips"].as_array().into_iter().flatten() {
                let file = st.path("state/store").join(c["sha256"].as_str().unwrap());
                assert!(
                    file.exists(),
                    "round {round}: the index lists a clip whose file is not in place"
                );
            }
        }
    }
    let done = st.cmd(&["sync"]);
    assert_eq!(
        done.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&done.stdout)
    );
    assert_eq!(store_is_sound(&st.path("state")), 1);
    let ranges: Vec<_> = web
        .log()
        .into_iter()
        .filter(|(status, _, _, range, _)| *status == 206 && range.starts_with("bytes="))
        .collect();
    assert!(
        !ranges.is_empty(),
        "resumed with Range requests: {:?}",
        web.requests()
    );
    let clip_bytes: u64 = web
        .log()
        .iter()
        .filter(|(_, _, _, _, req)| req.contains("/clips/"))
        .map(|(_, _, sent, _, _)| *sent)
        .sum();
    let size = std::fs::metadata(&big).unwrap().len();
    eprintln!("clip {size} bytes; sent for it over all attempts (with headers): {clip_bytes}");
    assert!(
        clip_bytes < size + 21 * 64 * 1024,
        "resuming re-fetched too much: {clip_bytes} for {size}"
    );
}
