//! A station's timetable document from the hub (HUB.md): `programs.toml`, signed
//! whole with the hub's feed key (`programs.toml.minisig`), bound to one station
//! and sequenced per station.
//!
//! ```toml
//! loa_programs = 1
//! station = "xa-phuoc-dinh"
//! sequence = 7
//! issued_at = "2026-11-29T08:00:00+07:00"
//! expires_at = "2026-12-29T08:00:00+07:00"
//! by = "nguyen-van-a"            # the hub account that published it
//!
//! [[program]]                    # SPEC.md's schema, as the programs editor wrote them
//! id = "sang"
//! ...
//!
//! [command]                      # only in a "play now" / "stop" document
//! action = "play"                # or "stop"
//! target = "sang"                # a program id or a station clip name (play only)
//! priority = 50                  # play only
//! by = "nguyen-van-a"
//! issued_at = "2026-11-29T08:00:00+07:00"
//! ```
//!
//! This file owns the format: rendering (hub) and reading the header (station).
//! The `[[program]]` tables are validated by `config::load_programs_str`.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// `loa_programs` of this format.
pub const FORMAT_VERSION: i64 = 1;
/// The document's file name under `feed/stations/ID/`.
pub const PROGRAMS_FILE: &str = "programs.toml";
/// Its detached signature.
pub const PROGRAMS_SIG: &str = "programs.toml.minisig";
/// The biggest document a station accepts.
pub const MAX_DOC: usize = 1024 * 1024;
/// Top-level keys besides `program`.
pub const HEADER_KEYS: &[&str] = &[
    "loa_programs",
    "station",
    "sequence",
    "issued_at",
    "expires_at",
    "by",
    "command",
];

/// A remote "play now" or "stop".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Play,
    Stop,
}

/// The `[command]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Command {
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
    pub by: String,
    /// RFC 3339.
    pub issued_at: String,
}

impl Command {
    pub fn issued(&self) -> Result<DateTime<FixedOffset>, DocError> {
        DateTime::parse_from_rfc3339(&self.issued_at)
            .map_err(|e| DocError::Field("command.issued_at", e.to_string()))
    }
}

/// Everything but the programs.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub station: String,
    pub sequence: u64,
    pub issued_at: DateTime<FixedOffset>,
    pub expires_at: DateTime<FixedOffset>,
    pub by: String,
    pub command: Option<Command>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DocError {
    #[error("the programs document is not valid TOML: {0}")]
    Toml(String),
    #[error("the programs document's `loa_programs` is {0}; this loa reads format {FORMAT_VERSION}: update loa")]
    Version(i64),
    #[error("the programs document's `{0}` is wrong: {1}")]
    Field(&'static str, String),
    #[error("the programs document is over {MAX_DOC} bytes")]
    TooBig,
}

#[derive(Serialize)]
struct HeaderOut<'a> {
    loa_programs: i64,
    station: &'a str,
    sequence: u64,
    issued_at: String,
    expires_at: String,
    by: &'a str,
}

#[derive(Serialize)]
struct CommandOut<'a> {
    command: &'a Command,
}

/// The whole document: header, the programs text as given (only
/// `[[program]]` tables, already validated), then the `[command]` table.
pub fn render(h: &Header, programs: &str) -> Result<String, DocError> {
    let head = HeaderOut {
        loa_programs: FORMAT_VERSION,
        station: &h.station,
        sequence: h.sequence,
        issued_at: h.issued_at.to_rfc3339(),
        expires_at: h.expires_at.to_rfc3339(),
        by: &h.by,
    };
    let mut out = toml::to_string(&head).map_err(|e| DocError::Toml(e.to_string()))?;
    out.push('\n');
    let body = programs.strip_prefix('\u{feff}').unwrap_or(programs);
    out.push_str(body);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    if let Some(c) = &h.command {
        out.push('\n');
        out.push_str(
            &toml::to_string(&CommandOut { command: c })
                .map_err(|e| DocError::Toml(e.to_string()))?,
        );
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderIn {
    loa_programs: i64,
    station: String,
    sequence: i64,
    issued_at: String,
    expires_at: String,
    by: String,
    #[serde(default)]
    command: Option<Command>,
    #[serde(default)]
    #[allow(dead_code)]
    program: Option<toml::Value>,
}

/// Read the header of a (signature-checked) document.
pub fn parse_header(text: &str) -> Result<Header, DocError> {
    if text.len() > MAX_DOC {
        return Err(DocError::TooBig);
    }
    let h: HeaderIn = toml::from_str(text).map_err(|e| DocError::Toml(e.message().to_string()))?;
    if h.loa_programs != FORMAT_VERSION {
        return Err(DocError::Version(h.loa_programs));
    }
    let time = |k: &'static str, v: &str| {
        DateTime::parse_from_rfc3339(v).map_err(|e| DocError::Field(k, e.to_string()))
    };
    let sequence = u64::try_from(h.sequence)
        .ok()
        .filter(|s| *s > 0)
        .ok_or_else(|| DocError::Field("sequence", "must be a whole number from 1".into()))?;
    if let Some(c) = &h.command {
        c.issued()?;
        if c.action == Action::Play && c.target.as_deref().is_none_or(str::is_empty) {
            return Err(DocError::Field(
                "command.target",
                "a play command names what to play".into(),
            ));
        }
    }
    Ok(Header {
        station: h.station,
        sequence,
        issued_at: time("issued_at", &h.issued_at)?,
        expires_at: time("expires_at", &h.expires_at)?,
        by: h.by,
        command: h.command,
    })
}

/// Whether a remote play target is a plain name (a program id or a clip file
/// name in the station's clips folder), never a path.
pub fn plain_target(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 200
        && !t.contains(['/', '\\', '\0'])
        && !t.starts_with('.')
        && !t.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cmd: Option<Command>) -> Header {
        let t = DateTime::parse_from_rfc3339("2026-11-29T08:00:00+07:00").unwrap();
        Header {
            station: "xa-a".into(),
            sequence: 3,
            issued_at: t,
            expires_at: t + chrono::TimeDelta::days(30),
            by: "Nguyễn \"A\"".into(),
            command: cmd,
        }
    }

    const PROGRAMS: &str = "[[program]]\nid = \"sang\"\nat = [\"05:00\"]\nplay = [\"chime.ogg\"]\n";

    #[test]
    fn renders_and_reads_back() {
        let h = header(None);
        let text = render(&h, PROGRAMS).unwrap();
        assert!(
            text.starts_with("loa_programs = 1\nstation = \"xa-a\"\nsequence = 3\n"),
            "{text}"
        );
        assert!(text.contains(PROGRAMS));
        assert_eq!(parse_header(&text).unwrap(), h);
        let v: toml::Value = toml::from_str(&text).unwrap();
        assert_eq!(v["program"][0]["id"].as_str(), Some("sang"));
    }

    #[test]
    fn a_command_rides_after_the_programs() {
        let c = Command {
            action: Action::Play,
            target: Some("sang".into()),
            priority: Some(50),
            by: "op".into(),
            issued_at: "2026-11-29T08:00:00+07:00".into(),
        };
        let h = header(Some(c.clone()));
        let text = render(&h, PROGRAMS.trim_end()).unwrap();
        let back = parse_header(&text).unwrap();
        assert_eq!(back.command, Some(c));
        // The programs are unchanged by the command table.
        let v: toml::Value = toml::from_str(&text).unwrap();
        assert_eq!(v["program"].as_array().unwrap().len(), 1);
        assert_eq!(v["command"]["action"].as_str(), Some("play"));
        // And an empty timetable with a stop.
        let stop = Command {
            action: Action::Stop,
            target: None,
            priority: None,
            by: "op".into(),
            issued_at: "2026-11-29T08:00:00+07:00".into(),
        };
        let text = render(&header(Some(stop)), "").unwrap();
        assert_eq!(
            parse_header(&text).unwrap().command.unwrap().action,
            Action::Stop
        );
    }

    #[test]
    fn bad_headers_are_named() {
        let good = render(&header(None), PROGRAMS).unwrap();
        for (from, to, what) in [
            ("loa_programs = 1", "loa_programs = 2", "loa_programs"),
            ("sequence = 3", "sequence = 0", "sequence"),
            ("sequence = 3", "sequence = -4", "sequence"),
            ("station = \"xa-a\"", "", "station"),
            ("issued_at = \"2026", "issued_at = \"x2026", "issued_at"),
        ] {
            let bad = good.replacen(from, to, 1);
            let e = parse_header(&bad).unwrap_err().to_string();
            assert!(e.contains(what), "{what}: {e}");
        }
        let extra = format!("extra = 1\n{good}");
        assert!(parse_header(&extra).is_err());
        let play_nothing = format!("{good}\n[command]\naction = \"play\"\nby = \"x\"\nissued_at = \"2026-11-29T08:00:00+07:00\"\n");
        assert!(parse_header(&play_nothing)
            .unwrap_err()
            .to_string()
            .contains("target"));
        assert_eq!(
            parse_header(&"#".repeat(MAX_DOC + 1)),
            Err(DocError::TooBig)
        );
    }

    #[test]
    fn play_targets_are_plain_names() {
        assert!(plain_target("sang"));
        assert!(plain_target("chime.ogg"));
        for bad in ["", "/etc/passwd", "../x", ".hidden", "a/b", "a\\b", "a\nb"] {
            assert!(!plain_target(bad), "{bad:?}");
        }
    }
}
