//! The reports page: table, chart, CSV and XLSX exports, scope.

use super::*;

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
        t.contains("Đài xã Phước Dinh · Tuần "),
        "a bar per commune and week"
    );
    assert!(t.contains("data-category=\"tin-tuc\""), "per category");
    assert!(
        t.contains("id=\"chain-break\""),
        "a broken chain is said in the report"
    );
    assert!(!t.contains(XSS) && !t.contains("<script"));
    assert!(t.contains("format=csv") && t.contains("format=xlsx"));
    // tram-a: 2 scheduled, 1 aired, 1 missed, 2,5 minutes (decimal comma), 50 %.
    let row = t
        .split("data-station=\"tram-a\" data-category=\"*\"")
        .nth(1)
        .unwrap();
    let row = row.split("</tr>").next().unwrap();
    for want in [">2,5<", ">2<", ">1<", ">50 %<"] {
        assert!(row.contains(want), "{want} in {row}");
    }

    // A station filter and an empty range.
    let t = v.get("/reports?station=tram-x").text();
    assert!(!t.contains("data-station=\"tram-a\""));
    let t = v.get("/reports?from=2020-01-01&to=2020-01-31").text();
    assert!(t.contains("id=\"no-data\""));
    assert!(t.contains("01/01/2020 – 31/01/2020"), "dd/mm/yyyy: {t}");
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
    assert_eq!(rows[0][1], Data::String("Tên đài".into()));
    let a: Vec<&Vec<Data>> = rows
        .iter()
        .filter(|r| r[0] == Data::String("tram-a".into()))
        .collect();
    assert_eq!(a.len(), 2);
    assert_eq!(a[0][1], Data::String("Đài xã Phước Dinh".into()));
    assert_eq!(a[0][4], Data::String("Bản tin thời sự sáng".into()));
    assert_eq!(a[0][6], Data::String("đã phát".into()));
    assert_eq!(a[0][7], Data::Float(2.5));
    assert_eq!(a[1][6], Data::String("bỏ lỡ".into()));
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
            r[0] == Data::String("Đài xã Phước Dinh".into())
                && r[1] == Data::String("tất cả".into())
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

/// An outcome line of `st`'s (chained on its `prev`) whose items are `items`.
fn line_with(st: &FakeStation, title: &str, hour: u32, outcome: &str, items: Value) -> String {
    let at = today_at(hour, 0);
    let sched = at.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string();
    json!({"event": "outcome", "occurrence": format!("p@{}", at.to_rfc3339()), "program": "p",
           "title": title, "scheduled": sched, "outcome": outcome, "items": items, "prev": st.prev})
    .to_string()
}

/// Send `line`; it must be accepted.
fn send(hub: &Hub, st: &mut FakeStation, line: String) {
    let r = st.upload(hub, std::slice::from_ref(&line));
    assert_eq!(r.status, 200, "{}", r.text());
    st.prev = hex::encode(Sha256::digest(line.as_bytes()));
}

#[test]
fn categories_follow_the_clip_that_aired_not_its_audio_file() {
    let mut hub = setup();
    let mut editor = hub.login("bientap", "mat-khau-bien-tap");
    let audio = common::pages::wav(&hub);
    let mut add = |title: &str, category: &str| {
        let r = editor.post_form(
            "/api/v1/clips",
            &[("title", title), ("category", category), ("areas", "22936")],
            Some(("a.wav", &audio)),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()["id"].as_str().unwrap().to_string()
    };
    // The same audio file, twice, in two categories: "tin-tuc" first.
    let news = add("Bản tin chung", "tin-tuc");
    let reform = add("Cải cách hành chính", "cchc");
    let shas = hub.sql("SELECT DISTINCT sha256 FROM clips");
    let sha = shas.trim();
    assert_eq!(sha.len(), 64, "one audio file for both clips: {shas}");

    let mut st = FakeStation::enrol(&hub, "tram-a", "Đài xã Phước Dinh", "22936");
    let clip = |name: &str, id: &str, seconds: f64| json!({"name": name, "clip": id, "sha256": sha, "seconds": seconds});
    // New lines: each item names the feed clip that aired.
    let l = line_with(
        &st,
        "Tin sáng",
        5,
        "aired",
        json!([clip(&news, &news, 60.0)]),
    );
    send(&hub, &mut st, l);
    let l = line_with(
        &st,
        "Cải cách trưa",
        11,
        "aired",
        json!([clip(&format!("priority {reform}"), &reform, 120.0)]),
    );
    send(&hub, &mut st, l);
    // An older station's line: no clip id, so the hash decides (the first
    // clip holding those bytes, "tin-tuc").
    let old = json!([{"name": "tin-cu.mp3", "sha256": sha, "seconds": 30.0}]);
    let l = line_with(&st, "Tin cũ", 17, "aired", old);
    send(&hub, &mut st, l);
    // A feed clip next to a station file: only the clip has a category.
    let mixed = json!([
        {"name": "chuong.ogg", "sha256": sha, "seconds": 6.0},
        clip(&reform, &reform, 54.0)
    ]);
    let l = line_with(&st, "Cải cách tối", 19, "partial", mixed);
    send(&hub, &mut st, l);
    let stored = hub.sql("SELECT title, clip_ids FROM asrun ORDER BY id");
    assert!(
        stored.contains(&format!("Tin sáng|[\"{news}\"]"))
            && stored.contains(&format!("Cải cách tối|[\"{reform}\"]")),
        "the upload keeps the items' clip ids: {stored}"
    );
    assert!(
        stored.lines().any(|l| l.trim_end() == "Tin cũ|"),
        "an older line has none: {stored}"
    );

    let mut admin = hub.admin("mat-khau-quan-tri-moi");
    let r = admin.get("/api/v1/reports/asrun?station=tram-a");
    assert_eq!(r.status, 200, "{}", r.text());
    let rep = r.json();
    let cats = |title: &str| -> Vec<String> {
        let row = rep["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["title"] == title)
            .unwrap_or_else(|| panic!("{title} in {rep}"));
        serde_json::from_value(row["categories"].clone()).unwrap()
    };
    assert_eq!(cats("Tin sáng"), ["tin-tuc"]);
    assert_eq!(
        cats("Cải cách trưa"),
        ["cchc"],
        "not the audio file's first clip"
    );
    assert_eq!(
        cats("Tin cũ"),
        ["tin-tuc"],
        "an older line falls back to the hash"
    );
    assert_eq!(cats("Cải cách tối"), ["cchc"], "the station file has none");
    let summary = |category: &str| -> Value {
        rep["summary"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["category"] == category)
            .unwrap_or_else(|| panic!("{category} in {rep}"))
            .clone()
    };
    let (n, c) = (summary("tin-tuc"), summary("cchc"));
    assert_eq!(
        (n["scheduled"].as_u64(), n["aired"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(n["minutes_aired"].as_f64(), Some(1.5));
    assert_eq!(
        (c["scheduled"].as_u64(), c["aired"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(c["minutes_aired"].as_f64(), Some(3.0));
    assert_eq!(c["station_name"], "Đài xã Phước Dinh", "names beside ids");
    // The category filter follows the clip too.
    let r = admin.get("/api/v1/reports/asrun?station=tram-a&category=cchc");
    let titles: Vec<String> = r.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["Cải cách trưa", "Cải cách tối"]);

    // The page: per category, by name; the chart by week, "Tuần N".
    let t = admin.get("/reports?station=tram-a").text();
    assert!(t.contains("data-category=\"cchc\"") && t.contains("data-category=\"tin-tuc\""));
    let week = format!("Đài xã Phước Dinh · Tuần {}", {
        use chrono::Datelike;
        today_at(5, 0).iso_week().week()
    });
    assert!(t.contains(&week), "{week} in the chart: {t}");
    assert!(
        t.contains("Đài xã Phước Dinh · cchc"),
        "a station's name, not its id"
    );
    let chart = t.split("id=\"chart\"").nth(1).unwrap();
    let chart = chart.split("</svg>").next().unwrap();
    assert!(!chart.contains("-W"), "no ISO week codes: {chart}");
}

#[test]
fn exports_speak_the_readers_language() {
    let hub = world();
    let mut v = hub.login("xem", "mat-khau-xem-bao-cao");
    // CSV in Vietnamese: headers and outcome words, the BOM kept.
    let r = v.get("/api/v1/reports/asrun?station=tram-a&format=csv");
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM");
    let csv = String::from_utf8(r.body.clone()).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap().trim_start_matches('\u{feff}'),
        "Mã đài,Tên đài,Lượt phát,Chương trình,Tiêu đề,Giờ theo lịch,Kết quả,Số phút,Chuyên mục,Đứt chuỗi nhật ký"
    );
    let body: Vec<&str> = lines.collect();
    assert!(
        body.iter()
            .any(|l| l.contains(",đã phát,\"2,50\",tin-tuc,không")),
        "{csv}"
    );
    assert!(body.iter().any(|l| l.contains(",bỏ lỡ,\"0,00\",")), "{csv}");
    for english in [",aired,", ",missed,", "true", "false"] {
        assert!(!csv.contains(english), "{english} in {csv}");
    }
    let day = today_at(5, 0).format("05:00 %d/%m/%Y").to_string();
    assert!(csv.contains(&day), "{day} in {csv}");
    // In English when asked.
    let en = v.get("/api/v1/reports/asrun?station=tram-a&format=csv&lang=en");
    let en = String::from_utf8(en.body.clone()).unwrap();
    assert!(
        en.contains(",aired,2.50,") && en.contains(",missed,0.00,"),
        "{en}"
    );

    // XLSX in Vietnamese, read back with calamine.
    let r = v.get("/api/v1/reports/asrun?station=tram-a&format=xlsx");
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(r.body.clone())).expect("an XLSX");
    let rows: Vec<Vec<Data>> = wb
        .worksheet_range("Chi tiết")
        .unwrap()
        .rows()
        .map(|r| r.to_vec())
        .collect();
    assert_eq!(rows[0][6], Data::String("Kết quả".into()));
    let outcomes: Vec<&Data> = rows[1..].iter().map(|r| &r[6]).collect();
    assert_eq!(
        outcomes,
        [
            &Data::String("đã phát".into()),
            &Data::String("bỏ lỡ".into())
        ]
    );
    assert_eq!(rows[1][5], Data::String(day.clone()));
    let sum: Vec<Vec<Data>> = wb
        .worksheet_range("Tổng hợp")
        .unwrap()
        .rows()
        .map(|r| r.to_vec())
        .collect();
    assert_eq!(sum[0][0], Data::String("Đài".into()));
    assert!(
        sum.iter()
            .skip(1)
            .all(|r| r[0] == Data::String("Đài xã Phước Dinh".into())),
        "the summary names the station: {sum:?}"
    );
    // In English: the sheets and words too.
    let r = v.get("/api/v1/reports/asrun?station=tram-a&format=xlsx&lang=en");
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(r.body.clone())).unwrap();
    assert_eq!(wb.sheet_names(), ["Summary", "Details"]);
    let d = wb.worksheet_range("Details").unwrap();
    assert_eq!(d.rows().nth(1).unwrap()[6], Data::String("aired".into()));

    // The chart as SVG: Vietnamese weeks and numbers.
    let svg = v
        .get("/api/v1/reports/asrun?station=tram-a&format=svg")
        .text();
    assert!(
        svg.contains("· Tuần ") && svg.contains(">2,5</text>"),
        "{svg}"
    );
    assert!(!svg.contains("-W") && !svg.contains("no data"), "{svg}");
}
