//! Issue 18's operator task on a phone: from the home page, play an
//! announcement now and stop it, through the confirm step — in a real
//! headless Chromium 360 × 740 against a real `loa hub run` and a real
//! enrolled station (`loa run --output wav:`). The on-air block turns to
//! "đang phát" without a reload (live.js), the station's as-run says the
//! play aired and was stopped, and the recording holds part of the clip.
//! Taps (clicks + page loads) and scripted seconds are printed, for this
//! flow and for the old one (Đài xã → the station → its timetable → type the
//! file → Phát ngay → Dừng phát), so BENCHMARKS.md can say before / after.
//! Screenshots: target/screenshots/40-…44-.

mod common;

use std::time::{Duration, Instant};

use chrono::Utc;
use common::browser::{available, Browser, WIDTH};
use common::hub::{Backend, Hub};
use common::*;
use serde_json::Value;

const ID: &str = "phuoc-dinh";

/// Taps (clicks + page loads) of a scripted task.
#[derive(Default)]
struct Taps {
    clicks: u32,
    loads: u32,
}

impl Taps {
    async fn goto(&mut self, b: &Browser, url: &str) {
        self.loads += 1;
        b.goto(url).await;
    }
    async fn tap_load(&mut self, b: &Browser, css: &str) {
        self.clicks += 1;
        self.loads += 1;
        b.click_and_wait(css).await;
    }
    fn total(&self) -> u32 {
        self.clicks + self.loads
    }
}

/// Poll the DOM (no reload) until `js` is true.
async fn until(b: &Browser, js: &str, what: &str, limit: Duration) {
    let t = Instant::now();
    loop {
        let v = b.c.execute(js, vec![]).await.unwrap_or(Value::Null);
        if v.as_bool() == Some(true) {
            return;
        }
        assert!(t.elapsed() < limit, "{what}: {}", b.source().await);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn stopped_play(st: &Station, n: usize) -> bool {
    st.asrun()
        .iter()
        .filter(|x| x["event"] == "outcome" && x["program"] == "play")
        .count()
        >= n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_plays_now_and_stops_from_home_with_the_confirm_step() {
    if !available() {
        return;
    }
    let hub = Hub::start(Backend::Sqlite);
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
    let code = serde_json::from_str::<Value>(out.trim()).unwrap()["code"]
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
    let st = Station::new();
    st.tone("thong-bao.wav", 880.0, 8.0);
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
    b.c.set_window_size(WIDTH, 740).await.ok();
    // Wait (unscripted) for the station to be online with its files listed.
    let t = Instant::now();
    loop {
        let beat = hub.sql(&format!("SELECT status FROM stations WHERE id = '{ID}'"));
        if beat.contains("thong-bao.wav") {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "no heartbeat: {beat}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // AFTER: from the home page.
    let started = Instant::now();
    let mut taps = Taps::default();
    taps.goto(&b, &format!("{}/", hub.url)).await;
    b.fill("#user", "vh").await;
    b.fill("#password", "mk-van-hanh-1").await;
    taps.tap_load(&b, "#signin").await;
    assert!(b.url().await.ends_with('/'), "{}", b.url().await);
    let card = format!("[data-station='{ID}']");
    assert!(b.text(&card).await.contains("trực tuyến"));
    b.shot("40-trang-chu-van-hanh").await;
    let w = b.scroll_width().await;
    assert!(w <= WIDTH as u64, "home is {w} px wide");
    // Pick the announcement (one tap on the list) and play it now.
    let sel = format!("#target-{ID}");
    b.c.execute(
        &format!("document.querySelector('{sel}').value = 'thong-bao.wav';"),
        vec![],
    )
    .await
    .unwrap();
    taps.clicks += 1;
    let asked = Utc::now();
    taps.tap_load(&b, &format!("{card} .play-now button")).await;
    assert!(b.url().await.ends_with("/?done=play"), "{}", b.url().await);
    assert!(b.text("#note").await.contains("phát ngay"));
    st.wait_for(Duration::from_secs(15), "play now on air", |r| {
        r.iter()
            .any(|x| x["event"] == "on_air" && x["program"] == "play")
    });
    // The on-air block says so without a reload (live.js polls the fragment).
    until(
        &b,
        &format!("return !!document.querySelector(\"{card} .now [data-on-air='true']\");"),
        "on air shown without reload",
        Duration::from_secs(15),
    )
    .await;
    b.shot("41-dang-phat").await;
    // Stop: the confirm step, then the station stops.
    taps.tap_load(&b, &format!("{card} .stop-now button")).await;
    assert!(
        b.text(".question").await.contains("Dừng phát"),
        "{}",
        b.source().await
    );
    b.shot("42-xac-nhan-dung").await;
    taps.tap_load(&b, "#confirm-yes").await;
    assert!(b.url().await.ends_with("/?done=stop"), "{}", b.url().await);
    st.wait_for(Duration::from_secs(15), "play now stopped", |_| {
        stopped_play(&st, 1)
    });
    let after_s = started.elapsed().as_secs_f64();
    b.shot("43-da-dung").await;
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
        played > 0.3 && played < 7.5,
        "{played} s of the 8 s clip aired"
    );
    until(
        &b,
        &format!("return !document.querySelector(\"{card} .now [data-on-air='true']\");"),
        "off air shown without reload",
        Duration::from_secs(15),
    )
    .await;
    eprintln!(
        "TASK play+stop from home (after): {} taps ({} clicks + {} page loads), {:.1} s scripted",
        taps.total(),
        taps.clicks,
        taps.loads,
        after_s
    );

    // BEFORE: the old flow (sign in lands elsewhere; the nav; the station;
    // its timetable; the file typed; play; stop — plus today's confirm).
    let mut old = Taps::default();
    b.c.delete_all_cookies().await.ok();
    let started = Instant::now();
    old.goto(&b, &format!("{}/clips", hub.url)).await;
    b.fill("#user", "vh").await;
    b.fill("#password", "mk-van-hanh-1").await;
    old.tap_load(&b, "#signin").await;
    old.tap_load(&b, "nav a[href='/stations']").await;
    old.tap_load(&b, &format!("a[href='/stations/{ID}']")).await;
    old.tap_load(&b, "#programs").await;
    b.fill("#target", "thong-bao.wav").await;
    old.clicks += 1;
    old.tap_load(&b, "#play").await;
    st.wait_for(Duration::from_secs(15), "second play on air", |r| {
        r.iter()
            .filter(|x| x["event"] == "on_air" && x["program"] == "play")
            .count()
            >= 2
    });
    old.tap_load(&b, "#stop").await;
    old.tap_load(&b, "#confirm-yes").await;
    st.wait_for(Duration::from_secs(15), "second play stopped", |_| {
        stopped_play(&st, 2)
    });
    let before_s = started.elapsed().as_secs_f64();
    b.shot("44-luong-cu").await;
    eprintln!(
        "TASK play+stop, old flow via the timetable page (before, with today's confirm): {} taps ({} clicks + {} page loads), {:.1} s scripted",
        old.total(),
        old.clicks,
        old.loads,
        before_s
    );
    b.close().await;
    d.term();
}
