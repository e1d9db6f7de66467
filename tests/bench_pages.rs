//! Page render benchmark (`#[ignore]`; bench/run.sh runs it in release):
//! the clip list (`GET /clips`, the bản tin page) of a real `loa hub run`
//! holding 5,000 clips, timed over HTTP as a signed-in editor (who wrote
//! them all) and an approver of one district (the SQL scope test) see it.
//! Prints one `BENCH` line for BENCHMARKS.md.
//!
//! cargo test --release --test bench_pages -- --ignored --nocapture

mod common;

use std::time::{Duration, Instant};

use common::hub::{Backend, Hub};

const CLIPS: usize = 5_000;
const GETS: usize = 500;

/// 5,000 clips straight into the hub's database, in every state and level.
fn seed(hub: &Hub) {
    hub.sql(&format!(
        "INSERT INTO clips (id, title, category, lang, areas, valid_from, valid_until, level, state, \
         reason, ext, sha256, bytes, duration_ms, lufs, created_by, created_at, decided_by, updated_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {CLIPS}) \
         SELECT 'ban-tin-' || i, 'Bản tin số ' || i || ': thông báo của xã về lịch tiêm chủng <và> họp dân', \
         'tin-tuc', 'vi', CASE i % 3 WHEN 0 THEN '22936' WHEN 1 THEN '22939' ELSE '589' END, NULL, NULL, \
         CASE WHEN i % 10 = 0 THEN 'priority' ELSE 'normal' END, \
         CASE i % 4 WHEN 0 THEN 'submitted' WHEN 1 THEN 'approved' WHEN 2 THEN 'rejected' ELSE 'draft' END, \
         CASE i % 4 WHEN 2 THEN 'chưa rõ nguồn' ELSE NULL END, 'wav', printf('%064d', i), 1000000, 60000, -16.0, \
         (SELECT id FROM users WHERE name = 'bientap'), 1700000000 + i, NULL, 1700000000 + i FROM n; \
         INSERT INTO clip_areas (clip_id, code) SELECT id, areas FROM clips;"
    ));
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

#[test]
#[ignore]
fn clip_list_render_with_5000_clips() {
    let hub = Hub::start(Backend::Sqlite);
    hub.add_user("bientap", "editor", "58", "mat-khau-bien-tap");
    seed(&hub);
    let mut c = hub.login("bientap", "mat-khau-bien-tap");
    let first = c.get("/clips");
    assert_eq!(first.status, 200);
    assert!(first.text().contains("Bản tin số 5000"), "newest first");
    assert!(first.text().contains("&lt;và&gt;"));
    for _ in 0..20 {
        c.get("/clips");
    }
    hub.add_user("duyet", "approver", "589", "mat-khau-phe-duyet");
    let mut ap = hub.login("duyet", "mat-khau-phe-duyet");
    for (who, label, path) in [
        ("an editor", "first page", "/clips"),
        (
            "an editor",
            "filtered, page 7",
            "/clips?state=submitted&page=7",
        ),
        (
            "an approver of 589 (scope in SQL)",
            "page 20",
            "/clips?page=20",
        ),
    ] {
        let c = if who == "an editor" { &mut c } else { &mut ap };
        let mut times = Vec::with_capacity(GETS);
        for _ in 0..GETS {
            let t = Instant::now();
            let r = c.get(path);
            times.push(t.elapsed());
            assert_eq!(r.status, 200);
        }
        times.sort();
        println!(
            "BENCH pages: clip list with {CLIPS} clips ({label}: GET {path}, 50 cards), {GETS} GETs over HTTP as {who}: \
             p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; first page {} KiB",
            pct(&times, 0.5),
            pct(&times, 0.99),
            pct(&times, 1.0),
            first.body.len() / 1024
        );
    }
}

/// GETs `path`, following the hub's redirects (`/` sends a signed-in
/// account to its page): the time and the final page.
fn get_followed(c: &mut common::hub::Client, path: &str) -> (Duration, common::hub::Resp) {
    let t = Instant::now();
    let mut r = c.get(path);
    for _ in 0..3 {
        match (r.status, r.header("location").map(str::to_string)) {
            (301..=308, Some(to)) => r = c.get(&to),
            _ => break,
        }
    }
    (t.elapsed(), r)
}

/// The operator's home (`GET /`, following its redirect while `/` is one)
/// with 1,000 enrolled stations in the hub, the operator bound to one.
///
/// cargo test --release --test bench_pages home_render -- --ignored --nocapture
#[test]
#[ignore]
fn home_render_with_1000_stations() {
    let hub = Hub::start(Backend::Sqlite);
    common::station_api::seed_stations(&hub, 1_000);
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "user",
            "add",
            "van-hanh",
            "--role",
            "operator",
            "--areas",
            "22936",
            "--stations",
            "tram-00000",
            "--password-stdin",
            "--json",
        ],
        Some("mat-khau-van-hanh"),
    );
    assert_eq!(code, Some(0), "{out} {err}");
    hub.add_user("quan-tri", "admin", "58", "mat-khau-quan-tri");
    for (who, name, pw) in [
        (
            "an operator of one station",
            "van-hanh",
            "mat-khau-van-hanh",
        ),
        ("an admin of the province", "quan-tri", "mat-khau-quan-tri"),
    ] {
        let mut c = hub.login(name, pw);
        let (_, first) = get_followed(&mut c, "/");
        assert_eq!(first.status, 200, "{}", first.text());
        for _ in 0..20 {
            get_followed(&mut c, "/");
        }
        let mut times: Vec<Duration> = (0..GETS).map(|_| get_followed(&mut c, "/").0).collect();
        times.sort();
        println!(
            "BENCH pages: home (GET /, redirects followed) with 1000 stations, {GETS} GETs over HTTP as {who}: \
             p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; page {} bytes",
            pct(&times, 0.5),
            pct(&times, 0.99),
            pct(&times, 1.0),
            first.body.len()
        );
    }
}

/// What each page weighs on the wire (uncompressed): its HTML, and the
/// stylesheet, fetched once and cached for a year (`/static/style.css?v=…`).
/// "inline" is what the same page weighed with the stylesheet in a `<style>`
/// element on every page (before issue 18).
///
/// cargo test --release --test bench_pages page_weight -- --ignored --nocapture
#[test]
#[ignore]
fn page_weight() {
    let hub = Hub::start(Backend::Sqlite);
    hub.add_user("bientap", "editor", "58", "mat-khau-bien-tap");
    seed(&hub);
    common::station_api::seed_stations(&hub, 20);
    hub.add_user(
        "quan-tri",
        "admin,approver,editor",
        "58",
        "mat-khau-quan-tri",
    );
    let mut c = hub.login("quan-tri", "mat-khau-quan-tri");
    let login = hub.client().get("/login");
    let first = get_followed(&mut c, "/").1;
    let css_href = {
        let t = first.text();
        let i = t.find("/static/style.css?v=").expect("a stylesheet link");
        t[i..].split('"').next().unwrap().to_string()
    };
    let css = c.get(&css_href);
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let link_tag = format!("<link rel=\"stylesheet\" href=\"{css_href}\">").len();
    let inline = css.body.len() + "<style></style>".len();
    println!(
        "BENCH pages: stylesheet {css_href}: {} bytes, cached a year (immutable)",
        css.body.len()
    );
    let mut pages = vec![("/login".to_string(), login)];
    for p in [
        "/",
        "/clips",
        "/queue",
        "/broadcasts",
        "/stations",
        "/stations/tram-00000",
        "/reports",
        "/accounts",
        "/audit",
    ] {
        let r = get_followed(&mut c, p).1;
        pages.push((p.to_string(), r));
    }
    for (p, r) in pages {
        let html = r.body.len();
        println!(
            "BENCH pages: weight of GET {p}: {html} bytes HTML (+ the cached stylesheet once); inline stylesheet: {} bytes",
            html - link_tag + inline
        );
    }
}
