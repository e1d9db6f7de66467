//! The home page per role and the confirm steps, over plain HTTP against a
//! real `loa hub run` (stations driven over the station API): each role sees
//! its own sections (an account with two roles sees both); the live block's
//! fragment and script are served; stop, play now inside quiet hours and
//! deleting a program ask first and change nothing until confirmed; a deleted
//! program comes back with "Khôi phục".

mod common;

use chrono::{TimeDelta, Utc};
use common::fake_station::FakeStation;
use common::hub::{Client, Resp};
use common::pages::{setup, upload};

fn post(c: &mut Client, path: &str, pairs: &[(&str, &str)]) -> Resp {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    let body = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    c.request(
        "POST",
        path,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
    )
}

fn docs(hub: &common::hub::Hub) -> String {
    hub.sql("SELECT count(*) FROM timetable_docs WHERE station = 'tram-a'")
        .trim()
        .to_string()
}

#[test]
fn each_role_sees_its_sections_and_dangerous_taps_ask_first() {
    let hub = setup();
    hub.add_user("qt", "admin", "58", "mat-khau-quan-tri-58");
    hub.add_user("hai-vai", "editor,approver", "58", "mat-khau-hai-vai-58");
    hub.add_user("xem-kh", "viewer", "56", "mat-khau-xem-khanh-hoa");
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "user",
            "add",
            "vh",
            "--role",
            "operator",
            "--areas",
            "22936",
            "--stations",
            "tram-a",
            "--password-stdin",
            "--json",
        ],
        Some("mat-khau-van-hanh-a"),
    );
    assert_eq!(code, Some(0), "{out} {err}");
    let a = FakeStation::enrol(&hub, "tram-a", "Đài xã Phước Dinh", "22936");
    let _off = FakeStation::enrol(&hub, "tram-off", "Đài xã Mất Sóng", "22939");
    // Quiet hours around now, in the station's zone.
    let tz: chrono_tz::Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
    let hm = |d: TimeDelta| {
        (Utc::now() + d)
            .with_timezone(&tz)
            .format("%H:%M")
            .to_string()
    };
    let quiet = format!("{}-{}", hm(TimeDelta::hours(-1)), hm(TimeDelta::hours(1)));
    let r = a.beat_frame(&hub, "Asia/Ho_Chi_Minh", &[&quiet], "", false);
    assert_eq!(r.status, 200, "{}", r.text());
    let mut ed = hub.login("bientap", "mat-khau-bien-tap");
    upload(&mut ed, &hub, "Bản tin thử");

    // The operator: their station, play / stop, record; nothing else.
    let mut op = hub.login("vh", "mat-khau-van-hanh-a");
    let h = op.get("/");
    assert_eq!(h.status, 200, "{}", h.text());
    let h = h.text();
    for want in [
        "id=\"home-operator\"",
        "data-station=\"tram-a\"",
        "data-live=\"/stations/tram-a/now\"",
        "action=\"/stations/tram-a/stop\"",
        "href=\"/clips/new\"",
        "Dừng phát",
        "Ghi âm / tải lên thông báo",
        "trực tuyến",
        "src=\"/static/live.js\"",
    ] {
        assert!(h.contains(want), "{want}: {h}");
    }
    for not in ["home-approver", "home-editor", "home-admin"] {
        assert!(!h.contains(not), "{not} for an operator");
    }
    // The approver: the queue with its count.
    let h = hub.login("duyet", "mat-khau-phe-duyet").get("/").text();
    assert!(h.contains("id=\"home-approver\""), "{h}");
    assert!(h.contains("id=\"queue-clips\" data-n=\"1\""), "{h}");
    assert!(h.contains("1 bản tin chờ duyệt"), "{h}");
    assert!(!h.contains("home-operator") && !h.contains("home-editor"));
    // The editor: their clips by state and the latest.
    let h = ed.get("/").text();
    assert!(h.contains("id=\"home-editor\""), "{h}");
    assert!(h.contains("data-state=\"submitted\" data-n=\"1\""), "{h}");
    assert!(h.contains("Bản tin thử"), "{h}");
    assert!(!h.contains("home-approver"));
    // Two roles: both sections.
    let h = hub.login("hai-vai", "mat-khau-hai-vai-58").get("/").text();
    assert!(
        h.contains("id=\"home-editor\"") && h.contains("id=\"home-approver\""),
        "{h}"
    );
    // The admin: the station that never connected first.
    let h = hub.login("qt", "mat-khau-quan-tri-58").get("/").text();
    assert!(h.contains("id=\"home-admin\""), "{h}");
    assert!(
        h.contains("id=\"count-offline\" href=\"/stations?state=offline\" data-n=\"1\""),
        "{h}"
    );
    assert!(h.contains("data-station=\"tram-off\""), "{h}");
    assert!(
        !h.contains("<li data-station=\"tram-a\""),
        "a well station is not a problem: {h}"
    );
    // A viewer: the reports.
    let mut xem = hub.login("xem-kh", "mat-khau-xem-khanh-hoa");
    assert!(xem.get("/").text().contains("id=\"home-viewer\""));

    // The live fragment and its script; a station out of scope is 404.
    let f = op.get("/stations/tram-a/now");
    assert_eq!(f.status, 200);
    assert!(
        f.text().contains("trực tuyến") && !f.text().contains("<html"),
        "{}",
        f.text()
    );
    assert_eq!(xem.get("/stations/tram-a/now").status, 404);
    let js = op.get("/static/live.js");
    assert_eq!(js.status, 200);
    assert!(js
        .header("content-type")
        .unwrap_or("")
        .contains("javascript"));
    assert!(js.text().contains("data-live"));

    // Stop without the confirm step: a question, nothing signed, nothing audited.
    let before = docs(&hub);
    let r = post(&mut op, "/stations/tram-a/stop", &[("back", "/")]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("id=\"confirm-yes\""), "{}", r.text());
    assert!(
        r.text().contains("name=\"back\" value=\"/\""),
        "{}",
        r.text()
    );
    assert_eq!(docs(&hub), before, "stop without confirm signed something");
    assert!(!hub.sql("SELECT action FROM audit").contains("remote_stop"));
    // Play now inside quiet hours asks too.
    let r = post(
        &mut op,
        "/stations/tram-a/play",
        &[("target", "sang"), ("back", "/")],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("giờ im lặng"), "{}", r.text());
    assert_eq!(docs(&hub), before);
    // Confirmed: signed, back home with a note.
    let r = post(
        &mut op,
        "/stations/tram-a/stop",
        &[("back", "/"), ("confirm", "yes")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/?done=stop"));
    assert_ne!(docs(&hub), before);
    assert!(hub.sql("SELECT action FROM audit").contains("remote_stop"));
    assert!(op
        .get("/?done=stop")
        .text()
        .contains("Đã gửi lệnh dừng phát"));

    // Delete a program: asked first; confirmed, it goes; "Khôi phục" brings it back.
    let r = op.request(
        "PUT",
        "/api/v1/stations/tram-a/programs",
        &[("Content-Type", "application/toml")],
        b"[[program]]\nid = \"sang\"\ntitle = \"B\xe1\xba\xa3n tin s\xc3\xa1ng\"\nat = [\"05:00\"]\nplay = [{ category = \"tin-tuc\" }]\n",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let seq = r.json()["sequence"].as_u64().unwrap().to_string();
    let r = post(
        &mut op,
        "/stations/tram-a/programs/delete?p=0",
        &[("base", &seq)],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.text().contains("Xóa chương trình «Bản tin sáng»"),
        "{}",
        r.text()
    );
    let toml = || hub.sql("SELECT toml FROM timetables WHERE station = 'tram-a'");
    assert!(toml().contains("sang"), "deleted without confirm");
    let r = post(
        &mut op,
        "/stations/tram-a/programs/delete?p=0",
        &[("base", &seq), ("confirm", "yes")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let to = r.header("location").unwrap().to_string();
    assert!(
        to.contains("done=deleted") && to.contains("program=sang"),
        "{to}"
    );
    assert!(!toml().contains("sang"));
    let page = op.get(&to).text();
    assert!(page.contains("id=\"restore\""), "{page}");
    let now: u64 = seq.parse::<u64>().unwrap() + 1;
    let now = now.to_string();
    let r = post(
        &mut op,
        "/stations/tram-a/programs/restore",
        &[("from", &seq), ("program", "sang"), ("base", &now)],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(toml().contains("Bản tin sáng"), "{}", toml());
    // Twice: refused, nothing changes.
    let r = post(
        &mut op,
        "/stations/tram-a/programs/restore",
        &[("from", &seq), ("program", "sang"), ("base", &now)],
    );
    assert_eq!(r.status, 409, "{}", r.text());
}
