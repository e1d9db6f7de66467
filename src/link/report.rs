//! The heartbeat + as-run upload loop: every `[hub] heartbeat` (±10 %), and
//! at once when kicked (a broadcast started or ended), it sends the station's
//! status to the hub, then every as-run line after the hub's last one, in
//! batches. Failures back off with jitter (from 5 s, at most the interval, or
//! a minute); the as-run log itself is the queue, so nothing is lost while
//! the hub is away, and a line the hub already holds is sent again harmlessly.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::creds::Credentials;
use super::cursor::{self, Cursor};
use super::http::{post_json, LinkError};
use crate::clock::Clock;
use crate::feed::state::Backoff;

/// Lines per upload, and about this many bytes.
pub const BATCH_LINES: usize = 500;
pub const BATCH_BYTES: usize = 1024 * 1024;
/// A heartbeat stays under this (the hub takes up to 128 KiB): past it, the
/// own programs' text is left out (their digest still goes).
pub const MAX_HEARTBEAT: usize = 120 * 1024;

pub struct Reporter {
    pub creds: Arc<Credentials>,
    pub client: reqwest::Client,
    pub state: PathBuf,
    /// The station's clips folder: its file names go into `local_clips`.
    pub clips: PathBuf,
    /// `[hub] heartbeat`, changed by a reload.
    pub interval: tokio::sync::watch::Receiver<Duration>,
    pub clock: Clock,
    pub kick: Arc<tokio::sync::Notify>,
    /// The hub timetable's state (`programs_sequence`, `programs_error`).
    pub programs: Arc<std::sync::Mutex<super::programs::Report>>,
    /// The station's timezone, quiet hours and own programs, changed by a reload.
    pub frame: Arc<std::sync::Mutex<super::Frame>>,
}

impl Reporter {
    pub async fn run(mut self) {
        let started = Instant::now();
        let mut every = *self.interval.borrow_and_update();
        let mut ok_pace = Backoff::new(every);
        let mut fail_pace = Backoff::new(Duration::from_secs(5));
        let mut errors: Vec<String> = vec![];
        // The digest of the own programs the hub holds (its last answer).
        let mut hub_own: Option<String> = None;
        loop {
            let now_every = *self.interval.borrow_and_update();
            if now_every != every {
                every = now_every;
                ok_pace = Backoff::new(every);
            }
            let beat = self.heartbeat(started, &errors, &mut hub_own).await;
            let upload = match &beat {
                Ok(()) => self.upload().await,
                Err(_) => Ok(()),
            };
            errors.clear();
            // A hub that answers but refuses the lines (a chain break waiting
            // for an admin) is asked again at the heartbeat pace, not backed
            // off from: the acknowledgment should take effect within a beat.
            let ok = beat.is_ok()
                && !matches!(
                    upload,
                    Err(LinkError::Unreachable { .. } | LinkError::Net(_))
                );
            for e in [beat.err(), upload.err()].into_iter().flatten() {
                tracing::warn!("hub link: {e}");
                errors.push(e.to_string());
            }
            let wait = if ok {
                fail_pace.next_delay(true);
                ok_pace.next_delay(true)
            } else {
                fail_pace
                    .next_delay(false)
                    .min(every.max(Duration::from_secs(60)))
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.kick.notified() => {}
                // A closed channel (the link is going away) just waits.
                Ok(()) = self.interval.changed() => {}
            }
        }
    }

    fn url(&self, what: &str) -> String {
        format!(
            "{}/api/v1/stations/{}/{what}",
            self.creds.hub, self.creds.station
        )
    }

    async fn heartbeat(
        &self,
        started: Instant,
        errors: &[String],
        hub_own: &mut Option<String>,
    ) -> Result<(), LinkError> {
        let socket = crate::control::socket_path(&self.state);
        let status = tokio::task::spawn_blocking(move || {
            crate::control::client::request(
                &socket,
                &crate::control::protocol::Request::Status,
                Duration::from_secs(5),
            )
        })
        .await;
        let mut body = match status {
            Ok(Ok(reply)) if reply.ok && reply.data.is_object() => reply.data,
            _ => json!({ "on_air": null }),
        };
        let o = body.as_object_mut().expect("an object");
        o.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
        o.insert("uptime_s".into(), json!(started.elapsed().as_secs()));
        o.insert("clock".into(), json!(self.clock.now().to_rfc3339()));
        o.insert("disk_free_bytes".into(), json!(disk_free(&self.state)));
        let programs = self.programs.lock().map(|r| r.clone()).unwrap_or_default();
        let mut errors = errors.to_vec();
        errors.extend(programs.error.iter().cloned());
        o.insert("errors".into(), json!(errors));
        o.insert("programs_sequence".into(), json!(programs.applied));
        o.insert("programs_error".into(), json!(programs.error));
        o.insert(
            "programs_error_msg".into(),
            programs.msg.as_ref().map(|m| m.to_json()).into(),
        );
        let clips = self.clips.clone();
        let names = tokio::task::spawn_blocking(move || local_clips(&clips))
            .await
            .unwrap_or_default();
        o.insert("local_clips".into(), json!(names));
        let frame = self.frame.lock().map(|f| f.clone()).unwrap_or_default();
        o.insert("timezone".into(), json!(frame.timezone));
        o.insert("quiet_hours".into(), json!(frame.quiet_hours));
        o.insert("own_programs_sha256".into(), json!(frame.own_sha256));
        o.insert(
            "heartbeat_s".into(),
            json!(self.interval.borrow().as_secs().max(1)),
        );
        if hub_own.as_deref() != Some(frame.own_sha256.as_str()) {
            let size = body.to_string().len() + frame.own_programs.len() * 2 + 20;
            if size > MAX_HEARTBEAT {
                tracing::warn!("hub link: the heartbeat would be {size} bytes, over {MAX_HEARTBEAT}; the own programs are left out of it");
            } else if let Some(o) = body.as_object_mut() {
                o.insert("own_programs".into(), json!(frame.own_programs));
            }
        }
        let answer = post_json(
            &self.client,
            &self.url("heartbeat"),
            Some(&self.creds.token),
            &body,
        )
        .await?;
        // The digest the hub holds (null: none, the text goes next time). A
        // hub that does not answer it does not keep the text: not sent again
        // until the programs change.
        *hub_own = match answer.get("own_programs_sha256") {
            None => Some(frame.own_sha256),
            Some(v) => v.as_str().map(String::from),
        };
        Ok(())
    }

    /// Send every pending line, batch by batch.
    async fn upload(&self) -> Result<(), LinkError> {
        let log = self.state.join(crate::record::FILE_NAME);
        let mut cur = Cursor::load(&self.state, &self.creds.station);
        let io = |e: std::io::Error| LinkError::Creds {
            path: log.display().to_string(),
            msg: e.to_string(),
        };
        // Bounded: each round either sends a batch or repositions once.
        let mut repositioned = false;
        loop {
            let (l, c) = (log.clone(), cur.clone());
            let batch = tokio::task::spawn_blocking(move || {
                cursor::pending(&l, &c, BATCH_LINES, BATCH_BYTES)
            })
            .await
            .map_err(|e| LinkError::Net(e.to_string()))?
            .map_err(io)?;
            let batch = match batch {
                Ok(b) => b,
                Err(cursor::Misplaced) if !repositioned => {
                    repositioned = true;
                    cur.offset = cursor::find(&log, &cur.last).map_err(io)?.unwrap_or(0);
                    if cur.offset == 0 {
                        cur.last = crate::record::GENESIS.into();
                    }
                    continue;
                }
                Err(cursor::Misplaced) => {
                    // The acknowledged line is gone: offer everything again;
                    // the hub keeps what it holds once and flags a real break.
                    cur = Cursor::genesis(&self.creds.station);
                    match cursor::pending(&log, &cur, BATCH_LINES, BATCH_BYTES).map_err(io)? {
                        Ok(b) => b,
                        Err(cursor::Misplaced) => {
                            return Err(LinkError::BadAnswer {
                                url: log.display().to_string(),
                                msg: "the as-run log does not start a chain (its first line's prev is not 64 zeros): check it with `loa log --verify`".into(),
                            })
                        }
                    }
                }
            };
            let Some(end) = batch.ends.last().copied() else {
                return Ok(());
            };
            let sent_last =
                cursor::sha(batch.lines.last().map(String::as_bytes).unwrap_or_default());
            let body = json!({ "lines": batch.lines });
            match post_json(
                &self.client,
                &self.url("asrun"),
                Some(&self.creds.token),
                &body,
            )
            .await
            {
                Ok(v) => {
                    let last = v.get("last").and_then(Value::as_str).unwrap_or_default();
                    if last == sent_last {
                        cur = Cursor {
                            station: self.creds.station.clone(),
                            last: sent_last,
                            offset: end,
                        };
                        cur.save(&self.state).map_err(io)?;
                        repositioned = false;
                    } else {
                        return Err(LinkError::BadAnswer {
                            url: self.url("asrun"),
                            msg: format!("the hub's last line is {last}, not the last one sent"),
                        });
                    }
                }
                Err(LinkError::Refused {
                    status: 409, body, ..
                }) if !repositioned => {
                    // The hub holds a different newest line: continue after it
                    // when it is in this log (a cursor lost with a kill, a hub
                    // restored from a backup).
                    repositioned = true;
                    let last = body.get("last").and_then(Value::as_str).unwrap_or_default();
                    match cursor::find(&log, last).map_err(io)? {
                        Some(off) => {
                            cur = Cursor {
                                station: self.creds.station.clone(),
                                last: last.into(),
                                offset: off,
                            };
                        }
                        None => return Err(chain_break(&body)),
                    }
                }
                Err(LinkError::Refused {
                    status: 409, body, ..
                }) => return Err(chain_break(&body)),
                Err(e) => return Err(e),
            }
        }
    }
}

fn chain_break(body: &Value) -> LinkError {
    LinkError::BadAnswer {
        url: "as-run".into(),
        msg: format!(
            "as-run chain break: {}",
            body.get("reason_en")
                .and_then(Value::as_str)
                .unwrap_or("the hub refused the lines")
        ),
    }
}

/// The most clip names a heartbeat lists.
pub const MAX_LOCAL_CLIPS: usize = 500;

/// The station's own clip files (plain names, sorted), for the hub's
/// programs editor and its checks.
pub fn local_clips(dir: &std::path::Path) -> Vec<String> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut names: Vec<String> = rd
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names.truncate(MAX_LOCAL_CLIPS);
    names
}

/// Free bytes for loa on the state folder's file system.
pub fn disk_free(path: &std::path::Path) -> u64 {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return 0;
    };
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid C string and `s` a writable statvfs.
    if unsafe { libc::statvfs(c.as_ptr(), &mut s) } != 0 {
        return 0;
    }
    (s.f_bavail as u64).saturating_mul(s.f_frsize as u64)
}
