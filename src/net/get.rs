//! A GET for a blocking caller: the request runs as a task on the network runtime;
//! the caller waits for the response head on a channel (in short slices, so it can
//! give up), then reads the body from [`Body`]. The task sends no more chunks than
//! the reader has room for (credits), and ends as soon as the reader is gone.
//!
//! Owns the request task; never re-sends a request (one GET per call, the head may
//! take the whole `head_timeout`).

use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use tokio::sync::{oneshot, Semaphore};

use super::body::{Body, Msg, CREDITS};
use super::{shared, ClientKey, NetError};

/// One GET.
#[derive(Debug, Clone)]
pub struct Request {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub client: ClientKey,
    /// From sending to the response head (connecting included).
    pub head_timeout: Duration,
    /// No body bytes for this long = [`NetError::Stalled`].
    pub read_timeout: Duration,
}

/// The response head and its body.
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Body,
}

impl Response {
    /// A header as text, if present and readable.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// Send `req` and wait for its head. `give_up` is asked every 100 ms while
/// waiting; true ends the wait (and the request) with [`NetError::Cancelled`].
pub fn get(req: Request, give_up: &dyn Fn() -> bool) -> Result<Response, NetError> {
    let net = shared()?;
    let client = net.client(req.client)?;
    let (head_tx, head_rx) = mpsc::sync_channel(1);
    let (chunk_tx, chunk_rx) = mpsc::channel();
    let (cancel_tx, cancel_rx) = oneshot::channel::<()>();
    let credits = Arc::new(Semaphore::new(CREDITS));
    let url = req.url.clone();
    let task_credits = credits.clone();
    net.handle().spawn(async move {
        run(client, req, head_tx, chunk_tx, task_credits, cancel_rx).await;
    });
    let started = Instant::now();
    loop {
        match head_rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok((status, headers))) => {
                return Ok(Response {
                    status,
                    headers,
                    body: Body::new(url, chunk_rx, credits, cancel_tx),
                })
            }
            Ok(Err(e)) => return Err(e),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if give_up() {
                    return Err(NetError::Cancelled(url));
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(NetError::Runtime(format!(
                    "the request for {url} ended without an answer after {:.1} s",
                    started.elapsed().as_secs_f64()
                )))
            }
        }
    }
}

type Head = Result<(u16, HeaderMap), NetError>;

/// The task: send, hand back the head, then pump the body while the reader lives.
async fn run(
    client: reqwest::Client,
    req: Request,
    head_tx: mpsc::SyncSender<Head>,
    chunks: mpsc::Sender<Msg>,
    credits: Arc<Semaphore>,
    mut cancel: oneshot::Receiver<()>,
) {
    let url = req.url.clone();
    let mut builder = client.get(&req.url);
    for (k, v) in &req.headers {
        builder = builder.header(k, v);
    }
    let sent = tokio::select! {
        _ = &mut cancel => return,
        r = tokio::time::timeout(req.head_timeout, builder.send()) => r,
    };
    let mut resp = match sent {
        Err(_) => {
            let _ = head_tx.send(Err(NetError::HeadTimeout(url)));
            return;
        }
        Ok(Err(e)) => {
            let _ = head_tx.send(Err(NetError::from_send(&e, &url)));
            return;
        }
        Ok(Ok(r)) => r,
    };
    let head = (resp.status().as_u16(), std::mem::take(resp.headers_mut()));
    if head_tx.send(Ok(head)).is_err() {
        return;
    }
    loop {
        let permit = tokio::select! {
            _ = &mut cancel => return,
            p = credits.acquire() => p,
        };
        match permit {
            Ok(p) => p.forget(),
            Err(_) => return,
        }
        let next = tokio::select! {
            _ = &mut cancel => return,
            r = tokio::time::timeout(req.read_timeout, resp.chunk()) => r,
        };
        let msg = match next {
            Err(_) => Msg::Failed(NetError::Stalled(url.clone())),
            Ok(Err(e)) => Msg::Failed(NetError::from_body(&e, &url)),
            Ok(Ok(None)) => Msg::End,
            Ok(Ok(Some(bytes))) => Msg::Data(bytes),
        };
        let last = !matches!(msg, Msg::Data(_));
        if chunks.send(msg).is_err() || last {
            return;
        }
    }
}
