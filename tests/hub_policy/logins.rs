//! Issue 17, items 2–4: wrong sign-ins sent at once (threads released
//! together, each on its own connection) get exactly the limit's 401s and
//! 429 with Retry-After for the rest — for one account (5) and for unknown
//! names from one address (20); the old password of a password change
//! counts against the same limits; a login name with a newline and a fake
//! log line after it stays one escaped line in the hub's log.

use std::sync::{Arc, Barrier};

use super::*;
use serde_json::json;

/// POST each body to `/api/v1/session` from its own thread, all released at
/// once; the answers' (status, has Retry-After).
fn all_at_once(hub: &Hub, bodies: Vec<serde_json::Value>) -> Vec<(u16, bool)> {
    let gate = Arc::new(Barrier::new(bodies.len()));
    let threads: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let (gate, addr) = (gate.clone(), hub.addr);
            std::thread::spawn(move || {
                let mut c = Client::new(addr);
                gate.wait();
                let r = c.post_json("/api/v1/session", &body);
                (r.status, r.header("retry-after").is_some())
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

fn count(answers: &[(u16, bool)], status: u16) -> usize {
    answers.iter().filter(|(s, _)| *s == status).count()
}

pub fn concurrent_wrong_passwords_get_exactly_the_limit(b: Backend) {
    let hub = Hub::start(b);
    hub.add_user("bt", "editor", "589", "mat-khau-bien-tap");
    let wrong = (0..30)
        .map(|i| json!({"user": "bt", "password": format!("sai-{i}")}))
        .collect();
    let answers = all_at_once(&hub, wrong);
    assert_eq!(count(&answers, 401), 5, "{answers:?}");
    assert_eq!(count(&answers, 429), 25, "{answers:?}");
    assert!(answers.iter().all(|(s, retry)| *s != 429 || *retry));
    // Unknown names count like wrong passwords, per address: 5 failures
    // are already on this address, so 15 more 401s, then 429.
    let unknown = (0..40)
        .map(|i| json!({"user": format!("ai-do-{i}"), "password": "x"}))
        .collect();
    let answers = all_at_once(&hub, unknown);
    assert_eq!(count(&answers, 401), 15, "{answers:?}");
    assert_eq!(count(&answers, 429), 25, "{answers:?}");
    assert!(answers.iter().all(|(s, retry)| *s != 429 || *retry));
    let failed = hub
        .sql("SELECT COUNT(*) FROM login_failures WHERE kind = 'addr'")
        .trim()
        .to_string();
    assert_eq!(failed, "20");
}

pub fn the_old_password_of_a_change_is_rate_limited(b: Backend) {
    let hub = Hub::start(b);
    hub.add_user("bt", "editor", "589", "mat-khau-bien-tap");
    let mut c = hub.login("bt", "mat-khau-bien-tap");
    for i in 0..5 {
        let r = c.post_json(
            "/api/v1/session/password",
            &json!({"old": format!("doan-{i}"), "new": "mat-khau-moi-dai"}),
        );
        assert_eq!(r.status, 403, "{}", r.text());
    }
    // The sixth guess is refused before the password is looked at, even the
    // right one; so is a sign-in to the same account.
    let r = c.post_json(
        "/api/v1/session/password",
        &json!({"old": "mat-khau-bien-tap", "new": "mat-khau-moi-dai"}),
    );
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(r.header("retry-after").is_some());
    let r = hub.client().post_json(
        "/api/v1/session",
        &json!({"user": "bt", "password": "mat-khau-bien-tap"}),
    );
    assert_eq!(r.status, 429, "{}", r.text());
    // Nothing changed: the old password is still the one.
    hub.sql("DELETE FROM login_failures");
    hub.login("bt", "mat-khau-bien-tap");
}

pub fn a_login_name_cannot_forge_a_log_line(b: Backend) {
    let hub = Hub::start(b);
    let forged = "x\n2026-12-07T10:00:00Z  INFO loa::hub::audit: audit: admin login user:admin from 10.0.0.1";
    let r = hub
        .client()
        .post_json("/api/v1/session", &json!({"user": forged, "password": "x"}));
    assert_eq!(r.status, 401, "{}", r.text());
    let log = hub.stderr();
    let lines: Vec<&str> = log.lines().filter(|l| l.contains("10.0.0.1")).collect();
    assert_eq!(lines.len(), 1, "{log}");
    assert!(lines[0].contains("login_failed"), "{log}");
    assert!(lines[0].contains(r#"x\n2026-12-07"#), "{log}");
    assert!(
        !log.lines().any(|l| l.starts_with("2026-12-07T10:00:00Z")),
        "{log}"
    );
}
