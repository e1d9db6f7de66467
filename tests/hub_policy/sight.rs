//! Issue 17, items 5–6: what a scoped account sees, and that what it does
//! not see answers exactly like what does not exist. The rule
//! (`scope::sees`): its own items, and those whose areas overlap its
//! scope — under one of its areas, or above one (a province's bulletin
//! reaches the commune) — or have no areas (the whole province).

use super::common::write_tone;
use super::*;
use serde_json::json;

/// Editors of Ninh Thuận (58) and Khánh Hòa (56) upload: a bulletin for
/// the province 58, one for the commune Phước Diêm (22939), one for 56, and
/// a broadcast for 22939; a viewer of Phước Dinh (22936), an approver of 56.
fn scene(b: Backend) -> Hub {
    let hub = Hub::start(b);
    hub.add_user("bt-58", "editor", "58", "mat-khau-bien-tap-58");
    hub.add_user("bt-56", "editor", "56", "mat-khau-bien-tap-56");
    hub.add_user("xem-dinh", "viewer", "22936", "mat-khau-xem-dinh");
    hub.add_user("duyet-56", "approver", "56", "mat-khau-duyet-56");
    let p = hub.dir.path().join("t.wav");
    write_tone(&p, 500.0, 0.5, 0.4);
    let wav = std::fs::read(p).unwrap();
    for (who, pw, id, areas) in [
        ("bt-58", "mat-khau-bien-tap-58", "tin-tinh", "58"),
        ("bt-58", "mat-khau-bien-tap-58", "tin-diem", "22939"),
        ("bt-56", "mat-khau-bien-tap-56", "tin-kh", "56"),
    ] {
        let mut c = hub.login(who, pw);
        let r = c.post_form(
            "/api/v1/clips",
            &[
                ("id", id),
                ("title", id),
                ("category", "tin-tuc"),
                ("areas", areas),
            ],
            Some(("t.wav", &wav)),
        );
        assert_eq!(r.status, 201, "{id}: {}", r.text());
    }
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let r = hub.login("bt-58", "mat-khau-bien-tap-58").post_json(
        "/api/v1/broadcasts",
        &json!({"id": "phat-diem", "title": "Phát", "at": tomorrow,
                "play": ["tin-diem"], "areas": ["22939"]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    hub
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

pub fn a_commune_viewer_sees_only_clips_that_reach_it(b: Backend) {
    let hub = scene(b);
    let mut xem = hub.login("xem-dinh", "mat-khau-xem-dinh");
    // The province's bulletin reaches Phước Dinh; the sister commune's and
    // the other province's do not.
    assert_eq!(ids(&xem.get("/api/v1/clips").json()), ["tin-tinh"]);
    assert_eq!(xem.get("/api/v1/clips/tin-tinh").status, 200);
    assert_eq!(xem.get("/api/v1/clips/tin-tinh/audio").status, 200);
    assert_eq!(xem.get("/clips/tin-tinh").status, 200);
    for id in ["tin-diem", "tin-kh"] {
        for path in [
            format!("/api/v1/clips/{id}"),
            format!("/api/v1/clips/{id}/audio"),
            format!("/clips/{id}"),
        ] {
            assert_eq!(xem.get(&path).status, 404, "{path}");
        }
    }
    let page = xem.get("/clips").text();
    assert!(page.contains("/clips/tin-tinh"), "{page}");
    assert!(
        !page.contains("tin-diem") && !page.contains("tin-kh"),
        "{page}"
    );
    // Broadcasts alike.
    assert_eq!(
        ids(&xem.get("/api/v1/broadcasts").json()),
        Vec::<String>::new()
    );
    assert_eq!(xem.get("/api/v1/broadcasts/phat-diem").status, 404);
    let page = xem.get("/broadcasts").text();
    assert!(!page.contains("phat-diem"), "{page}");
    // The whole province's admin sees everything.
    let mut hub = hub;
    let mut root = hub.admin("mat-khau-quan-tri-tinh");
    assert_eq!(
        ids(&root.get("/api/v1/clips").json()),
        ["tin-diem", "tin-kh", "tin-tinh"]
    );
}

pub fn out_of_sight_answers_like_missing(b: Backend) {
    let hub = scene(b);
    let mut ap = hub.login("duyet-56", "mat-khau-duyet-56");
    let mut same = |kind: &str, real: &str| {
        for (action, body) in [
            ("approve", json!({})),
            ("reject", json!({"reason": "không"})),
            ("withdraw", json!({})),
        ] {
            let there = ap.post_json(&format!("/api/v1/{kind}/{real}/{action}"), &body);
            let nowhere = ap.post_json(&format!("/api/v1/{kind}/khong-co/{action}"), &body);
            assert_eq!(there.status, 404, "{kind} {action}: {}", there.text());
            assert_eq!(
                there.text().replace(real, "ID"),
                nowhere.text().replace("khong-co", "ID"),
                "{kind} {action}"
            );
        }
        let there = ap.get(&format!("/api/v1/{kind}/{real}"));
        let nowhere = ap.get(&format!("/api/v1/{kind}/khong-co"));
        assert_eq!(there.status, 404);
        assert_eq!(
            there.text().replace(real, "ID"),
            nowhere.text().replace("khong-co", "ID")
        );
    };
    same("clips", "tin-diem");
    same("broadcasts", "phat-diem");
    // The pages' actions too.
    let mut ap = hub.login("duyet-56", "mat-khau-duyet-56");
    for kind in ["clips", "broadcasts"] {
        let real = if kind == "clips" {
            "tin-diem"
        } else {
            "phat-diem"
        };
        let there = super::common::pages::form(&mut ap, &format!("/{kind}/{real}/withdraw"), "");
        let nowhere =
            super::common::pages::form(&mut ap, &format!("/{kind}/khong-co/withdraw"), "");
        assert_eq!(there.status, nowhere.status, "{kind}: {}", there.text());
        assert_eq!(there.status, 404, "{kind}");
    }
    // Nothing moved.
    let mut ed = hub.login("bt-58", "mat-khau-bien-tap-58");
    assert_eq!(
        ed.get("/api/v1/clips/tin-diem").json()["state"],
        "submitted"
    );
    assert_eq!(
        ed.get("/api/v1/broadcasts/phat-diem").json()["state"],
        "submitted"
    );
}
