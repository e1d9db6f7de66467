//! A station driven straight over the hub's station API (HUB.md), for the
//! page and report tests: enrolled with `loa hub station add --json` and
//! `POST /api/v1/enroll`, then heartbeats and chained as-run lines posted
//! byte for byte as `loa run` sends them. No daemon, no audio.
#![allow(dead_code)]

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::hub::{Hub, Resp};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub struct FakeStation {
    pub id: String,
    pub token: String,
    /// SHA-256 of the last line sent (the next line's `prev`).
    pub prev: String,
}

/// Today at `hh:mm` in Vietnam (the test hubs' zone).
pub fn today_at(h: u32, m: u32) -> DateTime<FixedOffset> {
    let vn = FixedOffset::east_opt(7 * 3600).unwrap();
    let d = Utc::now().with_timezone(&vn).date_naive();
    d.and_hms_opt(h, m, 0)
        .unwrap()
        .and_local_timezone(vn)
        .unwrap()
}

impl FakeStation {
    /// `loa hub station add ID --name NAME --areas AREAS`, then enrol.
    pub fn enrol(hub: &Hub, id: &str, name: &str, areas: &str) -> FakeStation {
        let (code, out, err) = hub.cmd(
            &[
                "hub", "station", "add", id, "--name", name, "--areas", areas, "--json",
            ],
            None,
        );
        assert_eq!(code, Some(0), "station add {id}: {out} {err}");
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        let code = v["code"].as_str().unwrap();
        let r = hub
            .client()
            .post_json("/api/v1/enroll", &json!({ "code": code }));
        assert_eq!(r.status, 200, "{}", r.text());
        FakeStation {
            id: id.into(),
            token: r.json()["token"].as_str().unwrap().into(),
            prev: GENESIS.into(),
        }
    }

    fn post(&self, hub: &Hub, what: &str, body: &Value) -> Resp {
        let auth = format!("Bearer {}", self.token);
        hub.client().request(
            "POST",
            &format!("/api/v1/stations/{}/{what}", self.id),
            &[
                ("Content-Type", "application/json"),
                ("Authorization", &auth),
            ],
            body.to_string().as_bytes(),
        )
    }

    /// A heartbeat, idle, that also reports the station's `timezone`,
    /// `quiet_hours` and own programs (`own`: the digest of the TOML, and the
    /// text when `send`), as a station of this version does; the answer.
    pub fn beat_frame(
        &self,
        hub: &Hub,
        timezone: &str,
        quiet_hours: &[&str],
        own: &str,
        send: bool,
    ) -> Resp {
        let mut body = json!({"on_air": null, "next": [], "feed": null,
            "store": {"clips": 1, "bytes": 1000}, "output": {"device": "null", "state": "closed"},
            "version": "0.1.0", "uptime_s": 600, "clock": Utc::now().to_rfc3339(),
            "disk_free_bytes": 1_000_000_000u64, "errors": [], "heartbeat_s": 60,
            "timezone": timezone, "quiet_hours": quiet_hours,
            "own_programs_sha256": hex::encode(Sha256::digest(own.as_bytes()))});
        if send {
            body["own_programs"] = json!(own);
        }
        self.post(hub, "heartbeat", &body)
    }

    /// An idle heartbeat with `extra` fields merged in (`local_clips`,
    /// `own_programs`, …); the answer.
    pub fn beat_with(&self, hub: &Hub, extra: &Value) -> Resp {
        let mut body = json!({"on_air": null, "next": [], "feed": null,
            "store": {"clips": 1, "bytes": 1000}, "output": {"device": "null", "state": "closed"},
            "version": "0.1.0", "uptime_s": 600, "clock": Utc::now().to_rfc3339(),
            "disk_free_bytes": 1_000_000_000u64, "errors": [], "heartbeat_s": 60});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        self.post(hub, "heartbeat", &body)
    }

    /// A heartbeat: on air (`program`, `item`) or idle, its feed sequence,
    /// errors, and a clock `offset_s` away from the real time.
    pub fn beat(
        &self,
        hub: &Hub,
        on_air: Option<(&str, &str)>,
        feed: u64,
        errors: &[&str],
        offset_s: i64,
    ) {
        let on_air = on_air.map(|(p, i)| {
            json!({"occurrence": format!("{p}@now"), "program": p, "item": i, "position_s": 12.0})
        });
        let clock = (Utc::now() + TimeDelta::seconds(offset_s)).to_rfc3339();
        let body = json!({"on_air": on_air, "next": [], "feed": {"sequence": feed, "last_sync": null, "result": "ok", "stale": false},
            "store": {"clips": 1, "bytes": 1000}, "output": {"device": "null", "state": "closed"},
            "version": "0.1.0", "uptime_s": 600, "clock": clock, "disk_free_bytes": 1_000_000_000u64,
            "errors": errors, "heartbeat_s": 60});
        let r = self.post(hub, "heartbeat", &body);
        assert_eq!(r.status, 200, "{}", r.text());
    }

    /// The outcome line of one occurrence (not yet sent), chained on `prev`.
    pub fn outcome_line(
        &self,
        program: &str,
        title: &str,
        at: DateTime<FixedOffset>,
        outcome: &str,
        seconds: f64,
        sha: &str,
    ) -> String {
        let items = if seconds > 0.0 {
            json!([{"name": "ban-tin.mp3", "sha256": sha, "seconds": seconds}])
        } else {
            json!([])
        };
        let sched = at.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string();
        json!({"event": "outcome", "occurrence": format!("{program}@{}", at.to_rfc3339()), "program": program,
               "title": title, "scheduled": sched, "outcome": outcome, "items": items, "prev": self.prev})
        .to_string()
    }

    /// Upload raw lines; the answer as it came.
    pub fn upload(&self, hub: &Hub, lines: &[String]) -> Resp {
        self.post(hub, "asrun", &json!({ "lines": lines }))
    }

    /// Send one occurrence's outcome (`what`: program and title); it must be accepted.
    pub fn aired(
        &mut self,
        hub: &Hub,
        what: (&str, &str),
        at: DateTime<FixedOffset>,
        outcome: &str,
        seconds: f64,
        sha: &str,
    ) {
        let l = self.outcome_line(what.0, what.1, at, outcome, seconds, sha);
        let r = self.upload(hub, std::slice::from_ref(&l));
        assert_eq!(r.status, 200, "{}", r.text());
        self.prev = hex::encode(Sha256::digest(l.as_bytes()));
    }
}
