//! Following the hub's timetable document for this station: at start, on
//! every `event: programs` nudge and every heartbeat interval, GET
//! `programs.toml` (conditional: an unchanged one costs a 304) and its
//! `.minisig` on the link's client, vet them (`programs::vet`) and hand a
//! document that passed to the daemon's loop, which validates and applies it.
//! A refusal goes into the next heartbeat; the same bytes are not looked at
//! twice. Failures to reach the hub are quiet: the accepted document airs.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::creds::Credentials;
use super::programs::{self, Fetched, Report};
use crate::clock::Clock;
use crate::feed::programs::MAX_DOC;

/// A signature file is tiny.
const MAX_SIG: usize = 4096;
const TIMEOUT: Duration = Duration::from_secs(30);

pub type Deliver = Arc<dyn Fn(Fetched) + Send + Sync>;

pub struct Follower {
    pub creds: Arc<Credentials>,
    pub client: reqwest::Client,
    pub state: std::path::PathBuf,
    pub every: Duration,
    pub clock: Clock,
    pub wake: Arc<tokio::sync::Notify>,
    pub report: Arc<Mutex<Report>>,
    pub deliver: Deliver,
}

/// What one look at the hub found.
#[derive(Debug, PartialEq)]
enum Look {
    Unchanged,
    Delivered(u64),
    InSync,
    Refused(String),
}

impl Follower {
    pub async fn run(self) {
        let mut etag: Option<String> = None;
        let mut seen: Option<[u8; 32]> = None;
        loop {
            match self.look(&mut etag, &mut seen).await {
                Ok(Look::Refused(why)) => {
                    tracing::warn!("hub link: timetable refused: {why}");
                    if let Ok(mut r) = self.report.lock() {
                        r.error = Some(why);
                    }
                }
                Ok(Look::InSync) => {
                    // The hub serves what airs: an older refusal is over.
                    if let Ok(mut r) = self.report.lock() {
                        if r.error.as_deref().is_some_and(is_fetch_refusal) {
                            r.error = None;
                        }
                    }
                }
                Ok(Look::Delivered(seq)) => {
                    tracing::info!("hub link: timetable sequence {seq} received")
                }
                Ok(Look::Unchanged) => {}
                Err(e) => tracing::debug!("hub link: timetable: {e}"),
            }
            tokio::select! {
                _ = tokio::time::sleep(self.every) => {}
                _ = self.wake.notified() => {}
            }
        }
    }

    async fn look(
        &self,
        etag: &mut Option<String>,
        seen: &mut Option<[u8; 32]>,
    ) -> Result<Look, String> {
        let url = &self.creds.programs_url;
        let mut req = self.client.get(url).timeout(TIMEOUT);
        if let Some(t) = etag.as_deref() {
            req = req.header(reqwest::header::IF_NONE_MATCH, t);
        }
        let resp = req.send().await.map_err(|e| e.to_string())?;
        match resp.status().as_u16() {
            304 => return Ok(Look::Unchanged),
            404 => return Ok(Look::Unchanged), // nothing published for this station yet
            s if !(200..300).contains(&s) => return Err(format!("{url} answered {s}")),
            _ => {}
        }
        let tag = resp
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let doc = read_capped(resp, MAX_DOC).await?;
        let sig_url = format!("{url}.minisig");
        let resp = self
            .client
            .get(&sig_url)
            .timeout(TIMEOUT)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let sig = if resp.status().is_success() {
            read_capped(resp, MAX_SIG).await?
        } else {
            Vec::new()
        };
        let mut h = Sha256::new();
        h.update(&doc);
        h.update(b"\0");
        h.update(&sig);
        let hash: [u8; 32] = h.finalize().into();
        if *seen == Some(hash) {
            return Ok(Look::Unchanged);
        }
        let doc = String::from_utf8(doc).map_err(|_| "the document is not UTF-8".to_string());
        let sig = String::from_utf8_lossy(&sig).into_owned();
        let (creds, state) = (self.creds.clone(), self.state.clone());
        let now = self.clock.now();
        let vetted = tokio::task::spawn_blocking(move || {
            let doc = doc?;
            let accepted = programs::stored(&state, &creds);
            programs::vet(&doc, &sig, &creds, accepted.as_ref(), now)
        })
        .await
        .map_err(|e| e.to_string())?;
        *seen = Some(hash);
        // After a refusal, look at the whole pair again next time (the
        // signature may change without the document).
        *etag = if vetted.is_err() { None } else { tag };
        Ok(match vetted {
            Ok(Some(f)) => {
                let seq = f.header.sequence;
                (self.deliver)(f);
                Look::Delivered(seq)
            }
            Ok(None) => Look::InSync,
            Err(why) => Look::Refused(format!("timetable from the hub refused: {why}")),
        })
    }
}

/// Refusals made here (not by the daemon's validation) start so.
fn is_fetch_refusal(e: &str) -> bool {
    e.starts_with("timetable from the hub refused:")
}

async fn read_capped(mut resp: reqwest::Response, cap: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| e.to_string())? {
        if out.len() + chunk.len() > cap {
            return Err(format!("{} is over {cap} bytes", resp.url()));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}
