//! The audit log: chained, readable by admins, exported, and showing where
//! it was tampered with.

use super::*;

pub fn the_audit_log_is_chained_and_shows_tampering(b: Backend) {
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
