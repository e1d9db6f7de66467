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
