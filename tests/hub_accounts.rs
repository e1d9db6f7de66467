//! Accounts over plain HTTP against the real `loa hub run`: an operator
//! bound to a station and its reach said in words; an edit, a password reset
//! (a new one-time password; the old sessions end) and a disable (no sign-in,
//! sessions end) and enable; each refused with its reason outside the
//! admin's scope (`scope::may_grant`), changing nothing. Unknown paths answer
//! with a Vietnamese page in the hub's layout, and JSON under `/api/`.

mod common;

use common::hub::{Client, Hub, Resp};
use common::pages::{form, setup};

fn one_time(r: &Resp) -> String {
    r.text()
        .split("id=\"one-time-password\">")
        .nth(1)
        .unwrap_or_else(|| panic!("no password in {}", r.text()))
        .split('<')
        .next()
        .unwrap()
        .to_string()
}

fn station(hub: &Hub, id: &str, name: &str, areas: &str) {
    let (code, out, err) = hub.cmd(
        &[
            "hub", "station", "add", id, "--name", name, "--areas", areas, "--json",
        ],
        None,
    );
    assert_eq!(code, Some(0), "{out} {err}");
}

fn user_id(hub: &Hub, name: &str) -> String {
    hub.sql(&format!("SELECT id FROM users WHERE name = '{name}'"))
        .trim()
        .to_string()
}

/// Sign in through the form and change the one-time password.
fn first_sign_in(hub: &Hub, name: &str, pw: &str, new: &str) -> Client {
    let mut c = hub.client();
    let r = form(&mut c, "/login", &format!("user={name}&password={pw}"));
    assert_eq!(r.header("location"), Some("/password"), "{}", r.text());
    let r = form(
        &mut c,
        "/password",
        &format!("old={pw}&new={new}&new2={new}"),
    );
    assert!(
        r.status == 303 || r.status == 200,
        "{} {}",
        r.status,
        r.text()
    );
    c
}

#[test]
fn operators_are_bound_to_stations_reset_disabled_and_refused_outside_scope() {
    let mut hub = setup();
    station(&hub, "tan-hoa", "Đài Tân Hòa", "22936");
    station(&hub, "cam-thinh", "Đài Cam Thịnh", "22435");
    let mut a = hub.admin("quan-tri-moi-123");
    // The station pick list, then an operator bound to a station.
    let r = a.get("/accounts");
    assert!(r.text().contains("name=\"stations\" value=\"tan-hoa\""));
    let r = form(
        &mut a,
        "/accounts",
        "name=van-hanh&role=operator&stations=tan-hoa",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let pw = one_time(&r);
    let t = a.get("/accounts").text();
    assert!(t.contains("Vận hành đài Tân Hòa"), "{t}");
    assert!(t.contains("Biên tập — Tỉnh Ninh Thuận"), "{t}");
    assert!(!t.contains("Địa bàn: toàn tỉnh"));
    let op = user_id(&hub, "van-hanh");
    let mut o = first_sign_in(&hub, "van-hanh", &pw, "van-hanh-moi-123");
    assert_eq!(o.get("/accounts").status, 403, "an operator is no admin");

    // Edit: the operator also reads reports of its commune.
    let r = form(
        &mut a,
        &format!("/accounts/{op}"),
        "role=operator&role=viewer&stations=tan-hoa&areas=22936",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("Đã lưu tài khoản van-hanh"));
    assert!(r
        .text()
        .contains("Vận hành đài, xem báo cáo — Xã Phước Dinh; đài Tân Hòa"));
    // Refused: no role (422), unknown station (422); nothing changes.
    let r = form(&mut a, &format!("/accounts/{op}"), "stations=tan-hoa");
    assert_eq!(r.status, 422);
    assert!(r.text().contains("ít nhất một vai trò"));
    let r = form(
        &mut a,
        &format!("/accounts/{op}"),
        "role=operator&stations=khong-co",
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(
        hub.sql(&format!(
            "SELECT roles, stations FROM users WHERE id = {op}"
        ))
        .trim(),
        "operator,viewer|tan-hoa"
    );

    // A district admin (Thuận Nam, 589): its commune's accounts only.
    let r = form(&mut a, "/accounts", "name=qt-huyen&role=admin&areas=589");
    let qpw = one_time(&r);
    let mut q = first_sign_in(&hub, "qt-huyen", &qpw, "qt-huyen-moi-123");
    let t = q.get("/accounts").text();
    assert!(t.contains("value=\"tan-hoa\"") && !t.contains("value=\"cam-thinh\""));
    let ed = user_id(&hub, "bientap");
    let r = form(&mut q, &format!("/accounts/{ed}"), "role=editor&areas=589");
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(
        r.text().contains("nằm ngoài phạm vi quản trị"),
        "{}",
        r.text()
    );
    let r = form(&mut q, &format!("/accounts/{ed}/reset"), "");
    assert_eq!(r.status, 403);
    let r = form(&mut q, &format!("/accounts/{ed}/disable"), "");
    assert_eq!(r.status, 403);
    let r = form(
        &mut q,
        &format!("/accounts/{op}"),
        "role=operator&stations=cam-thinh",
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains("nằm ngoài phạm vi"));
    let r = form(&mut q, "/accounts", "name=toan-tinh&role=viewer");
    assert_eq!(
        r.status, 403,
        "an empty scope only from the province's admin"
    );
    assert_eq!(
        hub.sql("SELECT count(*) FROM users WHERE name = 'toan-tinh'")
            .trim(),
        "0"
    );
    assert_eq!(
        hub.sql(&format!("SELECT roles FROM users WHERE id = {ed}"))
            .trim(),
        "editor"
    );
    assert!(
        hub.sql("SELECT count(*) FROM audit WHERE action = 'user_change_refused'")
            .trim()
            .parse::<u32>()
            .unwrap()
            >= 3
    );

    // Reset inside its scope: a new one-time password; the old session ends.
    let r = form(&mut q, &format!("/accounts/{op}/reset"), "");
    assert_eq!(r.status, 200, "{}", r.text());
    let pw2 = one_time(&r);
    assert_ne!(o.get("/clips").status, 200, "the old session ended");
    let mut n = hub.client();
    let r = form(&mut n, "/login", "user=van-hanh&password=van-hanh-moi-123");
    assert_ne!(
        r.header("location"),
        Some("/clips"),
        "the old password is gone"
    );
    let mut o = first_sign_in(&hub, "van-hanh", &pw2, "van-hanh-moi-456");
    assert_eq!(o.get("/clips").status, 200);

    // Disable: no sign-in, the session ends; enable: it signs in again.
    let r = form(&mut a, &format!("/accounts/{op}/disable"), "");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("Đã khóa tài khoản van-hanh"));
    assert_ne!(o.get("/clips").status, 200);
    let mut n = hub.client();
    let r = form(&mut n, "/login", "user=van-hanh&password=van-hanh-moi-456");
    assert!(r.text().contains("đã bị khóa"), "{}", r.text());
    assert!(a.get("/accounts").text().contains("Đã khóa"));
    let me = user_id(&hub, "admin");
    let r = form(&mut a, &format!("/accounts/{me}/disable"), "");
    assert_eq!(r.status, 403, "nobody disables themselves");
    let r = form(&mut a, &format!("/accounts/{op}/enable"), "");
    assert_eq!(r.status, 200);
    let mut n = hub.client();
    let r = form(&mut n, "/login", "user=van-hanh&password=van-hanh-moi-456");
    assert_eq!(r.header("location"), Some("/"), "{}", r.text());
    let audit = hub.sql("SELECT action FROM audit ORDER BY id");
    for act in [
        "user_edit",
        "user_password_reset",
        "user_disable",
        "user_enable",
    ] {
        assert!(audit.contains(act), "{act} in {audit}");
    }
}

#[test]
fn unknown_paths_answer_in_vietnamese_and_json_under_the_api() {
    let hub = setup();
    let mut c = hub.client();
    let r = c.get("/khong-co-trang-nay");
    assert_eq!(r.status, 404);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let t = r.text();
    assert!(
        t.contains("Không tìm thấy") && t.contains("lang=\"vi\""),
        "{t}"
    );
    assert!(t.contains("href=\"/\""));
    let r = c.get("/api/v1/khong-co");
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"], "not_found");
    let mut e = hub.login("bientap", "mat-khau-bien-tap");
    let r = e.get("/accounts");
    assert_eq!(r.status, 403);
    assert!(r.text().contains("Không được phép") && r.text().contains("<nav"));
    let r = e.get("/accounts/999");
    assert_eq!(r.status, 403);
    let r = e.get("/khong-co");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("Không tìm thấy") && r.text().contains("bientap"));
}

#[test]
fn the_audit_log_reads_as_sentences_filtered_and_paged() {
    let mut hub = setup();
    let mut a = hub.admin("quan-tri-moi-123");
    // 60 accounts made: more than one page (50 rows).
    for i in 0..60 {
        let r = form(
            &mut a,
            "/accounts",
            &format!("name=tk-{i:02}&role=viewer&areas=58"),
        );
        assert_eq!(r.status, 200);
    }
    let mut e = hub.login("bientap", "mat-khau-bien-tap");
    let id = common::pages::upload(&mut e, &hub, "Tin bão số 9");
    let mut d = hub.login("duyet", "mat-khau-phe-duyet");
    let r = form(&mut d, &format!("/clips/{id}/approve"), "back=%2Fqueue");
    assert!(r.status < 400, "{}", r.text());

    let t = a.get("/audit").text();
    let today = chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap())
        .format("%d/%m/%Y")
        .to_string();
    assert!(
        t.contains("duyet đã phê duyệt bản tin «Tin bão số 9» lúc "),
        "{t}"
    );
    assert!(t.contains(&today), "local dd/mm/yyyy");
    assert!(t.contains("bientap đã tải lên bản tin «Tin bão số 9»"));
    for raw in [">clip_approve", ">user_add", "{&quot;", "&quot;roles"] {
        assert!(!t.contains(raw), "{raw} in the page");
    }
    assert!(t.contains("type=\"date\"") && t.contains("id=\"older\""));
    assert_eq!(t.matches("class=\"card entry\"").count(), 50);
    // Page 2 holds the rest.
    let t2 = a.get("/audit?page=2").text();
    assert!(t2.contains("id=\"newer\"") && !t2.contains("id=\"older\""));
    // What the command line did on the server is said so, not "from address local".
    assert!(t2.contains("trên chính máy chủ"), "{t2}");
    assert!(!t2.contains("địa chỉ local"), "{t2}");
    // Who.
    let t = a.get("/audit?who=duyet").text();
    assert!(t.contains("duyet đã phê duyệt") && !t.contains("admin đã tạo"));
    // What.
    let t = a.get("/audit?what=clips").text();
    assert!(t.contains("đã phê duyệt bản tin") && !t.contains("đã tạo tài khoản"));
    let t = a.get("/audit?what=accounts").text();
    assert!(t.contains("admin đã tạo tài khoản tk-59") && !t.contains("bản tin"));
    // From–to: today has everything, a day in the past nothing.
    let iso = chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap())
        .format("%Y-%m-%d")
        .to_string();
    let t = a
        .get(&format!("/audit?from={iso}&to={iso}&what=clips"))
        .text();
    assert!(t.contains("đã phê duyệt bản tin"));
    let t = a.get("/audit?from=2020-01-01&to=2020-01-31").text();
    assert!(t.contains("id=\"audit-empty\"") && !t.contains("class=\"card entry\""));
}
