//! Timestamps in the as-run log: written as RFC 3339 with milliseconds and the
//! station's offset (`2026-11-27T05:00:00.000+07:00`), read as any RFC 3339.
//!
//! Owns only the serde helpers and the format string; never converts zones.

use chrono::{DateTime, FixedOffset};

/// The one format every as-run timestamp is written in.
pub const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3f%:z";

/// `2026-11-27T05:00:00.000+07:00`.
pub fn format(t: &DateTime<FixedOffset>) -> String {
    t.format(FORMAT).to_string()
}

/// Parses any RFC 3339 timestamp, keeping its offset.
pub fn parse(s: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(s).map_err(|e| format!("`{s}` is not an RFC 3339 timestamp ({e})"))
}

/// `#[serde(with = "ts")]` for `DateTime<FixedOffset>`.
pub mod ts {
    use chrono::{DateTime, FixedOffset};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&t.format(super::FORMAT))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        let s = String::deserialize(d)?;
        super::parse(&s).map_err(D::Error::custom)
    }
}

/// `#[serde(default, with = "ts_opt")]` for `Option<DateTime<FixedOffset>>`.
pub mod ts_opt {
    use chrono::{DateTime, FixedOffset};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        t: &Option<DateTime<FixedOffset>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.collect_str(&t.format(super::FORMAT)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(s) => super::parse(&s).map(Some).map_err(D::Error::custom),
            None => Ok(None),
        }
    }
}
