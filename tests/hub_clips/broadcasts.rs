//! Pushed broadcasts go through the same approval.

use super::*;

pub fn pushed_broadcasts_need_approval_too(b: Backend) {
    let hub = Hub::start(b);
    cast(&hub);
    let wav = tone(hub.dir.path(), "t.wav", 0.5);
    let mut ed = hub.login("bt-thuan-nam", "mk-bien-tap-589");
    let mut ap = hub.login("duyet-58", "mk-phe-duyet-58");
    let r = upload(
        &mut ed,
        &[
            ("id", "bao-so-9"),
            ("title", "Tin bão"),
            ("category", "khan-cap"),
        ],
        "b.wav",
        &wav,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    // Bad proposals.
    for (body, want) in [
        (
            json!({"title": "x", "play": ["bao-so-9"], "priority": 100}),
            "`at`",
        ),
        (
            json!({"title": "x", "now": true, "at": "2030-01-01T00:00:00+07:00", "play": ["bao-so-9"]}),
            "not both",
        ),
        (
            json!({"title": "x", "at": "2020-01-01T00:00:00+07:00", "play": ["bao-so-9"]}),
            "not in the future",
        ),
        (
            json!({"title": "x", "now": true, "play": []}),
            "at least one",
        ),
        (
            json!({"title": "x", "now": true, "play": ["bao-so-9"], "priority": 0}),
            "priority",
        ),
    ] {
        let r = ed.post_json("/api/v1/broadcasts", &body);
        assert_eq!(r.status, 422, "{body}: {}", r.text());
        assert!(
            r.json()["reason_en"].as_str().unwrap().contains(want),
            "{}",
            r.text()
        );
    }
    let r = ed.post_json(
        "/api/v1/broadcasts",
        &json!({"title": "x", "now": true, "play": ["khong-co"]}),
    );
    assert_eq!(r.status, 404, "{}", r.text());
    let r = ed.post_json(
        "/api/v1/broadcasts",
        &json!({"title": "x", "now": true, "play": ["bao-so-9"], "areas": ["56"]}),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    // An emergency, now: approval waits for its clip's approval.
    let r = ed.post_json(
        "/api/v1/broadcasts",
        &json!({"id": "khan-bao-9", "title": "Khẩn cấp: bão số 9", "now": true, "play": ["bao-so-9"], "priority": 100}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["emergency"], true);
    assert_eq!(r.json()["at"], json!(null));
    let r = ed.post_json(
        "/api/v1/broadcasts",
        &json!({"id": "khan-bao-9", "title": "x", "now": true, "play": ["bao-so-9"]}),
    );
    assert_eq!(r.status, 409, "duplicate id: {}", r.text());
    let r = ap.post_json("/api/v1/broadcasts/khan-bao-9/approve", &json!({}));
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.json()["reason_en"]
        .as_str()
        .unwrap()
        .contains("approve clip `bao-so-9` first"));
    let r = ed.post_json("/api/v1/broadcasts/khan-bao-9/approve", &json!({}));
    assert_eq!(r.status, 403, "an editor does not approve: {}", r.text());
    assert_eq!(
        ap.post_json("/api/v1/clips/bao-so-9/approve", &json!({}))
            .status,
        200
    );
    let before = chrono::Utc::now().timestamp();
    let r = ap.post_json("/api/v1/broadcasts/khan-bao-9/approve", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    let at = r.json()["at"].as_i64().unwrap();
    assert!(
        (before..=before + 2).contains(&at),
        "`now` is fixed at approval: {at}"
    );
    let m = hub.manifest();
    let bc = &m["broadcasts"][0];
    assert_eq!(bc["id"], "khan-bao-9");
    assert_eq!(bc["priority"], 100);
    assert_eq!(bc["play"], json!(["bao-so-9"]));
    assert_eq!(bc["areas"], json!(["589"]));
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(bc["at"].as_str().unwrap())
            .unwrap()
            .timestamp(),
        at
    );
    assert!(
        bc["at"].as_str().unwrap().ends_with("+07:00"),
        "hub time zone: {bc}"
    );
    assert!(minisign_verifies(&hub));
    // Its clip cannot be withdrawn under it; the broadcast can, then the clip.
    let r = ap.post_json("/api/v1/clips/bao-so-9/withdraw", &json!({}));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(
        ed.post_json("/api/v1/broadcasts/khan-bao-9/withdraw", &json!({}))
            .status,
        200
    );
    assert_eq!(hub.manifest()["broadcasts"], json!([]));
    assert_eq!(
        ap.post_json("/api/v1/clips/bao-so-9/withdraw", &json!({}))
            .status,
        200
    );
    assert_eq!(
        ed.get("/api/v1/broadcasts")
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // A clip whose broadcast aired hours ago may be withdrawn: both leave the
    // feed together, which stays valid and signed.
    let r = upload(
        &mut ed,
        &[("id", "tin-cu"), ("title", "Tin cũ"), ("category", "a")],
        "c.wav",
        &wav,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        ap.post_json("/api/v1/clips/tin-cu/approve", &json!({}))
            .status,
        200
    );
    let r = ed.post_json(
        "/api/v1/broadcasts",
        &json!({"id": "da-phat", "title": "Đã phát", "now": true, "play": ["tin-cu"]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        ap.post_json("/api/v1/broadcasts/da-phat/approve", &json!({}))
            .status,
        200
    );
    let hours_ago = chrono::Utc::now().timestamp() - 7200;
    hub.sql(&format!(
        "UPDATE broadcasts SET at = {hours_ago} WHERE id = 'da-phat'"
    ));
    let r = ap.post_json("/api/v1/clips/tin-cu/withdraw", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    let m = hub.manifest();
    assert_eq!(m["clips"], json!([]));
    assert_eq!(m["broadcasts"], json!([]));
    assert!(minisign_verifies(&hub));
}
