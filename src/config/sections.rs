//! Readers for the `[station]`, `[output]`, `[paths]` and `[feed]` tables.
//!
//! Each reads one spanned table into its model type, reporting every problem to
//! `Diags` and applying the SPEC defaults. Programs live in `program.rs`; nothing
//! here touches the file system except reading the process environment for defaults.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use chrono_tz::Tz;
use toml::de::DeValue;

use super::diag::Diags;
use super::model::{Feed, HubLink, Output, Paths, QuietHours, Station};
use super::timezone::{parse_timezone, system_timezone};
use super::values::{parse_quiet_window, parse_size, quiet_windows_overlap};
use super::walk::{as_number, Field, TableRef, Value};
use crate::i18n::Msg;

pub(crate) const DEFAULT_DEVICE: &str = "default";
pub(crate) const DEFAULT_WARMUP: Duration = Duration::from_secs(3);
pub(crate) const DEFAULT_LOUDNESS: f64 = -16.0;
pub(crate) const DEFAULT_DEAD_AIR: Duration = Duration::from_secs(10);
pub(crate) const DEFAULT_FEED_EVERY: Duration = Duration::from_secs(120);
pub(crate) const DEFAULT_STATE_DIR: &str = "/var/lib/loa";

/// `base/p` with `.` components removed (`..` kept: no file-system access).
pub(crate) fn resolve(base: &Path, p: &str) -> PathBuf {
    let joined = base.join(p);
    joined
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

pub(crate) fn read_station(d: &mut Diags, t: &TableRef<'_, '_>) -> Station {
    t.check_keys(d, &["name", "areas", "timezone", "lang", "language"]);
    let name = t
        .required(d, "name", "name = \"Đài truyền thanh xã Phước Dinh\"")
        .and_then(|f| f.non_empty_str(d, "name = \"Đài truyền thanh xã Phước Dinh\""))
        .unwrap_or_default()
        .to_string();
    let areas = string_list(d, t.get("areas"), "areas = [\"58\", \"589\", \"22936\"]");
    let lang = string_list(d, t.get("lang"), "lang = [\"vi\", \"cjm\"]");
    let language = t.get("language").and_then(|f| {
        let s = f.str(d, "language = \"vi\"")?;
        let l = crate::i18n::Lang::parse(s).filter(|_| s.len() == 2);
        if l.is_none() {
            d.error(
                f.span(),
                format!("`language`: \"{s}\" is not a language of the command line: write \"vi\" or \"en\""),
                Msg::new("check-language-invalid").arg("value", s),
            );
        }
        l
    });
    let timezone = match t.get("timezone") {
        Some(f) => f
            .str(d, "timezone = \"Asia/Ho_Chi_Minh\"")
            .and_then(|s| {
                parse_timezone(s)
                    .map_err(|e| {
                        d.error(
                            f.span(),
                            format!("`timezone`: {e}"),
                            Msg::new("check-timezone-unknown").arg("value", s),
                        )
                    })
                    .ok()
            })
            .unwrap_or(Tz::UTC),
        None => system_timezone(),
    };
    Station {
        name,
        areas,
        timezone,
        lang,
        language,
    }
}

/// An optional array of non-empty strings (empty when absent).
fn string_list(d: &mut Diags, f: Option<Field<'_, '_>>, example: &str) -> Vec<String> {
    let Some(f) = f else { return Vec::new() };
    let Some(items) = f.str_array(d, example) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (s, span) in items {
        if s.trim().is_empty() {
            d.error(
                span,
                format!("empty string in `{}`: write e.g. {example}", f.key),
                Msg::new("check-empty-string")
                    .arg("key", f.key)
                    .arg("example", example),
            );
        } else {
            out.push(s.trim().to_string());
        }
    }
    out
}

pub(crate) fn default_output() -> Output {
    Output {
        device: DEFAULT_DEVICE.into(),
        volume: 1.0,
        quiet_hours: Vec::new(),
        power_on: None,
        power_off: None,
        warmup: DEFAULT_WARMUP,
        loudness: Some(DEFAULT_LOUDNESS),
        dead_air: DEFAULT_DEAD_AIR,
    }
}

pub(crate) fn read_output(d: &mut Diags, t: &TableRef<'_, '_>) -> Output {
    t.check_keys(
        d,
        &[
            "device",
            "volume",
            "quiet_hours",
            "power_on",
            "power_off",
            "warmup",
            "loudness",
            "dead_air",
        ],
    );
    let mut out = default_output();
    if let Some(f) = t.get("device") {
        if let Some(dev) = f.non_empty_str(d, "device = \"default\"") {
            if dev.starts_with("wav:") && dev.len() == 4 {
                d.error(
                    f.span(),
                    "`device` \"wav:\" needs a file path, e.g. device = \"wav:/tmp/on-air.wav\"",
                    Msg::new("check-device-wav-path"),
                );
            }
            out.device = dev.to_string();
        }
    }
    if let Some(v) = t.get("volume").and_then(|f| f.volume(d)) {
        out.volume = v;
    }
    if let Some(f) = t.get("quiet_hours") {
        out.quiet_hours = read_quiet_hours(d, f);
    }
    out.power_on = t.get("power_on").and_then(|f| read_argv(d, f));
    out.power_off = t.get("power_off").and_then(|f| read_argv(d, f));
    if let Some(w) = t.get("warmup").and_then(|f| f.duration(d)) {
        out.warmup = w;
    }
    if let Some(f) = t.get("loudness") {
        out.loudness = read_loudness(d, f).unwrap_or(Some(DEFAULT_LOUDNESS));
    }
    if let Some(v) = t.get("dead_air").and_then(|f| f.duration(d)) {
        out.dead_air = v;
    }
    out
}

fn read_quiet_hours(d: &mut Diags, f: Field<'_, '_>) -> Vec<QuietHours> {
    let example = "quiet_hours = [\"21:30-05:00\"]";
    let Some(items) = f.str_array(d, example) else {
        return Vec::new();
    };
    let mut seen: Vec<(QuietHours, &str, Range<usize>)> = Vec::new();
    for (s, span) in items {
        let q = match parse_quiet_window(s) {
            Ok(q) => q,
            Err(e) => {
                d.error(
                    span,
                    format!("`quiet_hours`: {e}"),
                    Msg::new("check-quiet-invalid").arg("value", s),
                );
                continue;
            }
        };
        if let Some((_, other, other_span)) =
            seen.iter().find(|(o, _, _)| quiet_windows_overlap(o, &q))
        {
            let line = d.line_of(other_span.start);
            d.error(
                span.clone(),
                format!(
                    "quiet hours \"{s}\" overlap \"{other}\" (line {line}): merge them into one window"
                ),
                Msg::new("check-quiet-overlap")
                    .arg("value", s)
                    .arg("other", other)
                    .arg("line", line),
            );
            continue;
        }
        seen.push((q, s, span));
    }
    seen.into_iter().map(|(q, _, _)| q).collect()
}

/// A command line as an array of strings, program first.
fn read_argv(d: &mut Diags, f: Field<'_, '_>) -> Option<Vec<String>> {
    let example = format!("{} = [\"gpioset\", \"gpiochip0\", \"17=1\"]", f.key);
    let items = f.str_array(d, &example)?;
    if items.is_empty() {
        d.error(
            f.span(),
            format!("`{}` is empty: give the command and its arguments, e.g. {example}, or remove the key", f.key),
            Msg::new("check-command-empty")
                .arg("key", f.key)
                .arg("example", &example),
        );
        return None;
    }
    if items[0].0.trim().is_empty() {
        d.error(
            items[0].1.clone(),
            format!("`{}`: the command name is empty, e.g. {example}", f.key),
            Msg::new("check-command-name-empty")
                .arg("key", f.key)
                .arg("example", &example),
        );
        return None;
    }
    Some(items.into_iter().map(|(s, _)| s.to_string()).collect())
}

/// `Ok(None)` for "off"; `Err` after reporting.
fn read_loudness(d: &mut Diags, f: Field<'_, '_>) -> Result<Option<f64>, ()> {
    let example = "loudness = -16 (LUFS) or loudness = \"off\"";
    let v = f.value.get_ref();
    if let DeValue::String(s) = v {
        if s.trim().eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        d.error(
            f.span(),
            format!("`loudness` = \"{s}\": expected a LUFS number or \"off\", e.g. {example}"),
            Msg::new("check-loudness-text")
                .arg("value", s.as_ref())
                .arg("example", example),
        );
        return Err(());
    }
    let Some(n) = as_number(v) else {
        f.wrong_type(d, "a LUFS number or \"off\"", "lufs", example);
        return Err(());
    };
    if !(-70.0..=0.0).contains(&n) {
        d.error(
            f.span(),
            format!("`loudness` = {n} is out of range: LUFS targets are between -70 and 0, e.g. {example}"),
            Msg::new("check-loudness-range")
                .arg("value", n)
                .arg("example", example),
        );
        return Err(());
    }
    Ok(Some(n))
}

pub(crate) fn read_paths(d: &mut Diags, t: Option<&TableRef<'_, '_>>, base: &Path) -> Paths {
    let mut paths = Paths {
        clips: base.to_path_buf(),
        state: default_state_dir(std::env::var("STATE_DIRECTORY").ok().as_deref()),
    };
    let Some(t) = t else { return paths };
    t.check_keys(d, &["clips", "state"]);
    if let Some(s) = t
        .get("clips")
        .and_then(|f| f.non_empty_str(d, "clips = \"audio\""))
    {
        paths.clips = resolve(base, s);
    }
    if let Some(s) = t
        .get("state")
        .and_then(|f| f.non_empty_str(d, "state = \"/var/lib/loa\""))
    {
        paths.state = resolve(base, s);
    }
    paths
}

/// systemd's `$STATE_DIRECTORY` (first entry of a `:`-separated list), else /var/lib/loa.
pub(crate) fn default_state_dir(state_directory: Option<&str>) -> PathBuf {
    state_directory
        .and_then(|s| s.split(':').next())
        .filter(|s| !s.trim().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_STATE_DIR))
}

/// `feed` is a table (`[feed]`) or an array of tables (`[[feed]]`).
pub(crate) fn read_feeds(d: &mut Diags, f: Field<'_, '_>) -> Vec<Feed> {
    let tables: Vec<(&_, Range<usize>)> = match f.value.get_ref() {
        DeValue::Table(t) => vec![(t, f.span())],
        DeValue::Array(items) => items
            .iter()
            .filter_map(|item: &Value<'_>| match item.get_ref() {
                DeValue::Table(t) => Some((t, item.span())),
                _ => {
                    d.error(
                        item.span(),
                        "each `[[feed]]` must be a table with `url` and `public_key`",
                        Msg::new("check-feed-not-table"),
                    );
                    None
                }
            })
            .collect(),
        _ => {
            f.wrong_type(
                d,
                "a [feed] table",
                "feed-table",
                "[feed] url = \"https://...\" public_key = \"RW...\"",
            );
            Vec::new()
        }
    };
    tables
        .into_iter()
        .filter_map(|(t, span)| read_feed(d, &TableRef::new(t, span, "[feed]")))
        .collect()
}

fn read_feed(d: &mut Diags, t: &TableRef<'_, '_>) -> Option<Feed> {
    t.check_keys(d, &["url", "public_key", "every", "max_store"]);
    let url_example = "url = \"https://truyenthanh.example.vn/feed/manifest.json\"";
    let url = t
        .required(d, "url", url_example)
        .and_then(|f| {
            let s = f.non_empty_str(d, url_example)?;
            let lower = s.to_ascii_lowercase();
            if ["http://", "https://", "file://"].iter().any(|p| lower.starts_with(p)) {
                Some(s.to_string())
            } else {
                d.error(
                    f.span(),
                    format!("`url` \"{s}\" must start with http://, https:// or file://, e.g. {url_example}"),
                    Msg::new("check-feed-url-scheme")
                        .arg("url", s)
                        .arg("example", url_example),
                );
                None
            }
        });
    let key_example = "public_key = \"RWQ...\" (the second line of the publisher's minisign.pub)";
    let public_key = t
        .required(d, "public_key", key_example)
        .and_then(|f| f.non_empty_str(d, key_example))
        .map(|s| s.trim().to_string());
    let every = t
        .get("every")
        .map(|f| f.duration(d).filter(|e| positive(d, f, *e)))
        .unwrap_or(Some(DEFAULT_FEED_EVERY));
    let max_store = match t.get("max_store") {
        None => Ok(None),
        Some(f) => read_size(d, f).map(Some),
    };
    Some(Feed {
        url: url?,
        public_key: public_key?,
        every: every?,
        max_store: max_store.ok()?,
        station: None,
    })
}

/// The optional `[hub]` table: `heartbeat = "1m"`.
pub(crate) fn read_hub(d: &mut Diags, t: &TableRef<'_, '_>) -> HubLink {
    t.check_keys(d, &["heartbeat"]);
    let mut hub = HubLink::default();
    if let Some(f) = t.get("heartbeat") {
        if let Some(v) = f.duration(d).filter(|v| positive(d, f, *v)) {
            hub.heartbeat = v;
        }
    }
    hub
}

/// Reports a zero duration; true when positive.
pub(crate) fn positive(d: &mut Diags, f: Field<'_, '_>, v: Duration) -> bool {
    if v.is_zero() {
        d.error(
            f.span(),
            format!(
                "`{}` must be longer than 0s, e.g. {} = \"2m\"",
                f.key, f.key
            ),
            Msg::new("check-duration-zero").arg("key", f.key),
        );
    }
    !v.is_zero()
}

fn read_size(d: &mut Diags, f: Field<'_, '_>) -> Result<u64, ()> {
    let example = "max_store = \"4GiB\"";
    match f.value.get_ref() {
        DeValue::Integer(i) => u64::from_str_radix(i.as_str(), i.radix()).map_err(|_| {
            d.error(
                f.span(),
                format!("`max_store` must be a positive size, e.g. {example}"),
                Msg::new("check-size-negative").arg("example", example),
            );
        }),
        DeValue::String(s) => parse_size(s).map_err(|e| {
            d.error(
                f.span(),
                format!("`max_store`: {e}"),
                Msg::new("check-size-invalid").arg("value", s.as_ref()),
            )
        }),
        _ => {
            f.wrong_type(d, "a size", "size", example);
            Err(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_drops_dot_components() {
        let base = Path::new("/etc/loa");
        assert_eq!(resolve(base, "audio"), PathBuf::from("/etc/loa/audio"));
        assert_eq!(
            resolve(base, "./audio/./x.ogg"),
            PathBuf::from("/etc/loa/audio/x.ogg")
        );
        assert_eq!(resolve(base, "/srv/clips"), PathBuf::from("/srv/clips"));
        assert_eq!(
            resolve(base, "../shared"),
            PathBuf::from("/etc/loa/../shared")
        );
    }

    #[test]
    fn state_dir_default() {
        assert_eq!(default_state_dir(None), PathBuf::from("/var/lib/loa"));
        assert_eq!(default_state_dir(Some("")), PathBuf::from("/var/lib/loa"));
        assert_eq!(
            default_state_dir(Some("/var/lib/loa2")),
            PathBuf::from("/var/lib/loa2")
        );
        assert_eq!(default_state_dir(Some("/a:/b")), PathBuf::from("/a"));
    }
}
