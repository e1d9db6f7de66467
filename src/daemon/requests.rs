//! Answers control-socket requests on the scheduling loop: status, play,
//! stop, reload. Each answer is computed from the daemon's own state; nothing
//! here blocks (the client waits on its own thread).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use serde_json::json;

use super::outcome::{local, StopCause};
use super::station::{Job, Station};
use crate::config::Item;
use crate::control::{
    Call, ClockState, FeedStatus, NextStatus, OnAirStatus, OutputState, OutputStatus, Reply,
    Request, Status, StoreStatus, EXIT_FAILURE, EXIT_INVALID_CONFIG,
};
use crate::i18n::Msg;
use crate::schedule::{self, Occurrence};

/// `loa play` without `--priority`: above the timetable's usual 10, below
/// emergencies (100): an operator's "play now" interrupts routine programs,
/// never an emergency.
pub const MANUAL_PRIORITY: u32 = 50;
/// How many upcoming broadcasts `status` lists.
const NEXT_SHOWN: usize = 5;

impl Station {
    pub fn answer(&mut self, call: Call) {
        let peer = call.peer;
        let reply = match call.request.clone() {
            Request::Status => Reply::status(&self.status()),
            Request::Play { target, priority } => self.play(&target, priority, peer.describe()),
            Request::Stop => self.stop_by(peer.describe()),
            Request::Reload => match self.reload() {
                Ok(n) => Reply::ok(json!({ "programs": n })),
                Err(diags) => Reply::err_with(
                    EXIT_INVALID_CONFIG,
                    "the new config has errors: it was refused and the old schedule keeps running",
                    json!({
                        "errors": diags.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                        "msg": Msg::new("station-cmd-reload-invalid").to_json(),
                    }),
                ),
            },
        };
        if !reply.ok {
            tracing::info!(
                "control: {} from {} refused: {}",
                call.request.name(),
                peer.describe(),
                reply.error.as_deref().unwrap_or("")
            );
        }
        call.answer(reply);
    }

    fn status(&self) -> Status {
        let now = self.clock.now();
        let tz = self.tz();
        let on_air = self
            .on_air
            .as_ref()
            .filter(|a| a.recorded)
            .or(self.fading.as_ref())
            .map(|a| {
                let p = a.broadcast.progress();
                OnAirStatus {
                    occurrence: a.occ.id.clone(),
                    program: a.occ.program.clone(),
                    item: (!p.item_name.is_empty()).then_some(p.item_name),
                    position_s: p.position.as_secs_f64(),
                    title: a.occ.title.clone(),
                    elapsed_s: p.elapsed.as_secs_f64(),
                    started: local(a.started, tz),
                    priority: a.occ.priority,
                }
            });
        let on_air_id = on_air.as_ref().map(|a| a.occurrence.clone());
        let next =
            schedule::occurrences(&self.sched, now, now + TimeDelta::days(8), Some(self.boot))
                .into_iter()
                .filter(|o| {
                    !self.facts.done.contains(&o.id) && on_air_id.as_deref() != Some(o.id.as_str())
                })
                .filter(|o| schedule::quiet_reason(&self.sched, o).is_none())
                .take(NEXT_SHOWN)
                .map(|o| NextStatus {
                    occurrence: o.id.clone(),
                    start: o.start.fixed_offset(),
                    program: o.program.clone(),
                    title: o.title.clone(),
                    priority: o.priority,
                })
                .collect();
        let (state, error) = match (&self.output, &self.open_error) {
            (Some(_), _) if on_air.is_some() => (OutputState::OnAir, None),
            (Some(out), _) => (OutputState::Ready, out.failure()),
            (None, Some((e, _))) => (OutputState::Failed, Some(e.clone())),
            (None, None) => (OutputState::Closed, None),
        };
        // The SPEC's single `feed` object: the first configured feed.
        let feed = self.cfg.feeds.first().map(|f| {
            let st = self.view.statuses.get(&f.url);
            let acc = self.view.accepted.get(&f.url);
            FeedStatus {
                last_sync: st.and_then(|s| s.last_attempt).map(|t| local(t, tz)),
                result: st
                    .map(|s| s.last_result.clone())
                    .filter(|r| !r.is_empty())
                    .unwrap_or_else(|| "not synced yet".into()),
                sequence: acc.map(|a| a.sequence),
                stale: st.is_some_and(|s| s.stale) || acc.is_some_and(|a| a.is_stale(now)),
            }
        });
        Status {
            on_air,
            next,
            feed,
            store: StoreStatus {
                clips: self.view.usage.0,
                bytes: self.view.usage.1,
            },
            output: OutputStatus {
                device: self.output_spec().to_string(),
                state,
                error,
            },
            clock: if schedule::clock_trusted(&self.facts, now) {
                ClockState::Ok
            } else {
                ClockState::Untrusted
            },
            now: local(now, tz),
            since: local(self.boot, tz),
            version: env!("CARGO_PKG_VERSION").to_string(),
            station: Some(self.cfg.station.name.clone()),
        }
    }

    /// What `target` names: a program id, a station clip (file name under
    /// `[paths] clips`, with or without its extension), or a file path.
    fn resolve(&self, target: &str, priority: Option<u32>, who: String) -> Result<Job, String> {
        let now = self.clock.now().with_timezone(&self.tz());
        let id = |name: &str| {
            format!(
                "{name}@{}",
                now.to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
            )
        };
        if let Some((index, p)) = self
            .cfg
            .programs
            .iter()
            .enumerate()
            .find(|(_, p)| p.id == target)
        {
            let occ = Occurrence {
                id: id(&p.id),
                program: p.id.clone(),
                index,
                title: p.title.clone(),
                start: now,
                priority: priority.unwrap_or(p.priority.max(MANUAL_PRIORITY)),
                late_limit: Duration::ZERO,
            };
            return Ok(Job {
                occ,
                play: p.play.clone(),
                volume: p.volume,
                max_duration: p.max_duration,
                requested_by: Some(who),
                feed: None,
            });
        }
        let file = self.find_clip(target).ok_or_else(|| {
            let programs: Vec<&str> = self.cfg.programs.iter().map(|p| p.id.as_str()).collect();
            format!(
                "`{target}` is not a program ({}), a clip in {}, or a file",
                if programs.is_empty() {
                    "none".to_string()
                } else {
                    programs.join(", ")
                },
                self.cfg.paths.clips.display()
            )
        })?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let occ = Occurrence {
            id: id("play"),
            program: "play".into(),
            index: usize::MAX,
            title: format!("Phát ngay / play now: {name}"),
            start: now,
            priority: priority.unwrap_or(MANUAL_PRIORITY),
            late_limit: Duration::ZERO,
        };
        Ok(Job {
            occ,
            play: vec![Item::File(file)],
            volume: 1.0,
            max_duration: None,
            requested_by: Some(who),
            feed: None,
        })
    }

    fn find_clip(&self, target: &str) -> Option<PathBuf> {
        let direct = PathBuf::from(target);
        if direct.is_absolute() {
            return direct.is_file().then_some(direct);
        }
        let dir = &self.cfg.paths.clips;
        if target.contains('/') || target.starts_with('.') {
            return None;
        }
        std::iter::once(dir.join(target))
            .chain(
                ["ogg", "mp3", "wav", "flac"]
                    .iter()
                    .map(|e| dir.join(format!("{target}.{e}"))),
            )
            .find(|p| p.is_file())
    }

    /// Air `target` now on behalf of `who` (a local user, or a hub user's command).
    pub(super) fn play(&mut self, target: &str, priority: Option<u32>, who: String) -> Reply {
        let job = match self.resolve(target, priority, who.clone()) {
            Ok(j) => j,
            Err(e) => {
                let programs: Vec<&str> = self.cfg.programs.iter().map(|p| p.id.as_str()).collect();
                let msg = Msg::new("station-cmd-play-unknown")
                    .arg("target", target)
                    .arg("programs", programs.join(", "));
                return refusal(e, msg);
            }
        };
        if let Some(q) = &self.queued {
            let msg = Msg::new("station-cmd-play-queued")
                .arg("target", target)
                .arg("waiting", &q.occ.id);
            return refusal(
                format!(
                    "{} is already waiting to start: try again in a moment",
                    q.occ.id
                ),
                msg,
            );
        }
        let id = job.occ.id.clone();
        tracing::info!(
            "control: play {target} (priority {}) from {who}",
            job.occ.priority,
        );
        match self.on_air.as_mut() {
            None => {
                self.start(job, Instant::now(), Utc::now().max(self.clock.now()));
                Reply::ok(json!({ "occurrence": id, "state": "on_air" }))
            }
            Some(cur) if !cur.recorded || job.occ.priority > cur.occ.priority => {
                if cur.cause.is_none() {
                    cur.cause = Some(StopCause::Preempted(id.clone()));
                    cur.broadcast.stop();
                }
                self.queued = Some(job);
                Reply::ok(json!({ "occurrence": id, "state": "starting" }))
            }
            Some(cur) => refusal(
                format!(
                    "{} (priority {}) is on air: use --priority {} to interrupt it, or `loa stop` first",
                    cur.occ.id,
                    cur.occ.priority,
                    cur.occ.priority + 1
                ),
                Msg::new("station-cmd-play-busy")
                    .arg("target", target)
                    .arg("current", &cur.occ.id)
                    .arg("priority", cur.occ.priority)
                    .arg("needed", cur.occ.priority + 1),
            ),
        }
    }

    /// Stop what is on air (and a queued play) on behalf of `who`.
    pub(super) fn stop_by(&mut self, who: String) -> Reply {
        let cancelled = self.queued.take().map(|q| q.occ.id);
        let stopping = match self.on_air.as_mut().filter(|a| a.recorded) {
            Some(a) if a.cause.is_none() => {
                tracing::info!("control: stop {} from {who}", a.occ.id);
                a.cause = Some(StopCause::Operator(who.clone()));
                a.broadcast.stop();
                Some(a.occ.id.clone())
            }
            Some(a) if cancelled.is_none() => {
                return refusal(
                    format!("{} is already stopping", a.occ.id),
                    Msg::new("station-cmd-stop-already").arg("current", &a.occ.id),
                );
            }
            Some(a) => Some(a.occ.id.clone()),
            None if cancelled.is_none() => {
                return refusal(
                    "nothing is on air".into(),
                    Msg::new("station-cmd-stop-nothing"),
                )
            }
            None => None,
        };
        Reply::ok(json!({ "stopped": stopping.or(cancelled.clone()), "cancelled": cancelled }))
    }
}

/// A refused play or stop: the English text, and the same as a message
/// (`{"msg": {code, args}}` in the reply's payload) for the hub to render.
fn refusal(text: String, msg: Msg) -> Reply {
    Reply::err_with(EXIT_FAILURE, text, json!({ "msg": msg.to_json() }))
}
