//! Benchmark: publish → applied at the station.

use super::*;

/// Benchmark: publish → applied at the station (its heartbeat says so), ten
/// times. `cargo nextest run --run-ignored only -E 'test(publish_to_applied)'`
#[test]
#[ignore]
fn bench_publish_to_applied() {
    let Setup {
        hub,
        mut admin,
        mut op,
        st,
    } = setup(Backend::Sqlite);
    let _d = st.spawn();
    wait_beat(&mut admin, "a heartbeat", |s| s["online"] == true);
    let mut took = vec![];
    for i in 1..=10u64 {
        let at = Utc::now() + TimeDelta::hours(2) + TimeDelta::minutes(i as i64);
        let t = Instant::now();
        let r = put(
            &mut op,
            STATION,
            &program(&st, &format!("p{i}"), at, "a.wav"),
        );
        assert_eq!(r.status, 200);
        wait_beat(&mut admin, "applied", |s| s["programs_sequence"] == i);
        took.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    took.sort_by(f64::total_cmp);
    println!(
        "BENCH hub timetable: PUT programs -> station applied (its heartbeat says so): median {:.0} ms, max {:.0} ms, min {:.0} ms over {} runs",
        took[took.len() / 2],
        took[took.len() - 1],
        took[0],
        took.len()
    );
    drop(hub);
}
