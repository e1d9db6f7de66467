//! `loa status`, `play`, `stop`, `reload`: ask the running daemon over its
//! control socket (`STATE/control.sock`). Without a daemon: a clear message, exit 1.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use crate::control::{self, Reply, Request};

/// Longer than the daemon's own wait for its loop, so its answer arrives first.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

fn ask(config: &Path, req: &Request) -> Result<(Reply, chrono_tz::Tz), ExitCode> {
    let cfg = super::load(config)?;
    let socket = control::socket_path(&cfg.paths.state);
    match control::request(&socket, req, CLIENT_TIMEOUT) {
        Ok(r) => Ok((r, cfg.station.timezone)),
        Err(e) => {
            eprintln!("loa: {e}");
            Err(ExitCode::from(1))
        }
    }
}

fn failed(reply: &Reply) -> ExitCode {
    eprintln!(
        "loa: {}",
        reply
            .error
            .as_deref()
            .unwrap_or("the daemon refused the request")
    );
    if let Some(errors) = reply.data.get("errors").and_then(|e| e.as_array()) {
        for e in errors {
            eprintln!("{}", e.as_str().unwrap_or_default());
        }
    }
    ExitCode::from(reply.exit_code())
}

pub fn status(config: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let (reply, tz) = match ask(config, &Request::Status) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    if !reply.ok {
        return Ok(failed(&reply));
    }
    let status = reply.to_status()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&status)?);
    } else {
        print!("{}", control::render_status(&status, tz.name()));
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
                eprintln!("loa: {target}: {e}");
                return Ok(ExitCode::from(1));
            }
        }
    } else {
        target.to_string()
    };
    let req = Request::Play { target, priority };
    let (reply, _) = match ask(config, &req) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    if !reply.ok {
        return Ok(failed(&reply));
    }
    let occ = reply.data["occurrence"].as_str().unwrap_or("?");
    match reply.data["state"].as_str() {
        Some("starting") => println!("starting: {occ} (fading out what was on air)"),
        _ => println!("on air: {occ}"),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn stop(config: &Path) -> anyhow::Result<ExitCode> {
    let (reply, _) = match ask(config, &Request::Stop) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    if !reply.ok {
        return Ok(failed(&reply));
    }
    println!("stopped: {}", reply.data["stopped"].as_str().unwrap_or("?"));
    Ok(ExitCode::SUCCESS)
}

pub fn reload(config: &Path) -> anyhow::Result<ExitCode> {
    let (reply, _) = match ask(config, &Request::Reload) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    if !reply.ok {
        return Ok(failed(&reply));
    }
    println!("reloaded: {} program(s)", reply.data["programs"]);
    Ok(ExitCode::SUCCESS)
}
