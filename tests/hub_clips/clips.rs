//! A clip's whole life cycle into the signed feed, decisions outside role
//! and scope, bad uploads, uploads over the cap or cut halfway.

use super::*;

pub fn a_clip_goes_through_its_whole_life_cycle(b: Backend) {
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

pub fn decisions_are_refused_outside_role_and_scope(b: Backend) {
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
    // The editor does not approve; an approver of another province does not
    // even see it (404, as for a clip that does not exist);
    let r = ed.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
    assert_eq!(r.status, 403);
    assert!(reason(&r).contains("approver"), "{}", r.text());
    let mut ap56 = hub.login("duyet-56", "mk-phe-duyet-56");
    let r = ap56.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
    assert_eq!(r.status, 404);
    assert!(reason(&r).contains("no clip"), "{}", r.text());
    let r = ap56.post_json(
        &format!("/api/v1/clips/{id}/reject"),
        &json!({"reason": "không"}),
    );
    assert_eq!(r.status, 404);
    // ... nor withdraws it.
    let r = ap56.post_json(&format!("/api/v1/clips/{id}/withdraw"), &json!({}));
    assert_eq!(r.status, 404);
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
        .contains("refused: \"nobody approves or rejects their own proposal\""));
    // Without a session: 401.
    let mut anon = hub.client();
    assert_eq!(anon.get("/api/v1/clips").status, 401);
    assert_eq!(anon.get(&format!("/api/v1/clips/{id}/audio")).status, 401);
}

pub fn bad_uploads_are_refused_and_leave_nothing(b: Backend) {
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

pub fn uploads_over_the_cap_or_cut_halfway_leave_nothing(b: Backend) {
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
