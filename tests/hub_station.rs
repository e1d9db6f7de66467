//! End to end: a real station (`loa run --output wav:`) whose `[feed]` points
//! at a real hub's `/feed/manifest.json` with the hub's public key — no other
//! change on the station — airs a clip approved on the hub in its category
//! program, and an emergency broadcast approved on the hub at its instant.
//! Checked in the recording, as tests/feed.rs does for `loa publish`.

mod common;

use std::time::Duration;

use chrono::TimeDelta;
use common::hub::{Backend, Hub};
use common::*;
use serde_json::json;

#[test]
fn a_station_following_the_hub_airs_approved_clips_and_an_emergency_at_its_instant() {
    let hub = Hub::start(Backend::Sqlite);
    hub.add_user("bt-thuan-nam", "editor", "589", "mk-bien-tap-589");
    hub.add_user("duyet-58", "approver", "58", "mk-phe-duyet-58");
    let mut ed = hub.login("bt-thuan-nam", "mk-bien-tap-589");
    let mut ap = hub.login("duyet-58", "mk-phe-duyet-58");

    let st = Station::new();
    write_tone(&st.path("cchc.wav"), 660.0, 1.0, 0.5);
    write_tone(&st.path("bao.wav"), 880.0, 1.0, 0.5);
    // A clip for Phước Dinh (inside district 589) and one that is not for it.
    for (id, file, areas) in [
        ("cchc-1", "cchc.wav", "22936"),
        ("khac-xa", "cchc.wav", "22939"),
        ("bao-so-9", "bao.wav", "589"),
    ] {
        let data = std::fs::read(st.path(file)).unwrap();
        let cat = if id == "bao-so-9" { "khan-cap" } else { "cchc" };
        let r = ed.post_form(
            "/api/v1/clips",
            &[
                ("id", id),
                ("title", "Thông báo"),
                ("category", cat),
                ("areas", areas),
            ],
            Some((file, &data)),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        let r = ap.post_json(&format!("/api/v1/clips/{id}/approve"), &json!({}));
        assert_eq!(r.status, 200, "{}", r.text());
    }

    let a = whole_second_in(8);
    let cfg = format!(
        "[station]\nname = \"Đài truyền thanh xã Phước Dinh\"\nareas = [\"58\", \"589\", \"22936\"]\ntimezone = \"{tz}\"\n\n\
         [output]\ndevice = \"null\"\nwarmup = \"1s\"\n\n[paths]\nclips = \"audio\"\nstate = \"state\"\n\n\
         [feed]\nurl = \"{url}/feed/manifest.json\"\npublic_key = \"{key}\"\nevery = \"1s\"\n\n\
         [[program]]\nid = \"cchc\"\nat = [\"{at}\"]\nplay = [{{ category = \"cchc\", count = 2 }}]\n",
        tz = st.tz,
        url = hub.url,
        key = hub.public_key,
        at = st.local_hms(a),
    );
    std::fs::write(st.config_path(), cfg).unwrap();
    let mut d = st.spawn();
    std::thread::sleep(Duration::from_millis(1500));
    // The emergency is proposed and approved while the station runs.
    let b = a + TimeDelta::seconds(4);
    let r = ed.post_json(
        "/api/v1/broadcasts",
        &json!({"id": "khan", "title": "Khẩn cấp: bão số 9", "at": b.to_rfc3339(), "play": ["bao-so-9"], "priority": 100, "areas": ["589"]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = ap.post_json("/api/v1/broadcasts/khan/approve", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());

    st.wait_for(Duration::from_secs(25), "both aired", |r| {
        r.iter().filter(|x| x["outcome"] == "aired").count() == 2
    });
    d.term();
    let cchc = &st.outcomes("cchc")[0];
    let items = cchc["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only the clip for this commune: {cchc}");
    assert_eq!(items[0]["name"], "cchc-1", "{cchc}");
    let push = &st.outcomes("push-khan")[0];
    assert_eq!(push["outcome"], "aired", "{push}");
    let rec = Recording::read_wav(&st.wav_path());
    let on = rec.onsets(0.02, Duration::from_millis(500));
    assert_eq!(on.len(), 2, "{on:?}");
    for (got, want) in on.iter().zip([a, b]) {
        let late = late_ms(*got, want);
        assert!(late.abs() <= 50.0, "{late} ms from its instant");
    }
}

fn add_station(hub: &Hub, id: &str) -> String {
    let (code, out, err) = hub.cmd(
        &[
            "hub", "station", "add", id, "--name", id, "--areas", "22936", "--json",
        ],
        None,
    );
    assert_eq!(code, Some(0), "{out} {err}");
    serde_json::from_str::<serde_json::Value>(out.trim()).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string()
}

fn phone_m4a(st: &Station) -> Vec<u8> {
    write_tone(&st.path("src.wav"), 550.0, 1.0, 0.5);
    let ok = std::process::Command::new("ffmpeg")
        .args(["-loglevel", "error", "-y", "-i"])
        .arg(st.path("src.wav"))
        .args(["-c:a", "aac", "-b:a", "96k"])
        .arg(st.path("phone.m4a"))
        .status()
        .expect("ffmpeg (apt-get install ffmpeg)");
    assert!(ok.success());
    std::fs::read(st.path("phone.m4a")).unwrap()
}

/// Local announcements (issue 12): an operator's M4A for their own station
/// is reviewed by an approver in scope (`operator_clips = "approve"`) or goes
/// straight out (`"direct"`); another station is refused (403, audited); the
/// feed binds it to the station, and of two enrolled stations of the same
/// commune, only that one downloads and airs it.
#[test]
fn a_local_announcement_reaches_only_its_own_station() {
    let mut hub = Hub::start(Backend::Sqlite);
    hub.add_user("duyet-58", "approver", "58", "mk-phe-duyet-58");
    let (c, out, err) = hub.cmd(
        &[
            "hub",
            "user",
            "add",
            "vh-a",
            "--role",
            "operator",
            "--stations",
            "xa-a",
            "--password-stdin",
        ],
        Some("mk-van-hanh-a\n"),
    );
    assert_eq!(c, Some(0), "{out} {err}");
    let codes = [add_station(&hub, "xa-a"), add_station(&hub, "xa-b")];
    let sts = [Station::new(), Station::new()];
    let m4a = phone_m4a(&sts[0]);
    let mut op = hub.login("vh-a", "mk-van-hanh-a");
    let upload = |op: &mut common::hub::Client, id: &str, stations: &str| {
        op.post_form(
            "/api/v1/clips",
            &[
                ("id", id),
                ("title", "Thông báo của xã"),
                ("category", "thong-bao-xa"),
                ("stations", stations),
            ],
            Some(("ghi-am.m4a", &m4a)),
        )
    };
    // Another commune's station: 403 with the reason, in the audit log, nothing stored.
    let r = upload(&mut op, "sai-dai", "xa-b");
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains("xa-b"), "{}", r.text());
    assert!(hub
        .sql("SELECT action FROM audit")
        .contains("clip_upload_refused"));
    assert_eq!(
        hub.sql("SELECT count(*) FROM clips WHERE id = 'sai-dai'")
            .trim(),
        "0"
    );
    // operator_clips = "approve" (default): an approver in scope decides.
    let r = upload(&mut op, "tb-a-1", "xa-a");
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["state"], "submitted");
    assert_eq!(r.json()["stations"], serde_json::json!(["xa-a"]));
    // The upload page offers the operator's own station; a ticked box binds it.
    let form = op.get("/clips/new").text();
    assert!(
        form.contains("id=\"local\"") && form.contains("name=\"station_xa-a\""),
        "{form}"
    );
    let r = op.post_form(
        "/clips/new",
        &[
            ("id", "tb-a-page"),
            ("title", "Thông báo"),
            ("category", "thong-bao-xa"),
            ("lang", "vi"),
            ("station_xa-a", "1"),
        ],
        Some(("ghi-am.m4a", &m4a)),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        hub.sql("SELECT station_id FROM clip_stations WHERE clip_id = 'tb-a-page'")
            .trim(),
        "xa-a"
    );
    let mut ap = hub.login("duyet-58", "mk-phe-duyet-58");
    let r = ap.post_json("/api/v1/clips/tb-a-1/approve", &serde_json::json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    // operator_clips = "direct": out at once.
    hub.stop();
    let cfg = std::fs::read_to_string(hub.config()).unwrap();
    std::fs::write(hub.config(), format!("{cfg}operator_clips = \"direct\"\n")).unwrap();
    hub.spawn();
    let mut op = hub.login("vh-a", "mk-van-hanh-a");
    let r = upload(&mut op, "tb-a-2", "xa-a");
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["state"], "approved", "{}", r.text());
    let m = hub.manifest();
    let bound: Vec<&serde_json::Value> = m["clips"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["stations"] == serde_json::json!(["xa-a"]))
        .collect();
    assert_eq!(bound.len(), 2, "{m}");
    // Another station's timetable cannot name xa-a's announcement.
    hub.add_user("quan-tri-58", "admin", "58", "mk-quan-tri-58");
    let mut admin = hub.login("quan-tri-58", "mk-quan-tri-58");
    let toml = "[[program]]\nid = \"tb\"\nat = [\"07:00\"]\nplay = [{ clip = \"tb-a-2\" }]\n";
    let put = |c: &mut common::hub::Client, st: &str| {
        c.request(
            "PUT",
            &format!("/api/v1/stations/{st}/programs"),
            &[("Content-Type", "application/toml")],
            toml.as_bytes(),
        )
    };
    let r = put(&mut admin, "xa-b");
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("tb-a-2"), "{}", r.text());
    let r = put(&mut admin, "xa-a");
    assert_eq!(r.status, 200, "{}", r.text());

    // Two stations of the same commune follow the hub; each airs its category.
    let at = whole_second_in(12);
    for (st, code) in sts.iter().zip(&codes) {
        std::fs::write(
            st.config_path(),
            format!(
                "[station]\nname = \"Đài xã\"\nareas = [\"58\", \"589\", \"22936\"]\ntimezone = \"{}\"\n\n\
                 [output]\ndevice = \"null\"\nwarmup = \"1s\"\n\n[paths]\nclips = \"audio\"\nstate = \"state\"\n\n\
                 [[program]]\nid = \"xa\"\nat = [\"{}\"]\nplay = [{{ category = \"thong-bao-xa\", count = 2 }}, {{ silence = \"1s\" }}]\n",
                st.tz,
                st.local_hms(at)
            ),
        )
        .unwrap();
        let o = st.cmd(&["enroll", &hub.url, code]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let o = st.cmd(&["sync"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let sha = hub
        .sql("SELECT sha256 FROM clips WHERE id = 'tb-a-1'")
        .trim()
        .to_string();
    let holds = |st: &Station| {
        common::hub::files_under(&st.path("state"))
            .iter()
            .any(|p| p.to_string_lossy().contains(&sha))
    };
    assert!(holds(&sts[0]), "station xa-a downloaded its announcement");
    assert!(
        !holds(&sts[1]),
        "station xa-b must not download xa-a's announcement"
    );
    let mut ds: Vec<_> = sts.iter().map(|s| s.spawn()).collect();
    for st in &sts {
        st.wait_for(Duration::from_secs(25), "the program's outcome", |r| {
            r.iter()
                .any(|x| x["event"] == "outcome" && x["program"] == "xa")
        });
    }
    for d in &mut ds {
        d.term();
    }
    let names = |st: &Station| -> Vec<String> {
        st.outcomes("xa")[0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let a = names(&sts[0]);
    // (Both uploads are the same recording: one stored file, aired once.)
    assert!(
        a.iter().any(|n| n.starts_with("tb-a")),
        "xa-a did not air its announcement: {a:?}"
    );
    let b = names(&sts[1]);
    assert!(
        !b.iter().any(|n| n.starts_with("tb-a")),
        "xa-b aired xa-a's announcement: {b:?}"
    );
}
