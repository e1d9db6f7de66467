//! An as-run chain break acknowledged on a real `loa hub run` (SQLite and
//! PostgreSQL): until an admin acknowledges it, the station's lines are
//! refused; the acknowledgment needs an admin, a note and an open break, and
//! each refusal changes nothing; once acknowledged, the station's next line
//! starts a new stretch (once: a later break is caught again), the break
//! stays on record (`…/asrun/breaks`, the audit log, the station page) and
//! reports flag the station for the days in doubt only.

mod common;

use common::hub::{Backend, Hub};
use common::station_api::{bearer, chain, enroll, hash, line, station_add, station_of};
use serde_json::{json, Value};

fn a_break_is_acknowledged_once_and_stays_on_record(backend: Backend) {
    let mut hub = Hub::start(backend);
    let mut admin = hub.admin("mat-khau-quan-tri-1");
    let code_a = station_add(&hub, "tram-a", "22936");
    let code_b = station_add(&hub, "tram-b", "22936");
    let mut c = hub.client();
    let a = enroll(&mut c, &code_a);
    enroll(&mut c, &code_b);
    let ta = a["token"].as_str().unwrap();
    let path = "/api/v1/stations/tram-a/asrun";
    let send = |c: &mut common::hub::Client, lines: &[String]| {
        bearer(
            c,
            ta,
            path,
            json!({ "lines": lines }).to_string().as_bytes(),
        )
    };

    // Three lines held (20–22 Nov), then an edited line 3: the break.
    let lines = chain(4);
    assert_eq!(send(&mut c, &lines[..3]).status, 200);
    let edited = lines[3].replace("Bản tin 3", "Bản tin sửa");
    let after = line(4, &hash(&edited));
    let r = send(&mut c, std::slice::from_ref(&after));
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(station_of(&mut admin, "tram-a")["chain_break"].is_string());
    // Sending again changes nothing while the break is open.
    assert_eq!(send(&mut c, std::slice::from_ref(&after)).status, 409);

    // Refusals: not an admin, no note, no open break, unknown station.
    let ack = "/api/v1/stations/tram-a/asrun/acknowledge";
    hub.add_user("duyet", "approver,viewer", "22936", "mk-duyet-22936");
    let mut approver = hub.login("duyet", "mk-duyet-22936");
    let r = approver.post_json(ack, &json!({"note": "đã kiểm tra"}));
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.json()["reason_en"].as_str().unwrap().contains("admin"));
    let r = admin.post_json(ack, &json!({"note": "  "}));
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.json()["reason_en"].as_str().unwrap().contains("`note`"));
    let r = admin.post_json(ack, &json!({"reason": "x"}));
    assert_eq!(r.status, 400, "{}", r.text());
    let r = admin.post_json(
        "/api/v1/stations/tram-b/asrun/acknowledge",
        &json!({"note": "x"}),
    );
    assert_eq!(r.status, 409, "no break to acknowledge: {}", r.text());
    let r = admin.post_json(
        "/api/v1/stations/khong-co/asrun/acknowledge",
        &json!({"note": "x"}),
    );
    assert_eq!(r.status, 404, "{}", r.text());
    assert_eq!(
        hub.client().post_json(ack, &json!({"note": "x"})).status,
        401
    );
    assert!(station_of(&mut admin, "tram-a")["chain_break"].is_string());
    assert_eq!(hub.sql("SELECT COUNT(*) FROM asrun_breaks").trim(), "0");
    // The station page offers the form to an admin only.
    let page = admin.get("/stations/tram-a").text();
    assert!(page.contains("id=\"ack\""), "{page}");
    assert!(!approver
        .get("/stations/tram-a")
        .text()
        .contains("id=\"ack\""));

    // Acknowledged (through the page's form), with the reason on record.
    let r = admin.request(
        "POST",
        "/stations/tram-a/acknowledge",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "note=Th%E1%BA%BB+nh%E1%BB%9B+%C4%91%C3%A3+thay".as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/stations/tram-a?done=ack"));
    assert_eq!(station_of(&mut admin, "tram-a")["chain_break"], Value::Null);
    let on_record = admin.get("/api/v1/stations/tram-a/asrun/breaks").json();
    assert_eq!(on_record.as_array().unwrap().len(), 1, "{on_record}");
    assert_eq!(on_record[0]["note"], "Thẻ nhớ đã thay");
    assert_eq!(on_record[0]["acknowledged_by"], "admin");
    assert_eq!(on_record[0]["resumed_hash"], Value::Null);
    assert!(hub
        .sql("SELECT action FROM audit")
        .contains("asrun_break_ack"));
    let r = admin.post_json(ack, &json!({"note": "lần hai"}));
    assert_eq!(r.status, 409, "acknowledged once: {}", r.text());

    // The station's next line starts a new stretch; then the chain goes on.
    let r = send(&mut c, std::slice::from_ref(&after));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["last"], hash(&after));
    let next = line(5, &hash(&after));
    assert_eq!(send(&mut c, std::slice::from_ref(&next)).status, 200);
    let on_record = admin.get("/api/v1/stations/tram-a/asrun/breaks").json();
    assert_eq!(on_record[0]["resumed_hash"], hash(&after));
    assert_eq!(station_of(&mut admin, "tram-a")["asrun_lines"], 5);
    let page = admin.get("/stations/tram-a").text();
    assert!(page.contains("Thẻ nhớ đã thay") && !page.contains("id=\"ack\""));

    // Reports: flagged for the days in doubt (after 22 Nov), not before.
    let flagged = |admin: &mut common::hub::Client, from: &str, to: &str| -> Vec<bool> {
        let r = admin.get(&format!(
            "/api/v1/reports/asrun?from={from}&to={to}&station=tram-a&format=json"
        ));
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["chain_break"].as_bool().unwrap())
            .collect()
    };
    assert_eq!(
        flagged(&mut admin, "2026-11-01", "2026-11-21"),
        [false, false]
    );
    assert!(flagged(&mut admin, "2026-11-01", "2026-11-30")
        .iter()
        .all(|b| *b));

    // The resumption was spent: a later line that does not follow is a new break.
    let stray = line(6, &hash(&lines[0]));
    assert_eq!(send(&mut c, std::slice::from_ref(&stray)).status, 409);
    assert!(station_of(&mut admin, "tram-a")["chain_break"].is_string());
    // Acknowledged again, but the station's next batch follows all along (it
    // had found its place itself): that batch spends the resumption too.
    let r = admin.post_json(ack, &json!({"note": "trạm tự nối lại"}));
    assert_eq!(r.status, 200, "{}", r.text());
    let follows = line(7, &hash(&next));
    assert_eq!(send(&mut c, std::slice::from_ref(&follows)).status, 200);
    let on_record = admin.get("/api/v1/stations/tram-a/asrun/breaks").json();
    assert_eq!(on_record.as_array().unwrap().len(), 2, "{on_record}");
    assert_eq!(on_record[0]["resumed_hash"], hash(&follows));
    assert_eq!(send(&mut c, std::slice::from_ref(&stray)).status, 409);
    assert_eq!(hub.stop(), Some(0));
}

#[test]
fn a_break_is_acknowledged_once_and_stays_on_record_sqlite() {
    a_break_is_acknowledged_once_and_stays_on_record(Backend::Sqlite);
}

#[test]
fn a_break_is_acknowledged_once_and_stays_on_record_postgres() {
    a_break_is_acknowledged_once_and_stays_on_record(Backend::Postgres);
}

/// The real case: lines edited on the box before they were uploaded. The
/// station's every upload is refused (its next line does not follow the
/// edited one) until an admin acknowledges; then, within a heartbeat, the
/// hub holds the station's log as it now is, with the break on record.
#[test]
fn a_real_station_reports_again_once_its_edited_log_is_acknowledged() {
    use chrono::TimeDelta;
    use common::*;
    use std::time::{Duration, Instant};

    let mut hub = Hub::start(Backend::Sqlite);
    let mut admin = hub.admin("mat-khau-quan-tri-1");
    let code = station_add(&hub, "phuoc-dinh", "22936");
    let st = Station::new();
    st.tone("a.wav", 440.0, 1.0);
    let a = whole_second_in(5);
    let prog = |id: &str, t| {
        format!(
            "[[program]]\nid = \"{id}\"\nat = [\"{}\"]\nplay = [\"a.wav\"]\n\n",
            st.local_hms(t)
        )
    };
    std::fs::write(
        st.config_path(),
        format!(
            "[station]\nname = \"Phước Dinh\"\nareas = [\"22936\"]\ntimezone = \"{}\"\n\n\
             [output]\ndevice = \"null\"\nwarmup = \"1s\"\n\n[paths]\nclips = \"audio\"\nstate = \"state\"\n\n\
             [hub]\nheartbeat = \"1s\"\n\n{}{}",
            st.tz,
            prog("p1", a),
            prog("p2", a + TimeDelta::seconds(12)),
        ),
    )
    .unwrap();
    let o = st.cmd(&["enroll", &hub.url, &code]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let log = || std::fs::read_to_string(st.path("state/asrun.jsonl")).unwrap_or_default();
    let held =
        |hub: &Hub| hub.sql("SELECT line FROM asrun WHERE station = 'phuoc-dinh' ORDER BY id");

    // p1 airs and is uploaded; the hub goes away; p2 airs and waits on the box.
    let mut d = st.spawn();
    st.wait_for(Duration::from_secs(20), "p1", |r| {
        r.iter()
            .any(|x| x["event"] == "outcome" && x["program"] == "p1")
    });
    wait_until(Duration::from_secs(10), "p1 uploaded", || {
        held(&hub) == log()
    });
    hub.stop();
    st.wait_for(Duration::from_secs(30), "p2", |r| {
        r.iter()
            .any(|x| x["event"] == "outcome" && x["program"] == "p2")
    });
    d.term();
    // Someone edits p2's on_air line on the box: its outcome line no longer follows.
    let text = log();
    assert_eq!(text.lines().count(), 4);
    let lines: Vec<&str> = text.lines().collect();
    let edited_on_air = lines[2].replacen("\"p2\"", "\"p2-sua\"", 1);
    assert_ne!(edited_on_air, lines[2]);
    let edited = format!(
        "{}\n{}\n{}\n{}\n",
        lines[0], lines[1], edited_on_air, lines[3]
    );
    std::fs::write(st.path("state/asrun.jsonl"), &edited).unwrap();

    hub.spawn();
    let d = st.spawn();
    wait_until(Duration::from_secs(20), "the break flagged", || {
        station_of(&mut admin, "phuoc-dinh")["chain_break"].is_string()
    });
    // Refused again and again: nothing of p2 reaches the hub.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(held(&hub).lines().count(), 2);

    let r = admin.post_json(
        "/api/v1/stations/phuoc-dinh/asrun/acknowledge",
        &json!({"note": "Người vận hành sửa nhật ký; đã nhắc nhở"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let t = Instant::now();
    while held(&hub) != edited {
        assert!(
            t.elapsed() < Duration::from_secs(15),
            "the station's log not taken again:\nhub:\n{}\nstation:\n{edited}\n{}",
            held(&hub),
            d.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let on_record = admin.get("/api/v1/stations/phuoc-dinh/asrun/breaks").json();
    // The stretch restarts at p2's outcome line, the one that did not follow.
    assert_eq!(on_record[0]["resumed_hash"], hash(lines[3]), "{on_record}");
    let s = station_of(&mut admin, "phuoc-dinh");
    assert_eq!(s["chain_break"], Value::Null, "{s}");
    assert_eq!(s["asrun_lines"], 4);
}
