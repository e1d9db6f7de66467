//! The station daemon (`loa run`): the only place that knows about threads,
//! channels and signals.
//!
//! It asks `schedule` what is due and next, waits on a monotonic timer,
//! re-reads the wall clock on every wake, hands broadcasts to `playout` and
//! writes what happened to `record`. It never decides scheduling rules itself.

mod analyze;
mod ending;
mod events;
mod feeds;
pub use feeds::spec_of;
mod hub;
mod notify;
mod outcome;
mod power;
mod preempt;
mod requests;
mod resolve;
mod start;
mod station;
mod trim;

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use crate::clock::Clock;
use crate::config::{self, Config, LoadOptions};
use crate::record::AsRun;

pub use events::Event;
use station::Station;

/// How `loa run` was asked to run.
pub struct Options {
    pub config: PathBuf,
    pub output: Option<String>,
    pub clock: Clock,
}

/// The longest the loop sleeps without looking at the wall clock again: bounds
/// how late a forward clock step is noticed, costs nothing measurable.
pub const MAX_SLEEP: Duration = Duration::from_secs(5);

/// How long a control request may wait for the loop (clients wait longer).
const CONTROL_WAIT: Duration = Duration::from_secs(8);

/// Why the daemon could not start.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error("{}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
    Config(Vec<config::Diagnostic>),
    #[error("as-run log: {0}")]
    Record(#[from] crate::record::RecordError),
    #[error("{0}")]
    Control(crate::control::ControlError),
    #[error("cannot watch signals: {0}")]
    Signals(std::io::Error),
}

/// Load the config for the daemon: missing clips are warnings (skipped at air
/// time); the feed of the hub the station is enrolled with is added.
pub fn load_config(path: &std::path::Path) -> Result<Config, Vec<config::Diagnostic>> {
    load_config_merged(path).map(|(cfg, _)| cfg)
}

/// `load_config`, plus the timetable the hub sent (`STATE/hub-programs.toml`)
/// added to the config file's programs, and how that went.
pub fn load_config_merged(
    path: &std::path::Path,
) -> Result<(Config, crate::link::programs::Merged), Vec<config::Diagnostic>> {
    let loaded = config::load(path, &LoadOptions { probe: None })?;
    for w in &loaded.warnings {
        tracing::warn!("{w}");
    }
    let mut cfg = loaded.config;
    // Enrolled with a hub (`loa enroll`): follow its feed and timetable too, no config edit.
    crate::link::add_hub_feed(&mut cfg);
    let merged = crate::link::programs::merge(&mut cfg);
    Ok((cfg, merged))
}

/// Run until SIGTERM/SIGINT.
pub fn run(opts: Options) -> Result<(), DaemonError> {
    let (cfg, merged) = load_config_merged(&opts.config).map_err(DaemonError::Config)?;
    let asrun = AsRun::open(&cfg.paths.state)?;
    let (tx, rx) = mpsc::channel();
    events::forward_signals(tx.clone()).map_err(DaemonError::Signals)?;
    let socket = crate::control::socket_path(&cfg.paths.state);
    let dispatch = crate::control::via_channel(tx.clone(), Event::Control, CONTROL_WAIT);
    // Without the socket loa still airs; the operator just cannot steer it.
    let _server = match crate::control::Server::start(&socket, dispatch) {
        Ok(s) => Some(s),
        Err(e @ crate::control::ControlError::AlreadyRunning(_)) => {
            return Err(DaemonError::Control(e))
        }
        Err(e) => {
            tracing::error!(
                "control socket unavailable ({e}): status/play/stop/reload will not work"
            );
            None
        }
    };
    let clock = opts.clock;
    let mut station = Station::new(cfg, opts, asrun, tx.clone());
    let nudges = tx.clone();
    let documents = tx.clone();
    station.link = crate::link::start(
        &station.cfg,
        clock,
        move || {
            let _ = nudges.send(Event::HubNudge);
        },
        move |f| {
            let _ = documents.send(Event::HubPrograms(Box::new(f)));
        },
    );
    station.set_hub(merged);
    station.analyze();
    station.close_interrupted();
    station.notifier.ready("starting");
    tracing::info!(
        "loa {} running: {} programs, output {}, state {}",
        env!("CARGO_PKG_VERSION"),
        station.cfg.programs.len(),
        station.output_spec(),
        station.cfg.paths.state.display()
    );
    let mut trim = trim::Trim::new(std::time::Instant::now());
    loop {
        let wait = station.pass();
        station.notifier.tick();
        let wait = match station.notifier.ping_every() {
            Some(p) => wait.min(p),
            None => wait,
        };
        // Idle: give back code pages now and then (`trim`); a broadcast's
        // end wakes the loop anyway.
        let idle = station.on_air.is_none();
        trim.run_if_due(std::time::Instant::now(), idle);
        let wait = if idle {
            wait.min(trim.due_in(std::time::Instant::now()))
        } else {
            wait
        };
        match rx.recv_timeout(wait) {
            Ok(Event::Shutdown) => {
                station.shutdown(&rx);
                return Ok(());
            }
            Ok(ev) => station.handle(ev),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}
