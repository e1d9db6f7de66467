//! The stations and reports pages over plain HTTP against a real
//! `loa hub run`, with stations driven straight over the station API
//! (common::fake_station): the list (online/offline, on air, last heartbeat,
//! feed, errors, clock offset, chain state, filters by area and state), a
//! station's page (today's as-run, a flagged chain break), scope (a viewer or
//! operator of another area sees neither the station nor its report), a
//! `<script>` station name shown as text, and the report's exports: CSV
//! (UTF-8 with BOM) and XLSX (read back with calamine), Vietnamese intact.

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use common::fake_station::{today_at, FakeStation};
use common::hub::{Client, Hub, Resp};
use common::pages::{setup, upload};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const XSS: &str = "<script>alert('x')</script>";

/// A hub with three stations: `tram-a` (Xã Phước Dinh, on air, errors, a
/// clock 3 h fast, two lines today), `tram-x` (a `<script>` name, Xã Phước
/// Diêm, a broken chain, never a heartbeat), `tram-kh` (Khánh Hòa).
fn world() -> Hub {
    world_and_kh().0
}

/// The world, and tram-kh's station side (its token) for more heartbeats.
fn world_and_kh() -> (Hub, FakeStation) {
    let hub = setup();
    hub.add_user("xem", "viewer", "58", "mat-khau-xem-bao-cao");
    hub.add_user("xem-kh", "viewer", "56", "mat-khau-xem-khanh-hoa");
    hub.add_user("vanhanh", "operator", "56", "mat-khau-van-hanh");
    let mut editor = hub.login("bientap", "mat-khau-bien-tap");
    upload(&mut editor, &hub, "Bản tin thời sự");
    let sha = hub.sql("SELECT sha256 FROM clips").trim().to_string();
    assert_eq!(sha.len(), 64, "{sha}");

    let mut a = FakeStation::enrol(&hub, "tram-a", "Đài xã Phước Dinh", "22936");
    a.beat(
        &hub,
        Some(("thoi-su", "Bản tin thời sự")),
        0,
        &["ổ đĩa gần đầy"],
        3 * 3600 + 5,
    );
    a.aired(
        &hub,
        ("thoi-su", "Bản tin thời sự sáng"),
        today_at(5, 0),
        "aired",
        150.0,
        &sha,
    );
    a.aired(
        &hub,
        ("thoi-su", "Bản tin thời sự trưa"),
        today_at(11, 0),
        "missed",
        0.0,
        &sha,
    );

    let x = FakeStation::enrol(&hub, "tram-x", XSS, "22939");
    let good = x.outcome_line("p", "Tin đầu", today_at(6, 0), "aired", 60.0, &sha);
    assert_eq!(x.upload(&hub, std::slice::from_ref(&good)).status, 200);
    // A line whose `prev` is not the line before: refused and flagged.
    let bad = x.outcome_line("p", "Tin sửa", today_at(7, 0), "aired", 60.0, &sha);
    let r = x.upload(&hub, &[bad]);
    assert_eq!(r.status, 409, "{}", r.text());

    let kh = FakeStation::enrol(&hub, "tram-kh", "Đài phường Lộc Thọ", "22333");
    kh.beat(&hub, None, 0, &[], 0);
    let (code, out, err) = hub.cmd(
        &[
            "hub",
            "user",
            "add",
            "vh-kh",
            "--role",
            "operator",
            "--areas",
            "56",
            "--stations",
            "tram-kh",
            "--password-stdin",
            "--json",
        ],
        Some("mat-khau-van-hanh-kh"),
    );
    assert_eq!(code, Some(0), "{out} {err}");
    (hub, kh)
}

fn cards(html: &str) -> Vec<String> {
    html.split("class=\"card station\" data-id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn stations_list_and_page_show_status_in_scope() {
    let hub = world();
    let mut v = hub.login("xem", "mat-khau-xem-bao-cao");
    let r = v.get("/stations");
    assert_eq!(r.status, 200, "{}", r.text());
    let t = r.text();
    assert_eq!(cards(&t), ["tram-a", "tram-x"], "scope 58 only");
    assert!(
        t.contains("href=\"/stations\"") && t.contains("href=\"/reports\""),
        "navigation"
    );
    assert!(t.contains("trực tuyến") && t.contains("mất kết nối"));
    assert!(t.contains("đang phát") && t.contains("Bản tin thời sự"));
    assert!(t.contains("ổ đĩa gần đầy"));
    assert!(t.contains("+3 h 0 min"), "clock offset shown");
    assert!(t.contains("Xã Phước Dinh (22936)"));
    // The `<script>` name is text, not markup.
    assert!(!t.contains(XSS));
    assert!(t.contains("&lt;script&gt;alert('x')&lt;/script&gt;"));
    assert!(
        !t.contains("src=\"http") && !t.contains("href=\"http"),
        "no outside asset"
    );

    // Filters: by area and by online/offline.
    assert_eq!(cards(&v.get("/stations?area=22939").text()), ["tram-x"]);
    assert_eq!(
        cards(&v.get("/stations?area=589").text()),
        ["tram-a", "tram-x"]
    );
    assert_eq!(cards(&v.get("/stations?state=online").text()), ["tram-a"]);
    assert_eq!(cards(&v.get("/stations?state=offline").text()), ["tram-x"]);

    // One station: status and today's as-run, chain intact.
    let r = v.get("/stations/tram-a");
    assert_eq!(r.status, 200);
    let t = r.text();
    assert!(t.contains("Nhật ký phát sóng"));
    assert!(t.contains("Bản tin thời sự sáng") && t.contains("Bản tin thời sự trưa"));
    assert!(t.contains("đã phát") && t.contains("bỏ lỡ"));
    assert!(t.contains("data-ok=\"true\""));
    assert!(t.contains("/reports?station=tram-a"));
    // Another day has nothing.
    let r = v.get("/stations/tram-a?day=2020-01-01");
    assert!(r.text().contains("id=\"asrun-empty\""));

    // The broken chain is shown plainly.
    let t = v.get("/stations/tram-x").text();
    assert!(
        t.contains("data-ok=\"false\"") && t.contains("bị đứt chuỗi"),
        "{t}"
    );
    assert!(
        t.contains("Tin đầu") && !t.contains("Tin sửa"),
        "the refused line is not merged"
    );
    assert!(!t.contains(XSS));

    // Outside the scope: neither in the list nor by its page (404, no hint).
    for (name, pw) in [
        ("xem-kh", "mat-khau-xem-khanh-hoa"),
        ("vh-kh", "mat-khau-van-hanh-kh"),
    ] {
        let mut o = hub.login(name, pw);
        let t = o.get("/stations").text();
        assert_eq!(cards(&t), ["tram-kh"], "{name}");
        let r = o.get("/stations/tram-a");
        assert_eq!(r.status, 404, "{name}");
        assert!(r.text().contains("Không tìm thấy"));
        assert!(!r.text().contains("Phước Dinh"));
    }
    // An operator of Khánh Hòa with no station of its own: its area only.
    let mut o = hub.login("vanhanh", "mat-khau-van-hanh");
    assert_eq!(cards(&o.get("/stations").text()), ["tram-kh"]);
    assert_eq!(o.get("/stations/tram-x").status, 404);

    // No session: to the sign-in page.
    let r = hub.client().get("/stations/tram-a");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/login?back=/stations/tram-a"));
}

#[test]
fn reports_page_table_chart_and_exports_keep_vietnamese() {
    let hub = world();
    let mut v = hub.login("xem", "mat-khau-xem-bao-cao");
    let r = v.get("/reports");
    assert_eq!(r.status, 200, "{}", r.text());
    let t = r.text();
    assert!(t.contains("id=\"summary\""));
    assert!(
        t.contains("<svg") && t.contains("Phút phát theo xã"),
        "chart inline"
    );
    assert!(
        t.contains("Đài xã Phước Dinh · "),
        "a bar per commune and week"
    );
    assert!(t.contains("data-category=\"tin-tuc\""), "per category");
    assert!(
        t.contains("id=\"chain-break\""),
        "a broken chain is said in the report"
    );
    assert!(!t.contains(XSS) && !t.contains("<script"));
    assert!(t.contains("format=csv") && t.contains("format=xlsx"));
    // tram-a: 2 scheduled, 1 aired, 1 missed, 2.5 minutes, 50 %.
    let row = t
        .split("data-station=\"tram-a\" data-category=\"*\"")
        .nth(1)
        .unwrap();
    let row = row.split("</tr>").next().unwrap();
    for want in [">2.5<", ">2<", ">1<", ">50 %<"] {
        assert!(row.contains(want), "{want} in {row}");
    }

    // A station filter and an empty range.
    let t = v.get("/reports?station=tram-x").text();
    assert!(!t.contains("data-station=\"tram-a\""));
    assert!(v
        .get("/reports?from=2020-01-01&to=2020-01-31")
        .text()
        .contains("id=\"no-data\""));
    // A bad date: a readable 400 page.
    let r = v.get("/reports?from=hom-qua");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("YYYY-MM-DD"));
    // Another area's viewer gets nothing of 58's stations.
    let mut o = hub.login("xem-kh", "mat-khau-xem-khanh-hoa");
    let t = o.get("/reports?station=tram-a").text();
    assert!(
        t.contains("id=\"no-data\"") && !t.contains("Phước Dinh"),
        "{t}"
    );

    // CSV: UTF-8 with a BOM, Vietnamese intact.
    let r = v.get("/api/v1/reports/asrun?station=tram-a&format=csv");
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM");
    let csv = String::from_utf8(r.body.clone()).expect("UTF-8");
    assert!(csv.contains("Đài xã Phước Dinh"));
    assert!(csv.contains("Bản tin thời sự sáng") && csv.contains("Bản tin thời sự trưa"));
    assert_eq!(csv.lines().count(), 3, "{csv}");

    // XLSX: read back by a library; both sheets, typed cells, Vietnamese intact.
    let r = v.get("/api/v1/reports/asrun?format=xlsx");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert!(r.header("content-disposition").unwrap().contains(".xlsx"));
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(r.body.clone())).expect("an XLSX");
    assert_eq!(wb.sheet_names(), ["Tổng hợp", "Chi tiết"]);
    let rows: Vec<Vec<Data>> = wb
        .worksheet_range("Chi tiết")
        .unwrap()
        .rows()
        .map(|r| r.to_vec())
        .collect();
    assert_eq!(
        rows.len(),
        4,
        "header + 2 lines of tram-a + 1 of tram-x: {rows:?}"
    );
    assert_eq!(rows[0][1], Data::String("tên trạm / station name".into()));
    let a: Vec<&Vec<Data>> = rows
        .iter()
        .filter(|r| r[0] == Data::String("tram-a".into()))
        .collect();
    assert_eq!(a.len(), 2);
    assert_eq!(a[0][1], Data::String("Đài xã Phước Dinh".into()));
    assert_eq!(a[0][4], Data::String("Bản tin thời sự sáng".into()));
    assert_eq!(a[0][6], Data::String("aired".into()));
    assert_eq!(a[0][7], Data::Float(2.5));
    assert_eq!(a[1][6], Data::String("missed".into()));
    assert!(
        rows.iter().any(|r| r[1] == Data::String(XSS.into())),
        "names kept verbatim as text"
    );
    assert!(
        rows.iter().any(|r| r[9] == Data::Bool(true)),
        "the chain break is a column"
    );
    let sum: Vec<Vec<Data>> = wb
        .worksheet_range("Tổng hợp")
        .unwrap()
        .rows()
        .map(|r| r.to_vec())
        .collect();
    let total = sum
        .iter()
        .find(|r| {
            r[0] == Data::String("tram-a".into()) && r[1] == Data::String("(tất cả / all)".into())
        })
        .expect("tram-a's total row");
    assert_eq!(
        total[2..8],
        [
            Data::Float(2.5),
            Data::Float(2.0),
            Data::Float(1.0),
            Data::Float(1.0),
            Data::Float(0.0),
            Data::Float(50.0)
        ]
    );

    // Another area's viewer: an XLSX with the header only.
    let r = o.get("/api/v1/reports/asrun?format=xlsx");
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(r.body.clone())).unwrap();
    assert_eq!(wb.worksheet_range("Chi tiết").unwrap().rows().count(), 1);
    // An unknown format is refused, naming the ones offered.
    let r = v.get("/api/v1/reports/asrun?format=ods");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("xlsx"));
    // Without a session: 401, nothing.
    assert_eq!(
        hub.client().get("/api/v1/reports/asrun?format=xlsx").status,
        401
    );
}

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
        page.text().contains("Hub chưa gửi lịch nào"),
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
    assert!(r.text().contains("name=\"i1.value\""), "{}", r.text());
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
    assert!(page.contains("id=\"tt-seq\">1<"), "{page}");
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
    let r = post_urlencoded(&mut op, "/stations/tram-kh/stop", &[]);
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
