//! Each station's timetable from the hub, end to end (issue 12): a real
//! `loa hub run` and a real `loa run --output wav:` enrolled with `loa enroll`.
//! Publishing signs `/feed/stations/ID/programs.toml`; the station applies it
//! (heard in the recording, reported in its heartbeat); play now / stop ride
//! the same signed document; a tampered, foreign, replayed, invalid or
//! clashing document, or a stale command, is refused with the old timetable
//! still airing; an edit made while the station is off applies when it is back
//! and survives a restart while the hub is down. Plus the API's 422 and 403.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use common::hub::{Backend, Client, Hub};
use common::*;
use serde_json::{json, Value};

const STATION: &str = "phuoc-dinh";

fn station_add(hub: &Hub, id: &str, areas: &str) -> String {
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "station",
            "add",
            id,
            "--name",
            "Đài xã",
            "--areas",
            areas,
            "--json",
        ],
        None,
    );
    assert_eq!(code, Some(0), "{out} {err}");
    serde_json::from_str::<Value>(out.trim()).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string()
}

/// An operator of `stations`.
fn operator(hub: &Hub, name: &str, stations: &str, pw: &str) -> Client {
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "user",
            "add",
            name,
            "--role",
            "operator",
            "--areas",
            "22936",
            "--stations",
            stations,
            "--password-stdin",
            "--json",
        ],
        Some(pw),
    );
    assert_eq!(code, Some(0), "{out} {err}");
    hub.login(name, pw)
}

fn put(c: &mut Client, id: &str, toml: &str) -> common::hub::Resp {
    c.request(
        "PUT",
        &format!("/api/v1/stations/{id}/programs"),
        &[("Content-Type", "application/toml")],
        toml.as_bytes(),
    )
}

fn station_of(c: &mut Client, id: &str) -> Value {
    c.get("/api/v1/stations")
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .cloned()
        .unwrap_or(Value::Null)
}

/// Wait until the station's heartbeat says `pred`; returns that station row.
fn wait_beat(c: &mut Client, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let t = Instant::now();
    loop {
        let s = station_of(c, STATION);
        if pred(&s) {
            return s;
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}: {s}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn config(st: &Station, own: &str) {
    std::fs::write(
        st.config_path(),
        format!(
            "[station]\nname = \"Đài truyền thanh xã Phước Dinh\"\nareas = [\"58\", \"589\", \"22936\"]\ntimezone = \"{}\"\n\n\
             [output]\ndevice = \"null\"\nwarmup = \"1s\"\n\n[paths]\nclips = \"audio\"\nstate = \"state\"\n\n\
             [hub]\nheartbeat = \"1s\"\n\n{own}",
            st.tz
        ),
    )
    .unwrap();
}

fn program(st: &Station, id: &str, at: chrono::DateTime<Utc>, clip: &str) -> String {
    format!(
        "[[program]]\nid = \"{id}\"\ntitle = \"Bản tin {id}\"\nat = [\"{}\"]\nplay = [\"{clip}\"]\n\n",
        st.local_hms(at)
    )
}

/// A hub with an admin, one enrolled station (own program `rieng` in 6 h) and its operator.
struct Setup {
    hub: Hub,
    admin: Client,
    op: Client,
    st: Station,
}

fn setup(backend: Backend) -> Setup {
    let mut hub = Hub::start(backend);
    let admin = hub.admin("mat-khau-quan-tri-1");
    let code = station_add(&hub, STATION, "22936");
    let op = operator(&hub, "vh", STATION, "mk-van-hanh-1");
    let st = Station::new();
    st.tone("a.wav", 440.0, 1.0);
    st.tone("b.wav", 880.0, 8.0);
    let own = program(&st, "rieng", Utc::now() + TimeDelta::hours(6), "a.wav");
    config(&st, &own);
    let o = st.cmd(&["enroll", &hub.url, &code]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Setup { hub, admin, op, st }
}

fn feed_doc(hub: &Hub, id: &str) -> PathBuf {
    hub.state().join("feed/stations").join(id)
}

/// Put a document (and its signature) where the hub serves this station's.
fn serve(hub: &Hub, doc: &[u8], sig: &[u8]) {
    let dir = feed_doc(hub, STATION);
    std::fs::write(dir.join("programs.toml.minisig"), sig).unwrap();
    std::fs::write(dir.join("programs.toml"), doc).unwrap();
}

fn read_doc(hub: &Hub, id: &str) -> (Vec<u8>, Vec<u8>) {
    let dir = feed_doc(hub, id);
    (
        std::fs::read(dir.join("programs.toml")).unwrap(),
        std::fs::read(dir.join("programs.toml.minisig")).unwrap(),
    )
}

/// Sign a document with the hub's own key (as a hub bug or a stolen key would).
fn sign_as_hub(
    hub: &Hub,
    header: &loa::feed::programs::Header,
    programs: &str,
) -> (String, String) {
    let key = [
        hub.state().join("minisign.key"),
        hub.dir.path().join("minisign.key"),
    ]
    .into_iter()
    .find(|p| p.exists())
    .expect("the hub's key");
    let sk = loa::feed::sign::load_secret_key(&key, None).unwrap();
    let doc = loa::feed::programs::render(header, programs).unwrap();
    let sig = loa::feed::sign::sign(doc.as_bytes(), &sk, "test").unwrap();
    (doc, sig)
}

fn header(seq: u64, command: Option<loa::feed::programs::Command>) -> loa::feed::programs::Header {
    let now = Utc::now().fixed_offset();
    loa::feed::programs::Header {
        station: STATION.into(),
        sequence: seq,
        issued_at: now,
        expires_at: now + TimeDelta::days(30),
        by: "vh".into(),
        command,
    }
}

fn audit_actions(admin: &mut Client) -> Vec<String> {
    let a = admin.get("/api/v1/audit").json();
    let rows = a["entries"].clone();
    rows.as_array()
        .map(|r| {
            r.iter()
                .filter_map(|x| x["action"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn log_of(d: &Daemon) -> String {
    d.stderr()
}

#[test]
fn a_published_timetable_airs_and_play_now_and_stop_reach_the_air() {
    let Setup {
        hub,
        mut admin,
        mut op,
        st,
    } = setup(Backend::Sqlite);
    let _d = st.spawn();
    wait_beat(&mut admin, "a heartbeat", |s| s["online"] == true);
    // The station listed its clip files for the editor's checks.
    let at = whole_second_in(8);
    let r = put(&mut op, STATION, &program(&st, "hub-sang", at, "a.wav"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["sequence"], 1);
    let s = wait_beat(&mut admin, "programs_sequence 1", |s| {
        s["programs_sequence"] == 1
    });
    assert!(s["programs_error"].is_null(), "{s}");
    let t = op
        .get(&format!("/api/v1/stations/{STATION}/programs"))
        .json();
    assert_eq!(t["sequence"], 1, "{t}");
    assert_eq!(t["applied_sequence"], 1, "{t}");
    assert_eq!(t["published_by"], "vh");
    assert!(t["toml"].as_str().unwrap().contains("hub-sang"));

    // It airs at its instant.
    st.wait_for(Duration::from_secs(20), "hub-sang", |r| {
        r.iter()
            .any(|x| x["event"] == "outcome" && x["program"] == "hub-sang")
    });
    assert_eq!(st.outcomes("hub-sang")[0]["outcome"], "aired");
    let rec = Recording::read_wav(&st.wav_path());
    let on = rec.onsets(0.02, Duration::from_millis(500));
    let first = *on.first().expect("hub-sang in the recording");
    assert!(
        late_ms(first, at).abs() < 300.0,
        "{} ms",
        late_ms(first, at)
    );

    // Play now: the 8 s clip starts within seconds; stop cuts it.
    let asked = Utc::now();
    let r = op.post_json(
        &format!("/api/v1/stations/{STATION}/play"),
        &json!({"target": "b.wav", "priority": 60}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["sequence"], 2);
    st.wait_for(Duration::from_secs(10), "play now on air", |r| {
        r.iter()
            .any(|x| x["event"] == "on_air" && x["program"] == "play")
    });
    std::thread::sleep(Duration::from_millis(1500));
    let r = op.post_json(&format!("/api/v1/stations/{STATION}/stop"), &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["sequence"], 3);
    st.wait_for(Duration::from_secs(10), "play now stopped", |r| {
        r.iter()
            .any(|x| x["event"] == "outcome" && x["program"] == "play")
    });
    let o = &st.outcomes("play")[0];
    assert_eq!(o["outcome"], "stopped", "{o}");
    let reason = o["reason"].as_str().unwrap_or("");
    assert!(
        reason.contains("played by hub user vh") && reason.contains("stopped by hub user vh"),
        "{o}"
    );
    std::thread::sleep(Duration::from_millis(500));
    let rec = Recording::read_wav(&st.wav_path());
    let played = rec.sound_between(asked, Utc::now(), 0.02);
    assert!(
        played > 0.5 && played < 6.0,
        "{played} s of the 8 s clip aired"
    );
    // In all: hub-sang's 1 s, then part of the 8 s play now (cut by stop).
    let total = rec.samples.iter().filter(|x| **x > 0.02).count() as f64 / rec.rate as f64;
    assert!(total > 1.5 && total < 7.0, "{total} s on air");
    let started = st
        .asrun()
        .into_iter()
        .find(|x| x["event"] == "on_air" && x["program"] == "play")
        .unwrap();
    let started = chrono::DateTime::parse_from_rfc3339(started["started"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let took = late_ms(started, asked);
    eprintln!("play now: request -> on air {took:.0} ms");
    assert!(took > 0.0 && took < 5000.0, "{took} ms");
    // Applied and reported; the programs unchanged by the commands.
    wait_beat(&mut admin, "programs_sequence 3", |s| {
        s["programs_sequence"] == 3
    });
    let t = op
        .get(&format!("/api/v1/stations/{STATION}/programs"))
        .json();
    assert!(t["toml"].as_str().unwrap().contains("hub-sang"), "{t}");
    let actions = audit_actions(&mut admin);
    for a in ["timetable_publish", "remote_play", "remote_stop"] {
        assert!(actions.iter().any(|x| x == a), "{a}: {actions:?}");
    }
    drop(hub);
}

#[test]
fn bad_documents_are_refused_and_the_old_timetable_keeps_airing() {
    let Setup {
        hub,
        mut admin,
        mut op,
        st,
    } = setup(Backend::Sqlite);
    station_add(&hub, "khac", "22936");
    let d = st.spawn();
    wait_beat(&mut admin, "a heartbeat", |s| s["online"] == true);
    let r = put(
        &mut op,
        STATION,
        &program(&st, "hub-a", Utc::now() + TimeDelta::hours(3), "a.wav"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    wait_beat(&mut admin, "sequence 1", |s| s["programs_sequence"] == 1);
    let (doc1, sig1) = read_doc(&hub, STATION);
    // Sequence 2 airs in ~50 s, after every refusal below.
    let at = whole_second_in(50);
    let keep = program(&st, "hub-b", at, "a.wav");
    assert_eq!(put(&mut op, STATION, &keep).status, 200);
    wait_beat(&mut admin, "sequence 2", |s| s["programs_sequence"] == 2);
    let (doc2, sig2) = read_doc(&hub, STATION);

    let refused = |admin: &mut Client, what: &str, needle: &str| {
        let s = wait_beat(admin, what, |s| {
            s["programs_error"]
                .as_str()
                .is_some_and(|e| e.contains(needle))
        });
        assert_eq!(s["programs_sequence"], 2, "{what}: {s}");
        assert!(
            s["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e.as_str().unwrap().contains(needle)),
            "{s}"
        );
    };
    let back_in_sync = |admin: &mut Client| {
        serve(&hub, &doc2, &sig2);
        wait_beat(admin, "back in sync", |s| s["programs_error"].is_null());
    };

    // Tampered: one byte of the title changed.
    let tampered = String::from_utf8(doc2.clone())
        .unwrap()
        .replace("Bản tin hub-b", "Bản tin hub-c");
    serve(&hub, tampered.as_bytes(), &sig2);
    refused(&mut admin, "a tampered document", "signature");
    back_in_sync(&mut admin);

    // Foreign: station khac's document served as this station's.
    let r = put(
        &mut admin,
        "khac",
        &program(&st, "khac-a", Utc::now() + TimeDelta::hours(2), "a.wav"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let (fdoc, fsig) = read_doc(&hub, "khac");
    serve(&hub, &fdoc, &fsig);
    refused(&mut admin, "a foreign document", "for station \"khac\"");
    back_in_sync(&mut admin);

    // Replayed: sequence 1 again.
    serve(&hub, &doc1, &sig1);
    refused(
        &mut admin,
        "a replayed document",
        "older than the accepted 2",
    );
    back_in_sync(&mut admin);

    // An id clashing with the config file's own program: accepted by the hub, refused by the station.
    let clash = format!(
        "{keep}{}",
        program(&st, "rieng", Utc::now() + TimeDelta::hours(5), "a.wav")
    );
    let r = put(&mut op, STATION, &clash);
    assert_eq!(r.status, 200, "{}", r.text());
    let s = wait_beat(&mut admin, "a clash refused", |s| {
        s["programs_error"].as_str().is_some_and(|e| {
            e.contains("both in the hub's timetable and in the station's config file")
        })
    });
    assert_eq!(s["programs_sequence"], 2, "{s}");
    let t = op
        .get(&format!("/api/v1/stations/{STATION}/programs"))
        .json();
    assert_eq!(t["applied_sequence"], 2, "{t}");
    assert!(
        t["station_error"].as_str().unwrap().contains("rieng"),
        "{t}"
    );
    back_in_sync(&mut admin);

    // Invalid programs, signed with the hub's key (a hub the API did not guard).
    let (doc, sig) = sign_as_hub(
        &hub,
        &header(4, None),
        "[[program]]\nid = \"hong\"\nat = [\"25:00\"]\nplay = [\"a.wav\"]\n",
    );
    serve(&hub, doc.as_bytes(), sig.as_bytes());
    refused(&mut admin, "invalid programs", "programs have errors");
    back_in_sync(&mut admin);

    // A stale play now (issued an hour ago): the programs apply, the command does not air.
    let stale = loa::feed::programs::Command {
        action: loa::feed::programs::Action::Play,
        target: Some("b.wav".into()),
        priority: Some(60),
        by: "vh".into(),
        issued_at: (Utc::now() - TimeDelta::hours(1)).to_rfc3339(),
    };
    let (doc, sig) = sign_as_hub(&hub, &header(5, Some(stale)), &keep);
    serve(&hub, doc.as_bytes(), sig.as_bytes());
    let s = wait_beat(&mut admin, "a stale command reported", |s| {
        s["programs_error"]
            .as_str()
            .is_some_and(|e| e.contains("was not executed"))
    });
    assert_eq!(s["programs_sequence"], 5, "{s}");

    // Through it all, sequence 2's program airs at its instant; nothing else did.
    st.wait_for(Duration::from_secs(60), "hub-b", |r| {
        r.iter()
            .any(|x| x["event"] == "outcome" && x["program"] == "hub-b")
    });
    assert_eq!(st.outcomes("hub-b")[0]["outcome"], "aired");
    assert!(st.outcomes("play").is_empty(), "the stale play now aired");
    assert!(st.outcomes("hong").is_empty());
    let rec = Recording::read_wav(&st.wav_path());
    let on = rec.onsets(0.02, Duration::from_millis(500));
    assert_eq!(on.len(), 1, "only hub-b aired: {on:?}");
    assert!(late_ms(on[0], at).abs() < 300.0);
    let log = log_of(&d);
    assert!(log.contains("timetable refused"), "{log}");
}

#[test]
fn an_edit_made_while_the_station_is_off_applies_when_it_is_back_and_survives_a_hub_outage() {
    let Setup {
        mut hub,
        mut admin,
        mut op,
        st,
    } = setup(Backend::Sqlite);
    // Published while the station was never started: the hub says it waits.
    let r = put(
        &mut op,
        STATION,
        &program(&st, "hub-toi", Utc::now() + TimeDelta::hours(2), "a.wav"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let t = op
        .get(&format!("/api/v1/stations/{STATION}/programs"))
        .json();
    assert_eq!(t["sequence"], 1);
    assert!(t["applied_sequence"].is_null(), "{t}");
    let mut d = st.spawn();
    wait_beat(&mut admin, "applied on return", |s| {
        s["programs_sequence"] == 1
    });
    d.term();
    // Offline again: a second edit waits for it.
    let at = whole_second_in(12);
    let r = put(&mut op, STATION, &program(&st, "hub-sau", at, "a.wav"));
    assert_eq!(r.status, 200);
    let mut d = st.spawn();
    wait_beat(&mut admin, "the offline edit applied", |s| {
        s["programs_sequence"] == 2
    });
    d.term();
    // The hub goes down; the station restarts and airs the stored timetable.
    hub.stop();
    let d = st.spawn();
    st.wait_for(
        Duration::from_secs(30),
        "hub-sau from the stored document",
        |r| {
            r.iter()
                .any(|x| x["event"] == "outcome" && x["program"] == "hub-sau")
        },
    );
    assert_eq!(
        st.outcomes("hub-sau")[0]["outcome"],
        "aired",
        "{}",
        d.stderr()
    );
    let rec = Recording::read_wav(&st.wav_path());
    let on = rec.onsets(0.02, Duration::from_millis(500));
    assert!(on.iter().any(|t| late_ms(*t, at).abs() < 300.0), "{on:?}");
    // `loa agenda` and `loa check` see the hub's timetable too; a clash is an error there.
    let o = st.cmd(&["agenda", "--json", "--days", "2"]);
    let agenda = String::from_utf8_lossy(&o.stdout);
    assert!(agenda.contains("\"hub-sau\""), "{agenda}");
    let o = st.cmd(&["check"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("from the hub's timetable (sequence 2)"),
        "{out}"
    );
    let own = program(&st, "hub-sau", Utc::now() + TimeDelta::hours(6), "a.wav");
    config(&st, &own);
    let o = st.cmd(&["check"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("\"hub-sau\" is both in the hub's timetable and in the station's config file"),
        "{err}"
    );
}

fn api_checks(backend: Backend) {
    let Setup {
        mut hub,
        mut admin,
        mut op,
        st,
    } = setup(backend);
    station_add(&hub, "khac", "22936");
    let mut other = operator(&hub, "vh2", "khac", "mk-van-hanh-2");
    // The station's heartbeat lists its clip files (as `loa run` sends it).
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(st.path("state/hub.json")).unwrap()).unwrap();
    let token = creds["token"].as_str().unwrap().to_string();
    let r = hub.client().request(
        "POST",
        &format!("/api/v1/stations/{STATION}/heartbeat"),
        &[
            ("Authorization", &format!("Bearer {token}")),
            ("Content-Type", "application/json"),
        ],
        json!({"on_air": null, "version": "0.1.0", "uptime_s": 1, "clock": Utc::now().to_rfc3339(),
               "disk_free_bytes": 1, "errors": [], "local_clips": ["a.wav", "b.wav"]})
        .to_string()
        .as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // 422: every problem at its line:col, the loa check messages; nothing stored.
    let bad = "[[program]]\nid = \"sang\"\nat = [\"25:00\"]\nplay = [\"khong-co.ogg\", { clip = \"khong-co\" }, { stream = \"rtsp://vov.vn/1\", duration = \"5m\" }]\n\n[output]\nvolume = 1\n";
    let r = put(&mut op, STATION, bad);
    assert_eq!(r.status, 422, "{}", r.text());
    let v = r.json();
    let diags: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    let has = |pre: &str, word: &str| diags.iter().any(|d| d.starts_with(pre) && d.contains(word));
    assert!(has("3:7: ", "25:00"), "{diags:?}");
    assert!(has("4:9: ", "khong-co.ogg"), "{diags:?}");
    assert!(has("4:", "\"khong-co\""), "{diags:?}");
    assert!(has("4:", "http"), "{diags:?}");
    assert!(has("6:2: ", "only [[program]]"), "{diags:?}");
    assert!(v["reason"]
        .as_str()
        .unwrap()
        .contains("lịch phát sóng có lỗi"));
    let t = op
        .get(&format!("/api/v1/stations/{STATION}/programs"))
        .json();
    assert_eq!(t["sequence"], 0, "{t}");
    assert!(!feed_doc(&hub, STATION).join("programs.toml").exists());

    // 403: the operator of another station, audited; a viewer too.
    let good = program(&st, "sang", Utc::now() + TimeDelta::hours(1), "a.wav");
    let r = put(&mut other, STATION, &good);
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.json()["reason_en"]
        .as_str()
        .unwrap()
        .contains("operator of station"));
    let r = other.post_json(
        &format!("/api/v1/stations/{STATION}/play"),
        &json!({"target": "sang"}),
    );
    assert_eq!(r.status, 403);
    let r = other.post_json(&format!("/api/v1/stations/{STATION}/stop"), &json!({}));
    assert_eq!(r.status, 403);
    let actions = audit_actions(&mut admin);
    assert!(
        actions.iter().any(|a| a == "timetable_publish_refused"),
        "{actions:?}"
    );
    assert!(
        actions.iter().any(|a| a == "remote_command_refused"),
        "{actions:?}"
    );
    // Bad commands: a path, a priority over an operator's.
    for body in [
        json!({"target": "/etc/passwd"}),
        json!({"target": "../x.wav"}),
        json!({"target": "sang", "priority": 100}),
        json!({"priority": 10}),
    ] {
        let r = op.post_json(&format!("/api/v1/stations/{STATION}/play"), &body);
        assert_eq!(r.status, 400, "{body}: {}", r.text());
    }
    assert_eq!(put(&mut op, "khong-co", &good).status, 404);

    // The events stream of this station hears the new sequence (LISTEN/NOTIFY on PostgreSQL).
    let events = std::thread::spawn({
        let addr = hub.addr;
        move || read_events(addr, &token, Duration::from_secs(15))
    });
    std::thread::sleep(Duration::from_millis(700));
    let r = put(&mut op, STATION, &good);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["sequence"], 1);
    let heard = events.join().unwrap();
    assert!(
        heard.contains("event: programs\ndata: {\"sequence\":1}"),
        "{heard}"
    );
    // Another station's publish is not heard on this stream (checked by its absence above).
    // The file verifies with the hub's public key and is bound to this station.
    let (doc, sig) = read_doc(&hub, STATION);
    loa::feed::sign::verify(&doc, std::str::from_utf8(&sig).unwrap(), &hub.public_key).unwrap();
    let h = loa::feed::programs::parse_header(std::str::from_utf8(&doc).unwrap()).unwrap();
    assert_eq!(
        (h.station.as_str(), h.sequence, h.by.as_str()),
        (STATION, 1, "vh")
    );
    // Served at /feed/stations/ID/.
    let r = op.get(&format!("/feed/stations/{STATION}/programs.toml"));
    assert_eq!(r.status, 200);
    assert_eq!(r.body, doc);
    // An admin over the area may publish too; sequence + 1.
    let r = put(&mut admin, STATION, &good);
    assert_eq!(r.json()["sequence"], 2, "{}", r.text());

    // A document file lost from the feed folder is written again at start.
    let header_now = |hub: &Hub| {
        let t = Instant::now();
        loop {
            if let Ok(text) = std::fs::read_to_string(feed_doc(hub, STATION).join("programs.toml"))
            {
                if let Ok(h) = loa::feed::programs::parse_header(&text) {
                    return h;
                }
            }
            assert!(t.elapsed() < Duration::from_secs(15), "no document");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    hub.stop();
    std::fs::remove_file(feed_doc(&hub, STATION).join("programs.toml")).unwrap();
    hub.spawn();
    assert_eq!(header_now(&hub).sequence, 2);
    // One 21 days old is signed again (sequence + 1, by "hub", programs unchanged).
    hub.stop();
    hub.sql("UPDATE timetable_docs SET created_at = created_at - 1814400");
    hub.spawn();
    let t = Instant::now();
    let h = loop {
        let h = header_now(&hub);
        if h.sequence == 3 || t.elapsed() > Duration::from_secs(15) {
            break h;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!((h.sequence, h.by.as_str()), (3, "hub"));
    let mut admin = hub.login("admin", "mat-khau-quan-tri-1");
    let hist = admin
        .get(&format!("/api/v1/stations/{STATION}/programs/history"))
        .json();
    let seqs: Vec<(u64, String)> = hist
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["sequence"].as_u64().unwrap(),
                d["created_by"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        seqs,
        vec![(3, "hub".into()), (2, "admin".into()), (1, "vh".into())],
        "{hist}"
    );
    let mut op = hub.login("vh", "mk-van-hanh-1");
    let t = op
        .get(&format!("/api/v1/stations/{STATION}/programs"))
        .json();
    assert_eq!(t["sequence"], 3, "{t}");
    assert!(t["toml"].as_str().unwrap().contains("\"sang\""), "{t}");
}

/// Read an events stream until `limit`, returning what came.
fn read_events(addr: std::net::SocketAddr, token: &str, limit: Duration) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    write!(
        s,
        "GET /api/v1/stations/{STATION}/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut r = BufReader::new(s);
    let mut out = String::new();
    let t = Instant::now();
    while t.elapsed() < limit {
        let mut line = String::new();
        match r.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => {
                out.push_str(&line.replace('\r', ""));
                if out.contains("event: programs") && out.ends_with("\n\n") {
                    break;
                }
            }
            Err(_) => continue,
        }
    }
    out
}

#[test]
fn the_api_checks_scopes_and_nudges_sqlite() {
    api_checks(Backend::Sqlite);
}

#[test]
fn the_api_checks_scopes_and_nudges_postgres() {
    api_checks(Backend::Postgres);
}

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
