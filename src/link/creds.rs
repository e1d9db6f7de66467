//! `STATE/hub.json`: what `loa enroll` got from the hub — the station's id and
//! bearer token, the feed and timetable URLs and the hub's public key. Written
//! atomically with mode 0600 (the token is a secret); read at `loa run` start
//! and on every reload, when the hub's feed joins the configured ones.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::http::LinkError;
use crate::config::{Config, Feed};

pub const CREDS_FILE: &str = "hub.json";

/// How often the hub's feed is polled (nudges make it sync sooner).
pub const HUB_FEED_EVERY: std::time::Duration = std::time::Duration::from_secs(120);

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Credentials {
    /// The hub's base URL, as given to `loa enroll`.
    pub hub: String,
    pub station: String,
    pub token: String,
    pub feed_url: String,
    pub programs_url: String,
    pub public_key: String,
    /// RFC 3339.
    pub enrolled_at: String,
}

impl Credentials {
    /// `None` when the station is not enrolled.
    pub fn read(state: &Path) -> Result<Option<Credentials>, LinkError> {
        let path = state.join(CREDS_FILE);
        match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b)
                .map(Some)
                .map_err(|e| LinkError::Creds {
                    path: path.display().to_string(),
                    msg: format!("{e}; enrol again with `loa enroll URL CODE`"),
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(LinkError::Creds {
                path: path.display().to_string(),
                msg: e.to_string(),
            }),
        }
    }

    /// Write atomically, readable by the owner only.
    pub fn write(&self, state: &Path) -> Result<(), LinkError> {
        let err = |e: std::io::Error| LinkError::Creds {
            path: state.join(CREDS_FILE).display().to_string(),
            msg: format!("{e}; check that the state folder is writable"),
        };
        std::fs::create_dir_all(state).map_err(err)?;
        let tmp = state.join(".hub.json.new");
        let _ = std::fs::remove_file(&tmp);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(err)?;
        let mut text =
            serde_json::to_vec_pretty(self).map_err(|e| err(std::io::Error::other(e)))?;
        text.push(b'\n');
        f.write_all(&text).map_err(err)?;
        f.sync_all().map_err(err)?;
        std::fs::rename(&tmp, state.join(CREDS_FILE)).map_err(err)?;
        Ok(())
    }

    /// SHA-256 fingerprint of the hub's public key, in groups of four hex digits.
    pub fn fingerprint(public_key: &str) -> String {
        use sha2::{Digest, Sha256};
        let h = hex::encode(Sha256::digest(public_key.trim().as_bytes()));
        h.as_bytes()
            .chunks(4)
            .take(8)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(":")
    }
}

/// When the station is enrolled, follow the hub's feed with the hub's key
/// (unless the config already follows that URL).
pub fn add_hub_feed(cfg: &mut Config) {
    match Credentials::read(&cfg.paths.state) {
        Ok(Some(c)) => {
            if !cfg.feeds.iter().any(|f| f.url == c.feed_url) {
                cfg.feeds.push(Feed {
                    url: c.feed_url,
                    public_key: c.public_key,
                    every: HUB_FEED_EVERY,
                    max_store: cfg.feeds.iter().filter_map(|f| f.max_store).min(),
                    station: Some(c.station),
                });
            }
        }
        Ok(None) => {}
        Err(e) => tracing::error!("{e}; the hub's feed is not followed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn written_owner_only_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Credentials::read(dir.path()).unwrap(), None);
        let c = Credentials {
            hub: "http://h".into(),
            station: "s".into(),
            token: "t".into(),
            feed_url: "http://h/feed/manifest.json".into(),
            programs_url: "http://h/feed/stations/s/programs.toml".into(),
            public_key: "RWQ".into(),
            enrolled_at: "2026-11-29T00:00:00Z".into(),
        };
        c.write(dir.path()).unwrap();
        let mode = std::fs::metadata(dir.path().join(CREDS_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(Credentials::read(dir.path()).unwrap(), Some(c));
        std::fs::write(dir.path().join(CREDS_FILE), "{").unwrap();
        let e = Credentials::read(dir.path()).unwrap_err().to_string();
        assert!(e.contains("loa enroll"), "{e}");
    }

    #[test]
    fn fingerprint_is_stable_and_short() {
        let f = Credentials::fingerprint("RWQabc");
        assert_eq!(f, Credentials::fingerprint(" RWQabc\n"));
        assert_eq!(f.len(), 8 * 4 + 7);
    }
}
