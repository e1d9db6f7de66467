//! `loa log`: print the as-run log (table, CSV with BOM, JSON) or verify its chain.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;

use crate::config;
use crate::record;

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
    let (from, to) = (date(from, "--from")?, date(to, "--to")?);
    let file = cfg.paths.state.join("asrun.jsonl");
    if !file.exists() {
        if verify {
            println!("{}: no as-run log yet (nothing has aired)", file.display());
        } else if matches!(format, Format::Json) {
            println!("[]");
        } else {
            eprintln!("{}: no as-run log yet (nothing has aired)", file.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    if verify {
        let report =
            record::verify(&file).with_context(|| format!("reading {}", file.display()))?;
        return Ok(match report.first_bad {
            None => {
                println!(
                    "ok: {}: {} records, chain intact",
                    file.display(),
                    report.lines
                );
                ExitCode::SUCCESS
            }
            Some((line, why)) => {
                println!("{}:{line}: chain broken: {why}", file.display());
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
