//! The one network runtime: a current-thread tokio runtime driven by its own thread
//! (`loa-net`), started on first use and alive for the rest of the process, and
//! the reqwest clients built on it from one builder.
//!
//! Owns the thread, the runtime and the client builder; knows nothing of requests'
//! meaning. Never runs caller code that blocks.

use std::sync::{Mutex, OnceLock};
use std::thread;
use std::time::Duration;

use super::NetError;

/// What distinguishes one client from another: everything else is shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey {
    /// Resolve + TCP connect + TLS handshake.
    pub connect_timeout: Duration,
    /// Honour `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`… from the environment.
    pub env_proxy: bool,
}

impl Default for ClientKey {
    fn default() -> Self {
        ClientKey {
            connect_timeout: Duration::from_secs(10),
            env_proxy: true,
        }
    }
}

/// The network side: a runtime handle and the clients, keyed by their settings
/// (in practice one or two: feed sync and relays; each keeps its own pool).
pub struct Net {
    handle: tokio::runtime::Handle,
    clients: Mutex<Vec<(ClientKey, reqwest::Client)>>,
}

static NET: OnceLock<Result<Net, NetError>> = OnceLock::new();

/// The process's network runtime, started on first call.
pub fn shared() -> Result<&'static Net, NetError> {
    NET.get_or_init(Net::start).as_ref().map_err(Clone::clone)
}

impl Net {
    fn start() -> Result<Net, NetError> {
        // rustls with the `ring` provider (smaller and quicker to build than aws-lc);
        // an already installed provider (tests, embedders) is kept.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        thread::Builder::new()
            .name("loa-net".into())
            .spawn(move || {
                // Blocking work (name lookups, the control socket, reading the
                // as-run log) is rare and short: two threads are plenty, and one
                // kept for a minute saves making a thread (and its malloc arena)
                // for every heartbeat.
                let rt = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .max_blocking_threads(2)
                    .thread_keep_alive(Duration::from_secs(60))
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = tx.send(Err(NetError::Runtime(e.to_string())));
                        return;
                    }
                };
                let _ = tx.send(Ok(rt.handle().clone()));
                // Drive timers and sockets for every task, forever.
                rt.block_on(std::future::pending::<()>());
            })
            .map_err(|e| NetError::Runtime(format!("cannot start the network thread: {e}")))?;
        let handle = rx
            .recv()
            .map_err(|_| NetError::Runtime("the network thread ended at start".into()))??;
        Ok(Net {
            handle,
            clients: Mutex::new(Vec::new()),
        })
    }

    /// The runtime, for tasks of their own (the hub link).
    pub fn handle(&self) -> &tokio::runtime::Handle {
        &self.handle
    }

    /// The client for these settings (built once; clones share its pool).
    pub fn client(&self, key: ClientKey) -> Result<reqwest::Client, NetError> {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, c)) = clients.iter().find(|(k, _)| *k == key) {
            return Ok(c.clone());
        }
        let c = build(key)?;
        clients.push((key, c.clone()));
        Ok(c)
    }
}

/// The one client builder: loa's user agent, the connect timeout, env proxies or
/// none, no automatic decompression (bytes are counted and capped as sent), at most
/// 10 redirects, HTTP/1.1 (streams and static feeds need no more), the one shared
/// TLS configuration (`tls.rs`: roots loaded once, only when https is used).
fn build(key: ClientKey) -> Result<reqwest::Client, NetError> {
    let mut b = reqwest::Client::builder()
        .user_agent(concat!("loa/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(key.connect_timeout)
        .pool_idle_timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(2)
        .tcp_nodelay(true)
        .tls_backend_preconfigured(super::tls::config());
    if !key.env_proxy {
        b = b.no_proxy();
    }
    b.build()
        .map_err(|e| NetError::Runtime(format!("cannot build the HTTP client: {e}")))
}
