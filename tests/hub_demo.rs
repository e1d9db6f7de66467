//! scripts/demo.sh for real (with the test's `loa` binary via LOA_BIN, a
//! temp LOA_DEMO_DIR and a free port): it starts a hub and the demo station,
//! prints the demo accounts (an operator `van-hanh` of the enrolled demo
//! station among them), and the station follows the hub's feed — a clip
//! uploaded and approved with the printed accounts reaches the station's
//! status. SIGINT (Ctrl-C) stops both.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::hub::{free_port, Client};
use common::write_tone;

fn account(text: &str, name: &str) -> String {
    text.lines()
        .find(|l| l.starts_with(&format!("{name} ")))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or_else(|| panic!("no {name} in accounts.txt: {text}"))
        .to_string()
}

fn station_sequence(dir: &std::path::Path) -> Option<u64> {
    let o = common::loa()
        .arg("--config")
        .arg(dir.join("station.toml"))
        .args(["status", "--json"])
        .output()
        .ok()?;
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).ok()?;
    v["feed"]["sequence"].as_u64()
}

#[test]
fn demo_starts_a_hub_and_a_station_that_follows_it() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let out = dir.path().join("demo.out");
    let mut demo = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/demo.sh"))
        .args(["--output", "null"])
        .env("LOA_BIN", env!("CARGO_BIN_EXE_loa"))
        .env("LOA_DEMO_DIR", dir.path())
        .env("LOA_DEMO_PORT", port.to_string())
        .env("LOA_DEMO_SECONDS", "120")
        .env_remove("LOA_CONFIG")
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let t0 = Instant::now();
    while !std::fs::read_to_string(&out)
        .unwrap_or_default()
        .contains("Ctrl-C")
    {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "demo.sh did not start the hub"
        );
        assert!(demo.try_wait().unwrap().is_none(), "demo.sh exited");
        std::thread::sleep(Duration::from_millis(100));
    }
    let printed = std::fs::read_to_string(&out).unwrap();
    let accounts = std::fs::read_to_string(dir.path().join("accounts.txt")).unwrap();
    for who in ["admin", "bien-tap", "phe-duyet", "van-hanh"] {
        assert!(
            printed.contains(&format!("{who} {}", account(&accounts, who))),
            "{printed}"
        );
    }

    // The station synced the hub's first feed; then an approved clip moves it on.
    let wait_seq = |want: u64| {
        let t = Instant::now();
        loop {
            if station_sequence(dir.path()) == Some(want) {
                return;
            }
            assert!(
                t.elapsed() < Duration::from_secs(40),
                "station never reached sequence {want}: {:?}",
                station_sequence(dir.path())
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    };
    let manifest = || -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.path().join("hub/feed/manifest.json")).unwrap())
            .unwrap()
    };
    wait_seq(manifest()["sequence"].as_u64().unwrap());

    // The demo station is enrolled, and its operator sees it.
    assert!(
        dir.path().join("station/hub.json").exists(),
        "the demo station is enrolled"
    );
    let mut op = Client::new(addr);
    let r = op.post_json(
        "/api/v1/session",
        &serde_json::json!({"user": "van-hanh", "password": account(&accounts, "van-hanh")}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = op.get("/api/v1/stations");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("phuoc-dinh"), "{}", r.text());

    let login = |name: &str| {
        let mut c = Client::new(addr);
        let r = c.post_json(
            "/api/v1/session",
            &serde_json::json!({"user": name, "password": account(&accounts, name)}),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        c
    };
    let wav = dir.path().join("tin.wav");
    write_tone(&wav, 440.0, 1.0, 0.4);
    let mut ed = login("bien-tap");
    let r = ed.post_form(
        "/api/v1/clips",
        &[
            ("title", "Tin thử"),
            ("category", "tin-tuc"),
            ("areas", "22936"),
        ],
        Some(("tin.wav", &std::fs::read(&wav).unwrap())),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    let r = login("phe-duyet").post_json(
        &format!("/api/v1/clips/{id}/approve"),
        &serde_json::json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    wait_seq(manifest()["sequence"].as_u64().unwrap());

    // Ctrl-C stops both.
    unsafe {
        libc::kill(demo.id() as i32, libc::SIGINT);
    }
    let t = Instant::now();
    while demo.try_wait().unwrap().is_none() {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "demo.sh did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "the hub still listens"
    );
    assert!(
        station_sequence(dir.path()).is_none(),
        "the station still answers"
    );
}
