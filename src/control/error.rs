//! Why the control server could not start.
//!
//! Only server start-up errors live here; per-request failures travel as
//! [`super::Reply`] values and client failures as [`super::ClientError`].

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    #[error("another loa is running: it answers on the control socket {}; stop it first (`systemctl stop loa`) or give this one another state directory", .0.display())]
    AlreadyRunning(PathBuf),
    #[error("{} exists and is not a socket: remove it or choose another state directory", .0.display())]
    NotASocket(PathBuf),
    #[error("cannot remove the stale control socket {}: {source}", path.display())]
    RemoveStale {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the control socket {}: {source} (does the state directory exist and is it writable by loa?)", path.display())]
    Bind {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot set the mode of the control socket {} to 0660: {source}", path.display())]
    Chmod {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot start the control socket thread: {0}")]
    Thread(std::io::Error),
}
