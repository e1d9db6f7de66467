//! Issue 18's scripted task for the programs editor, as a commune operator
//! does it on a phone (headless Chromium, 360 × 740) against a real
//! `loa hub run` and a real enrolled station: from the station's page, add
//! a weekday program "Bản tin trưa" at "11h30" with two category items,
//! publish, and check on the station (`loa agenda`) that it airs at 11:30
//! Monday to Friday and not at the weekend. Taps (clicks + page loads) and
//! seconds of the task are printed (BENCHMARKS.md). Screenshots:
//! target/screenshots/40-…43-.

mod common;

use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, Weekday};
use common::browser::{available, Browser, WIDTH};
use common::hub::{Backend, Hub};
use common::*;
use serde_json::json;

const ID: &str = "phuoc-dinh";

/// The browser with a count of what the person does.
struct Task<'a> {
    b: &'a Browser,
    taps: u32,
    loads: u32,
    typed: u32,
    t0: Instant,
}

impl<'a> Task<'a> {
    fn new(b: &'a Browser) -> Task<'a> {
        Task {
            b,
            taps: 0,
            loads: 0,
            typed: 0,
            t0: Instant::now(),
        }
    }

    /// A tap that loads a new page (a link, a submit button).
    async fn go(&mut self, css: &str) {
        self.taps += 1;
        self.loads += 1;
        self.b.click_and_wait(css).await;
    }

    /// A tap that stays on the page (a checkbox, a details summary).
    async fn tap(&mut self, css: &str) {
        self.taps += 1;
        self.b.click(css).await;
    }

    /// A field typed into (one tap to focus it, then the keyboard).
    async fn fill(&mut self, css: &str, v: &str) {
        self.taps += 1;
        self.typed += 1;
        self.b.fill(css, v).await;
    }

    /// A choice in a `<select>`: open it, pick the option (two taps).
    async fn pick(&mut self, css: &str, value: &str) {
        self.taps += 2;
        let js = format!(
            "const s = document.querySelector(\"{}\"); s.value = '{value}'; s.dispatchEvent(new Event('change', {{bubbles: true}})); return s.value;",
            css.replace('"', "\\\"")
        );
        let v = self.b.c.execute(&js, vec![]).await.unwrap();
        assert_eq!(v, json!(value), "{css} has no option {value}");
    }

    fn report(&self, name: &str) {
        let secs = self.t0.elapsed().as_secs_f64();
        eprintln!(
            "TASK {name}: {} taps ({} page loads), {} fields typed, {secs:.1} s",
            self.taps, self.loads, self.typed
        );
    }
}

struct Setup {
    hub: Hub,
    st: Station,
    d: Daemon,
}

/// A hub with two approved categories, an operator bound to an enrolled,
/// running station.
fn setup() -> Setup {
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
    let st = Station::new();
    write_tone(&st.path("cat.wav"), 660.0, 1.0, 0.5);
    let data = std::fs::read(st.path("cat.wav")).unwrap();
    let mut ed = hub.login("bt", "mk-bien-tap-589");
    let mut ap = hub.login("duyet", "mk-phe-duyet-58");
    for (id, title, cat) in [
        ("tb-xa", "Thông báo của xã", "thong-bao-xa"),
        ("tin-1", "Tin tức tỉnh", "tin-tuc"),
    ] {
        let r = ed.post_form(
            "/api/v1/clips",
            &[
                ("id", id),
                ("title", title),
                ("category", cat),
                ("areas", "22936"),
            ],
            Some(("cat.wav", &data)),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        let r = ap.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
        assert_eq!(r.status, 200, "{}", r.text());
    }
    st.tone("chuong.wav", 440.0, 1.0);
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
    let d = st.spawn();
    Setup { hub, st, d }
}

/// Reload `url` until its source holds `needle`.
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

async fn signed_in(s: &Setup) -> Browser {
    let b = Browser::start().await;
    b.c.set_window_size(WIDTH, 740).await.unwrap();
    b.goto(&format!("{}/", s.hub.url)).await;
    b.fill("#user", "vh").await;
    b.fill("#password", "mk-van-hanh-1").await;
    b.click_and_wait("#signin").await;
    wait_page(
        &b,
        &format!("{}/stations/{ID}", s.hub.url),
        "data-online=\"true\"",
        Duration::from_secs(20),
    )
    .await;
    b
}

/// The station applied the hub's timetable, and its own agenda airs
/// `program` at 11:30 Monday to Friday of next week, never at the weekend.
async fn station_airs_it_on_weekdays(s: &Setup, b: &Browser, program: &str) {
    wait_page(
        b,
        &format!("{}/stations/{ID}/programs", s.hub.url),
        "id=\"applied\"",
        Duration::from_secs(20),
    )
    .await;
    let today = chrono::Utc::now().date_naive();
    let monday = today + chrono::Days::new(7 - u64::from(today.weekday().num_days_from_monday()));
    let o = s.st.cmd(&[
        "agenda",
        "--json",
        "--from",
        &monday.to_string(),
        "--days",
        "7",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let agenda: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let starts: Vec<String> = agenda
        .as_array()
        .or_else(|| agenda["broadcasts"].as_array())
        .unwrap_or_else(|| panic!("{agenda}"))
        .iter()
        .filter(|x| x["program"] == program)
        .filter_map(|x| x["start"].as_str().map(String::from))
        .collect();
    let days: Vec<Weekday> = starts
        .iter()
        .map(|t| {
            assert!(t.contains("T11:30:00"), "{t}: {agenda}");
            NaiveDate::parse_from_str(&t[..10], "%Y-%m-%d")
                .unwrap()
                .weekday()
        })
        .collect();
    assert_eq!(
        days,
        vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri
        ],
        "{agenda}"
    );
}

/// The task as the page on main asked it: a typed id, "11:30" (the page
/// refused "11h30"), Saturday and Sunday unticked, each row's kind chosen
/// and each category typed from memory. Kept to measure the figure again on
/// main (6b053cd); the id field now waits folded under "details".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the flow on main before issue 18 (run it on 6b053cd)"]
async fn before_an_operator_adds_a_weekday_program_at_11_30() {
    if !available() {
        return;
    }
    let mut s = setup();
    let b = signed_in(&s).await;
    let mut t = Task::new(&b);
    t.go("#programs").await;
    t.go("#add-program").await;
    t.fill("#id", "ban-tin-trua").await;
    t.fill("#title", "Bản tin trưa").await;
    t.fill("#at", "11:30").await;
    t.tap("input[name=days][value=sat]").await;
    t.tap("input[name=days][value=sun]").await;
    t.pick("[name='i0.kind']", "category").await;
    t.fill("[name='i0.value']", "thong-bao-xa").await;
    t.go("#add-item").await;
    t.pick("[name='i1.kind']", "category").await;
    t.fill("[name='i1.value']", "tin-tuc").await;
    t.go("#save").await;
    assert!(
        b.url().await.ends_with("done=published"),
        "{}",
        b.url().await
    );
    t.report("before");
    station_airs_it_on_weekdays(&s, &b, "ban-tin-trua").await;
    b.close().await;
    s.d.term();
}

/// The task with issue 18's editor: a title and no id, "11h30" as they
/// write it, Saturday and Sunday unticked, both categories picked from the
/// list in the two rows a new program starts with. A refused time first
/// ("25h") comes back beside the field, in Vietnamese, the rest kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_operator_adds_a_weekday_program_at_11h30() {
    if !available() {
        return;
    }
    let mut s = setup();
    let b = signed_in(&s).await;
    let mut t = Task::new(&b);
    t.go("#programs").await;
    t.go("#add-program").await;
    t.fill("#title", "Bản tin trưa").await;
    t.fill("#at", "11h30").await;
    t.tap("input[name=days][value=sat]").await;
    t.tap("input[name=days][value=sun]").await;
    t.pick("[name='i0.category']", "thong-bao-xa").await;
    t.pick("[name='i1.category']", "tin-tuc").await;
    b.shot("40-them-chuong-trinh-trua").await;
    t.go("#save").await;
    assert!(
        b.url().await.ends_with("done=published"),
        "{}",
        b.url().await
    );
    t.report("after");
    let src = b.source().await;
    assert!(src.contains("data-program=\"ban-tin-trua\""), "{src}");
    b.shot("41-da-gui-lich").await;
    station_airs_it_on_weekdays(&s, &b, "ban-tin-trua").await;

    // A time that does not exist: refused beside the field in Vietnamese,
    // everything else as typed, nothing published.
    let seq = s.hub.sql("SELECT sequence FROM timetables");
    b.goto(&format!("{}/stations/{ID}/programs/edit", s.hub.url))
        .await;
    b.fill("#title", "Thời sự 6 giờ").await;
    b.fill("#at", "25h").await;
    Task::new(&b).pick("[name='i0.category']", "tin-tuc").await;
    b.click_and_wait("#save").await;
    let msg = b.text(".fdiag[data-field=at]").await;
    assert!(msg.contains("không có 25 giờ"), "{msg}");
    assert_eq!(
        b.c.execute("return document.querySelector('#at').value + '|' + document.querySelector('#title').value + '|' + document.querySelector(\"[name='i0.category']\").value;", vec![])
            .await
            .unwrap(),
        json!("25h|Thời sự 6 giờ|tin-tuc")
    );
    let h = b
        .c
        .execute(
            "return Math.min(...[...document.querySelectorAll('#program-form input:not([type=hidden]):not([type=checkbox]):not([type=radio]), #program-form select, #program-form button, #program-form label.check, #program-form summary')].filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().height));",
            vec![],
        )
        .await
        .unwrap();
    assert!(h.as_f64().unwrap() >= 44.0, "a control {h} px tall");
    assert!(
        b.scroll_width().await <= u64::from(WIDTH),
        "sideways scroll"
    );
    b.shot("42-gio-sai").await;
    assert_eq!(s.hub.sql("SELECT sequence FROM timetables"), seq);
    b.close().await;
    s.d.term();
}
