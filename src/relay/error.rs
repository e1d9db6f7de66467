//! Why a relay connection failed or was lost, worded for the as-run log and the
//! operator. Owns only the messages; never decides what to do about them.

use std::time::Duration;

/// One failed connection attempt or one lost connection.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RelayError {
    #[error("bad stream URL `{url}`: {msg}")]
    BadUrl { url: String, msg: String },
    #[error("cannot connect to {addr}: connection refused (is the stream server up?)")]
    Refused { addr: String },
    #[error("cannot connect to {addr}: cannot resolve the host (check DNS and the network)")]
    HostNotFound { addr: String },
    #[error("cannot connect to {addr}: no answer within {secs} (check the network)")]
    ConnectTimeout { addr: String, secs: String },
    #[error("cannot connect to {addr}: {msg}")]
    Connect { addr: String, msg: String },
    #[error("HTTP {code} {reason}")]
    Status { code: u16, reason: String },
    #[error("not an audio stream (content-type {0})")]
    NotAudio(String),
    #[error(
        "a playlist (content-type {0}), not a stream: put the stream URL it lists in the config"
    )]
    Playlist(String),
    #[error("unsupported audio format (content-type {0}): loa relays MP3 and Ogg Vorbis streams")]
    Unsupported(String),
    #[error("cannot decode the stream (content-type {ctype}): {msg}")]
    Undecodable { ctype: String, msg: String },
    #[error("no data for {0}")]
    NoData(String),
    #[error("no audio decoded for {0} (data arrives but does not decode)")]
    NoAudio(String),
    #[error("the server closed the stream")]
    Closed,
    #[error("connection error: {0}")]
    Io(String),
    #[error("the decoder stopped: {0}")]
    Decoder(String),
    #[error("the decoder crashed: {0}")]
    Panic(String),
    /// The stream's data was refused before the decoder saw it (a guard).
    #[error("{0}")]
    Hostile(String),
    /// The consumer went away (internal; never shown as a failure).
    #[error("stopped")]
    Stopped,
    /// The reconnect window ended before audio came back (internal).
    #[error("no audio before the end of the reconnect window")]
    GaveUp,
}

/// "5 s", "0.5 s".
pub(crate) fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s:.1} s")
    }
}
