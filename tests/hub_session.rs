//! The hub's sign-in rules against the real `loa hub run`, on SQLite and on
//! a private PostgreSQL: wrong passwords, one-time passwords that must be
//! changed first, sessions that expire, cookies' attributes, failed sign-ins
//! rate-limited per account and per address (429), and cross-site POSTs
//! refused before any handler runs.

mod common;

use common::hub::{Backend, Hub, HubOptions};
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
    one_time_password_must_be_changed_first,
    wrong_password_and_rate_limits,
    sessions_expire_and_sign_out,
    cross_site_posts_are_refused,
    admins_make_accounts_over_the_api,
);

fn one_time_password_must_be_changed_first(b: Backend) {
    let hub = Hub::start(b);
    let mut c = hub.client();
    let r = c.post_json(
        "/api/v1/session",
        &json!({"user": "admin", "password": hub.admin_password}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let cookie = r.header("set-cookie").unwrap().to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");
    assert_eq!(r.json()["user"]["must_change_password"], true);
    // Anything else first: 403 with the reason.
    let r = c.get("/api/v1/audit");
    assert_eq!(r.status, 403);
    assert!(
        r.json()["reason_en"].as_str().unwrap().contains("one-time"),
        "{}",
        r.text()
    );
    // A wrong old password, or a short new one, changes nothing.
    let r = c.post_json(
        "/api/v1/session/password",
        &json!({"old": "nope", "new": "mot-mat-khau-dai"}),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    let r = c.post_json(
        "/api/v1/session/password",
        &json!({"old": hub.admin_password, "new": "ngan"}),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    let r = c.post_json(
        "/api/v1/session/password",
        &json!({"old": hub.admin_password, "new": "mật khẩu mới rất dài"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(c.get("/api/v1/audit").status, 200);
    // The one-time password is gone; the new one works.
    let mut d = hub.client();
    let r = d.post_json(
        "/api/v1/session",
        &json!({"user": "admin", "password": hub.admin_password}),
    );
    assert_eq!(r.status, 401);
    hub.login("admin", "mật khẩu mới rất dài");
}

fn wrong_password_and_rate_limits(b: Backend) {
    let hub = Hub::start(b);
    hub.add_user("bien-tap", "editor", "589", "mat-khau-bien-tap");
    let mut c = hub.client();
    for _ in 0..5 {
        let r = c.post_json(
            "/api/v1/session",
            &json!({"user": "bien-tap", "password": "sai"}),
        );
        assert_eq!(r.status, 401, "{}", r.text());
        assert_eq!(r.json()["error"], "unauthorized");
        assert!(c.cookie.is_none());
    }
    // The sixth try is refused before the password is looked at, even the right one.
    let r = c.post_json(
        "/api/v1/session",
        &json!({"user": "bien-tap", "password": "mat-khau-bien-tap"}),
    );
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(r.header("retry-after").is_some());
    assert!(c.cookie.is_none());
    // An unknown account answers like a wrong password, and counts against the address.
    let mut hits = 0;
    for i in 0..20 {
        let r = c.post_json(
            "/api/v1/session",
            &json!({"user": format!("ai-do-{i}"), "password": "x"}),
        );
        if r.status == 429 {
            hits += 1;
        } else {
            assert_eq!(r.status, 401);
        }
    }
    assert!(hits >= 5, "the address limit answered 429 {hits} times");
    // An unknown role is a usage error (exit 2), and nothing is made.
    let c = hub.cmd(&["hub", "user", "add", "x", "--role", "nope"], None);
    assert_eq!(c.0, Some(2), "{c:?}");
}

fn sessions_expire_and_sign_out(b: Backend) {
    let mut o = HubOptions::new(b);
    o.session_idle = "2s".into();
    let hub = Hub::start_with(o);
    hub.add_user("xem", "viewer", "", "mat-khau-cua-xem");
    let mut c = hub.login("xem", "mat-khau-cua-xem");
    assert_eq!(c.get("/api/v1/session").status, 200);
    std::thread::sleep(std::time::Duration::from_millis(3100));
    let r = c.get("/api/v1/clips");
    assert_eq!(r.status, 401, "{}", r.text());
    assert!(r.json()["reason_en"].as_str().unwrap().contains("expired"));
    // Signing out ends the session on the server, not just in the browser.
    let mut c = hub.login("xem", "mat-khau-cua-xem");
    let stolen = c.cookie.clone();
    let r = c.request("DELETE", "/api/v1/session", &[], b"");
    assert_eq!(r.status, 200);
    let mut thief = hub.client();
    thief.cookie = stolen;
    assert_eq!(thief.get("/api/v1/session").status, 401);
    // A made-up cookie is no session.
    thief.cookie = Some("loa_session=00ff".into());
    assert_eq!(thief.get("/api/v1/clips").status, 401);
}

fn cross_site_posts_are_refused(b: Backend) {
    let mut hub = Hub::start(b);
    let mut c = hub.admin("mat-khau-quan-tri");
    let body = json!({"reason": "x"}).to_string();
    for (k, v) in [
        ("Origin", "http://evil.example"),
        ("Sec-Fetch-Site", "cross-site"),
        ("Origin", "null"),
    ] {
        let r = c.request(
            "POST",
            "/api/v1/session/password",
            &[("Content-Type", "application/json"), (k, v)],
            body.as_bytes(),
        );
        assert_eq!(r.status, 403, "{k}: {v}: {}", r.text());
        assert!(r.json()["reason_en"]
            .as_str()
            .unwrap()
            .contains("cross-site"));
    }
    // The hub's own origin passes the check (and reaches the handler).
    let origin = hub.url.clone();
    let r = c.request(
        "POST",
        "/api/v1/session/password",
        &[
            ("Content-Type", "application/json"),
            ("Origin", &origin),
            ("Sec-Fetch-Site", "same-origin"),
        ],
        json!({"old": "mat-khau-quan-tri", "new": "mat-khau-quan-tri-2"})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // Reading is never refused for its origin.
    let mut c2 = c;
    c2.extra = vec![("Origin".into(), "http://evil.example".into())];
    assert_eq!(c2.get("/api/v1/session").status, 200);
    assert_eq!(hub.stop(), Some(0), "SIGTERM stops the hub cleanly");
}

fn admins_make_accounts_over_the_api(b: Backend) {
    let mut hub = Hub::start(b);
    let mut admin = hub.admin("mat-khau-quan-tri");
    let r = admin.post_json(
        "/api/v1/users",
        &json!({"name": "duyet-tinh", "roles": ["approver", "viewer"], "areas": ["58"]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let pw = r.json()["password"].as_str().unwrap().to_string();
    assert_eq!(r.json()["user"]["must_change_password"], true);
    for (body, status) in [
        (json!({"name": "duyet-tinh", "roles": ["viewer"]}), 409),
        (json!({"name": "x1", "roles": ["chief"]}), 422),
        (json!({"name": "x2", "roles": []}), 422),
        (
            json!({"name": "x3", "roles": ["editor"], "areas": ["00000"]}),
            422,
        ),
    ] {
        let r = admin.post_json("/api/v1/users", &body);
        assert_eq!(r.status, status, "{body}: {}", r.text());
    }
    let names: Vec<String> = admin
        .get("/api/v1/users")
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, vec!["admin", "duyet-tinh"]);
    assert!(
        !admin.get("/api/v1/users").text().contains("argon2"),
        "no hashes leave the hub"
    );
    // Not an admin: 403, and the account list stays private.
    let mut other = hub.client();
    assert_eq!(
        other
            .post_json(
                "/api/v1/session",
                &json!({"user": "duyet-tinh", "password": pw})
            )
            .status,
        200
    );
    assert_eq!(
        other
            .post_json(
                "/api/v1/session/password",
                &json!({"old": pw, "new": "mat-khau-duyet-tinh"})
            )
            .status,
        200
    );
    assert_eq!(other.get("/api/v1/users").status, 403);
    let r = other.post_json("/api/v1/users", &json!({"name": "x4", "roles": ["admin"]}));
    assert_eq!(r.status, 403, "{}", r.text());
    // The area list for pickers, with Vietnamese names.
    let areas = other.get("/api/v1/areas").json();
    let phuoc_dinh = areas
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "22936")
        .unwrap();
    assert_eq!(phuoc_dinh["name"], "Xã Phước Dinh");
    assert_eq!(phuoc_dinh["parent"], "589");
    let audit = admin.get("/api/v1/audit").json();
    assert!(audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "user_add" && e["actor"] == "admin"));
}
