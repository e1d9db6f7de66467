//! Nudges: the moment the feed gets a new sequence, every station holding an
//! events stream hears `event: feed` `{"sequence"}` and syncs at once.
//!
//! One `tokio::sync::broadcast` channel per hub process feeds the streams.
//! With SQLite (one process) a publish sends on it directly; with PostgreSQL
//! a publish sends `NOTIFY loa_feed, 'SEQ'` and every hub process on that
//! database (this one included) LISTENs and forwards to its own channel, so a
//! nudge raised on one process reaches stations connected to another.
//! Also holds the shutdown signal that ends open streams (axum#2673).
//!
//! A station's own timetable document (`hub::timetable`) travels the same
//! way, to that station only: `event: programs` `{"sequence"}`, across
//! processes as `NOTIFY loa_programs, 'STATION SEQ'`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{broadcast, watch};

use super::db::{Db, Dialect};
use super::error::HubResult;

/// The PostgreSQL channel.
pub const CHANNEL: &str = "loa_feed";
/// The PostgreSQL channel of stations' timetable documents.
pub const PROGRAMS_CHANNEL: &str = "loa_programs";

/// Shared by every handler (through `AppState::link`).
pub struct LinkHub {
    seq: AtomicU64,
    tx: broadcast::Sender<u64>,
    stop_tx: watch::Sender<bool>,
    stop_rx: watch::Receiver<bool>,
    /// Each station's newest timetable sequence heard, and its channel.
    programs: Mutex<HashMap<String, u64>>,
    programs_tx: broadcast::Sender<(String, u64)>,
}

impl LinkHub {
    pub fn new(feed_sequence: u64) -> Arc<LinkHub> {
        let (tx, _) = broadcast::channel(64);
        let (stop_tx, stop_rx) = watch::channel(false);
        let (programs_tx, _) = broadcast::channel(256);
        Arc::new(LinkHub {
            seq: AtomicU64::new(feed_sequence),
            tx,
            stop_tx,
            stop_rx,
            programs: Mutex::new(HashMap::new()),
            programs_tx,
        })
    }

    /// A receiver of (station, new timetable sequence).
    pub fn subscribe_programs(&self) -> broadcast::Receiver<(String, u64)> {
        self.programs_tx.subscribe()
    }

    /// The newest timetable sequence of `station` this process has heard of.
    pub fn programs_sequence(&self, station: &str) -> Option<u64> {
        self.programs.lock().ok()?.get(station).copied()
    }

    /// Tell this process's stream of `station` about `seq` (once per new sequence).
    pub fn deliver_programs(&self, station: &str, seq: u64) {
        let new = match self.programs.lock() {
            Ok(mut m) => {
                let e = m.entry(station.to_string()).or_insert(0);
                let new = seq > *e;
                *e = (*e).max(seq);
                new
            }
            Err(_) => true,
        };
        if new {
            let _ = self.programs_tx.send((station.to_string(), seq));
        }
    }

    /// The newest feed sequence this process knows.
    pub fn feed_sequence(&self) -> u64 {
        self.seq.load(Ordering::SeqCst)
    }

    /// A receiver of new feed sequences.
    pub fn subscribe(&self) -> broadcast::Receiver<u64> {
        self.tx.subscribe()
    }

    /// Tell this process's streams about `seq` (once per new sequence).
    pub fn deliver(&self, seq: u64) {
        let old = self.seq.fetch_max(seq, Ordering::SeqCst);
        if seq > old {
            let _ = self.tx.send(seq);
        }
    }

    /// Resolves when the hub is shutting down.
    pub fn stopping(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.stop_rx.clone();
        async move {
            let _ = rx.wait_for(|s| *s).await;
        }
    }

    /// End every open stream.
    pub fn stop(&self) {
        let _ = self.stop_tx.send(true);
    }
}

/// A new feed sequence was published: nudge every station (on every process).
pub async fn raise(db: &Db, link: &LinkHub, seq: u64) -> HubResult<()> {
    match db.dialect {
        Dialect::Sqlite => link.deliver(seq),
        Dialect::Postgres => {
            // Delivered here too by the listener; delivering now as well saves
            // this process's stations the round trip (duplicates are dropped).
            link.deliver(seq);
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(seq.to_string())
                .execute(&db.pool)
                .await?;
        }
    }
    Ok(())
}

/// A station's timetable got a new sequence: nudge that station (on every process).
pub async fn raise_programs(db: &Db, link: &LinkHub, station: &str, seq: u64) -> HubResult<()> {
    link.deliver_programs(station, seq);
    if db.dialect == Dialect::Postgres {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(PROGRAMS_CHANNEL)
            .bind(format!("{station} {seq}"))
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

/// PostgreSQL only: forward other processes' nudges to this one's streams,
/// reconnecting (with a pause) when the connection drops.
pub async fn listen(url: String, link: Arc<LinkHub>) {
    loop {
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut l) => {
                if let Err(e) = l.listen_all([CHANNEL, PROGRAMS_CHANNEL]).await {
                    tracing::error!("hub: cannot LISTEN {CHANNEL}: {e}");
                } else {
                    tracing::info!("hub: listening for nudges from other hub processes");
                    loop {
                        match l.recv().await {
                            Ok(n) if n.channel() == PROGRAMS_CHANNEL => {
                                if let Some((station, seq)) = n.payload().split_once(' ') {
                                    if let Ok(seq) = seq.parse::<u64>() {
                                        link.deliver_programs(station, seq);
                                    }
                                }
                            }
                            Ok(n) => {
                                if let Ok(seq) = n.payload().parse::<u64>() {
                                    link.deliver(seq);
                                }
                            }
                            Err(e) => {
                                tracing::warn!(
                                    "hub: nudge listener: {:?}; reconnecting",
                                    e.to_string()
                                );
                                break;
                            }
                        }
                    }
                }
            }
            Err(e) => tracing::error!(
                "hub: nudge listener cannot connect ({e}); nudges from other hub processes wait"
            ),
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_sequence_is_delivered_once_and_never_backwards() {
        let l = LinkHub::new(5);
        let mut rx = l.subscribe();
        l.deliver(6);
        l.deliver(6);
        l.deliver(4);
        l.deliver(7);
        assert_eq!(rx.recv().await.unwrap(), 6);
        assert_eq!(rx.recv().await.unwrap(), 7);
        assert!(rx.try_recv().is_err());
        assert_eq!(l.feed_sequence(), 7);
    }

    #[tokio::test]
    async fn a_station_hears_its_timetable_sequences_once() {
        let l = LinkHub::new(0);
        let mut rx = l.subscribe_programs();
        l.deliver_programs("a", 2);
        l.deliver_programs("a", 2);
        l.deliver_programs("b", 1);
        l.deliver_programs("a", 1);
        assert_eq!(rx.recv().await.unwrap(), ("a".to_string(), 2));
        assert_eq!(rx.recv().await.unwrap(), ("b".to_string(), 1));
        assert!(rx.try_recv().is_err());
        assert_eq!(l.programs_sequence("a"), Some(2));
        assert_eq!(l.programs_sequence("c"), None);
    }

    #[tokio::test]
    async fn stop_ends_waiters() {
        let l = LinkHub::new(0);
        let w = l.stopping();
        l.stop();
        tokio::time::timeout(Duration::from_secs(1), w)
            .await
            .unwrap();
    }
}
