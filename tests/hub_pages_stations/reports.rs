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
