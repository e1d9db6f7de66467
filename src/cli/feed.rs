//! The feed commands: `loa keygen` and `loa publish` (district side),
//! `loa sync` (station side, with or without a running daemon).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Local, Utc};

use crate::config;
use crate::daemon::spec_of;
use crate::feed::publish::{self, Change, ClipMeta};
use crate::feed::store::Store;
use crate::feed::sync::{sync, SyncResult};
use crate::feed::{keygen, sign, view};

pub fn run_keygen(out: &Path, unencrypted: bool) -> anyhow::Result<ExitCode> {
    let k = keygen::keygen(out, unencrypted, None)?;
    println!(
        "secret key: {} (keep it private; mode 0600)",
        k.secret_key.display()
    );
    println!("public key: {}", k.public_key_file.display());
    println!("for each station's config, in its [feed] table:");
    println!("public_key = \"{}\"", k.public_key);
    Ok(ExitCode::SUCCESS)
}

/// What `loa publish` was asked to do.
pub struct PublishArgs {
    pub feed: PathBuf,
    pub key: PathBuf,
    pub files: Vec<PathBuf>,
    pub meta: ClipMeta,
    pub remove: Option<String>,
    pub broadcast: Option<String>,
    pub at: Option<String>,
    pub play: Vec<String>,
    pub priority: u32,
    pub expires: Option<String>,
}

pub fn run_publish(a: PublishArgs) -> anyhow::Result<ExitCode> {
    let usage = |m: &str| -> anyhow::Result<ExitCode> {
        eprintln!("loa publish: {m}");
        Ok(ExitCode::from(2))
    };
    let change = match (&a.remove, &a.broadcast) {
        (Some(_), Some(_)) => {
            return usage("--remove and --broadcast are separate changes: run them one at a time")
        }
        (Some(id), None) if a.files.is_empty() => Change::Remove { id: id.clone() },
        (None, Some(id)) if a.files.is_empty() => {
            let Some(at) = &a.at else {
                return usage(
                    "--broadcast needs --at TIME (RFC 3339, e.g. 2026-11-28T17:15:00+07:00)",
                );
            };
            let at = match DateTime::parse_from_rfc3339(at) {
                Ok(t) => t,
                Err(e) => {
                    return usage(&format!(
                        "--at {at}: {e}; write e.g. 2026-11-28T17:15:00+07:00"
                    ))
                }
            };
            if a.play.is_empty() {
                return usage("--broadcast needs --play ID[,ID...] (clip ids of the feed)");
            }
            Change::Broadcast {
                id: id.clone(),
                title: a.meta.title.clone(),
                at,
                play: a.play.clone(),
                priority: a.priority,
                areas: a.meta.areas.clone(),
            }
        }
        (None, None) if !a.files.is_empty() => Change::Add {
            files: a.files.clone(),
            meta: a.meta.clone(),
        },
        (None, None) => {
            return usage("name the clip files to add, or use --remove ID or --broadcast ID")
        }
        _ => return usage("clip files go with adding, not with --remove or --broadcast"),
    };
    let expires = match &a.expires {
        Some(e) => match config::parse_duration(e) {
            Ok(d) => d,
            Err(err) => return usage(&format!("--expires {e}: {err}")),
        },
        None => publish::DEFAULT_EXPIRES,
    };
    let sk = sign::load_secret_key(&a.key, None)?;
    let now = Local::now().fixed_offset();
    let probe = |p: &Path| crate::decode::probe(p).map_err(|e| e.to_string());
    let done = publish::publish(&a.feed, &sk, &change, expires, now, &probe)?;
    println!(
        "published {} (sequence {}): added [{}], removed [{}]",
        done.manifest.display(),
        done.sequence,
        done.added.join(", "),
        done.removed.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

/// `loa sync`: every feed of the config, now, under the store lock.
pub fn run_sync(config_path: &Path) -> anyhow::Result<ExitCode> {
    let mut cfg = match super::load(config_path) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    // An enrolled station syncs its hub's feed too (`loa enroll`).
    crate::link::add_hub_feed(&mut cfg);
    if cfg.feeds.is_empty() {
        println!("no [feed] in {}: nothing to sync", config_path.display());
        return Ok(ExitCode::SUCCESS);
    }
    let state = &cfg.paths.state;
    let _lock = match view::lock_store(state, false)? {
        Some(l) => l,
        None => {
            eprintln!("another sync (the daemon's, or another `loa sync`) is writing the store: waiting for it…");
            view::lock_store(state, true)?.context("locking the store")?
        }
    };
    let mut store = Store::open(state)?;
    let tty = std::io::stderr().is_terminal();
    let mut all_ok = true;
    let max_store = cfg.feeds.iter().filter_map(|f| f.max_store).min();
    for f in &cfg.feeds {
        let spec = crate::feed::sync::FeedSpec {
            max_store,
            ..spec_of(f)
        };
        let key = f.public_key.clone();
        let verify = move |b: &[u8], s: &str| sign::verify(b, s, &key).map_err(|e| e.to_string());
        let mut bars = Bars::new(tty);
        let report = sync(
            &mut store,
            &spec,
            &cfg.station.areas,
            &cfg.station.lang,
            &verify,
            Utc::now(),
            &|_| false,
            &mut |p| bars.show(p),
        );
        bars.finish();
        all_ok &= report.ok();
        let (clips, bytes) = store.usage();
        match &report.result {
            SyncResult::Refused(_) | SyncResult::Failed(_) => {
                println!("{}: {} — the store is unchanged", f.url, report.result)
            }
            _ => println!(
                "{}: {} — sequence {}, {} added{}, {} removed{}; store: {clips} clips, {bytes} bytes",
                f.url,
                report.result,
                report.sequence.map_or("-".into(), |s| s.to_string()),
                report.added.len(),
                list(&report.added),
                report.removed.len(),
                list(&report.removed),
            ),
        }
        if report.stale {
            println!(
                "{}: the feed is stale (its manifest has expired); airing goes on from the store",
                f.url
            );
        }
    }
    Ok(if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        String::new()
    } else {
        format!(" ({})", ids.join(", "))
    }
}

/// A progress bar per download on a terminal; plain lines otherwise.
struct Bars {
    tty: bool,
    current: Option<(String, indicatif::ProgressBar)>,
    last_line: Option<(String, std::time::Instant)>,
}

impl Bars {
    fn new(tty: bool) -> Bars {
        Bars {
            tty,
            current: None,
            last_line: None,
        }
    }

    fn show(&mut self, p: crate::feed::sync::Progress) {
        if self.tty {
            if self.current.as_ref().is_none_or(|(c, _)| *c != p.clip) {
                self.finish();
                let bar = indicatif::ProgressBar::new(p.total);
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{msg:24} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                bar.set_message(p.clip.clone());
                self.current = Some((p.clip.clone(), bar));
            }
            if let Some((_, bar)) = &self.current {
                bar.set_position(p.done);
            }
        } else {
            let due = self
                .last_line
                .as_ref()
                .is_none_or(|(c, t)| *c != p.clip || t.elapsed() > Duration::from_secs(5));
            if due || p.done == p.total {
                eprintln!("{}: {} / {} bytes", p.clip, p.done, p.total);
                self.last_line = Some((p.clip, std::time::Instant::now()));
            }
        }
    }

    fn finish(&mut self) {
        if let Some((_, bar)) = self.current.take() {
            bar.finish();
        }
    }
}
