//! The control socket: how `loa status|play|stop|reload` talk to `loa run`.
//!
//! Owns the wire protocol (JSON lines), the status shape scripts rely on, the
//! socket server (one thread per connection, peer check by SO_PEERCRED) and
//! the client. It never touches daemon state: the daemon hands the server a
//! dispatch function and answers requests on its own loop.

pub mod client;
mod dispatch;
mod error;
mod line;
mod peer;
pub mod protocol;
mod render;
pub mod server;
mod status;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use client::{request, Client, ClientError};
pub use dispatch::{via_channel, Call, Dispatch};
pub use error::ControlError;
pub use peer::{allowed, Peer};
pub use protocol::{Reply, Request, EXIT_FAILURE, EXIT_INVALID_CONFIG};
pub use render::render_status;
pub use server::{Limits, Server};
pub use status::{
    ClockState, FeedStatus, NextStatus, OnAirStatus, OutputState, OutputStatus, Status, StoreStatus,
};

/// File name of the control socket inside the state directory.
pub const SOCKET_NAME: &str = "control.sock";

/// Where the daemon listens: `STATE/control.sock`.
pub fn socket_path(state_dir: &Path) -> PathBuf {
    state_dir.join(SOCKET_NAME)
}
