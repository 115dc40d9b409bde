//! econtrack: parse the command line, run it, print any error once.

// `unsafe` lives only in src/store/raw.rs, which allows it for itself.
#![deny(unsafe_code)]

mod builtin;
mod cli;
mod commands;
mod consensus;
mod csvio;
mod formula;
mod gaps;
mod import;
mod model;
mod numerals;
mod output;
mod period;
mod progress;
mod revision;
mod rules;
mod score;
mod stats;
mod store;
mod suggest;
mod value;
mod verify;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            for line in format!("{err:#}").lines() {
                eprintln!("error: {line}");
            }
            ExitCode::FAILURE
        }
    }
}

/// `econtrack export | head` closing the pipe early is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().filter_map(|e| e.downcast_ref::<std::io::Error>()).any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
