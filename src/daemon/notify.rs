//! systemd notifications: READY, STATUS, WATCHDOG, RELOADING, STOPPING.
//!
//! A no-op when not started by systemd (no NOTIFY_SOCKET). Failures to notify
//! are logged at debug level and never stop the daemon.

use sd_notify::NotifyState;
use std::time::{Duration, Instant};

pub struct Notifier {
    watchdog: Option<Duration>,
    last_ping: Option<Instant>,
}

impl Notifier {
    pub fn new() -> Notifier {
        let watchdog = sd_notify::watchdog_enabled();
        Notifier {
            watchdog,
            last_ping: None,
        }
    }

    /// How often the loop must wake to keep the watchdog fed.
    pub fn ping_every(&self) -> Option<Duration> {
        self.watchdog.map(|w| w / 3)
    }

    pub fn ready(&self, status: &str) {
        send(&[NotifyState::Ready, NotifyState::Status(status)]);
    }

    pub fn status(&self, status: &str) {
        send(&[NotifyState::Status(status)]);
    }

    pub fn reloading(&self) {
        send(&[NotifyState::Reloading]);
    }

    pub fn stopping(&self) {
        send(&[NotifyState::Stopping]);
    }

    /// Called from the scheduling loop on every pass: a hung loop stops the pings.
    pub fn tick(&mut self) {
        let Some(every) = self.ping_every() else {
            return;
        };
        if self.last_ping.is_none_or(|t| t.elapsed() >= every) {
            send(&[NotifyState::Watchdog]);
            self.last_ping = Some(Instant::now());
        }
    }
}

fn send(states: &[NotifyState]) {
    if let Err(e) = sd_notify::notify(states) {
        tracing::debug!("sd_notify: {e}");
    }
}
