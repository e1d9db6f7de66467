//! Serving the router over HTTP/1.1 with the hub's own limits (axum::serve
//! has none): each accepted socket is admitted by `per_address` (or answered
//! 429 and closed), then served by hyper with
//!
//! - `header_timeout` (default 60 s) for a request's head, counted from when the hub starts
//!   waiting for it — so it is also the idle keep-alive timeout (a connection
//!   with no request under way is closed after it); a half-sent head gets a
//!   408 with the JSON reason, a quiet connection is just closed;
//! - `body_timeout` between two pieces of a request body (progress, not a
//!   total: a 200 MB upload over 3G takes as long as it takes), and between
//!   two writes of an answer the client does not read (`stall.rs`);
//! - nothing on an answer under way: the stations' events streams and slow
//!   downloads stay open as long as they make progress.
//!
//! On shutdown the listener closes, every connection finishes its request in
//! flight (graceful), and the hub waits for them at most `DRAIN`.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

use super::per_address::{PerAddress, Slot};
use super::refusal;
use super::stall::Watched;
use crate::hub::config::Limits;
use crate::hub::error::Reason;

/// How long shutdown waits for connections to finish their requests.
pub const DRAIN: Duration = Duration::from_secs(10);

/// Serve `app` on `listener` until `shutdown` resolves, then drain.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    per_address: Arc<PerAddress>,
    shutdown: impl Future<Output = ()>,
) {
    let (stop_tx, stop_rx) = watch::channel(());
    let warned = Arc::new(Mutex::new(None::<Instant>));
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors and the like: let it pass.
                    tracing::warn!("hub: accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        match per_address.admit(peer.ip()) {
            Some(slot) => {
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection(
                    stream,
                    peer,
                    slot,
                    app.clone(),
                    limits,
                    stop_rx.clone(),
                ));
            }
            None => {
                let mut w = warned.lock().unwrap_or_else(|e| e.into_inner());
                if w.is_none_or(|t| t.elapsed() > Duration::from_secs(10)) {
                    tracing::warn!(
                        "hub: {} holds max_connections_per_address open connections; refusing more (logged once per 10 s)",
                        peer.ip()
                    );
                    *w = Some(Instant::now());
                }
                tokio::spawn(refuse(stream));
            }
        }
    }
    drop(listener);
    drop(stop_rx);
    let _ = stop_tx.send(());
    if tokio::time::timeout(DRAIN, stop_tx.closed()).await.is_err() {
        tracing::warn!("hub: connections still open after {DRAIN:?}; stopping anyway");
    }
}

/// One admitted connection, served until it ends or the hub stops.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    _slot: Slot,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<()>,
) {
    let io = TokioIo::new(Watched::new(stream, limits.body_timeout));
    let body_timeout = limits.body_timeout;
    let svc = hyper::service::service_fn(move |req: Request<Incoming>| {
        let mut req = req.map(|b| Body::new(TimeoutBody::new(body_timeout, b)));
        req.extensions_mut().insert(ConnectInfo(peer));
        app.clone().oneshot(req)
    });
    let mut conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(io, svc)
        .with_upgrades();
    let mut stopping = false;
    let r = loop {
        tokio::select! {
            r = &mut conn => break r,
            _ = stop.changed(), if !stopping => {
                stopping = true;
                std::pin::Pin::new(&mut conn).graceful_shutdown();
            }
        }
    };
    let Err(e) = r else { return };
    if !e.is_timeout() {
        tracing::debug!("hub: connection from {peer}: {e}");
        return;
    }
    // Header timeout. Half a head waiting: say why before closing.
    let Some(parts) = conn.into_parts() else {
        return;
    };
    if parts.read_buf.is_empty() {
        return;
    }
    tracing::debug!("hub: {peer} did not finish a request head in time; closed");
    let mut stream = parts.io.into_inner().into_inner();
    let answer = refusal::raw(
        StatusCode::REQUEST_TIMEOUT,
        "request_timeout",
        Reason::new("err-request-too-slow"),
        None,
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        stream.write_all(&answer).await?;
        stream.shutdown().await
    })
    .await;
}

/// A connection over the per-address cap: a 429 with the reason, then close
/// (reading what the client sent for a moment, so the answer is not lost
/// to a reset).
async fn refuse(mut stream: TcpStream) {
    let answer = refusal::raw(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_connections",
        Reason::new("err-too-many-connections"),
        Some(10),
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        stream.write_all(&answer).await?;
        stream.shutdown().await?;
        let mut buf = [0u8; 4096];
        while stream.read(&mut buf).await? > 0 {}
        Ok::<_, std::io::Error>(())
    })
    .await;
}
