//! The audit sentences: every action the hub writes reads as a sentence in
//! both languages (no codes, no JSON, no "hub"), a station named "Đài …" is
//! not called "Đài Đài …", and the command line is said in words.

use std::collections::HashMap;

use super::*;

fn entry(actor: &str, action: &str, target: &str) -> Entry {
    Entry {
        id: 7,
        at: 1_765_000_000,
        actor: actor.into(),
        address: "10.0.0.9".into(),
        action: action.into(),
        target: target.into(),
        before: "{\"x\":1}".into(),
        after: "{\"admin\":\"admin\"}".into(),
        prev: String::new(),
        hash: String::new(),
    }
}

fn names() -> Names {
    Names(HashMap::from([
        (
            "station:phuoc-dinh".to_string(),
            "Đài truyền thanh xã Phước Dinh".to_string(),
        ),
        ("station:tan-hoa".to_string(), "Tân Hòa".to_string()),
        ("clip:tin-bao".to_string(), "Tin bão".to_string()),
        ("broadcast:bc-1".to_string(), "Tin khẩn".to_string()),
    ]))
}

/// A target of the kind each action names.
fn target(action: &str) -> &'static str {
    match action.split('_').next().unwrap() {
        "clip" => "clip:tin-bao",
        "broadcast" => "broadcast:bc-1",
        "station" | "timetable" | "remote" | "asrun" => "station:phuoc-dinh",
        "init" | "restore" => "hub",
        "areas" => "file:/etc/loa/areas.csv",
        _ => "user:van-hanh",
    }
}

/// Every action the hub writes to the audit log (`grep -rn 'audit' src/hub`):
/// each has its own sentence in both languages (tested).
const ACTIONS: &[&str] = &[
    "init",
    "areas_import",
    "restore",
    "login",
    "login_failed",
    "logout",
    "password_change",
    "password_change_failed",
    "user_add",
    "user_add_refused",
    "user_edit",
    "user_change_refused",
    "user_password_reset",
    "user_disable",
    "user_enable",
    "clip_upload",
    "clip_upload_refused",
    "clip_resubmit",
    "clip_submit",
    "clip_approve",
    "clip_approve_direct",
    "clip_reject",
    "clip_withdraw",
    "broadcast_propose",
    "broadcast_approve",
    "broadcast_reject",
    "broadcast_withdraw",
    "station_add",
    "station_enroll",
    "station_enroll_failed",
    "timetable_publish",
    "timetable_publish_refused",
    "remote_play",
    "remote_stop",
    "remote_command_refused",
    "remote_play_refused",
    "remote_stop_refused",
    "asrun_break",
    "asrun_break_ack",
];

const TZ: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;

#[test]
fn every_action_the_hub_writes_is_a_sentence_in_both_languages() {
    let n = names();
    for l in [Lang::Vi, Lang::En] {
        let fallback = sentence(l, TZ, &n, &entry("admin", "no_such_thing", "user:x"));
        assert!(fallback.contains("no such thing"), "{fallback}");
        for a in ACTIONS {
            let actor = if a.starts_with("station_enroll") || *a == "asrun_break" {
                "station:phuoc-dinh"
            } else {
                "cli:?"
            };
            let s = sentence(l, TZ, &n, &entry(actor, a, target(a)));
            assert!(!s.contains('_'), "{a}: {s}");
            assert!(!s.contains(" — "), "{a} fell back: {s}");
            for raw in [
                "{",
                "}",
                "cli:",
                "station:",
                "clip:",
                "user:",
                "$",
                "hub",
                "Hub",
                "Đài Đài",
                "đài Đài",
                "station Đài",
                "Station Đài",
            ] {
                assert!(!s.contains(raw), "{a} ({l:?}) shows {raw:?}: {s}");
            }
            assert!(s.contains("12:46 06/12/2025"), "{a}: {s}");
        }
    }
}

#[test]
fn a_station_named_dai_is_not_called_dai_dai() {
    let n = names();
    let s = sentence(
        Lang::Vi,
        TZ,
        &n,
        &entry("station:phuoc-dinh", "station_enroll", "station:phuoc-dinh"),
    );
    assert!(
        s.starts_with("Đài truyền thanh xã Phước Dinh đã kết nối với hệ thống lúc"),
        "{s}"
    );
    let s = sentence(
        Lang::Vi,
        TZ,
        &n,
        &entry("vh", "timetable_publish", "station:tan-hoa"),
    );
    assert_eq!(
        s,
        "vh đã phát hành lịch phát sóng của đài Tân Hòa lúc 12:46 06/12/2025"
    );
    let s = sentence(
        Lang::Vi,
        TZ,
        &n,
        &entry("vh", "timetable_publish", "station:phuoc-dinh"),
    );
    assert_eq!(
        s,
        "vh đã phát hành lịch phát sóng của Đài truyền thanh xã Phước Dinh lúc 12:46 06/12/2025"
    );
    let s = sentence(
        Lang::En,
        TZ,
        &n,
        &entry("vh", "station_add", "station:tan-hoa"),
    );
    assert_eq!(s, "vh added station Tân Hòa at 12:46 06/12/2025");
    assert!(says_station("trạm Cà Ná") && says_station("Station 5") && !says_station("Đàilat"));
}

#[test]
fn the_command_line_and_the_hub_itself_are_said_in_words() {
    let n = names();
    let s = sentence(Lang::Vi, TZ, &n, &entry("cli:?", "init", "hub"));
    assert_eq!(
        s,
        "Quản trị trên máy chủ (dòng lệnh) đã khởi tạo hệ thống lúc 12:46 06/12/2025"
    );
    let s = sentence(
        Lang::Vi,
        TZ,
        &n,
        &entry("cli:root", "user_add", "user:admin"),
    );
    assert_eq!(
        s,
        "root (dòng lệnh trên máy chủ) đã tạo tài khoản admin lúc 12:46 06/12/2025"
    );
    let s = sentence(Lang::En, TZ, &n, &entry("cli:", "restore", "hub"));
    assert_eq!(s, "The server's administrator (command line) restored the system from a backup at 12:46 06/12/2025");
    assert_eq!(who(Lang::Vi, &n, "-"), "Người chưa đăng nhập");
    assert_eq!(who(Lang::Vi, &n, "station:tan-hoa"), "Tân Hòa");
    assert_eq!(who(Lang::Vi, &n, "bt"), "bt");
}
