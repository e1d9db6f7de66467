//! The station's one events stream (`GET …/events`, text/event-stream): every
//! `event: feed` makes the feed sync at once (through the daemon's loop), every
//! `event: programs` makes the timetable follower look at once (`follow.rs`).
//! A stream silent for 45 s (the hub sends keep-alives every 15 s) is
//! dropped; any end or failure reconnects after a delay that grows from 1 s to
//! 1 min with jitter, so a thousand stations do not return all at once.
//! Polling goes on meanwhile: the stream only makes syncs sooner.

use std::sync::Arc;
use std::time::Duration;

use super::creds::Credentials;
use crate::feed::state::Backoff;

/// No byte for this long: the stream is dead.
pub const SILENCE: Duration = Duration::from_secs(45);
/// An event longer than this is not one.
const MAX_EVENT: usize = 16 * 1024;

type Nudge = Arc<dyn Fn() + Send + Sync>;

/// Hold the stream forever (the task is aborted with the link).
pub async fn follow(
    creds: Arc<Credentials>,
    client: reqwest::Client,
    nudge: Nudge,
    programs: Nudge,
) {
    let url = format!("{}/api/v1/stations/{}/events", creds.hub, creds.station);
    let mut pace = Backoff::new(Duration::from_secs(1));
    loop {
        let heard = once(&client, &url, &creds.token, &nudge, &programs).await;
        let wait = match heard {
            Ok(()) => pace.next_delay(true),
            Err(e) => {
                tracing::debug!("hub link: events stream: {e}");
                pace.next_delay(false).min(Duration::from_secs(60))
            }
        };
        tokio::time::sleep(wait).await;
    }
}

/// One connection: Ok when it ended after being up, Err when it failed.
async fn once(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    nudge: &Nudge,
    programs: &Nudge,
) -> Result<(), String> {
    let mut resp = client
        .get(url)
        .bearer_auth(token)
        .header(reqwest::header::ACCEPT, "text/event-stream")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !resp.status().is_success() {
        return Err(format!("the hub answered {}", resp.status()));
    }
    let mut parser = Parser::default();
    loop {
        let chunk = tokio::time::timeout(SILENCE, resp.chunk())
            .await
            .map_err(|_| format!("nothing for {SILENCE:?}"))?
            .map_err(|e| e.to_string())?;
        let Some(chunk) = chunk else { return Ok(()) };
        for ev in parser.push(&chunk)? {
            if ev == "feed" {
                tracing::info!("hub link: nudged: the feed has news, syncing now");
                nudge();
            } else if ev == "programs" {
                tracing::info!("hub link: nudged: the timetable has news, fetching it now");
                programs();
            }
        }
    }
}

/// The bits of the SSE format the hub sends: `event:` names, `data:`, blank
/// line ends an event; comments (`:`) are keep-alives.
#[derive(Default)]
pub struct Parser {
    buf: Vec<u8>,
    event: Option<String>,
}

impl Parser {
    /// Feed bytes; returns the names of the events completed.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<String>, String> {
        self.buf.extend_from_slice(bytes);
        let mut done = vec![];
        while let Some(i) = self.buf.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.buf.drain(..=i).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if let Some(e) = self.event.take() {
                    done.push(e);
                }
            } else if let Some(name) = line.strip_prefix("event:") {
                self.event = Some(name.trim().to_string());
            }
        }
        if self.buf.len() > MAX_EVENT {
            return Err(format!("a line over {MAX_EVENT} bytes"));
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::Parser;

    #[test]
    fn events_split_across_chunks_and_keep_alives() {
        let mut p = Parser::default();
        assert!(p.push(b": keep\n\nevent: fe").unwrap().is_empty());
        assert_eq!(
            p.push(b"ed\ndata: {\"sequence\":3}\n\nevent: feed\r\ndata: {}\r\n\r\n")
                .unwrap(),
            vec!["feed".to_string(), "feed".to_string()]
        );
        assert!(p.push(&vec![b'x'; 20_000]).is_err());
    }
}
