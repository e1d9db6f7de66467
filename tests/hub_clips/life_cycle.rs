//! The shared life cycle's refusals for both kinds, and the audit rows of
//! its steps.

use super::*;

/// The shared life cycle's refusals, for a broadcast and a clip: the author
/// neither approves nor rejects, a step from the wrong state is a 409 that
/// names the kind and the state (vi + en), a rejected broadcast may still be
/// withdrawn (the feed unchanged), twice is refused; refusals write no audit
/// row, and each step's row holds its before and after.
pub fn life_cycle_refusals_name_the_kind_and_leave_no_trace(b: Backend) {
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
            "bản tin `tin-a` đang ở trạng thái đã phê duyệt, không thể chuyển sang chờ duyệt"
                .into(),
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
    // An approver of another province does not even see it: a 404 like a
    // broadcast that does not exist (no existence oracle).
    let r = ap56.post_json("/api/v1/broadcasts/b1/withdraw", &json!({}));
    assert_eq!(r.status, 404, "{}", r.text());
    assert_eq!(reasons(&r).1, "no broadcast `b1`");
    // The province's report reader sees it but may not withdraw it.
    let r = xem.post_json("/api/v1/broadcasts/b1/withdraw", &json!({}));
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(
        reasons(&r),
        (
            "chỉ người soạn, người phê duyệt của địa bàn hoặc quản trị mới thu hồi được lượt phát này".into(),
            "only the author, an approver of its areas or an admin withdraws a broadcast".into()
        )
    );
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
    for (what, word, vi) in [
        ("approve", "approved", "đã phê duyệt"),
        ("reject", "rejected", "bị từ chối"),
    ] {
        let r = ap.post_json(
            &format!("/api/v1/broadcasts/b1/{what}"),
            &json!({"reason": "x"}),
        );
        assert_eq!(r.status, 409, "{what}: {}", r.text());
        assert_eq!(
            reasons(&r),
            (
                format!("lượt phát `b1` đang ở trạng thái bị từ chối, không thể chuyển sang {vi}"),
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
            "bản tin `tin-a` đang ở trạng thái đã thu hồi, không thể chuyển sang đã thu hồi".into(),
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
