//! loa as a systemd service: the notify protocol (a datagram socket stands in
//! for systemd), SIGTERM during a broadcast, SIGHUP reloads, and the unit's
//! hardening score.

mod common;

use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use common::*;

/// Collect notify datagrams for `dur`.
fn collect(sock: &UnixDatagram, dur: Duration) -> Vec<String> {
    let mut out = Vec::new();
    let end = Instant::now() + dur;
    let mut buf = [0u8; 4096];
    while Instant::now() < end {
        sock.set_read_timeout(Some(
            end.saturating_duration_since(Instant::now())
                .max(Duration::from_millis(1)),
        ))
        .unwrap();
        if let Ok(n) = sock.recv(&mut buf) {
            out.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
    }
    out
}

fn signal(d: &Daemon, sig: &str) {
    std::process::Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(d.child.id().to_string())
        .status()
        .unwrap();
}

#[test]
fn notify_ready_status_watchdog_and_reload_sequence() {
    let st = Station::new();
    st.tone("x.wav", 440.0, 0.3);
    st.write_config(&format!(
        "[[program]]\nid = \"sau\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        st.local_hms(whole_second_in(3600))
    ));
    let sock_path = st.path("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).unwrap();
    let child = loa()
        .arg("--config")
        .arg(st.config_path())
        .args(["run", "--output", "null"])
        .env("NOTIFY_SOCKET", &sock_path)
        .env("WATCHDOG_USEC", "600000") // 0.6 s: pings expected every 0.2 s
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let d = Daemon {
        child,
        log: st.path("none.log"),
    };
    let first = collect(&sock, Duration::from_millis(1500));
    let joined = first.join("\n");
    assert!(joined.contains("READY=1"), "{first:?}");
    assert!(joined.contains("STATUS=next: sau@"), "{first:?}");
    let pings = first.iter().filter(|m| m.contains("WATCHDOG=1")).count();
    assert!(
        pings >= 4,
        "watchdog pings in 1.5 s with WATCHDOG_USEC=0.6 s: {pings}: {first:?}"
    );
    signal(&d, "HUP");
    let after = collect(&sock, Duration::from_millis(800));
    let reloading = after.iter().position(|m| m.contains("RELOADING=1"));
    let ready = after.iter().rposition(|m| m.contains("READY=1"));
    assert!(
        reloading.is_some() && ready > reloading,
        "RELOADING=1 then READY=1: {after:?}"
    );
    signal(&d, "TERM");
    let bye = collect(&sock, Duration::from_millis(500));
    assert!(bye.iter().any(|m| m.contains("STOPPING=1")), "{bye:?}");
}

#[test]
fn sigterm_during_a_broadcast_exits_within_2s_with_a_stopped_record() {
    let st = Station::new();
    let (mut d, a) = st.long_program_on_air("dai", 10.0);
    let t = Instant::now();
    let status = d.term().expect("exited");
    let took = t.elapsed();
    assert!(status.success(), "{status}\n{}", d.stderr());
    assert!(took < Duration::from_secs(2), "took {took:?}");
    let o = &st.outcomes("dai")[0];
    assert_eq!(o["outcome"], "stopped", "{o}");
    assert_eq!(o["reason"], "shutdown", "{o}");
    let secs = o["items"][0]["seconds"].as_f64().unwrap();
    assert!((0.8..2.0).contains(&secs), "aired {secs}s");
    let rec = Recording::read_wav(&st.wav_path());
    let tail = rec.sound_between(
        a + TimeDelta::milliseconds(3000),
        a + TimeDelta::seconds(10),
        0.02,
    );
    assert_eq!(tail, 0.0, "sound after the shutdown");
}

#[test]
fn sighup_with_a_broken_config_keeps_the_old_schedule() {
    let st = Station::new();
    st.tone("x.wav", 440.0, 0.3);
    let a = whole_second_in(4);
    st.write_config(&format!(
        "[[program]]\nid = \"cu\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        st.local_hms(a)
    ));
    let good = std::fs::read_to_string(st.config_path()).unwrap();
    let mut d = st.spawn_with(&["--output", "null"]);
    std::thread::sleep(Duration::from_millis(800));
    std::fs::write(st.config_path(), good.replace("at = [", "att = [")).unwrap();
    signal(&d, "HUP");
    st.wait_for(Duration::from_secs(10), "cu aired", |r| {
        r.iter()
            .any(|x| x["program"] == "cu" && x["outcome"] == "aired")
    });
    assert!(d.alive());
    d.term();
    let err = d.stderr();
    assert!(err.contains("reload refused"), "{err}");
    assert!(err.contains("att"), "the error names the bad key: {err}");
}

#[test]
fn sighup_with_a_good_config_changes_future_occurrences_only() {
    let st = Station::new();
    st.tone("x.wav", 440.0, 2.0);
    let a = whole_second_in(2);
    let b = a + TimeDelta::seconds(6);
    st.write_config(&format!(
        "[[program]]\nid = \"dang\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        st.local_hms(a)
    ));
    let mut d = st.spawn_with(&["--output", "null"]);
    st.wait_for(Duration::from_secs(10), "dang on air", |r| {
        r.iter().any(|x| x["event"] == "on_air")
    });
    // While `dang` is on air: a new program for `b`, and `dang` moved to the same old time.
    st.write_config(&format!(
        "[[program]]\nid = \"dang\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n\n[[program]]\nid = \"moi\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        st.local_hms(a),
        st.local_hms(b)
    ));
    signal(&d, "HUP");
    st.wait_for(Duration::from_secs(15), "moi aired", |r| {
        r.iter()
            .any(|x| x["program"] == "moi" && x["outcome"] == "aired")
    });
    d.term();
    let dang = st.outcomes("dang");
    assert_eq!(dang.len(), 1, "{dang:#?}");
    assert_eq!(dang[0]["outcome"], "aired", "what was on air continued");
    assert!(dang[0]["items"][0]["seconds"].as_f64().unwrap() > 1.9);
    assert_eq!(
        st.asrun().iter().filter(|r| r["event"] == "on_air").count(),
        2,
        "dang once, moi once"
    );
}

#[test]
fn the_unit_is_hardened_exposure_at_most_3() {
    let Ok(out) = std::process::Command::new("systemd-analyze")
        .args([
            "security",
            "--offline=yes",
            concat!(env!("CARGO_MANIFEST_DIR"), "/systemd/loa.service"),
        ])
        .output()
    else {
        eprintln!("SKIPPED: systemd-analyze is not installed here");
        return;
    };
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let line = text
        .lines()
        .find(|l| l.contains("Overall exposure level"))
        .unwrap_or_else(|| panic!("{text}"));
    let score: f64 = line
        .split(':')
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    eprintln!("{line}");
    assert!(score <= 3.0, "{line}");
}
