//! The stations list and a station's page: status, filters, scope.

use super::*;

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
