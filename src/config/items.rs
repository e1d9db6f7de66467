//! Reader for a program's `play` list: file names, silences, feed clips, streams.
//!
//! Resolves file items against `[paths] clips` and records them (with their spans)
//! for the file checks in `load.rs`; warns about items this loa cannot air yet.
//! Never opens a file itself.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::DeValue;

use super::diag::Diags;
use super::model::Item;
use super::sections::{positive, resolve};
use super::walk::{a_type, type_code, unknown_key_message, TableRef, Value};
use crate::i18n::Msg;

/// Every key a play item table may have, by kind (the first key names the kind).
const KINDS: &[&[&str]] = &[
    &["silence"],
    &["category", "count"],
    &["clip"],
    &["stream", "duration", "fallback"],
];

const ITEM_FORMS: &str = "\"chime.ogg\", { silence = \"2s\" }, { category = \"cai-cach-hanh-chinh\", count = 2 }, { clip = \"cchc-2026-11-27\" } or { stream = \"http://radio.example.vn/vov1\", duration = \"15m\" }";

const NO_FALLBACK: &str = "this stream has no `fallback`: if it cannot be relayed or stays silent, nothing airs in its window; add e.g. fallback = [{ category = \"cai-cach-hanh-chinh\", count = 1 }]";

/// A station file named by a play item, to be checked once the whole file is read.
pub(crate) struct FileRef {
    pub path: PathBuf,
    pub span: Range<usize>,
}

/// Reads play items; `key` names the list in messages (`play`, `fallback`).
pub(crate) struct ItemReader<'c> {
    pub clips: &'c Path,
    pub files: Vec<FileRef>,
    /// Every `{ clip = "ID" }` read, with its span (a hub checks them against its clips).
    pub clip_ids: Vec<(String, Range<usize>)>,
}

impl ItemReader<'_> {
    /// All readable items of a list (problems reported, bad items left out).
    pub(crate) fn read_list(
        &mut self,
        d: &mut Diags,
        key: &str,
        values: &[Value<'_>],
    ) -> Vec<Item> {
        values
            .iter()
            .filter_map(|v| self.read_item(d, key, v))
            .collect()
    }

    fn read_item(&mut self, d: &mut Diags, key: &str, v: &Value<'_>) -> Option<Item> {
        match v.get_ref() {
            DeValue::String(s) => self.read_file(d, s, v.span()),
            DeValue::Table(t) => self.read_table(d, &TableRef::new(t, v.span(), "this play item")),
            other => {
                d.error(
                    v.span(),
                    format!("each `{key}` item is a file name or an inline table, e.g. {ITEM_FORMS} (found {})", a_type(other)),
                    Msg::new("check-item-kind")
                        .arg("key", key)
                        .arg("forms", ITEM_FORMS)
                        .arg("found", type_code(other)),
                );
                None
            }
        }
    }

    fn read_file(&mut self, d: &mut Diags, name: &str, span: Range<usize>) -> Option<Item> {
        if name.trim().is_empty() {
            d.error(
                span,
                format!("empty file name in the play list: write e.g. {ITEM_FORMS}"),
                Msg::new("check-item-empty-name").arg("forms", ITEM_FORMS),
            );
            return None;
        }
        let lower = name.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            d.error(
                span,
                format!("\"{name}\" is a URL, not a file: to relay a stream write {{ stream = \"{name}\", duration = \"15m\" }}"),
                Msg::new("check-item-url").arg("url", name).arg(
                    "example",
                    format!("{{ stream = \"{name}\", duration = \"15m\" }}"),
                ),
            );
            return None;
        }
        let path = resolve(self.clips, name);
        self.files.push(FileRef {
            path: path.clone(),
            span,
        });
        Some(Item::File(path))
    }

    fn read_table(&mut self, d: &mut Diags, t: &TableRef<'_, '_>) -> Option<Item> {
        let present: Vec<&[&str]> = KINDS.iter().copied().filter(|k| t.has(k[0])).collect();
        let Some(kind) = present.first() else {
            if t.table.is_empty() {
                d.error(
                    t.span.clone(),
                    format!("empty play item: write e.g. {ITEM_FORMS}"),
                    Msg::new("check-item-empty").arg("forms", ITEM_FORMS),
                );
                return None;
            }
            let all: Vec<&str> = KINDS.iter().flat_map(|k| k.iter().copied()).collect();
            if t.check_keys(d, &all) {
                d.error(
                    t.span.clone(),
                    format!("this play item says neither `silence`, `category`, `clip` nor `stream`: write e.g. {ITEM_FORMS}"),
                    Msg::new("check-item-no-kind").arg("forms", ITEM_FORMS),
                );
            }
            return None;
        };
        if let Some(second) = present.get(1) {
            d.error(
                t.key_span(second[0]),
                format!(
                    "a play item is one thing: this one has both `{}` and `{}`; split it into two items",
                    kind[0], second[0]
                ),
                Msg::new("check-item-two-kinds")
                    .arg("first", kind[0])
                    .arg("second", second[0]),
            );
            return None;
        }
        let named = TableRef::new(t.table, t.span.clone(), format!("this `{}` item", kind[0]));
        for (k, _) in t.table.iter() {
            let name: &str = k.get_ref();
            if !kind.contains(&name) {
                let (text, msg) = unknown_key_message(name, &named.name, kind);
                d.error(k.span(), text, msg);
            }
        }
        match kind[0] {
            "silence" => self.read_silence(d, &named),
            "category" => read_category(d, &named),
            "clip" => {
                let item = read_clip(d, &named);
                if let (Some(Item::Clip(id)), Some(f)) = (&item, named.get("clip")) {
                    self.clip_ids.push((id.clone(), f.span()));
                }
                item
            }
            _ => self.read_stream(d, &named),
        }
    }

    fn read_silence(&mut self, d: &mut Diags, t: &TableRef<'_, '_>) -> Option<Item> {
        let f = t.get("silence")?;
        let dur = f.duration(d)?;
        positive(d, f, dur).then_some(Item::Silence(dur))
    }

    fn read_stream(&mut self, d: &mut Diags, t: &TableRef<'_, '_>) -> Option<Item> {
        let example = "{ stream = \"http://radio.example.vn/vov1\", duration = \"15m\" }";
        let url = t.get("stream").and_then(|f| {
            let s = f.non_empty_str(d, example)?;
            match check_stream_url(s) {
                Ok(()) => Some(s.to_string()),
                Err((why, code)) => {
                    d.error(
                        f.span(),
                        format!("`stream` \"{s}\" {why}, e.g. {example}"),
                        Msg::new(code).arg("url", s).arg("example", example),
                    );
                    None
                }
            }
        });
        let duration = t
            .required(
                d,
                "duration",
                "duration = \"15m\" (how long to relay the stream)",
            )
            .and_then(|f| f.duration(d).filter(|v| positive(d, f, *v)));
        let fallback = match t.get("fallback") {
            None => Some(Vec::new()),
            Some(f) => f
                .array(
                    d,
                    "fallback = [{ category = \"cai-cach-hanh-chinh\", count = 1 }]",
                )
                .map(|values| self.read_list(d, "fallback", values)),
        };
        if url.is_some() && fallback.as_ref().is_some_and(|f| f.is_empty()) {
            d.warning(
                t.span.clone(),
                NO_FALLBACK,
                Msg::new("check-stream-no-fallback"),
            );
        }
        Some(Item::Stream {
            url: url?,
            duration: duration?,
            fallback: fallback?,
        })
    }
}

/// Why `s` is not a stream URL loa can relay (http or https, a host, nothing else
/// odd), as the end of "`stream` \"…\" …", and the same as a catalogue code.
fn check_stream_url(s: &str) -> Result<(), (String, &'static str)> {
    let lower = s.to_ascii_lowercase();
    let no_host = || ("has no host name".to_string(), "check-stream-no-host");
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err((
            "must be an http:// or https:// URL".into(),
            "check-stream-not-http",
        ));
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err((
            "is not a valid URL: it contains spaces or control characters".into(),
            "check-stream-spaces",
        ));
    }
    // `http:///x` would parse with `x` as the host: the authority must be there.
    let after = &s[s.find("://").map_or(0, |i| i + 3)..];
    if after.starts_with(['/', '?', '#']) || after.is_empty() {
        return Err(no_host());
    }
    let uri = match url::Url::parse(s) {
        Ok(u) => u,
        Err(url::ParseError::EmptyHost) => return Err(no_host()),
        Err(e) => return Err((format!("is not a valid URL ({e})"), "check-stream-invalid")),
    };
    match uri.host_str() {
        Some(h) if !h.is_empty() => {}
        _ => return Err(no_host()),
    }
    if !uri.username().is_empty() || uri.password().is_some() {
        return Err((
            "must not carry a user name or password".into(),
            "check-stream-credentials",
        ));
    }
    Ok(())
}

fn read_category(d: &mut Diags, t: &TableRef<'_, '_>) -> Option<Item> {
    let example = "{ category = \"cai-cach-hanh-chinh\", count = 2 }";
    let category = t.get("category").and_then(|f| f.non_empty_str(d, example));
    let count = match t.get("count") {
        None => Some(1),
        Some(f) => f.u32(d, "count = 2").and_then(|n| {
            if n == 0 {
                d.error(
                    f.span(),
                    format!("`count` must be at least 1, e.g. {example}"),
                    Msg::new("check-count-zero").arg("example", example),
                );
                None
            } else {
                Some(n)
            }
        }),
    };
    Some(Item::Category {
        category: category?.trim().to_string(),
        count: count?,
    })
}

fn read_clip(d: &mut Diags, t: &TableRef<'_, '_>) -> Option<Item> {
    let id = t
        .get("clip")
        .and_then(|f| f.non_empty_str(d, "{ clip = \"cchc-2026-11-27\" }"));
    Some(Item::Clip(id?.trim().to_string()))
}
