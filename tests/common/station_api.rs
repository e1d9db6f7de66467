//! The hub's station API driven byte for byte, as a station would: add and
//! enrol a station, heartbeats, chained as-run lines, the stations list.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::hub::{Client, Hub};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub fn station_add(hub: &Hub, id: &str, areas: &str) -> String {
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "station",
            "add",
            id,
            "--name",
            "Đài truyền thanh xã",
            "--areas",
            areas,
            "--json",
        ],
        None,
    );
    assert_eq!(code, Some(0), "{out} {err}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["station"], id);
    v["code"].as_str().unwrap().to_string()
}

pub fn enroll(c: &mut Client, code: &str) -> Value {
    let r = c.post_json("/api/v1/enroll", &json!({ "code": code }));
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

pub fn bearer(c: &mut Client, token: &str, path: &str, body: &[u8]) -> super::hub::Resp {
    let auth = format!("Bearer {token}");
    c.request(
        "POST",
        path,
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &auth),
        ],
        body,
    )
}

pub fn beat(clock: &str) -> Value {
    json!({"on_air": null, "next": [], "feed": {"sequence": 1}, "store": {"clips": 0, "bytes": 0},
           "output": {"device": "null", "state": "closed"}, "version": "9.9.9", "uptime_s": 3,
           "clock": clock, "disk_free_bytes": 123, "errors": [], "heartbeat_s": 60})
}

pub fn line(i: usize, prev: &str) -> String {
    format!(
        r#"{{"event":"outcome","occurrence":"p@2026-11-2{i}T05:00:00+07:00","program":"p","title":"Bản tin {i}","scheduled":"2026-11-2{i}T05:00:00.000+07:00","outcome":"aired","items":[{{"name":"a","seconds":60.0}}],"prev":"{prev}"}}"#
    )
}

pub fn chain(n: usize) -> Vec<String> {
    let mut prev = GENESIS.to_string();
    (0..n)
        .map(|i| {
            let l = line(i, &prev);
            prev = hex::encode(Sha256::digest(l.as_bytes()));
            l
        })
        .collect()
}

pub fn hash(l: &str) -> String {
    hex::encode(Sha256::digest(l.as_bytes()))
}

pub fn station_of(admin: &mut Client, id: &str) -> Value {
    let r = admin.get("/api/v1/stations");
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} not listed"))
}

/// Insert `n` enrolled stations in one transaction; returns their tokens.
pub fn seed_stations(hub: &Hub, n: usize) -> Vec<String> {
    let now = chrono::Utc::now().timestamp();
    let tokens: Vec<String> = (0..n).map(|i| format!("bench-token-{i:05}")).collect();
    // 200 rows a statement list: one argument to sqlite3 stays under 128 KiB.
    for (k, chunk) in tokens.chunks(200).enumerate() {
        seed_chunk(hub, k * 200, chunk, now);
    }
    tokens
}

pub fn seed_chunk(hub: &Hub, from: usize, tokens: &[String], now: i64) {
    let mut sql = String::from("BEGIN;\n");
    for (j, t) in tokens.iter().enumerate() {
        let i = from + j;
        let h = hex::encode(Sha256::digest(t.as_bytes()));
        sql.push_str(&format!(
            "INSERT INTO stations (id, name, areas, token_hash, enrolled_at, created_at, heartbeat_s, asrun_last, asrun_lines) \
             VALUES ('tram-{i:05}', 'Trạm {i}', '22936', '{h}', {now}, {now}, 60, '{}', 0);\n",
            "0".repeat(64)
        ));
    }
    sql.push_str("COMMIT;\n");
    hub.sql(&sql);
}
