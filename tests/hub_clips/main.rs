//! Clips and pushed broadcasts on the real hub, on SQLite and PostgreSQL:
//! the whole life cycle (upload → submitted → approved → in the signed feed,
//! verified with the real `minisign -Vm` → withdrawn), rejection with a
//! reason, and every refusal: roles and areas outside scope (403 with the
//! reason), self-approval, a file that does not decode, over the cap (413),
//! an upload cut halfway (nothing stored anywhere), duplicate ids, dates in
//! the wrong order, a `<script>` title returned as plain data; the shared
//! life cycle's refusals for both kinds and the audit rows of its steps.

#[path = "../common/mod.rs"]
mod common;

mod audit;
mod broadcasts;
mod clips;
mod life_cycle;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::hub::{files_under, Backend, Client, Hub, HubOptions};
use common::write_tone;
use serde_json::json;

use audit::*;
use broadcasts::*;
use clips::*;
use life_cycle::*;

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::Backend::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name(super::Backend::Postgres) } )*
        }
    };
}

on_both!(
    a_clip_goes_through_its_whole_life_cycle,
    decisions_are_refused_outside_role_and_scope,
    bad_uploads_are_refused_and_leave_nothing,
    uploads_over_the_cap_or_cut_halfway_leave_nothing,
    pushed_broadcasts_need_approval_too,
    life_cycle_refusals_name_the_kind_and_leave_no_trace,
    the_audit_log_is_chained_and_shows_tampering,
);

/// The cast: editors and approvers of Thuận Nam (589) and Ninh Thuận (58),
/// an approver of Khánh Hòa (56), a viewer.
fn cast(hub: &Hub) {
    hub.add_user("bt-thuan-nam", "editor", "589", "mk-bien-tap-589");
    hub.add_user("bt-ninh-thuan", "editor,approver", "58", "mk-bien-tap-58");
    hub.add_user("duyet-58", "approver", "58", "mk-phe-duyet-58");
    hub.add_user("duyet-56", "approver", "56", "mk-phe-duyet-56");
    hub.add_user("xem", "viewer", "", "mk-chi-xem-thoi");
}

fn tone(dir: &Path, name: &str, secs: f32) -> Vec<u8> {
    let p = dir.join(name);
    write_tone(&p, 550.0, secs, 0.4);
    std::fs::read(p).unwrap()
}

fn upload(c: &mut Client, fields: &[(&str, &str)], name: &str, data: &[u8]) -> common::hub::Resp {
    c.post_form("/api/v1/clips", fields, Some((name, data)))
}

fn minisign_verifies(hub: &Hub) -> bool {
    let feed = hub.feed_dir();
    let o = Command::new("minisign")
        .arg("-Vm")
        .arg(feed.join("manifest.json"))
        .arg("-P")
        .arg(&hub.public_key)
        .output()
        .expect("minisign (apt-get install minisign)");
    o.status.success()
}
