//! Refusals read as refusals, in Vietnamese, without server paths: play now
//! of a target the station does not have is refused by the hub (422, nothing
//! signed or sent); a command the station itself refuses (its
//! `programs_error_msg`) shows on the station's page as "Đài từ chối lệnh"
//! with the station's reason rendered from its code, never its folder.

use super::*;

fn sequence(c: &mut Client) -> Value {
    c.get(&format!("/api/v1/stations/{STATION}/programs"))
        .json()["sequence"]
        .clone()
}

#[test]
fn a_play_now_target_the_station_lacks_is_refused_and_a_station_refusal_reads_in_vietnamese() {
    let Setup {
        hub,
        mut admin,
        mut op,
        st,
    } = setup(Backend::Sqlite);
    let _d = st.spawn();
    // Online: a heartbeat with the station's files (a.wav, b.wav) and own programs.
    wait_beat(&mut admin, "a heartbeat", |s| s["online"] == true);
    let keep = program(&st, "hub-a", Utc::now() + TimeDelta::hours(3), "a.wav");
    assert_eq!(put(&mut op, STATION, &keep).status, 200);
    wait_beat(&mut admin, "sequence 1", |s| s["programs_sequence"] == 1);

    // The API: 422 naming the target, nothing issued.
    let r = op.post_json(
        &format!("/api/v1/stations/{STATION}/play"),
        &json!({"target": "khong-co"}),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    let j = r.json();
    let reason = j["reason"].as_str().unwrap();
    assert!(reason.starts_with("Đài không có"), "{j}");
    assert!(reason.contains("«khong-co»"), "{j}");
    assert!(
        j["reason_en"]
            .as_str()
            .unwrap()
            .contains("Nothing was sent"),
        "{j}"
    );
    assert_eq!(sequence(&mut op), 1, "nothing was signed");
    // The page form: the same refusal on the page, nothing sent.
    let r = common::pages::form(
        &mut op,
        &format!("/stations/{STATION}/play"),
        "target=khong-co&priority=",
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.text()
            .contains("Đài không có chương trình, tệp hay bản tin nào tên «khong-co»"),
        "{}",
        r.text()
    );
    assert_eq!(sequence(&mut op), 1, "nothing was signed");
    assert!(!audit_actions(&mut admin).iter().any(|a| a == "remote_play"));
    // What the station has is accepted: a program (own or the hub's) and a
    // file by name or without its extension are not refused by the hub.
    let r = op.post_json(&format!("/api/v1/stations/{STATION}/stop"), &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());

    // The station refuses that stop (nothing on air): a command refusal, in Vietnamese.
    let s = wait_beat(&mut admin, "the stop refused", |s| {
        s["programs_error_msg"]["code"] == "station-cmd-stop-nothing"
    });
    assert_eq!(s["programs_error_msg"]["args"]["by"], "vh", "{s}");
    let page = op.get(&format!("/stations/{STATION}/programs")).text();
    assert!(page.contains("Đài từ chối lệnh"), "{page}");
    assert!(
        page.contains("Lệnh dừng phát của vh không có tác dụng: đài không phát gì."),
        "{page}"
    );

    // A play now the hub let through but the station does not have (as an
    // older hub would send it): the station's refusal names no folder.
    let seq = sequence(&mut op).as_u64().unwrap() + 1;
    let cmd = loa::feed::programs::Command {
        action: loa::feed::programs::Action::Play,
        target: Some("khong-co".into()),
        priority: None,
        by: "vh".into(),
        issued_at: Utc::now().to_rfc3339(),
    };
    let (doc, sig) = sign_as_hub(&hub, &header(seq, Some(cmd)), &keep);
    serve(&hub, doc.as_bytes(), sig.as_bytes());
    let s = wait_beat(&mut admin, "the play now refused", |s| {
        s["programs_error_msg"]["code"] == "station-cmd-play-unknown"
    });
    // The station's English text names no folder either; the page never shows it.
    assert!(
        s["programs_error"]
            .as_str()
            .unwrap()
            .contains("is not a program"),
        "{s}"
    );
    let page = op.get(&format!("/stations/{STATION}/programs")).text();
    assert!(page.contains("Đài từ chối lệnh"), "{page}");
    assert!(!page.contains("Đài từ chối lịch"), "{page}");
    assert!(
        page.contains("Lệnh phát ngay «khong-co» của vh bị từ chối: đài không có chương trình hay tệp nào tên «khong-co»."),
        "{page}"
    );
    let dir = st.dir.path().to_string_lossy().to_string();
    let text = s["programs_error"].as_str().unwrap();
    assert!(!text.contains(&dir) && !text.contains("/tmp"), "{s}");
    assert!(
        !page.contains(&dir) && !page.contains("/tmp"),
        "a server path on the page: {page}"
    );
    assert!(
        !page.contains("is not a program"),
        "English on the Vietnamese page: {page}"
    );
    // The stations page shows the same refusal, rendered.
    let list = op.get("/stations").text();
    assert!(!list.contains("/tmp"), "{list}");
}
