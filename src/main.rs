//! econtrack: parse the command line, run it, print any error once and exit with the status
//! `exit` gives it.

use clap::Parser;
use econtrack::exit::{Failure, Outcome, classify, message_lines};
use econtrack::{cli::Cli, commands};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(Failure::Environment.code());
        }
    };
    let Err(err) = runtime.block_on(commands::run(cli)) else {
        return ExitCode::SUCCESS;
    };
    match classify(&err) {
        Outcome::ClosedPipe => ExitCode::SUCCESS,
        Outcome::Failed(failure) => {
            for line in message_lines(&err) {
                eprintln!("error: {line}");
            }
            ExitCode::from(failure.code())
        }
    }
}
