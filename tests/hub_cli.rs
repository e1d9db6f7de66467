//! The `loa hub` commands with the real binary: config errors as
//! file:line:col with exit 2, `init` never overwriting, `user add` (one-time
//! or stdin passwords, refusals), `areas import`, a busy port, and the
//! session cookie's `Secure` flag behind an https public URL.

mod common;

use common::hub::{free_port, Backend, Hub, HubOptions};
use common::loa;
use serde_json::json;

fn hub_cmd(config: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let o = loa()
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn config_errors_are_reported_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("hub.toml");
    std::fs::write(
        &cfg,
        "[hub]\nlisten = \"127.0.0.1:8080\"\nmax_uplaod = \"200MiB\"\n",
    )
    .unwrap();
    let (code, _, err) = hub_cmd(&cfg, &["hub", "init"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("hub.toml:3:1:"), "{err}");
    assert!(err.contains("max_uplaod"), "{err}");
    std::fs::write(
        &cfg,
        "[hub]\nlisten = \"nowhere\"\ndatabase = \"mysql://x\"\n",
    )
    .unwrap();
    let (code, _, err) = hub_cmd(&cfg, &["hub", "run"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("hub.toml:2:1: listen:"), "{err}");
    assert!(err.contains("hub.toml:3:1: database:"), "{err}");
    let (code, _, err) = hub_cmd(&dir.path().join("missing.toml"), &["hub", "run"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("cannot read the hub config"), "{err}");
    // Nothing was created by the refused commands.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn init_never_overwrites_and_user_add_refuses_bad_input() {
    let mut hub = Hub::start(Backend::Sqlite);
    let key_before = std::fs::read(hub.state().join("minisign.key")).unwrap();
    let (code, _, err) = hub.cmd(&["hub", "init"], None);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("never overwrites"), "{err}");
    assert_eq!(
        std::fs::read(hub.state().join("minisign.key")).unwrap(),
        key_before
    );
    // The first admin still signs in with its one-time password.
    hub.admin("mat-khau-quan-tri-moi");

    // A one-time password, printed as JSON; it must be changed at first sign-in.
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "user",
            "add",
            "van-hanh",
            "--role",
            "operator,viewer",
            "--areas",
            "22936",
            "--stations",
            "phuoc-dinh",
            "--json",
        ],
        None,
    );
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["user"], "van-hanh");
    let pw = v["password"].as_str().unwrap();
    let mut c = hub.client();
    let r = c.post_json(
        "/api/v1/session",
        &json!({"user": "van-hanh", "password": pw}),
    );
    assert_eq!(r.status, 200);
    let u = &r.json()["user"];
    assert_eq!(u["must_change_password"], true);
    assert_eq!(u["roles"], json!(["operator", "viewer"]));
    assert_eq!(u["stations"], json!(["phuoc-dinh"]));
    assert_eq!(c.get("/api/v1/clips").status, 403);

    for (args, stdin, want) in [
        (
            vec!["hub", "user", "add", "van-hanh", "--role", "viewer"],
            None,
            "already exists",
        ),
        (
            vec![
                "hub", "user", "add", "ai", "--role", "editor", "--areas", "99999",
            ],
            None,
            "99999",
        ),
        (
            vec![
                "hub",
                "user",
                "add",
                "ngan",
                "--role",
                "editor",
                "--password-stdin",
            ],
            Some("ngan\n"),
            "at least",
        ),
        (
            vec!["hub", "user", "add", "bad name!", "--role", "editor"],
            None,
            "invalid",
        ),
    ] {
        let (code, out, err) = hub.cmd(&args, stdin);
        assert_eq!(code, Some(1), "{args:?}: {out} {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
    let (code, _, err) = hub.cmd(&["hub", "user", "add", "x", "--role", "boss"], None);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("unknown role"), "{err}");
}

#[test]
fn areas_import_extends_the_tree_used_for_scope() {
    let hub = Hub::start(Backend::Sqlite);
    let csv = hub.dir.path().join("dvhc.csv");
    std::fs::write(
        &csv,
        "code,name,parent\n22945,\"Xã Cà Ná, Thuận Nam\",589\n",
    )
    .unwrap();
    let (code, out, err) = hub.cmd(&["hub", "areas", "import", csv.to_str().unwrap()], None);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("1"), "{out}");
    // The running hub learns the new commune without a restart.
    hub.add_user("bt-ca-na", "editor", "22945", "mk-bien-tap-ca-na");
    hub.add_user("duyet-589", "approver", "589", "mk-phe-duyet-589");
    let mut ed = hub.login("bt-ca-na", "mk-bien-tap-ca-na");
    let wav = hub.dir.path().join("t.wav");
    common::write_tone(&wav, 500.0, 0.3, 0.4);
    let r = ed.post_form(
        "/api/v1/clips",
        &[("title", "Cà Ná"), ("category", "a")],
        Some(("t.wav", &std::fs::read(&wav).unwrap())),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    let mut ap = hub.login("duyet-589", "mk-phe-duyet-589");
    let r = ap.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
    assert_eq!(
        r.status,
        200,
        "the district covers the imported commune: {}",
        r.text()
    );
    std::fs::write(&csv, "code,name,parent\n1,\"unclosed,\n").unwrap();
    let (code, _, err) = hub.cmd(&["hub", "areas", "import", csv.to_str().unwrap()], None);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("quote"), "{err}");
}

#[test]
fn a_busy_port_fails_clearly_and_https_sessions_get_secure_cookies() {
    let mut o = HubOptions::new(Backend::Sqlite);
    o.public_url = Some("https://loa.example.vn".into());
    let hub = Hub::start_with(o);
    let mut c = hub.client();
    let r = c.post_json(
        "/api/v1/session",
        &json!({"user": "admin", "password": hub.admin_password}),
    );
    assert_eq!(r.status, 200);
    let cookie = r.header("set-cookie").unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    // The public origin is accepted for state-changing requests.
    let r = c.request(
        "POST",
        "/api/v1/session/password",
        &[
            ("Content-Type", "application/json"),
            ("Origin", "https://loa.example.vn"),
        ],
        json!({"old": hub.admin_password, "new": "mat-khau-moi-dai"})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // A second hub on the same port: exit 1 with what to do.
    let (code, _, err) = hub.cmd(&["hub", "run"], None);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("cannot listen"), "{err}");
    let _ = free_port();
}
