//! The hub's pages over plain HTTP against the real `loa hub run`: sign-in
//! redirects and refusals, the forced password change, forms posted the way
//! a browser posts them (same-origin passes, cross-site is refused), 403s as
//! readable Vietnamese pages, user text escaped everywhere, the English
//! switch (accounts, audit and broadcast forms: hub_pages_admin.rs).

mod common;

use common::hub::{Backend, Hub};
use common::pages::{form, setup, upload};

const XSS: &str = "<script>alert('x')</script><img src=x onerror=alert(1)>";

#[test]
fn pages_need_a_session_and_sign_in_works_with_a_form() {
    let hub = setup();
    let mut c = hub.client();
    let r = c.get("/clips");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/login?back=/clips"));
    let r = c.get("/login");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("<html lang=\"vi\""));
    assert!(r.text().contains("Đăng nhập"));
    assert!(
        !r.text().contains("http://") && !r.text().contains("https://"),
        "no outside asset"
    );

    // Wrong password: 401, the form again with the reason, nothing set.
    let r = form(
        &mut c,
        "/login",
        "user=bientap&password=sai-roi-nhe&back=%2Fclips",
    );
    assert_eq!(r.status, 401);
    assert!(
        r.text().contains("sai tên tài khoản hoặc mật khẩu"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("value=\"bientap\""));
    assert!(c.cookie.is_none());

    // A browser's same-origin form post passes the cross-site guard.
    c.extra = vec![
        ("Origin".into(), hub.url.clone()),
        ("Sec-Fetch-Site".into(), "same-origin".into()),
    ];
    let r = form(
        &mut c,
        "/login",
        "user=bientap&password=mat-khau-bien-tap&back=%2Fbroadcasts",
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/broadcasts"));
    assert!(c.cookie.is_some());
    let r = c.get("/clips");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("id=\"whoami\">bientap<"));

    // An open redirect through `back` goes home instead.
    let mut d = hub.client();
    let r = form(
        &mut d,
        "/login",
        "user=duyet&password=mat-khau-phe-duyet&back=%2F%2Fevil.example%2F",
    );
    assert_eq!(r.header("location"), Some("/"));

    // Sign-out ends the session.
    let r = form(&mut c, "/logout", "");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/login"));
    assert_eq!(c.get("/clips").status, 303);
}

#[test]
fn a_cross_site_form_post_is_refused() {
    let hub = setup();
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    let id = upload(&mut c, &hub, "Tin thử");
    let mut d = hub.login("duyet", "mat-khau-phe-duyet");
    d.extra = vec![
        ("Origin".into(), "http://evil.example".into()),
        ("Sec-Fetch-Site".into(), "cross-site".into()),
    ];
    let r = form(&mut d, &format!("/clips/{id}/approve"), "back=%2Fqueue");
    assert_eq!(r.status, 403);
    d.extra.clear();
    let r = d.get(&format!("/api/v1/clips/{id}"));
    assert_eq!(r.json()["state"], "submitted", "nothing changed");
}

#[test]
fn one_time_password_must_be_changed_first() {
    let hub = Hub::start(Backend::Sqlite);
    let (code, out, err) = hub.cmd(
        &[
            "hub", "user", "add", "moi", "--role", "editor", "--areas", "58", "--json",
        ],
        None,
    );
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let once = v["password"].as_str().unwrap().to_string();
    let mut c = hub.client();
    let r = form(&mut c, "/login", &format!("user=moi&password={once}"));
    assert_eq!(r.header("location"), Some("/password"));
    // Every page sends it to the password change until it is done.
    let r = c.get("/clips");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/password"));
    let r = c.get("/password");
    assert!(r.text().contains("mật khẩu dùng một lần"), "{}", r.text());
    // The two new ones differ; then too short; then the old one is wrong.
    let r = form(
        &mut c,
        "/password",
        &format!("old={once}&new=mot-mat-khau-moi&new2=khac-han"),
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("không giống nhau"));
    let r = form(
        &mut c,
        "/password",
        &format!("old={once}&new=ngan&new2=ngan"),
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("ít nhất 10 ký tự"), "{}", r.text());
    let r = form(
        &mut c,
        "/password",
        "old=khong-dung-dau&new=mot-mat-khau-moi&new2=mot-mat-khau-moi",
    );
    assert_eq!(r.status, 403);
    assert!(r.text().contains("mật khẩu hiện tại không đúng"));
    let r = form(
        &mut c,
        "/password",
        &format!("old={once}&new=mot-mat-khau-moi&new2=mot-mat-khau-moi"),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(c.get("/clips").status, 200);
    let a = hub.login("moi", "mot-mat-khau-moi");
    drop(a);
}

#[test]
fn a_forbidden_api_call_gives_its_reason_in_both_languages() {
    let hub = setup();
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    let r = c.get("/api/v1/audit");
    assert_eq!(r.status, 403, "{}", r.text());
    let j = r.json();
    assert_eq!(j["error"], "forbidden", "{j}");
    assert_eq!(j["reason"], "cần vai trò quản trị (admin)", "{j}");
    assert_eq!(j["reason_en"], "this needs the admin role (`admin`)", "{j}");
    // A refusal with arguments: an unknown clip names its id in each language.
    let r = c.get("/api/v1/clips/khong-co");
    assert_eq!(r.status, 404, "{}", r.text());
    let j = r.json();
    assert_eq!(j["reason"], "không có bản tin `khong-co`", "{j}");
    assert_eq!(j["reason_en"], "no clip `khong-co`", "{j}");
}

#[test]
fn refusals_are_readable_pages() {
    let hub = setup();
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    for p in ["/accounts", "/audit", "/queue"] {
        let r = c.get(p);
        assert_eq!(r.status, 403, "{p}");
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
        assert!(r.text().contains("Không được phép"), "{p}: {}", r.text());
        assert!(r.text().contains("cần vai trò"), "{p}: {}", r.text());
    }
    let id = upload(&mut c, &hub, "Tin của tôi");
    // The editor cannot approve its own (nor anything): 403 page with the reason.
    let r = form(&mut c, &format!("/clips/{id}/approve"), "back=%2Fclips");
    assert_eq!(r.status, 403);
    assert!(r.text().contains("cần vai trò phê duyệt"), "{}", r.text());
    // The same refusal in the reader's language: English on ?lang=en.
    let r = form(
        &mut c,
        &format!("/clips/{id}/approve?lang=en"),
        "back=%2Fclips",
    );
    assert_eq!(r.status, 403);
    assert!(
        r.text().contains("this needs the approver role"),
        "{}",
        r.text()
    );
    assert!(!r.text().contains("cần vai trò"), "{}", r.text());
    // A reject without a reason is refused, in Vietnamese.
    let mut d = hub.login("duyet", "mat-khau-phe-duyet");
    let r = form(
        &mut d,
        &format!("/clips/{id}/reject"),
        "back=%2Fqueue&reason=",
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("cần nêu lý do từ chối"));
    let r = d.get("/clips/khong-co-dau");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("Không tìm thấy"));
    // English on request.
    let r = d.get("/clips/khong-co-dau?lang=en");
    assert!(
        r.text().contains("Not found") && r.text().contains("no clip"),
        "{}",
        r.text()
    );
    // An upload form without a file: the form again, reason on top, title kept.
    let (ct, body) = common::hub::multipart(
        &[("title", "Giữ lại tiêu đề"), ("category", "tin-tuc")],
        None,
    );
    let r = c.request("POST", "/clips/new", &[("Content-Type", &ct)], &body);
    assert_eq!(r.status, 422);
    assert!(r.text().contains("Hãy chọn tệp âm thanh."), "{}", r.text());
    assert!(r.text().contains("Hãy chọn lại tệp"), "{}", r.text());
    assert!(r.text().contains("value=\"Giữ lại tiêu đề\""));
}

#[test]
fn user_text_is_shown_as_text_everywhere() {
    let hub = setup();
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    let id = upload(&mut c, &hub, XSS);
    let r = c.post_json(
        "/api/v1/broadcasts",
        &serde_json::json!({"title": XSS, "now": true, "play": [id], "areas": ["22936"]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let mut d = hub.login("duyet", "mat-khau-phe-duyet");
    let pages = [
        ("c", "/clips".to_string()),
        ("c", format!("/clips/{id}")),
        ("c", "/broadcasts".to_string()),
        ("d", "/queue".to_string()),
    ];
    for (who, p) in pages {
        let cl = if who == "c" { &mut c } else { &mut d };
        let t = cl.get(&p).text();
        assert!(!t.contains("<script>alert"), "{p} has raw script");
        assert!(!t.contains("<img src=x"), "{p} has raw img");
        assert!(
            t.contains("&lt;script&gt;alert('x')&lt;/script&gt;")
                || t.contains("&lt;script&gt;alert(&#39;x&#39;)"),
            "{p}: {t}"
        );
    }
    let r = form(
        &mut d,
        &format!("/clips/{id}/reject"),
        &format!("back=%2Fqueue&reason={}", "%3Cb%3Ekh%C3%B4ng%3C%2Fb%3E"),
    );
    assert_eq!(r.status, 303);
    let t = c.get(&format!("/clips/{id}")).text();
    assert!(
        t.contains("&lt;b&gt;không&lt;/b&gt;") && !t.contains("<b>không"),
        "{t}"
    );
}

#[test]
fn english_switch_and_default_language() {
    let hub = setup();
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    let vi = c.get("/clips").text();
    assert!(vi.contains("<h1>Bản tin</h1>") && vi.contains("Tải lên bản tin"));
    let en = c.get("/clips?lang=en").text();
    assert!(
        en.contains("<html lang=\"en\"")
            && en.contains("<h1>Clips</h1>")
            && en.contains("Upload a clip")
    );
    let r = c.get("/lang?to=en&back=%2Fqueue");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/queue"));
    let sc = r.header("set-cookie").unwrap();
    assert!(sc.starts_with("loa_lang=en;"), "{sc}");
    let r = c.get("/lang?to=en&back=https%3A%2F%2Fevil.example");
    assert_eq!(r.header("location"), Some("/"));
}
