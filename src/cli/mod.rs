//! The `loa` commands: argument definitions (clap) and dispatch.
//!
//! Each one-shot command lives in its own file; the daemon is `crate::daemon`.
//! Exit status: 0 success, 1 failure, 2 usage or invalid config.

mod agenda;
#[cfg(test)]
mod catalogue_tests;
mod check;
mod feed;
mod lang;
mod log;
mod remote;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::clock::Clock;
use crate::config::{self, Config, Diagnostic, LoadOptions};

/// loa — broadcast scheduler for commune loudspeaker stations.
///
/// Plays the station's schedule on the speaker output, exactly once and on
/// time, and records what aired. Start with `loa check`, then `loa agenda`.
#[derive(Parser, Debug)]
#[command(name = "loa", version, about, long_about)]
pub struct Cli {
    /// Station config file.
    #[arg(
        long,
        global = true,
        env = "LOA_CONFIG",
        default_value = "/etc/loa/loa.toml"
    )]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the station daemon: play the schedule, record what aired.
    Run {
        /// Output device, overriding [output] device: default, a device name, wav:PATH or null.
        #[arg(long, value_name = "SPEC")]
        output: Option<String>,
    },
    /// Check the config and every clip it names; print each problem as file:line:col.
    Check {
        /// Also try every stream relay now (connect and decode a little); exit 1 if
        /// one cannot be relayed.
        #[arg(long)]
        streams: bool,
    },
    /// Show what will air: start times, programs, clips, durations, decisions.
    Agenda {
        /// Start date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS], station time); default now.
        #[arg(long, value_name = "DATE|DATETIME")]
        from: Option<String>,
        /// How many days to show.
        #[arg(long, default_value_t = 7)]
        days: u32,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Ask the running daemon what is on air, what is next, and how the output is.
    Status {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Ask the running daemon to air something now: a program id, a clip in the clips folder, or a file.
    Play {
        /// Program id, clip name in the clips folder (chime or chime.ogg), or a path with a `/` (./tin.mp3).
        target: String,
        /// Priority of this broadcast (default 50: interrupts routine programs, not emergencies).
        #[arg(long)]
        priority: Option<u32>,
    },
    /// Stop what is on air (recorded as `stopped`, with who asked).
    Stop,
    /// Make the running daemon re-read its config; an invalid one is refused and the old one keeps running.
    Reload,
    /// Sync the feeds now and report what changed (works with or without a running daemon).
    Sync,
    /// District side: add clips (or withdraw one, or push a broadcast) to a feed folder and re-sign its manifest.
    Publish(Box<PublishArgs>),
    /// Make a minisign key pair for signing a feed: DIR/minisign.key (0600) and DIR/minisign.pub.
    Keygen {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Do not protect the secret key with a password (for automation).
        #[arg(long)]
        unencrypted: bool,
    },
    /// On the station box: trade a hub's one-time enrolment code for the station's
    /// credentials and the hub's key (STATE/hub.json); `loa run` then follows the hub.
    Enroll {
        /// The hub's address, e.g. https://loa.example.vn
        url: String,
        /// The one-time code from `loa hub station add`.
        code: String,
    },
    /// The provincial hub: accounts, approval, the signed feed (see HUB.md).
    #[cfg(feature = "hub")]
    #[command(subcommand)]
    Hub(crate::hub::cli::HubCommand),
    /// Show the as-run log: what aired, when, and how.
    Log {
        /// First date (YYYY-MM-DD), inclusive.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Last date (YYYY-MM-DD), inclusive.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = log::Format::Table)]
        format: log::Format,
        /// Check the log's SHA-256 chain instead of printing it.
        #[arg(long)]
        verify: bool,
    },
}

/// `loa publish` flags.
#[derive(clap::Args, Debug)]
pub struct PublishArgs {
    /// The feed folder (manifest.json, its .minisig, clips/) as the web server serves it.
    #[arg(long, value_name = "DIR")]
    feed: PathBuf,
    /// The minisign secret key (password from LOA_KEY_PASSWORD, else asked on the terminal).
    #[arg(long, value_name = "SECRET_KEY")]
    key: PathBuf,
    /// Clip id (default: from the file name).
    #[arg(long)]
    id: Option<String>,
    /// Clip title (or the broadcast's title with --broadcast).
    #[arg(long)]
    title: Option<String>,
    /// Category, e.g. cai-cach-hanh-chinh (required when adding clips).
    #[arg(long)]
    category: Option<String>,
    /// Language code, e.g. vi, cjm.
    #[arg(long)]
    lang: Option<String>,
    /// Administrative codes it is for, comma-separated (default: everywhere).
    #[arg(long, value_delimiter = ',')]
    areas: Vec<String>,
    /// First valid date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last valid date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// How long the manifest stays valid (default 30 days), e.g. "7d".
    #[arg(long, value_name = "DURATION")]
    expires: Option<String>,
    /// Withdraw the clip (or pushed broadcast) with this id.
    #[arg(long, value_name = "ID")]
    remove: Option<String>,
    /// Push a one-off broadcast with this id (with --at and --play).
    #[arg(long, value_name = "ID")]
    broadcast: Option<String>,
    /// When the pushed broadcast airs (RFC 3339, e.g. 2026-11-28T17:15:00+07:00).
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// Clip ids the pushed broadcast plays, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    play: Vec<String>,
    /// Priority of the pushed broadcast (>= 100 is an emergency).
    #[arg(long, default_value_t = 10)]
    priority: u32,
    /// The clips' level (Circular 39): normal airs where programs place it; priority
    /// airs once a day at the start of each station's next program.
    #[arg(long, value_name = "normal|priority", default_value = "normal", value_parser = parse_level)]
    level: crate::feed::manifest::ClipLevel,
    /// Clip files to add (WAV, MP3, Ogg Vorbis, FLAC, AAC/M4A).
    files: Vec<PathBuf>,
}

/// `--level`: `normal` or `priority`; an emergency is a pushed broadcast.
fn parse_level(s: &str) -> Result<crate::feed::manifest::ClipLevel, String> {
    use crate::feed::manifest::ClipLevel;
    match s {
        "normal" => Ok(ClipLevel::Normal),
        "priority" => Ok(ClipLevel::Priority),
        "emergency" => Err(
            "an emergency is a pushed broadcast, not a clip level: publish the clip, then --broadcast ID --at TIME --play CLIP --priority 100".into(),
        ),
        _ => Err("expected normal or priority".into()),
    }
}

/// Human log lines on stderr; level from `LOA_LOG` (default `info`).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LOA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();
}

pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let clock = Clock::from_env().map_err(anyhow::Error::msg)?;
    match cli.command {
        Command::Run { output } => {
            let opts = crate::daemon::Options {
                config: cli.config,
                output,
                clock,
            };
            match crate::daemon::run(opts) {
                Ok(()) => Ok(ExitCode::SUCCESS),
                Err(crate::daemon::DaemonError::Config(diags)) => Ok(print_invalid(&diags)),
                Err(e) => Err(e.into()),
            }
        }
        Command::Check { streams } => check::run(&cli.config, clock, streams),
        Command::Status { json } => remote::status(&cli.config, json),
        Command::Play { target, priority } => remote::play(&cli.config, &target, priority),
        Command::Stop => remote::stop(&cli.config),
        Command::Reload => remote::reload(&cli.config),
        Command::Sync => feed::run_sync(&cli.config),
        Command::Enroll { url, code } => crate::link::run_enroll(&cli.config, &url, &code),
        Command::Keygen { out, unencrypted } => feed::run_keygen(&out, unencrypted),
        Command::Publish(p) => {
            let PublishArgs {
                feed: dir,
                key,
                id,
                title,
                category,
                lang,
                areas,
                from,
                until,
                expires,
                remove,
                broadcast,
                at,
                play,
                priority,
                level,
                files,
            } = *p;
            let date = |s: Option<String>,
                        flag: &str|
             -> anyhow::Result<Option<chrono::NaiveDate>> {
                s.map(|s| config::parse_date(&s).map_err(|e| anyhow::anyhow!("{flag} {s}: {e}")))
                    .transpose()
            };
            let meta = crate::feed::publish::ClipMeta {
                id,
                title,
                category,
                lang,
                areas,
                valid_from: date(from, "--from")?,
                valid_until: date(until, "--until")?,
                level,
            };
            feed::run_publish(feed::PublishArgs {
                feed: dir,
                key,
                files,
                meta,
                remove,
                broadcast,
                at,
                play,
                priority,
                expires,
            })
        }
        #[cfg(feature = "hub")]
        Command::Hub(cmd) => {
            let path = crate::hub::cli::config_path(&cli.config);
            crate::hub::cli::dispatch(&path, cmd)
        }
        Command::Agenda { from, days, json } => {
            agenda::run(&cli.config, clock, from.as_deref(), days, json)
        }
        Command::Log {
            from,
            to,
            format,
            verify,
        } => log::run(&cli.config, from.as_deref(), to.as_deref(), format, verify),
    }
}

/// Print config diagnostics and return exit status 2.
pub(crate) fn print_invalid(diags: &[Diagnostic]) -> ExitCode {
    let lang = diags
        .first()
        .map(|d| lang::of_config(&d.file))
        .unwrap_or_else(|| crate::i18n::Lang::from_env(crate::i18n::Lang::En));
    for d in diags {
        eprintln!("{}", d.display_in(lang));
    }
    let n = diags
        .iter()
        .filter(|d| matches!(d.severity, config::Severity::Error))
        .count();
    eprintln!("{}", crate::tr!(lang, "check-summary-errors", n = n));
    ExitCode::from(2)
}

/// Load a config for a one-shot command (missing clips are warnings).
pub(crate) fn load(path: &Path) -> Result<Config, ExitCode> {
    match config::load(path, &LoadOptions { probe: None }) {
        Ok(l) => Ok(l.config),
        Err(diags) => Err(print_invalid(&diags)),
    }
}
