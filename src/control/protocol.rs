//! The wire protocol: one JSON object per line, UTF-8, both ways.
//!
//! A request is tagged by `"cmd"`; a reply is `{"ok":true, ...payload}` or
//! `{"ok":false,"error":"...","code":N}` where `code` is the exit status the
//! CLI should use. This file knows nothing of sockets or daemon state.

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

pub use super::status::Status;

/// Exit status for a failed command.
pub const EXIT_FAILURE: u8 = 1;
/// Exit status for an invalid config (a refused reload).
pub const EXIT_INVALID_CONFIG: u8 = 2;

/// What a client asks the daemon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "lowercase")]
pub enum Request {
    /// `loa status`: the reply payload is a [`Status`].
    Status,
    /// `loa play TARGET [--priority N]`: a program id, a clip id or a file
    /// path (absolute: the client resolves relative paths). The reply payload
    /// is `{"occurrence": "..."}`.
    Play {
        target: String,
        #[serde(default)]
        priority: Option<u32>,
    },
    /// `loa stop`: stop what is on air.
    Stop,
    /// `loa reload`: re-read the config. Refused with code 2 and payload
    /// `{"errors": ["file:line:col: message", ...]}` when it is invalid.
    Reload,
}

impl Request {
    /// The command name, for log lines.
    pub fn name(&self) -> &'static str {
        match self {
            Request::Status => "status",
            Request::Play { .. } => "play",
            Request::Stop => "stop",
            Request::Reload => "reload",
        }
    }

    /// The request as one line, newline included.
    pub fn to_line(&self) -> String {
        to_line(self)
    }
}

/// The daemon's answer to one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub ok: bool,
    /// What went wrong (only when `ok` is false).
    pub error: Option<String>,
    /// Exit status for the CLI (only when `ok` is false).
    pub code: Option<u8>,
    /// The payload, flattened into the reply object on the wire: always a
    /// JSON object (possibly empty).
    pub data: Value,
}

/// Keys of the reply envelope; a payload cannot use them.
const RESERVED: [&str; 3] = ["ok", "error", "code"];

impl Reply {
    /// Success with `data` as payload. An object is flattened into the reply;
    /// `null` means no payload; any other value is carried as `{"data": v}`.
    pub fn ok(data: impl Into<Value>) -> Reply {
        Reply {
            ok: true,
            error: None,
            code: None,
            data: payload(data.into()),
        }
    }

    /// Failure with exit status `code` and message `msg`.
    pub fn err(code: u8, msg: impl Into<String>) -> Reply {
        Reply {
            ok: false,
            error: Some(msg.into()),
            code: Some(code),
            data: Value::Object(Map::new()),
        }
    }

    /// Failure that also carries a payload (e.g. `{"errors": [...]}`).
    pub fn err_with(code: u8, msg: impl Into<String>, data: impl Into<Value>) -> Reply {
        Reply {
            data: payload(data.into()),
            ..Reply::err(code, msg)
        }
    }

    /// Success carrying a status report.
    pub fn status(s: &Status) -> Reply {
        match serde_json::to_value(s) {
            Ok(v) => Reply::ok(v),
            Err(e) => Reply::err(EXIT_FAILURE, format!("cannot encode the status: {e}")),
        }
    }

    /// The payload as a [`Status`] (for `loa status`).
    pub fn to_status(&self) -> Result<Status, serde_json::Error> {
        serde_json::from_value(self.data.clone())
    }

    /// The exit status the CLI should use: 0 on success, else `code` (1 if absent).
    pub fn exit_code(&self) -> u8 {
        if self.ok {
            0
        } else {
            self.code.filter(|c| *c != 0).unwrap_or(EXIT_FAILURE)
        }
    }

    /// The reply as one line, newline included.
    pub fn to_line(&self) -> String {
        to_line(self)
    }
}

fn payload(v: Value) -> Value {
    match v {
        Value::Object(mut m) => {
            for k in RESERVED {
                m.remove(k);
            }
            Value::Object(m)
        }
        Value::Null => Value::Object(Map::new()),
        other => {
            let mut m = Map::new();
            m.insert("data".into(), other);
            Value::Object(m)
        }
    }
}

fn to_line<T: Serialize>(v: &T) -> String {
    // Serializing these types cannot fail: every map key is a string.
    let mut s = serde_json::to_string(v)
        .unwrap_or_else(|e| format!(r#"{{"ok":false,"error":"encoding: {e}","code":1}}"#));
    s.push('\n');
    s
}

impl Serialize for Reply {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut map = ser.serialize_map(None)?;
        map.serialize_entry("ok", &self.ok)?;
        if let Some(e) = &self.error {
            map.serialize_entry("error", e)?;
        }
        if let Some(c) = &self.code {
            map.serialize_entry("code", c)?;
        }
        match &self.data {
            Value::Object(m) => {
                for (k, v) in m {
                    if !RESERVED.contains(&k.as_str()) {
                        map.serialize_entry(k, v)?;
                    }
                }
            }
            Value::Null => {}
            other => map.serialize_entry("data", other)?,
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Reply {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Reply, D::Error> {
        let mut m = Map::deserialize(de)?;
        let ok = match m.remove("ok") {
            Some(Value::Bool(b)) => b,
            Some(_) => return Err(D::Error::custom("\"ok\" is not a boolean")),
            None => return Err(D::Error::missing_field("ok")),
        };
        let error = match m.remove("error") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => return Err(D::Error::custom("\"error\" is not a string")),
        };
        let code = match m.remove("code") {
            None | Some(Value::Null) => None,
            Some(v) => match v.as_u64().and_then(|c| u8::try_from(c).ok()) {
                Some(c) => Some(c),
                None => return Err(D::Error::custom("\"code\" is not an exit status (0-255)")),
            },
        };
        Ok(Reply {
            ok,
            error,
            code,
            data: Value::Object(m),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn req(s: &str) -> Request {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn requests_exact_json() {
        assert_eq!(Request::Status.to_line(), "{\"cmd\":\"status\"}\n");
        assert_eq!(Request::Stop.to_line(), "{\"cmd\":\"stop\"}\n");
        assert_eq!(Request::Reload.to_line(), "{\"cmd\":\"reload\"}\n");
        let play = Request::Play {
            target: "bản-tin".into(),
            priority: Some(100),
        };
        assert_eq!(
            play.to_line(),
            "{\"cmd\":\"play\",\"target\":\"bản-tin\",\"priority\":100}\n"
        );
        let play = Request::Play {
            target: "sang".into(),
            priority: None,
        };
        assert_eq!(
            play.to_line(),
            "{\"cmd\":\"play\",\"target\":\"sang\",\"priority\":null}\n"
        );
    }

    #[test]
    fn requests_parse() {
        assert_eq!(req(r#"{"cmd":"status"}"#), Request::Status);
        assert_eq!(req(r#"{"cmd":"stop"}"#), Request::Stop);
        assert_eq!(req(r#"{"cmd":"reload"}"#), Request::Reload);
        assert_eq!(
            req(r#"{"cmd":"play","target":"sang"}"#),
            Request::Play {
                target: "sang".into(),
                priority: None
            }
        );
        assert_eq!(
            req(r#"{"priority":7,"target":"/a b.ogg","cmd":"play"}"#),
            Request::Play {
                target: "/a b.ogg".into(),
                priority: Some(7)
            }
        );
        // Newer clients may add fields; older daemons ignore them.
        assert_eq!(req(r#"{"cmd":"stop","why":"test"}"#), Request::Stop);
        assert!(serde_json::from_str::<Request>(r#"{"cmd":"dance"}"#).is_err());
        assert!(serde_json::from_str::<Request>(r#"{"cmd":"play"}"#).is_err());
        assert!(serde_json::from_str::<Request>(r#"{"target":"x"}"#).is_err());
    }

    #[test]
    fn replies_exact_json() {
        assert_eq!(Reply::ok(Value::Null).to_line(), "{\"ok\":true}\n");
        assert_eq!(
            Reply::ok(json!({"occurrence": "sang@2026-11-27T05:00:00+07:00"})).to_line(),
            "{\"ok\":true,\"occurrence\":\"sang@2026-11-27T05:00:00+07:00\"}\n"
        );
        assert_eq!(
            Reply::err(1, "nothing is on air").to_line(),
            "{\"ok\":false,\"error\":\"nothing is on air\",\"code\":1}\n"
        );
        assert_eq!(
            Reply::err_with(2, "invalid config", json!({"errors": ["a.toml:3:1: bad"]})).to_line(),
            "{\"ok\":false,\"error\":\"invalid config\",\"code\":2,\"errors\":[\"a.toml:3:1: bad\"]}\n"
        );
        // The envelope keys cannot be overridden by a payload.
        assert_eq!(
            Reply::ok(json!({"ok": false, "code": 9, "x": 1})).to_line(),
            "{\"ok\":true,\"x\":1}\n"
        );
        assert_eq!(Reply::ok(json!(5)).to_line(), "{\"ok\":true,\"data\":5}\n");
    }

    #[test]
    fn replies_round_trip() {
        for r in [
            Reply::ok(Value::Null),
            Reply::ok(json!({"occurrence": "x@y", "n": [1, 2]})),
            Reply::err(1, "boom"),
            Reply::err_with(2, "invalid config", json!({"errors": ["e1", "e2"]})),
        ] {
            let back: Reply = serde_json::from_str(r.to_line().trim_end()).unwrap();
            assert_eq!(back, r);
        }
    }

    #[test]
    fn replies_parse_and_exit_codes() {
        let r: Reply = serde_json::from_str(r#"{"ok":false,"error":"e","code":2}"#).unwrap();
        assert_eq!(r.exit_code(), 2);
        let r: Reply = serde_json::from_str(r#"{"ok":false,"error":"e"}"#).unwrap();
        assert_eq!((r.code, r.exit_code()), (None, 1));
        let r: Reply = serde_json::from_str(r#"{"ok":true,"a":1}"#).unwrap();
        assert_eq!((r.exit_code(), r.data), (0, json!({"a": 1})));
        assert!(serde_json::from_str::<Reply>(r#"{"error":"e"}"#).is_err());
        assert!(serde_json::from_str::<Reply>(r#"{"ok":"yes"}"#).is_err());
        assert!(serde_json::from_str::<Reply>(r#"{"ok":false,"code":300}"#).is_err());
        assert!(serde_json::from_str::<Reply>(r#"[1]"#).is_err());
    }
}
