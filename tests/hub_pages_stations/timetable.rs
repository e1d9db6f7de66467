//! A station's timetable pages: the editor's checks beside the fields,
//! publish, play now / stop, scope, and the week picture drawn in the
//! station's time with its quiet hours and own programs.

use super::*;

fn form_body(pairs: &[(&str, &str)]) -> Vec<u8> {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

fn post_urlencoded(
    c: &mut common::hub::Client,
    path: &str,
    pairs: &[(&str, &str)],
) -> common::hub::Resp {
    c.request(
        "POST",
        path,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &form_body(pairs),
    )
}

/// The programs editor over HTTP: an operator adds a program (row buttons
/// work without JavaScript), a bad time comes back 422 beside its field and
/// publishes nothing, a good one is published (sequence + 1) and shown in the
/// week picture with "waiting" until the station's heartbeat says applied;
/// play now / stop are signed; another commune's operator gets 403.
#[test]
fn timetable_pages_edit_publish_and_scope() {
    let (hub, kh) = world_and_kh();
    let mut op = hub.login("vh-kh", "mat-khau-van-hanh-kh");
    let page = op.get("/stations/tram-kh/programs");
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(
        page.text().contains("Hệ thống chưa gửi lịch nào"),
        "{}",
        page.text()
    );
    // "+ Thêm mục" re-shows the form with one more row (no JavaScript).
    let r = post_urlencoded(
        &mut op,
        "/stations/tram-kh/programs/edit",
        &[
            ("id", "sang"),
            ("when", "at"),
            ("at", "05:00"),
            ("i0.kind", "category"),
            ("i0.value", "thoi-su"),
            ("op", "add-item"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("name=\"i1.category\""), "{}", r.text());
    assert!(r.text().contains("value=\"thoi-su\""));
    // A time that does not exist: 422, the message beside "Giờ phát", nothing published.
    let bad = [
        ("base", "0"),
        ("id", "sang"),
        ("title", "Bản tin sáng"),
        ("when", "at"),
        ("at", "25:00"),
        ("days", "mon"),
        ("days", "tue"),
        ("i0.kind", "category"),
        ("i0.value", "thoi-su"),
        ("i0.count", "2"),
        ("i1.kind", "stream"),
        ("i1.value", "ftp://radio/x"),
        ("i1.duration", "5m"),
        ("op", "save"),
    ];
    let r = post_urlencoded(&mut op, "/stations/tram-kh/programs/edit", &bad);
    assert_eq!(r.status, 422, "{}", r.text());
    let html = r.text();
    assert!(html.contains("data-field=\"at\""), "{html}");
    assert!(html.contains("Giờ phát"), "{html}");
    assert!(
        html.contains("data-field=\"i1.value\""),
        "the stream URL: {html}"
    );
    assert!(html.contains("value=\"25:00\""), "what was typed is kept");
    assert_eq!(hub.sql("SELECT count(*) FROM timetables").trim(), "0");
    // A good one: published, shown in the week picture, waiting for the station.
    let mut good = bad.to_vec();
    good[4] = ("at", "05:00, 17:30");
    good[11] = ("i1.value", "http://radio.example.vn/vov1");
    let r = post_urlencoded(&mut op, "/stations/tram-kh/programs/edit", &good);
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header("location"),
        Some("/stations/tram-kh/programs?done=published")
    );
    let page = op.get("/stations/tram-kh/programs").text();
    assert!(page.contains("id=\"waiting\""), "{page}");
    assert!(page.contains("data-seq=\"1\""), "{page}");
    assert_eq!(
        page.matches("data-program=\"sang\" data-start").count(),
        4,
        "Mon and Tue, twice a day: {page}"
    );
    assert!(
        page.contains("Đài chưa báo múi giờ, giờ im lặng và lịch riêng"),
        "a station that has not reported its frame: drawn in the hub's: {page}"
    );
    week_frame_from_the_heartbeat(&hub, &kh, &mut op);
    let stored = hub.sql("SELECT toml FROM timetables WHERE station = 'tram-kh'");
    assert!(stored.contains("at = [\"05:00\", \"17:30\"]"), "{stored}");
    assert!(
        stored.contains("{ category = \"thoi-su\", count = 2 }"),
        "{stored}"
    );
    // A stale form (base 0 after sequence 1) is refused, nothing overwritten.
    let r = post_urlencoded(&mut op, "/stations/tram-kh/programs/edit", &good);
    assert_eq!(r.status, 409, "{}", r.text());
    // Play now and stop: signed documents, sequence 2 and 3.
    let r = post_urlencoded(
        &mut op,
        "/stations/tram-kh/play",
        &[("target", "sang"), ("priority", "")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let r = post_urlencoded(&mut op, "/stations/tram-kh/stop", &[("confirm", "yes")]);
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        hub.sql("SELECT max(sequence) FROM timetable_docs WHERE station = 'tram-kh'")
            .trim(),
        "3"
    );
    // Another commune's station (tram-x, same province, not theirs): 403
    // with the reason, on every route; the refused command is audited.
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "user",
            "add",
            "vh-a",
            "--role",
            "operator",
            "--areas",
            "58",
            "--stations",
            "tram-a",
            "--password-stdin",
        ],
        Some("mat-khau-van-hanh-a"),
    );
    assert_eq!(code, Some(0), "{out} {err}");
    let mut other = hub.login("vh-a", "mat-khau-van-hanh-a");
    assert_eq!(other.get("/stations/tram-a/programs").status, 200);
    for r in [
        other.get("/stations/tram-x/programs"),
        other.get("/stations/tram-x/programs/edit"),
        post_urlencoded(&mut other, "/stations/tram-x/programs/edit", &good),
        post_urlencoded(&mut other, "/stations/tram-x/stop", &[]),
    ] {
        assert_eq!(r.status, 403, "{}", r.text());
        assert!(
            r.text().contains("chỉ người vận hành đài tram-x"),
            "{}",
            r.text()
        );
    }
    assert!(hub
        .sql("SELECT action FROM audit")
        .contains("remote_command_refused"));
    // A station that applied no. 1 while no. 2 waits: the page draws both weeks.
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "user",
            "add",
            "vh-moi",
            "--role",
            "operator",
            "--areas",
            "56",
            "--stations",
            "tram-moi",
            "--password-stdin",
        ],
        Some("mat-khau-van-hanh-moi"),
    );
    assert_eq!(code, Some(0), "{out} {err}");
    let moi = common::fake_station::FakeStation::enrol(&hub, "tram-moi", "Đài phường mới", "22333");
    let mut vm = hub.login("vh-moi", "mat-khau-van-hanh-moi");
    let put = |c: &mut common::hub::Client, toml: &str| {
        c.request(
            "PUT",
            "/api/v1/stations/tram-moi/programs",
            &[("Content-Type", "application/toml")],
            toml.as_bytes(),
        )
    };
    assert_eq!(
        put(
            &mut vm,
            "[[program]]\nid = \"cu\"\nat = [\"06:00\"]\nplay = [{ silence = \"5m\" }]\n"
        )
        .status,
        200
    );
    let beat = serde_json::json!({"on_air": null, "next": [], "feed": null, "store": {"clips": 0, "bytes": 0}, "output": {"device": "null", "state": "closed"},
        "version": "0.1.0", "uptime_s": 5, "clock": chrono::Utc::now().to_rfc3339(), "disk_free_bytes": 1_000_000_000u64, "errors": [], "heartbeat_s": 60, "programs_sequence": 1});
    let auth = format!("Bearer {}", moi.token);
    let r = hub.client().request(
        "POST",
        "/api/v1/stations/tram-moi/heartbeat",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &auth),
        ],
        beat.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        put(
            &mut vm,
            "[[program]]\nid = \"moi\"\nat = [\"07:00\"]\nplay = [{ silence = \"5m\" }]\n"
        )
        .status,
        200
    );
    let page = vm.get("/stations/tram-moi/programs").text();
    assert!(page.contains("id=\"waiting\""), "{page}");
    let now = &page[page
        .find("id=\"on-station-week\"")
        .expect("the applied week")..];
    let now = &now[..now.find("</section></section>").unwrap()];
    assert!(
        now.contains("data-program=\"cu\"") && !now.contains("data-program=\"moi\""),
        "{now}"
    );
    let hub_week = &page[..page.find("id=\"on-station-week\"").unwrap()];
    assert!(hub_week.contains("data-program=\"moi\"") && !hub_week.contains("data-program=\"cu\""));

    // Out of their areas altogether: the station is not even shown (404).
    assert_eq!(other.get("/stations/tram-kh/programs").status, 404);
    assert_eq!(
        hub.sql("SELECT count(*) FROM timetables WHERE station = 'tram-x'")
            .trim(),
        "0"
    );
}

/// The station reports its zone, quiet hours and own programs: the picture is
/// drawn in its time, the 17:30 broadcasts inside its quiet hours show
/// skipped, its own programs stand beside the hub's (dotted), and a clash of
/// ids leaves them out with the reason. Bad reports: 400 naming the field.
fn week_frame_from_the_heartbeat(hub: &Hub, kh: &FakeStation, op: &mut Client) {
    let own = "[[program]]\nid = \"rieng\"\nat = [\"06:00\"]\nplay = [\"chuong.ogg\"]\n\n\
               [[program]]\nid = \"trung\"\nat = [\"05:00\"]\ndays = [\"mon\"]\npriority = 5\nplay = [\"chuong.ogg\"]\n";
    let sha = hex::encode(Sha256::digest(own.as_bytes()));
    let r = kh.beat_frame(hub, "Asia/Tokyo", &["17:00-18:00"], own, true);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json()["own_programs_sha256"],
        sha.as_str(),
        "{}",
        r.text()
    );
    // The digest alone (no text) keeps what the hub holds.
    let r = kh.beat_frame(hub, "Asia/Tokyo", &["17:00-18:00"], own, false);
    assert_eq!(
        r.json()["own_programs_sha256"],
        sha.as_str(),
        "{}",
        r.text()
    );
    let page = op.get("/stations/tram-kh/programs").text();
    assert!(
        page.contains("data-tz=\"Asia/Tokyo\" data-quiet=\"17:00-18:00\" data-own=\"2\""),
        "{page}"
    );
    assert_eq!(page.matches("class=\"quiet\"").count(), 7, "{page}");
    assert_eq!(
        page.matches("data-program=\"sang\" data-start").count(),
        4,
        "{page}"
    );
    assert_eq!(
        page.matches("T17:30:00+09:00\" data-decision=\"skipped\"")
            .count(),
        2,
        "{page}"
    );
    assert_eq!(
        page.matches(" own\"").count(),
        8,
        "rieng daily, trung on Monday: {page}"
    );
    assert!(
        page.contains("data-program=\"trung\" data-start=") && page.contains(" d-conflict"),
        "the 05:00 on Monday: the hub's and the station's own in conflict: {page}"
    );
    assert!(!page.contains("id=\"own-left-out\""), "{page}");
    // An own program with the id of one of the hub's: the hub's alone, and why.
    let clash = "[[program]]\nid = \"sang\"\nat = [\"06:00\"]\nplay = [\"chuong.ogg\"]\n";
    let r = kh.beat_frame(hub, "Asia/Tokyo", &[], clash, true);
    assert_eq!(r.status, 200, "{}", r.text());
    let page = op.get("/stations/tram-kh/programs").text();
    assert!(page.contains("id=\"own-left-out\""), "{page}");
    assert!(!page.contains(" own\""), "{page}");
    assert_eq!(
        page.matches("data-program=\"sang\" data-start").count(),
        4,
        "{page}"
    );
    // Refused: a zone that does not exist, a window that is not one, a text
    // that is not what its digest says. The picture keeps the last good report.
    let r = kh.beat_frame(hub, "Asia/Atlantis", &[], own, true);
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("`timezone`"), "{}", r.text());
    let r = kh.beat_frame(hub, "Asia/Tokyo", &["17:00"], own, true);
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("`quiet_hours`"), "{}", r.text());
    let mut body = json!({"version": "0.1.0", "uptime_s": 1, "clock": chrono::Utc::now().to_rfc3339(),
        "disk_free_bytes": 1, "errors": [], "own_programs": own, "own_programs_sha256": "ab".repeat(32)});
    let r = station_post(hub, kh, &body);
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("`own_programs`"), "{}", r.text());
    body["own_programs_sha256"] = json!("not hex");
    let r = station_post(hub, kh, &body);
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("`own_programs_sha256`"), "{}", r.text());
    let page = op.get("/stations/tram-kh/programs").text();
    assert!(
        page.contains("data-tz=\"Asia/Tokyo\" data-quiet=\"\""),
        "{page}"
    );
    assert!(
        page.contains("id=\"own-left-out\""),
        "still the clash: {page}"
    );
}

/// A raw heartbeat body from `st`.
fn station_post(hub: &Hub, st: &FakeStation, body: &Value) -> Resp {
    hub.client().request(
        "POST",
        &format!("/api/v1/stations/{}/heartbeat", st.id),
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &format!("Bearer {}", st.token)),
        ],
        body.to_string().as_bytes(),
    )
}
