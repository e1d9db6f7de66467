//! loa: broadcast scheduler for commune and district loudspeaker systems.
//!
//! `schedule` is pure; `daemon` is the only place with threads and signals;
//! `playout`, `record` and `config` know nothing of each other.
pub mod cli;
pub mod clock;
pub mod config;
pub mod control;
pub mod csv_cell;
pub mod daemon;
pub mod decode;
pub mod feed;
#[cfg(feature = "hub")]
pub mod hub;
pub mod i18n;
pub mod link;
pub mod loudness;
pub mod net;
pub mod playout;
pub mod record;
pub mod relay;
pub mod schedule;
