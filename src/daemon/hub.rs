//! The timetable the hub sends, on the scheduling loop: a document that passed
//! the link's checks (signature, station, sequence) is validated like
//! `loa check` against the station's clips and its config file's own programs,
//! kept in STATE and applied like a reload (SIGHUP path). Any refusal keeps
//! the old timetable airing and goes into the next heartbeat.
//!
//! A document's `[command]` (remote play now / stop) runs once, when its
//! sequence is first accepted, and only if issued within [`COMMAND_MAX_AGE`]
//! by this station's clock: a "play now" never airs late after an outage; a
//! stale one is reported, not aired. The as-run log names the hub user.

use chrono::{TimeDelta, Utc};

use super::station::Station;
use crate::feed::programs::{plain_target, Action, Command};
use crate::i18n::Msg;
use crate::link::programs::{self, Fetched, Merged};

/// A remote command older than this (or this far in the future: a clock
/// apart) is not executed.
pub const COMMAND_MAX_AGE: TimeDelta = TimeDelta::minutes(3);

impl Station {
    /// The hub's programs now merged into the config; tell the heartbeat.
    pub(super) fn set_hub(&mut self, merged: Merged) {
        if let Some(l) = &self.link {
            l.set_programs(merged.applied, merged.error.clone(), None);
        }
        self.hub = merged;
    }

    /// A new document from the hub: validate, keep, apply, run its command.
    pub(super) fn accept_hub_programs(&mut self, f: Fetched) {
        let seq = f.header.sequence;
        let own: Vec<_> = self
            .cfg
            .programs
            .iter()
            .filter(|p| !self.hub.ids.contains(&p.id))
            .cloned()
            .collect();
        if let Err(e) = programs::validate(&f, &own, &self.cfg) {
            tracing::error!("hub timetable refused, the old one keeps airing: {e}");
            self.report_hub(Some((
                format!("timetable from the hub refused: {e}"),
                Msg::new("station-tt-refused").arg("seq", seq),
            )));
            return;
        }
        if let Err(e) = programs::save(&self.cfg.paths.state, &f) {
            tracing::error!("hub timetable sequence {seq}: cannot keep it in the state folder: {e}; the old one keeps airing");
            self.report_hub(Some((
                format!("timetable sequence {seq} not applied: cannot write the state folder: {e}"),
                Msg::new("station-tt-state-write").arg("seq", seq),
            )));
            return;
        }
        match self.reload() {
            Ok(n) => tracing::info!(
                "hub timetable sequence {seq} applied (by {}): {n} programs in all",
                f.header.by
            ),
            Err(_) => {
                self.report_hub(Some((
                    // No server path: the hub shows what the station reports.
                    format!(
                        "timetable sequence {seq} kept but not applied: the station's config file has errors (see `loa check`)"
                    ),
                    Msg::new("station-tt-config-errors").arg("seq", seq),
                )));
                return;
            }
        }
        if let Some(c) = &f.header.command {
            if let Err(e) = self.run_command(c, seq) {
                tracing::warn!("hub command not executed: {}", e.0);
                self.report_hub(Some(e));
            }
        }
    }

    /// Keep `applied` as merged; set the error the heartbeat reports (its
    /// English text and the same as a message the hub renders).
    fn report_hub(&mut self, error: Option<(String, Msg)>) {
        if let Some(l) = &self.link {
            let (text, msg) = error.unzip();
            l.set_programs(self.hub.applied, text, msg);
        }
    }

    fn run_command(&mut self, c: &Command, seq: u64) -> Result<(), (String, Msg)> {
        let target = c.target.as_deref().unwrap_or("");
        // The message of a refusal of this command, with who sent it.
        let msg = |code: &str| Msg::new(code).arg("by", &c.by).arg("target", target);
        let refused = match c.action {
            Action::Play => "station-cmd-play-refused",
            Action::Stop => "station-cmd-stop-refused",
        };
        let issued = c.issued().map_err(|e| (e.to_string(), msg(refused)))?;
        let now = self.clock.now();
        let age = now - issued.with_timezone(&Utc);
        let what = match c.action {
            Action::Play => format!("play now {}", c.target.as_deref().unwrap_or("")),
            Action::Stop => "stop".to_string(),
        };
        if age > COMMAND_MAX_AGE || age < -COMMAND_MAX_AGE {
            let late = match c.action {
                Action::Play => "station-cmd-late-play",
                Action::Stop => "station-cmd-late-stop",
            };
            let m = msg(late)
                .arg("age", age.num_seconds())
                .arg("limit", COMMAND_MAX_AGE.num_seconds());
            return Err((format!(
                "{what} from hub user {} (sequence {seq}) issued at {} was not executed: it reached the station {} s later, over the {} s limit (a late play now must not air; check the station's link and clock)",
                c.by,
                c.issued_at,
                age.num_seconds(),
                COMMAND_MAX_AGE.num_seconds()
            ), m));
        }
        let who = format!("hub user {}", c.by);
        let reply = match c.action {
            Action::Play => {
                if !plain_target(target) {
                    return Err((
                        format!(
                            "{what} from hub user {}: the target must be a program id or a clip name",
                            c.by
                        ),
                        msg("station-cmd-bad-target"),
                    ));
                }
                tracing::info!("hub command (sequence {seq}): {what} by {who}");
                self.play(target, c.priority, who)
            }
            Action::Stop => {
                tracing::info!("hub command (sequence {seq}): stop by {who}");
                self.stop_by(who)
            }
        };
        if reply.ok {
            Ok(())
        } else {
            // The station's own reason as a message, with who sent the command.
            let m = reply
                .data
                .get("msg")
                .and_then(Msg::from_json)
                .map(|m| m.arg("by", &c.by).arg("target", target))
                .unwrap_or_else(|| msg(refused));
            // The hub shows what the station reports: its clips folder is
            // named, not given as a path.
            let clips = self.cfg.paths.clips.display().to_string();
            let why = reply
                .error
                .unwrap_or_default()
                .replace(&clips, "the station's clips folder");
            Err((
                format!(
                    "{what} from hub user {} (sequence {seq}) was refused by the station: {why}",
                    c.by
                ),
                m,
            ))
        }
    }
}
