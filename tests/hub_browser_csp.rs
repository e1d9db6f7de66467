//! The hub's Content-Security-Policy in a real headless Chromium: every main
//! page loads with no CSP violation reported (the browser's own reports,
//! read with a buffered ReportingObserver), and the policy is really in
//! force — an inline script put into the page does not run.

mod common;

use common::browser::{available, Browser};
use common::hub::{Backend, Hub};
use common::station_api::station_add;

/// CSP violations the browser reported for the page it shows now.
async fn violations(b: &Browser) -> Vec<String> {
    let v = b
        .c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               if (typeof ReportingObserver !== 'function') { done(['no ReportingObserver']); return; }
               const seen = [];
               const take = (rs) => { for (const r of rs) seen.push(
                   r.body.effectiveDirective + ' ' + (r.body.blockedURL || '') + ' ' + (r.body.sample || '')); };
               const o = new ReportingObserver(take, { types: ['csp-violation'], buffered: true });
               o.observe();
               setTimeout(() => { take(o.takeRecords()); o.disconnect(); done(seen); }, 300);"#,
            vec![],
        )
        .await
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap_or("?").to_string())
        .collect()
}

/// Whether an inline script added to the page runs.
async fn inline_script_runs(b: &Browser) -> bool {
    b.c.execute(
        "window.__loaInline = false;
         const s = document.createElement('script');
         s.textContent = 'window.__loaInline = true;';
         document.head.appendChild(s);
         return window.__loaInline;",
        vec![],
    )
    .await
    .unwrap()
    .as_bool()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_pages_load_under_the_policy() {
    if !available() {
        return;
    }
    let mut hub = Hub::start(Backend::Sqlite);
    let mut admin = hub.admin("mat-khau-quan-tri-1");
    station_add(&hub, "tram-a", "22936");
    // A program, so the week picture (style attributes) is drawn.
    let r = admin.request(
        "PUT",
        "/api/v1/stations/tram-a/programs",
        &[("Content-Type", "application/toml")],
        b"[[program]]\nid = \"sang\"\ntitle = \"Ban tin sang\"\nat = [\"06:00:00\"]\nplay = [\"a.wav\"]\n",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let b = Browser::start().await;

    b.goto(&format!("{}/login", hub.url)).await;
    assert_eq!(violations(&b).await, Vec::<String>::new(), "/login");
    assert!(
        !inline_script_runs(&b).await,
        "an inline script ran: the CSP is not in force"
    );
    b.fill("#user", "admin").await;
    b.fill("#password", "mat-khau-quan-tri-1").await;
    b.click_and_wait("#signin").await;
    for page in [
        "/clips",
        "/clips/new",
        "/queue",
        "/broadcasts",
        "/stations",
        "/stations/tram-a",
        "/stations/tram-a/programs",
        "/reports",
        "/accounts",
        "/audit",
    ] {
        b.goto(&format!("{}{page}", hub.url)).await;
        assert!(!b.url().await.contains("/login"), "{page}: sent to sign in");
        assert_eq!(violations(&b).await, Vec::<String>::new(), "{page}");
    }
    // The week picture keeps its layout (style attributes are allowed).
    b.goto(&format!("{}/stations/tram-a/programs", hub.url))
        .await;
    let top =
        b.c.execute(
            "const e = document.querySelectorAll('.week [style*=\"top:\"]')[1];
             return e ? getComputedStyle(e).top : 'none';",
            vec![],
        )
        .await
        .unwrap();
    assert_ne!(
        top.as_str(),
        Some("none"),
        "no positioned element: {}",
        b.source().await
    );
    assert_ne!(
        top.as_str(),
        Some("auto"),
        "the week picture lost its layout"
    );
    b.close().await;
}
