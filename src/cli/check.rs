//! `loa check`: validate the config and everything it refers to.
//!
//! Every clip is opened and decoded (through playout's probe), every problem
//! printed as `file:line:col: message`; exit 2 on any error. Every line is
//! from the catalogue (`check-…`, `cli-check-…`, `cli-stream-…`) in the
//! command line's language (`cli::lang`).

use std::path::Path;
use std::process::ExitCode;

use chrono::{Datelike, TimeDelta};

use crate::clock::Clock;
use crate::config::{self, LoadOptions, Severity};
use crate::i18n::format::{decimal, weekday};
use crate::i18n::Lang;
use crate::schedule;
use crate::tr;

pub fn run(path: &Path, clock: Clock, streams: bool) -> anyhow::Result<ExitCode> {
    let probe = |p: &Path| {
        crate::decode::probe(p)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let loaded = match config::load(
        path,
        &LoadOptions {
            probe: Some(&probe),
        },
    ) {
        Ok(l) => l,
        Err(diags) => return Ok(super::print_invalid(&diags)),
    };
    let lang = super::lang::of(&loaded.config);
    for w in &loaded.warnings {
        println!("{}", w.display_in(lang));
    }
    // Enrolled: the hub's timetable joins the config's programs; an id in
    // both (or a stored document that no longer validates) is an error here too.
    let mut with_hub = loaded.config.clone();
    let hub = crate::link::programs::merge(&mut with_hub);
    let shown = path.display().to_string();
    if let Some(e) = &hub.error {
        eprintln!(
            "{}",
            tr!(
                lang,
                "cli-check-hub-error",
                path = shown.clone(),
                error = e.to_string()
            )
        );
        eprintln!("{}", tr!(lang, "check-summary-errors", n = 1));
        return Ok(ExitCode::from(2));
    }
    if let Some(seq) = hub.applied {
        println!(
            "{}",
            tr!(
                lang,
                "cli-check-hub-note",
                path = shown.clone(),
                n = hub.ids.len(),
                seq = seq.to_string()
            )
        );
    }
    let cfg = &with_hub;
    let now = clock.now();
    let feed_notes = feed_items(cfg, now, lang, &shown);
    for n in &feed_notes {
        println!("{n}");
    }
    let next = schedule::occurrences(cfg, now, now + TimeDelta::days(8), None)
        .into_iter()
        .find(|o| schedule::quiet_reason(cfg, o).is_none());
    let warnings = feed_notes.len()
        + loaded
            .warnings
            .iter()
            .filter(|d| matches!(d.severity, Severity::Warning))
            .count();
    let (programs, warnings) = (cfg.programs.len(), warnings);
    let summary = match next {
        Some(o) => {
            let when = match lang {
                Lang::En => o.start.format("%a %Y-%m-%d %H:%M:%S %Z").to_string(),
                Lang::Vi => format!(
                    "{} {}",
                    weekday(lang, o.start.weekday()),
                    o.start.format("%d/%m/%Y %H:%M:%S %Z")
                ),
            };
            tr!(
                lang,
                "cli-check-ok-next",
                path = shown.clone(),
                programs = programs,
                warnings = warnings,
                program = o.program.clone(),
                when = when
            )
        }
        None => tr!(
            lang,
            "cli-check-ok-nothing",
            path = shown.clone(),
            programs = programs,
            warnings = warnings
        ),
    };
    println!("{summary}");
    if streams && !try_streams(cfg, lang) {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// How long `check --streams` waits for a stream's first audio.
const STREAM_TRY: std::time::Duration = std::time::Duration::from_secs(12);

/// `check --streams`: join every stream relay of the config now, all at once, and
/// say for each whether audio came (and how soon) or why not. True if all did.
fn try_streams(cfg: &crate::config::Config, lang: Lang) -> bool {
    use crate::config::Item;
    use crate::relay::{connect, LiveRead, RelayOptions};
    use std::time::Instant;
    fn urls<'a>(items: &'a [Item], out: &mut Vec<&'a str>) {
        for i in items {
            if let Item::Stream { url, fallback, .. } = i {
                if !out.contains(&url.as_str()) {
                    out.push(url);
                }
                urls(fallback, out);
            }
        }
    }
    let mut all = Vec::new();
    for p in &cfg.programs {
        urls(&p.play, &mut all);
    }
    if all.is_empty() {
        println!("{}", tr!(lang, "cli-streams-none"));
        return true;
    }
    let start = Instant::now();
    let mut feeds: Vec<_> = all
        .iter()
        .map(|u| (u, connect(u, RelayOptions::new(2, 48_000)), None))
        .collect();
    let mut frame = [0f32; 2];
    while start.elapsed() < STREAM_TRY && feeds.iter().any(|f| f.2.is_none()) {
        for (_, feed, result) in feeds.iter_mut().filter(|f| f.2.is_none()) {
            match feed.read_frame(&mut frame) {
                LiveRead::Audio => *result = Some(Ok(start.elapsed())),
                LiveRead::Failed => {
                    *result = Some(Err(feed.failure().unwrap_or_else(|| "failed".into())))
                }
                // Not persistent: a loss reads as Failed; Lost cannot come.
                LiveRead::Buffering | LiveRead::Lost => {}
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let mut ok = true;
    for (url, _, result) in &feeds {
        match result {
            Some(Ok(t)) => println!(
                "{}",
                tr!(
                    lang,
                    "cli-stream-ok",
                    url = url.to_string(),
                    seconds = decimal(lang, t.as_secs_f64(), 1)
                )
            ),
            Some(Err(why)) => {
                ok = false;
                println!(
                    "{}",
                    tr!(
                        lang,
                        "cli-stream-failed",
                        url = url.to_string(),
                        why = why.clone()
                    )
                );
            }
            None => {
                ok = false;
                println!(
                    "{}",
                    tr!(
                        lang,
                        "cli-stream-silent",
                        url = url.to_string(),
                        seconds = STREAM_TRY.as_secs().to_string()
                    )
                );
            }
        }
    }
    ok
}

/// Feed items resolved against the store as it is now: what would air nothing
/// today, as warning lines about the config at `path`, in `lang`.
fn feed_items(
    cfg: &crate::config::Config,
    now: chrono::DateTime<chrono::Utc>,
    lang: Lang,
    path: &str,
) -> Vec<String> {
    use crate::config::Item;
    use crate::feed::{select, view::FeedView};
    let view = FeedView::read(&cfg.paths.state).unwrap_or_default();
    let st = select::Station {
        areas: &cfg.station.areas,
        lang: &cfg.station.lang,
        today: now.with_timezone(&cfg.station.timezone).date_naive(),
    };
    let never = std::collections::HashMap::new();
    let mut notes = Vec::new();
    // Feed items inside stream fallbacks count too: they air when a stream fails.
    let mut stack: Vec<(&str, &Item)> = cfg
        .programs
        .iter()
        .flat_map(|p| p.play.iter().map(move |i| (p.id.as_str(), i)))
        .collect();
    stack.reverse();
    while let Some((id, item)) = stack.pop() {
        match item {
            Item::Category { category, .. }
                if select::category(&view.clips, category, 1, &st, &never).is_empty() =>
            {
                notes.push(tr!(
                    lang,
                    "cli-check-feed-category",
                    path = path.to_string(),
                    id = id.to_string(),
                    category = category.clone()
                ));
            }
            Item::Clip(clip) if select::by_id(&view.clips, clip, &st).is_none() => {
                notes.push(tr!(
                    lang,
                    "cli-check-feed-clip",
                    path = path.to_string(),
                    id = id.to_string(),
                    clip = clip.clone()
                ));
            }
            Item::Stream { fallback, .. } => {
                stack.extend(fallback.iter().rev().map(|i| (id, i)));
            }
            _ => {}
        }
    }
    notes
}
