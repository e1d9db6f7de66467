//! What wakes the daemon: a finished broadcast, a signal, or a control request.
//!
//! Everything that happens outside the scheduling loop arrives as an [`Event`]
//! on one channel, so the loop is the only place that changes daemon state.

use std::sync::mpsc::Sender;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::control::Call;
use crate::playout::BroadcastReport;

pub enum Event {
    /// Broadcast number `seq` ended.
    Done { seq: u64, report: BroadcastReport },
    /// Re-read the config (SIGHUP).
    Reload,
    /// Stop airing, record, exit (SIGTERM, SIGINT).
    Shutdown,
    /// The feed worker finished a sync: re-read the store's index.
    FeedSynced,
    /// A request from the control socket, to answer.
    Control(Call),
    /// The hub says its feed has a new sequence: sync now.
    HubNudge,
    /// A timetable document from the hub passed its signature, station and
    /// sequence checks: validate and apply it (`daemon::hub`).
    HubPrograms(Box<crate::link::programs::Fetched>),
}

/// Forward SIGHUP/SIGTERM/SIGINT to the loop.
pub fn forward_signals(tx: Sender<Event>) -> std::io::Result<()> {
    let mut signals = Signals::new([SIGHUP, SIGTERM, SIGINT])?;
    std::thread::Builder::new()
        .name("loa-signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                let ev = if sig == SIGHUP {
                    Event::Reload
                } else {
                    Event::Shutdown
                };
                if tx.send(ev).is_err() {
                    break;
                }
            }
        })?;
    Ok(())
}
