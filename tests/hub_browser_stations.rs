//! The stations, one station and the reports pages in a real headless
//! Chromium 360 px wide, with stations driven over the station API
//! (common::fake_station): an admin opens the list (online/offline, on air,
//! a `<script>` name as text), one station (today's as-run, a broken chain
//! shown), the reports page with its SVG chart, and filters it by station
//! with the form. No page scrolls sideways; screenshots go to
//! target/screenshots/ (20-dai-xa, 21-mot-dai, 22-dai-dut-chuoi, 23-bao-cao).

mod common;

use common::browser::{available, Browser, WIDTH};
use common::fake_station::{today_at, FakeStation};
use common::hub::{Backend, Hub};

async fn no_sideways_scroll(b: &Browser, page: &str) {
    let w = b.scroll_width().await;
    assert!(
        w <= WIDTH as u64,
        "{page} is {w} px wide on a {WIDTH} px phone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stations_and_reports_on_a_phone() {
    if !available() {
        return;
    }
    let hub = Hub::start(Backend::Sqlite);
    hub.add_user("xem", "viewer", "58", "mat-khau-xem-bao-cao");
    let sha = "ab".repeat(32);
    let mut a = FakeStation::enrol(
        &hub,
        "phuoc-dinh",
        "Đài truyền thanh xã Phước Dinh",
        "22936",
    );
    a.beat(
        &hub,
        Some(("thoi-su", "Bản tin thời sự tỉnh Ninh Thuận")),
        0,
        &[],
        2,
    );
    for (h, title, outcome, s) in [
        (5, "Bản tin buổi sáng", "aired", 600.0),
        (6, "Thông báo tiêm chủng", "aired", 180.0),
        (11, "Chương trình cải cách hành chính", "missed", 0.0),
        (17, "Bản tin buổi chiều", "aired", 540.0),
    ] {
        a.aired(&hub, ("thoi-su", title), today_at(h, 0), outcome, s, &sha);
    }
    let mut d = FakeStation::enrol(
        &hub,
        "phuoc-diem",
        "Đài xã Phước Diêm <script>alert(1)</script>",
        "22939",
    );
    d.beat(&hub, None, 0, &["không mở được loa: thiết bị bận"], -7200);
    d.aired(
        &hub,
        ("sang", "Bản tin sáng"),
        today_at(5, 30),
        "aired",
        420.0,
        &sha,
    );
    let bad = d.outcome_line(
        "sang",
        "Bản tin đã sửa",
        today_at(6, 30),
        "aired",
        60.0,
        &sha,
    );
    // Its `prev` is not the line before (a line edited on the box).
    let bad = bad.replace(&d.prev, &"cd".repeat(32));
    assert_eq!(d.upload(&hub, &[bad]).status, 409);
    let _offline = FakeStation::enrol(&hub, "phuoc-dan", "Đài thị trấn Phước Dân", "22900");

    let b = Browser::start().await;
    b.goto(&format!("{}/", hub.url)).await;
    b.fill("#user", "xem").await;
    b.fill("#password", "mat-khau-xem-bao-cao").await;
    b.click_and_wait("#signin").await;

    // The list, from the navigation.
    b.click_and_wait("nav a[href='/stations']").await;
    assert!(b.url().await.ends_with("/stations"), "{}", b.url().await);
    let counts = b.text("#counts").await;
    assert!(
        counts.contains("2 trực tuyến") && counts.contains("1 mất kết nối"),
        "{counts}"
    );
    let list = b.text("#stations").await;
    assert!(
        list.contains("Đài xã Phước Diêm <script>alert(1)</script>"),
        "the name is text: {list}"
    );
    assert!(list.contains("đang phát") && list.contains("Bản tin thời sự tỉnh Ninh Thuận"));
    assert!(list.contains("thiết bị bận") && list.contains("-2 h 0 min"));
    b.shot("20-dai-xa").await;
    no_sideways_scroll(&b, "đài xã").await;

    // One station: today's as-run.
    b.click_and_wait("a[href='/stations/phuoc-dinh']").await;
    let table = b.text("#asrun").await;
    assert!(
        table.contains("Chương trình cải cách hành chính") && table.contains("bỏ lỡ"),
        "{table}"
    );
    assert_eq!(
        b.source().await.matches("data-outcome=\"aired\"").count(),
        3
    );
    b.shot("21-mot-dai").await;
    no_sideways_scroll(&b, "một đài").await;

    // The station whose chain broke says so.
    b.goto(&format!("{}/stations/phuoc-diem", hub.url)).await;
    let chain = b.text(".chain").await;
    assert!(chain.contains("bị đứt chuỗi"), "{chain}");
    b.shot("22-dai-dut-chuoi").await;
    no_sideways_scroll(&b, "đài đứt chuỗi").await;

    // Reports: table and chart, then filtered by station with the form.
    b.click_and_wait("nav a[href='/reports']").await;
    let src = b.source().await;
    assert!(
        src.contains("<svg") && src.contains("Phút phát theo xã"),
        "chart inline"
    );
    let summary = b.text("#summary").await;
    assert!(
        summary.contains("Đài truyền thanh xã Phước Dinh") && summary.contains("75 %"),
        "{summary}"
    );
    b.shot("23-bao-cao").await;
    no_sideways_scroll(&b, "báo cáo").await;
    b.c.find(fantoccini::Locator::Css("#station"))
        .await
        .unwrap()
        .select_by_value("phuoc-dinh")
        .await
        .unwrap();
    b.click_and_wait("#show").await;
    assert!(
        b.url().await.contains("station=phuoc-dinh"),
        "{}",
        b.url().await
    );
    let summary = b.text("#summary").await;
    assert!(!summary.contains("Phước Diêm"), "{summary}");
    let xlsx =
        b.c.find(fantoccini::Locator::Css("#xlsx"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
    assert!(
        xlsx.contains("station=phuoc-dinh") && xlsx.contains("format=xlsx"),
        "{xlsx}"
    );
    b.shot("24-bao-cao-mot-dai").await;
    b.close().await;
}
