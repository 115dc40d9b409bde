//! One module per command. `run` opens the database once and dispatches.

/// `println!` that returns the error instead of panicking on it, so that a reader closing
/// the pipe ends the command quietly (see `crate::exit`) rather than aborting it.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod add;
mod backup;
mod calendar;
mod chart;
mod check;
mod consensus;
mod copy;
mod derived;
mod dims;
mod due;
mod evaluation;
mod export;
mod extract;
mod gaps;
mod generate;
mod history;
mod import;
mod init;
mod release;
mod report;
mod retract;
mod score;
mod transformed;
mod values;
mod verify;

use crate::cli::{Cli, Command, SeriesArgs};
use crate::domain::query::Dim;
use crate::exit::Failure;
use crate::io::builtin;
use crate::io::import::{Options, Summary};
use crate::io::output::{Format, Listing, Width};
use crate::io::progress::Progress;
use crate::store::location::shown;
use crate::store::{self, AnyStore, Batch, Store};
use anyhow::{Context, Result};
use std::io::{BufWriter, Stdout};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The width tables on standard output fit, decided once per run (from `--wide`, COLUMNS and
/// the terminal) because it belongs to where the output goes, not to any one command.
static TABLE_WIDTH: OnceLock<Width> = OnceLock::new();

pub async fn run(cli: Cli) -> Result<()> {
    TABLE_WIDTH.get_or_init(|| Width::for_stdout(cli.wide));
    // These describe the command line itself: no database is opened, let alone created.
    match cli.command {
        Command::Completions(args) => return generate::completions(args),
        Command::Man(args) => return generate::man(args),
        // extract reads only its text file: it needs no database.
        Command::Extract(args) => return extract::run(args),
        _ => {}
    }
    let location = database_location(cli.db.as_deref())?;
    // copy opens its two databases itself, neither of them seeded.
    if let Command::Copy(args) = cli.command {
        return copy::run(args, &location).await;
    }
    let store = store::open(&location)
        .await
        .with_context(|| Failure::Environment.because(format!("cannot open database {}", shown(&location))))?;
    // The one place that knows which backend it is: everything below is generic over it.
    match store {
        AnyStore::Sqlite(store) => run_on(store, cli.command, &location, cli.quiet).await,
        AnyStore::Postgres(store) => run_on(store, cli.command, &location, cli.quiet).await,
    }
}

async fn run_on(mut store: impl Store, command: Command, location: &str, quiet: bool) -> Result<()> {
    let result = async {
        if store.is_new() {
            set_up(store.begin().await?, &command, location).await?;
        }
        dispatch(command, &mut store, location, quiet).await
    }
    .await;
    // A wait that gave up: say who held the lock, when the backend can tell.
    let result = match result {
        Err(err) if gave_up_waiting(&err) => match store.lock_holders().await {
            Ok(Some(holders)) => Err(err.context(holders)),
            _ => Err(err),
        },
        other => other,
    };
    store.close().await;
    result
}

/// Whether a store error in `err`'s chain is a wait for another writer that gave up.
fn gave_up_waiting(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<store::StoreError>()
            .is_some_and(|store| matches!(store.root(), store::StoreError::Busy(_)))
    })
}

/// A new database gets the built-in data in the transaction that created its schema (see
/// `Store::open`), except under `init`, which loads it itself or, with `--empty`, not at all.
async fn set_up(batch: impl Batch, command: &Command, location: &str) -> Result<()> {
    if matches!(command, Command::Init(_)) {
        return Ok(batch.commit().await?);
    }
    let summary = load_builtin_data(batch).await?;
    eprintln!("note: created {} and loaded the built-in data ({} values)", shown(location), summary.values().inserted);
    Ok(())
}

async fn dispatch(command: Command, store: &mut impl Store, location: &str, quiet: bool) -> Result<()> {
    match command {
        Command::Init(args) => init::run(args, store, location).await,
        Command::Add(args) => add::run(args, store).await,
        Command::Retract(args) => retract::run(args, store).await,
        Command::Remove(args) => retract::remove(args, store).await,
        Command::Source(cmd) => dims::source(cmd, store).await,
        Command::Indicator(cmd) => dims::indicator(cmd, store).await,
        Command::Entity(cmd) => dims::entity(cmd, store).await,
        Command::Document(cmd) => dims::document(cmd, store).await,
        Command::Release(cmd) => release::run(cmd, store).await,
        Command::Due(args) => due::run(args, store).await,
        Command::Calendar(args) => calendar::run(args, store).await,
        Command::Gaps(args) => gaps::run(args, store).await,
        Command::Consensus(args) => consensus::run(args, store).await,
        Command::Score(args) => score::run(args, store).await,
        Command::History(args) => history::run(args, store).await,
        Command::Values(args) => values::run(args, store).await,
        Command::Import(args) => import::run(args, store, quiet).await,
        Command::Export(args) => export::run(args, store, quiet).await,
        Command::Verify(args) => verify::run(args, store).await,
        Command::Check => check::run(store).await,
        Command::Backup(args) => backup::run(args, store, location).await,
        Command::Report(args) => report::run(args, store).await,
        Command::Chart(args) => chart::run(args, store).await,
        Command::Completions(_) | Command::Man(_) | Command::Extract(_) | Command::Copy(_) => {
            unreachable!("run handles them without a database")
        }
    }
}

/// The built-in data is owned by the binary: loading it corrects stored built-in rows
/// that an older binary wrote differently, so it always replaces.
async fn load_builtin_data(batch: impl Batch) -> Result<Summary> {
    let options = Options { replace: true, dry_run: false, clear_empty: true };
    crate::io::import::import_into(batch, builtin::inputs(), options, &mut Progress::hidden())
        .await
        .context("loading the built-in data")
}

/// `--db` (or ECONTRACK_DB), else econtrack.db in the user's data directory.
fn database_location(given: Option<&str>) -> Result<String> {
    if let Some(given) = given {
        return Ok(given.to_string());
    }
    let dir: PathBuf = dirs::data_dir()
        .with_context(|| {
            Failure::Environment
                .because("no user data directory is known here; give the database with --db PATH or ECONTRACK_DB")
        })?
        .join("econtrack");
    std::fs::create_dir_all(&dir)
        .with_context(|| Failure::Environment.because(format!("cannot create {}", dir.display())))?;
    Ok(dir.join("econtrack.db").display().to_string())
}

/// A listing on standard output.
fn stdout_listing(format: Format, columns: &[&'static str]) -> Result<Listing<BufWriter<Stdout>>> {
    let width = TABLE_WIDTH.get().copied().unwrap_or_default();
    Ok(Listing::new(format, columns, BufWriter::new(std::io::stdout()))?.fit(width))
}

/// Refuses a filter on a code that is not defined: it would match nothing, and an empty
/// answer would look like "no data" rather than a typo.
async fn check_filters(store: &impl Store, filters: &[(Dim, Option<&str>)]) -> Result<()> {
    for (dim, code) in filters {
        if let Some(code) = code {
            store.check_known(*dim, code).await?;
        }
    }
    Ok(())
}

async fn check_series(store: &impl Store, series: &SeriesArgs) -> Result<()> {
    check_filters(store, &[(Dim::Indicator, series.indicator.as_deref()), (Dim::Entity, series.entity.as_deref())])
        .await
}

/// Standard output, or the file named, checked (see `io::destination`): what `export` and
/// `calendar` write to.
fn output(path: Option<&std::path::PathBuf>, force: bool) -> Result<crate::io::destination::Destination> {
    match path {
        Some(path) => crate::io::destination::check(path, force),
        None => Ok(crate::io::destination::stdout()),
    }
}
