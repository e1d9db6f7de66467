//! The CLI's end of the control socket: connect, send a request line, read
//! the reply line, with a timeout, and operator-friendly errors when the
//! daemon is not there. Knows nothing about how replies are shown.

use std::io::{BufReader, ErrorKind, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::line::{read_line_capped, LineError};
use super::protocol::{Reply, Request};

/// Longest reply line accepted (a status with a long `next` list is a few KiB).
const MAX_REPLY: usize = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("{}", no_daemon(path, *stale))]
    NoDaemon { path: PathBuf, stale: bool },
    #[error("cannot reach loa's control socket {}: permission denied — run as root or as a member of the loa group", path.display())]
    PermissionDenied { path: PathBuf },
    #[error("loa did not answer within {}s on {}: the daemon is busy or stuck; see its log (`journalctl -u loa`)", after.as_secs_f64(), path.display())]
    Timeout { path: PathBuf, after: Duration },
    #[error("unexpected reply from loa on {}: {detail} (are `loa` and the running daemon the same version?)", path.display())]
    Protocol { path: PathBuf, detail: String },
    #[error("cannot talk to loa on {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ClientError {
    /// The same as a catalogue message (`cli-…`), for the command line's language.
    pub fn msg(&self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            ClientError::NoDaemon { path, stale } => Msg::new(if *stale {
                "cli-no-daemon-stale"
            } else {
                "cli-no-daemon"
            })
            .arg("socket", path.display()),
            ClientError::PermissionDenied { path } => {
                Msg::new("cli-permission-denied").arg("socket", path.display())
            }
            ClientError::Timeout { path, after } => Msg::new("cli-timeout")
                .arg("socket", path.display())
                .arg("seconds", after.as_secs()),
            ClientError::Protocol { path, detail } => Msg::new("cli-protocol")
                .arg("socket", path.display())
                .arg("detail", detail),
            ClientError::Io { path, source } => Msg::new("cli-io")
                .arg("socket", path.display())
                .arg("error", source),
        }
    }
}

fn no_daemon(path: &Path, stale: bool) -> String {
    let why = if stale {
        format!("nothing answers on its control socket {}", path.display())
    } else {
        format!("no control socket at {}", path.display())
    };
    format!("loa is not running ({why}): start it with `systemctl start loa` or `loa run`")
}

/// One connection to the daemon; several requests may go over it in turn.
pub struct Client {
    path: PathBuf,
    stream: UnixStream,
    reader: BufReader<UnixStream>,
    timeout: Duration,
}

impl Client {
    /// Connect to the daemon's socket; each later read and write waits at most `timeout`.
    pub fn connect(socket: &Path, timeout: Duration) -> Result<Client, ClientError> {
        let path = socket.to_path_buf();
        let stream = UnixStream::connect(socket).map_err(|e| match e.kind() {
            ErrorKind::NotFound => ClientError::NoDaemon {
                path: path.clone(),
                stale: false,
            },
            ErrorKind::ConnectionRefused => ClientError::NoDaemon {
                path: path.clone(),
                stale: true,
            },
            ErrorKind::PermissionDenied => ClientError::PermissionDenied { path: path.clone() },
            _ => ClientError::Io {
                path: path.clone(),
                source: e,
            },
        })?;
        let io = |source| ClientError::Io {
            path: path.clone(),
            source,
        };
        let t = Some(timeout.max(Duration::from_millis(1)));
        stream.set_read_timeout(t).map_err(io)?;
        stream.set_write_timeout(t).map_err(io)?;
        let reader = BufReader::new(stream.try_clone().map_err(io)?);
        Ok(Client {
            path,
            stream,
            reader,
            timeout,
        })
    }

    /// Send `req` and wait for its reply.
    pub fn call(&mut self, req: &Request) -> Result<Reply, ClientError> {
        // A daemon that refuses us may close before reading: still read its reply.
        let sent = self.stream.write_all(req.to_line().as_bytes());
        let line = match read_line_capped(&mut self.reader, MAX_REPLY) {
            Ok(Some(l)) => l,
            Ok(None) => {
                return Err(match sent {
                    Err(e) => self.io_error(e),
                    Ok(()) => self.protocol("the daemon closed the connection without answering"),
                })
            }
            Err(LineError::TooLong) => {
                return Err(self.protocol(&format!("a reply over {MAX_REPLY} bytes")))
            }
            Err(LineError::Io(e)) => return Err(self.io_error(sent.err().unwrap_or(e))),
        };
        serde_json::from_slice(&line).map_err(|e| {
            let shown: String = String::from_utf8_lossy(&line).chars().take(200).collect();
            self.protocol(&format!("{e} in {shown:?}"))
        })
    }

    fn protocol(&self, detail: &str) -> ClientError {
        ClientError::Protocol {
            path: self.path.clone(),
            detail: detail.to_string(),
        }
    }

    fn io_error(&self, e: std::io::Error) -> ClientError {
        match e.kind() {
            ErrorKind::WouldBlock | ErrorKind::TimedOut => ClientError::Timeout {
                path: self.path.clone(),
                after: self.timeout,
            },
            ErrorKind::ConnectionReset | ErrorKind::BrokenPipe => {
                self.protocol("the daemon closed the connection without answering")
            }
            _ => ClientError::Io {
                path: self.path.clone(),
                source: e,
            },
        }
    }
}

/// Send one request to the daemon at `socket` and return its reply.
pub fn request(socket: &Path, req: &Request, timeout: Duration) -> Result<Reply, ClientError> {
    Client::connect(socket, timeout)?.call(req)
}
