//! The hub's admin and broadcast pages over plain HTTP against the real
//! `loa hub run`: accounts made with a one-time password (and refused when
//! duplicate, roleless or in unknown areas), the audit page's chain state
//! (intact, then tampered with), pushed broadcasts proposed and decided with
//! forms.

mod common;

use common::pages::{form, setup, upload};

#[test]
fn admin_makes_an_account_with_a_one_time_password() {
    let mut hub = setup();
    let mut a = hub.admin("quan-tri-moi-123");
    let r = a.get("/accounts");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("bientap") && r.text().contains("biên tập"));
    let r = form(
        &mut a,
        "/accounts",
        "name=xa-phuoc-dinh&role=editor&role=approver&areas=22936",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let t = r.text();
    let pw = t
        .split("id=\"one-time-password\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(pw.len() >= 10, "{pw}");
    let mut n = hub.client();
    let r = form(
        &mut n,
        "/login",
        &format!("user=xa-phuoc-dinh&password={pw}"),
    );
    assert_eq!(r.header("location"), Some("/password"));
    // Twice: 409 with the reason; no role: 422.
    let r = form(&mut a, "/accounts", "name=xa-phuoc-dinh&role=editor");
    assert_eq!(r.status, 409);
    assert!(r.text().contains("đã có"));
    let r = form(&mut a, "/accounts", "name=khong-vai-tro");
    assert_eq!(r.status, 422);
    assert!(r.text().contains("ít nhất một vai trò"));
    let r = form(
        &mut a,
        "/accounts",
        "name=sai-dia-ban&role=editor&areas=99999",
    );
    assert_eq!(r.status, 422, "{}", r.text());
    // The audit page shows the account's creation and an intact chain.
    let r = a.get("/audit");
    assert_eq!(r.status, 200);
    assert!(
        r.text()
            .contains("admin đã tạo tài khoản xa-phuoc-dinh lúc ")
            && r.text().contains("data-ok=\"true\""),
        "{}",
        r.text()
    );
    assert!(!r.text().contains(">user_add"), "no raw action names");
    assert!(r.text().contains("href=\"/api/v1/audit?format=csv\""));
    let csv = a.get("/api/v1/audit?format=csv");
    assert_eq!(csv.status, 200);
    assert!(csv.text().contains("xa-phuoc-dinh"));
    hub.sql("UPDATE audit SET actor = 'ke-gian' WHERE id = 2");
    let r = a.get("/audit");
    assert!(r.text().contains("data-ok=\"false\""), "{}", r.text());
}

#[test]
fn broadcasts_are_proposed_and_decided_with_forms() {
    let hub = setup();
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    let id = upload(&mut c, &hub, "Tin bão");
    // At a time: local time in the hub's zone (Asia/Ho_Chi_Minh), one hour on.
    let at = (chrono::Utc::now() + chrono::TimeDelta::hours(1))
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    let local = at.format("%Y-%m-%dT%H:%M").to_string();
    let r = form(
        &mut c,
        "/broadcasts",
        &format!(
            "title=B%C3%A3o+s%E1%BB%91+9&play={id}&mode=at&at={local}&level=emergency&areas=22936"
        ),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/broadcasts?done=propose"));
    let list = c.get("/api/v1/broadcasts").json();
    let b = &list[0];
    assert_eq!(b["priority"], 100);
    assert_eq!(b["emergency"], true);
    let want = chrono::DateTime::parse_from_rfc3339(&format!("{local}:00+07:00")).unwrap();
    assert_eq!(b["at"].as_i64(), Some(want.timestamp()));
    let t = c.get("/broadcasts").text();
    assert!(
        t.contains("Bão số 9") && t.contains(&at.format("%d/%m/%Y %H:%M").to_string()),
        "{t}"
    );
    assert!(t.contains("data-level=\"emergency\""));

    // Refusals come back on the form, the typed title kept.
    let r = form(
        &mut c,
        "/broadcasts",
        "title=Kh%C3%B4ng+c%C3%B3+g%C3%AC&mode=now",
    );
    assert_eq!(r.status, 422);
    assert!(
        r.text().contains("cần ít nhất một bản tin để phát"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("value=\"Không có gì\""));
    let r = form(
        &mut c,
        "/broadcasts",
        &format!("title=X&play={id}&mode=at&at="),
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("Hãy chọn ngày và giờ phát."));
    let r = form(
        &mut c,
        "/broadcasts",
        &format!("title=X&play={id}&mode=now&areas=22333"),
    );
    assert_eq!(r.status, 403, "outside the editor's areas");
    assert!(r.text().contains("ngoài phạm vi"), "{}", r.text());

    // The approver rejects it with a reason; the editor withdraws the clip.
    let bid = b["id"].as_str().unwrap().to_string();
    let mut d = hub.login("duyet", "mat-khau-phe-duyet");
    let r = form(
        &mut d,
        &format!("/broadcasts/{bid}/reject"),
        "back=%2Fqueue&reason=Sai+gi%E1%BB%9D",
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/queue?done=reject"));
    assert_eq!(
        d.get(&format!("/api/v1/broadcasts/{bid}")).json()["state"],
        "rejected"
    );
    // Withdraw asks first (the confirm page), then goes through.
    let r = form(
        &mut c,
        &format!("/clips/{id}/withdraw"),
        &format!("back=%2Fclips%2F{id}%3Fdone%3Dupload"),
    );
    assert_eq!(r.status, 200);
    assert!(r.text().contains("id=\"confirm-yes\""), "{}", r.text());
    let r = form(
        &mut c,
        &format!("/clips/{id}/withdraw"),
        &format!("back=%2Fclips%2F{id}%3Fdone%3Dupload&confirm=yes"),
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some(format!("/clips/{id}?done=withdraw").as_str())
    );
    assert!(c
        .get(&format!("/clips/{id}"))
        .text()
        .contains("data-state=\"withdrawn\""));
}
