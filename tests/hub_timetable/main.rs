//! Each station's timetable from the hub, end to end (issue 12): a real
//! `loa hub run` and a real `loa run --output wav:` enrolled with `loa enroll`.
//! Publishing signs `/feed/stations/ID/programs.toml`; the station applies it
//! (heard in the recording, reported in its heartbeat); play now / stop ride
//! the same signed document; a tampered, foreign, replayed, invalid or
//! clashing document, or a stale command, is refused with the old timetable
//! still airing; an edit made while the station is off applies when it is back
//! and survives a restart while the hub is down. Plus the API's 422 and 403.

#[path = "../common/mod.rs"]
mod common;

mod airing;
mod api;
mod bench;
mod refusals;

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use common::hub::{Backend, Client, Hub};
use common::station_api::station_add;
use common::*;
use serde_json::{json, Value};

const STATION: &str = "phuoc-dinh";

/// An operator of `stations`.
fn operator(hub: &Hub, name: &str, stations: &str, pw: &str) -> Client {
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "user",
            "add",
            name,
            "--role",
            "operator",
            "--areas",
            "22936",
            "--stations",
            stations,
            "--password-stdin",
            "--json",
        ],
        Some(pw),
    );
    assert_eq!(code, Some(0), "{out} {err}");
    hub.login(name, pw)
}

fn put(c: &mut Client, id: &str, toml: &str) -> common::hub::Resp {
    c.request(
        "PUT",
        &format!("/api/v1/stations/{id}/programs"),
        &[("Content-Type", "application/toml")],
        toml.as_bytes(),
    )
}

fn station_of(c: &mut Client, id: &str) -> Value {
    c.get("/api/v1/stations")
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .cloned()
        .unwrap_or(Value::Null)
}

/// Wait until the station's heartbeat says `pred`; returns that station row.
fn wait_beat(c: &mut Client, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let t = Instant::now();
    loop {
        let s = station_of(c, STATION);
        if pred(&s) {
            return s;
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}: {s}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn config(st: &Station, own: &str) {
    std::fs::write(
        st.config_path(),
        format!(
            "[station]\nname = \"Đài truyền thanh xã Phước Dinh\"\nareas = [\"58\", \"589\", \"22936\"]\ntimezone = \"{}\"\n\n\
             [output]\ndevice = \"null\"\nwarmup = \"1s\"\n\n[paths]\nclips = \"audio\"\nstate = \"state\"\n\n\
             [hub]\nheartbeat = \"1s\"\n\n{own}",
            st.tz
        ),
    )
    .unwrap();
}

fn program(st: &Station, id: &str, at: chrono::DateTime<Utc>, clip: &str) -> String {
    format!(
        "[[program]]\nid = \"{id}\"\ntitle = \"Bản tin {id}\"\nat = [\"{}\"]\nplay = [\"{clip}\"]\n\n",
        st.local_hms(at)
    )
}

/// A hub with an admin, one enrolled station (own program `rieng` in 6 h) and its operator.
struct Setup {
    hub: Hub,
    admin: Client,
    op: Client,
    st: Station,
}

fn setup(backend: Backend) -> Setup {
    let mut hub = Hub::start(backend);
    let admin = hub.admin("mat-khau-quan-tri-1");
    let code = station_add(&hub, STATION, "22936");
    let op = operator(&hub, "vh", STATION, "mk-van-hanh-1");
    let st = Station::new();
    st.tone("a.wav", 440.0, 1.0);
    st.tone("b.wav", 880.0, 8.0);
    let own = program(&st, "rieng", Utc::now() + TimeDelta::hours(6), "a.wav");
    config(&st, &own);
    let o = st.cmd(&["enroll", &hub.url, &code]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Setup { hub, admin, op, st }
}

fn feed_doc(hub: &Hub, id: &str) -> PathBuf {
    hub.state().join("feed/stations").join(id)
}

/// Put a document (and its signature) where the hub serves this station's.
/// Put `doc` and `sig` where the hub serves STATION's document from: the
/// newest row of `timetable_docs` (the database is the truth, `hub::store`),
/// and the feed folder's cache for nginx.
fn serve(hub: &Hub, doc: &[u8], sig: &[u8]) {
    let dir = feed_doc(hub, STATION);
    std::fs::write(dir.join("programs.toml.minisig"), sig).unwrap();
    std::fs::write(dir.join("programs.toml"), doc).unwrap();
    let quote = |b: &[u8]| String::from_utf8_lossy(b).replace('\'', "''");
    hub.sql(&format!(
        "UPDATE timetable_docs SET document = '{}', signature = '{}' WHERE station = '{STATION}' \
         AND sequence = (SELECT MAX(sequence) FROM timetable_docs WHERE station = '{STATION}')",
        quote(doc),
        quote(sig)
    ));
}

fn read_doc(hub: &Hub, id: &str) -> (Vec<u8>, Vec<u8>) {
    let dir = feed_doc(hub, id);
    (
        std::fs::read(dir.join("programs.toml")).unwrap(),
        std::fs::read(dir.join("programs.toml.minisig")).unwrap(),
    )
}

/// Sign a document with the hub's own key (as a hub bug or a stolen key would).
fn sign_as_hub(
    hub: &Hub,
    header: &loa::feed::programs::Header,
    programs: &str,
) -> (String, String) {
    let key = [
        hub.state().join("minisign.key"),
        hub.dir.path().join("minisign.key"),
    ]
    .into_iter()
    .find(|p| p.exists())
    .expect("the hub's key");
    let sk = loa::feed::sign::load_secret_key(&key, None).unwrap();
    let doc = loa::feed::programs::render(header, programs).unwrap();
    let sig = loa::feed::sign::sign(doc.as_bytes(), &sk, "test").unwrap();
    (doc, sig)
}

fn header(seq: u64, command: Option<loa::feed::programs::Command>) -> loa::feed::programs::Header {
    let now = Utc::now().fixed_offset();
    loa::feed::programs::Header {
        station: STATION.into(),
        sequence: seq,
        issued_at: now,
        expires_at: now + TimeDelta::days(30),
        by: "vh".into(),
        command,
    }
}

fn audit_actions(admin: &mut Client) -> Vec<String> {
    let a = admin.get("/api/v1/audit").json();
    let rows = a["entries"].clone();
    rows.as_array()
        .map(|r| {
            r.iter()
                .filter_map(|x| x["action"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn log_of(d: &Daemon) -> String {
    d.stderr()
}
