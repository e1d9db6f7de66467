//! The stations and reports pages over plain HTTP against a real
//! `loa hub run`, with stations driven straight over the station API
//! (common::fake_station): the list (online/offline, on air, last heartbeat,
//! feed, errors, clock offset, chain state, filters by area and state), a
//! station's page (today's as-run, a flagged chain break), scope (a viewer or
//! operator of another area sees neither the station nor its report), a
//! `<script>` station name shown as text, and the report's exports: CSV
//! (UTF-8 with BOM) and XLSX (read back with calamine), Vietnamese intact.

#[path = "../common/mod.rs"]
mod common;

mod programs;
mod reports;
mod stations;
mod timetable;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use common::fake_station::{today_at, FakeStation};
use common::hub::{Client, Hub, Resp};
use common::pages::{setup, upload};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const XSS: &str = "<script>alert('x')</script>";

/// A hub with three stations: `tram-a` (Xã Phước Dinh, on air, errors, a
/// clock 3 h fast, two lines today), `tram-x` (a `<script>` name, Xã Phước
/// Diêm, a broken chain, never a heartbeat), `tram-kh` (Khánh Hòa).
fn world() -> Hub {
    world_and_kh().0
}

/// The world, and tram-kh's station side (its token) for more heartbeats.
fn world_and_kh() -> (Hub, FakeStation) {
    let hub = setup();
    hub.add_user("xem", "viewer", "58", "mat-khau-xem-bao-cao");
    hub.add_user("xem-kh", "viewer", "56", "mat-khau-xem-khanh-hoa");
    hub.add_user("vanhanh", "operator", "56", "mat-khau-van-hanh");
    let mut editor = hub.login("bientap", "mat-khau-bien-tap");
    upload(&mut editor, &hub, "Bản tin thời sự");
    let sha = hub.sql("SELECT sha256 FROM clips").trim().to_string();
    assert_eq!(sha.len(), 64, "{sha}");

    let mut a = FakeStation::enrol(&hub, "tram-a", "Đài xã Phước Dinh", "22936");
    a.beat(
        &hub,
        Some(("thoi-su", "Bản tin thời sự")),
        0,
        &["ổ đĩa gần đầy"],
        3 * 3600 + 5,
    );
    a.aired(
        &hub,
        ("thoi-su", "Bản tin thời sự sáng"),
        today_at(5, 0),
        "aired",
        150.0,
        &sha,
    );
    a.aired(
        &hub,
        ("thoi-su", "Bản tin thời sự trưa"),
        today_at(11, 0),
        "missed",
        0.0,
        &sha,
    );

    let x = FakeStation::enrol(&hub, "tram-x", XSS, "22939");
    let good = x.outcome_line("p", "Tin đầu", today_at(6, 0), "aired", 60.0, &sha);
    assert_eq!(x.upload(&hub, std::slice::from_ref(&good)).status, 200);
    // A line whose `prev` is not the line before: refused and flagged.
    let bad = x.outcome_line("p", "Tin sửa", today_at(7, 0), "aired", 60.0, &sha);
    let r = x.upload(&hub, &[bad]);
    assert_eq!(r.status, 409, "{}", r.text());

    let kh = FakeStation::enrol(&hub, "tram-kh", "Đài phường Lộc Thọ", "22333");
    kh.beat(&hub, None, 0, &[], 0);
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "user",
            "add",
            "vh-kh",
            "--role",
            "operator",
            "--areas",
            "56",
            "--stations",
            "tram-kh",
            "--password-stdin",
            "--json",
        ],
        Some("mat-khau-van-hanh-kh"),
    );
    assert_eq!(code, Some(0), "{out} {err}");
    (hub, kh)
}

fn cards(html: &str) -> Vec<String> {
    html.split("class=\"card station\" data-id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}
