//! The commune operator's day on a phone (issue 12), in a real headless
//! Chromium 360 px wide against a real `loa hub run` and a real enrolled
//! station (`loa run --output wav:`): the operator signs in, opens the
//! station's timetable, adds a program 2 minutes from now with a station
//! clip and a feed category (a row added with the form's button, no script),
//! publishes, sees it in the week picture and "waiting" turn into "applied";
//! the station airs it at its instant (checked in the recording) and the
//! hub's as-run on the station page shows it; then play now and stop from the
//! page, checked in the recording. Screenshots: target/screenshots/30-…35-.

mod common;

use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use common::browser::{available, Browser, WIDTH};
use common::hub::{Backend, Hub};
use common::*;
use serde_json::json;

const ID: &str = "phuoc-dinh";

async fn no_sideways_scroll(b: &Browser, page: &str) {
    let w = b.scroll_width().await;
    assert!(
        w <= WIDTH as u64,
        "{page} is {w} px wide on a {WIDTH} px phone"
    );
}

/// Reload `path` until its source holds `needle` (heartbeats, as-run uploads).
async fn wait_page(b: &Browser, url: &str, needle: &str, limit: Duration) -> String {
    let t = Instant::now();
    loop {
        b.goto(url).await;
        let src = b.source().await;
        if src.contains(needle) {
            return src;
        }
        assert!(t.elapsed() < limit, "{url} never showed {needle}:\n{src}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_schedules_publishes_plays_and_stops_from_a_phone() {
    if !available() {
        return;
    }
    let hub = Hub::start(Backend::Sqlite);
    hub.add_user("bt", "editor", "589", "mk-bien-tap-589");
    hub.add_user("duyet", "approver", "58", "mk-phe-duyet-58");
    let (c, out, err) = hub.cmd(
        &[
            "hub",
            "station",
            "add",
            ID,
            "--name",
            "Đài truyền thanh xã Phước Dinh",
            "--areas",
            "22936",
            "--json",
        ],
        None,
    );
    assert_eq!(c, Some(0), "{out} {err}");
    let code = serde_json::from_str::<serde_json::Value>(out.trim()).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let (c, out, err) = hub.cmd(
        &[
            "hub",
            "user",
            "add",
            "vh",
            "--role",
            "operator",
            "--areas",
            "22936",
            "--stations",
            ID,
            "--password-stdin",
        ],
        Some("mk-van-hanh-1"),
    );
    assert_eq!(c, Some(0), "{out} {err}");

    // A category clip approved on the hub (660 Hz), the station's own files.
    let st = Station::new();
    write_tone(&st.path("cat.wav"), 660.0, 1.0, 0.5);
    let mut ed = hub.login("bt", "mk-bien-tap-589");
    let data = std::fs::read(st.path("cat.wav")).unwrap();
    let r = ed.post_form(
        "/api/v1/clips",
        &[
            ("id", "tb-xa"),
            ("title", "Thông báo của xã"),
            ("category", "thong-bao-xa"),
            ("areas", "22936"),
        ],
        Some(("cat.wav", &data)),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let mut ap = hub.login("duyet", "mk-phe-duyet-58");
    assert_eq!(
        ap.post_json("/api/v1/clips/tb-xa/approve", &json!({}))
            .status,
        200
    );
    st.tone("chuong.wav", 440.0, 1.0);
    st.tone("dai.wav", 880.0, 8.0);
    std::fs::write(
        st.config_path(),
        format!(
            "[station]\nname = \"Đài truyền thanh xã Phước Dinh\"\nareas = [\"58\", \"589\", \"22936\"]\ntimezone = \"{}\"\n\n\
             [output]\ndevice = \"null\"\nwarmup = \"1s\"\n\n[paths]\nclips = \"audio\"\nstate = \"state\"\n\n[hub]\nheartbeat = \"1s\"\n",
            st.tz
        ),
    )
    .unwrap();
    let o = st.cmd(&["enroll", &hub.url, &code]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut d = st.spawn();

    let b = Browser::start().await;
    b.goto(&format!("{}/", hub.url)).await;
    b.fill("#user", "vh").await;
    b.fill("#password", "mk-van-hanh-1").await;
    b.click_and_wait("#signin").await;
    let station = format!("{}/stations/{ID}", hub.url);
    wait_page(
        &b,
        &station,
        "data-online=\"true\"",
        Duration::from_secs(20),
    )
    .await;
    b.click_and_wait("#programs").await;
    assert!(b
        .text("#tt-status")
        .await
        .contains("Hệ thống chưa gửi lịch nào"));
    b.shot("30-lich-phat-song-trong").await;

    // A new program, 2 minutes from now: a station file, then a category row.
    b.click_and_wait("#add-program").await;
    let at = whole_second_in(120);
    // No id to type: the hub makes it from the title (thong-bao-buoi-chieu).
    b.fill("#title", "Thông báo buổi chiều").await;
    b.fill("#at", &st.local_hms(at)).await;
    // A new program has two category rows; the first becomes a station file
    // (picked from the list the station's heartbeat gave, or typed).
    let set = |css: &str, v: &str| {
        format!(
            "const e = document.querySelector(\"{css}\"); e.value = '{v}'; e.dispatchEvent(new Event('change', {{bubbles: true}})); return e.value;"
        )
    };
    for (css, v) in [
        ("[name='i0.kind']", "file"),
        ("[name='i0.file']", "chuong.wav"),
        ("[name='i1.category']", "thong-bao-xa"),
    ] {
        let got = b.c.execute(&set(css, v), vec![]).await.unwrap();
        assert_eq!(got, json!(v), "{css} cannot be {v}");
    }
    // The count shows for a category row only (CSS, no script).
    b.fill("[name='i1.count']", "1").await;
    let shown = |n: &str| {
        format!("return getComputedStyle(document.querySelector(\"[name='{n}']\").parentElement).display;")
    };
    assert_eq!(
        b.c.execute(&shown("i0.count"), vec![]).await.unwrap(),
        json!("none")
    );
    assert_eq!(
        b.c.execute(&shown("i1.duration"), vec![]).await.unwrap(),
        json!("none")
    );
    b.shot("31-them-chuong-trinh").await;
    no_sideways_scroll(&b, "thêm chương trình").await;
    b.click_and_wait("#save").await;
    assert!(
        b.url().await.ends_with("done=published"),
        "{}",
        b.url().await
    );
    let src = b.source().await;
    assert!(
        src.contains("data-program=\"thong-bao-buoi-chieu\" data-start"),
        "in the week picture"
    );
    assert!(src.contains("id=\"waiting\"") || src.contains("id=\"applied\""));
    no_sideways_scroll(&b, "lịch phát sóng").await;
    let url = format!("{station}/programs");
    wait_page(&b, &url, "id=\"applied\"", Duration::from_secs(20)).await;
    b.shot("32-tuan-va-da-nhan").await;

    // The station airs it at its instant: the station file, then the category clip.
    st.wait_for(Duration::from_secs(150), "thong-bao-buoi-chieu", |r| {
        r.iter()
            .any(|x| x["event"] == "outcome" && x["program"] == "thong-bao-buoi-chieu")
    });
    let o = &st.outcomes("thong-bao-buoi-chieu")[0];
    assert_eq!(o["outcome"], "aired", "{o}");
    let names: Vec<&str> = o["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert!(
        names.iter().any(|n| n.contains("chuong.wav")) && names.contains(&"tb-xa"),
        "{o}"
    );
    let rec = Recording::read_wav(&st.wav_path());
    let first = *rec
        .onsets(0.02, Duration::from_millis(500))
        .first()
        .expect("thong-bao-buoi-chieu in the recording");
    assert!(
        late_ms(first, at).abs() < 300.0,
        "{} ms from its instant",
        late_ms(first, at)
    );
    assert!(
        rec.sound_between(at, at + TimeDelta::seconds(3), 0.02) > 1.5,
        "both items aired"
    );
    // The hub's as-run (the station page) shows it.
    let page = wait_page(
        &b,
        &station,
        "Thông báo buổi chiều",
        Duration::from_secs(30),
    )
    .await;
    assert!(page.contains("data-outcome=\"aired\""), "{page}");
    b.shot("33-nhat-ky-phat-song").await;

    // Play now from the page, then stop: heard, then cut.
    b.goto(&url).await;
    b.fill("#target", "dai.wav").await;
    let asked = Utc::now();
    b.click_and_wait("#play").await;
    assert!(b.text("#note").await.contains("phát ngay"));
    st.wait_for(Duration::from_secs(15), "play now on air", |r| {
        r.iter()
            .any(|x| x["event"] == "on_air" && x["program"] == "play")
    });
    b.shot("34-phat-ngay").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    b.click_and_wait("#stop").await;
    b.click_and_wait("#confirm-yes").await;
    st.wait_for(Duration::from_secs(15), "play now stopped", |r| {
        r.iter()
            .any(|x| x["event"] == "outcome" && x["program"] == "play")
    });
    let o = &st.outcomes("play")[0];
    assert_eq!(o["outcome"], "stopped", "{o}");
    assert!(
        o["reason"].as_str().unwrap_or("").contains("hub user vh"),
        "{o}"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rec = Recording::read_wav(&st.wav_path());
    let played = rec.sound_between(asked, Utc::now(), 0.02);
    assert!(
        played > 0.5 && played < 6.0,
        "{played} s of the 8 s clip aired"
    );
    b.shot("35-dung-phat").await;
    b.close().await;
    d.term();
}
