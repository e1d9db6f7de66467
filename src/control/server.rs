//! The daemon's end of the control socket: binds `STATE/control.sock`
//! (0660), accepts on its own thread, serves each connection on its own
//! thread (capped), checks the peer, and hands requests to the dispatch
//! function. A slow or silent client only ever holds its own thread.
//! It never looks at daemon state: that is the dispatch function's job.

use std::io::{BufReader, ErrorKind, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::dispatch::Dispatch;
use super::error::ControlError;
use super::line::{read_line_capped, LineError};
use super::peer::{self, allowed, Peer};
use super::protocol::{Reply, Request, EXIT_FAILURE};

/// Mode of the socket file: the daemon's user and group may connect.
pub const SOCKET_MODE: u32 = 0o660;

/// Bounds on what one client can cost the daemon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once; more wait up to `slot_wait`, then are refused.
    pub max_connections: usize,
    /// Longest request line, in bytes.
    pub max_line: usize,
    /// Read and write timeout per connection (an idle connection is closed after it).
    pub io_timeout: Duration,
    /// How long a connection over the cap waits for a free slot.
    pub slot_wait: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 16,
            max_line: 64 * 1024,
            io_timeout: Duration::from_secs(5),
            slot_wait: Duration::from_secs(1),
        }
    }
}

/// A running control socket. Dropping it stops accepting and removes the
/// socket file (connections already open finish on their own threads).
pub struct Server {
    path: PathBuf,
    listener: UnixListener,
    /// (dev, ino) of the socket file we bound, so Drop removes only ours.
    file_id: (u64, u64),
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Bind `path` with the default [`Limits`] and start serving.
    pub fn start(path: &Path, dispatch: Dispatch) -> Result<Server, ControlError> {
        Server::start_with(path, dispatch, Limits::default())
    }

    /// Bind `path` and start serving. A stale socket file (nothing answers)
    /// is replaced; a live one means another loa runs: refused.
    pub fn start_with(
        path: &Path,
        dispatch: Dispatch,
        limits: Limits,
    ) -> Result<Server, ControlError> {
        clear_stale(path)?;
        let listener = UnixListener::bind(path).map_err(|source| ControlError::Bind {
            path: path.to_path_buf(),
            source,
        })?;
        let cleanup = |e: ControlError| {
            let _ = std::fs::remove_file(path);
            e
        };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(SOCKET_MODE)).map_err(
            |source| {
                cleanup(ControlError::Chmod {
                    path: path.to_path_buf(),
                    source,
                })
            },
        )?;
        let md = std::fs::symlink_metadata(path).map_err(|source| {
            cleanup(ControlError::Bind {
                path: path.to_path_buf(),
                source,
            })
        })?;
        let accept_on = listener
            .try_clone()
            .map_err(|e| cleanup(ControlError::Thread(e)))?;
        let stop = Arc::new(AtomicBool::new(false));
        let ctx = Arc::new(Ctx {
            dispatch,
            limits,
            ids: peer::own_ids(),
            slots: Slots::default(),
        });
        let stop2 = stop.clone();
        let thread = std::thread::Builder::new()
            .name("loa-control".into())
            .spawn(move || accept_loop(accept_on, ctx, stop2))
            .map_err(|e| cleanup(ControlError::Thread(e)))?;
        tracing::debug!("control socket listening on {}", path.display());
        Ok(Server {
            path: path.to_path_buf(),
            listener,
            file_id: (md.dev(), md.ino()),
            stop,
            thread: Some(thread),
        })
    }

    /// The socket file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the blocked accept() (Linux returns EINVAL from it).
        // SAFETY: the fd is owned by `self.listener`, open until it drops.
        unsafe {
            libc::shutdown(self.listener.as_raw_fd(), libc::SHUT_RDWR);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Ok(md) = std::fs::symlink_metadata(&self.path) {
            if (md.dev(), md.ino()) == self.file_id {
                let _ = std::fs::remove_file(&self.path);
            }
        }
    }
}

/// Remove `path` if it is a socket nobody answers on.
fn clear_stale(path: &Path) -> Result<(), ControlError> {
    let md = match std::fs::symlink_metadata(path) {
        Ok(md) => md,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(ControlError::Bind {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    if !md.file_type().is_socket() {
        return Err(ControlError::NotASocket(path.to_path_buf()));
    }
    if UnixStream::connect(path).is_ok() {
        return Err(ControlError::AlreadyRunning(path.to_path_buf()));
    }
    tracing::info!("removing the stale control socket {}", path.display());
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(source) => Err(ControlError::RemoveStale {
            path: path.to_path_buf(),
            source,
        }),
    }
}

struct Ctx {
    dispatch: Dispatch,
    limits: Limits,
    /// The daemon's (euid, egid).
    ids: (u32, u32),
    slots: Slots,
}

/// Counts connections being served.
#[derive(Default)]
struct Slots {
    busy: Mutex<usize>,
    freed: Condvar,
}

struct SlotGuard<'a>(&'a Slots);

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        let mut busy = self.0.busy.lock().unwrap_or_else(|p| p.into_inner());
        *busy = busy.saturating_sub(1);
        self.0.freed.notify_one();
    }
}

impl Slots {
    /// Take a slot, waiting up to `wait` for one; false if none freed.
    fn acquire(&self, max: usize, wait: Duration) -> bool {
        let busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        let (mut busy, _) = self
            .freed
            .wait_timeout_while(busy, wait, |b| *b >= max)
            .unwrap_or_else(|p| p.into_inner());
        if *busy >= max {
            return false;
        }
        *busy += 1;
        true
    }
}

fn accept_loop(listener: UnixListener, ctx: Arc<Ctx>, stop: Arc<AtomicBool>) {
    loop {
        let accepted = listener.accept();
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let stream = match accepted {
            Ok((s, _)) => s,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => {
                // Out of file descriptors, say: do not spin.
                tracing::warn!("control socket: accept failed: {e}");
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        let max = ctx.limits.max_connections;
        if !ctx.slots.acquire(max, ctx.limits.slot_wait) {
            tracing::warn!("control socket: {max} connections already open; refusing one more");
            refuse(
                &stream,
                &format!("loa is busy: {max} control connections are open; try again"),
            );
            continue;
        }
        let ctx2 = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("loa-control-conn".into())
            .spawn(move || {
                let _slot = SlotGuard(&ctx2.slots);
                serve(stream, &ctx2);
            });
        if let Err(e) = spawned {
            // The closure (and its stream and guard) was dropped: the slot is free.
            tracing::warn!("control socket: cannot start a connection thread: {e}");
        }
    }
}

/// Tell a client no without reading from it, never waiting long.
fn refuse(stream: &UnixStream, msg: &str) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
    let mut w = stream;
    let _ = w.write_all(Reply::err(EXIT_FAILURE, msg).to_line().as_bytes());
}

/// Serve one connection until it closes, errs, idles out or is refused.
fn serve(stream: UnixStream, ctx: &Ctx) {
    let t = Some(ctx.limits.io_timeout);
    if stream.set_read_timeout(t).is_err() || stream.set_write_timeout(t).is_err() {
        return;
    }
    let peer = match Peer::of(&stream) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!("control socket: cannot read the client's credentials: {e}");
            refuse(&stream, "permission denied: loa cannot tell who you are");
            return;
        }
    };
    let (uid, gid) = ctx.ids;
    let ok = allowed(&peer, uid, gid, &[]) || allowed(&peer, uid, gid, &peer.groups());
    let mut reader = BufReader::new(&stream);
    let mut writer = &stream;
    loop {
        let line = match read_line_capped(&mut reader, ctx.limits.max_line) {
            Ok(Some(l)) => l,
            Ok(None) => return,
            Err(LineError::TooLong) => {
                tracing::warn!(
                    "control socket: request over {} bytes from {}: closed",
                    ctx.limits.max_line,
                    peer.describe()
                );
                let msg = format!(
                    "request too long: over {} bytes without a newline",
                    ctx.limits.max_line
                );
                let _ = writer.write_all(Reply::err(EXIT_FAILURE, msg).to_line().as_bytes());
                let _ = stream.shutdown(std::net::Shutdown::Both);
                return;
            }
            Err(LineError::Io(e)) => {
                if !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) {
                    tracing::debug!("control socket: {}: {e}", peer.describe());
                }
                return;
            }
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if !ok {
            tracing::warn!(
                "control socket: refused a request from {} (not root, loa's user or group {gid})",
                peer.describe()
            );
            let _ = writer.write_all(
                Reply::err(EXIT_FAILURE, peer::refusal(&peer, gid))
                    .to_line()
                    .as_bytes(),
            );
            return;
        }
        let reply = match serde_json::from_slice::<Request>(&line) {
            Ok(req) => call(ctx, req, peer),
            Err(e) => Reply::err(
                EXIT_FAILURE,
                format!("bad request: {e} (are `loa` and the running daemon the same version?)"),
            ),
        };
        if writer.write_all(reply.to_line().as_bytes()).is_err() {
            return;
        }
    }
}

/// Run the dispatch function; a panic in it becomes an error reply.
fn call(ctx: &Ctx, req: Request, peer: Peer) -> Reply {
    let name = req.name();
    tracing::debug!("control: {name} from {}", peer.describe());
    match catch_unwind(AssertUnwindSafe(|| (ctx.dispatch)(req, peer))) {
        Ok(r) => r,
        Err(_) => {
            tracing::error!("control: handling `{name}` panicked");
            Reply::err(
                EXIT_FAILURE,
                format!("loa failed while handling `{name}`; see its log"),
            )
        }
    }
}
