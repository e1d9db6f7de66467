//! Issue 18, the clips' pages over HTTP on the real hub: the list's search
//! (title words without accents, category, upload dates, kept by the pager),
//! "Phê duyệt bởi … lúc …" on a clip and in the list, withdraw only after
//! the confirm step, a rejected clip fixed and resubmitted by its author
//! (and refused to anyone else or in another state), the pending count on
//! "Chờ duyệt", a local announcement labelled with its station (never the
//! province), the upload form coming back with every field as typed and
//! each error beside its field (nothing saved), and the progress script
//! served from the hub.

mod common;

use common::hub::{multipart, Backend, Hub};
use common::pages::{form, setup, upload, wav};

fn clip_count(hub: &Hub) -> String {
    hub.sql("SELECT count(*) FROM clips").trim().to_string()
}

#[test]
fn the_list_searches_by_title_category_and_date_and_pages_keep_it() {
    let hub = setup();
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    for (title, cat) in [
        ("Bản tin trưa", "tin-tuc"),
        ("Thời tiết chiều", "thoi-tiet"),
        ("Bản tin tối", "tin-tuc"),
    ] {
        let r = c.post_form(
            "/api/v1/clips",
            &[("title", title), ("category", cat), ("areas", "22936")],
            Some(("a.wav", &wav(&hub))),
        );
        assert_eq!(r.status, 201, "{}", r.text());
    }
    // Words without accents find the accented title.
    let t = c.get("/clips?q=ban+tin+trua").text();
    assert!(t.contains("Bản tin trưa"), "{t}");
    assert!(!t.contains("Bản tin tối") && !t.contains("Thời tiết chiều"));
    assert!(t.contains("Tìm thấy 1 bản tin."), "{t}");
    assert!(
        t.contains("value=\"ban tin trua\""),
        "the words stay in the box"
    );
    // A category from the list.
    let t = c.get("/clips?category=thoi-tiet").text();
    assert!(t.contains("Thời tiết chiều") && !t.contains("Bản tin trưa"));
    assert!(t.contains("<option value=\"thoi-tiet\" selected>"), "{t}");
    // Dates: uploaded today → all; from tomorrow → none, said so.
    // The hub's days (Asia/Ho_Chi_Minh in the test hub).
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let t = c
        .get(&format!("/clips?from={today}&until={today}&q=ban+tin"))
        .text();
    assert!(t.contains("Tìm thấy 2 bản tin."), "{t}");
    let t = c.get(&format!("/clips?from={tomorrow}")).text();
    assert!(t.contains("Không có bản tin nào khớp với tìm kiếm."), "{t}");
    assert!(t.contains("type=\"date\""));
    // The state filters and the pager keep the search.
    let t = c.get("/clips?q=ban+tin&category=tin-tuc").text();
    assert!(
        t.contains(
            "href=\"/clips?q=ban%20tin&amp;category=tin-tuc&amp;state=submitted&amp;page=1\""
        ),
        "{t}"
    );
    // English with the switch.
    let t = c.get("/clips?q=ban+tin&lang=en").text();
    assert!(t.contains("2 clips found."), "{t}");
}

#[test]
fn paging_keeps_the_search() {
    let hub = setup();
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    let id = upload(&mut c, &hub, "Tin số 0");
    let (created,): (i64,) = (hub
        .sql(&format!("SELECT created_at FROM clips WHERE id = '{id}'"))
        .trim()
        .parse()
        .unwrap(),);
    // 60 more rows in the database (same audio), half "tin-tuc" (as the first).
    let mut sql = String::new();
    for i in 1..=60 {
        let cat = if i % 2 == 0 { "tin-tuc" } else { "khac" };
        sql.push_str(&format!(
            "INSERT INTO clips (id, title, category, lang, areas, valid_from, valid_until, level, state, reason, ext, sha256, bytes, duration_ms, lufs, created_by, created_at, decided_by, updated_at) \
             SELECT 'tin-{i}', 'Tin số {i}', '{cat}', lang, areas, NULL, NULL, level, state, NULL, ext, sha256, bytes, duration_ms, lufs, created_by, {created} + {i}, NULL, updated_at FROM clips WHERE id = '{id}';"
        ));
    }
    hub.sql(&sql);
    let t = c.get("/clips?q=tin+so&category=tin-tuc").text();
    assert!(t.contains("Tìm thấy 31 bản tin."), "{t}");
    let t = c.get("/clips?q=tin&page=2").text();
    assert!(t.contains("Trang 2 / 2"), "{t}");
    assert!(
        t.contains("href=\"/clips?q=tin&amp;page=1\""),
        "the pager keeps the words: {t}"
    );
}

#[test]
fn approved_by_whom_and_when_on_the_clip_and_in_lists() {
    let hub = setup();
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    let id = upload(&mut c, &hub, "Tin được duyệt");
    let mut d = hub.login("duyet", "mat-khau-phe-duyet");
    // The approver's navigation counts what awaits it.
    let t = d.get("/clips").text();
    assert!(t.contains("Chờ duyệt (1)"), "{t}");
    let r = form(&mut d, &format!("/clips/{id}/approve"), "back=%2Fqueue");
    assert_eq!(r.status, 303);
    let q = d.get("/queue").text();
    assert!(q.contains("Chờ duyệt (0)"), "{q}");
    let one = c.get(&format!("/clips/{id}")).text();
    assert!(one.contains("Phê duyệt bởi duyet lúc "), "{one}");
    let list = c.get("/clips").text();
    assert!(list.contains("Phê duyệt bởi duyet lúc "), "{list}");
    let en = c.get(&format!("/clips/{id}?lang=en")).text();
    assert!(en.contains("Approved by duyet at "), "{en}");
    // An editor has no queue, so no count.
    assert!(!list.contains("Chờ duyệt ("));
}

#[test]
fn withdraw_needs_the_confirm_step() {
    let hub = setup();
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    let id = upload(&mut c, &hub, "Tin sẽ thu hồi");
    let mut d = hub.login("duyet", "mat-khau-phe-duyet");
    assert_eq!(
        form(&mut d, &format!("/clips/{id}/approve"), "back=%2Fqueue").status,
        303
    );
    let seq = hub.manifest()["sequence"].as_u64().unwrap();
    // The first post only asks.
    let r = form(&mut d, &format!("/clips/{id}/withdraw"), "back=%2Fclips");
    assert_eq!(r.status, 200);
    let t = r.text();
    assert!(t.contains("Thu hồi bản tin «Tin sẽ thu hồi»?"), "{t}");
    assert!(t.contains("name=\"confirm\" value=\"yes\""), "{t}");
    assert!(t.contains("id=\"confirm-back\""));
    assert_eq!(
        d.get(&format!("/api/v1/clips/{id}")).json()["state"],
        "approved",
        "nothing done before the confirmation"
    );
    assert_eq!(hub.manifest()["sequence"].as_u64().unwrap(), seq);
    // Confirmed: withdrawn, out of the feed.
    let r = form(
        &mut d,
        &format!("/clips/{id}/withdraw"),
        "back=%2Fclips&confirm=yes",
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/clips?done=withdraw"));
    assert_eq!(
        d.get(&format!("/api/v1/clips/{id}")).json()["state"],
        "withdrawn"
    );
    // A broadcast asks too.
    let r = c.post_json(
        "/api/v1/broadcasts",
        &serde_json::json!({"title": "Phát thử", "now": true, "play": [], "areas": ["22936"]}),
    );
    if r.status == 201 {
        let bid = r.json()["id"].as_str().unwrap().to_string();
        let r = form(
            &mut c,
            &format!("/broadcasts/{bid}/withdraw"),
            "back=%2Fbroadcasts",
        );
        assert_eq!(r.status, 200);
        assert!(
            r.text().contains("Thu hồi lượt phát «Phát thử»?"),
            "{}",
            r.text()
        );
    }
}

#[test]
fn a_rejected_clip_is_fixed_and_resubmitted_by_its_author_only() {
    let hub = setup();
    hub.add_user("bientap-2", "editor", "58", "mat-khau-bien-tap-2");
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    let id = upload(&mut c, &hub, "Tin sai chính tả");
    // Not rejected yet: no fixing.
    let r = c.get(&format!("/clips/{id}/edit"));
    assert_eq!(r.status, 409, "{}", r.text());
    let mut d = hub.login("duyet", "mat-khau-phe-duyet");
    let r = form(
        &mut d,
        &format!("/clips/{id}/reject"),
        "back=%2Fqueue&reason=Sai+t%C3%AAn+x%C3%A3",
    );
    assert_eq!(r.status, 303);
    let one = c.get(&format!("/clips/{id}")).text();
    assert!(one.contains("Từ chối bởi duyet lúc "), "{one}");
    assert!(one.contains("Lý do từ chối: Sai tên xã"), "{one}");
    assert!(one.contains(&format!("href=\"/clips/{id}/edit\"")), "{one}");
    // The form shows the reason and the clip's fields.
    let f = c.get(&format!("/clips/{id}/edit")).text();
    assert!(f.contains("Lý do từ chối: Sai tên xã"), "{f}");
    assert!(f.contains("value=\"Tin sai chính tả\""), "{f}");
    // Another editor: refused, nothing changes.
    let mut e2 = hub.login("bientap-2", "mat-khau-bien-tap-2");
    let r = e2.get(&format!("/clips/{id}/edit"));
    assert_eq!(r.status, 403, "{}", r.text());
    let r = e2.post_form(
        &format!("/clips/{id}/edit"),
        &[("title", "Của người khác"), ("category", "tin-tuc")],
        None,
    );
    assert_eq!(r.status, 403, "{}", r.text());
    // A bad category comes back beside its field, nothing saved.
    let r = c.post_form(
        &format!("/clips/{id}/edit"),
        &[("title", "Tin đã sửa"), ("category", "Tin Tức")],
        None,
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("id=\"err-category\""), "{}", r.text());
    assert!(r.text().contains("value=\"Tin đã sửa\""));
    assert_eq!(
        c.get(&format!("/api/v1/clips/{id}")).json()["state"],
        "rejected"
    );
    // Fixed with a new audio file: submitted again, the reason kept for the approver.
    let sha0 = c.get(&format!("/api/v1/clips/{id}")).json()["sha256"].clone();
    let p = hub.dir.path().join("moi.wav");
    common::write_tone(&p, 700.0, 1.5, 0.4);
    let r = c.post_form(
        &format!("/clips/{id}/edit"),
        &[
            ("title", "Tin đã sửa"),
            ("category", "thong-bao"),
            ("area_22936", "1"),
        ],
        Some(("moi.wav", &std::fs::read(&p).unwrap())),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header("location"),
        Some(format!("/clips/{id}?done=resubmit").as_str())
    );
    let j = c.get(&format!("/api/v1/clips/{id}")).json();
    assert_eq!(j["state"], "submitted");
    assert_eq!(j["title"], "Tin đã sửa");
    assert_eq!(j["category"], "thong-bao");
    assert_ne!(j["sha256"], sha0, "the audio was replaced");
    let q = d.get("/queue").text();
    assert!(
        q.contains("Tin đã sửa") && q.contains("Lần trước bị từ chối vì: Sai tên xã"),
        "{q}"
    );
    assert!(hub
        .sql("SELECT action FROM audit")
        .contains("clip_resubmit"));
    // Resubmitted: no second resubmission.
    let r = c.post_form(
        &format!("/clips/{id}/edit"),
        &[("title", "Lần nữa"), ("category", "tin-tuc")],
        None,
    );
    assert_eq!(r.status, 409, "{}", r.text());
    // Approved after the fix.
    assert_eq!(
        form(&mut d, &format!("/clips/{id}/approve"), "back=%2Fqueue").status,
        303
    );
}

#[test]
fn a_form_with_errors_comes_back_as_typed_and_saves_nothing() {
    let hub = setup();
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    let before = clip_count(&hub);
    let (ct, body) = multipart(
        &[
            ("title", "Thông báo <tiêm phòng>"),
            ("category", "Tiêm Phòng"),
            ("lang", "vi"),
            ("valid_from", "2026-12-20"),
            ("valid_until", "2026-12-10"),
            ("level", "priority"),
            ("area_22936", "1"),
        ],
        Some(("ghi-chu.txt", b"khong phai am thanh")),
    );
    let r = c.request("POST", "/clips/new", &[("Content-Type", &ct)], &body);
    assert_eq!(r.status, 422, "{}", r.text());
    let t = r.text();
    for kept in [
        "value=\"Thông báo &lt;tiêm phòng&gt;\"",
        "value=\"Tiêm Phòng\"",
        "value=\"2026-12-20\"",
        "value=\"2026-12-10\"",
        "value=\"priority\" checked",
        "name=\"area_22936\" value=\"1\" checked",
    ] {
        assert!(t.contains(kept), "{kept} not kept: {t}");
    }
    for err in ["err-category", "err-valid_until", "err-file"] {
        assert!(t.contains(&format!("id=\"{err}\"")), "{err}: {t}");
    }
    assert!(!t.contains("id=\"err-title\""));
    assert!(t.contains("Hãy chọn lại tệp"), "{t}");
    assert!(t.contains("Chưa lưu gì"), "{t}");
    assert!(t.contains("không phải âm thanh"), "{t}");
    assert_eq!(clip_count(&hub), before, "nothing saved");
    // English with the switch.
    let r = c.request(
        "POST",
        "/clips/new?lang=en",
        &[("Content-Type", &ct)],
        &body,
    );
    assert!(r.text().contains("Choose the file again"), "{}", r.text());
}

#[test]
fn the_progress_script_is_served_by_the_hub() {
    let hub = Hub::start(Backend::Sqlite);
    let mut c = hub.client();
    let r = c.get("/static/upload.js");
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    assert!(r.text().contains("XMLHttpRequest") && r.text().contains("onprogress"));
    hub.add_user("bientap", "editor", "58", "mat-khau-bien-tap");
    let mut e = hub.login("bientap", "mat-khau-bien-tap");
    let f = e.get("/clips/new").text();
    assert!(f.contains("<script src=\"/static/upload.js\">"), "{f}");
    assert!(f.contains("id=\"upload-progress\""));
    assert!(!f.contains("<script>"), "no inline script");
}

#[test]
fn a_local_announcement_is_labelled_with_its_station() {
    let hub = Hub::start(Backend::Sqlite);
    hub.add_user("duyet", "approver", "58", "mat-khau-phe-duyet");
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "station",
            "add",
            "xa-a",
            "--name",
            "Phước Dinh",
            "--areas",
            "22936",
            "--json",
        ],
        None,
    );
    assert_eq!(code, Some(0), "{out} {err}");
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "user",
            "add",
            "vh-a",
            "--role",
            "operator",
            "--stations",
            "xa-a",
            "--password-stdin",
        ],
        Some("mk-van-hanh-a\n"),
    );
    assert_eq!(code, Some(0), "{out} {err}");
    let mut op = hub.login("vh-a", "mk-van-hanh-a");
    let r = op.post_form(
        "/clips/new",
        &[
            ("title", "Họp dân thôn 3"),
            ("category", "thong-bao-xa"),
            ("lang", "vi"),
            ("station_xa-a", "1"),
        ],
        Some(("a.wav", &wav(&hub))),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let mut d = hub.login("duyet", "mat-khau-phe-duyet");
    for page in ["/clips", "/queue"] {
        let t = d.get(page).text();
        assert!(
            t.contains("Thông báo riêng của đài Phước Dinh"),
            "{page}: {t}"
        );
        assert!(
            !t.contains("toàn tỉnh"),
            "{page} calls it province-wide: {t}"
        );
    }
    let id = hub.sql("SELECT id FROM clips").trim().to_string();
    let t = op.get(&format!("/clips/{id}")).text();
    assert!(t.contains("Thông báo riêng của đài Phước Dinh"), "{t}");
    let t = op.get(&format!("/clips/{id}?lang=en")).text();
    assert!(
        t.contains("Local announcement of station Phước Dinh"),
        "{t}"
    );
}
