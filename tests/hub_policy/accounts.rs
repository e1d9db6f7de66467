//! Issue 17, item 1: a scoped admin (areas 56) cannot make an admin for the
//! whole province, an account outside its areas, or an operator of a station elsewhere (or of no station at all:
//! the same answer) — through the API or the accounts page. Each refusal is
//! a 403 with both reasons, on the audit log, and writes no account.

use super::common::pages::form;
use super::*;
use serde_json::json;

pub fn a_scoped_admin_makes_accounts_only_inside_itself(b: Backend) {
    let mut hub = Hub::start(b);
    let mut root = hub.admin("mat-khau-quan-tri-tinh");
    hub.add_user(
        "qt-56",
        "admin,approver,operator",
        "56",
        "mat-khau-quan-tri-56",
    );
    add_station(&hub, "tram-58", "22936");
    add_station(&hub, "tram-56", "568");
    let mut qt = hub.login("qt-56", "mat-khau-quan-tri-56");
    let refused = [
        json!({"name": "toan-tinh", "roles": ["admin", "approver"], "areas": []}),
        json!({"name": "toan-tinh-2", "roles": ["admin"]}),
        json!({"name": "ngoai-58", "roles": ["approver"], "areas": ["58"]}),
        json!({"name": "lan-58", "roles": ["approver"], "areas": ["56", "589"]}),
        json!({"name": "van-hanh-58", "roles": ["operator"], "stations": ["tram-58"]}),
        json!({"name": "van-hanh-x", "roles": ["operator"], "stations": ["khong-co"]}),
        json!({"name": "van-hanh-y", "roles": ["operator"], "areas": ["56"], "stations": ["tram-58"]}),
    ];
    for body in &refused {
        let r = qt.post_json("/api/v1/users", body);
        assert_eq!(r.status, 403, "{body}: {}", r.text());
        let j = r.json();
        assert_eq!(j["error"], "forbidden");
        assert!(!j["reason"].as_str().unwrap().is_empty(), "{j}");
        assert!(!j["reason_en"].as_str().unwrap().is_empty(), "{j}");
    }
    // A station elsewhere and a station that does not exist: one answer.
    let a = qt.post_json("/api/v1/users", &refused[4]);
    let b2 = qt.post_json("/api/v1/users", &refused[5]);
    assert_eq!(
        a.text().replace("tram-58", "X"),
        b2.text().replace("khong-co", "X")
    );
    // The same through the accounts page.
    let r = form(
        &mut qt,
        "/accounts",
        "name=trang-toan-tinh&role=admin&role=approver",
    );
    assert_eq!(r.status, 403, "{}", r.text());
    let r = form(&mut qt, "/accounts", "name=trang-58&role=approver&areas=58");
    assert_eq!(r.status, 403, "{}", r.text());
    // Inside its roles and areas it still works.
    let r = qt.post_json(
        "/api/v1/users",
        &json!({"name": "qt-nha-trang", "roles": ["admin", "approver"], "areas": ["568"]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = qt.post_json(
        "/api/v1/users",
        &json!({"name": "van-hanh-56", "roles": ["operator"], "stations": ["tram-56"]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = form(
        &mut qt,
        "/accounts",
        "name=trang-568&role=approver&areas=568",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // Nothing refused was written; every refusal is on the audit log.
    let names: Vec<String> = root
        .get("/api/v1/users")
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        ["admin", "qt-56", "qt-nha-trang", "trang-568", "van-hanh-56"]
    );
    let rows = audit_rows(&mut root);
    let refusals: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|e| e["action"] == "user_add_refused" && e["actor"] == "qt-56")
        .collect();
    assert_eq!(refusals.len(), refused.len() + 2 + 2, "{rows:?}");
    assert!(refusals.iter().any(|e| e["target"] == "user:toan-tinh"));
    // The whole province's admin still gives an empty scope.
    let r = root.post_json(
        "/api/v1/users",
        &json!({"name": "toan-tinh", "roles": ["admin"], "areas": []}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
}
