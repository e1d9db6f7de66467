//! `loa log`: print the as-run log (table, CSV with BOM, JSON) or verify its chain.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;

use crate::config;
use crate::record;
use crate::tr;

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    Table,
    Csv,
    Json,
}

fn date(s: Option<&str>, flag: &str) -> anyhow::Result<Option<NaiveDate>> {
    s.map(|s| config::parse_date(s).map_err(|e| anyhow::anyhow!("{flag} {s}: {e}")))
        .transpose()
}

pub fn run(
    path: &Path,
    from: Option<&str>,
    to: Option<&str>,
    format: Format,
    verify: bool,
) -> anyhow::Result<ExitCode> {
    let cfg = match super::load(path) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let lang = super::lang::of(&cfg);
    let (from, to) = (date(from, "--from")?, date(to, "--to")?);
    let file = cfg.paths.state.join("asrun.jsonl");
    let shown = file.display().to_string();
    if !file.exists() {
        let none = tr!(lang, "cli-log-none", file = shown);
        if verify {
            println!("{none}");
        } else if matches!(format, Format::Json) {
            println!("[]");
        } else {
            eprintln!("{none}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    if verify {
        let report =
            record::verify(&file).with_context(|| format!("reading {}", file.display()))?;
        return Ok(match report.first_bad {
            None => {
                println!(
                    "{}",
                    tr!(lang, "cli-log-ok", file = shown, n = report.lines)
                );
                ExitCode::SUCCESS
            }
            Some((line, why)) => {
                println!(
                    "{}",
                    tr!(
                        lang,
                        "cli-log-broken",
                        file = shown,
                        line = line.to_string(),
                        why = why.to_string()
                    )
                );
                ExitCode::from(1)
            }
        });
    }
    let records = record::read(&file).with_context(|| format!("reading {}", file.display()))?;
    let rows = record::rows(&records, from, to);
    let out = match format {
        Format::Table => record::render_table(&rows),
        Format::Csv => record::render_csv(&rows),
        Format::Json => record::render_json(&rows),
    };
    print!("{out}");
    if !out.ends_with('\n') {
        println!();
    }
    Ok(ExitCode::SUCCESS)
}
