//! The whole site on a phone, as every role: a real headless Chromium at
//! 360 × 740 signs in as an admin, an approver, an editor, an operator bound
//! to a real enrolled station and a viewer, then visits every page reachable
//! by same-origin links from `/` (bounded), in Vietnamese, and checks each:
//!
//! (a) no text of the English catalogue (`locales/en/*.ftl`: the literal
//!     parts of messages, two words or more, that the Vietnamese catalogue
//!     does not also hold) in the visible text;
//! (b) every visible control (link, button, input, select, textarea,
//!     summary, the label of a checkbox or radio) at least 44 px tall
//!     (`getBoundingClientRect`);
//! (c) no sideways overflow (`scrollingElement.scrollWidth ≤ innerWidth`)
//!     and no table wider than the screen;
//! (d) axe-core (the npm package, `scripts/axe.sh`: pinned and checked)
//!     injected through WebDriver's execute (the CSP forbids other scripts):
//!     no serious or critical violation;
//! (e) a screenshot of each page: target/screenshots/crawl/ROLE-PAGE.png.
//!
//! Every failure of every page is collected, written to
//! target/screenshots/crawl/report.txt and printed before the test fails.

mod common;

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::PathBuf;

use common::browser::{available, screenshots_dir, Browser, WIDTH};
use common::hub::{Backend, Hub};
use common::station_api::{bearer, beat, enroll, station_add};

const HEIGHT: u32 = 740;
/// Pages visited per role at most.
const MAX_PAGES: usize = 45;
/// Addresses that differ only in their query values: at most this many.
const PER_SHAPE: usize = 2;
const STATION: &str = "xa-phuoc-dinh";

/// (role, account, roles, areas, stations)
const ROLES: [(&str, &str, &str, &str, &str); 5] = [
    ("admin", "quan-tri", "admin", "58", ""),
    ("approver", "phe-duyet", "approver", "58", ""),
    ("editor", "bien-tap", "editor", "58", ""),
    ("operator", "van-hanh", "operator", "22936", STATION),
    ("viewer", "xem", "viewer", "58", ""),
];
const PASSWORD: &str = "mat-khau-thu-nghiem";

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
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The literal text of each message of one language's catalogue, by id
/// (placeables and select expressions cut out, so each value is a list of
/// literal pieces).
fn catalogue(lang: &str) -> HashMap<String, Vec<String>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(lang);
    let mut out = HashMap::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    files.sort_by_key(|e| e.path());
    for f in files {
        let text = std::fs::read_to_string(f.path()).unwrap();
        let mut cur: Option<(String, String)> = None;
        let mut flush = |cur: &mut Option<(String, String)>| {
            if let Some((id, v)) = cur.take() {
                out.insert(id, literal_pieces(&v));
            }
        };
        for line in text.lines() {
            let starts_entry =
                line.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && line.contains('=');
            if starts_entry {
                flush(&mut cur);
                let (id, v) = line.split_once('=').unwrap();
                cur = Some((id.trim().to_string(), v.trim().to_string()));
            } else if line.starts_with([' ', '\t']) && !line.trim_start().starts_with('.') {
                if let Some((_, v)) = cur.as_mut() {
                    v.push('\n');
                    v.push_str(line.trim());
                }
            } else {
                flush(&mut cur);
            }
        }
        flush(&mut cur);
    }
    out
}

fn literal_pieces(v: &str) -> Vec<String> {
    let mut pieces = vec![];
    let mut depth = 0usize;
    let mut piece = String::new();
    for c in v.chars() {
        match c {
            '{' => {
                depth += 1;
                pieces.push(std::mem::take(&mut piece));
            }
            '}' => depth = depth.saturating_sub(1),
            '\n' if depth == 0 => pieces.push(std::mem::take(&mut piece)),
            _ if depth == 0 => piece.push(c),
            _ => {}
        }
    }
    pieces.push(piece);
    pieces
        .into_iter()
        .map(|p| {
            p.trim_matches(|c: char| c.is_whitespace() || ",.:;()«»—–-·‹›\"'".contains(c))
                .to_string()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Distinctive English: pieces of two words or more, eight characters or
/// more, that no Vietnamese message holds.
fn english_strings() -> Vec<String> {
    let en = catalogue("en");
    let vi = catalogue("vi");
    let vi_text: String = vi
        .values()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeSet::new();
    for (id, pieces) in &en {
        if vi.get(id) == Some(pieces) {
            continue;
        }
        for p in pieces {
            if p.split_whitespace().count() >= 2
                && p.chars().count() >= 8
                && !vi_text.contains(p.as_str())
            {
                out.insert(p.clone());
            }
        }
    }
    assert!(out.len() > 20, "too few English strings found: {out:?}");
    out.into_iter().collect()
}

/// One page's facts, measured in the page.
const MEASURE: &str = r#"
const vis = (el) => {
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
};
const say = (el) => {
  const t = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' «' + t + '»';
};
const small = [];
const seen = new Set();
for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
  let target = el;
  if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) {
    target = el.closest('label') || (el.id && document.querySelector('label[for="' + el.id + '"]')) || el;
  }
  if (seen.has(target) || !vis(target)) continue;
  seen.add(target);
  const h = target.getBoundingClientRect().height;
  if (h < 43.5) small.push(say(target) + ' ' + h.toFixed(1) + ' px');
}
const wide = [];
for (const t of document.querySelectorAll('table')) {
  const r = t.getBoundingClientRect();
  if (vis(t) && (r.width > innerWidth + 0.5 || r.right > innerWidth + 0.5)) wide.push((t.id || t.className || 'table') + ' ' + r.width.toFixed(0) + ' px');
}
const links = [];
for (const a of document.querySelectorAll('a[href]')) {
  try {
    const u = new URL(a.getAttribute('href'), location.href);
    if (u.origin === location.origin) links.push(u.pathname + u.search);
  } catch (e) {}
}
return {
  text: document.body ? document.body.innerText : '',
  title: document.title,
  small: small,
  wide: wide,
  scroll: document.scrollingElement.scrollWidth,
  inner: innerWidth,
  links: links,
};
"#;

const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then((r) => {
  done(r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')));
}).catch((e) => done(['axe failed: ' + e]));
"#;

/// Links the crawler does not follow: downloads (audio, the podcast's
/// XML), the language switch, the API and the feed, the stylesheet.
fn followable(href: &str) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or("");
    !(path.starts_with("/api/")
        || path.starts_with("/feed/")
        || path.starts_with("/static/")
        || path == "/lang"
        || path == "/logout"
        || path.ends_with(".csv")
        || path.ends_with(".xlsx")
        || path.ends_with("/audio")
        || path.contains("/audio/")
        || path.ends_with(".xml")
        || href.contains("format=csv")
        || href.contains("format=xlsx"))
}

/// The shape of an address: its path and the names of its query keys.
fn shape(href: &str) -> String {
    let (path, q) = href.split_once('?').unwrap_or((href, ""));
    let mut keys: Vec<&str> = q.split('&').filter_map(|kv| kv.split('=').next()).collect();
    keys.sort();
    format!("{path}?{}", keys.join("&"))
}

fn slug(href: &str) -> String {
    let s: String = href
        .trim_start_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let s = s.trim_matches('-').to_string();
    let s = if s.is_empty() { "home".to_string() } else { s };
    s.chars().take(60).collect()
}

/// Something real on every page: an enrolled station with a heartbeat and a
/// timetable, a clip awaiting approval.
fn seed(hub: &Hub) {
    let code = station_add(hub, STATION, "22936");
    let mut c = hub.client();
    let creds = enroll(&mut c, &code);
    let token = creds["token"].as_str().unwrap().to_string();
    let clock = chrono::Utc::now().to_rfc3339();
    let r = bearer(
        &mut c,
        &token,
        &format!("/api/v1/stations/{STATION}/heartbeat"),
        beat(&clock).to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    for (_, name, roles, areas, stations) in ROLES {
        let mut args = vec![
            "hub", "user", "add", name, "--role", roles, "--areas", areas,
        ];
        if !stations.is_empty() {
            args.extend(["--stations", stations]);
        }
        args.extend(["--password-stdin", "--json"]);
        let (code, out, err) = hub.cmd(&args, Some(PASSWORD));
        assert_eq!(code, Some(0), "user add {name}: {out} {err}");
    }
    let mut admin = hub.login("quan-tri", PASSWORD);
    let toml = "[[program]]\nid = \"ban-tin-sang\"\ntitle = \"Bản tin sáng\"\nat = [\"06:00\", \"17:30\"]\n\
                days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nplay = [{ category = \"tin-tuc\", count = 2 }]\n";
    let r = admin.request(
        "PUT",
        &format!("/api/v1/stations/{STATION}/programs"),
        &[("Content-Type", "application/toml")],
        toml.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let wav = hub.dir.path().join("tin.wav");
    common::write_tone(&wav, 440.0, 1.0, 0.4);
    let mut ed = hub.login("bien-tap", PASSWORD);
    let r = ed.post_form(
        "/api/v1/clips",
        &[
            ("title", "Thông báo lịch tiêm chủng"),
            ("category", "tin-tuc"),
            ("areas", "22936"),
        ],
        Some(("tin.wav", &std::fs::read(&wav).unwrap())),
    );
    assert_eq!(r.status, 201, "{}", r.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_as_every_role_on_a_phone() {
    if !available() {
        return;
    }
    let axe = axe_source();
    let english = english_strings();
    let hub = Hub::start(Backend::Sqlite);
    seed(&hub);
    let shots = screenshots_dir().join("crawl");
    std::fs::create_dir_all(&shots).unwrap();

    let b = Browser::start().await;
    let mut failures: Vec<String> = vec![];
    let mut visited_total = 0;
    for (role, name, ..) in ROLES {
        b.c.delete_all_cookies().await.ok();
        b.c.set_window_size(WIDTH, HEIGHT).await.unwrap();
        b.goto(&format!("{}/lang?to=vi&back=/login", hub.url)).await;
        b.fill("#user", name).await;
        b.fill("#password", PASSWORD).await;
        b.click_and_wait("#signin").await;
        assert!(
            !b.url().await.contains("/login"),
            "{role} could not sign in: {}",
            b.source().await
        );

        let mut queue: VecDeque<String> = VecDeque::from(["/".to_string()]);
        let mut seen: BTreeSet<String> = BTreeSet::from(["/".to_string()]);
        let mut shapes: HashMap<String, usize> = HashMap::new();
        let mut pages = 0;
        while let Some(href) = queue.pop_front() {
            if pages >= MAX_PAGES {
                break;
            }
            b.c.set_window_size(WIDTH, HEIGHT).await.ok();
            b.goto(&format!("{}{href}", hub.url)).await;
            let here = b.url().await;
            let here_path = here.strip_prefix(&hub.url).unwrap_or(&here).to_string();
            if here_path != href && !seen.insert(here_path.clone()) {
                continue; // redirected to a page already checked
            }
            pages += 1;
            let page = format!("{role} {here_path}");
            let m = b.c.execute(MEASURE, vec![]).await.unwrap();
            let text = m["text"].as_str().unwrap_or("");
            let title = m["title"].as_str().unwrap_or("");
            // (a) English in the Vietnamese pages.
            for e in &english {
                if text.contains(e.as_str()) || title.contains(e.as_str()) {
                    failures.push(format!("{page}: English text «{e}»"));
                }
            }
            // (b) small controls.
            for s in m["small"].as_array().into_iter().flatten() {
                failures.push(format!(
                    "{page}: control under 44 px: {}",
                    s.as_str().unwrap_or("")
                ));
            }
            // (c) sideways overflow, wide tables.
            let (sw, iw) = (
                m["scroll"].as_u64().unwrap_or(0),
                m["inner"].as_u64().unwrap_or(0),
            );
            if sw > iw {
                failures.push(format!("{page}: {sw} px wide on a {iw} px screen"));
            }
            for t in m["wide"].as_array().into_iter().flatten() {
                failures.push(format!(
                    "{page}: table wider than the screen: {}",
                    t.as_str().unwrap_or("")
                ));
            }
            // (d) axe-core.
            b.c.execute(&axe, vec![]).await.unwrap();
            let v = b.c.execute_async(AXE_RUN, vec![]).await.unwrap();
            for s in v.as_array().into_iter().flatten() {
                failures.push(format!("{page}: axe {}", s.as_str().unwrap_or("")));
            }
            // (e) the screenshot.
            b.shot(&format!("crawl/{role}-{}", slug(&here_path))).await;

            for l in m["links"].as_array().into_iter().flatten() {
                let Some(l) = l.as_str() else { continue };
                let l = l.split('#').next().unwrap_or(l).to_string();
                if !followable(&l) || seen.contains(&l) {
                    continue;
                }
                let n = shapes.entry(shape(&l)).or_default();
                if *n >= PER_SHAPE {
                    continue;
                }
                *n += 1;
                seen.insert(l.clone());
                queue.push_back(l);
            }
        }
        assert!(pages >= 3, "{role} reached only {pages} pages");
        eprintln!("crawl: {role}: {pages} pages");
        visited_total += pages;
    }
    b.close().await;

    let report = format!(
        "{} pages, {} failures\n{}\n",
        visited_total,
        failures.len(),
        failures.join("\n")
    );
    std::fs::write(shots.join("report.txt"), &report).unwrap();
    assert!(failures.is_empty(), "crawl: {report}");
}
