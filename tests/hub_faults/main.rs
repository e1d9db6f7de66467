//! Faults on the real hub (issue 17): `loa hub run` killed with SIGKILL in the
//! middle of an upload, an approval (between the committed state and the
//! re-signed feed), a timetable publish and an as-run upload, then restarted;
//! PostgreSQL stopped and started under requests; a full disk during an
//! upload and during a re-sign. After each: nothing acknowledged is lost,
//! nothing is half-written (no temp file, no row without its file, no file
//! without its row), the feed and the stations' documents verify with the real
//! `minisign -V`, the audit chain verifies, and every refusal is a status with
//! a Vietnamese `reason` and an English `reason_en`.
//!
//! The deterministic kill points are the hub's test hook `LOA_HUB_FAULT`
//! (`src/hub/fault.rs`). The disk-full tests mount a small tmpfs (root).

#[path = "../common/mod.rs"]
mod common;

mod crash;
mod disk_full;
mod pg_outage;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::hub::{files_under, Backend, Client, Hub};
use common::station_api::{enroll, station_add};
use serde_json::Value;

pub const FAULT: &str = "LOA_HUB_FAULT";

/// Restart the hub with `LOA_HUB_FAULT=point` (or none).
fn restart_with_fault(hub: &mut Hub, point: Option<&str>) {
    hub.stop();
    hub.env = point
        .map(|p| vec![(FAULT.to_string(), p.to_string())])
        .unwrap_or_default();
    respawn(hub);
}

/// Start the hub and wait for its first answer: the port listens before the
/// start-up work (feed and documents brought up to date) is done.
fn respawn(hub: &mut Hub) {
    hub.spawn();
    let r = hub.client().get("/feed/minisign.pub");
    assert_eq!(r.status, 200, "{}", r.text());
}

/// A WAV tone of `secs` seconds (48 kHz stereo: 192 kB a second).
fn wav(hub: &Hub, name: &str, secs: f32) -> Vec<u8> {
    let p = hub.dir.path().join(name);
    common::write_tone(&p, 660.0, secs, 0.4);
    std::fs::read(p).unwrap()
}

/// Send raw bytes, read whatever comes back until the hub closes (nothing
/// when it died at its fault point).
fn raw(addr: SocketAddr, bytes: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let _ = s.write_all(bytes);
    let mut out = vec![];
    let _ = s.read_to_end(&mut out);
    out
}

/// A full request's bytes, with the client's cookie.
fn request_bytes(c: &Client, method: &str, path: &str, ct: &str, body: &[u8]) -> Vec<u8> {
    let mut h = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n",
        c.addr,
        body.len()
    );
    if let Some(k) = &c.cookie {
        h.push_str(&format!("Cookie: {k}\r\n"));
    }
    for (k, v) in &c.extra {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    let mut b = h.into_bytes();
    b.extend_from_slice(body);
    b
}

/// `minisign -V` with the hub's public key.
fn minisign_ok(hub: &Hub, file: &Path, sig: &Path) -> bool {
    let o = Command::new("minisign")
        .arg("-Vm")
        .arg(file)
        .arg("-x")
        .arg(sig)
        .arg("-P")
        .arg(&hub.public_key)
        .output()
        .expect("minisign (apt-get install minisign)");
    o.status.success()
}

/// The feed's manifest and every station document verify.
fn feed_verifies(hub: &Hub) {
    let feed = hub.feed_dir();
    assert!(
        minisign_ok(
            hub,
            &feed.join("manifest.json"),
            &feed.join("manifest.json.minisig")
        ),
        "the feed does not verify"
    );
    for dir in std::fs::read_dir(feed.join("stations"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let d = dir.path();
        assert!(
            minisign_ok(
                hub,
                &d.join("programs.toml"),
                &d.join("programs.toml.minisig")
            ),
            "{} does not verify",
            d.display()
        );
    }
}

/// The audit chain verifies; returns its actions.
fn audit_ok(hub: &mut Hub) -> Vec<String> {
    let mut admin = hub.login("quantri", "mat-khau-quan-tri");
    let a = admin.get("/api/v1/audit").json();
    assert_eq!(a["chain"]["ok"], true, "{a}");
    a["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

/// Nothing half-written: no upload temp file, no staged feed file, every
/// clip row with its file and every stored file with its row, every clip of
/// the manifest in the feed folder with its hash.
fn nothing_half_written(hub: &Hub) {
    let state = hub.state();
    let tmp: Vec<_> = files_under(&state.join("tmp"))
        .into_iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("upload-")
        })
        .collect();
    assert!(tmp.is_empty(), "temp files left: {tmp:?}");
    let staged: Vec<_> = files_under(&hub.feed_dir())
        .into_iter()
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.ends_with(".part") || n.ends_with(".new")
        })
        .collect();
    assert!(staged.is_empty(), "staged files served: {staged:?}");
    let rows = hub.sql("SELECT sha256 || '.' || ext FROM clips");
    let mut rows: Vec<String> = rows.lines().map(|l| l.trim().to_string()).collect();
    rows.sort();
    rows.dedup();
    let mut files: Vec<String> = files_under(&state.join("clips"))
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(rows, files, "clip rows and stored files differ");
    let m = hub.manifest();
    for c in m["clips"].as_array().unwrap() {
        let p = hub.feed_dir().join(c["path"].as_str().unwrap());
        let data = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert_eq!(
            {
                use sha2::Digest;
                hex::encode(sha2::Sha256::digest(&data))
            },
            c["sha256"].as_str().unwrap()
        );
    }
}

fn manifest_ids(hub: &Hub) -> Vec<String> {
    hub.manifest()["clips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// A hub with an admin (`quantri`), an editor and an approver of 58.
fn start(backend: Backend) -> Hub {
    let mut hub = Hub::start(backend);
    hub.admin("mat-khau-quan-tri-0");
    hub.add_user("quantri", "admin", "", "mat-khau-quan-tri");
    hub.add_user("bientap", "editor", "58", "mat-khau-bien-tap");
    hub.add_user("duyet", "approver", "58", "mat-khau-phe-duyet");
    hub
}

/// Upload a clip as the editor: its id (201).
fn upload(hub: &Hub, id: &str, secs: f32) -> String {
    let mut ed = hub.login("bientap", "mat-khau-bien-tap");
    let data = wav(hub, &format!("{id}.wav"), secs);
    let r = ed.post_form(
        "/api/v1/clips",
        &[
            ("id", id),
            ("title", "Tin thử"),
            ("category", "tin-tuc"),
            ("areas", "22936"),
        ],
        Some(("a.wav", &data)),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    id.to_string()
}

fn approve(hub: &Hub, id: &str) -> common::hub::Resp {
    let mut ap = hub.login("duyet", "mat-khau-phe-duyet");
    ap.post_json(
        &format!("/api/v1/clips/{id}/approve"),
        &serde_json::json!({}),
    )
}

/// An enrolled station of 22936: its token.
fn station(hub: &Hub, id: &str) -> String {
    let code = station_add(hub, id, "22936");
    let v: Value = enroll(&mut hub.client(), &code);
    v["token"].as_str().unwrap().to_string()
}

/// The refusal body: a Vietnamese and an English reason.
fn reasons(r: &common::hub::Resp) -> (String, String) {
    let v = r.json();
    let vi = v["reason"].as_str().unwrap_or_default().to_string();
    let en = v["reason_en"].as_str().unwrap_or_default().to_string();
    assert!(!vi.is_empty() && !en.is_empty(), "{v}");
    (vi, en)
}
