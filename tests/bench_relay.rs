//! Benchmark (ignored in the test suite; run by bench/run.sh): CPU used by the real
//! daemon while it relays a 128 kbit/s MP3 stream from a local server paced in real
//! time, on the real-time-paced `null` output with the stream's slow automatic gain
//! on (the default). Target: at most 5 % of one core. CPU comes from the kernel's
//! accounting of the process (/proc/PID/stat), over 60 s in the middle of the window.
//! Prints one `BENCH` line.

mod common;

use std::time::{Duration, Instant};

use common::stream_server::{sox_stream, Route, StreamServer};
use common::*;

/// utime + stime of `pid`, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("proc stat");
    // Fields after the command name (which is in parentheses).
    let rest = &stat[stat.rfind(')').expect("comm") + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap();
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    ticks as f64 / hz
}

#[test]
#[ignore = "benchmark: run by bench/run.sh"]
fn relay_cpu_128k_mp3() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(mp3) = sox_stream(tmp.path(), "tone.mp3", 120, &["vol", "0.3"]) else {
        eprintln!("SKIPPED: sox cannot encode MP3 here");
        return;
    };
    let server = StreamServer::start(vec![Route::new("/vov1", mp3, "audio/mpeg", 16_000)]);
    let st = Station::new();
    let a = whole_second_in(3);
    st.write_config(&format!(
        "[[program]]\nid = \"relay\"\nat = [\"{}\"]\nplay = [{{ stream = \"{}\", duration = \"75s\" }}]\n",
        st.local_hms(a),
        server.url("/vov1")
    ));
    let mut d = st.spawn_with(&["--output", "null"]);
    st.wait_for(Duration::from_secs(10), "on air", |r| {
        r.iter().any(|x| x["event"] == "on_air")
    });
    std::thread::sleep(Duration::from_secs(5));
    let pid = d.child.id();
    let (c0, t0) = (cpu_seconds(pid), Instant::now());
    std::thread::sleep(Duration::from_secs(60));
    let (c1, wall) = (cpu_seconds(pid), t0.elapsed().as_secs_f64());
    assert!(d.alive(), "daemon died:\n{}", d.stderr());
    d.term();
    let pct = 100.0 * (c1 - c0) / wall;
    println!(
        "BENCH relay CPU: 128 kbit/s MP3 from a local server paced in real time, output null, slow AGC on: {pct:.2} % of one core over {wall:.0} s (target <= 5 %)"
    );
    assert!(pct.is_finite());
}
