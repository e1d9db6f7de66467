//! A response body for a blocking reader: chunks arrive from the request task over
//! a channel; each chunk taken gives the task one credit to fetch the next, so at
//! most [`CREDITS`] chunks wait in memory. Dropping the body cancels the task (the
//! connection closes even while the server stalls).
//!
//! Owns only the hand-over; the caller caps sizes and checks content.

use std::io::{self, Read};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{oneshot, Semaphore};

use super::NetError;

/// Chunks in flight between the task and the reader.
pub(crate) const CREDITS: usize = 4;

/// What the task sends.
pub(crate) enum Msg {
    Data(bytes::Bytes),
    End,
    Failed(NetError),
}

/// The body as `std::io::Read`. Read errors carry a [`NetError`]
/// (`io::Error::get_ref` downcasts to it); a stall is `ErrorKind::TimedOut`.
pub struct Body {
    url: String,
    rx: mpsc::Receiver<Msg>,
    credits: Arc<Semaphore>,
    _cancel: oneshot::Sender<()>,
    cur: bytes::Bytes,
    /// Sticky end: `None` while the body goes on.
    done: Option<Result<(), NetError>>,
    slice: Option<Duration>,
}

impl Body {
    pub(crate) fn new(
        url: String,
        rx: mpsc::Receiver<Msg>,
        credits: Arc<Semaphore>,
        cancel: oneshot::Sender<()>,
    ) -> Body {
        Body {
            url,
            rx,
            credits,
            _cancel: cancel,
            cur: bytes::Bytes::new(),
            done: None,
            slice: None,
        }
    }

    /// Wait at most `slice` per read: a read with nothing after it fails with
    /// `ErrorKind::WouldBlock` (retry; the connection is untouched), so the caller
    /// can check its own flags. `None` (default): wait for data or the task's verdict.
    pub fn set_slice(&mut self, slice: Option<Duration>) {
        self.slice = slice;
    }

    fn next(&mut self) -> io::Result<()> {
        let msg = match self.slice {
            None => self.rx.recv().map_err(|_| ()),
            Some(d) => match self.rx.recv_timeout(d) {
                Ok(m) => Ok(m),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    return Err(io::Error::new(
                        io::ErrorKind::WouldBlock,
                        "no data within the read slice",
                    ))
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => Err(()),
            },
        };
        match msg {
            Ok(Msg::Data(b)) => {
                self.credits.add_permits(1);
                self.cur = b;
            }
            Ok(Msg::End) => self.done = Some(Ok(())),
            Ok(Msg::Failed(e)) => self.done = Some(Err(e)),
            Err(()) => {
                self.done = Some(Err(NetError::Runtime(format!(
                    "the transfer of {} ended without a word",
                    self.url
                ))))
            }
        }
        Ok(())
    }
}

impl Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.cur.is_empty() {
            match &self.done {
                Some(Ok(())) => return Ok(0),
                Some(Err(e)) => return Err(e.clone().into_io()),
                None => self.next()?,
            }
        }
        let n = buf.len().min(self.cur.len());
        buf[..n].copy_from_slice(&self.cur.split_to(n));
        Ok(n)
    }
}
