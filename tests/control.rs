//! Steering the running daemon through its control socket with the real
//! binary: status, play (program, clip, file), stop, reload, refused peers,
//! and no daemon at all.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use chrono::TimeDelta;
use common::*;

fn out(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn status_json(st: &Station) -> serde_json::Value {
    let o = st.cmd(&["status", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    serde_json::from_str(&out(&o)).expect("status JSON")
}

/// Wait for the control socket to answer.
fn wait_ready(st: &Station) {
    let t = std::time::Instant::now();
    while t.elapsed() < Duration::from_secs(10) {
        if st.cmd(&["status", "--json"]).status.success() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("control socket never answered");
}

#[test]
fn status_json_while_idle_and_while_on_air() {
    let st = Station::new();
    st.tone("x.wav", 440.0, 3.0);
    let a = whole_second_in(3);
    st.write_config(&format!(
        "[[program]]\nid = \"tin\"\ntitle = \"Tin xã\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        st.local_hms(a)
    ));
    let mut d = st.spawn();
    wait_ready(&st);
    let idle = status_json(&st);
    assert!(idle["on_air"].is_null(), "{idle:#}");
    assert!(
        idle["next"][0]["occurrence"]
            .as_str()
            .unwrap()
            .starts_with("tin@"),
        "{idle:#}"
    );
    assert!(idle["next"][0]["start"].is_string());
    assert!(idle["feed"].is_null());
    assert_eq!(idle["store"]["clips"], 0);
    assert!(idle["output"]["device"]
        .as_str()
        .unwrap()
        .starts_with("wav:"));
    assert!(idle["output"]["state"].is_string());
    st.wait_for(Duration::from_secs(10), "on air", |r| {
        r.iter().any(|x| x["event"] == "on_air")
    });
    std::thread::sleep(Duration::from_millis(700));
    let busy = status_json(&st);
    assert_eq!(busy["on_air"]["program"], "tin", "{busy:#}");
    assert!(busy["on_air"]["occurrence"]
        .as_str()
        .unwrap()
        .starts_with("tin@"));
    assert_eq!(busy["on_air"]["item"], "x.wav");
    let pos = busy["on_air"]["position_s"].as_f64().unwrap();
    assert!((0.3..2.5).contains(&pos), "position {pos}");
    assert_eq!(busy["output"]["state"], "on_air");
    let human = st.cmd(&["status"]);
    assert!(out(&human).contains("Tin xã"), "{}", out(&human));
    d.term();
}

#[test]
fn play_a_program_a_clip_and_a_file_each_aired_and_recorded() {
    let st = Station::new();
    st.tone("chuong.wav", 440.0, 0.5);
    let elsewhere = st.path("ngoai.wav");
    write_tone(&elsewhere, 880.0, 0.5, 0.5);
    let later = whole_second_in(3 * 3600);
    st.write_config(&format!(
        "[[program]]\nid = \"tin\"\nat = [\"{}\"]\nplay = [\"chuong.wav\"]\n",
        st.local_hms(later)
    ));
    let mut d = st.spawn();
    wait_ready(&st);
    let aired = |n: usize| {
        move |r: &[serde_json::Value]| r.iter().filter(|x| x["outcome"] == "aired").count() == n
    };
    let o = st.cmd(&["play", "tin"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("tin@"), "{}", out(&o));
    st.wait_for(Duration::from_secs(10), "program played", aired(1));
    std::thread::sleep(Duration::from_millis(300));
    let o = st.cmd(&["play", "chuong"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    st.wait_for(Duration::from_secs(10), "clip played", aired(2));
    std::thread::sleep(Duration::from_millis(300));
    let o = st.cmd(&["play", elsewhere.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    st.wait_for(Duration::from_secs(10), "file played", aired(3));
    let bad = st.cmd(&["play", "khong-co"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(err(&bad).contains("khong-co"), "{}", err(&bad));
    d.term();
    let outs: Vec<_> = st
        .asrun()
        .into_iter()
        .filter(|r| r["outcome"] == "aired")
        .collect();
    assert_eq!(outs[0]["program"], "tin");
    assert_eq!(outs[1]["items"][0]["name"], "chuong.wav");
    assert!(outs[2]["items"][0]["name"]
        .as_str()
        .unwrap()
        .ends_with("ngoai.wav"));
    for o in &outs {
        assert!(
            o["reason"].as_str().unwrap().contains("played by uid"),
            "{o}"
        );
    }
    let rec = Recording::read_wav(&st.wav_path());
    assert_eq!(
        rec.onsets(0.02, Duration::from_millis(200)).len(),
        3,
        "three plays in the recording"
    );
}

#[test]
fn stop_mid_broadcast_is_recorded_with_who_asked() {
    let st = Station::new();
    let (mut d, a) = st.long_program_on_air("dai", 6.0);
    let o = st.cmd(&["stop"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    st.wait_for(Duration::from_secs(5), "stopped", |r| {
        r.iter().any(|x| x["outcome"] == "stopped")
    });
    let again = st.cmd(&["stop"]);
    assert_eq!(
        again.status.code(),
        Some(1),
        "nothing on air: {}",
        err(&again)
    );
    d.term();
    let rec = &st.outcomes("dai")[0];
    assert!(
        rec["reason"]
            .as_str()
            .unwrap()
            .starts_with("stopped by uid 0"),
        "{rec}"
    );
    let secs = rec["items"][0]["seconds"].as_f64().unwrap();
    assert!((0.8..2.5).contains(&secs), "{secs}");
    let wav = Recording::read_wav(&st.wav_path());
    assert_eq!(
        wav.sound_between(
            a + TimeDelta::milliseconds(3500),
            a + TimeDelta::seconds(6),
            0.02
        ),
        0.0
    );
}

#[test]
fn reload_with_a_broken_config_is_refused_and_the_old_schedule_airs() {
    let st = Station::new();
    st.tone("x.wav", 440.0, 0.3);
    let a = whole_second_in(4);
    st.write_config(&format!(
        "[[program]]\nid = \"cu\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        st.local_hms(a)
    ));
    let mut d = st.spawn_with(&["--output", "null"]);
    wait_ready(&st);
    let good = std::fs::read_to_string(st.config_path()).unwrap();
    std::fs::write(
        st.config_path(),
        good.replace("at = [", "at = [\"24:61\", "),
    )
    .unwrap();
    let o = st.cmd(&["reload"]);
    assert_eq!(o.status.code(), Some(2), "{}{}", out(&o), err(&o));
    assert!(
        err(&o).contains(&format!("{}:15:", st.config_path().display())),
        "{}",
        err(&o)
    );
    st.wait_for(Duration::from_secs(10), "cu aired", |r| {
        r.iter()
            .any(|x| x["program"] == "cu" && x["outcome"] == "aired")
    });
    std::fs::write(st.config_path(), good).unwrap();
    let ok = st.cmd(&["reload"]);
    assert_eq!(ok.status.code(), Some(0), "{}", err(&ok));
    d.term();
}

#[test]
fn a_peer_with_other_credentials_is_refused() {
    let st = Station::new();
    st.tone("x.wav", 440.0, 0.3);
    st.write_config("[[program]]\nid = \"tin\"\nat = [\"05:00\"]\nplay = [\"x.wav\"]\n");
    let mut d = st.spawn_with(&["--output", "null"]);
    wait_ready(&st);
    // Let `nobody` reach the socket file, so the daemon's own peer check decides.
    for p in [st.dir.path().to_path_buf(), st.path("state")] {
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let sock = st.path("state/control.sock");
    assert_eq!(
        std::fs::metadata(&sock).unwrap().permissions().mode() & 0o777,
        0o660
    );
    std::fs::set_permissions(&sock, std::fs::Permissions::from_mode(0o666)).unwrap();
    let o = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_loa"))
        .arg("--config")
        .arg(st.config_path())
        .arg("stop")
        .output()
        .expect("setpriv (util-linux)");
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("permission denied"), "{}", err(&o));
    d.term();
    assert!(
        d.stderr().contains("uid 65534"),
        "the refusal is logged:\n{}",
        d.stderr()
    );
}

#[test]
fn without_a_daemon_commands_say_so_and_exit_1() {
    let st = Station::new();
    st.tone("x.wav", 440.0, 0.3);
    st.write_config("[[program]]\nid = \"tin\"\nat = [\"05:00\"]\nplay = [\"x.wav\"]\n");
    for args in [&["status"][..], &["play", "tin"], &["stop"], &["reload"]] {
        let o = st.cmd(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            err(&o).contains("loa is not running"),
            "{args:?}: {}",
            err(&o)
        );
    }
}
