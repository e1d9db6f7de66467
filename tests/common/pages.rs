//! Helpers for the page tests over HTTP: a form post as a browser sends it,
//! a clip uploaded through the API, a hub with an editor and an approver.
#![allow(dead_code)]

use super::hub::{Backend, Client, Hub, Resp};
use super::write_tone;

pub fn form(c: &mut Client, path: &str, body: &str) -> Resp {
    c.request(
        "POST",
        path,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
    )
}

pub fn wav(hub: &Hub) -> Vec<u8> {
    let p = hub.dir.path().join("t.wav");
    write_tone(&p, 500.0, 1.0, 0.4);
    std::fs::read(p).unwrap()
}

pub fn upload(c: &mut Client, hub: &Hub, title: &str) -> String {
    let r = c.post_form(
        "/api/v1/clips",
        &[
            ("title", title),
            ("category", "tin-tuc"),
            ("areas", "22936"),
        ],
        Some(("a.wav", &wav(hub))),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_string()
}

pub fn setup() -> Hub {
    let hub = Hub::start(Backend::Sqlite);
    hub.add_user("bientap", "editor", "58", "mat-khau-bien-tap");
    hub.add_user("duyet", "approver", "58", "mat-khau-phe-duyet");
    hub
}
