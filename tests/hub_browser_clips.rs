//! Issue 18's clip tasks as a person does them, in a real headless Chromium
//! 360 px wide, each counted in taps (clicks + page loads) and seconds:
//! an editor uploads a 2 MB recording on a throttled uplink (512 KB/s,
//! Chrome's own network emulation) and sees the progress bar move; an
//! approver rejects it with a reason, the editor fixes it (new title and
//! category, the reason on screen) and resubmits; the approver approves it
//! from the queue and a real station following the hub's feed airs it.
//! "Before" is main's flow for the same goal (a rejected clip could not be
//! fixed: the editor uploaded it again, typing everything). The figures go
//! to stderr (`--no-capture`) for BENCHMARKS.md.

mod common;

use std::time::{Duration, Instant};

use common::browser::{available, Browser};
use common::hub::{Backend, Hub};
use common::*;
use fantoccini::wd::WebDriverCompatibleCommand;

/// A Chrome DevTools command through chromedriver (`goog/cdp/execute`).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, sid: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", sid.unwrap_or("")))
    }
    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        let body = serde_json::json!({"cmd": self.cmd, "params": self.params});
        (axum::http::Method::POST, Some(body.to_string()))
    }
}

async fn cdp(b: &Browser, cmd: &'static str, params: serde_json::Value) {
    b.c.issue_cmd(Cdp { cmd, params }).await.unwrap();
}

/// Taps and seconds of one task.
struct Task {
    name: &'static str,
    taps: u32,
    t0: Instant,
}

impl Task {
    fn start(name: &'static str) -> Task {
        Task {
            name,
            taps: 0,
            t0: Instant::now(),
        }
    }
    async fn goto(&mut self, b: &Browser, url: &str) {
        self.taps += 1;
        b.goto(url).await;
    }
    async fn tap(&mut self, b: &Browser, css: &str) {
        self.taps += 1;
        b.click(css).await;
    }
    /// A click that loads a page: one tap, one page load.
    async fn tap_load(&mut self, b: &Browser, css: &str) {
        self.taps += 2;
        b.click_and_wait(css).await;
    }
    fn end(self) -> (u32, f64) {
        let s = self.t0.elapsed().as_secs_f64();
        eprintln!("TASK {}: {} taps, {:.1} s", self.name, self.taps, s);
        (self.taps, s)
    }
}

async fn sign_in(b: &Browser, hub: &Hub, name: &str, pw: &str) {
    b.goto(&format!("{}/login", hub.url)).await;
    b.fill("#user", name).await;
    b.fill("#password", pw).await;
    b.click_and_wait("#signin").await;
}

fn clip_id(url: &str) -> String {
    url.split("/clips/")
        .nth(1)
        .unwrap()
        .split(['?', '/'])
        .next()
        .unwrap()
        .to_string()
}

/// Fill the upload form as a person does (no area: the account's own).
async fn fill_upload(t: &mut Task, b: &Browser, wav: &std::path::Path, title: &str, cat: &str) {
    b.fill("#title", title).await;
    b.fill("#category", cat).await;
    t.tap(b, "input[name=area_22936]").await;
    b.choose_file("#file", wav).await;
    t.taps += 3; // the title box, the category box, the file picker
}

/// Click "Tải lên" and watch the progress bar until the clip's page loads;
/// returns the percents seen.
async fn upload_watching(t: &mut Task, b: &Browser, button: &str) -> Vec<u64> {
    b.c.execute("window.__loaOld = true;", vec![])
        .await
        .unwrap();
    t.taps += 2;
    b.click(button).await;
    let mut seen = vec![];
    let t0 = Instant::now();
    loop {
        let v =
            b.c.execute(
                "if (window.__loaOld === undefined) { return document.readyState === 'complete' ? -2 : -1; }
                 const p = document.getElementById('upload-progress');
                 return p ? Math.round(p.value) : -1;",
                vec![],
            )
            .await
            .map(|v| v.as_i64().unwrap_or(-1))
            .unwrap_or(-1);
        if v == -2 {
            break;
        }
        if v >= 0 && seen.last() != Some(&(v as u64)) {
            seen.push(v as u64);
        }
        assert!(t0.elapsed() < Duration::from_secs(60), "upload did not end");
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_uploads_with_progress_fixes_a_rejected_clip_and_a_station_airs_it() {
    if !available() {
        return;
    }
    let hub = Hub::start(Backend::Sqlite);
    hub.add_user("bientap", "editor", "58", "mat-khau-bien-tap");
    hub.add_user("duyet", "approver", "58", "mat-khau-phe-duyet");
    let st = Station::new();
    // A 2 MB recording (about 23 s of 44.1 kHz 16-bit mono).
    let wav = st.path("ghi-am.wav");
    write_tone(&wav, 660.0, 23.0, 0.5);
    let bytes = std::fs::metadata(&wav).unwrap().len();
    assert!(bytes > 1_900_000, "{bytes}");

    let b = Browser::start().await;
    sign_in(&b, &hub, "bientap", "mat-khau-bien-tap").await;
    // A slow uplink: 512 KB/s (about 4 s for the file).
    cdp(&b, "Network.enable", serde_json::json!({})).await;
    cdp(
        &b,
        "Network.emulateNetworkConditions",
        serde_json::json!({"offline": false, "latency": 20,
            "downloadThroughput": -1, "uploadThroughput": 512 * 1024}),
    )
    .await;

    // Task 1 before (main's flow: no script, nothing moves while it sends).
    cdp(
        &b,
        "Emulation.setScriptExecutionDisabled",
        serde_json::json!({"value": true}),
    )
    .await;
    let mut t = Task::start("editor uploads (before: no progress)");
    t.goto(&b, &format!("{}/clips", hub.url)).await;
    t.tap_load(&b, "#upload-link").await;
    fill_upload(&mut t, &b, &wav, "Thông báo cũ", "cchc").await;
    t.tap_load(&b, "#upload").await;
    let upload_before = t.end();
    let old = clip_id(&b.url().await);
    let mut ap = hub.login("duyet", "mat-khau-phe-duyet");
    ap.post_json(
        &format!("/api/v1/clips/{old}/withdraw"),
        &serde_json::json!({}),
    );
    cdp(
        &b,
        "Emulation.setScriptExecutionDisabled",
        serde_json::json!({"value": false}),
    )
    .await;

    // Task 1 (after): upload with the progress bar.
    let mut t = Task::start("editor uploads (after)");
    t.goto(&b, &format!("{}/clips", hub.url)).await;
    t.tap_load(&b, "#upload-link").await;
    fill_upload(&mut t, &b, &wav, "Thông báo lịch tiêm chủng", "tin-tuc").await;
    let seen = upload_watching(&mut t, &b, "#upload").await;
    let upload_after = t.end();
    let url = b.url().await;
    assert!(url.contains("done=upload"), "{url}: {}", b.source().await);
    let id = clip_id(&url);
    let moving: Vec<&u64> = seen.iter().filter(|p| **p > 0 && **p < 100).collect();
    eprintln!("progress seen: {seen:?}");
    assert!(
        moving.len() >= 2,
        "the bar moved through at least two values between 0 and 100: {seen:?}"
    );
    b.shot("clips-01-tai-len-xong").await;

    // The approver rejects it with a reason (setup, not timed).
    let r = common::pages::form(
        &mut ap,
        &format!("/clips/{id}/reject"),
        "back=%2Fqueue&reason=Sai+chuy%C3%AAn+m%E1%BB%A5c",
    );
    assert_eq!(r.status, 303);
    cdp(
        &b,
        "Network.emulateNetworkConditions",
        serde_json::json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .await;

    // Task 2 before (main's flow): read the reason on the clip, then
    // upload it again from the list, typing everything.
    let mut t = Task::start("editor fixes a rejected clip (before: upload again)");
    t.goto(&b, &format!("{}/clips?state=rejected", hub.url))
        .await;
    t.tap_load(&b, &format!(".clip[data-id='{id}'] a.title"))
        .await;
    t.tap_load(&b, "nav a[href='/clips']").await;
    t.tap_load(&b, "#upload-link").await;
    fill_upload(&mut t, &b, &wav, "Thông báo lịch tiêm chủng", "cchc").await;
    t.tap_load(&b, "#upload").await;
    let fix_before = t.end();
    let again = clip_id(&b.url().await);
    ap.post_json(
        &format!("/api/v1/clips/{again}/withdraw"),
        &serde_json::json!({}),
    );

    // Task 2 after: from the clip list, fix and resubmit.
    let mut t = Task::start("editor fixes a rejected clip (after)");
    t.goto(&b, &format!("{}/clips?state=rejected", hub.url))
        .await;
    t.tap_load(&b, &format!(".clip[data-id='{id}'] a.title"))
        .await;
    assert!(b.source().await.contains("Lý do từ chối: Sai chuyên mục"));
    t.tap_load(&b, "a.edit").await;
    assert!(b.text("#reason").await.contains("Sai chuyên mục"));
    b.shot("clips-02-sua-ban-tin").await;
    // The reason says the category was wrong: only that changes.
    t.taps += 1;
    b.fill("#category", "cchc").await;
    t.tap_load(&b, "#resubmit").await;
    let fix_after = t.end();
    assert!(
        b.url().await.contains("done=resubmit"),
        "{}",
        b.source().await
    );

    // Task 3: the approver approves from the queue (its home is the clips list).
    b.click_and_wait("#logout").await;
    sign_in(&b, &hub, "duyet", "mat-khau-phe-duyet").await;
    let mut t = Task::start("approver approves from the queue");
    t.goto(&b, &format!("{}/clips", hub.url)).await;
    assert!(
        b.source().await.contains("Chờ duyệt (1)"),
        "the count on the nav"
    );
    t.tap_load(&b, "nav a[href='/queue']").await;
    b.shot("clips-03-cho-duyet").await;
    t.tap_load(&b, &format!(".clip[data-id='{id}'] button.approve"))
        .await;
    let approve = t.end();
    assert!(b.url().await.contains("done=approve"));
    b.goto(&format!("{}/clips/{id}", hub.url)).await;
    assert!(b.source().await.contains("Phê duyệt bởi duyet lúc"));
    b.close().await;

    // A real station following the hub airs it in its category program.
    let a = whole_second_in(8);
    let cfg = format!(
        "[station]\nname = \"Đài truyền thanh xã Phước Dinh\"\nareas = [\"58\", \"589\", \"22936\"]\ntimezone = \"{tz}\"\n\n\
         [output]\ndevice = \"null\"\nwarmup = \"1s\"\n\n[paths]\nclips = \"audio\"\nstate = \"state\"\n\n\
         [feed]\nurl = \"{url}/feed/manifest.json\"\npublic_key = \"{key}\"\nevery = \"1s\"\n\n\
         [[program]]\nid = \"cchc\"\nat = [\"{at}\"]\nplay = [{{ category = \"cchc\", count = 1 }}]\n",
        tz = st.tz,
        url = hub.url,
        key = hub.public_key,
        at = st.local_hms(a),
    );
    std::fs::write(st.config_path(), cfg).unwrap();
    let mut d = st.spawn();
    st.wait_for(Duration::from_secs(40), "aired", |r| {
        r.iter().any(|x| x["outcome"] == "aired")
    });
    d.term();
    let out = &st.outcomes("cchc")[0];
    assert_eq!(out["items"][0]["name"], id.as_str(), "{out}");

    eprintln!(
        "BENCH clips: upload before {} taps {:.1} s, after {} taps {:.1} s (bar seen at {:?}); fix before {} taps {:.1} s, after {} taps {:.1} s; approve {} taps {:.1} s",
        upload_before.0, upload_before.1, upload_after.0, upload_after.1, seen, fix_before.0, fix_before.1, fix_after.0, fix_after.1, approve.0, approve.1
    );
}
