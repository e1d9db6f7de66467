//! The programs editor takes a commune operator's habits (issue 18) over
//! plain HTTP: lists to pick from (the station's files from its heartbeat,
//! the hub's categories and clips, the ids in use), T2…CN and date pickers;
//! a bad form comes back 422 with every field as typed and each error beside
//! its field in Vietnamese, nothing published; "11h30" and a title with no
//! id are saved as "11:30" and an id folded from the title, unique among the
//! hub's programs and the station's own (-2, -3).

use super::*;

const EDIT: &str = "/stations/tram-kh/programs/edit";

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn post(c: &mut Client, path: &str, pairs: &[(&str, &str)]) -> Resp {
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    common::pages::form(c, path, &body.join("&"))
}

/// The field's messages: the text of each `data-field="NAME"` block.
fn beside(html: &str, field: &str) -> String {
    let needle = format!("data-field=\"{field}\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i..];
            rest[..rest.find("</div>").unwrap_or(rest.len())].to_string()
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn weekday_program(title: &str, at: &str) -> Vec<(&'static str, String)> {
    let mut v: Vec<(&'static str, String)> = vec![
        ("title", title.into()),
        ("id", String::new()),
        ("at", at.into()),
        ("when", "at".into()),
    ];
    for d in ["mon", "tue", "wed", "thu", "fri"] {
        v.push(("days", d.into()));
    }
    v.extend([
        ("i0.kind", "category".to_string()),
        ("i0.category", "tin-tuc".into()),
        ("i0.file", String::new()),
        ("i0.count", String::new()),
        ("i1.kind", "category".into()),
        ("i1.category", "tin-tuc".into()),
        ("i1.file", String::new()),
        ("i1.count", "2".into()),
        ("op", "save".into()),
    ]);
    v
}

fn pairs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn stored(hub: &Hub) -> String {
    hub.sql("SELECT toml FROM timetables WHERE station = 'tram-kh' ORDER BY sequence DESC LIMIT 1")
}

#[test]
fn the_programs_editor_takes_their_habits_and_refuses_beside_the_fields() {
    let (hub, kh) = world_and_kh();
    // The station reports its files and its own programs (one "Bản tin trưa").
    let own = "[[program]]\nid = \"ban-tin-trua\"\nat = [\"06:00\"]\nplay = [\"chuong.wav\"]\n";
    let r = kh.beat_with(
        &hub,
        &json!({"local_clips": ["chuong.wav", "nhac-hieu.mp3"], "timezone": "Asia/Ho_Chi_Minh",
                "quiet_hours": [], "own_programs": own,
                "own_programs_sha256": hex::encode(Sha256::digest(own.as_bytes()))}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let mut op = hub.login("vh-kh", "mat-khau-van-hanh-kh");

    // Lists to pick from, T2…CN, date pickers, Vietnamese.
    let page = op.get(EDIT);
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    for want in [
        "<select name=\"i0.category\"",
        "<option value=\"tin-tuc\">",
        "<select name=\"i0.file\"",
        "<option value=\"chuong.wav\">",
        "<option value=\"nhac-hieu.mp3\">",
        ">T2</label>",
        ">CN</label>",
        "type=\"date\" id=\"from\"",
        "type=\"date\" id=\"until\"",
        "Mã đã dùng:",
        "<code>ban-tin-trua</code>",
        "Lưu và gửi xuống đài",
    ] {
        assert!(html.contains(want), "{want}: {html}");
    }
    let en = op.get(&format!("{EDIT}?lang=en")).text();
    assert!(en.contains(">Mon</label>") && en.contains("Save and send to the station"));

    // A bad form: 422, every field as typed, each error beside its field in
    // Vietnamese, nothing published.
    let bad = [
        ("base", "0"),
        ("title", "Bản tin trưa"),
        ("id", ""),
        ("when", "at"),
        ("at", "25h"),
        ("from", "31/02/2026"),
        ("until", ""),
        ("volume", "1,5"),
        ("i0.kind", "category"),
        ("i0.category", ""),
        ("i0.count", "3"),
        ("i1.kind", "file"),
        ("i1.file", "khong-co.mp3"),
        ("i2.kind", "category"),
        ("i2.category", "tin-tuc"),
        ("i2.count", "0"),
        ("op", "save"),
    ];
    let r = post(&mut op, EDIT, &bad);
    assert_eq!(r.status, 422, "{}", r.text());
    let html = r.text();
    assert!(html.contains("id=\"error\""), "{html}");
    assert!(html.contains("Chưa lưu, chưa gửi xuống đài"), "{html}");
    let at = beside(&html, "at");
    assert!(
        at.contains("Lỗi ở «Giờ phát»") && at.contains("«25h»: không có 25 giờ"),
        "{at}"
    );
    assert!(
        beside(&html, "days").contains("Chọn ít nhất một ngày phát"),
        "{html}"
    );
    assert!(
        beside(&html, "from").contains("«31/02/2026» không phải ngày"),
        "{html}"
    );
    assert!(beside(&html, "volume").contains("«1,5»"), "{html}");
    assert!(
        beside(&html, "i0.value").contains("Chọn một chuyên mục"),
        "{html}"
    );
    assert!(
        beside(&html, "i1.value").contains("Đài không có tệp «khong-co.mp3»"),
        "{html}"
    );
    assert!(
        beside(&html, "i2.count").contains("Số bản tin «0»"),
        "{html}"
    );
    // A row left blank is no error (it is dropped on saving).
    let mut more = bad.to_vec();
    more.extend([("i3.kind", "file"), ("i3.file", "")]);
    let r = post(&mut op, EDIT, &more);
    assert_eq!(r.status, 422);
    assert!(beside(&r.text(), "i3.value").is_empty(), "{}", r.text());
    // As typed: the text fields, the refused date as text, the chosen options.
    for kept in [
        "id=\"title\" name=\"title\" value=\"Bản tin trưa\"",
        "id=\"at\" name=\"at\" value=\"25h\"",
        "type=\"text\" id=\"from\" name=\"from\" value=\"31/02/2026\"",
        "id=\"volume\" name=\"volume\" value=\"1,5\"",
        "<option value=\"khong-co.mp3\" selected>",
        "name=\"i2.count\" value=\"0\"",
        "<details class=\"more\" id=\"more\" open>",
    ] {
        assert!(html.contains(kept), "{kept}: {html}");
    }
    for english in ["is not a time of day", "Error", "not valid"] {
        assert!(!html.contains(english), "{english}: {html}");
    }
    assert_eq!(hub.sql("SELECT count(*) FROM timetables").trim(), "0");

    // Their way: "11h30", a title and no id, Mon–Fri, two category rows, a
    // start date from the picker. The id is folded from the title and steps
    // past the station's own "ban-tin-trua".
    let mut good = weekday_program("Bản tin trưa", "11h30");
    good.push(("base", "0".into()));
    good.push(("from", "2026-12-01".into()));
    let r = post(&mut op, EDIT, &pairs(&good));
    assert_eq!(r.status, 303, "{}", r.text());
    let t = stored(&hub);
    for want in [
        "id = \"ban-tin-trua-2\"",
        "title = \"Bản tin trưa\"",
        "at = [\"11:30\"]",
        "days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
        "from = \"2026-12-01\"",
        "{ category = \"tin-tuc\" }",
        "{ category = \"tin-tuc\", count = 2 }",
    ] {
        assert!(t.contains(want), "{want}: {t}");
    }
    // The same title again: -3; "11 giờ 30" and "5 giờ chiều" read too.
    let mut again = weekday_program("Bản tin trưa", "11 giờ 30, 5 giờ chiều");
    again.push(("base", "1".into()));
    let r = post(&mut op, EDIT, &pairs(&again));
    assert_eq!(r.status, 303, "{}", r.text());
    let t = stored(&hub);
    assert!(t.contains("id = \"ban-tin-trua-3\""), "{t}");
    assert!(t.contains("at = [\"11:30\", \"17:00\"]"), "{t}");
    // Editing keeps the id; a typed id already in use is refused beside it.
    let page = op.get(&format!("{EDIT}?p=0")).text();
    assert!(
        page.contains("id=\"id\" name=\"id\" value=\"ban-tin-trua-2\""),
        "{page}"
    );
    let mut edit = weekday_program("Bản tin trưa (sửa)", "7 giờ 30 sáng");
    edit.retain(|(k, _)| *k != "id");
    edit.push(("id", "ban-tin-trua-2".into()));
    edit.push(("base", "2".into()));
    let r = post(&mut op, &format!("{EDIT}?p=0"), &pairs(&edit));
    assert_eq!(r.status, 303, "{}", r.text());
    let t = stored(&hub);
    assert!(
        t.contains("id = \"ban-tin-trua-2\"\ntitle = \"Bản tin trưa (sửa)\"\nat = [\"07:30\"]"),
        "{t}"
    );
    let mut taken = weekday_program("Khác", "8h");
    taken.retain(|(k, _)| *k != "id");
    taken.push(("id", "Bản tin trưa 3".into()));
    taken.push(("base", "3".into()));
    let r = post(&mut op, EDIT, &pairs(&taken));
    assert_eq!(r.status, 422, "{}", r.text());
    let html = r.text();
    assert!(
        beside(&html, "id").contains("Mã «ban-tin-trua-3» đã dùng"),
        "{html}"
    );
    assert!(
        html.contains("<details class=\"more\" id=\"id-more\" open>"),
        "{html}"
    );
    assert_eq!(hub.sql("SELECT max(sequence) FROM timetables").trim(), "3");
}
