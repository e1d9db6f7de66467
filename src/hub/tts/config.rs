//! hub.toml's `[tts]` table: the speech engine that turns text bulletins
//! into audio. Either `command` (an argv, never a shell, with `{text_file}`,
//! `{out_wav}` and optionally `{voice}`; default Debian's espeak-ng with its
//! Vietnamese voices) or `url` (an HTTP engine: POST `{"text","voice"}` as
//! JSON, audio back), the `voices` offered (the first is the default), and
//! `timeout` (the engine is stopped past it). Knows no I/O.

use std::time::Duration;

use serde::Deserialize;

use crate::config::parse_duration;

/// How speech is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// A program and its arguments, placeholders replaced per bulletin.
    Command(Vec<String>),
    /// An HTTP speech service.
    Url(String),
}

/// A voice the form offers: the id the engine gets, the name people read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voice {
    pub id: String,
    pub name: String,
}

/// The validated `[tts]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TtsConfig {
    pub engine: Engine,
    pub voices: Vec<Voice>,
    pub timeout: Duration,
}

/// espeak-ng, Vietnamese, UTF-8 input, a little slower than its default
/// (loudspeakers on poles echo).
pub const DEFAULT_COMMAND: &[&str] = &[
    "espeak-ng",
    "-v",
    "{voice}",
    "-s",
    "150",
    "-b",
    "1",
    "-w",
    "{out_wav}",
    "-f",
    "{text_file}",
];

fn default_voices() -> Vec<Voice> {
    [
        ("vi", "Miền Bắc (espeak-ng)"),
        ("vi-vn-x-central", "Miền Trung (espeak-ng)"),
        ("vi-vn-x-south", "Miền Nam (espeak-ng)"),
    ]
    .into_iter()
    .map(|(id, name)| Voice {
        id: id.into(),
        name: name.into(),
    })
    .collect()
}

impl Default for TtsConfig {
    fn default() -> TtsConfig {
        TtsConfig {
            engine: Engine::Command(DEFAULT_COMMAND.iter().map(|s| s.to_string()).collect()),
            voices: default_voices(),
            timeout: Duration::from_secs(120),
        }
    }
}

impl TtsConfig {
    /// The voice with this id (the default, the first, when empty).
    pub fn voice(&self, id: &str) -> Option<&Voice> {
        if id.is_empty() {
            return self.voices.first();
        }
        self.voices.iter().find(|v| v.id == id)
    }
}

/// `[tts]` as written.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct RawTts {
    command: Option<Vec<String>>,
    url: Option<String>,
    voices: Option<Vec<RawVoice>>,
    timeout: Option<String>,
}

/// `"vi"` or `{ id = "vi", name = "Miền Bắc" }`.
#[derive(Deserialize, Debug)]
#[serde(untagged)]
enum RawVoice {
    Id(String),
    Named { id: String, name: String },
}

/// Check `[tts]`; each problem is `(key, message)`.
pub fn parse(raw: RawTts) -> Result<TtsConfig, Vec<(&'static str, String)>> {
    let mut errors = vec![];
    let mut cfg = TtsConfig::default();
    match (raw.command, raw.url) {
        (Some(_), Some(_)) => errors.push((
            "command",
            "give either `command` or `url`, not both".to_string(),
        )),
        (Some(cmd), None) => {
            if cmd.is_empty() || cmd[0].trim().is_empty() {
                errors.push(("command", "needs a program, e.g. [\"espeak-ng\", …]".into()));
            }
            for p in ["{text_file}", "{out_wav}"] {
                if !cmd.iter().any(|a| a.contains(p)) {
                    errors.push(("command", format!("needs `{p}` in one of its arguments")));
                }
            }
            cfg.engine = Engine::Command(cmd);
        }
        (None, Some(url)) => {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                errors.push((
                    "url",
                    format!("`{url}` must start with http:// or https://"),
                ));
            }
            cfg.engine = Engine::Url(url);
        }
        (None, None) => {}
    }
    if let Some(voices) = raw.voices {
        cfg.voices = voices
            .into_iter()
            .map(|v| match v {
                RawVoice::Id(id) => Voice {
                    name: id.clone(),
                    id,
                },
                RawVoice::Named { id, name } => Voice { id, name },
            })
            .collect();
        if cfg.voices.is_empty() {
            errors.push(("voices", "list at least one voice".into()));
        }
        for v in &cfg.voices {
            let ok = !v.id.is_empty()
                && v.id.len() <= 200
                && !v.id.starts_with('-')
                && v.id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.+/:".contains(c));
            if !ok {
                errors.push((
                    "voices",
                    format!(
                        "voice `{}`: letters, digits and - _ . + / : only, not starting with -",
                        v.id
                    ),
                ));
            }
        }
    }
    if let Some(t) = raw.timeout {
        match parse_duration(&t) {
            Ok(d) if !d.is_zero() => cfg.timeout = d,
            Ok(_) => errors.push(("timeout", "must be longer than 0 s".into())),
            Err(e) => errors.push(("timeout", e)),
        }
    }
    if errors.is_empty() {
        Ok(cfg)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(toml_text: &str) -> RawTts {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn default_is_espeak_ng_in_vietnamese() {
        let c = parse(RawTts::default()).unwrap();
        assert!(matches!(&c.engine, Engine::Command(a) if a[0] == "espeak-ng"));
        assert_eq!(c.voice("").unwrap().id, "vi");
        assert!(c.voice("vi-vn-x-south").is_some());
        assert!(c.voice("en").is_none());
    }

    #[test]
    fn a_piper_command_and_named_voices() {
        let c = parse(raw(
            r#"command = ["piper", "--model", "/var/lib/loa-hub/voices/{voice}.onnx", "--input_file", "{text_file}", "--output_file", "{out_wav}"]
voices = [{ id = "vi_VN-vais1000-medium", name = "Giọng nữ" }, "vi_VN-25hours_single-low"]
timeout = "5m""#,
        ))
        .unwrap();
        assert_eq!(c.voices[0].name, "Giọng nữ");
        assert_eq!(c.voices[1].name, "vi_VN-25hours_single-low");
        assert_eq!(c.timeout, Duration::from_secs(300));
    }

    #[test]
    fn mistakes_are_each_named() {
        let e = parse(raw(r#"command = ["say"]"#)).unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        let e = parse(raw(r#"command = ["a", "{text_file}", "{out_wav}"]
url = "http://x""#))
        .unwrap_err();
        assert_eq!(e[0].0, "command");
        assert_eq!(parse(raw(r#"url = "ftp://x""#)).unwrap_err()[0].0, "url");
        assert_eq!(parse(raw("voices = []")).unwrap_err()[0].0, "voices");
        assert_eq!(
            parse(raw(r#"voices = ["-rf"]"#)).unwrap_err()[0].0,
            "voices"
        );
        assert_eq!(parse(raw(r#"timeout = "0s""#)).unwrap_err()[0].0, "timeout");
    }
}
