//! The hub's config file (`/etc/loa/hub.toml`, HUB.md): its `[hub]` table,
//! defaults, and diagnostics as `file:line:col: message` (unknown keys are
//! errors, like the station config). Paths resolve against `state`.
//!
//! Knows nothing of the database or HTTP; never writes a file.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::config::{parse_duration, parse_size, parse_timezone, Diagnostic, Severity};

/// Where the hub looks for its config when `--config` is not given.
pub const DEFAULT_CONFIG: &str = "/etc/loa/hub.toml";

/// The validated `[hub]` table.
#[derive(Debug, Clone)]
pub struct HubConfig {
    pub file: PathBuf,
    pub listen: SocketAddr,
    pub public_url: String,
    pub state: PathBuf,
    /// `sqlite://…` (resolved against `state`) or `postgres://…`.
    pub database: String,
    pub key: PathBuf,
    pub timezone: chrono_tz::Tz,
    pub lang: String,
    pub max_upload: u64,
    /// The longest upload accepted (its declared length, then as decoded).
    pub max_duration: Duration,
    /// A session unused this long is over (sign in again).
    pub session_idle: Duration,
    /// Peers whose `X-Forwarded-For` is believed (the nginx in front).
    pub trusted_proxies: Vec<IpAddr>,
    /// `operator_clips`: how a commune operator's local announcement reaches
    /// its station(s).
    pub operator_clips: OperatorClips,
    /// The server's own limits against slow or greedy clients (`http/`).
    pub limits: Limits,
    /// `[tts]`: the speech engine of text bulletins (`hub::tts`).
    pub tts: super::tts::config::TtsConfig,
}

/// hub.toml's connection limits (`src/hub/http/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `header_timeout`: a request's head must arrive within this, and an
    /// idle keep-alive connection is closed after it (default 60 s: longer
    /// than the stations' 30 s connection pool idle, so they drop first).
    pub header_timeout: Duration,
    /// `body_timeout`: an upload that sends nothing for this long is cut
    /// (progress, not total: a slow 3G upload keeps going; default 60 s).
    pub body_timeout: Duration,
    /// `max_connections_per_address`: open connections one client address
    /// may hold (default 64; 0 = no cap). `trusted_proxies` are exempt.
    pub max_connections_per_address: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(60),
            body_timeout: Duration::from_secs(60),
            max_connections_per_address: 64,
        }
    }
}

/// hub.toml `operator_clips = "approve" | "direct"` (default `approve`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OperatorClips {
    /// An approver whose areas cover the station approves it (the usual
    /// editorial review).
    #[default]
    Approve,
    /// Approved at upload, no review (a province that leaves commune-level
    /// announcements to the commune).
    Direct,
}

impl HubConfig {
    /// Cookies get `Secure` when browsers reach the hub over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
    pub fn feed_dir(&self) -> PathBuf {
        self.state.join("feed")
    }
    pub fn uploads_dir(&self) -> PathBuf {
        self.state.join("clips")
    }
    pub fn tmp_dir(&self) -> PathBuf {
        self.state.join("tmp")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    hub: Raw,
    #[serde(default)]
    tts: super::tts::config::RawTts,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    listen: Option<String>,
    public_url: Option<String>,
    state: Option<String>,
    database: Option<String>,
    key: Option<String>,
    timezone: Option<String>,
    lang: Option<String>,
    max_upload: Option<String>,
    max_duration: Option<String>,
    session_idle: Option<String>,
    trusted_proxies: Option<Vec<String>>,
    operator_clips: Option<String>,
    header_timeout: Option<String>,
    body_timeout: Option<String>,
    max_connections_per_address: Option<usize>,
}

/// Read and check the hub config; `Err` holds every problem found.
pub fn load(path: &Path) -> Result<HubConfig, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![diag(
            path,
            0,
            0,
            format!("cannot read the hub config: {e}; create it (see HUB.md) or pass --config"),
        )]
    })?;
    parse(&text, path)
}

fn diag(file: &Path, line: usize, col: usize, message: String) -> Diagnostic {
    Diagnostic {
        file: file.to_path_buf(),
        line,
        col,
        severity: Severity::Error,
        msg: crate::i18n::Msg::new("check-hub-config").arg("detail", &message),
        message,
    }
}

/// Check config text; `path` names it in messages and anchors a relative `state`.
pub fn parse(text: &str, path: &Path) -> Result<HubConfig, Vec<Diagnostic>> {
    let index = crate::config::LineIndex::new(text);
    let at = |offset: usize, message: String| {
        let (line, col) = index.line_col(offset);
        diag(path, line, col, message)
    };
    let file: File = toml::from_str(text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        vec![at(offset, e.message().trim().to_string())]
    })?;
    let raw = file.hub;
    let tts_raw = file.tts;
    // Values are checked one by one; a bad one is reported at its key's line.
    let find = |key: &str| -> usize {
        text.find(&format!("\n{key}"))
            .map(|i| i + 1)
            .or_else(|| text.starts_with(key).then_some(0))
            .unwrap_or(0)
    };
    let mut errors = vec![];
    let mut bad = |key: &str, msg: String| errors.push(at(find(key), format!("{key}: {msg}")));

    let listen_s = raw.listen.unwrap_or_else(|| "127.0.0.1:8080".into());
    let listen = listen_s.parse::<SocketAddr>().unwrap_or_else(|e| {
        bad(
            "listen",
            format!("`{listen_s}` is not an address:port ({e}), e.g. \"127.0.0.1:8080\""),
        );
        SocketAddr::from(([127, 0, 0, 1], 8080))
    });
    let public_url = raw
        .public_url
        .unwrap_or_else(|| format!("http://{listen}"))
        .trim_end_matches('/')
        .to_string();
    if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
        bad(
            "public_url",
            format!("`{public_url}` must start with http:// or https://"),
        );
    }
    let base = std::path::absolute(path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("/"));
    let state = base.join(raw.state.unwrap_or_else(|| "/var/lib/loa-hub".into()));
    let database_s = raw.database.unwrap_or_else(|| "sqlite:hub.db".into());
    let database = if let Some(rest) = database_s.strip_prefix("sqlite:") {
        let rest = rest.trim_start_matches("//");
        let p = state.join(rest);
        format!("sqlite://{}", p.display())
    } else if database_s.starts_with("postgres://") || database_s.starts_with("postgresql://") {
        database_s
    } else {
        bad(
            "database",
            format!("`{database_s}` is neither sqlite:FILE nor postgres://…"),
        );
        String::new()
    };
    let key = state.join(raw.key.unwrap_or_else(|| "minisign.key".into()));
    let tz_s = raw.timezone.unwrap_or_else(|| "Asia/Ho_Chi_Minh".into());
    let timezone = parse_timezone(&tz_s).unwrap_or_else(|e| {
        bad("timezone", e);
        chrono_tz::Tz::UTC
    });
    let lang = raw.lang.unwrap_or_else(|| "vi".into());
    if lang != "vi" && lang != "en" {
        bad(
            "lang",
            format!("`{lang}` is not offered: use \"vi\" or \"en\""),
        );
    }
    let max_s = raw.max_upload.unwrap_or_else(|| "200MiB".into());
    let max_upload = parse_size(&max_s).unwrap_or_else(|e| {
        bad("max_upload", e);
        0
    });
    let dur_s = raw.max_duration.unwrap_or_else(|| "2h".into());
    let max_duration = match parse_duration(&dur_s) {
        Ok(d) if !d.is_zero() => d,
        Ok(_) => {
            bad("max_duration", "must be longer than 0, e.g. \"2h\"".into());
            Duration::ZERO
        }
        Err(e) => {
            bad("max_duration", e);
            Duration::ZERO
        }
    };
    let idle_s = raw.session_idle.unwrap_or_else(|| "8h".into());
    let session_idle = parse_duration(&idle_s).unwrap_or_else(|e| {
        bad("session_idle", e);
        Duration::from_secs(8 * 3600)
    });
    let mut trusted_proxies = vec![];
    for p in raw.trusted_proxies.unwrap_or_default() {
        match p.parse() {
            Ok(ip) => trusted_proxies.push(ip),
            Err(_) => bad("trusted_proxies", format!("`{p}` is not an IP address")),
        }
    }
    let operator_clips = match raw.operator_clips.as_deref() {
        None | Some("approve") => OperatorClips::Approve,
        Some("direct") => OperatorClips::Direct,
        Some(other) => {
            bad(
                "operator_clips",
                format!("`{other}` is not a choice: use \"approve\" (an approver in scope reviews operators' local announcements) or \"direct\" (none needed)"),
            );
            OperatorClips::Approve
        }
    };
    let mut limits = Limits::default();
    for (key, raw, slot) in [
        (
            "header_timeout",
            &raw.header_timeout,
            &mut limits.header_timeout,
        ),
        ("body_timeout", &raw.body_timeout, &mut limits.body_timeout),
    ] {
        if let Some(s) = raw {
            match parse_duration(s) {
                Ok(d) if !d.is_zero() => *slot = d,
                Ok(_) => bad(key, "must be longer than 0 s".into()),
                Err(e) => bad(key, e),
            }
        }
    }
    if let Some(n) = raw.max_connections_per_address {
        limits.max_connections_per_address = n;
    }
    let tts = super::tts::config::parse(tts_raw).unwrap_or_else(|errs| {
        for (key, msg) in errs {
            bad(key, format!("[tts] {msg}"));
        }
        Default::default()
    });
    if !errors.is_empty() {
        errors.sort_by_key(|d| (d.line, d.col));
        return Err(errors);
    }
    Ok(HubConfig {
        file: path.to_path_buf(),
        listen,
        public_url,
        state,
        database,
        key,
        timezone,
        lang,
        max_upload,
        max_duration,
        session_idle,
        trusted_proxies,
        operator_clips,
        limits,
        tts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_relative_paths() {
        let c = parse("[hub]\nstate = \"st\"\n", Path::new("/etc/x/hub.toml")).unwrap();
        assert_eq!(c.state, PathBuf::from("/etc/x/st"));
        assert_eq!(c.database, "sqlite:///etc/x/st/hub.db");
        assert_eq!(c.key, PathBuf::from("/etc/x/st/minisign.key"));
        assert_eq!(c.max_upload, 200 * 1024 * 1024);
        assert_eq!(c.max_duration, Duration::from_secs(2 * 3600));
        assert!(!c.secure_cookies());
        assert_eq!(c.operator_clips, OperatorClips::Approve);
    }

    #[test]
    fn operator_clips_choices() {
        let c = parse("[hub]\noperator_clips = \"direct\"\n", Path::new("h.toml")).unwrap();
        assert_eq!(c.operator_clips, OperatorClips::Direct);
        let e = parse("[hub]\noperator_clips = \"yes\"\n", Path::new("h.toml")).unwrap_err();
        let s = e[0].to_string();
        assert!(s.starts_with("h.toml:2:1: operator_clips: `yes`"), "{s}");
    }

    #[test]
    fn limits_default_and_set() {
        let c = parse("[hub]\n", Path::new("h.toml")).unwrap();
        assert_eq!(c.limits, Limits::default());
        let c = parse(
            "[hub]\nheader_timeout = \"5s\"\nbody_timeout = \"2m\"\nmax_connections_per_address = 0\n",
            Path::new("h.toml"),
        )
        .unwrap();
        assert_eq!(c.limits.header_timeout, Duration::from_secs(5));
        assert_eq!(c.limits.body_timeout, Duration::from_secs(120));
        assert_eq!(c.limits.max_connections_per_address, 0);
        let e = parse("[hub]\nheader_timeout = \"0s\"\n", Path::new("h.toml")).unwrap_err();
        assert!(
            e[0].to_string().starts_with("h.toml:2:1: header_timeout:"),
            "{e:?}"
        );
    }

    #[test]
    fn unknown_key_is_reported_with_line_and_column() {
        let e = parse(
            "[hub]\nlisten = \"127.0.0.1:1\"\n  bogus = 1\n",
            Path::new("h.toml"),
        )
        .unwrap_err();
        let s = e[0].to_string();
        assert!(s.starts_with("h.toml:3:3:"), "{s}");
        assert!(s.contains("bogus"), "{s}");
    }

    #[test]
    fn bad_values_are_each_reported() {
        let e = parse(
            "[hub]\nlisten = \"nope\"\nmax_upload = \"lots\"\ndatabase = \"mysql://x\"\n",
            Path::new("h.toml"),
        )
        .unwrap_err();
        let all: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        assert_eq!(all.len(), 3, "{all:?}");
        assert!(all[0].starts_with("h.toml:2:1: listen:"), "{all:?}");
        assert!(all[1].starts_with("h.toml:3:1: max_upload:"), "{all:?}");
        assert!(all[2].starts_with("h.toml:4:1: database:"), "{all:?}");
    }

    #[test]
    fn max_duration_is_a_duration() {
        let c = parse("[hub]\nmax_duration = \"90m\"\n", Path::new("h.toml")).unwrap();
        assert_eq!(c.max_duration, Duration::from_secs(90 * 60));
        for bad in ["\"long\"", "\"0s\""] {
            let e = parse(
                &format!("[hub]\nmax_duration = {bad}\n"),
                Path::new("h.toml"),
            )
            .unwrap_err();
            let s = e[0].to_string();
            assert!(s.starts_with("h.toml:2:1: max_duration:"), "{s}");
        }
    }
}
