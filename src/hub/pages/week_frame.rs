//! What the week picture of one station is drawn with, as the station will
//! decide: its timezone and quiet hours (its heartbeat), and next to the hub's
//! timetable the programs of its own config file (sent by the heartbeat once
//! per change, kept in `stations.own_programs`), marked as the station's own.
//! A station that has not reported them is drawn in the hub's zone with no
//! quiet hours and nothing of its own, and the page says so.

use std::collections::HashSet;

use chrono_tz::Tz;
use maud::{html, Markup};

use super::i18n::Lang;
use super::week::Day;
use crate::config::{Config, Severity};
use crate::hub::app::AppState;
use crate::hub::db::col;
use crate::hub::heartbeat::StationInfo;
use crate::hub::program_form::{timetable_config, CheckError};

pub struct Frame {
    pub tz: Tz,
    quiet_hours: Vec<String>,
    reported: bool,
    /// The own programs' TOML ("" when none were reported).
    own: String,
    own_ids: HashSet<String>,
}

/// A config to draw, and why the own programs were left out of it, if they were.
pub struct Drawn {
    pub config: Option<Config>,
    pub own_left_out: Option<String>,
}

impl Frame {
    /// The frame of station `st` (its heartbeat and stored own programs).
    pub async fn load(state: &AppState, st: &StationInfo, hub_tz: Tz) -> Frame {
        let own: String = sqlx::query("SELECT own_programs FROM stations WHERE id = $1")
            .bind(&st.id)
            .fetch_optional(&state.db.pool)
            .await
            .ok()
            .flatten()
            .and_then(|r| col::<Option<String>>(&r, "own_programs").ok().flatten())
            .unwrap_or_default();
        Frame::of(st, hub_tz, own)
    }

    pub fn of(st: &StationInfo, hub_tz: Tz, own: String) -> Frame {
        let own_ids = own
            .parse::<toml::Table>()
            .ok()
            .and_then(|t| t.get("program").and_then(|p| p.as_array()).cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|p| p.get("id").and_then(|i| i.as_str()).map(String::from))
            .collect();
        match st.timezone.as_deref().and_then(|z| z.parse().ok()) {
            Some(tz) => Frame {
                tz,
                quiet_hours: st.quiet_hours.clone(),
                reported: true,
                own,
                own_ids,
            },
            None => Frame {
                tz: hub_tz,
                quiet_hours: vec![],
                reported: false,
                own: String::new(),
                own_ids: HashSet::new(),
            },
        }
    }

    /// The hub's `programs` (if any) and the station's own, as the station
    /// would run them. Quiet hours the hub's checks refuse are left out rather
    /// than the picture; own programs that cannot be drawn with the hub's
    /// (an id in both, say) are left out, and why is returned.
    pub fn config(&self, programs: Option<&str>, name: &str) -> Drawn {
        let hub = programs.unwrap_or("");
        let build = |text: &str| {
            timetable_config(text, name, self.tz, &self.quiet_hours)
                .or_else(|_| timetable_config(text, name, self.tz, &[]))
                .map(|c| c.0)
        };
        if self.own.trim().is_empty() {
            return Drawn {
                config: programs.and_then(|p| build(p).ok()),
                own_left_out: None,
            };
        }
        match build(&format!("{hub}\n{}", self.own)) {
            Ok(c) => Drawn {
                config: Some(c),
                own_left_out: None,
            },
            Err(CheckError::Invalid(diags)) => Drawn {
                config: programs.and_then(|p| build(p).ok()),
                own_left_out: Some(
                    diags
                        .iter()
                        .find(|d| d.severity == Severity::Error)
                        .or(diags.first())
                        .map(|d| d.message.clone())
                        .unwrap_or_default(),
                ),
            },
        }
    }

    /// Whether the station reported programs of its own.
    pub fn has_own(&self) -> bool {
        !self.own_ids.is_empty()
    }

    /// Mark the blocks of the station's own programs (when `drawn` has them).
    pub fn mark_own(&self, drawn: &Drawn, days: &mut [Day]) {
        if drawn.own_left_out.is_some() {
            return;
        }
        for b in days.iter_mut().flat_map(|d| d.blocks.iter_mut()) {
            b.own = self.own_ids.contains(&b.entry.occ.program);
        }
    }

    /// The line under the week's title: whose time, which quiet hours.
    pub fn note(&self, l: Lang, own_left_out: Option<&str>) -> Markup {
        let quiet = self.quiet_hours.join(", ");
        html! {
            p class="meta" id="week-frame" data-tz=(self.tz.name()) data-quiet=(quiet) data-own=(self.own_ids.len()) {
                @if !self.reported {
                    (crate::tr!(l, "week-frame-unreported"))
                } @else {
                    (crate::tr!(l, "week-frame-station-time", tz = self.tz.name())) " "
                    @if quiet.is_empty() {
                        (crate::tr!(l, "week-frame-no-quiet"))
                    } @else {
                        (crate::tr!(l, "week-frame-quiet", quiet = quiet.clone()))
                    }
                    @if self.has_own() {
                        " " (crate::tr!(l, "week-frame-own"))
                    }
                }
            }
            @if let Some(why) = own_left_out {
                p class="msg err" id="own-left-out" {
                    (crate::tr!(l, "week-frame-own-left-out", why = why.to_string()))
                }
            }
        }
    }
}
