//! The feed manifest (`manifest.json`): types shared by the publisher and the
//! station, parsing with a size cap, and every check that can be made on the
//! document alone (format version, ids, paths, hashes, sizes, dates).
//!
//! Knows nothing of HTTP, signatures or the store. Everything here treats its
//! input as hostile: a manifest that fails any check is refused whole.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// The only format this loa reads and writes (`"loa_feed": 1`).
pub const FORMAT_VERSION: u32 = 1;
/// A manifest larger than this is refused before parsing.
pub const MAX_MANIFEST_BYTES: usize = 1024 * 1024;
/// The largest clip a manifest may declare (a long clip at a high bit rate is
/// tens of MB; anything near this is a lie or an attack).
pub const MAX_CLIP_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub loa_feed: u32,
    pub sequence: u64,
    pub published_at: DateTime<FixedOffset>,
    pub expires_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub clips: Vec<Clip>,
    #[serde(default)]
    pub broadcasts: Vec<Broadcast>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clip {
    pub id: String,
    pub title: String,
    pub category: String,
    /// Language code, e.g. "vi", "cjm"; empty = any.
    #[serde(default)]
    pub lang: String,
    /// Relative to the manifest URL; never `..`, absolute, or with a scheme.
    pub path: String,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    pub bytes: u64,
    /// Seconds, when the publisher measured it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
    /// Administrative codes; empty = everywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<String>,
    /// Station ids: a local announcement for these stations only (absent =
    /// every station its areas reach). Other stations never download it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stations: Vec<String>,
    /// Circular 39/2020's level; absent = `normal`.
    #[serde(default, skip_serializing_if = "ClipLevel::is_normal")]
    pub level: ClipLevel,
}

/// A feed clip's level (Circular 39/2020): `normal` airs where a `{ category }`
/// or `{ clip }` item places it; `priority` airs once on each day it is valid,
/// at the start of the station's next program with priority < 100.
/// (Emergencies are pushed broadcasts with priority >= 100, not a clip level.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClipLevel {
    #[default]
    Normal,
    Priority,
}

impl ClipLevel {
    pub fn is_normal(&self) -> bool {
        *self == ClipLevel::Normal
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Broadcast {
    pub id: String,
    pub title: String,
    pub at: DateTime<FixedOffset>,
    /// Clip ids of this manifest, in order.
    pub play: Vec<String>,
    #[serde(default = "default_priority")]
    pub priority: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<String>,
}

fn default_priority() -> u32 {
    crate::config::DEFAULT_PRIORITY
}

/// Why a manifest document was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ManifestError {
    #[error("manifest is {0} bytes, over the {MAX_MANIFEST_BYTES}-byte limit")]
    TooLarge(usize),
    #[error("manifest is not valid JSON for this format: {0}")]
    Malformed(String),
    #[error("manifest format version {0} is not supported (this loa reads version {FORMAT_VERSION}): upgrade loa")]
    Version(u32),
    #[error("manifest is invalid: {0}")]
    Invalid(String),
}

impl Manifest {
    /// Parse and check a manifest document (size cap first).
    pub fn parse(bytes: &[u8]) -> Result<Manifest, ManifestError> {
        if bytes.len() > MAX_MANIFEST_BYTES {
            return Err(ManifestError::TooLarge(bytes.len()));
        }
        // Read the version first, so a newer format says so instead of "unknown field".
        #[derive(Deserialize)]
        struct Head {
            loa_feed: Option<u32>,
        }
        let head: Head =
            serde_json::from_slice(bytes).map_err(|e| ManifestError::Malformed(e.to_string()))?;
        match head.loa_feed {
            Some(FORMAT_VERSION) => {}
            Some(v) => return Err(ManifestError::Version(v)),
            None => return Err(ManifestError::Malformed("missing `loa_feed`".into())),
        }
        let m: Manifest =
            serde_json::from_slice(bytes).map_err(|e| ManifestError::Malformed(e.to_string()))?;
        m.check()?;
        Ok(m)
    }

    /// Every check that needs only the document.
    pub fn check(&self) -> Result<(), ManifestError> {
        let bad = |m: String| Err(ManifestError::Invalid(m));
        if self.loa_feed != FORMAT_VERSION {
            return Err(ManifestError::Version(self.loa_feed));
        }
        if self.expires_at <= self.published_at {
            return bad("expires_at is not after published_at".into());
        }
        let mut ids = std::collections::HashSet::new();
        for c in &self.clips {
            check_id(&c.id).or_else(|e| bad(format!("clip id `{}`: {e}", c.id)))?;
            if !ids.insert(c.id.as_str()) {
                return bad(format!("duplicate clip id `{}`", c.id));
            }
            check_path(&c.path)
                .or_else(|e| bad(format!("clip `{}` path `{}`: {e}", c.id, c.path)))?;
            if c.sha256.len() != 64
                || !c
                    .sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            {
                return bad(format!(
                    "clip `{}`: sha256 must be 64 lower-case hex digits",
                    c.id
                ));
            }
            if c.bytes == 0 || c.bytes > MAX_CLIP_BYTES {
                return bad(format!(
                    "clip `{}`: bytes {} is outside 1..={MAX_CLIP_BYTES}",
                    c.id, c.bytes
                ));
            }
            if let (Some(f), Some(u)) = (c.valid_from, c.valid_until) {
                if f > u {
                    return bad(format!(
                        "clip `{}`: valid_from {f} is after valid_until {u}",
                        c.id
                    ));
                }
            }
            check_id(&c.category)
                .or_else(|e| bad(format!("clip `{}` category `{}`: {e}", c.id, c.category)))?;
        }
        let mut bids = std::collections::HashSet::new();
        for b in &self.broadcasts {
            check_id(&b.id).or_else(|e| bad(format!("broadcast id `{}`: {e}", b.id)))?;
            if !bids.insert(b.id.as_str()) {
                return bad(format!("duplicate broadcast id `{}`", b.id));
            }
            if b.play.is_empty() {
                return bad(format!("broadcast `{}` plays nothing", b.id));
            }
            for p in &b.play {
                if !ids.contains(p.as_str()) {
                    return bad(format!(
                        "broadcast `{}` plays `{p}`, which is not a clip of this manifest",
                        b.id
                    ));
                }
            }
        }
        Ok(())
    }

    /// Canonical bytes as the publisher writes them (pretty, trailing newline).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}

/// Ids and categories: `[a-z0-9][a-z0-9._-]*`, at most 100 characters.
pub fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 100
        && id
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err("use lower-case letters, digits, `.`, `_`, `-` (at most 100), starting with a letter or digit".into())
    }
}

/// A clip path: relative, plain segments, no `..`, no scheme, no backslash.
pub fn check_path(path: &str) -> Result<(), String> {
    if path.is_empty() || path.len() > 512 {
        return Err("must be 1 to 512 characters".into());
    }
    if path.starts_with('/')
        || path.contains('\\')
        || path.contains(':')
        || path.contains('?')
        || path.contains('#')
    {
        return Err("must be a relative path under the manifest's folder (no `/` first, no scheme, no `\\`, `?` or `#`)".into());
    }
    if path
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == ".." || seg.bytes().any(|b| b < 0x20))
    {
        return Err("must not contain empty, `.` or `..` segments or control characters".into());
    }
    Ok(())
}

/// Whether a clip bound to `stations` (empty = not bound) is for the station
/// this feed knows as `me` (None: a feed that knows no station id).
pub fn for_station(stations: &[String], me: Option<&str>) -> bool {
    stations.is_empty() || me.is_some_and(|me| stations.iter().any(|s| s == me))
}

/// Whether an item with these `areas` is for a station answering to `station`.
pub fn targets(areas: &[String], station: &[String]) -> bool {
    areas.is_empty() || areas.iter().any(|a| station.contains(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{ "loa_feed": 1, "sequence": 42,
      "published_at": "2026-11-27T08:00:00+07:00", "expires_at": "2026-12-27T08:00:00+07:00",
      "clips": [ { "id": "cchc-2026-11-27", "title": "Cải cách hành chính", "category": "cai-cach-hanh-chinh",
        "lang": "vi", "path": "clips/cchc-2026-11-27.mp3",
        "sha256": "0000000000000000000000000000000000000000000000000000000000000000", "bytes": 1234567,
        "valid_from": "2026-11-27", "valid_until": "2026-12-31", "areas": ["58"] } ],
      "broadcasts": [ { "id": "bao-so-9", "title": "Tin bão", "at": "2026-11-28T17:15:00+07:00",
        "play": ["cchc-2026-11-27"], "priority": 100, "areas": ["589"] } ] }"#;

    fn with(from: &str, to: &str) -> Result<Manifest, ManifestError> {
        Manifest::parse(GOOD.replace(from, to).as_bytes())
    }

    #[test]
    fn the_spec_example_parses() {
        let m = Manifest::parse(GOOD.as_bytes()).unwrap();
        assert_eq!(m.sequence, 42);
        assert_eq!(m.clips[0].areas, vec!["58"]);
        assert_eq!(m.broadcasts[0].priority, 100);
        assert_eq!(Manifest::parse(&m.to_bytes()).unwrap(), m);
    }

    #[test]
    fn refusals_name_the_reason() {
        assert_eq!(
            with("\"loa_feed\": 1", "\"loa_feed\": 2"),
            Err(ManifestError::Version(2))
        );
        assert!(matches!(
            with("{ \"loa_feed\"", "[ \"loa_feed\""),
            Err(ManifestError::Malformed(_))
        ));
        let e = with("clips/cchc-2026-11-27.mp3", "../../etc/passwd")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`..`"), "{e}");
        let e = with("clips/cchc-2026-11-27.mp3", "http://evil/x.mp3")
            .unwrap_err()
            .to_string();
        assert!(e.contains("scheme"), "{e}");
        let e = with("clips/cchc-2026-11-27.mp3", "/etc/passwd")
            .unwrap_err()
            .to_string();
        assert!(e.contains("relative"), "{e}");
        let e = with("1234567", "99999999999999").unwrap_err().to_string();
        assert!(e.contains("bytes 99999999999999"), "{e}");
        let e = with("\"play\": [\"cchc-2026-11-27\"]", "\"play\": [\"khac\"]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a clip of this manifest"), "{e}");
        let e = with("\"lang\": \"vi\",", "\"lang\": \"vi\", \"evil\": 1,")
            .unwrap_err()
            .to_string();
        assert!(e.contains("evil"), "{e}");
        let big = format!("{}{}", GOOD, " ".repeat(MAX_MANIFEST_BYTES));
        assert_eq!(
            Manifest::parse(big.as_bytes()),
            Err(ManifestError::TooLarge(big.len()))
        );
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let mut m = Manifest::parse(GOOD.as_bytes()).unwrap();
        m.clips.push(m.clips[0].clone());
        assert!(m
            .check()
            .unwrap_err()
            .to_string()
            .contains("duplicate clip id"));
    }

    #[test]
    fn targeting() {
        let st = vec!["58".to_string(), "589".to_string()];
        assert!(targets(&[], &st));
        assert!(targets(&["589".into()], &st));
        assert!(!targets(&["01".into()], &st));
    }
}
