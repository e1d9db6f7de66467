//! Benchmark, not a test (`#[ignore]`; run by bench/run.sh): on-air lateness
//! over many scheduled starts, measured from recordings — the PulseAudio null
//! sink (parec) and `wav:` — beside a do-it-yourself baseline (sleep until the
//! instant, then `paplay`). Prints one `BENCH` line per series.

mod common;

use std::time::Duration;

use chrono::{DateTime, Utc};
use common::pulse::{self, Parec};
use common::*;

const STARTS: usize = 30;
const EVERY_S: i64 = 2;

fn summary(name: &str, mut late: Vec<f64>) {
    assert!(!late.is_empty(), "{name}: no onsets");
    late.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let pct = |p: f64| late[((late.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "BENCH {name}: n={} p50={:.1}ms p99={:.1}ms max={:.1}ms min={:.1}ms",
        late.len(),
        pct(0.5),
        pct(0.99),
        late[late.len() - 1],
        late[0]
    );
}

fn schedule(st: &Station) -> Vec<DateTime<Utc>> {
    st.tone("tick.wav", 1000.0, 0.4);
    let starts: Vec<_> = (0..STARTS as i64)
        .map(|i| whole_second_in(4 + EVERY_S * i))
        .collect();
    let mut body = String::new();
    for (i, t) in starts.iter().enumerate() {
        body += &format!(
            "[[program]]\nid = \"p{i}\"\nat = [\"{}\"]\nplay = [\"tick.wav\"]\n\n",
            st.local_hms(*t)
        );
    }
    st.write_config(&body);
    starts
}

fn lateness(rec: &Recording, starts: &[DateTime<Utc>]) -> Vec<f64> {
    let onsets = rec.onsets(0.02, Duration::from_millis(500));
    starts
        .iter()
        .filter_map(|s| {
            onsets
                .iter()
                .map(|o| late_ms(*o, *s))
                .find(|l| (-500.0..1000.0).contains(l))
        })
        .collect()
}

fn run_loa(st: &Station, output: &[&str], starts: &[DateTime<Utc>]) {
    let mut d = st.spawn_with(output);
    let n = starts.len();
    st.wait_for(
        Duration::from_secs(30 + EVERY_S as u64 * n as u64),
        "all aired",
        |r| r.iter().filter(|x| x["outcome"] == "aired").count() == n,
    );
    d.term();
}

#[test]
#[ignore]
fn bench_lateness_wav() {
    let st = Station::new();
    let starts = schedule(&st);
    run_loa(
        &st,
        &["--output", &format!("wav:{}", st.wav_path().display())],
        &starts,
    );
    summary(
        "loa wav:",
        lateness(&Recording::read_wav(&st.wav_path()), &starts),
    );
}

#[test]
#[ignore]
fn bench_lateness_pulse_vs_baseline() {
    if !pulse::required_or_skip("bench_lateness_pulse") {
        return;
    }
    let st = Station::new();
    let starts = schedule(&st);
    let parec = Parec::start();
    run_loa(&st, &["--output", "default"], &starts);
    std::thread::sleep(Duration::from_millis(500));
    summary(
        "loa pulse (default via ALSA)",
        lateness(&parec.stop(), &starts),
    );

    // Baseline: sleep until each instant, then paplay the same clip.
    let clip = st.path("audio/tick.wav");
    let starts: Vec<_> = (0..STARTS as i64)
        .map(|i| whole_second_in(2 + EVERY_S * i))
        .collect();
    let parec = Parec::start();
    let mut players = Vec::new();
    for s in &starts {
        if let Ok(wait) = (*s - Utc::now()).to_std() {
            std::thread::sleep(wait);
        }
        players.push(
            std::process::Command::new("paplay")
                .arg(&clip)
                .spawn()
                .expect("paplay"),
        );
    }
    for mut p in players {
        let _ = p.wait();
    }
    std::thread::sleep(Duration::from_secs(1));
    summary("baseline sleep+paplay", lateness(&parec.stop(), &starts));
}
