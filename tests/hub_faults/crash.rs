//! `kill -9` in the middle of an upload, an approval, a timetable publish and
//! an as-run upload, then a restart: what was acknowledged is there, nothing
//! is half-written, the signed documents and the audit chain verify, and the
//! approval the hub committed but never re-signed reaches the feed at start.

use super::*;
use common::station_api::{chain, hash};
use serde_json::json;

/// A real SIGKILL while the upload's body is still coming in (its temp
/// file is half written); then the hook point after the audio is stored but
/// before its row: neither leaves a file, a row or a served byte.
fn killed_mid_upload(backend: Backend) {
    let mut hub = start(backend);
    let kept = upload(&hub, "tin-giu", 2.0);
    assert_eq!(approve(&hub, &kept).status, 200);
    let seq = hub.manifest()["sequence"].as_u64().unwrap();

    // Half the body sent, the temp file on disk, then kill -9.
    let ed = hub.login("bientap", "mat-khau-bien-tap");
    let data = wav(&hub, "dai.wav", 6.0);
    let (ct, body) = common::hub::multipart(
        &[
            ("id", "tin-dut"),
            ("title", "Tin dở"),
            ("category", "tin-tuc"),
            ("areas", "22936"),
        ],
        Some(("dai.wav", &data)),
    );
    let all = request_bytes(&ed, "POST", "/api/v1/clips", &ct, &body);
    let mut s = TcpStream::connect(hub.addr).unwrap();
    s.write_all(&all[..all.len() / 2]).unwrap();
    let tmp = hub.state().join("tmp");
    let t = std::time::Instant::now();
    while !files_under(&tmp)
        .iter()
        .any(|p| std::fs::metadata(p).map(|m| m.len() > 0).unwrap_or(false))
    {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "no temp file appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    hub.kill9();
    drop(s);
    assert!(!files_under(&tmp).is_empty(), "the kill left its temp file");
    hub.env.clear();
    respawn(&mut hub);
    nothing_half_written(&hub);
    assert_eq!(manifest_ids(&hub), vec![kept.clone()]);
    assert_eq!(hub.manifest()["sequence"].as_u64().unwrap(), seq);
    feed_verifies(&hub);

    // Killed after the audio went into the store, before its row.
    restart_with_fault(&mut hub, Some("after-upload-keep"));
    let ed = hub.login("bientap", "mat-khau-bien-tap");
    let all = request_bytes(&ed, "POST", "/api/v1/clips", &ct, &body);
    let answer = raw(hub.addr, &all);
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    assert!(!hub.wait_dead().success());
    assert_eq!(
        files_under(&hub.state().join("clips")).len(),
        2,
        "the orphan is there before the restart"
    );
    hub.env.clear();
    respawn(&mut hub);
    nothing_half_written(&hub);
    assert_eq!(hub.sql("SELECT COUNT(*) FROM clips").trim(), "1");
    assert_eq!(manifest_ids(&hub), vec![kept]);
    feed_verifies(&hub);
    audit_ok(&mut hub);
    // The same upload now goes through.
    let mut ed = hub.login("bientap", "mat-khau-bien-tap");
    let r = ed.request("POST", "/api/v1/clips", &[("Content-Type", &ct)], &body);
    assert_eq!(r.status, 201, "{}", r.text());
    nothing_half_written(&hub);
}

/// Killed between the committed approval and the re-signed feed: at start
/// the hub sees the feed behind the database and re-signs it.
fn killed_between_approval_and_resign(backend: Backend) {
    let mut hub = start(backend);
    let first = upload(&hub, "tin-mot", 1.0);
    assert_eq!(approve(&hub, &first).status, 200);
    let second = upload(&hub, "tin-hai", 1.0);
    let seq = hub.manifest()["sequence"].as_u64().unwrap();
    restart_with_fault(&mut hub, Some("after-approve-commit"));
    let ap = hub.login("duyet", "mat-khau-phe-duyet");
    let all = request_bytes(
        &ap,
        "POST",
        &format!("/api/v1/clips/{second}/approve"),
        "application/json",
        b"{}",
    );
    let answer = raw(hub.addr, &all);
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    assert!(!hub.wait_dead().success());
    // Committed, not signed: the feed on disk does not have it yet.
    assert_eq!(
        hub.sql(&format!("SELECT state FROM clips WHERE id = '{second}'"))
            .trim(),
        "approved"
    );
    assert_eq!(manifest_ids(&hub), vec![first.clone()]);
    hub.env.clear();
    respawn(&mut hub);
    let mut ids = manifest_ids(&hub);
    ids.sort();
    assert_eq!(ids, vec![second.clone(), first.clone()]);
    assert!(hub.manifest()["sequence"].as_u64().unwrap() > seq);
    assert!(hub.stderr().contains("the feed is behind the database"));
    feed_verifies(&hub);
    nothing_half_written(&hub);
    let actions = audit_ok(&mut hub);
    assert_eq!(
        actions.iter().filter(|a| *a == "clip_approve").count(),
        2,
        "{actions:?}"
    );
    // A restart with the feed up to date re-signs nothing.
    let seq = hub.manifest()["sequence"].as_u64().unwrap();
    hub.stop();
    respawn(&mut hub);
    assert_eq!(hub.manifest()["sequence"].as_u64().unwrap(), seq);
}

/// Killed after a station's timetable is committed, before its files are
/// written: at start the document from the database is put in place.
fn killed_mid_timetable_publish(backend: Backend) {
    let mut hub = start(backend);
    let token = station(&hub, "phuoc-dinh");
    let beat = json!({"on_air": null, "version": "0.1.0", "uptime_s": 1,
        "clock": chrono::Utc::now().to_rfc3339(), "disk_free_bytes": 1, "errors": [],
        "local_clips": ["a.wav"]});
    let r = common::station_api::bearer(
        &mut hub.client(),
        &token,
        "/api/v1/stations/phuoc-dinh/heartbeat",
        beat.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let toml = "[[program]]\nid = \"sang\"\ntitle = \"Bản tin sáng\"\nat = [\"06:00\"]\nplay = [\"a.wav\"]\n";
    let mut admin = hub.login("quantri", "mat-khau-quan-tri");
    let r = admin.request(
        "PUT",
        "/api/v1/stations/phuoc-dinh/programs",
        &[("Content-Type", "application/toml")],
        toml.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["sequence"], 1);
    let second = toml.replace("06:00", "07:30");
    restart_with_fault(&mut hub, Some("after-timetable-commit"));
    let admin = hub.login("quantri", "mat-khau-quan-tri");
    let all = request_bytes(
        &admin,
        "PUT",
        "/api/v1/stations/phuoc-dinh/programs",
        "application/toml",
        second.as_bytes(),
    );
    let answer = raw(hub.addr, &all);
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    assert!(!hub.wait_dead().success());
    let doc = hub.feed_dir().join("stations/phuoc-dinh/programs.toml");
    assert!(!std::fs::read_to_string(&doc).unwrap().contains("07:30"));
    hub.env.clear();
    respawn(&mut hub);
    let text = std::fs::read_to_string(&doc).unwrap();
    assert!(
        text.contains("07:30") && text.contains("sequence = 2"),
        "{text}"
    );
    feed_verifies(&hub);
    nothing_half_written(&hub);
    audit_ok(&mut hub);
    let mut admin = hub.login("quantri", "mat-khau-quan-tri");
    let t = admin.get("/api/v1/stations/phuoc-dinh/programs").json();
    assert_eq!(t["sequence"], 2, "{t}");
}

/// Killed after an as-run batch is committed, before the answer: the
/// station sends it again with more; nothing is doubled or lost.
fn killed_mid_asrun_upload(backend: Backend) {
    let mut hub = start(backend);
    let token = station(&hub, "phuoc-dinh");
    let lines = chain(5);
    restart_with_fault(&mut hub, Some("after-asrun-commit"));
    let c = hub.client();
    let body = json!({"lines": &lines[..3]}).to_string();
    let mut all = request_bytes(
        &c,
        "POST",
        "/api/v1/stations/phuoc-dinh/asrun",
        "application/json",
        body.as_bytes(),
    );
    let at = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let auth = format!("Authorization: Bearer {token}\r\n");
    all.splice(at + 2..at + 2, auth.bytes());
    let answer = raw(hub.addr, &all);
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    assert!(!hub.wait_dead().success());
    hub.env.clear();
    respawn(&mut hub);
    let r = common::station_api::bearer(
        &mut hub.client(),
        &token,
        "/api/v1/stations/phuoc-dinh/asrun",
        json!({ "lines": lines }).to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["last"], hash(&lines[4]));
    assert_eq!(
        hub.sql("SELECT COUNT(*) FROM asrun WHERE station = 'phuoc-dinh'")
            .trim(),
        "5"
    );
    nothing_half_written(&hub);
    feed_verifies(&hub);
    audit_ok(&mut hub);
}

#[test]
fn sqlite_killed_mid_upload() {
    killed_mid_upload(Backend::Sqlite)
}
#[test]
fn sqlite_killed_between_approval_and_resign() {
    killed_between_approval_and_resign(Backend::Sqlite)
}
#[test]
fn postgres_killed_between_approval_and_resign() {
    killed_between_approval_and_resign(Backend::Postgres)
}
#[test]
fn sqlite_killed_mid_timetable_publish() {
    killed_mid_timetable_publish(Backend::Sqlite)
}
#[test]
fn sqlite_killed_mid_asrun_upload() {
    killed_mid_asrun_upload(Backend::Sqlite)
}
