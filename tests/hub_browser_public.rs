//! The citizens' pages in a real headless Chromium (issue 21): `/p/AREA` and
//! its embed on a 360 px phone — no sideways overflow, every control at
//! least 44 px tall, axe-core clean (serious and critical), screenshots —
//! and the bulletin board on a 1280 × 720 screen: one bulletin at a time in
//! large type, turned by `/static/board.js` (no inline script: the CSP
//! would refuse it). Screenshots in target/screenshots/public-*.png.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::browser::{available, Browser, WIDTH};
use common::hub::{Backend, Hub};
use common::public::{seed, SHOWN};

fn axe_source() -> String {
    let path = std::env::var("LOA_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/axe/axe.min.js")
        });
    if !path.exists() {
        let ok = std::process::Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/axe.sh"))
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "scripts/axe.sh could not fetch axe-core");
    }
    std::fs::read_to_string(&path).unwrap()
}

/// Visible controls under 44 px (a checkbox counts by its label), and the
/// page's scroll width.
const MEASURE: &str = r#"
const vis = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
const small = [];
for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, audio')) {
  if (!vis(el)) continue;
  const h = el.getBoundingClientRect().height;
  if (h < 43.5) small.push(el.tagName + '#' + el.id + ' «' + (el.innerText || el.name || '').trim().slice(0, 30) + '» ' + h.toFixed(1));
}
return { small: small, scroll: document.scrollingElement.scrollWidth, inner: innerWidth };
"#;

const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then((r) => {
  done(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')));
}).catch((e) => done(['axe failed: ' + e]));
"#;

/// Which slides show, by id.
const SHOWING: &str = r#"
return Array.from(document.querySelectorAll('section.slide'))
  .filter((s) => s.getBoundingClientRect().height > 0).map((s) => s.id);
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn citizens_pages_on_a_phone_and_the_board_on_a_tv() {
    if !available() {
        return;
    }
    let hub = Hub::start(Backend::Sqlite);
    seed(&hub);
    let axe = axe_source();
    let b = Browser::start().await;
    let mut failures = vec![];
    for (page, shot) in [
        ("/p/22936", "public-list"),
        ("/p/22936?q=tinh", "public-search"),
        ("/p/22936/nhung", "public-embed"),
        ("/p/99999", "public-404"),
    ] {
        b.c.set_window_size(WIDTH, 740).await.unwrap();
        b.goto(&format!("{}{page}", hub.url)).await;
        let m = b.c.execute(MEASURE, vec![]).await.unwrap();
        for s in m["small"].as_array().unwrap() {
            failures.push(format!("{page}: under 44 px: {s}"));
        }
        let (sw, iw) = (m["scroll"].as_u64().unwrap(), m["inner"].as_u64().unwrap());
        if sw > iw {
            failures.push(format!("{page}: {sw} px wide on a {iw} px screen"));
        }
        b.c.execute(&axe, vec![]).await.unwrap();
        let v = b.c.execute_async(AXE_RUN, vec![]).await.unwrap();
        for s in v.as_array().unwrap() {
            failures.push(format!("{page}: axe {s}"));
        }
        b.shot(shot).await;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The list's text as the phone shows it.
    b.goto(&format!("{}/p/22936", hub.url)).await;
    let text = b.text("#bulletins").await;
    for (_, t) in SHOWN {
        assert!(text.contains(t), "{t} not on the phone");
    }

    // The board on a TV: one slide, large type, turned by the script.
    b.c.set_window_size(1280, 720).await.unwrap();
    b.goto(&format!("{}/p/22936/bang-tin", hub.url)).await;
    let first = b.c.execute(SHOWING, vec![]).await.unwrap();
    assert_eq!(first, serde_json::json!(["s-xa-tin"]));
    let px = b
        .c
        .execute(
            "return parseFloat(getComputedStyle(document.querySelector('section.slide:not([hidden]) h2')).fontSize);",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(px >= 60.0, "board titles are {px} px");
    let m = b.c.execute(MEASURE, vec![]).await.unwrap();
    assert!(m["scroll"].as_u64() <= m["inner"].as_u64(), "{m}");
    let png = b.c.screenshot().await.unwrap();
    std::fs::write(
        common::browser::screenshots_dir().join("public-board.png"),
        png,
    )
    .unwrap();
    tokio::time::sleep(Duration::from_secs(16)).await;
    let next = b.c.execute(SHOWING, vec![]).await.unwrap();
    assert_eq!(
        next,
        serde_json::json!(["s-huyen-tin"]),
        "the board did not turn"
    );
    // Still the same address: the script turned it, not the meta refresh.
    assert!(b.url().await.ends_with("/p/22936/bang-tin"));
    b.c.execute(&axe, vec![]).await.unwrap();
    let v = b.c.execute_async(AXE_RUN, vec![]).await.unwrap();
    assert_eq!(v, serde_json::json!([]), "board: axe");
    b.close().await;
}
