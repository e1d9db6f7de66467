//! Timetables: how often a program may start (hub-side, once a minute), the
//! operators' priority cap, own programs that are not TOML, and the week
//! picture of a timetable too dense to draw.

use sha2::{Digest, Sha256};

use super::*;
use common::hub::Backend;

const EVERY_SECOND: &str =
    "[[program]]\nid = \"bom\"\ntitle = \"Bom\"\ncron = \"* * * * * *\"\nplay = [{ silence = \"1s\" }]\n";

/// PUT: a program firing every second is a 422 naming it, nothing signed;
/// once a minute is accepted, and its week (10,080 starts) is said to be too
/// dense to draw, in a small page.
#[test]
fn programs_firing_more_than_once_a_minute_are_refused() {
    let mut hub = Hub::start(Backend::Sqlite);
    let _admin = hub.admin("mat-khau-quan-tri-1");
    enrolled(&hub);
    let mut op = operator(&hub, "vh", "mk-van-hanh-1");
    let r = put(&mut op, EVERY_SECOND);
    assert_eq!(r.status, 422, "{}", r.text());
    let v = r.json();
    let diags = v["diagnostics"].to_string();
    assert!(
        diags.contains("`bom`") && diags.contains("too often"),
        "{v}"
    );
    let reason = v["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("`bom`") && reason.contains("quá dày"),
        "{v}"
    );
    assert!(
        diags.contains("\"1:1: ") || diags.contains("\"2:1: "),
        "{v}"
    );
    assert_eq!(hub.sql("SELECT count(*) FROM timetables").trim(), "0");
    let r = put(
        &mut op,
        "[[program]]\nid = \"hai\"\nat = [\"05:00\", \"05:00:30\"]\nplay = [{ silence = \"1s\" }]\n",
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("`hai`"), "{}", r.text());

    let every_minute =
        "[[program]]\nid = \"phut\"\ntitle = \"Mỗi phút\"\ncron = \"0 * * * * *\"\nplay = [{ silence = \"10s\" }]\n";
    let r = put(&mut op, every_minute);
    assert_eq!(r.status, 200, "{}", r.text());
    let page = op.get(&format!("/stations/{STATION}/programs"));
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(
        html.contains("Lịch phát quá dày, không vẽ được"),
        "{}",
        &html[..html.len().min(4000)]
    );
    assert!(html.contains("id=\"week-too-dense\" data-program=\"phut\""));
    assert!(html.len() < 200_000, "{} bytes", html.len());
    assert!(!html.contains("class=\"blk "));
}

/// Heartbeat: own programs that are not TOML, or that fire every second, are
/// a 400 naming `own_programs`; nothing is stored.
#[test]
fn own_programs_must_be_toml_and_bounded() {
    let mut hub = Hub::start(Backend::Sqlite);
    let _admin = hub.admin("mat-khau-quan-tri-1");
    let token = enrolled(&hub);
    let sha = |s: &str| hex::encode(Sha256::digest(s.as_bytes()));
    for own in ["this is { not toml", EVERY_SECOND] {
        let r = beat(
            &hub,
            &token,
            json!({"own_programs": own, "own_programs_sha256": sha(own)}),
        );
        assert_eq!(r.status, 400, "{own}: {}", r.text());
        let v = r.json();
        assert!(
            v["reason"].as_str().unwrap().contains("own_programs"),
            "{v}"
        );
        assert!(
            v["reason_en"].as_str().unwrap().contains("own_programs"),
            "{v}"
        );
        let kept = hub.sql(&format!(
            "SELECT coalesce(own_programs, '-') FROM stations WHERE id = '{STATION}'"
        ));
        assert_eq!(kept.trim(), "-", "nothing stored");
    }
    let good = "[[program]]\nid = \"rieng\"\nat = [\"06:00\"]\nplay = [\"a.ogg\"]\n";
    let r = beat(
        &hub,
        &token,
        json!({"own_programs": good, "own_programs_sha256": sha(good)}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

/// Operators' timetable priorities are capped like play now: 200 is a 403
/// with the reason (vi + en), audited, nothing signed (API and page editor);
/// an admin keeps the right.
#[test]
fn operators_cannot_schedule_emergencies() {
    let mut hub = Hub::start(Backend::Sqlite);
    let mut admin = hub.admin("mat-khau-quan-tri-1");
    enrolled(&hub);
    let mut op = operator(&hub, "vh", "mk-van-hanh-1");
    let urgent = "[[program]]\nid = \"khan\"\nat = [\"22:00\"]\npriority = 200\nplay = [{ silence = \"5s\" }]\n";
    let r = put(&mut op, urgent);
    assert_eq!(r.status, 403, "{}", r.text());
    let v = r.json();
    assert!(v["reason"].as_str().unwrap().contains("1 đến 99"), "{v}");
    assert!(v["reason_en"].as_str().unwrap().contains("1 to 99"), "{v}");
    assert_eq!(hub.sql("SELECT count(*) FROM timetables").trim(), "0");
    assert!(!hub
        .feed_dir()
        .join("stations")
        .join(STATION)
        .join("programs.toml")
        .exists());
    let audit = admin.get("/api/v1/audit").text();
    assert!(audit.contains("timetable_publish_refused"), "{audit}");
    // The page editor shares the rule.
    let r = form(
        &mut op,
        &format!("/stations/{STATION}/programs/edit"),
        &[
            ("base", "0"),
            ("id", "khan"),
            ("title", "Khẩn"),
            ("when", "at"),
            ("at", "22:00"),
            ("days", "mon"),
            ("priority", "200"),
            ("i0.kind", "silence"),
            ("i0.value", "5s"),
            ("op", "save"),
        ],
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains("1 đến 99"), "{}", r.text());
    assert_eq!(hub.sql("SELECT count(*) FROM timetables").trim(), "0");
    // 99 is an operator's; 200 an admin's.
    let r = put(&mut op, &urgent.replace("200", "99"));
    assert_eq!(r.status, 200, "{}", r.text());
    let r = put(&mut admin, urgent);
    assert_eq!(r.status, 200, "{}", r.text());
}
