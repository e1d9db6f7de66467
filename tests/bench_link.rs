//! Benchmark (ignored; `cargo nextest run --run-ignored only --test bench_link`):
//! a station's as-run upload of 10,000 lines to a real `loa hub run`
//! (SQLite), in the station's batches of 500, each line checked against the
//! chain; then the month's report over them. Prints BENCH lines for BENCHMARKS.md.

mod common;

use std::time::Instant;

use common::hub::{Backend, Hub};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

#[test]
#[ignore]
fn bench_asrun_upload_of_ten_thousand_lines() {
    let mut hub = Hub::start(Backend::Sqlite);
    let mut admin = hub.admin("mat-khau-quan-tri-1");
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "station",
            "add",
            "bench",
            "--name",
            "Đài đo",
            "--areas",
            "22936",
            "--json",
        ],
        None,
    );
    assert_eq!(code, Some(0), "{out} {err}");
    let code = serde_json::from_str::<Value>(out.trim()).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let mut c = hub.client();
    let token = c
        .post_json("/api/v1/enroll", &json!({ "code": code }))
        .json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut prev = "0".repeat(64);
    let lines: Vec<String> = (0..10_000)
        .map(|i| {
            let day = 1 + (i / 340) % 28;
            let l = format!(
                r#"{{"event":"outcome","occurrence":"p{i}@2026-11-{day:02}T05:00:00+07:00","program":"p{i}","title":"Bản tin {i}","scheduled":"2026-11-{day:02}T05:00:00.000+07:00","started":"2026-11-{day:02}T05:00:00.004+07:00","ended":"2026-11-{day:02}T05:15:00.000+07:00","outcome":"aired","items":[{{"name":"chime.ogg","sha256":"{h}","seconds":900.0}}],"prev":"{prev}"}}"#,
                h = "ab".repeat(32)
            );
            prev = hex::encode(Sha256::digest(l.as_bytes()));
            l
        })
        .collect();
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    let auth = format!("Bearer {token}");
    let t = Instant::now();
    for batch in lines.chunks(500) {
        let body = json!({ "lines": batch }).to_string();
        let r = c.request(
            "POST",
            "/api/v1/stations/bench/asrun",
            &[
                ("Content-Type", "application/json"),
                ("Authorization", &auth),
            ],
            body.as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let took = t.elapsed();
    println!(
        "BENCH as-run upload: 10000 lines ({} kB) in 20 batches of 500 to a real hub (SQLite): {:.2} s ({:.0} lines/s)",
        bytes / 1024,
        took.as_secs_f64(),
        10_000.0 / took.as_secs_f64()
    );
    let t = Instant::now();
    let r = admin.get("/api/v1/reports/asrun?from=2026-11-01&to=2026-11-30");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["rows"].as_array().unwrap().len(), 10_000);
    println!(
        "BENCH report: a month of 10000 occurrences (JSON, {} kB): {:.2} s",
        r.body.len() / 1024,
        t.elapsed().as_secs_f64()
    );
}
