//! The hub's station API against a real `loa hub run`, driven byte for byte:
//! enrolment (a code works once), heartbeats (shape, size cap, another
//! station's token, a clock hours off), the as-run upload (chain across
//! uploads, lines sent again, a broken `prev` → 409 with `last` and the break
//! flagged), and the events stream's first event. Each refusal changes nothing.

mod common;

use std::io::{Read, Write};
use std::time::Duration;

use common::hub::{Backend, Client, Hub};
use common::station_api::{bearer, beat, chain, enroll, hash, line, station_add, station_of};
use serde_json::{json, Value};

fn station_api_refusals_change_nothing(backend: Backend) {
    let mut hub = Hub::start(backend);
    let mut admin = hub.admin("mat-khau-quan-tri-1");
    let code_a = station_add(&hub, "tram-a", "22936");
    let code_b = station_add(&hub, "tram-b", "22939");
    let mut c = hub.client();

    // Enrolment: a wrong code and a used code get 403; the answer has everything.
    let r = c.post_json("/api/v1/enroll", &json!({"code": "aaaa-bbbb-cccc-dddd"}));
    assert_eq!(r.status, 403, "{}", r.text());
    let r = c.post_json("/api/v1/enroll", &json!({"kode": code_a}));
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.json()["reason_en"].as_str().unwrap().contains("`code`"));
    let a = enroll(&mut c, &code_a);
    assert_eq!(a["station"], "tram-a");
    assert_eq!(a["public_key"], hub.public_key.as_str());
    assert_eq!(a["feed_url"], format!("{}/feed/manifest.json", hub.url));
    assert_eq!(
        a["programs_url"],
        format!("{}/feed/stations/tram-a/programs.toml", hub.url)
    );
    let r = c.post_json("/api/v1/enroll", &json!({ "code": code_a }));
    assert_eq!(r.status, 403, "a code works once: {}", r.text());
    let b = enroll(&mut c, &code_b);
    let (ta, tb) = (a["token"].as_str().unwrap(), b["token"].as_str().unwrap());
    // Tokens and codes are stored hashed.
    let stored = hub.sql("SELECT token_hash FROM stations WHERE id = 'tram-a'");
    assert!(
        !stored.contains(ta) && stored.trim().len() == 64,
        "{stored}"
    );
    let audit = hub.sql("SELECT action FROM audit");
    assert!(audit.contains("station_add") && audit.contains("station_enroll"));
    assert!(audit.contains("station_enroll_failed"));

    // Heartbeats.
    let now = chrono::Utc::now();
    let body = beat(&now.to_rfc3339()).to_string();
    let r = c.request(
        "POST",
        "/api/v1/stations/tram-a/heartbeat",
        &[],
        body.as_bytes(),
    );
    assert_eq!(r.status, 401, "no token: {}", r.text());
    let r = bearer(
        &mut c,
        tb,
        "/api/v1/stations/tram-a/heartbeat",
        body.as_bytes(),
    );
    assert_eq!(r.status, 403, "another station's token: {}", r.text());
    let mut wrong = beat(&now.to_rfc3339());
    wrong["uptime_s"] = json!("long");
    let r = bearer(
        &mut c,
        ta,
        "/api/v1/stations/tram-a/heartbeat",
        wrong.to_string().as_bytes(),
    );
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(
        r.json()["reason_en"]
            .as_str()
            .unwrap()
            .contains("`uptime_s`"),
        "{}",
        r.text()
    );
    let mut big = beat(&now.to_rfc3339());
    big["errors"] = json!(vec!["x".repeat(1000); 200]);
    let r = bearer(
        &mut c,
        ta,
        "/api/v1/stations/tram-a/heartbeat",
        big.to_string().as_bytes(),
    );
    assert_eq!(r.status, 413, "{}", r.text());
    let s = station_of(&mut admin, "tram-a");
    assert_eq!(s["last_seen"], Value::Null, "refusals changed nothing: {s}");
    assert_eq!(s["online"], false);
    // A clock three hours fast is shown, and the station is online by the hub's clock.
    let fast = (now + chrono::TimeDelta::hours(3)).to_rfc3339();
    let r = bearer(
        &mut c,
        ta,
        "/api/v1/stations/tram-a/heartbeat",
        beat(&fast).to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let seq = r.json()["feed_sequence"].as_u64().unwrap();
    assert_eq!(seq, hub.manifest()["sequence"].as_u64().unwrap());
    let s = station_of(&mut admin, "tram-a");
    assert_eq!(s["online"], true, "{s}");
    assert_eq!(s["version"], "9.9.9");
    let off = s["clock_offset_s"].as_i64().unwrap();
    assert!((off - 10_800).abs() <= 5, "{off}");
    // A clock hours slow does not make it offline either.
    let slow = (now - chrono::TimeDelta::hours(5)).to_rfc3339();
    let r = bearer(
        &mut c,
        ta,
        "/api/v1/stations/tram-a/heartbeat",
        beat(&slow).to_string().as_bytes(),
    );
    assert_eq!(r.status, 200);
    assert_eq!(station_of(&mut admin, "tram-a")["online"], true);

    // As-run upload: in two batches, the second overlapping the first.
    let lines = chain(6);
    let path = "/api/v1/stations/tram-a/asrun";
    let r = bearer(
        &mut c,
        ta,
        path,
        json!({"lines": lines[..3]}).to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["last"], hash(&lines[2]));
    let r = bearer(
        &mut c,
        ta,
        path,
        json!({"lines": lines[1..5]}).to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["accepted"], 4);
    assert_eq!(r.json()["last"], hash(&lines[4]));
    let held = || hub.sql("SELECT line FROM asrun WHERE station = 'tram-a' ORDER BY id");
    let want: String = lines[..5].iter().map(|l| format!("{l}\n")).collect();
    assert_eq!(held(), want, "each line once, in order");
    // Another station's token, a wrong shape, a body over the cap: refused, nothing stored.
    let r = bearer(
        &mut c,
        tb,
        path,
        json!({"lines": [lines[5]]}).to_string().as_bytes(),
    );
    assert_eq!(r.status, 403);
    let r = bearer(
        &mut c,
        ta,
        path,
        json!({"lines": "x"}).to_string().as_bytes(),
    );
    assert_eq!(r.status, 400);
    let r = bearer(
        &mut c,
        ta,
        path,
        json!({"lines": ["{}"]}).to_string().as_bytes(),
    );
    assert_eq!(r.status, 400, "{}", r.text());
    let huge = vec!["x".repeat(10_000); 300];
    let r = bearer(
        &mut c,
        ta,
        path,
        json!({ "lines": huge }).to_string().as_bytes(),
    );
    assert_eq!(r.status, 413);
    assert_eq!(station_of(&mut admin, "tram-a")["chain_break"], Value::Null);
    // A line out of order: 409 with the hub's last; nothing stored; the break flagged.
    let other = chain(8);
    let r = bearer(
        &mut c,
        ta,
        path,
        json!({"lines": [lines[5].clone(), other[7].clone()]})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(r.json()["last"], hash(&lines[4]));
    assert_eq!(held(), want, "a refused batch stores nothing");
    // An edited line (its prev no longer follows): 409 too.
    let edited = lines[5].replace("Bản tin 5", "Bản tin sửa");
    let forged = line(6, &hash(&edited));
    let r = bearer(
        &mut c,
        ta,
        path,
        json!({"lines": [forged]}).to_string().as_bytes(),
    );
    assert_eq!(r.status, 409);
    let s = station_of(&mut admin, "tram-a");
    assert!(s["chain_break"].as_str().unwrap().contains("prev"), "{s}");
    assert_eq!(s["asrun_lines"], 5);
    assert!(hub.sql("SELECT action FROM audit").contains("asrun_break"));

    // The report: one row per occurrence held, inside the reader's scope.
    let q = "/api/v1/reports/asrun?from=2026-11-01&to=2026-11-30";
    let r = admin.get(&format!("{q}&format=json"));
    assert_eq!(r.status, 200, "{}", r.text());
    let rep = r.json();
    assert_eq!(rep["rows"].as_array().unwrap().len(), 5, "{rep}");
    assert_eq!(rep["rows"][0]["title"], "Bản tin 0");
    assert_eq!(rep["rows"][0]["chain_break"], true);
    let all = rep["summary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["category"] == "*")
        .unwrap()
        .clone();
    assert_eq!(all["aired"], 5);
    assert_eq!(all["minutes_aired"], 5.0);
    assert_eq!(all["compliance_pct"], 100.0);
    let r = admin.get(&format!("{q}&format=csv"));
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with("\u{feff}".as_bytes()));
    assert!(r.text().contains("Bản tin 4"));
    let r = admin.get(&format!("{q}&format=svg"));
    assert_eq!(
        r.header("content-type"),
        Some("image/svg+xml; charset=utf-8")
    );
    assert!(r.text().starts_with("<svg") && r.text().contains("<rect"));
    assert_eq!(admin.get(&format!("{q}&format=pdf")).status, 400);
    assert_eq!(admin.get("/api/v1/reports/asrun?from=tomorrow").status, 400);
    assert_eq!(hub.client().get(q).status, 401);
    hub.add_user("xem", "viewer", "22939", "mk-xem-22939");
    let mut viewer = hub.login("xem", "mk-xem-22939");
    let rep = viewer.get(q).json();
    assert_eq!(
        rep["rows"].as_array().unwrap().len(),
        0,
        "outside its areas: {rep}"
    );
    let listed = viewer.get("/api/v1/stations").json();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["id"], "tram-b");

    // The events stream: 403 for another station; its first event carries the sequence.
    let mut s = std::net::TcpStream::connect(hub.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "GET /api/v1/stations/tram-a/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {tb}\r\nConnection: close\r\n\r\n").unwrap();
    let mut got = String::new();
    let _ = s.read_to_string(&mut got);
    assert!(got.starts_with("HTTP/1.1 403"), "{got}");
    let mut s = std::net::TcpStream::connect(hub.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "GET /api/v1/stations/tram-a/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {ta}\r\n\r\n").unwrap();
    let mut buf = vec![0u8; 4096];
    let mut got = String::new();
    while !got.contains("\n\n") || !got.contains("event: feed") {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "{got}");
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(got.contains("text/event-stream"), "{got}");
    assert!(got.contains(&format!("{{\"sequence\":{seq}}}")), "{got}");
    // SIGTERM ends the hub even with the stream open (axum#2673).
    assert_eq!(hub.stop(), Some(0));
}

#[test]
fn station_api_refusals_change_nothing_sqlite() {
    station_api_refusals_change_nothing(Backend::Sqlite);
}

#[test]
fn station_api_refusals_change_nothing_postgres() {
    station_api_refusals_change_nothing(Backend::Postgres);
}

/// Read one SSE event's data line from an open stream (skipping keep-alives).
fn next_sequence(s: &mut std::net::TcpStream, seen: &mut String) -> u64 {
    let mut buf = vec![0u8; 4096];
    loop {
        if let Some(i) = seen.find("data: ") {
            if let Some(j) = seen[i..].find('\n') {
                let data = seen[i + 6..i + j].to_string();
                seen.replace_range(..i + j, "");
                let v: Value = serde_json::from_str(data.trim()).unwrap();
                return v["sequence"].as_u64().unwrap();
            }
        }
        let n = s.read(&mut buf).expect("an event in time");
        assert!(n > 0, "the stream ended: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

#[test]
fn a_nudge_raised_on_one_hub_process_reaches_streams_on_another() {
    let hub = Hub::start(Backend::Postgres);
    hub.add_user("bt", "editor", "589", "mk-bien-tap-589");
    hub.add_user("duyet", "approver", "58", "mk-phe-duyet-58");
    let code = station_add(&hub, "tram-a", "22936");
    let token = enroll(&mut hub.client(), &code)["token"]
        .as_str()
        .unwrap()
        .to_string();

    // A second `loa hub run` on the same database and state folder.
    let port = common::hub::free_port();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let toml = std::fs::read_to_string(hub.config())
        .unwrap()
        .replace(&hub.addr.to_string(), &addr.to_string());
    let second = hub.dir.path().join("hub2.toml");
    std::fs::write(&second, toml).unwrap();
    let log = std::fs::File::create(hub.dir.path().join("hub2.log")).unwrap();
    let mut b = common::loa()
        .arg("--config")
        .arg(&second)
        .args(["hub", "run"])
        .stderr(log)
        .spawn()
        .unwrap();
    let t = std::time::Instant::now();
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the second hub did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    // The station's stream is on the first process.
    let mut s = std::net::TcpStream::connect(hub.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET /api/v1/stations/tram-a/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n").unwrap();
    let mut seen = String::new();
    let first = next_sequence(&mut s, &mut seen);
    // The approval is made on the second.
    let login = |c: &mut Client, u: &str, p: &str| {
        let r = c.post_json("/api/v1/session", &json!({"user": u, "password": p}));
        assert_eq!(r.status, 200, "{}", r.text());
    };
    let mut ed = Client::new(addr);
    login(&mut ed, "bt", "mk-bien-tap-589");
    let mut ap = Client::new(addr);
    login(&mut ap, "duyet", "mk-phe-duyet-58");
    let dir = tempfile::tempdir().unwrap();
    common::write_tone(&dir.path().join("a.wav"), 440.0, 1.0, 0.5);
    let data = std::fs::read(dir.path().join("a.wav")).unwrap();
    let r = ed.post_form(
        "/api/v1/clips",
        &[
            ("id", "tin"),
            ("title", "Tin"),
            ("category", "cchc"),
            ("areas", "22936"),
        ],
        Some(("a.wav", &data)),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let t0 = std::time::Instant::now();
    let r = ap.post_json("/api/v1/clips/tin/approve", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    let next = next_sequence(&mut s, &mut seen);
    let took = t0.elapsed();
    assert_eq!(next, first + 1);
    assert!(took <= Duration::from_secs(1), "{took:?}");
    eprintln!("nudge across hub processes: {took:?}");
    unsafe {
        libc::kill(b.id() as i32, libc::SIGTERM);
    }
    let _ = b.wait();
}
