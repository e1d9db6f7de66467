//! Benchmark, not a test (`#[ignore]`; run by bench/run.sh): the feed's cost
//! on the wire and its speed, against a real nginx on loopback.
//! - an unchanged feed: requests and bytes per poll over 100 polls;
//! - a download cut at random points and resumed: bytes beyond the remainder;
//! - syncing ~200 MB of new clips, against curl fetching the same files.
//!
//! Prints one `BENCH` line per figure.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::feedkit::{feed, noise_wav, publish};
use common::nginx::Nginx;
use common::*;

fn keygen_publish(st: &Station, files: &[std::path::PathBuf]) -> String {
    let f = feed(st);
    for file in files {
        publish(&f, &["--category", "bench", file.to_str().unwrap()]);
    }
    f.public_key
}

fn config(st: &Station, url: &str, pk: &str) {
    std::fs::create_dir_all(st.path("audio")).unwrap();
    st.write_config(&format!(
        "[feed]\nurl = \"{url}\"\npublic_key = \"{pk}\"\n\n[[program]]\nid = \"x\"\nat = [\"05:00\"]\nplay = [{{ category = \"bench\" }}]\n"
    ));
}

#[test]
#[ignore]
fn bench_feed_unchanged_polls_and_resume() {
    let st = Station::new();
    let clip = st.path("clip.wav");
    noise_wav(&clip, 16, 7); // ~3 MB
    let pk = keygen_publish(&st, std::slice::from_ref(&clip));
    let web = Nginx::start(&st.path("www"), &st.path("nginx"));
    config(&st, &web.url("manifest.json"), &pk);
    assert!(st.cmd(&["sync"]).status.success());
    let before = web.log().len();
    for _ in 0..100 {
        assert!(st.cmd(&["sync"]).status.success());
    }
    let polls = &web.log()[before..];
    let bytes: u64 = polls.iter().map(|(_, req, sent, ..)| req + sent).sum();
    println!(
        "BENCH feed unchanged: 100 polls, {} requests ({:.2} per poll), {:.0} bytes per poll (request + response, headers included), statuses {:?}",
        polls.len(),
        polls.len() as f64 / 100.0,
        bytes as f64 / 100.0,
        polls.iter().map(|p| p.0).collect::<std::collections::BTreeSet<_>>()
    );

    // A cut download: kill `loa sync` at random points, then let it finish.
    let st2 = Station::new();
    let pk2 = keygen_publish(&st2, std::slice::from_ref(&clip));
    let slow = Nginx::start_with(&st2.path("www"), &st2.path("nginx"), Some("512k"));
    config(&st2, &slow.url("manifest.json"), &pk2);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..5 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut child = loa()
            .arg("--config")
            .arg(st2.config_path())
            .arg("sync")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(300 + seed % 700));
        let _ = child.kill();
        let _ = child.wait();
    }
    assert!(st2.cmd(&["sync"]).status.success());
    let size = std::fs::metadata(&clip).unwrap().len();
    let body: u64 = slow
        .log()
        .iter()
        .filter(|(_, _, _, _, r)| r.contains("/clips/"))
        .map(|(_, _, sent, ..)| *sent)
        .sum();
    let requests = slow
        .log()
        .iter()
        .filter(|(_, _, _, _, r)| r.contains("/clips/"))
        .count();
    let beyond = body.saturating_sub(size);
    println!(
        "BENCH feed resume: clip {size} bytes, 5 cuts, {requests} clip requests, {beyond} bytes sent beyond the clip in all ({} per cut; response headers and bytes in flight at each kill included)",
        beyond / 5
    );
}

#[test]
#[ignore]
fn bench_feed_200mb_against_curl() {
    let st = Station::new();
    let files: Vec<_> = (0..10)
        .map(|i| {
            let p = st.path(&format!("clip{i}.wav"));
            noise_wav(&p, 109, i + 1); // ~21 MB each
            p
        })
        .collect();
    let total: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    let pk = keygen_publish(&st, &files);
    let web = Nginx::start(&st.path("www"), &st.path("nginx"));
    config(&st, &web.url("manifest.json"), &pk);
    let dir = st.path("curl");
    let (mut loa_runs, mut curl_runs) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(st.path("state"));
        let t = Instant::now();
        let o = st.cmd(&["sync"]);
        loa_runs.push(t.elapsed().as_secs_f64());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let t = Instant::now();
        for i in 0..10 {
            let ok = std::process::Command::new("curl")
                .args(["-sSf", "-o"])
                .arg(dir.join(format!("{i}")))
                .arg(web.url(&format!("clips/clip{i}.wav")))
                .status()
                .unwrap();
            assert!(ok.success());
        }
        curl_runs.push(t.elapsed().as_secs_f64());
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    let (loa_s, curl_s) = (median(loa_runs), median(curl_runs));
    let mb = total as f64 / 1e6;
    println!(
        "BENCH feed 200 MB (median of 3): {mb:.0} MB; loa sync {loa_s:.2} s ({:.0} MB/s, verified + fsynced) vs curl {curl_s:.2} s ({:.0} MB/s): {:.2}x curl's throughput",
        mb / loa_s,
        mb / curl_s,
        curl_s / loa_s
    );
}
