//! On the air: a published timetable airs and play now / stop reach the air;
//! bad documents are refused with the old timetable airing; an edit made
//! while the station is off applies when it is back.

use super::*;

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
