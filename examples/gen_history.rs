//! Writes a long, chained as-run history for tests and benchmarks; see
//! `scripts/gen-history.sh`. The generator itself is tests/common/history.rs.

#[path = "../tests/common/history.rs"]
mod history;

use chrono::{DateTime, Utc};

fn main() {
    let mut years = 5u32;
    let mut days = None;
    let mut out = None;
    let mut end = Utc::now() - chrono::TimeDelta::hours(1);
    let mut offset_h = 7;
    let mut args = std::env::args().skip(1);
    let usage =
        "usage: gen_history --out FILE [--years N | --days N] [--end RFC3339] [--offset-hours H]";
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| fail(usage));
        match a.as_str() {
            "--years" => years = value().parse().unwrap_or_else(|_| fail(usage)),
            "--days" => days = Some(value().parse().unwrap_or_else(|_| fail(usage))),
            "--out" => out = Some(value()),
            "--end" => {
                end = DateTime::parse_from_rfc3339(&value())
                    .unwrap_or_else(|e| fail(&format!("--end: {e}")))
                    .with_timezone(&Utc)
            }
            "--offset-hours" => offset_h = value().parse().unwrap_or_else(|_| fail(usage)),
            _ => fail(usage),
        }
    }
    let out = out.unwrap_or_else(|| fail(usage));
    let mut spec = history::Spec::years(years, end, offset_h);
    if let Some(d) = days {
        spec.days = d;
    }
    match history::write(std::path::Path::new(&out), &spec) {
        Ok(w) => println!(
            "{out}: {} lines, {} bytes, {} days to {end}, head {}",
            w.lines, w.bytes, spec.days, w.head
        ),
        Err(e) => fail(&format!("cannot write {out}: {e}")),
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("{msg}");
    std::process::exit(2)
}
