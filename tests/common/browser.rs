//! A real headless Chromium for the page tests: `Browser::start()` runs
//! `/usr/bin/chromedriver --port=N` (Debian `chromium-driver`) and opens a
//! WebDriver session (fantoccini) with a fresh profile in a temp folder and a
//! window 360 px wide (a phone). `shot(name)` writes
//! a PNG of the whole page to `target/screenshots/NAME.png`.
#![allow(dead_code)]

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

use super::hub::free_port;

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const WIDTH: u32 = 360;

pub struct Browser {
    pub c: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// Whether the browser tests can run here (`CI=true` makes a missing one a failure).
pub fn available() -> bool {
    let ok = std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists();
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "chromium and chromium-driver are needed (apt-get install chromium chromium-driver)"
        );
    }
    if !ok {
        eprintln!("skipped: {CHROMIUM} or {CHROMEDRIVER} missing (apt-get install chromium chromium-driver)");
    }
    ok
}

pub fn screenshots_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

impl Browser {
    pub async fn start() -> Browser {
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let t0 = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--window-size={WIDTH},800"),
                    "--hide-scrollbars", "--lang=vi",
                ],
            }),
        );
        let conn = hyper_util::client::legacy::connect::HttpConnector::new();
        let c = ClientBuilder::new(conn)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("WebDriver session");
        Browser {
            c,
            driver,
            _profile: profile,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.c.goto(url).await.unwrap();
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self.c.find(Locator::Css(css)).await {
            Ok(e) => e,
            Err(e) => panic!(
                "no `{css}` on {}: {e}\n{}",
                self.url().await,
                self.source().await
            ),
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    pub async fn url(&self) -> String {
        self.c
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    pub async fn source(&self) -> String {
        self.c.source().await.unwrap()
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let e = self.find(css).await;
        e.clear().await.unwrap();
        e.send_keys(value).await.unwrap();
    }

    /// Choose a local file in an `<input type=file>`.
    pub async fn choose_file(&self, css: &str, path: &std::path::Path) {
        self.find(css)
            .await
            .send_keys(&path.display().to_string())
            .await
            .unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    /// Click something that loads a new page (a form's submit button, a
    /// link) and wait until the new document has loaded: a click does not
    /// wait for a form post's navigation.
    pub async fn click_and_wait(&self, css: &str) {
        self.c
            .execute("window.__loaOld = true;", vec![])
            .await
            .unwrap();
        self.click(css).await;
        let t0 = Instant::now();
        loop {
            let done = self
                .c
                .execute(
                    "return window.__loaOld === undefined && document.readyState === 'complete';",
                    vec![],
                )
                .await
                .map(|v| v.as_bool() == Some(true))
                .unwrap_or(false);
            if done {
                return;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(30),
                "no new page after clicking `{css}` on {}",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Width of the page's content (no sideways scrolling on a phone).
    pub async fn scroll_width(&self) -> u64 {
        self.c
            .execute("return document.documentElement.scrollWidth;", vec![])
            .await
            .unwrap()
            .as_u64()
            .unwrap()
    }

    /// A PNG of the whole page, 360 px wide, in target/screenshots/.
    pub async fn shot(&self, name: &str) -> PathBuf {
        let h = self
            .c
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .unwrap()
            .as_u64()
            .unwrap_or(800)
            .clamp(200, 4000);
        self.c.set_window_size(WIDTH, h as u32).await.ok();
        let png = self.c.screenshot().await.unwrap();
        let p = screenshots_dir().join(format!("{name}.png"));
        std::fs::write(&p, png).unwrap();
        p
    }

    pub async fn close(mut self) {
        let _ = self.c.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
