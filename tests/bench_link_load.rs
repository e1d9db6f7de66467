//! Benchmark (ignored; `cargo test --release --test bench_link_load -- --ignored
//! --nocapture`): a real `loa hub run` (SQLite) with 1,000 simulated stations on
//! loopback, each holding its `GET …/events` stream and sending heartbeats
//! (time compressed: one every `LOA_BENCH_BEAT` seconds per station, default 10 s,
//! i.e. 6× the default 1-minute rate, spread evenly), while an approver approves
//! clips every few seconds. Measures, per approval, approve → each station's
//! `event: feed` (fan-out p99 and the time until all 1,000 had it), heartbeat
//! latency (connect → full answer, a new connection each, as a station's idle
//! pool would), hub RSS (peak) and CPU over the run. Prints BENCH lines.
//!
//! The stations are rows written into the hub's database (token hashed as the
//! hub hashes it) instead of 1,000 `loa hub station add` runs; every request
//! they send is a real one. Bounded: `LOA_BENCH_STATIONS` (default 1000),
//! `LOA_BENCH_ROUNDS` approvals (default 10), 5 s apart; the open-files limit is
//! raised to its hard limit (the hub inherits it).
//!
//! National scale (BENCHMARKS.md): `LOA_BENCH_STATIONS=10000 LOA_BENCH_BEAT=60
//! LOA_BENCH_SOURCES=64 LOA_BENCH_REAL=0 LOA_BENCH_MAX_RSS_MB=300`. `LOA_BENCH_SOURCES`
//! spreads the simulated stations' client addresses over that many loopback
//! addresses from 127.0.0.2 (default 1: all from 127.0.0.1) so 10,000 streams plus the
//! heartbeats' TIME_WAIT sockets do not run out of ephemeral ports, and a
//! per-address connection cap sees at most n / SOURCES streams from one
//! address; `LOA_BENCH_REAL` real `loa run` stations air an emergency at the
//! end (default 10; 0 skips).

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::hub::{Backend, Hub, HubOptions};
use common::pages::upload;
use common::station_api::seed_stations;
use serde_json::json;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn raise_nofile(need: u64) {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut r), 0);
        // Root may raise the hard limit too (10,000 stations need ~20,300).
        let wanted = libc::rlimit {
            rlim_cur: need.max(r.rlim_max),
            rlim_max: need.max(r.rlim_max),
        };
        if libc::setrlimit(libc::RLIMIT_NOFILE, &wanted) == 0 {
            r = wanted;
        } else {
            r.rlim_cur = r.rlim_max;
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &r), 0);
        }
    }
    assert!(
        r.rlim_cur >= need,
        "open-files hard limit {} < {need}: raise it (ulimit -Hn)",
        r.rlim_cur
    );
}

/// A connection to the hub from the loopback address of station `i`
/// (127.0.0.1, or spread over `LOA_BENCH_SOURCES` addresses from 127.0.0.2).
async fn connect(addr: std::net::SocketAddr, i: usize) -> std::io::Result<TcpStream> {
    let sources = env_or("LOA_BENCH_SOURCES", 1) as usize;
    if sources <= 1 {
        return TcpStream::connect(addr).await;
    }
    let k = i % sources;
    let ip = std::net::Ipv4Addr::new(127, 0, (2 + k / 250) as u8, (2 + k % 250) as u8);
    let sock = tokio::net::TcpSocket::new_v4()?;
    sock.bind(std::net::SocketAddr::from((ip, 0)))?;
    sock.connect(addr).await
}

/// Hold one events stream; report (station, sequence, when) for each `data:`.
async fn follow(
    addr: std::net::SocketAddr,
    i: usize,
    token: String,
    tx: mpsc::UnboundedSender<(usize, u64, Instant)>,
) {
    let mut s = connect(addr, i).await.expect("connect the stream");
    let req = format!(
        "GET /api/v1/stations/tram-{i:05}/events HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut seen = String::new();
    let mut head_ok = false;
    let mut buf = vec![0u8; 2048];
    loop {
        let n = s.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        let at = Instant::now();
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        if !head_ok {
            assert!(seen.starts_with("HTTP/1.1 200"), "station {i}: {seen}");
            head_ok = true;
        }
        while let Some(p) = seen.find("data: ") {
            let Some(e) = seen[p..].find('\n') else { break };
            let data: serde_json::Value = serde_json::from_str(seen[p + 6..p + e].trim()).unwrap();
            if let Some(seq) = data["sequence"].as_u64() {
                let _ = tx.send((i, seq, at));
            }
            seen.replace_range(..p + e, "");
        }
    }
}

/// One heartbeat on a fresh connection: connect → whole answer.
async fn heartbeat(addr: std::net::SocketAddr, i: usize, token: &str) -> Duration {
    let body = json!({"on_air": null, "next": [], "feed": {"sequence": 1}, "store": {"clips": 0, "bytes": 0},
        "output": {"device": "null", "state": "closed"}, "version": env!("CARGO_PKG_VERSION"), "uptime_s": 3,
        "clock": chrono::Utc::now().to_rfc3339(), "disk_free_bytes": 1_000_000_000u64, "errors": [], "heartbeat_s": 60})
    .to_string();
    let t0 = Instant::now();
    let mut s = connect(addr, i).await.expect("connect a heartbeat");
    let req = format!(
        "POST /api/v1/stations/tram-{i:05}/heartbeat HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).await.unwrap();
    let took = t0.elapsed();
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    took
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

fn proc_count(dir: &str) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = &s[s.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()
}

#[test]
#[ignore]
fn bench_a_thousand_stations_on_one_hub() {
    let n = env_or("LOA_BENCH_STATIONS", 1000) as usize;
    let rounds = env_or("LOA_BENCH_ROUNDS", 10) as usize;
    let beat_every = Duration::from_secs(env_or("LOA_BENCH_BEAT", 10));
    // Each process (this one, the hub) holds one socket per station and a few more.
    raise_nofile(n as u64 + 1024);
    // Thousands of simulated stations share a few loopback addresses: the
    // per-address connection cap (64 by default) is lifted for the bench.
    let mut o = HubOptions::new(Backend::Sqlite);
    o.extra = "max_connections_per_address = 0\n".into();
    let mut hub = Hub::start_with(o);
    hub.add_user("bientap", "editor", "58", "mat-khau-bien-tap");
    hub.add_user("duyet", "approver", "58", "mat-khau-phe-duyet");
    let tokens = seed_stations(&hub, n);
    let pid = hub.pid().unwrap();
    let addr = hub.addr;
    let (rss0, _) = common::rss_kb(pid);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    // Every station connects its stream and hears the current sequence.
    let (tx, mut rx) = mpsc::unbounded_channel();
    let t = Instant::now();
    for (i, tok) in tokens.iter().enumerate() {
        rt.spawn(follow(addr, i, tok.clone(), tx.clone()));
    }
    let mut first = vec![false; n];
    let mut connected = 0;
    while connected < n {
        let (i, _, _) = rx.blocking_recv().expect("a stream's first event");
        if !std::mem::replace(&mut first[i], true) {
            connected += 1;
        }
    }
    let connect_all = t.elapsed();
    let (rss_streams, _) = common::rss_kb(pid);

    // Heartbeats, spread evenly over each interval, until told to stop.
    let beats = Arc::new(std::sync::Mutex::new(Vec::<Duration>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    for (i, tok) in tokens.iter().enumerate() {
        let (tok, beats, stop) = (tok.clone(), beats.clone(), stop.clone());
        let offset = beat_every.mul_f64(i as f64 / n as f64);
        rt.spawn(async move {
            tokio::time::sleep(offset).await;
            let mut tick = tokio::time::interval(beat_every);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                tick.tick().await;
                let took = heartbeat(addr, i, &tok).await;
                beats.lock().unwrap().push(took);
            }
        });
    }

    // A failure shows the end of the hub's log.
    let log = hub.log.clone();
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(30).collect();
        eprintln!("--- the hub's log, last lines:");
        for l in tail.iter().rev() {
            eprintln!("{l}");
        }
        default_hook(info);
    }));

    // Approvals, 5 s apart; each must reach every stream.
    let mut ed = hub.login("bientap", "mat-khau-bien-tap");
    let mut ap = hub.login("duyet", "mat-khau-phe-duyet");
    let cpu0 = (cpu_ticks(pid), Instant::now());
    let mut arrivals = Vec::with_capacity(n * rounds);
    let mut all_in = Vec::with_capacity(rounds);
    let mut seq = hub.manifest()["sequence"].as_u64().unwrap();
    for r in 0..rounds {
        std::thread::sleep(Duration::from_secs(4));
        let id = upload(&mut ed, &hub, &format!("Tin số {r}"));
        while rx.try_recv().is_ok() {}
        let t0 = Instant::now();
        let a = ap.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
        assert_eq!(a.status, 200, "{}", a.text());
        let mut got = vec![false; n];
        let mut left = n;
        let mut last = Duration::ZERO;
        while left > 0 {
            let (i, s, at) = rt
                .block_on(async { tokio::time::timeout(Duration::from_secs(10), rx.recv()).await })
                .unwrap_or_else(|_| panic!("round {r}: {left} stations never heard the nudge"))
                .unwrap();
            if s > seq && !std::mem::replace(&mut got[i], true) {
                left -= 1;
                let d = at.saturating_duration_since(t0);
                last = last.max(d);
                arrivals.push(d);
            }
        }
        seq = hub.manifest()["sequence"].as_u64().unwrap();
        all_in.push(last);
    }
    // The 10 real stations: an emergency approved under this load, timed to
    // its first sample in each station's `wav:` recording.
    let real = env_or("LOA_BENCH_REAL", 10) as usize;
    let emergency = if real > 0 {
        real_stations_air_an_emergency(&hub, &mut ed, &mut ap, real)
    } else {
        vec![Duration::ZERO]
    };
    let cpu = (cpu_ticks(pid) - cpu0.0) as f64
        / unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64
        / cpu0.1.elapsed().as_secs_f64()
        * 100.0;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (rss1, hwm) = common::rss_kb(pid);
    let window = cpu0.1.elapsed();
    arrivals.sort();
    all_in.sort();
    let mut beats = beats.lock().unwrap().clone();
    beats.sort();
    println!(
        "BENCH link load: {n} stations, {n} events streams connected in {:.2} s; hub RSS {rss0} kB before, {rss_streams} kB with the streams, {rss1} kB at the end (peak {hwm} kB); hub CPU {cpu:.1}% of one core over {:.0} s",
        connect_all.as_secs_f64(),
        window.as_secs_f64()
    );
    println!(
        "BENCH link load: per events stream {:.1} kB of hub RSS; {} hub threads; {} open files in the hub",
        (rss_streams.saturating_sub(rss0)) as f64 / n as f64,
        proc_count(&format!("/proc/{pid}/task")),
        proc_count(&format!("/proc/{pid}/fd")),
    );
    println!(
        "BENCH link load: nudge fan-out over {rounds} approvals x {n} stations: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; all {n} had it after p50 {:.0} ms, max {:.0} ms",
        pct(&arrivals, 0.5),
        pct(&arrivals, 0.99),
        pct(&arrivals, 1.0),
        pct(&all_in, 0.5),
        pct(&all_in, 1.0)
    );
    println!(
        "BENCH link load: {} heartbeats ({:.0}/s, one per station every {} s, a new connection each): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        beats.len(),
        beats.len() as f64 / window.as_secs_f64(),
        beat_every.as_secs(),
        pct(&beats, 0.5),
        pct(&beats, 0.99),
        pct(&beats, 1.0)
    );
    if real > 0 {
        println!(
        "BENCH link load: emergency approved -> first sample on air at {} real stations (default 3 s warm-up, during the load): p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        emergency.len(),
        pct(&emergency, 0.5),
        pct(&emergency, 0.99),
        pct(&emergency, 1.0)
    );
    }
    rt.shutdown_timeout(Duration::from_secs(1));
    assert!(pct(&arrivals, 0.99) <= 1000.0, "fan-out p99 over 1 s");
    let max_mb = env_or("LOA_BENCH_MAX_RSS_MB", 200);
    assert!(hwm <= max_mb * 1024, "hub RSS over {max_mb} MB");
    assert_eq!(hub.stop(), Some(0));
}

/// `n` real `loa run` stations enrolled with `loa enroll` (recording to
/// `wav:`); an editor proposes an emergency (a new clip, now, priority 100)
/// and the approver approves clip and broadcast at once. Returns, sorted,
/// each station's time from the broadcast's approval to its first sample.
fn real_stations_air_an_emergency(
    hub: &Hub,
    ed: &mut common::hub::Client,
    ap: &mut common::hub::Client,
    n: usize,
) -> Vec<Duration> {
    use common::{late_ms, write_tone, Recording, Station};
    let stations: Vec<Station> = (0..n)
        .map(|i| {
            let id = format!("that-{i}");
            let (code, out, err) = hub.cmd(
                &[
                    "hub", "station", "add", &id, "--name", &id, "--areas", "22936", "--json",
                ],
                None,
            );
            assert_eq!(code, Some(0), "{out} {err}");
            let code: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
            let st = Station::new();
            std::fs::write(
                st.config_path(),
                format!(
                    "[station]\nname = \"{id}\"\nareas = [\"22936\"]\ntimezone = \"{}\"\n\n\
                     [paths]\nclips = \"audio\"\nstate = \"state\"\n",
                    st.tz
                ),
            )
            .unwrap();
            let o = st.cmd(&["enroll", &hub.url, code["code"].as_str().unwrap()]);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            st
        })
        .collect();
    let daemons: Vec<_> = stations.iter().map(|s| s.spawn()).collect();
    // Each has heard the hub (its first heartbeat) before the emergency.
    let t = Instant::now();
    while hub
        .sql("SELECT COUNT(*) FROM stations WHERE id LIKE 'that-%' AND last_seen IS NOT NULL")
        .trim()
        != n.to_string()
    {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "real stations never reported"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let wav = hub.dir.path().join("bao.wav");
    write_tone(&wav, 880.0, 2.0, 0.5);
    let data = std::fs::read(&wav).unwrap();
    let r = ed.post_form(
        "/api/v1/clips",
        &[
            ("id", "bao"),
            ("title", "Tin bão"),
            ("category", "khan-cap"),
            ("areas", "22936"),
        ],
        Some(("bao.wav", &data)),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = ed.post_json(
        "/api/v1/broadcasts",
        &json!({"id": "khan", "title": "Khẩn cấp: bão", "now": true, "play": ["bao"], "priority": 100, "areas": ["22936"]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        ap.post_json("/api/v1/clips/bao/approve", &json!({})).status,
        200
    );
    let approved = chrono::Utc::now();
    let r = ap.post_json("/api/v1/broadcasts/khan/approve", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    let mut took = vec![];
    for st in &stations {
        st.wait_for(Duration::from_secs(30), "the emergency", |r| {
            r.iter()
                .any(|x| x["event"] == "outcome" && x["program"] == "push-khan")
        });
        let rec = Recording::read_wav(&st.wav_path());
        let on = rec.onsets(0.02, Duration::from_millis(500));
        let first = *on.first().expect("the emergency in the recording");
        took.push(Duration::from_secs_f64(
            late_ms(first, approved).max(0.0) / 1000.0,
        ));
    }
    drop(daemons);
    took.sort();
    took
}
