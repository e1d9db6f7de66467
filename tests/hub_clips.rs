//! Clips and pushed broadcasts on the real hub, on SQLite and PostgreSQL:
//! the whole life cycle (upload → submitted → approved → in the signed feed,
//! verified with the real `minisign -Vm` → withdrawn), rejection with a
//! reason, and every refusal: roles and areas outside scope (403 with the
//! reason), self-approval, a file that does not decode, over the cap (413),
//! an upload cut halfway (nothing stored anywhere), duplicate ids, dates in
//! the wrong order, a `<script>` title returned as plain data; the shared
//! life cycle's refusals for both kinds and the audit rows of its steps.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::hub::{files_under, Backend, Client, Hub, HubOptions};
use common::write_tone;
use serde_json::json;

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::Backend::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name(super::Backend::Postgres) } )*
        }
    };
}

on_both!(
    a_clip_goes_through_its_whole_life_cycle,
    decisions_are_refused_outside_role_and_scope,
    bad_uploads_are_refused_and_leave_nothing,
    uploads_over_the_cap_or_cut_halfway_leave_nothing,
    pushed_broadcasts_need_approval_too,
    life_cycle_refusals_name_the_kind_and_leave_no_trace,
    the_audit_log_is_chained_and_shows_tampering,
);

/// The cast: editors and approvers of Thuận Nam (589) and Ninh Thuận (58),
/// an approver of Khánh Hòa (56), a viewer.
fn cast(hub: &Hub) {
    hub.add_user("bt-thuan-nam", "editor", "589", "mk-bien-tap-589");
    hub.add_user("bt-ninh-thuan", "editor,approver", "58", "mk-bien-tap-58");
    hub.add_user("duyet-58", "approver", "58", "mk-phe-duyet-58");
    hub.add_user("duyet-56", "approver", "56", "mk-phe-duyet-56");
    hub.add_user("xem", "viewer", "", "mk-chi-xem-thoi");
}

fn tone(dir: &Path, name: &str, secs: f32) -> Vec<u8> {
    let p = dir.join(name);
    write_tone(&p, 550.0, secs, 0.4);
    std::fs::read(p).unwrap()
}

fn upload(c: &mut Client, fields: &[(&str, &str)], name: &str, data: &[u8]) -> common::hub::Resp {
    c.post_form("/api/v1/clips", fields, Some((name, data)))
}

fn minisign_verifies(hub: &Hub) -> bool {
    let feed = hub.feed_dir();
    let o = Command::new("minisign")
        .arg("-Vm")
        .arg(feed.join("manifest.json"))
        .arg("-P")
        .arg(&hub.public_key)
        .output()
        .expect("minisign (apt-get install minisign)");
    o.status.success()
}

fn a_clip_goes_through_its_whole_life_cycle(b: Backend) {
    let mut hub = Hub::start(b);
    cast(&hub);
    let wav = tone(hub.dir.path(), "t.wav", 1.5);
    let mut ed = hub.login("bt-thuan-nam", "mk-bien-tap-589");
    let title = "<script>alert('x')</script> Thông báo tiêm phòng";
    let r = upload(
        &mut ed,
        &[
            ("title", title),
            ("category", "thong-bao"),
            ("lang", "vi"),
            ("areas", "22936,22939"),
            ("valid_from", "2026-01-01"),
            ("valid_until", "2030-12-31"),
            ("level", "priority"),
        ],
        "ghi-am.wav",
        &wav,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let clip = r.json();
    let id = clip["id"].as_str().unwrap().to_string();
    assert_eq!(clip["state"], "submitted");
    assert_eq!(
        clip["title"], title,
        "stored and returned as given, as data"
    );
    assert_eq!(clip["level"], "priority");
    assert_eq!(clip["areas"], json!(["22936", "22939"]));
    assert!(
        (clip["duration_s"].as_f64().unwrap() - 1.5).abs() < 0.05,
        "{clip}"
    );
    let lufs = clip["lufs"].as_f64().expect("measured loudness");
    assert!((-20.0..-5.0).contains(&lufs), "{lufs}");
    // The audio for the page's player: exactly what was uploaded.
    let a = ed.get(&format!("/api/v1/clips/{id}/audio"));
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("audio/wav"));
    assert_eq!(a.body, wav);
    // Not in the feed before approval: neither in the manifest nor as a file.
    assert_eq!(hub.manifest()["sequence"], 1);
    assert!(files_under(&hub.feed_dir().join("clips")).is_empty());
    let mut ap = hub.login("duyet-58", "mk-phe-duyet-58");
    let r = ap.post_json(
        &format!("/api/v1/clips/{id}/reject"),
        &json!({"reason": " "}),
    );
    assert_eq!(r.status, 422, "a rejection needs a reason: {}", r.text());
    let r = ap.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["state"], "approved");
    // In the signed feed at once, sequence + 1, with its level.
    let m = hub.manifest();
    assert_eq!(m["sequence"], 2);
    let c = &m["clips"][0];
    assert_eq!(c["id"], id.as_str());
    assert_eq!(c["level"], "priority");
    assert_eq!(c["title"], title);
    assert_eq!(c["areas"], json!(["22936", "22939"]));
    let served = ed.get(&format!("/feed/{}", c["path"].as_str().unwrap()));
    assert_eq!(served.status, 200);
    assert_eq!(served.body, wav);
    assert!(minisign_verifies(&hub), "minisign -Vm refuses the manifest");
    let pubkey = ed.get("/feed/minisign.pub").text();
    assert_eq!(pubkey.lines().nth(1), Some(hub.public_key.as_str()));
    // Deciding twice is a conflict.
    let r = ap.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
    assert_eq!(r.status, 409, "{}", r.text());
    // Withdrawn: out of the feed (and its file) at once, still signed.
    let r = ap.post_json(&format!("/api/v1/clips/{id}/withdraw"), &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    let m = hub.manifest();
    assert_eq!(m["sequence"], 3);
    assert_eq!(m["clips"], json!([]));
    assert!(files_under(&hub.feed_dir().join("clips")).is_empty());
    assert!(minisign_verifies(&hub));
    // A second clip is rejected with its reason; the feed does not change.
    let r = upload(
        &mut ed,
        &[("title", "Bản tin hai"), ("category", "thong-bao")],
        "hai.wav",
        &wav,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let id2 = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        r.json()["areas"],
        json!(["589"]),
        "default: the editor's areas"
    );
    let r = ap.post_json(
        &format!("/api/v1/clips/{id2}/reject"),
        &json!({"reason": "Sai thông tin ngày tiêm"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["state"], "rejected");
    assert_eq!(r.json()["reason"], "Sai thông tin ngày tiêm");
    assert_eq!(hub.manifest()["sequence"], 3);
    // Lists: the editor sees both, filtered by state.
    let l = ed.get("/api/v1/clips?state=rejected").json();
    assert_eq!(l.as_array().unwrap().len(), 1);
    assert_eq!(ed.get("/api/v1/clips").json().as_array().unwrap().len(), 2);
    // The hub restarts with everything in place.
    hub.stop();
    hub.spawn();
    assert_eq!(hub.manifest()["sequence"], 3);
    let mut ed = hub.login("bt-thuan-nam", "mk-bien-tap-589");
    assert_eq!(
        ed.get(&format!("/api/v1/clips/{id2}")).json()["state"],
        "rejected"
    );
}

fn decisions_are_refused_outside_role_and_scope(b: Backend) {
    let hub = Hub::start(b);
    cast(&hub);
    let wav = tone(hub.dir.path(), "t.wav", 0.5);
    let reason = |r: &common::hub::Resp| r.json()["reason_en"].as_str().unwrap_or("").to_string();
    // A viewer does not upload.
    let mut xem = hub.login("xem", "mk-chi-xem-thoi");
    let r = upload(
        &mut xem,
        &[("title", "x"), ("category", "a")],
        "x.wav",
        &wav,
    );
    assert_eq!(r.status, 403);
    assert!(reason(&r).contains("editor"), "{}", r.text());
    // An editor targets only inside its areas.
    let mut ed = hub.login("bt-thuan-nam", "mk-bien-tap-589");
    let r = upload(
        &mut ed,
        &[("title", "x"), ("category", "a"), ("areas", "56")],
        "x.wav",
        &wav,
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(reason(&r).contains("outside"), "{}", r.text());
    let r = upload(
        &mut ed,
        &[("title", "x"), ("category", "a"), ("areas", "58")],
        "x.wav",
        &wav,
    );
    assert_eq!(
        r.status,
        403,
        "a province is outside a district editor: {}",
        r.text()
    );
    let r = upload(
        &mut ed,
        &[("title", "x"), ("category", "a"), ("areas", "99999")],
        "x.wav",
        &wav,
    );
    assert_eq!(r.status, 422, "unknown code: {}", r.text());
    let r = upload(
        &mut ed,
        &[("title", "Tin xã"), ("category", "a"), ("areas", "22936")],
        "x.wav",
        &wav,
    );
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_str().unwrap().to_string();
    // The editor does not approve; an approver of another province does not;
    let r = ed.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
    assert_eq!(r.status, 403);
    assert!(reason(&r).contains("approver"), "{}", r.text());
    let mut ap56 = hub.login("duyet-56", "mk-phe-duyet-56");
    let r = ap56.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
    assert_eq!(r.status, 403);
    assert!(reason(&r).contains("outside"), "{}", r.text());
    let r = ap56.post_json(
        &format!("/api/v1/clips/{id}/reject"),
        &json!({"reason": "không"}),
    );
    assert_eq!(r.status, 403);
    // ... nor withdraws it.
    let r = ap56.post_json(&format!("/api/v1/clips/{id}/withdraw"), &json!({}));
    assert_eq!(r.status, 403);
    // An editor-approver never approves their own proposal.
    let mut both = hub.login("bt-ninh-thuan", "mk-bien-tap-58");
    let r = upload(
        &mut both,
        &[("title", "Của tôi"), ("category", "a")],
        "x.wav",
        &wav,
    );
    assert_eq!(r.status, 201);
    let own = r.json()["id"].as_str().unwrap().to_string();
    let r = both.post_json(&format!("/api/v1/clips/{own}/approve"), &json!({}));
    assert_eq!(r.status, 403);
    assert!(reason(&r).contains("own proposal"), "{}", r.text());
    // ... but approves the district editor's clip inside the province.
    let r = both.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    // A draft waits for its author to submit it; nobody else does.
    let r = upload(
        &mut ed,
        &[("title", "Nháp"), ("category", "a"), ("draft", "true")],
        "x.wav",
        &wav,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["state"], "draft");
    let draft = r.json()["id"].as_str().unwrap().to_string();
    let r = both.post_json(&format!("/api/v1/clips/{draft}/approve"), &json!({}));
    assert_eq!(r.status, 409, "a draft is not approved: {}", r.text());
    let r = both.post_json(&format!("/api/v1/clips/{draft}/submit"), &json!({}));
    assert_eq!(r.status, 403, "{}", r.text());
    let r = ed.post_json(&format!("/api/v1/clips/{draft}/submit"), &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["state"], "submitted");
    // Nothing refused reached the feed.
    let m = hub.manifest();
    let ids: Vec<&str> = m["clips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![id.as_str()]);
    // Refusals are logged.
    assert!(hub
        .stderr()
        .contains("refused: nobody approves or rejects their own proposal"));
    // Without a session: 401.
    let mut anon = hub.client();
    assert_eq!(anon.get("/api/v1/clips").status, 401);
    assert_eq!(anon.get(&format!("/api/v1/clips/{id}/audio")).status, 401);
}

fn bad_uploads_are_refused_and_leave_nothing(b: Backend) {
    let hub = Hub::start(b);
    cast(&hub);
    let wav = tone(hub.dir.path(), "t.wav", 0.5);
    let mut ed = hub.login("bt-thuan-nam", "mk-bien-tap-589");
    let ok = [("title", "Tin"), ("category", "thong-bao")];
    // Not audio at all; a WAV header over garbage; an empty file.
    let mut fake = b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec();
    fake.extend(std::iter::repeat_n(0x5a, 4000));
    for (name, data, want) in [
        (
            "x.mp3",
            b"<html>not audio</html>".to_vec(),
            "not a supported audio format",
        ),
        ("x.wav", fake, "does not decode"),
        ("x.wav", vec![], "empty"),
    ] {
        let r = upload(&mut ed, &ok, name, &data);
        assert_eq!(r.status, 422, "{name}: {}", r.text());
        let why = r.json()["reason_en"].as_str().unwrap().to_string();
        assert!(why.contains(want), "{why}");
        assert!(
            !r.json()["reason"].as_str().unwrap().is_empty(),
            "a Vietnamese reason too"
        );
    }
    type Case<'a> = (&'a [(&'a str, &'a str)], u16, &'a str);
    let bad_fields: &[Case] = &[
        (
            &[("title", "Tin"), ("category", "Thông Báo")],
            422,
            "category",
        ),
        (&[("title", ""), ("category", "a")], 422, "title"),
        (
            &[("title", "Tin"), ("category", "a"), ("level", "emergency")],
            422,
            "level",
        ),
        (
            &[("title", "Tin"), ("category", "a"), ("lang", "tiếng việt")],
            422,
            "language",
        ),
        (
            &[
                ("title", "Tin"),
                ("category", "a"),
                ("valid_from", "2026-12-31"),
                ("valid_until", "2026-01-01"),
            ],
            422,
            "after valid_until",
        ),
        (
            &[
                ("title", "Tin"),
                ("category", "a"),
                ("valid_from", "31/12/2026"),
            ],
            422,
            "date",
        ),
    ];
    for (fields, status, want) in bad_fields {
        let r = upload(&mut ed, fields, "x.wav", &wav);
        assert_eq!(r.status, *status, "{fields:?}: {}", r.text());
        assert!(
            r.json()["reason_en"].as_str().unwrap().contains(want),
            "{}",
            r.text()
        );
    }
    let r = ed.post_form("/api/v1/clips", &ok, None);
    assert_eq!(r.status, 422, "no file: {}", r.text());
    // Duplicate ids: 409, the first clip untouched.
    let r = upload(
        &mut ed,
        &[("id", "tin-mot"), ("title", "Một"), ("category", "a")],
        "x.wav",
        &wav,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = upload(
        &mut ed,
        &[("id", "tin-mot"), ("title", "Hai"), ("category", "a")],
        "x.wav",
        &wav,
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(ed.get("/api/v1/clips/tin-mot").json()["title"], "Một");
    let r = upload(
        &mut ed,
        &[("id", "../etc"), ("title", "x"), ("category", "a")],
        "x.wav",
        &wav,
    );
    assert_eq!(r.status, 422, "{}", r.text());
    // One clip stored, one file, nothing left in tmp.
    assert_eq!(ed.get("/api/v1/clips").json().as_array().unwrap().len(), 1);
    assert_eq!(files_under(&hub.state().join("clips")).len(), 1);
    assert!(files_under(&hub.state().join("tmp")).is_empty());
}

fn uploads_over_the_cap_or_cut_halfway_leave_nothing(b: Backend) {
    let mut o = HubOptions::new(b);
    o.max_upload = "1MiB".into();
    let hub = Hub::start_with(o);
    cast(&hub);
    let big = tone(hub.dir.path(), "big.wav", 8.0); // ~1.5 MB
    assert!(big.len() > 1024 * 1024);
    let mut ed = hub.login("bt-thuan-nam", "mk-bien-tap-589");
    let r = upload(
        &mut ed,
        &[("title", "Lớn"), ("category", "a")],
        "big.wav",
        &big,
    );
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(
        r.json()["reason_en"].as_str().unwrap().contains("1 MiB"),
        "{}",
        r.text()
    );
    // Cut halfway: the hub sees the body end early.
    let small = tone(hub.dir.path(), "small.wav", 4.0); // ~770 kB
    let (ct, body) = common::hub::multipart(
        &[("title", "Bị cắt"), ("category", "a")],
        Some(("s.wav", &small)),
    );
    ed.cut_request(
        "POST",
        "/api/v1/clips",
        &[("Content-Type", &ct)],
        &body,
        body.len() / 2,
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(ed.get("/api/v1/clips").json(), json!([]));
    assert!(files_under(&hub.state().join("clips")).is_empty());
    assert!(
        files_under(&hub.state().join("tmp")).is_empty(),
        "{:?}",
        files_under(&hub.state().join("tmp"))
    );
    assert!(files_under(&hub.feed_dir().join("clips")).is_empty());
    // The same file whole is fine.
    let r = upload(
        &mut ed,
        &[("title", "Trọn vẹn"), ("category", "a")],
        "s.wav",
        &small,
    );
    assert_eq!(r.status, 201, "{}", r.text());
}

fn pushed_broadcasts_need_approval_too(b: Backend) {
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

/// The shared life cycle's refusals, for a broadcast and a clip: the author
/// neither approves nor rejects, a step from the wrong state is a 409 that
/// names the kind and the state (vi + en), a rejected broadcast may still be
/// withdrawn (the feed unchanged), twice is refused; refusals write no audit
/// row, and each step's row holds its before and after.
fn life_cycle_refusals_name_the_kind_and_leave_no_trace(b: Backend) {
    let mut hub = Hub::start(b);
    cast(&hub);
    let wav = tone(hub.dir.path(), "t.wav", 0.5);
    let mut ed = hub.login("bt-thuan-nam", "mk-bien-tap-589");
    let mut both = hub.login("bt-ninh-thuan", "mk-bien-tap-58");
    let mut ap = hub.login("duyet-58", "mk-phe-duyet-58");
    let mut ap56 = hub.login("duyet-56", "mk-phe-duyet-56");
    let mut xem = hub.login("xem", "mk-chi-xem-thoi");
    let reasons = |r: &common::hub::Resp| {
        let j = r.json();
        (
            j["reason"].as_str().unwrap_or("").to_string(),
            j["reason_en"].as_str().unwrap_or("").to_string(),
        )
    };
    let r = upload(
        &mut ed,
        &[("id", "tin-a"), ("title", "Tin A"), ("category", "a")],
        "a.wav",
        &wav,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        ap.post_json("/api/v1/clips/tin-a/approve", &json!({}))
            .status,
        200
    );
    // A clip already submitted is not submitted again.
    let r = ed.post_json("/api/v1/clips/tin-a/submit", &json!({}));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(
        reasons(&r),
        (
            "bản tin `tin-a` đang ở trạng thái approved, không thể submitted".into(),
            "clip `tin-a` is approved: it cannot be submitted".into()
        )
    );
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let propose = |c: &mut Client, id: &str| {
        let r = c.post_json(
            "/api/v1/broadcasts",
            &json!({"id": id, "title": "Phát", "at": tomorrow, "play": ["tin-a"]}),
        );
        assert_eq!(r.status, 201, "{id}: {}", r.text());
    };
    propose(&mut ed, "b1");
    propose(&mut both, "cua-toi");
    propose(&mut ed, "b2");
    let at = ed.get("/api/v1/broadcasts/b1").json()["at"]
        .as_i64()
        .unwrap();
    // The author neither approves nor rejects their own proposal.
    for (path, body) in [
        ("approve", json!({})),
        ("reject", json!({"reason": "tự từ chối"})),
    ] {
        let r = both.post_json(&format!("/api/v1/broadcasts/cua-toi/{path}"), &body);
        assert_eq!(r.status, 403, "{path}: {}", r.text());
        assert_eq!(
            reasons(&r),
            (
                "không được tự phê duyệt đề xuất của chính mình".into(),
                "nobody approves or rejects their own proposal".into()
            )
        );
    }
    // A rejection needs a reason; withdrawal is the author's, an approver's
    // in scope or an admin's.
    let r = ap.post_json("/api/v1/broadcasts/b1/reject", &json!({"reason": "  "}));
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(reasons(&r).1, "a rejection needs a reason");
    for c in [&mut ap56, &mut xem] {
        let r = c.post_json("/api/v1/broadcasts/b1/withdraw", &json!({}));
        assert_eq!(r.status, 403, "{}", r.text());
        assert_eq!(
            reasons(&r),
            (
                "chỉ người soạn, người phê duyệt của địa bàn hoặc quản trị mới thu hồi được".into(),
                "only the author, an approver of its areas or an admin withdraws a broadcast"
                    .into()
            )
        );
    }
    let r = ap.post_json("/api/v1/broadcasts/khong-co/approve", &json!({}));
    assert_eq!(r.status, 404, "{}", r.text());
    assert_eq!(
        reasons(&r),
        (
            "không có lượt phát `khong-co`".into(),
            "no broadcast `khong-co`".into()
        )
    );
    // Rejected: neither approved nor rejected again, still withdrawn by its
    // author, which leaves the feed as it was.
    let r = ap.post_json(
        "/api/v1/broadcasts/b1/reject",
        &json!({"reason": "Trùng giờ"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["state"], "rejected");
    assert_eq!(r.json()["at"], at, "a rejection keeps the proposed time");
    let seq = hub.manifest()["sequence"].clone();
    for (what, word) in [("approve", "approved"), ("reject", "rejected")] {
        let r = ap.post_json(
            &format!("/api/v1/broadcasts/b1/{what}"),
            &json!({"reason": "x"}),
        );
        assert_eq!(r.status, 409, "{what}: {}", r.text());
        assert_eq!(
            reasons(&r),
            (
                format!("lượt phát `b1` đang ở trạng thái rejected, không thể {word}"),
                format!("broadcast `b1` is rejected: it cannot be {word}")
            )
        );
    }
    let r = ed.post_json("/api/v1/broadcasts/b1/withdraw", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["state"], "withdrawn");
    assert_eq!(hub.manifest()["sequence"], seq, "nothing left the feed");
    let r = ed.post_json("/api/v1/broadcasts/b1/withdraw", &json!({}));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(
        reasons(&r).1,
        "broadcast `b1` is withdrawn: it cannot be withdrawn"
    );
    // At a time: approval keeps the time, withdrawal by an approver in scope
    // re-signs the feed without it.
    let r = ap.post_json("/api/v1/broadcasts/b2/approve", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["at"], at);
    let m = hub.manifest();
    assert_eq!(m["broadcasts"][0]["id"], "b2");
    let seq = m["sequence"].as_i64().unwrap();
    let r = ap.post_json("/api/v1/broadcasts/b2/approve", &json!({}));
    assert_eq!(r.status, 409, "{}", r.text());
    let r = ap.post_json("/api/v1/broadcasts/b2/withdraw", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["at"], at, "withdrawal keeps the time");
    let m = hub.manifest();
    assert_eq!(m["sequence"], seq + 1);
    assert_eq!(m["broadcasts"], json!([]));
    assert!(minisign_verifies(&hub));
    // A clip withdrawn twice: the second is refused, naming the clip (once
    // the proposal still playing it is withdrawn).
    let r = ed.post_json("/api/v1/clips/tin-a/withdraw", &json!({}));
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(
        reasons(&r).1.contains("`cua-toi` plays this clip"),
        "{}",
        r.text()
    );
    assert_eq!(
        both.post_json("/api/v1/broadcasts/cua-toi/withdraw", &json!({}))
            .status,
        200
    );
    assert_eq!(
        ed.post_json("/api/v1/clips/tin-a/withdraw", &json!({}))
            .status,
        200
    );
    let r = ed.post_json("/api/v1/clips/tin-a/withdraw", &json!({}));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(
        reasons(&r),
        (
            "bản tin `tin-a` đang ở trạng thái withdrawn, không thể withdrawn".into(),
            "clip `tin-a` is withdrawn: it cannot be withdrawn".into()
        )
    );
    // The audit log: one row per step that went through, none for refusals.
    let mut admin = hub.admin("mat-khau-quan-tri");
    let a = admin.get("/api/v1/audit").json();
    assert_eq!(a["chain"]["ok"], true, "{a}");
    let steps: Vec<(String, String, String)> = a["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            let t = e["target"].as_str().unwrap();
            t.starts_with("clip:") || t.starts_with("broadcast:")
        })
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["target"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = [
        ("clip_upload", "clip:tin-a", "bt-thuan-nam"),
        ("clip_approve", "clip:tin-a", "duyet-58"),
        ("broadcast_propose", "broadcast:b1", "bt-thuan-nam"),
        ("broadcast_propose", "broadcast:cua-toi", "bt-ninh-thuan"),
        ("broadcast_propose", "broadcast:b2", "bt-thuan-nam"),
        ("broadcast_reject", "broadcast:b1", "duyet-58"),
        ("broadcast_withdraw", "broadcast:b1", "bt-thuan-nam"),
        ("broadcast_approve", "broadcast:b2", "duyet-58"),
        ("broadcast_withdraw", "broadcast:b2", "duyet-58"),
        ("broadcast_withdraw", "broadcast:cua-toi", "bt-ninh-thuan"),
        ("clip_withdraw", "clip:tin-a", "bt-thuan-nam"),
    ]
    .iter()
    .map(|(a, t, w)| (a.to_string(), t.to_string(), w.to_string()))
    .collect();
    assert_eq!(steps, want);
    let row = |action: &str, target: &str| {
        let e = a["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == action && e["target"] == target)
            .unwrap();
        let parse = |k: &str| serde_json::from_str::<serde_json::Value>(e[k].as_str().unwrap());
        (parse("before").unwrap(), parse("after").unwrap())
    };
    assert_eq!(
        row("broadcast_reject", "broadcast:b1"),
        (
            json!({"state": "submitted", "at": at}),
            json!({"state": "rejected", "at": at, "reason": "Trùng giờ"})
        )
    );
    assert_eq!(
        row("broadcast_withdraw", "broadcast:b1"),
        (
            json!({"state": "rejected", "at": at}),
            json!({"state": "withdrawn", "at": at, "reason": null})
        )
    );
    assert_eq!(
        row("clip_withdraw", "clip:tin-a"),
        (
            json!({"state": "approved"}),
            json!({"state": "withdrawn", "reason": null})
        )
    );
    hub.stop();
}

fn the_audit_log_is_chained_and_shows_tampering(b: Backend) {
    let mut hub = Hub::start(b);
    cast(&hub);
    let wav = tone(hub.dir.path(), "t.wav", 0.5);
    let mut ed = hub.login("bt-thuan-nam", "mk-bien-tap-589");
    let r = upload(
        &mut ed,
        &[("id", "tin"), ("title", "Tin"), ("category", "a")],
        "x.wav",
        &wav,
    );
    assert_eq!(r.status, 201);
    let mut ap = hub.login("duyet-58", "mk-phe-duyet-58");
    assert_eq!(
        ap.post_json("/api/v1/clips/tin/approve", &json!({})).status,
        200
    );
    let mut wrong = hub.client();
    wrong.post_json(
        "/api/v1/session",
        &json!({"user": "duyet-58", "password": "sai"}),
    );
    // Admins only.
    assert_eq!(ed.get("/api/v1/audit").status, 403);
    let mut admin = hub.admin("mat-khau-quan-tri");
    let a = admin.get("/api/v1/audit").json();
    assert_eq!(a["chain"]["ok"], true, "{a}");
    let e = a["entries"].as_array().unwrap();
    let actions: Vec<&str> = e.iter().map(|x| x["action"].as_str().unwrap()).collect();
    for want in [
        "init",
        "user_add",
        "login",
        "clip_upload",
        "clip_approve",
        "login_failed",
    ] {
        assert!(actions.contains(&want), "{want} missing from {actions:?}");
    }
    let approve = e.iter().find(|x| x["action"] == "clip_approve").unwrap();
    assert_eq!(approve["actor"], "duyet-58");
    assert_eq!(approve["address"], "127.0.0.1");
    assert_eq!(approve["target"], "clip:tin");
    assert!(approve["before"].as_str().unwrap().contains("submitted"));
    assert!(approve["after"].as_str().unwrap().contains("approved"));
    let failed = e.iter().find(|x| x["action"] == "login_failed").unwrap();
    assert_eq!(failed["target"], "user:duyet-58");
    // A window: nothing from the future.
    let later = admin.get("/api/v1/audit?from=2099-01-01").json();
    assert_eq!(later["entries"], json!([]));
    assert_eq!(admin.get("/api/v1/audit?from=yesterday").status, 422);
    // Exported as CSV for spreadsheets (BOM, formulas defused).
    let csv = admin.get("/api/v1/audit?format=csv");
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let text = csv.text();
    assert!(text.starts_with("\u{feff}id,at,actor"), "{text}");
    assert!(text.contains("\"clip_approve\""), "{text}");
    assert_eq!(admin.get("/api/v1/audit?format=xml").status, 422);
    // Someone edits a row behind the hub's back: the chain shows where.
    let id = approve["id"].as_i64().unwrap();
    hub.sql(&format!(
        "UPDATE audit SET actor = 'bt-thuan-nam' WHERE id = {id}"
    ));
    let a = admin.get("/api/v1/audit").json();
    assert_eq!(a["chain"]["ok"], false);
    assert_eq!(a["chain"]["broken_at"], id);
    hub.sql(&format!(
        "UPDATE audit SET actor = 'duyet-58' WHERE id = {id}"
    ));
    assert_eq!(admin.get("/api/v1/audit").json()["chain"]["ok"], true);
    // ... or deletes one: the next row no longer follows.
    hub.sql(&format!("DELETE FROM audit WHERE id = {}", id - 1));
    let a = admin.get("/api/v1/audit").json();
    assert_eq!(a["chain"]["broken_at"], id);
    hub.stop();
}
