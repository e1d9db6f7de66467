//! PostgreSQL stopped (`pg_ctl stop -m fast`) while pages, the API and
//! heartbeats run: the hub answers 503 with a Vietnamese reason (never 500,
//! never a hang: the pool's acquire timeout bounds each request), and once
//! `pg_ctl start` brings it back, it recovers without a restart — the pool
//! reconnects and the LISTEN/NOTIFY nudges reach the events streams again.

use super::*;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

const UNAVAILABLE_VI: &str = "Cơ sở dữ liệu tạm thời không truy cập được";

/// Hold the station's events stream; every `data:` sequence goes to `seen`.
fn follow(addr: SocketAddr, token: String, seen: Arc<Mutex<Vec<u64>>>) {
    std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET /api/v1/stations/phuoc-dinh/events HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { return };
            if let Some(d) = line.strip_prefix("data: ") {
                if let Ok(v) = serde_json::from_str::<Value>(d) {
                    if let Some(q) = v["sequence"].as_u64() {
                        seen.lock().unwrap().push(q);
                    }
                }
            }
        }
    });
}

fn beat(c: &mut Client, token: &str) -> common::hub::Resp {
    let b = json!({"on_air": null, "version": "0.1.0", "uptime_s": 1,
        "clock": chrono::Utc::now().to_rfc3339(), "disk_free_bytes": 1, "errors": []});
    common::station_api::bearer(
        c,
        token,
        "/api/v1/stations/phuoc-dinh/heartbeat",
        b.to_string().as_bytes(),
    )
}

#[test]
fn postgres_stopped_and_started_under_requests() {
    let hub = start(Backend::Postgres);
    let token = station(&hub, "phuoc-dinh");
    let pid = hub.pid();
    let mut admin = hub.login("quantri", "mat-khau-quan-tri");
    assert_eq!(beat(&mut hub.client(), &token).status, 200);
    assert_eq!(admin.get("/api/v1/stations").status, 200);
    assert_eq!(admin.get("/stations").status, 200);
    let seen = Arc::new(Mutex::new(vec![]));
    follow(hub.addr, token.clone(), seen.clone());

    // Load: heartbeats, the stations list and a page, from three threads.
    let stop = Arc::new(AtomicBool::new(false));
    let statuses = Arc::new(Mutex::new(Vec::<(u16, String)>::new()));
    let mut load = vec![];
    for k in 0..3 {
        let (stop, statuses, token) = (stop.clone(), statuses.clone(), token.clone());
        let mut c = match k {
            0 => hub.client(),
            _ => hub.login("quantri", "mat-khau-quan-tri"),
        };
        load.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let r = match k {
                    0 => beat(&mut c, &token),
                    1 => c.get("/api/v1/stations"),
                    _ => c.get("/stations"),
                };
                statuses.lock().unwrap().push((r.status, r.text()));
                std::thread::sleep(Duration::from_millis(50));
            }
        }));
    }
    std::thread::sleep(Duration::from_millis(500));
    let pg = hub.pg().unwrap();
    pg.stop_fast();

    // Down: every kind of request answers 503 with the reason.
    let r = beat(&mut hub.client(), &token);
    assert_eq!(r.status, 503, "{}", r.text());
    let (vi, en) = reasons(&r);
    assert!(vi.starts_with(UNAVAILABLE_VI), "{vi}");
    assert!(en.contains("database"), "{en}");
    assert!(r.header("retry-after").is_some());
    let r = admin.get("/api/v1/stations");
    assert_eq!(r.status, 503, "{}", r.text());
    let r = admin.get("/stations");
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(r.text().contains(UNAVAILABLE_VI), "{}", r.text());
    let r = hub.client().post_json(
        "/api/v1/session",
        &json!({"user": "quantri", "password": "mat-khau-quan-tri"}),
    );
    assert_eq!(r.status, 503, "{}", r.text());
    std::thread::sleep(Duration::from_secs(1));

    pg.start_again();
    // Back, without restarting the hub.
    let t = std::time::Instant::now();
    loop {
        let r = beat(&mut hub.client(), &token);
        if r.status == 200 {
            break;
        }
        assert_eq!(r.status, 503, "{}", r.text());
        assert!(t.elapsed() < Duration::from_secs(60), "never recovered");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(hub.pid(), pid);
    assert_eq!(admin.get("/api/v1/stations").status, 200);
    assert_eq!(admin.get("/stations").status, 200);
    stop.store(true, Ordering::Relaxed);
    for t in load {
        t.join().unwrap();
    }
    let statuses = statuses.lock().unwrap();
    let odd: Vec<_> = statuses
        .iter()
        .filter(|(s, _)| *s != 200 && *s != 503)
        .collect();
    assert!(odd.is_empty(), "neither 200 nor 503: {odd:?}");
    assert!(statuses.iter().any(|(s, _)| *s == 503));
    for (s, text) in statuses.iter().filter(|(s, _)| *s == 503) {
        assert!(text.contains(UNAVAILABLE_VI), "{s}: {text}");
    }

    // The nudge listener reconnected: a NOTIFY from outside reaches the stream.
    let t = std::time::Instant::now();
    let mut n = 1_000_000u64;
    while !seen.lock().unwrap().contains(&n) {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "nudges never resumed"
        );
        n += 1;
        pg.psql(&format!("SELECT pg_notify('loa_feed', '{n}')"));
        std::thread::sleep(Duration::from_millis(300));
    }
    // And an approval signs and nudges as before.
    let id = upload(&hub, "tin-sau", 1.0);
    assert_eq!(approve(&hub, &id).status, 200);
    feed_verifies(&hub);
    let mut hub = hub;
    audit_ok(&mut hub);
}
