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

/// The province's monthly report over 1,000 stations: each aired 4 programs a
/// day for November (120,000 occurrences, written straight into the hub's
/// database as uploads would have left them), then the report as JSON, CSV,
/// XLSX and the chart, timed as the report reader gets them.
#[test]
#[ignore]
fn bench_a_month_report_over_a_thousand_stations() {
    let mut hub = Hub::start(Backend::Sqlite);
    let mut admin = hub.admin("mat-khau-quan-tri-1");
    common::station_api::seed_stations(&hub, 1000);
    // 2026-11-01T00:00+07:00; slots at 05:00, 11:00, 17:00, 20:00 local.
    let base = 1_793_466_000_i64;
    let t = Instant::now();
    hub.sql(&format!(
        "WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < 119999), \
         o AS (SELECT k, printf('tram-%05d', k % 1000) AS st, (k / 1000) / 4 AS d, \
               CASE (k / 1000) % 4 WHEN 0 THEN 5 WHEN 1 THEN 11 WHEN 2 THEN 17 ELSE 20 END AS h FROM n), \
         t AS (SELECT k, st, d, h, {base} + d * 86400 + h * 3600 AS at FROM o) \
         INSERT INTO asrun (station, hash, prev, line, event, occurrence, program, title, scheduled, outcome, seconds, received_at) \
         SELECT st, printf('%064d', k), printf('%064d', k), \
           printf('{{\"event\":\"outcome\",\"occurrence\":\"p%d@%s\",\"program\":\"p%d\",\"title\":\"Bản tin %d giờ\",\"scheduled\":\"%s\",\"outcome\":\"%s\",\"items\":[{{\"name\":\"a.ogg\",\"sha256\":\"%s\",\"seconds\":900.0}}],\"prev\":\"%064d\"}}', \
             h, strftime('%Y-%m-%dT%H:%M:%S+07:00', at + 25200, 'unixepoch'), h, h, \
             strftime('%Y-%m-%dT%H:%M:%S.000+07:00', at + 25200, 'unixepoch'), \
             CASE WHEN k % 50 = 0 THEN 'missed' ELSE 'aired' END, '{sha}', k), \
           'outcome', printf('p%d@%s', h, strftime('%Y-%m-%dT%H:%M:%S+07:00', at + 25200, 'unixepoch')), \
           printf('p%d', h), printf('Bản tin %d giờ', h), at, \
           CASE WHEN k % 50 = 0 THEN 'missed' ELSE 'aired' END, 900.0, at FROM t;",
        sha = "ab".repeat(32)
    ));
    println!(
        "BENCH report seed: 120000 occurrences of 1000 stations written in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let q = "/api/v1/reports/asrun?from=2026-11-01&to=2026-11-30";
    let pid = hub.pid().unwrap();
    // The chart first: it needs the rows but writes little, so each later
    // peak shows what that format's output adds.
    for format in ["svg", "json", "csv", "xlsx"] {
        let t = Instant::now();
        let r = admin.get(&format!("{q}&format={format}"));
        let took = t.elapsed();
        assert_eq!(r.status, 200, "{format}: {}", r.text());
        if format == "json" {
            let v: Value = r.json();
            assert_eq!(v["rows"].as_array().unwrap().len(), 120_000);
        }
        let (rss, hwm) = common::rss_kb(pid);
        println!(
            "BENCH report: a month of 1000 stations (120000 occurrences) as {format}: {:.2} s, {} kB; hub RSS after {rss} kB, peak so far {hwm} kB",
            took.as_secs_f64(),
            r.body.len() / 1024
        );
    }
    assert_eq!(hub.stop(), Some(0));
}
