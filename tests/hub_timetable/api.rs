//! The programs API: 422 with positions, 403 outside the scope, and the
//! nudge on the events stream (SQLite and PostgreSQL).

use super::*;

fn api_checks(backend: Backend) {
    let Setup {
        mut hub,
        mut admin,
        mut op,
        st,
    } = setup(backend);
    station_add(&hub, "khac", "22936");
    let mut other = operator(&hub, "vh2", "khac", "mk-van-hanh-2");
    // The station's heartbeat lists its clip files (as `loa run` sends it).
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(st.path("state/hub.json")).unwrap()).unwrap();
    let token = creds["token"].as_str().unwrap().to_string();
    let r = hub.client().request(
        "POST",
        &format!("/api/v1/stations/{STATION}/heartbeat"),
        &[
            ("Authorization", &format!("Bearer {token}")),
            ("Content-Type", "application/json"),
        ],
        json!({"on_air": null, "version": "0.1.0", "uptime_s": 1, "clock": Utc::now().to_rfc3339(),
               "disk_free_bytes": 1, "errors": [], "local_clips": ["a.wav", "b.wav"]})
        .to_string()
        .as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // 422: every problem at its line:col, the loa check messages; nothing stored.
    let bad = "[[program]]\nid = \"sang\"\nat = [\"25:00\"]\nplay = [\"khong-co.ogg\", { clip = \"khong-co\" }, { stream = \"rtsp://vov.vn/1\", duration = \"5m\" }]\n\n[output]\nvolume = 1\n";
    let r = put(&mut op, STATION, bad);
    assert_eq!(r.status, 422, "{}", r.text());
    let v = r.json();
    let diags: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    let has = |pre: &str, word: &str| diags.iter().any(|d| d.starts_with(pre) && d.contains(word));
    assert!(has("3:7: ", "25:00"), "{diags:?}");
    assert!(has("4:9: ", "khong-co.ogg"), "{diags:?}");
    assert!(has("4:", "\"khong-co\""), "{diags:?}");
    assert!(has("4:", "http"), "{diags:?}");
    assert!(has("6:2: ", "only [[program]]"), "{diags:?}");
    assert!(v["reason"]
        .as_str()
        .unwrap()
        .contains("lịch phát sóng có lỗi"));
    let t = op
        .get(&format!("/api/v1/stations/{STATION}/programs"))
        .json();
    assert_eq!(t["sequence"], 0, "{t}");
    assert!(!feed_doc(&hub, STATION).join("programs.toml").exists());

    // 403: the operator of another station, audited; a viewer too.
    let good = program(&st, "sang", Utc::now() + TimeDelta::hours(1), "a.wav");
    let r = put(&mut other, STATION, &good);
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.json()["reason_en"]
        .as_str()
        .unwrap()
        .contains("operator of station"));
    let r = other.post_json(
        &format!("/api/v1/stations/{STATION}/play"),
        &json!({"target": "sang"}),
    );
    assert_eq!(r.status, 403);
    let r = other.post_json(&format!("/api/v1/stations/{STATION}/stop"), &json!({}));
    assert_eq!(r.status, 403);
    let actions = audit_actions(&mut admin);
    assert!(
        actions.iter().any(|a| a == "timetable_publish_refused"),
        "{actions:?}"
    );
    assert!(
        actions.iter().any(|a| a == "remote_command_refused"),
        "{actions:?}"
    );
    // Bad commands: a path, a priority over an operator's.
    for body in [
        json!({"target": "/etc/passwd"}),
        json!({"target": "../x.wav"}),
        json!({"target": "sang", "priority": 100}),
        json!({"priority": 10}),
    ] {
        let r = op.post_json(&format!("/api/v1/stations/{STATION}/play"), &body);
        assert_eq!(r.status, 400, "{body}: {}", r.text());
    }
    assert_eq!(put(&mut op, "khong-co", &good).status, 404);

    // The events stream of this station hears the new sequence (LISTEN/NOTIFY on PostgreSQL).
    let events = std::thread::spawn({
        let addr = hub.addr;
        move || read_events(addr, &token, Duration::from_secs(15))
    });
    std::thread::sleep(Duration::from_millis(700));
    let r = put(&mut op, STATION, &good);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["sequence"], 1);
    let heard = events.join().unwrap();
    assert!(
        heard.contains("event: programs\ndata: {\"sequence\":1}"),
        "{heard}"
    );
    // Another station's publish is not heard on this stream (checked by its absence above).
    // The file verifies with the hub's public key and is bound to this station.
    let (doc, sig) = read_doc(&hub, STATION);
    loa::feed::sign::verify(&doc, std::str::from_utf8(&sig).unwrap(), &hub.public_key).unwrap();
    let h = loa::feed::programs::parse_header(std::str::from_utf8(&doc).unwrap()).unwrap();
    assert_eq!(
        (h.station.as_str(), h.sequence, h.by.as_str()),
        (STATION, 1, "vh")
    );
    // Served at /feed/stations/ID/.
    let r = op.get(&format!("/feed/stations/{STATION}/programs.toml"));
    assert_eq!(r.status, 200);
    assert_eq!(r.body, doc);
    // An admin over the area may publish too; sequence + 1.
    let r = put(&mut admin, STATION, &good);
    assert_eq!(r.json()["sequence"], 2, "{}", r.text());

    // A document file lost from the feed folder is written again at start.
    let header_now = |hub: &Hub| {
        let t = Instant::now();
        loop {
            if let Ok(text) = std::fs::read_to_string(feed_doc(hub, STATION).join("programs.toml"))
            {
                if let Ok(h) = loa::feed::programs::parse_header(&text) {
                    return h;
                }
            }
            assert!(t.elapsed() < Duration::from_secs(15), "no document");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    hub.stop();
    std::fs::remove_file(feed_doc(&hub, STATION).join("programs.toml")).unwrap();
    hub.spawn();
    assert_eq!(header_now(&hub).sequence, 2);
    // One 21 days old is signed again (sequence + 1, by "hub", programs unchanged).
    hub.stop();
    hub.sql("UPDATE timetable_docs SET created_at = created_at - 1814400");
    hub.spawn();
    let t = Instant::now();
    let h = loop {
        let h = header_now(&hub);
        if h.sequence == 3 || t.elapsed() > Duration::from_secs(15) {
            break h;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!((h.sequence, h.by.as_str()), (3, "hub"));
    let mut admin = hub.login("admin", "mat-khau-quan-tri-1");
    let hist = admin
        .get(&format!("/api/v1/stations/{STATION}/programs/history"))
        .json();
    let seqs: Vec<(u64, String)> = hist
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["sequence"].as_u64().unwrap(),
                d["created_by"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        seqs,
        vec![(3, "hub".into()), (2, "admin".into()), (1, "vh".into())],
        "{hist}"
    );
    let mut op = hub.login("vh", "mk-van-hanh-1");
    let t = op
        .get(&format!("/api/v1/stations/{STATION}/programs"))
        .json();
    assert_eq!(t["sequence"], 3, "{t}");
    assert!(t["toml"].as_str().unwrap().contains("\"sang\""), "{t}");
}

/// Read an events stream until `limit`, returning what came.
fn read_events(addr: std::net::SocketAddr, token: &str, limit: Duration) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    write!(
        s,
        "GET /api/v1/stations/{STATION}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut r = BufReader::new(s);
    let mut out = String::new();
    let t = Instant::now();
    while t.elapsed() < limit {
        let mut line = String::new();
        match r.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => {
                out.push_str(&line.replace('\r', ""));
                if out.contains("event: programs") && out.ends_with("\n\n") {
                    break;
                }
            }
            Err(_) => continue,
        }
    }
    out
}

#[test]
fn the_api_checks_scopes_and_nudges_sqlite() {
    api_checks(Backend::Sqlite);
}

#[test]
fn the_api_checks_scopes_and_nudges_postgres() {
    api_checks(Backend::Postgres);
}
