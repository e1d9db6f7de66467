//! The hub's pages in a real headless Chromium (WebDriver, 360 px wide):
//! an editor signs in (changing the one-time password), uploads a clip,
//! proposes an emergency broadcast, sees both awaiting approval and signs
//! out; an approver signs in, approves both from the queue and sees the clip
//! published with the feed's sequence moved on. Also: a `<script>` title
//! stays text in the browser, the English switch sticks, and the admin
//! pages. A screenshot of each page goes to target/screenshots/.

mod common;

use common::browser::{available, Browser, WIDTH};
use common::hub::{Backend, Hub};
use common::write_tone;

fn one_time(hub: &Hub, name: &str, role: &str) -> String {
    let (code, out, err) = hub.cmd(
        &[
            "hub", "user", "add", name, "--role", role, "--areas", "58", "--json",
        ],
        None,
    );
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    v["password"].as_str().unwrap().to_string()
}

async fn sign_in(b: &Browser, hub: &Hub, name: &str, pw: &str) {
    b.goto(&format!("{}/", hub.url)).await;
    assert!(b.url().await.contains("/login"), "{}", b.url().await);
    b.fill("#user", name).await;
    b.fill("#password", pw).await;
    b.click_and_wait("#signin").await;
}

async fn no_sideways_scroll(b: &Browser, page: &str) {
    let w = b.scroll_width().await;
    assert!(
        w <= WIDTH as u64,
        "{page} is {w} px wide on a {WIDTH} px phone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_uploads_and_approver_publishes() {
    if !available() {
        return;
    }
    let hub = Hub::start(Backend::Sqlite);
    let once = one_time(&hub, "bientap", "editor");
    hub.add_user("duyet", "approver", "58", "mat-khau-phe-duyet");
    let wav = hub.dir.path().join("ban-tin.wav");
    write_tone(&wav, 600.0, 2.0, 0.4);
    let seq0 = hub.manifest()["sequence"].as_u64().unwrap();

    let b = Browser::start().await;
    // First sign-in: straight to the password change.
    b.goto(&format!("{}/", hub.url)).await;
    b.shot("01-dang-nhap").await;
    no_sideways_scroll(&b, "đăng nhập").await;
    b.fill("#user", "bientap").await;
    b.fill("#password", &once).await;
    b.click_and_wait("#signin").await;
    assert!(b.url().await.ends_with("/password"), "{}", b.url().await);
    b.shot("02-doi-mat-khau").await;
    b.fill("#old", &once).await;
    b.fill("#new", "mat-khau-bien-tap").await;
    b.fill("#new2", "mat-khau-bien-tap").await;
    b.click_and_wait("#change").await;
    assert!(
        b.url().await.contains("/clips"),
        "{}: {}",
        b.url().await,
        b.source().await
    );

    // Tải lên.
    b.click_and_wait("#upload-link").await;
    assert!(b.url().await.ends_with("/clips/new"));
    b.shot("03-tai-len").await;
    no_sideways_scroll(&b, "tải lên").await;
    b.choose_file("#file", &wav).await;
    b.fill("#title", "Thông báo tiêm chủng đợt 2").await;
    b.fill("#category", "tin-tuc").await;
    b.click("input[name=area_22936]").await;
    b.click("input[name=level][value=priority]").await;
    b.click_and_wait("#upload").await;
    let url = b.url().await;
    assert!(url.contains("done=upload"), "{url}: {}", b.source().await);
    let id = url
        .split("/clips/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(b.text("h1").await, "Thông báo tiêm chủng đợt 2");
    let src = b.source().await;
    assert!(src.contains("data-state=\"submitted\"") && src.contains("data-level=\"priority\""));
    assert!(
        src.contains(&format!("/api/v1/clips/{id}/audio")),
        "a player"
    );
    b.shot("04-ban-tin").await;
    no_sideways_scroll(&b, "bản tin").await;

    // Phát ngay: an emergency, now, playing that clip.
    b.goto(&format!("{}/broadcasts", hub.url)).await;
    b.fill("#b-title", "Cảnh báo bão khẩn cấp").await;
    b.click(&format!("input[name=play][value='{id}']")).await;
    b.click("input[name=level][value=emergency]").await;
    b.click_and_wait("#propose-btn").await;
    assert!(
        b.url().await.contains("done=propose"),
        "{}",
        b.source().await
    );
    assert!(b.source().await.contains("data-level=\"emergency\""));
    b.shot("05-phat-ngay").await;
    no_sideways_scroll(&b, "phát ngay").await;

    // The clip waits in chờ duyệt.
    b.goto(&format!("{}/clips?state=submitted", hub.url)).await;
    assert!(b.source().await.contains(&format!("data-id=\"{id}\"")));
    b.shot("06-ban-tin-cho-duyet").await;
    b.click_and_wait("#logout").await;
    assert!(b.url().await.ends_with("/login"));

    // The approver.
    sign_in(&b, &hub, "duyet", "mat-khau-phe-duyet").await;
    b.goto(&format!("{}/queue", hub.url)).await;
    let src = b.source().await;
    assert!(src.contains(&format!("data-id=\"{id}\"")) && src.contains("Cảnh báo bão khẩn cấp"));
    b.shot("07-cho-duyet").await;
    no_sideways_scroll(&b, "chờ duyệt").await;
    b.click_and_wait(&format!(".clip[data-id='{id}'] button.approve"))
        .await;
    assert!(
        b.url().await.contains("/queue?done=approve"),
        "{}",
        b.source().await
    );
    b.click_and_wait(".broadcast button.approve").await;
    assert!(
        b.url().await.contains("done=approve"),
        "{}",
        b.source().await
    );
    assert!(b.source().await.contains("queue-empty"));

    // Published: the state, the feed's sequence, the signed manifest.
    b.goto(&format!("{}/clips/{id}", hub.url)).await;
    let src = b.source().await;
    assert!(src.contains("data-state=\"approved\""), "{src}");
    b.goto(&format!("{}/clips", hub.url)).await;
    let seq: u64 = b.text("#feed-sequence").await.parse().unwrap();
    let m = hub.manifest();
    assert_eq!(seq, m["sequence"].as_u64().unwrap());
    assert!(
        seq >= seq0 + 2,
        "clip and broadcast each moved the feed on: {seq0} -> {seq}"
    );
    assert!(m.to_string().contains(&id), "{m}");
    b.shot("08-da-phat-hanh").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_script_title_stays_text_and_english_sticks() {
    if !available() {
        return;
    }
    let hub = Hub::start(Backend::Sqlite);
    hub.add_user("bientap", "editor", "58", "mat-khau-bien-tap");
    let title = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    let p = hub.dir.path().join("t.wav");
    write_tone(&p, 500.0, 1.0, 0.4);
    let r = c.post_form(
        "/api/v1/clips",
        &[("title", title), ("category", "tin-tuc")],
        Some(("t.wav", &std::fs::read(&p).unwrap())),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();

    let b = Browser::start().await;
    sign_in(&b, &hub, "bientap", "mat-khau-bien-tap").await;
    for page in ["/clips".to_string(), format!("/clips/{id}")] {
        b.goto(&format!("{}{page}", hub.url)).await;
        let pwned =
            b.c.execute(
                "return window.pwned === undefined ? null : window.pwned;",
                vec![],
            )
            .await
            .unwrap();
        assert!(pwned.is_null(), "{page} ran the title: {pwned}");
        assert!(b
            .text(".clip .title")
            .await
            .contains("<script>window.pwned=1</script>"));
    }
    b.shot("09-tieu-de-script").await;

    // The switch: a link on every page; English sticks across pages.
    b.goto(&format!("{}/clips", hub.url)).await;
    assert_eq!(b.text("h1").await, "Bản tin");
    b.click_and_wait("#lang-switch").await;
    assert!(b.url().await.ends_with("/clips"), "{}", b.url().await);
    assert_eq!(b.text("h1").await, "Clips");
    b.goto(&format!("{}/broadcasts", hub.url)).await;
    assert_eq!(b.text("h1").await, "Pushed broadcasts");
    b.shot("10-english").await;
    b.click_and_wait("#lang-switch").await;
    assert_eq!(b.text("h1").await, "Phát ngay");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_pages_on_a_phone() {
    if !available() {
        return;
    }
    let mut hub = Hub::start(Backend::Sqlite);
    drop(hub.admin("quan-tri-vien-01"));
    let b = Browser::start().await;
    sign_in(&b, &hub, "admin", "quan-tri-vien-01").await;
    b.goto(&format!("{}/accounts", hub.url)).await;
    b.fill("#name", "xa-phuoc-diem").await;
    b.click("input[name=role][value=editor]").await;
    b.click("input[name=areas][value='22939']").await;
    b.click_and_wait("#create-account").await;
    let pw = b.text("#one-time-password").await;
    assert!(pw.len() >= 10, "{pw}");
    b.shot("11-tai-khoan").await;
    no_sideways_scroll(&b, "tài khoản").await;
    b.goto(&format!("{}/audit", hub.url)).await;
    assert!(b.source().await.contains("data-ok=\"true\""));
    assert!(b.source().await.contains("user_add"));
    b.shot("12-nhat-ky-thao-tac").await;
    b.close().await;
}
