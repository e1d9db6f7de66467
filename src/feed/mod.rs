//! Feeds: the signed manifest, publishing (district side), and syncing it
//! into the station's store (station side). Knows nothing of playout.
pub mod fetch;
pub mod keygen;
pub mod manifest;
pub mod programs;
pub mod publish;
pub mod select;
pub mod sign;
pub mod state;
pub mod store;
pub mod sync;
pub mod view;

#[cfg(test)]
mod fetch_tests;
#[cfg(test)]
mod store_tests;
#[cfg(test)]
mod sync_tests;
#[cfg(test)]
mod testserver;
