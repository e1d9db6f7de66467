//! Benchmark, not a test (`#[ignore]`; run by bench/run.sh): scheduled
//! preemption timing over many preemptions, from the `wav:` recording. Each
//! time a priority-10 program is on air when a priority-100 one is due: how far
//! the emergency's first sample is from its instant, and what is left of the
//! low one's fade in the last 2 ms before it. Prints one `BENCH` line.

mod common;

use std::time::Duration;

use chrono::TimeDelta;
use common::audio::Stereo;
use common::*;

const PAIRS: usize = 20;

#[test]
#[ignore = "benchmark: run by bench/run.sh"]
fn bench_scheduled_preemption() {
    let st = Station::new();
    st.tone("low.wav", 440.0, 3.0);
    st.tone("high.wav", 880.0, 0.5);
    let first = whole_second_in(4);
    // Each pair: the low program at a whole second, the emergency one second later.
    let mut instants = Vec::new();
    let mut body = String::new();
    for i in 0..PAIRS {
        let low = first + TimeDelta::seconds(3 * i as i64);
        let high = low + TimeDelta::seconds(1);
        instants.push(high);
        body += &format!(
            "[[program]]\nid = \"low{i}\"\nat = [\"{}\"]\nplay = [\"low.wav\"]\n\n[[program]]\nid = \"high{i}\"\npriority = 100\nat = [\"{}\"]\nplay = [\"high.wav\"]\n\n",
            st.local_hms(low),
            st.local_hms(high)
        );
    }
    st.write_config_output_line("loudness = \"off\"", &body);
    let mut d = st.spawn();
    let limit = Duration::from_secs(3 * PAIRS as u64 + 20);
    st.wait_for(limit, "every emergency aired", |r| {
        r.iter()
            .filter(|x| {
                x["outcome"] == "aired"
                    && x["program"].as_str().is_some_and(|p| p.starts_with("high"))
            })
            .count()
            == PAIRS
    });
    d.term();
    let rec = Stereo::read(&st.wav_path());
    let mut late = Vec::new();
    let mut residue: f32 = 0.0;
    for t in &instants {
        let before = rec.slice(*t - TimeDelta::milliseconds(2), *t);
        residue = residue.max(before.iter().map(|f| f[0].abs()).fold(0.0, f32::max));
        let from = rec.index_of(*t - TimeDelta::milliseconds(2));
        let onset = rec.frames[from..]
            .iter()
            .position(|f| f[0].abs() > 0.01)
            .map(|i| from + i)
            .expect("emergency on air");
        late.push((onset as f64 - rec.index_of(*t) as f64) / f64::from(rec.rate) * 1000.0);
    }
    late.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let pct = |p: f64| late[((late.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "BENCH scheduled preemption (wav:): n={} first sample p50={:.2}ms p99={:.2}ms max={:.2}ms min={:.2}ms; low fade residue in the last 2 ms before the instant: peak {:.4} (full scale 1)",
        late.len(),
        pct(0.5),
        pct(0.99),
        late[late.len() - 1],
        late[0],
        residue
    );
    assert!(pct(0.99).abs() <= 5.0, "{late:?}");
}
