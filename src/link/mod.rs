//! The station's link to the hub it is enrolled with (HUB.md "Station API"):
//! `loa enroll` (credentials and the hub's key in `STATE/hub.json`), then,
//! inside `loa run`, three tasks on the one network runtime (`crate::net`):
//! heartbeats (every `[hub] heartbeat`, and at once when a broadcast starts or
//! ends), the as-run upload (raw lines after the hub's last acknowledged one,
//! in batches), one events stream whose nudges make the feed sync at once, and
//! the follower of the station's own timetable document (HUB.md), whose
//! documents the daemon validates and applies like a reload.
//!
//! The link never blocks the scheduling loop: the loop only pokes it
//! ([`Link::kick`]) and hears nudges as [`crate::daemon::Event::HubNudge`].
//! A hub that is down or slow costs nothing on air: reports wait (the as-run
//! log itself is the queue) and retries back off with jitter.
//!
//! ```text
//! creds.rs   STATE/hub.json (0600): read, write; the hub's feed added to the config's
//! enroll.rs  `loa enroll URL CODE`
//! http.rs    POST JSON with the bearer token, answers capped; run futures on the net thread
//! cursor.rs  STATE/hub-asrun.json: the last line the hub acknowledged; lines after it
//! report.rs  the heartbeat + upload loop
//! events.rs  the events stream (SSE), reconnecting with backoff and jitter
//! programs.rs STATE/hub-programs.toml: the accepted timetable; vetting, validating, merging
//! follow.rs  fetch the timetable document on nudges and polls, vet it, hand it to the daemon
//! ```

mod creds;
mod cursor;
mod enroll;
mod events;
mod follow;
mod http;
pub mod own;
pub mod programs;
mod report;

use std::sync::Arc;

pub use creds::{add_hub_feed, Credentials, CREDS_FILE};
pub use cursor::{Cursor, CURSOR_FILE};
pub use enroll::run_enroll;
pub use http::LinkError;

use crate::clock::Clock;
use crate::config::Config;

/// The running link; dropping it stops its tasks.
pub struct Link {
    kick: Arc<tokio::sync::Notify>,
    interval: tokio::sync::watch::Sender<std::time::Duration>,
    tasks: Vec<tokio::task::AbortHandle>,
    report: Arc<std::sync::Mutex<programs::Report>>,
    frame: Arc<std::sync::Mutex<Frame>>,
}

/// What the heartbeat tells the hub so its week picture is drawn as the
/// station will decide: `timezone` (IANA), `quiet_hours` (`HH:MM-HH:MM`, as
/// in the config) and the config file's own programs (`own`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frame {
    pub timezone: String,
    pub quiet_hours: Vec<String>,
    /// The own programs' TOML and its SHA-256 (`own::own_programs`).
    pub own_programs: String,
    pub own_sha256: String,
}

impl Frame {
    pub fn of(cfg: &Config) -> Frame {
        let (own_programs, own_sha256) = own::own_programs(&cfg.path);
        Frame {
            timezone: cfg.station.timezone.name().to_string(),
            quiet_hours: cfg.output.quiet_hours.iter().map(|q| q.text()).collect(),
            own_programs,
            own_sha256,
        }
    }
}

impl Link {
    /// Send a heartbeat and the new as-run lines now (a broadcast started or ended).
    pub fn kick(&self) {
        self.kick.notify_one();
    }

    /// A reloaded config: its timezone, quiet hours and own programs go into
    /// the next heartbeat; a new `[hub] heartbeat` sends the next beat at once and then
    /// at the new pace (the hub learns it from `heartbeat_s`).
    pub fn follow_config(&self, cfg: &Config) {
        let frame = Frame::of(cfg);
        let moved = self.frame.lock().map(|mut f| {
            let moved = *f != frame;
            *f = frame;
            moved
        });
        let every = cfg.hub.heartbeat;
        let paced = self.interval.send_if_modified(|d| {
            let changed = *d != every;
            *d = every;
            changed
        });
        if moved.unwrap_or(false) && !paced {
            self.kick();
        }
    }

    /// What the next heartbeat says about the hub's timetable: the sequence
    /// airing, and why a document was refused (or a command not aired).
    pub fn set_programs(
        &self,
        applied: Option<u64>,
        error: Option<String>,
        msg: Option<crate::i18n::Msg>,
    ) {
        if let Ok(mut r) = self.report.lock() {
            r.applied = applied;
            r.error = error;
            r.msg = msg;
        }
        self.kick();
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Start the link when the station is enrolled (`STATE/hub.json`); `nudge`
/// is called on the network thread for every feed nudge, `programs` for
/// every timetable document that passed its signature, station and sequence
/// checks (the daemon validates and applies it).
pub fn start(
    cfg: &Config,
    clock: Clock,
    nudge: impl Fn() + Send + Sync + 'static,
    programs: impl Fn(programs::Fetched) + Send + Sync + 'static,
) -> Option<Link> {
    let creds = match Credentials::read(&cfg.paths.state) {
        Ok(Some(c)) => c,
        Ok(None) => return None,
        Err(e) => {
            tracing::error!("hub link: {e}; the station does not report to the hub");
            return None;
        }
    };
    let net = match crate::net::shared() {
        Ok(n) => n,
        Err(e) => {
            tracing::error!("hub link: {e}");
            return None;
        }
    };
    let client = match net.client(crate::net::ClientKey::default()) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!("hub link: {e}");
            return None;
        }
    };
    let kick = Arc::new(tokio::sync::Notify::new());
    let (interval, every) = tokio::sync::watch::channel(cfg.hub.heartbeat);
    let creds = Arc::new(creds);
    let report = Arc::new(std::sync::Mutex::new(programs::Report::default()));
    let frame = Arc::new(std::sync::Mutex::new(Frame::of(cfg)));
    let reporter = report::Reporter {
        frame: frame.clone(),
        creds: creds.clone(),
        client: client.clone(),
        state: cfg.paths.state.clone(),
        clips: cfg.paths.clips.clone(),
        interval: every,
        clock,
        kick: kick.clone(),
        programs: report.clone(),
    };
    let wake = Arc::new(tokio::sync::Notify::new());
    let follower = follow::Follower {
        creds: creds.clone(),
        client: client.clone(),
        state: cfg.paths.state.clone(),
        every: cfg.hub.heartbeat,
        clock,
        wake: wake.clone(),
        report: report.clone(),
        deliver: Arc::new(programs),
    };
    let h = net.handle();
    let tasks = vec![
        h.spawn(reporter.run()).abort_handle(),
        h.spawn(follower.run()).abort_handle(),
        h.spawn(events::follow(
            creds.clone(),
            client,
            Arc::new(nudge),
            Arc::new(move || wake.notify_one()),
        ))
        .abort_handle(),
    ];
    tracing::info!(
        "hub link: station {} reports to {} every {:?}",
        creds.station,
        creds.hub,
        cfg.hub.heartbeat
    );
    Some(Link {
        kick,
        interval,
        tasks,
        report,
        frame,
    })
}
