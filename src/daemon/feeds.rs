//! The daemon's feed worker: one thread that syncs every `[[feed]]` on its
//! own schedule (`every`, backing off with jitter up to 1 h after failures),
//! under the store lock, and wakes the loop when the store changed.
//!
//! A failed or refused sync changes nothing in the store; airing never waits
//! on it (the loop only reads the index).

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::events::Event;
use crate::config::{Config, Feed};
use crate::feed::state::Backoff;
use crate::feed::store::Store;
use crate::feed::sync::{sync, FeedSpec};
use crate::feed::{sign, view};

/// Clips (by SHA-256) the broadcast on air needs: a sync never deletes them.
pub type InUse = Arc<Mutex<HashSet<String>>>;

/// Dropping it stops the worker (after a sync in progress).
pub struct Worker {
    wake: Sender<()>,
    pub feeds: Vec<Feed>,
}

impl Worker {
    /// Sync every feed now (a hub's nudge), then go on with the usual pace.
    pub fn sync_now(&self) {
        let _ = self.wake.send(());
    }
}

struct Followed {
    spec: FeedSpec,
    public_key: String,
    backoff: Backoff,
    next: Instant,
}

pub fn spec_of(f: &Feed) -> FeedSpec {
    FeedSpec {
        url: f.url.clone(),
        key: f.url.clone(),
        max_store: f.max_store,
        station: f.station.clone(),
    }
}

/// Start syncing `cfg`'s feeds (none: no thread).
pub fn spawn(cfg: &Config, tx: Sender<Event>, in_use: InUse) -> Option<Worker> {
    if cfg.feeds.is_empty() {
        return None;
    }
    let (wake, rx) = mpsc::channel::<()>();
    let state: PathBuf = cfg.paths.state.clone();
    let areas = cfg.station.areas.clone();
    let lang = cfg.station.lang.clone();
    let max_store = cfg.feeds.iter().filter_map(|f| f.max_store).min();
    let mut feeds: Vec<Followed> = cfg
        .feeds
        .iter()
        .map(|f| Followed {
            spec: FeedSpec {
                max_store,
                ..spec_of(f)
            },
            public_key: f.public_key.clone(),
            backoff: Backoff::new(f.every),
            next: Instant::now(),
        })
        .collect();
    let spawned = std::thread::Builder::new()
        .name("loa-feeds".into())
        .spawn(move || loop {
            let soonest = feeds
                .iter()
                .map(|f| f.next)
                .min()
                .unwrap_or_else(Instant::now);
            match rx.recv_timeout(soonest.saturating_duration_since(Instant::now())) {
                Ok(()) => {
                    let now = Instant::now();
                    for f in feeds.iter_mut() {
                        f.next = now;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            for f in feeds.iter_mut().filter(|f| f.next <= Instant::now()) {
                let ok = sync_one(&state, f, &areas, &lang, &in_use);
                f.next = Instant::now() + f.backoff.next_delay(ok);
                let _ = tx.send(Event::FeedSynced);
            }
        });
    match spawned {
        Ok(_) => Some(Worker {
            wake,
            feeds: cfg.feeds.clone(),
        }),
        Err(e) => {
            tracing::error!("cannot start the feed worker: {e}; feeds will not sync");
            None
        }
    }
}

fn sync_one(
    state: &std::path::Path,
    f: &Followed,
    areas: &[String],
    lang: &[String],
    in_use: &InUse,
) -> bool {
    let _lock = match view::lock_store(state, true) {
        Ok(l) => l,
        Err(e) => {
            tracing::error!("feed {}: {e}", f.spec.url);
            return false;
        }
    };
    let mut store = match Store::open(state) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("feed {}: {e}", f.spec.url);
            return false;
        }
    };
    let key = f.public_key.clone();
    let verify = move |b: &[u8], s: &str| sign::verify(b, s, &key).map_err(|e| e.to_string());
    let in_use = |sha: &str| in_use.lock().map(|s| s.contains(sha)).unwrap_or(true);
    let report = sync(
        &mut store,
        &f.spec,
        areas,
        lang,
        &verify,
        chrono::Utc::now(),
        &in_use,
        &mut |_| {},
    );
    if report.ok() {
        tracing::info!(
            "feed {}: {} (sequence {:?}, +{} -{} clips, {} request(s), {} bytes)",
            f.spec.url,
            report.result,
            report.sequence,
            report.added.len(),
            report.removed.len(),
            report.requests,
            report.bytes
        );
    } else {
        tracing::warn!(
            "feed {}: {} — the store is unchanged; airing goes on from it",
            f.spec.url,
            report.result
        );
    }
    report.ok()
}
