//! Clips for the citizens' pages (issue 21) on a real hub: an editor and an
//! approver of both demo provinces upload through the API and approve, so
//! commune 22936 (Xã Phước Dinh) has three bulletins that reach it (its own,
//! its district's, its province's) and seven that must never show there:
//! private, awaiting approval, withdrawn, expired, not yet valid, another
//! commune's and another province's.
#![allow(dead_code)]

use super::hub::{Client, Hub};
use super::write_tone;

pub const EDITOR: &str = "bien-tap";
pub const APPROVER: &str = "phe-duyet";
pub const PASSWORD: &str = "mat-khau-thu-nghiem";

/// (id, title) of the clips 22936 shows, newest first.
pub const SHOWN: [(&str, &str); 3] = [
    ("xa-tin", "Lịch tiêm chủng tại trạm y tế xã"),
    ("huyen-tin", "Thông báo của huyện Thuận Nam về mùa khô"),
    ("tinh-tin", "Tỉnh Ninh Thuận phát động phòng chống dịch"),
];

/// (id, title) of the clips 22936 must never show.
pub const HIDDEN: [(&str, &str); 7] = [
    ("rieng", "Họp nội bộ cán bộ xã riêng"),
    ("cho-duyet", "Bản tin đang chờ phê duyệt"),
    ("thu-hoi", "Bản tin đã thu hồi vì sai"),
    ("het-han", "Thông báo đã hết hạn hôm qua"),
    ("chua-toi", "Thông báo chưa đến ngày phát"),
    ("xa-khac", "Tin riêng của xã Phước Diêm"),
    ("tinh-khac", "Tin của tỉnh Khánh Hòa"),
];

pub fn wav(hub: &Hub, secs: f32) -> Vec<u8> {
    let p = hub.dir.path().join("public.wav");
    write_tone(&p, 440.0, secs, 0.4);
    std::fs::read(p).unwrap()
}

fn up(c: &mut Client, audio: &[u8], id: &str, title: &str, extra: &[(&str, &str)]) {
    let mut f = vec![("id", id), ("title", title), ("category", "tin-tuc")];
    f.extend_from_slice(extra);
    let r = c.post_form("/api/v1/clips", &f, Some(("a.wav", audio)));
    assert_eq!(r.status, 201, "upload {id}: {}", r.text());
}

fn act(c: &mut Client, id: &str, action: &str) {
    let r = c.post_json(
        &format!("/api/v1/clips/{id}/{action}"),
        &serde_json::json!({}),
    );
    assert_eq!(r.status, 200, "{action} {id}: {}", r.text());
}

/// A hidden clip: its id, its upload fields, the steps after upload.
type Plan<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a [&'a str]);

/// The ten clips; their upload times set one hour apart (newest first in
/// `SHOWN` order).
pub fn seed(hub: &Hub) {
    hub.add_user(EDITOR, "editor", "58,56", PASSWORD);
    hub.add_user(APPROVER, "approver", "58,56", PASSWORD);
    let mut ed = hub.login(EDITOR, PASSWORD);
    let mut ap = hub.login(APPROVER, PASSWORD);
    let audio = wav(hub, 1.0);
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let yesterday = (today - chrono::Days::new(2)).to_string();
    let before = (today - chrono::Days::new(9)).to_string();
    let tomorrow = (today + chrono::Days::new(2)).to_string();
    let shown_areas = ["22936", "589", "58"];
    for ((id, title), area) in SHOWN.iter().zip(shown_areas) {
        up(&mut ed, &audio, id, title, &[("areas", area)]);
        act(&mut ap, id, "approve");
    }
    let plan: [Plan; 7] = [
        (
            "rieng",
            vec![("areas", "22936"), ("public", "false")],
            &["approve"],
        ),
        ("cho-duyet", vec![("areas", "22936")], &[]),
        (
            "thu-hoi",
            vec![("areas", "22936")],
            &["approve", "withdraw"],
        ),
        (
            "het-han",
            vec![
                ("areas", "22936"),
                ("valid_from", before.as_str()),
                ("valid_until", yesterday.as_str()),
            ],
            &["approve"],
        ),
        (
            "chua-toi",
            vec![("areas", "22936"), ("valid_from", tomorrow.as_str())],
            &["approve"],
        ),
        ("xa-khac", vec![("areas", "22939")], &["approve"]),
        ("tinh-khac", vec![("areas", "56")], &["approve"]),
    ];
    for ((id, fields, actions), (hid, title)) in plan.iter().zip(HIDDEN) {
        assert_eq!(*id, hid);
        up(&mut ed, &audio, id, title, fields);
        for a in *actions {
            let c = if *a == "withdraw" { &mut ed } else { &mut ap };
            act(c, id, a);
        }
    }
    // Upload times an hour apart, the shown ones newest first.
    let base = chrono::Utc::now().timestamp() - 86_400;
    for (n, (id, _)) in SHOWN.iter().chain(HIDDEN.iter()).enumerate() {
        hub.sql(&format!(
            "UPDATE clips SET created_at = {} WHERE id = '{id}'",
            base - n as i64 * 3600
        ));
    }
}
