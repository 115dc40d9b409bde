//! One module per command. `run` opens the database once and dispatches.

mod add;
mod backup;
mod chart;
mod check;
mod consensus;
mod dims;
mod export;
mod gaps;
mod history;
mod import;
mod init;
mod report;
mod score;
mod verify;

use crate::builtin;
use crate::cli::{Cli, Command};
use crate::import::{Options, Summary};
use crate::output::{Format, Listing};
use crate::progress::Progress;
use crate::store::{Batch, Store};
use anyhow::{Context, Result};
use std::io::{BufWriter, Stdout, Write};
use std::path::PathBuf;

pub async fn run(cli: Cli) -> Result<()> {
    let location = database_location(cli.db.as_deref())?;
    let (store, created) = Store::open(&location).await.with_context(|| format!("cannot open database {location}"))?;
    let result = async {
        if let Some(batch) = created {
            set_up(batch, &cli.command, &location).await?;
        }
        dispatch(cli.command, &store, &location, cli.quiet).await
    }
    .await;
    store.close().await;
    result
}

/// A new database gets the built-in data in the transaction that created its schema (see
/// `Store::open`), except under `init`, which loads it itself or, with `--empty`, not at all.
async fn set_up(batch: Batch<'_>, command: &Command, location: &str) -> Result<()> {
    if matches!(command, Command::Init(_)) {
        return batch.commit().await;
    }
    let summary = load_builtin_data(batch).await?;
    eprintln!("note: created {location} and loaded the built-in data ({} values)", summary.values().inserted);
    Ok(())
}

async fn dispatch(command: Command, store: &Store, location: &str, quiet: bool) -> Result<()> {
    match command {
        Command::Init(args) => init::run(args, store, location).await,
        Command::Add(args) => add::run(args, store).await,
        Command::Source(cmd) => dims::source(cmd, store).await,
        Command::Indicator(cmd) => dims::indicator(cmd, store).await,
        Command::Entity(cmd) => dims::entity(cmd, store).await,
        Command::Document(cmd) => dims::document(cmd, store).await,
        Command::Gaps(args) => gaps::run(args, store).await,
        Command::Consensus(args) => consensus::run(args, store).await,
        Command::Score(args) => score::run(args, store).await,
        Command::History(args) => history::run(args, store).await,
        Command::Import(args) => import::run(args, store, quiet).await,
        Command::Export(args) => export::run(args, store, quiet).await,
        Command::Verify(args) => verify::run(args, store).await,
        Command::Check => check::run(store).await,
        Command::Backup(args) => backup::run(args, store, location).await,
        Command::Report(args) => report::run(args, store).await,
        Command::Chart(args) => chart::run(args, store).await,
    }
}

/// The built-in data is owned by the binary: loading it corrects stored built-in rows
/// that an older binary wrote differently, so it always replaces.
async fn load_builtin_data(batch: Batch<'_>) -> Result<Summary> {
    let options = Options { replace: true, dry_run: false };
    crate::import::import_into(batch, builtin::inputs(), options, &mut Progress::hidden())
        .await
        .context("loading the built-in data")
}

/// `--db` (or ECONTRACK_DB), else econtrack.db in the user's data directory.
fn database_location(given: Option<&str>) -> Result<String> {
    if let Some(given) = given {
        return Ok(given.to_string());
    }
    let dir: PathBuf = dirs::data_dir()
        .context("no user data directory is known here; give the database with --db PATH or ECONTRACK_DB")?
        .join("econtrack");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir.join("econtrack.db").display().to_string())
}

/// A listing on standard output.
fn stdout_listing(format: Format, columns: &[&'static str]) -> Result<Listing<BufWriter<Stdout>>> {
    Ok(Listing::new(format, columns, BufWriter::new(std::io::stdout()))?)
}

/// Standard output, or a file when one is named.
fn output(path: Option<&PathBuf>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(path) => {
            let file = std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
            Box::new(BufWriter::new(file))
        }
        None => Box::new(BufWriter::new(std::io::stdout())),
    })
}
