//! Benchmarks of the bounds (`#[ignore]`; `bench/run.sh` runs them in
//! release): the hub's peak RSS (VmHWM) and time for the week page of the
//! densest timetables the checks accept, and for a 2-hour upload (decode +
//! EBU R128). Each prints `BENCH` lines.

use std::process::Command;
use std::time::Instant;

use super::*;
use common::hub::{Backend, HubOptions};

/// The hub's (current, peak) resident set in MiB.
fn rss(hub: &Hub) -> (f64, f64) {
    let s = std::fs::read_to_string(format!("/proc/{}/status", hub.pid().unwrap())).unwrap();
    let kb = |key: &str| {
        s.lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (kb("VmRSS:"), kb("VmHWM:"))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Median of 3 page loads, in seconds, and the page's size.
fn page(c: &mut Client) -> (f64, usize) {
    let mut t = vec![];
    let mut len = 0;
    for _ in 0..3 {
        let t0 = Instant::now();
        let r = c.get(&format!("/stations/{STATION}/programs"));
        t.push(t0.elapsed().as_secs_f64());
        assert_eq!(r.status, 200);
        len = r.text().len();
    }
    (median(t), len)
}

#[test]
#[ignore]
fn bench_hub_week_page_densest_accepted() {
    let mut hub = Hub::start(Backend::Sqlite);
    let _admin = hub.admin("mat-khau-quan-tri-1");
    enrolled(&hub);
    let mut op = operator(&hub, "vh", "mk-van-hanh-1");
    let (_, base) = rss(&hub);
    // (1) The densest week still drawn: a start every 6 minutes (1,680 blocks).
    let drawn =
        "[[program]]\nid = \"sau-phut\"\ncron = \"0 */6 * * * *\"\nplay = [{ silence = \"2m\" }]\n";
    assert_eq!(put(&mut op, drawn).status, 200);
    let (t1, len1) = page(&mut op);
    let (_, hwm1) = rss(&hub);
    // (2) 50 programs each once a minute, as the checks accept (504,000 starts
    // a week): the cap stops the expansion at 2,001 and the page says so.
    let dense: String = (0..50)
        .map(|i| format!("[[program]]\nid = \"p{i}\"\ncron = \"0 * * * * *\"\nplay = [{{ silence = \"10s\" }}]\n\n"))
        .collect();
    let r = put(&mut op, &dense);
    assert_eq!(r.status, 200, "{}", r.text());
    let (t2, len2) = page(&mut op);
    let (_, hwm2) = rss(&hub);
    println!("BENCH hub week page, 1,680 blocks drawn (a start every 6 min): {t1:.3} s, {:.0} kB page; hub peak RSS {hwm1:.0} MiB (idle {base:.0} MiB)", len1 as f64 / 1e3);
    println!("BENCH hub week page, 50 programs once a minute (504,000 starts; too dense, not drawn): {t2:.3} s, {:.0} kB page; hub peak RSS {hwm2:.0} MiB", len2 as f64 / 1e3);
}

#[test]
#[ignore]
fn bench_hub_two_hour_upload() {
    let mut o = HubOptions::new(Backend::Sqlite);
    o.max_upload = "200MiB".into();
    let hub = Hub::start_with(o);
    hub.add_user("bt", "editor", "589", "mk-bien-tap-589");
    let mut ed = hub.login("bt", "mk-bien-tap-589");
    let mut ed2 = hub.login("bt", "mk-bien-tap-589");
    let mp3 = hub.dir.path().join("hai-gio.mp3");
    match std::env::var("LOA_BENCH_MP3") {
        // A file made earlier by the same sox command (it takes minutes).
        Ok(made) => {
            std::fs::copy(made, &mp3).unwrap();
        }
        Err(_) => {
            let ok = Command::new("sox")
                .args(["-n", "-r", "44100", "-c", "1", "-C", "48"])
                .arg(&mp3)
                .args(["synth", "1:59:00", "pinknoise", "vol", "0.3"])
                .status()
                .expect("sox with libsox-fmt-mp3");
            assert!(ok.success());
        }
    }
    let data = std::fs::read(&mp3).unwrap();
    let (_, base) = rss(&hub);
    let t0 = Instant::now();
    // The test client gives up after 60 s; on a loaded machine the hub may
    // take longer, so the clip's row is what says it is done.
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ed.post_form(
            "/api/v1/clips",
            &[
                ("id", "hai-gio"),
                ("title", "Hai giờ"),
                ("category", "thong-bao"),
            ],
            Some(("hai-gio.mp3", &data)),
        )
        .status
    }));
    if let Ok(status) = r {
        assert_eq!(status, 201);
    }
    while hub
        .sql("SELECT count(*) FROM clips WHERE id = 'hai-gio'")
        .trim()
        != "1"
    {
        assert!(t0.elapsed().as_secs() < 1200, "no clip after 20 min");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let t = t0.elapsed().as_secs_f64();
    let (_, hwm) = rss(&hub);
    // The bomb: a FLAC whose STREAMINFO declares 3 hours, refused from its header.
    let flac = hub.dir.path().join("bom.flac");
    let ok = Command::new("sox")
        .args(["-n", "-r", "44100", "-c", "1", "-b", "16"])
        .arg(&flac)
        .args(["trim", "0", "2"])
        .status()
        .unwrap();
    assert!(ok.success());
    let mut bomb = std::fs::read(&flac).unwrap();
    bomb[8 + 13] &= 0xF0;
    bomb[8 + 14..8 + 18].copy_from_slice(&(44_100u32 * 3 * 3600).to_be_bytes());
    let t0 = Instant::now();
    let r = ed2.post_form(
        "/api/v1/clips",
        &[("id", "bom"), ("title", "Bom"), ("category", "thong-bao")],
        Some(("bom.flac", &bomb)),
    );
    let tb = t0.elapsed().as_secs_f64();
    assert_eq!(r.status, 413, "{}", r.text());
    println!(
        "BENCH hub upload of a 1 h 59 min MP3 ({:.1} MB, 44.1 kHz mono 48 kbit/s; upload + decode + EBU R128): {t:.1} s; hub peak RSS {hwm:.0} MiB (before {base:.0} MiB)",
        data.len() as f64 / 1e6
    );
    println!("BENCH hub upload of a FLAC declaring 3 h (STREAMINFO): refused (413) in {tb:.3} s");
}
