//! `loa status`, `play`, `stop`, `reload`: ask the running daemon over its
//! control socket (`STATE/control.sock`). Without a daemon: a clear message, exit 1.
//!
//! What the user reads is in the command line's language (`cli::lang`):
//! English is the daemon's own text, other languages render the message the
//! daemon's refusal carries (`{"msg": {code, args}}`, a `station-cmd-…` code
//! shown as its local `cli-cmd-…` twin) or the client error's code.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use crate::control::{self, Reply, Request};
use crate::i18n::{Lang, Msg};
use crate::tr;

/// Longer than the daemon's own wait for its loop, so its answer arrives first.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

/// The daemon's answer, the station's timezone and the language to speak.
type Asked = (Reply, chrono_tz::Tz, Lang);

fn ask(config: &Path, req: &Request) -> Result<Asked, ExitCode> {
    let cfg = super::load(config)?;
    let lang = super::lang::of(&cfg);
    let socket = control::socket_path(&cfg.paths.state);
    match control::request(&socket, req, CLIENT_TIMEOUT) {
        Ok(r) => Ok((r, cfg.station.timezone, lang)),
        Err(e) => {
            let text = match lang {
                Lang::En => e.to_string(),
                _ => e
                    .msg()
                    .render(lang, &["cli-"])
                    .unwrap_or_else(|| e.to_string()),
            };
            eprintln!("loa: {text}");
            Err(ExitCode::from(1))
        }
    }
}

/// A refusal's text in `lang`: the daemon's English, or its message rendered
/// (the local `cli-cmd-…` twin of a `station-cmd-…` code, which names no hub user).
fn refusal_text(reply: &Reply, lang: Lang, fallback: &str) -> String {
    let english = reply.error.as_deref().unwrap_or(fallback);
    if lang == Lang::En {
        return english.to_string();
    }
    let local = reply.data.get("msg").and_then(Msg::from_json).map(|m| Msg {
        code: m.code.replacen("station-cmd-", "cli-cmd-", 1),
        args: m.args,
    });
    local
        .and_then(|m| m.render(lang, &["cli-cmd-"]))
        .unwrap_or_else(|| tr!(lang, "cli-refused", reason = english.to_string()))
}

fn failed(reply: &Reply, lang: Lang) -> ExitCode {
    let text = refusal_text(reply, lang, "the daemon refused the request");
    eprintln!("loa: {text}");
    if let Some(errors) = reply.data.get("errors").and_then(|e| e.as_array()) {
        for e in errors {
            eprintln!("{}", e.as_str().unwrap_or_default());
        }
    }
    ExitCode::from(reply.exit_code())
}

pub fn status(config: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let (reply, tz, lang) = match ask(config, &Request::Status) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    if !reply.ok {
        return Ok(failed(&reply, lang));
    }
    let status = reply.to_status()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&status)?);
    } else {
        print!("{}", control::render_status(&status, tz.name(), lang));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn play(config: &Path, target: &str, priority: Option<u32>) -> anyhow::Result<ExitCode> {
    // A path (anything with a `/`, e.g. ./tin.mp3) is sent absolute: the daemon
    // runs elsewhere. A bare name is a program id or a clip in the clips folder.
    let target = if target.contains('/') {
        match std::fs::canonicalize(target) {
            Ok(p) => p.display().to_string(),
            Err(e) => {
                let lang = super::lang::of_config(config);
                eprintln!(
                    "loa: {}",
                    tr!(
                        lang,
                        "cli-play-no-file",
                        target = target.to_string(),
                        error = e.to_string()
                    )
                );
                return Ok(ExitCode::from(1));
            }
        }
    } else {
        target.to_string()
    };
    let req = Request::Play { target, priority };
    let (reply, _, lang) = match ask(config, &req) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    if !reply.ok {
        return Ok(failed(&reply, lang));
    }
    let occ = reply.data["occurrence"].as_str().unwrap_or("?").to_string();
    match reply.data["state"].as_str() {
        Some("starting") => println!("{}", tr!(lang, "cli-play-starting", occurrence = occ)),
        _ => println!("{}", tr!(lang, "cli-play-on-air", occurrence = occ)),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn stop(config: &Path) -> anyhow::Result<ExitCode> {
    let (reply, _, lang) = match ask(config, &Request::Stop) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    if !reply.ok {
        return Ok(failed(&reply, lang));
    }
    let stopped = reply.data["stopped"].as_str().unwrap_or("?").to_string();
    println!("{}", tr!(lang, "cli-stopped", occurrence = stopped));
    Ok(ExitCode::SUCCESS)
}

pub fn reload(config: &Path) -> anyhow::Result<ExitCode> {
    let (reply, _, lang) = match ask(config, &Request::Reload) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    if !reply.ok {
        return Ok(failed(&reply, lang));
    }
    println!(
        "{}",
        tr!(lang, "cli-reloaded", n = reply.data["programs"].to_string())
    );
    Ok(ExitCode::SUCCESS)
}
