//! Issue 17's account and policy holes, against the real `loa hub run` on
//! SQLite and PostgreSQL: a scoped admin cannot mint accounts above or
//! outside itself (API and page); concurrent wrong sign-ins get exactly the
//! limit's 401s and 429s for the rest (also unknown names, also the old
//! password of a password change); a login name cannot forge a line in the
//! hub's log; a scoped account sees only clips and broadcasts whose areas
//! overlap its own, and one outside answers like one that does not exist;
//! the audit CSV export defuses formulas in every piece a spreadsheet could
//! split.

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod exports;
mod logins;
mod sight;

use common::hub::{Backend, Client, Hub};

use accounts::*;
use exports::*;
use logins::*;
use sight::*;

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
    a_scoped_admin_makes_accounts_only_inside_itself,
    concurrent_wrong_passwords_get_exactly_the_limit,
    the_old_password_of_a_change_is_rate_limited,
    a_login_name_cannot_forge_a_log_line,
    a_commune_viewer_sees_only_clips_that_reach_it,
    out_of_sight_answers_like_missing,
    csv_exports_defuse_formulas_after_separators,
);

/// `loa hub station add ID --name ID --areas AREAS --json`.
fn add_station(hub: &Hub, id: &str, areas: &str) {
    let (code, out, err) = hub.cmd(
        &[
            "hub", "station", "add", id, "--name", id, "--areas", areas, "--json",
        ],
        None,
    );
    assert_eq!(code, Some(0), "station add {id}: {out} {err}");
}

/// The audit rows the whole province's admin reads.
fn audit_rows(admin: &mut Client) -> Vec<serde_json::Value> {
    admin.get("/api/v1/audit").json()["entries"]
        .as_array()
        .unwrap()
        .clone()
}
