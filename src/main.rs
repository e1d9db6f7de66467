//! `loa`: the command line. Parses arguments, sets up logging, and hands off
//! to the daemon or to one of the one-shot commands in `cli`.

use std::process::ExitCode;

use clap::Parser;
use loa::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli::init_logging();
    match cli::dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("loa: {e:#}");
            ExitCode::from(1)
        }
    }
}
