//! Output specifications: the `device` / `--output` string, parsed and displayed.
//! Owns only the naming grammar ("default", "null", "wav:PATH", else a device name);
//! never opens anything.

use std::fmt;
use std::path::PathBuf;

/// Where a broadcast goes on air.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputSpec {
    /// The system's default sound output (cpal default → ALSA default → PulseAudio/PipeWire).
    Default,
    /// A named output device, as `aplay -L` / cpal names it (e.g. `hw:0,0`, `pulse`).
    Device(String),
    /// A real-time-paced virtual card writing a growing 16-bit PCM WAV (+ `PATH.start`).
    Wav(PathBuf),
    /// A real-time-paced virtual card that discards.
    Null,
}

impl OutputSpec {
    /// "default" and "null" (any case, surrounding spaces ignored), "wav:PATH",
    /// anything else is a device name.
    pub fn parse(s: &str) -> OutputSpec {
        let t = s.trim();
        if t.eq_ignore_ascii_case("default") || t.is_empty() {
            OutputSpec::Default
        } else if t.eq_ignore_ascii_case("null") {
            OutputSpec::Null
        } else if let Some(path) = t.strip_prefix("wav:") {
            OutputSpec::Wav(PathBuf::from(path))
        } else {
            OutputSpec::Device(t.to_string())
        }
    }

    /// The backend that serves this spec, a key of `backend::BACKENDS`.
    pub(crate) fn backend_name(&self) -> &'static str {
        match self {
            OutputSpec::Default => "default",
            OutputSpec::Device(_) => "device",
            OutputSpec::Wav(_) => "wav",
            OutputSpec::Null => "null",
        }
    }
}

impl fmt::Display for OutputSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputSpec::Default => f.write_str("default"),
            OutputSpec::Device(name) => f.write_str(name),
            OutputSpec::Wav(path) => write!(f, "wav:{}", path.display()),
            OutputSpec::Null => f.write_str("null"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_round_trips() {
        assert_eq!(OutputSpec::parse("default"), OutputSpec::Default);
        assert_eq!(OutputSpec::parse(" NULL "), OutputSpec::Null);
        assert_eq!(
            OutputSpec::parse("wav:/tmp/a b.wav"),
            OutputSpec::Wav(PathBuf::from("/tmp/a b.wav"))
        );
        assert_eq!(
            OutputSpec::parse("hw:0,0"),
            OutputSpec::Device("hw:0,0".into())
        );
        for s in ["default", "null", "wav:/x/y.wav", "plughw:1,0"] {
            assert_eq!(OutputSpec::parse(s).to_string(), s);
        }
    }
}
