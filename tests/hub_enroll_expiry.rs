//! Enrolment codes expire 7 days after `loa hub station add` (HUB.md): a real
//! `loa hub run` (SQLite and PostgreSQL) whose station rows are aged behind its
//! back (the row's `created_at` and `code_expires` moved into the past) refuses
//! a code older than 7 days with 403 and changes nothing but the audit log,
//! while a code one minute short of 7 days old still enrols.

mod common;

use common::hub::{Backend, Hub};
use common::station_api::station_add;
use serde_json::json;

const WEEK_S: i64 = 7 * 24 * 3600;

/// One column of one station row, as the database prints it.
fn field(hub: &Hub, id: &str, col: &str) -> String {
    hub.sql(&format!("SELECT {col} FROM stations WHERE id = '{id}'"))
        .trim()
        .to_string()
}

/// Move the row's clock back: as if `loa hub station add` ran `by_s` seconds earlier.
fn age(hub: &Hub, id: &str, by_s: i64) {
    hub.sql(&format!(
        "UPDATE stations SET created_at = created_at - {by_s}, code_expires = code_expires - {by_s} \
         WHERE id = '{id}'"
    ));
}

fn expired_code_is_refused(backend: Backend) {
    let mut hub = Hub::start(backend);
    let old = station_add(&hub, "tram-cu", "22936");
    let fresh = station_add(&hub, "tram-moi", "22936");

    // The code is valid for exactly 7 days from its creation.
    let created: i64 = field(&hub, "tram-cu", "created_at").parse().unwrap();
    let expires: i64 = field(&hub, "tram-cu", "code_expires").parse().unwrap();
    assert_eq!(expires - created, WEEK_S);

    // 7 days and 1 second old: refused, with the reason in both languages.
    age(&hub, "tram-cu", WEEK_S + 1);
    let before = hub.sql(
        "SELECT id, code_hash, code_expires, token_hash, enrolled_at FROM stations ORDER BY id",
    );
    let mut c = hub.client();
    let r = c.post_json("/api/v1/enroll", &json!({ "code": old }));
    assert_eq!(r.status, 403, "{}", r.text());
    let v = r.json();
    assert!(v["reason_en"].as_str().unwrap().contains("expired"), "{v}");
    assert!(v["reason"].as_str().unwrap().contains("hết hạn"), "{v}");
    assert!(r.header("Set-Cookie").is_none());
    // Asked again: the same answer (the refusal spent nothing and granted nothing).
    let r = c.post_json("/api/v1/enroll", &json!({ "code": old }));
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(
        hub.sql(
            "SELECT id, code_hash, code_expires, token_hash, enrolled_at FROM stations ORDER BY id"
        ),
        before,
        "a refused enrolment changes no station row"
    );
    assert_eq!(field(&hub, "tram-cu", "token_hash"), "");
    let audit = hub.sql("SELECT action, after FROM audit WHERE action = 'station_enroll_failed'");
    assert_eq!(audit.matches("expired code").count(), 2, "{audit}");

    // One minute short of 7 days old: still good, once.
    age(&hub, "tram-moi", WEEK_S - 60);
    let r = c.post_json("/api/v1/enroll", &json!({ "code": fresh }));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["station"], "tram-moi");
    assert_eq!(field(&hub, "tram-moi", "token_hash").len(), 64);
    // The expired one stays refused after another station enrolled.
    let r = c.post_json("/api/v1/enroll", &json!({ "code": old }));
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(hub.stop(), Some(0));
}

#[test]
fn enrolment_code_older_than_7_days_is_refused_sqlite() {
    expired_code_is_refused(Backend::Sqlite);
}

#[test]
fn enrolment_code_older_than_7_days_is_refused_postgres() {
    expired_code_is_refused(Backend::Postgres);
}
