//! Issue 18's scripted task for an admin, on a phone (headless Chromium,
//! 360 × 740) against a real `loa hub run` and a station enrolled through
//! the station API: the admin creates an operator bound to the station; the
//! operator signs in with the one-time password, changes it and sees the
//! station on the home; the admin resets the password (the old one stops
//! working, the new one-time one works), disables the account (no sign-in,
//! the reason in Vietnamese) and enables it again. Taps (clicks + page
//! loads) and seconds of the creating and the resetting are printed
//! (BENCHMARKS.md). Then the refusals through the same page: a district
//! admin cannot make an account for the whole province nor one for a
//! station outside the district (a forged form), each said in Vietnamese,
//! nothing made. Last, the audit page says all of it in words.
//! Screenshots: target/screenshots/50-…54-.

mod common;

use common::browser::{available, Browser, WIDTH};
use common::hub::{Backend, Client, Hub};
use common::station_api::{enroll, station_add};
use common::task::Task;

const ID: &str = "phuoc-dinh";
const ADMIN_PW: &str = "quan-tri-tinh-2026";

/// A hub with the province admin's password changed, a district admin
/// (Thuận Nam, 589), a station in Phước Dinh enrolled through the API and
/// one in Cam Thịnh Đông (another district), not enrolled.
fn setup() -> Hub {
    let mut hub = Hub::start(Backend::Sqlite);
    hub.admin(ADMIN_PW);
    hub.add_user("qt-huyen", "admin", "589", "mk-quan-tri-huyen");
    let code = station_add(&hub, ID, "22936");
    let mut c: Client = hub.client();
    enroll(&mut c, &code);
    station_add(&hub, "cam-thinh", "22435");
    hub
}

async fn phone() -> Browser {
    let b = Browser::start().await;
    b.c.set_window_size(WIDTH, 740).await.unwrap();
    b
}

/// Sign in through the form; `Ok(url)` where it landed, `Err(note)` the
/// refusal shown on the sign-in page.
async fn sign_in(b: &Browser, hub: &Hub, user: &str, pw: &str) -> Result<String, String> {
    b.c.delete_all_cookies().await.unwrap();
    b.goto(&format!("{}/login", hub.url)).await;
    b.fill("#user", user).await;
    b.fill("#password", pw).await;
    b.click_and_wait("#signin").await;
    let url = b.url().await;
    if url.contains("/login") {
        return Err(b.text(".msg.err").await);
    }
    Ok(url)
}

/// The first sign-in with a one-time password: straight to "Đổi mật khẩu".
async fn first_sign_in(b: &Browser, hub: &Hub, user: &str, one_time: &str, new: &str) {
    let url = sign_in(b, hub, user, one_time).await.unwrap();
    assert!(url.ends_with("/password"), "{url}");
    b.fill("#old", one_time).await;
    b.fill("#new", new).await;
    b.fill("#new2", new).await;
    b.click_and_wait("#change").await;
}

fn count(hub: &Hub, name: &str) -> String {
    hub.sql(&format!("SELECT COUNT(*) FROM users WHERE name = '{name}'"))
        .trim()
        .to_string()
}

/// The page is a phone's: no sideways scroll, no control under 44 px.
async fn fits(b: &Browser) {
    assert!(
        b.scroll_width().await <= u64::from(WIDTH),
        "sideways scroll on {}",
        b.url().await
    );
    let h = b
        .c
        .execute(
            "return Math.min(...[...document.querySelectorAll('main input:not([type=hidden]):not([type=checkbox]), main button, main label.check, main a.btn')].filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().height));",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        h.as_f64().unwrap() >= 44.0,
        "a control {h} px tall on {}",
        b.url().await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_creates_an_operator_bound_to_a_station_resets_and_disables_it() {
    if !available() {
        return;
    }
    let hub = setup();
    let admin = phone().await;
    let op = phone().await;
    sign_in(&admin, &hub, "admin", ADMIN_PW).await.unwrap();

    // Create: from the home, "Tài khoản" → name, role, station → "Tạo".
    let mut t = Task::new(&admin);
    t.go("nav a[href='/accounts']").await;
    t.tap("#to-add-account").await;
    t.fill("#name", "van-hanh").await;
    t.tap("input[name=role][value=operator]").await;
    t.tap(&format!("input[name=stations][value={ID}]")).await;
    admin.shot("50-tao-tai-khoan").await;
    t.go("#create-account").await;
    let one_time = admin.text("#created #one-time-password").await;
    t.report("admin creates an operator bound to a station");
    fits(&admin).await;
    admin.shot("51-mat-khau-dung-mot-lan").await;
    let row = admin.text("tr[data-user=van-hanh] .reach").await;
    assert!(
        row.contains("Vận hành") && row.contains("truyền thanh xã"),
        "{row}"
    );
    assert!(!one_time.is_empty());

    // The operator's first sign-in: change the one-time password, then
    // the home shows their station (and only it).
    first_sign_in(&op, &hub, "van-hanh", &one_time, "van-hanh-moi-2026").await;
    op.goto(&format!("{}/", hub.url)).await;
    let src = op.source().await;
    assert!(src.contains(&format!("data-station=\"{ID}\"")), "{src}");
    assert!(!src.contains("data-station=\"cam-thinh\""), "{src}");
    op.shot("52-trang-chu-van-hanh").await;

    // Reset: from the home, "Tài khoản" → "Sửa" → "Tạo mật khẩu mới".
    admin.goto(&format!("{}/", hub.url)).await;
    let mut t = Task::new(&admin);
    t.go("nav a[href='/accounts']").await;
    t.go("#edit-van-hanh").await;
    t.go("#reset-password").await;
    let reset = admin.text("#reset #one-time-password").await;
    t.report("admin resets a password");
    fits(&admin).await;
    admin.shot("53-dat-lai-mat-khau").await;
    assert_ne!(reset, one_time);
    // The operator's session ended; the old password no longer opens.
    op.goto(&format!("{}/", hub.url)).await;
    assert!(op.url().await.contains("/login"), "{}", op.url().await);
    let no = sign_in(&op, &hub, "van-hanh", "van-hanh-moi-2026")
        .await
        .unwrap_err();
    assert!(no.contains("sai tên tài khoản hoặc mật khẩu"), "{no}");
    first_sign_in(&op, &hub, "van-hanh", &reset, "van-hanh-lan-hai-26").await;
    op.goto(&format!("{}/", hub.url)).await;
    assert!(op
        .source()
        .await
        .contains(&format!("data-station=\"{ID}\"")));

    // Disable: the account cannot sign in, said in Vietnamese; enable: it can.
    admin.click_and_wait("#disable-account").await;
    assert!(admin
        .text(".msg.ok")
        .await
        .contains("Đã khóa tài khoản van-hanh"));
    assert_eq!(admin.text("#state").await, "Đã khóa");
    op.goto(&format!("{}/", hub.url)).await;
    assert!(
        op.url().await.contains("/login"),
        "sessions end: {}",
        op.url().await
    );
    let no = sign_in(&op, &hub, "van-hanh", "van-hanh-lan-hai-26")
        .await
        .unwrap_err();
    assert!(no.contains("tài khoản này đã bị khóa"), "{no}");
    op.shot("54-tai-khoan-bi-khoa").await;
    admin.click_and_wait("#enable-account").await;
    assert!(admin
        .text(".msg.ok")
        .await
        .contains("Đã mở khóa tài khoản van-hanh"));
    let url = sign_in(&op, &hub, "van-hanh", "van-hanh-lan-hai-26")
        .await
        .unwrap();
    assert!(!url.contains("/password"), "{url}");
    op.goto(&format!("{}/", hub.url)).await;
    assert!(op
        .source()
        .await
        .contains(&format!("data-station=\"{ID}\"")));

    // Refusals through the page, as a district admin (Thuận Nam).
    sign_in(&op, &hub, "qt-huyen", "mk-quan-tri-huyen")
        .await
        .unwrap();
    op.goto(&format!("{}/accounts", hub.url)).await;
    let src = op.source().await;
    assert!(
        src.contains(&format!("name=\"stations\" value=\"{ID}\"")),
        "{src}"
    );
    assert!(
        !src.contains("value=\"cam-thinh\""),
        "another district's station offered"
    );
    // An admin for the whole province: above a district admin's reach.
    op.fill("#name", "qt-tinh-moi").await;
    op.click("input[name=role][value=admin]").await;
    op.click_and_wait("#create-account").await;
    let no = op.text(".msg.err").await;
    assert!(no.contains("chỉ quản trị cấp tỉnh"), "{no}");
    assert_eq!(count(&hub, "qt-tinh-moi"), "0");
    // A station of another district, ticked in a forged form.
    op.goto(&format!("{}/accounts", hub.url)).await;
    op.fill("#name", "van-hanh-ngoai").await;
    op.click("input[name=role][value=operator]").await;
    op.c.execute(
        "const i = document.createElement('input'); i.type = 'hidden'; i.name = 'stations'; i.value = 'cam-thinh'; document.querySelector('#add-account').appendChild(i);",
        vec![],
    )
    .await
    .unwrap();
    op.click_and_wait("#create-account").await;
    let no = op.text(".msg.err").await;
    assert!(no.contains("nằm ngoài phạm vi của tài khoản"), "{no}");
    assert!(no.contains("đài"), "{no}");
    assert_eq!(count(&hub, "van-hanh-ngoai"), "0");
    fits(&op).await;

    // The audit page says it all in words: the command line, the hub's
    // own set-up, the station without a second "Đài", no codes.
    admin.goto(&format!("{}/audit", hub.url)).await;
    let log = admin.text("#audit").await;
    // `loa hub init` ran with or without $USER: "Quản trị trên máy chủ
    // (dòng lệnh)" or "NAME (dòng lệnh trên máy chủ)".
    assert!(
        log.contains("(dòng lệnh) đã khởi tạo hệ thống")
            || log.contains("(dòng lệnh trên máy chủ) đã khởi tạo hệ thống"),
        "{log}"
    );
    for want in [
        "đã tạo tài khoản van-hanh",
        "đã đặt lại mật khẩu của tài khoản van-hanh",
        "đã khóa tài khoản van-hanh",
        "đã mở khóa tài khoản van-hanh",
        "bị từ chối khi tạo tài khoản qt-tinh-moi",
        "Đài truyền thanh xã đã kết nối với hệ thống",
        "đã thêm Đài truyền thanh xã lúc",
    ] {
        assert!(log.contains(want), "no {want:?} in\n{log}");
    }
    for raw in [
        "cli:",
        "_",
        "{",
        "Đài Đài",
        "đài Đài",
        "hub",
        "station:",
        "user:",
    ] {
        assert!(!log.contains(raw), "{raw:?} in\n{log}");
    }
    let who = admin.text("#who").await;
    assert!(!who.contains("cli:") && !who.contains("station:"), "{who}");
    admin.close().await;
    op.close().await;
}
