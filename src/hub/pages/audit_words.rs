//! One audit row as a sentence in the reader's language ("phe-duyet đã phê
//! duyệt bản tin «Tin bão» lúc 14:05 07/12/2026"): the action picks the
//! catalogue message, the target is named (a clip's or broadcast's title, a
//! station's name — without a second "đài" when the name starts with one —,
//! an account), the actor in words (the command line on the server, a
//! station, someone not signed in), the time is local. No JSON, no Unix
//! times, no action codes for any action the hub writes (the tests list them).

use std::collections::HashMap;

use chrono::TimeZone;

use super::i18n::Lang;
use crate::hub::app::AppState;
use crate::hub::audit::Entry;
use crate::hub::db::col;
use crate::i18n::format;
use crate::tr;

/// Titles and names of what the rows act on, looked up once per page.
#[derive(Default)]
pub struct Names(HashMap<String, String>);

impl Names {
    /// Look up what `keys` name (`clip:ID`, `broadcast:ID`, `station:ID`):
    /// the rows' targets and actors, the actors of the filter.
    pub async fn load(state: &AppState, keys: &[&str]) -> Names {
        let mut out = HashMap::new();
        for &key in keys {
            if out.contains_key(key) {
                continue;
            }
            let Some((kind, id)) = key.split_once(':') else {
                continue;
            };
            let sql = match kind {
                "clip" => "SELECT title AS n FROM clips WHERE id = $1",
                "broadcast" => "SELECT title AS n FROM broadcasts WHERE id = $1",
                "station" => "SELECT name AS n FROM stations WHERE id = $1",
                _ => continue,
            };
            if let Ok(Some(r)) = sqlx::query(sql)
                .bind(id)
                .fetch_optional(&state.db.pool)
                .await
            {
                if let Ok(n) = col::<String>(&r, "n") {
                    out.insert(key.to_string(), n);
                }
            }
        }
        Names(out)
    }

    /// What the row acted on, as people call it.
    pub fn what(&self, target: &str) -> String {
        if let Some(n) = self.0.get(target) {
            return n.clone();
        }
        match target.split_once(':') {
            Some((_, rest)) => rest.to_string(),
            None if target.is_empty() => "—".to_string(),
            None => target.to_string(),
        }
    }
}

/// Whether a station's name already says it is a station ("Đài truyền thanh
/// xã …", "Trạm …", "Station …"): the sentence then does not say "đài" again.
pub fn says_station(name: &str) -> bool {
    let low = name.trim_start().to_lowercase();
    ["đài ", "trạm ", "station "]
        .iter()
        .any(|p| low.starts_with(p))
}

/// Who did it, in words: an account's name; "Quản trị trên máy chủ (dòng
/// lệnh)" for `cli:?` (no user known), "NAME (dòng lệnh trên máy chủ)" for
/// `cli:NAME`; a station's name for `station:ID`; someone not signed in
/// for `-`.
pub fn who(l: Lang, names: &Names, actor: &str) -> String {
    if let Some(name) = actor.strip_prefix("cli:") {
        let name = name.trim();
        if name.is_empty() || name == "?" {
            return tr!(l, "admin-audit-actor-cli");
        }
        return tr!(l, "admin-audit-actor-cli-named", name = name.to_string());
    }
    if actor.starts_with("station:") {
        return names.what(actor);
    }
    if actor.trim().is_empty() || actor == "-" {
        return tr!(l, "admin-audit-actor-unknown");
    }
    actor.to_string()
}

/// "14:05 07/12/2026" in the hub's time zone.
pub fn at(tz: chrono_tz::Tz, s: i64) -> String {
    match tz.timestamp_opt(s, 0).single() {
        Some(t) => format::time_date(t.naive_local()),
        None => String::new(),
    }
}

/// The row as one sentence.
pub fn sentence(l: Lang, tz: chrono_tz::Tz, names: &Names, e: &Entry) -> String {
    let who = who(l, names, &e.actor);
    let what = names.what(&e.target);
    let named = if e.target.starts_with("station:") && says_station(&what) {
        "yes"
    } else {
        "no"
    };
    let at = at(tz, e.at);
    macro_rules! m {
        ($id:literal) => {
            tr!(l, $id, who = who, what = what, at = at, named = named)
        };
    }
    match e.action.as_str() {
        "init" => m!("admin-audit-init"),
        "areas_import" => m!("admin-audit-areas-import"),
        "login" => m!("admin-audit-login"),
        "login_failed" => m!("admin-audit-login-failed"),
        "logout" => m!("admin-audit-logout"),
        "password_change" => m!("admin-audit-password-change"),
        "password_change_failed" => m!("admin-audit-password-change-failed"),
        "user_add" => m!("admin-audit-user-add"),
        "user_add_refused" => m!("admin-audit-user-add-refused"),
        "user_edit" => m!("admin-audit-user-edit"),
        "user_change_refused" => m!("admin-audit-user-change-refused"),
        "user_password_reset" => m!("admin-audit-user-password-reset"),
        "user_disable" => m!("admin-audit-user-disable"),
        "user_enable" => m!("admin-audit-user-enable"),
        "clip_upload" => m!("admin-audit-clip-upload"),
        "clip_upload_refused" => m!("admin-audit-clip-upload-refused"),
        "clip_resubmit" => m!("admin-audit-clip-resubmit"),
        "clip_submit" => m!("admin-audit-clip-submit"),
        "clip_approve" | "clip_approve_direct" => m!("admin-audit-clip-approve"),
        "clip_reject" => m!("admin-audit-clip-reject"),
        "clip_withdraw" => m!("admin-audit-clip-withdraw"),
        "broadcast_propose" => m!("admin-audit-broadcast-propose"),
        "broadcast_approve" => m!("admin-audit-broadcast-approve"),
        "broadcast_reject" => m!("admin-audit-broadcast-reject"),
        "broadcast_withdraw" => m!("admin-audit-broadcast-withdraw"),
        "station_add" => m!("admin-audit-station-add"),
        "station_enroll" => m!("admin-audit-station-enroll"),
        "station_enroll_failed" => m!("admin-audit-station-enroll-failed"),
        "timetable_publish" => m!("admin-audit-timetable-publish"),
        "timetable_publish_refused" => m!("admin-audit-timetable-publish-refused"),
        "remote_play" => m!("admin-audit-remote-play"),
        "remote_play_refused" => m!("admin-audit-remote-play-refused"),
        "remote_stop" => m!("admin-audit-remote-stop"),
        "remote_stop_refused" => m!("admin-audit-remote-stop-refused"),
        "remote_command_refused" => m!("admin-audit-remote-command-refused"),
        "asrun_break" => m!("admin-audit-asrun-break"),
        "asrun_break_ack" => m!("admin-audit-asrun-break-ack"),
        "restore" => m!("admin-audit-restore"),
        other => tr!(
            l,
            "admin-audit-other",
            who = who,
            what = what,
            at = at,
            action = other.replace('_', " ")
        ),
    }
}

#[cfg(test)]
#[path = "audit_words_tests.rs"]
mod tests;
