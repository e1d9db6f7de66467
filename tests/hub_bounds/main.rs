//! Issue 17, bounded work (a real `loa hub run`): wherever a user or a
//! station box supplies a size, the hub bounds what it spends on it.
//!
//! ```text
//! timetable.rs  programs firing more than once a minute refused (PUT 422,
//!               heartbeat 400), own_programs not TOML refused, operators'
//!               priorities capped at 99 (403, audited; API and page editor),
//!               a week too dense to draw said plainly, not built
//! uploads.rs    a declared 3 hours refused before decoding (413), a header
//!               that lies stopped at max_duration (413), a WAV at 0 Hz (422)
//! bench.rs      (ignored) RSS and time: the densest week the checks accept,
//!               a 2-hour upload
//! ```

#[path = "../common/mod.rs"]
mod common;

mod bench;
mod timetable;
mod uploads;

use common::hub::{Client, Hub, Resp};
use common::station_api::{enroll, station_add};
use serde_json::{json, Value};

const STATION: &str = "phuoc-dinh";

/// An operator of `STATION`.
fn operator(hub: &Hub, name: &str, pw: &str) -> Client {
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
            STATION,
            "--password-stdin",
            "--json",
        ],
        Some(pw),
    );
    assert_eq!(code, Some(0), "{out} {err}");
    hub.login(name, pw)
}

/// `STATION` added and enrolled; its token.
fn enrolled(hub: &Hub) -> String {
    let code = station_add(hub, STATION, "22936");
    let v = enroll(&mut hub.client(), &code);
    v["token"].as_str().unwrap().to_string()
}

fn put(c: &mut Client, toml: &str) -> Resp {
    c.request(
        "PUT",
        &format!("/api/v1/stations/{STATION}/programs"),
        &[("Content-Type", "application/toml")],
        toml.as_bytes(),
    )
}

/// A heartbeat of `STATION` with `extra` fields.
fn beat(hub: &Hub, token: &str, extra: Value) -> Resp {
    let mut body = json!({"on_air": null, "version": "0.1.0", "uptime_s": 1,
        "clock": chrono::Utc::now().to_rfc3339(), "disk_free_bytes": 1, "errors": [],
        "timezone": "Asia/Ho_Chi_Minh", "quiet_hours": []});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    hub.client().request(
        "POST",
        &format!("/api/v1/stations/{STATION}/heartbeat"),
        &[
            ("Authorization", &format!("Bearer {token}")),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    )
}

/// `application/x-www-form-urlencoded` of plain pairs.
fn form(c: &mut Client, path: &str, pairs: &[(&str, &str)]) -> Resp {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    c.request(
        "POST",
        path,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.join("&").as_bytes(),
    )
}
