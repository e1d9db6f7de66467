//! Feeds: the signed manifest, publishing (district side), and syncing it
//! into the station's store (station side). Knows nothing of playout.
pub mod manifest;
