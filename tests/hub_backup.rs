//! `loa hub backup` while the hub runs, `loa hub restore` onto a fresh
//! folder (issue 17): an enrolled `loa run` station keeps following the
//! restored hub on the same URL without re-enrolment — its token still
//! works, the signature verifies with the same key, and every sequence it is
//! handed is above anything it accepted, even from publishes made after the
//! backup.

mod common;

use std::time::Duration;

use common::hub::{Backend, Client, Hub};
use common::hub_multi::{run, write_config, HubProc};
use common::station_api::{station_add, station_of};
use common::*;
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(60);

fn station_config(st: &Station) {
    std::fs::write(
        st.config_path(),
        format!(
            "[station]\nname = \"Đài truyền thanh xã Phước Dinh\"\nareas = [\"22936\"]\ntimezone = \"{}\"\n\n\
             [output]\ndevice = \"null\"\n\n[paths]\nclips = \"audio\"\nstate = \"state\"\n\n[hub]\nheartbeat = \"1s\"\n",
            st.tz
        ),
    )
    .unwrap();
}

/// The feed sequence the station has accepted (`loa status --json`).
fn station_feed(st: &Station) -> Option<u64> {
    let o = st.cmd(&["status", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    v["feed"]["sequence"].as_u64()
}

fn upload_and_approve(ed: &mut Client, ap: &mut Client, id: &str, hz: f32) {
    let d = tempfile::tempdir().unwrap();
    write_tone(&d.path().join("t.wav"), hz, 1.0, 0.4);
    let data = std::fs::read(d.path().join("t.wav")).unwrap();
    let r = ed.post_form(
        "/api/v1/clips",
        &[
            ("id", id),
            ("title", "Bản tin"),
            ("category", "cchc"),
            ("areas", "22936"),
        ],
        Some(("t.wav", &data)),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = ap.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
}

fn put_programs(admin: &mut Client, count: u32) -> u64 {
    let body = format!(
        "[[program]]\nid = \"sang\"\nat = [\"05:00\"]\nplay = [{{ category = \"cchc\", count = {count} }}]\n"
    );
    let r = admin.request(
        "PUT",
        "/api/v1/stations/phuoc-dinh/programs",
        &[("Content-Type", "application/toml")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["sequence"].as_u64().unwrap()
}

fn backup_and_restore(backend: Backend) {
    let mut hub = Hub::start(backend);
    let mut admin = hub.admin("mat-khau-quan-tri-1");
    hub.add_user("bt", "editor", "589", "mk-bien-tap-589");
    hub.add_user("duyet", "approver", "58", "mk-phe-duyet-58");
    let code = station_add(&hub, "phuoc-dinh", "22936");
    let st = Station::new();
    station_config(&st);
    let o = st.cmd(&["enroll", &hub.url, &code]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut d = st.spawn();
    let mut ed = hub.login("bt", "mk-bien-tap-589");
    let mut ap = hub.login("duyet", "mk-phe-duyet-58");

    upload_and_approve(&mut ed, &mut ap, "tin-1", 440.0);
    let s1 = hub.manifest()["sequence"].as_u64().unwrap();
    wait_until(WAIT, "the station at the first clip", || {
        station_feed(&st) == Some(s1)
    });
    let p1 = put_programs(&mut admin, 1);
    wait_until(WAIT, "the station's timetable", || {
        station_of(&mut admin, "phuoc-dinh")["programs_sequence"].as_u64() == Some(p1)
    });

    // Backed up while the hub runs.
    let dest = tempfile::tempdir().unwrap();
    let dest = dest.path().join("sao-luu");
    let (code_b, out, err) = run(&hub.config(), &["hub", "backup", dest.to_str().unwrap()]);
    assert_eq!(code_b, Some(0), "{out} {err}");
    let info: Value =
        serde_json::from_slice(&std::fs::read(dest.join("backup.json")).unwrap()).unwrap();
    assert_eq!(info["feed_sequence"].as_u64(), Some(s1), "{info}");
    // A second backup into the same folder is refused.
    let (c, _, err) = run(&hub.config(), &["hub", "backup", dest.to_str().unwrap()]);
    assert_eq!(c, Some(1), "{err}");
    assert!(err.contains("not empty"), "{err}");

    // Published after the backup: the station accepts sequences the backup
    // never saw.
    upload_and_approve(&mut ed, &mut ap, "tin-2", 550.0);
    let s2 = hub.manifest()["sequence"].as_u64().unwrap();
    assert!(s2 > s1);
    wait_until(WAIT, "the station at the second clip", || {
        station_feed(&st) == Some(s2)
    });
    let p2 = put_programs(&mut admin, 2);
    wait_until(WAIT, "the station's second timetable", || {
        station_of(&mut admin, "phuoc-dinh")["programs_sequence"].as_u64() == Some(p2)
    });
    hub.stop();

    // A fresh machine folder: same URL and port, new state (and, for
    // PostgreSQL, a new empty database).
    let fresh = tempfile::tempdir().unwrap();
    let database = match backend {
        Backend::Sqlite => "sqlite:hub.db".to_string(),
        Backend::Postgres => {
            hub.sql("CREATE DATABASE restored OWNER loa");
            hub.database_url().replace("/hub?", "/restored?")
        }
    };
    let state = fresh.path().join("state");
    let cfg = write_config(
        fresh.path(),
        "hub.toml",
        hub.addr,
        &hub.url,
        &state,
        &database,
        &state.join("minisign.key"),
    );
    let (c, out, err) = run(&cfg, &["hub", "restore", dest.to_str().unwrap()]);
    assert_eq!(c, Some(0), "{out} {err}");
    eprintln!("{out}");
    // Never over an existing hub.
    let (c, _, err) = run(&cfg, &["hub", "restore", dest.to_str().unwrap()]);
    assert_eq!(c, Some(1), "{err}");
    assert!(err.contains("never overwrites"), "{err}");

    let restored = HubProc::start(&cfg, hub.addr);
    let mut ed = hub.login("bt", "mk-bien-tap-589");
    let mut ap = hub.login("duyet", "mk-phe-duyet-58");
    let mut admin = hub.login("admin", "mat-khau-quan-tri-1");
    upload_and_approve(&mut ed, &mut ap, "tin-3", 660.0);
    let m: Value =
        serde_json::from_slice(&std::fs::read(state.join("feed/manifest.json")).unwrap()).unwrap();
    let s3 = m["sequence"].as_u64().unwrap();
    assert!(s3 > s2, "the restored hub goes on above {s2}: {s3}");
    let ids: Vec<&str> = m["clips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["tin-1", "tin-3"],
        "the backup's clips and the new one"
    );
    // The station follows without re-enrolment: same token, same key.
    wait_until(WAIT, "the station on the restored hub's feed", || {
        station_feed(&st) == Some(s3)
    });
    let p3 = put_programs(&mut admin, 3);
    assert!(p3 > p2, "programs go on above {p2}: {p3}");
    wait_until(
        WAIT,
        "the station's timetable from the restored hub",
        || station_of(&mut admin, "phuoc-dinh")["programs_sequence"].as_u64() == Some(p3),
    );
    let s = station_of(&mut admin, "phuoc-dinh");
    assert_eq!(s["online"], true, "{s}");
    assert!(
        !d.stderr().contains("rollback"),
        "the station never saw a lower sequence: {}",
        d.stderr()
    );
    d.term();
    drop(restored);
}

#[test]
fn backup_while_running_and_restore_on_a_fresh_folder_sqlite() {
    backup_and_restore(Backend::Sqlite);
}

#[test]
fn backup_while_running_and_restore_on_a_fresh_folder_postgres() {
    backup_and_restore(Backend::Postgres);
}
