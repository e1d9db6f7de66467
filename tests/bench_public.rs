//! The citizens' pages with 5,000 clips (`#[ignore]`; in release): a real
//! `loa hub run` whose database holds 5,000 clips in every state, spread over
//! two communes, their district and their province, 3/4 of them approved and
//! public. Times over HTTP, no sign-in: `/p/22936` (the first page, page 20,
//! a title search that reads every visible row) and the podcast feed
//! (`/p/22936/podcast.xml`, 100 items), with the page weights. Prints
//! `BENCH` lines for BENCHMARKS.md.
//!
//! cargo test --release --test bench_public -- --ignored --nocapture

mod common;

use std::time::{Duration, Instant};

use common::hub::{Backend, Hub};

const CLIPS: usize = 5_000;
const GETS: usize = 500;

/// 5,000 clips straight into the database: state by `i % 8` (6 in 8
/// approved), one in 16 private, areas by `i % 4` (22936, 22939, 589, 58).
fn seed(hub: &Hub) {
    hub.sql(&format!(
        "INSERT INTO clips (id, title, category, lang, areas, valid_from, valid_until, level, state, \
         reason, ext, sha256, bytes, duration_ms, lufs, created_by, created_at, decided_by, updated_at, public) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {CLIPS}) \
         SELECT 'ban-tin-' || i, 'Bản tin số ' || i || ': thông báo của xã về lịch tiêm chủng <và> họp dân', \
         'tin-tuc', 'vi', CASE i % 4 WHEN 0 THEN '22936' WHEN 1 THEN '22939' WHEN 2 THEN '589' ELSE '58' END, \
         NULL, NULL, 'normal', \
         CASE i % 8 WHEN 0 THEN 'submitted' WHEN 1 THEN 'withdrawn' ELSE 'approved' END, \
         NULL, 'mp3', printf('%064d', i), 1000000, 180000, -16.0, \
         (SELECT id FROM users WHERE name = 'bientap'), 1700000000 + i * 600, NULL, 1700000000 + i * 600, \
         CASE WHEN i % 16 = 2 THEN 0 ELSE 1 END FROM n; \
         INSERT INTO clip_areas (clip_id, code) SELECT id, areas FROM clips;"
    ));
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

#[test]
#[ignore]
fn public_pages_with_5000_clips() {
    let hub = Hub::start(Backend::Sqlite);
    hub.add_user("bientap", "editor", "58", "mat-khau-bien-tap");
    seed(&hub);
    let mut c = hub.client();
    let first = c.get("/p/22936");
    assert_eq!(first.status, 200);
    let t = first.text();
    assert!(t.contains("Bản tin số 4999:"), "newest first");
    assert!(!t.contains("Bản tin số 5000:"), "5000 awaits approval");
    let css = c.get("/static/public.css").body.len();
    for (label, path) in [
        ("first page", "/p/22936"),
        ("page 20", "/p/22936?page=20"),
        ("title search", "/p/22936?q=ban+tin+so+4"),
        ("podcast feed, 100 items", "/p/22936/podcast.xml"),
        ("bulletin board", "/p/22936/bang-tin"),
    ] {
        for _ in 0..20 {
            c.get(path);
        }
        let mut times = Vec::with_capacity(GETS);
        let mut size = 0;
        for _ in 0..GETS {
            let t = Instant::now();
            let r = c.get(path);
            times.push(t.elapsed());
            assert_eq!(r.status, 200, "{path}");
            size = r.body.len();
        }
        times.sort();
        println!(
            "BENCH public: {label} (GET {path}) with {CLIPS} clips, {GETS} GETs over HTTP, no sign-in: \
             p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {:.1} KiB (+ public.css {:.1} KiB, cached a year)",
            pct(&times, 0.5),
            pct(&times, 0.99),
            pct(&times, 1.0),
            size as f64 / 1024.0,
            css as f64 / 1024.0,
        );
    }
}
