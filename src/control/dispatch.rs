//! Bridging the server's connection threads to the daemon's single loop:
//! each request travels to the loop as a [`Call`] and the connection thread
//! waits (bounded) for the answer. The loop never waits on a client.

use std::sync::mpsc::{self, RecvTimeoutError, Sender, SyncSender};
use std::sync::Arc;
use std::time::Duration;

use super::peer::Peer;
use super::protocol::{Reply, Request, EXIT_FAILURE};

/// What the server calls for each request, on the connection's own thread.
pub type Dispatch = Arc<dyn Fn(Request, Peer) -> Reply + Send + Sync>;

/// A request waiting for the daemon loop's answer.
#[derive(Debug)]
pub struct Call {
    pub request: Request,
    pub peer: Peer,
    reply: SyncSender<Reply>,
}

impl Call {
    /// Answer the request. Never blocks, even if the client has given up.
    pub fn answer(self, reply: Reply) {
        let _ = self.reply.try_send(reply);
    }
}

/// A [`Dispatch`] that sends each request to the daemon loop as
/// `wrap(call)` on `tx` and waits at most `timeout` for `call.answer(..)`.
pub fn via_channel<E, W>(tx: Sender<E>, wrap: W, timeout: Duration) -> Dispatch
where
    E: Send + 'static,
    W: Fn(Call) -> E + Send + Sync + 'static,
{
    Arc::new(move |request: Request, peer: Peer| {
        let name = request.name();
        let (reply_tx, reply_rx) = mpsc::sync_channel(1);
        let call = Call {
            request,
            peer,
            reply: reply_tx,
        };
        if tx.send(wrap(call)).is_err() {
            return Reply::err(EXIT_FAILURE, "loa is shutting down: try again in a moment");
        }
        match reply_rx.recv_timeout(timeout) {
            Ok(r) => r,
            Err(RecvTimeoutError::Timeout) => Reply::err(
                EXIT_FAILURE,
                format!(
                    "loa did not handle `{name}` within {}s: the daemon is busy or stuck; \
                     see its log (`journalctl -u loa`)",
                    timeout.as_secs_f64()
                ),
            ),
            Err(RecvTimeoutError::Disconnected) => Reply::err(
                EXIT_FAILURE,
                format!("loa dropped `{name}` without answering (shutting down?)"),
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const P: Peer = Peer {
        uid: 0,
        gid: 0,
        pid: 1,
    };

    #[test]
    fn answers_travel_back() {
        let (tx, rx) = mpsc::channel::<Call>();
        let d = via_channel(tx, |c| c, Duration::from_secs(5));
        let loop_ = std::thread::spawn(move || {
            let call = rx.recv().unwrap();
            assert_eq!(call.request, Request::Stop);
            call.answer(Reply::ok(json!({"stopped": "x"})));
        });
        assert_eq!(d(Request::Stop, P), Reply::ok(json!({"stopped": "x"})));
        loop_.join().unwrap();
    }

    #[test]
    fn unanswered_and_gone() {
        let (tx, rx) = mpsc::channel::<Call>();
        let d = via_channel(tx, |c| c, Duration::from_millis(50));
        let r = d(Request::Status, P);
        assert_eq!(
            r.error.as_deref(),
            Some(
                "loa did not handle `status` within 0.05s: the daemon is busy or stuck; \
                 see its log (`journalctl -u loa`)"
            )
        );
        drop(rx.recv().unwrap()); // the stale call
                                  // The loop drops the call without answering.
        let dropper = std::thread::spawn(move || drop(rx.recv().unwrap()));
        let r = d(Request::Reload, P);
        dropper.join().unwrap();
        assert_eq!(
            r.error.as_deref(),
            Some("loa dropped `reload` without answering (shutting down?)")
        );
        // The loop is gone.
        let r = d(Request::Stop, P);
        assert_eq!(
            r.error.as_deref(),
            Some("loa is shutting down: try again in a moment")
        );
        assert_eq!(r.code, Some(1));
    }
}
