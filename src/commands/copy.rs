//! `econtrack copy --from SRC --to DST`: a whole database moved between any two backends
//! through the `Store` and `Batch` traits, in one transaction on DST. `backup` of a server
//! database goes through it too.
//!
//! SRC is read in one snapshot on its own thread (its own runtime and connection), so the
//! figures can stream: the reader hands them over in batches through a channel a few
//! batches deep, and blocks while the writer catches up, so memory stays a few thousand
//! figures however big the database.

use crate::cli::CopyArgs;
use crate::domain::model::{Cleared, Document, Entity, Figure, Indicator, Source};
use crate::domain::query::{FigureFilter, FigureOrder, Put};
use crate::domain::release::{Release, ReleaseFilter};
use crate::exit::Failure;
use crate::io::csvio::{self, FileKind, Table};
use crate::io::destination::{self, Destination};
use crate::io::import::{dimension_conflict, figure_conflict};
use crate::store::location::shown;
use crate::store::{self, AnyStore, Batch, Store};
use anyhow::{Context, Result, anyhow};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Conflicts named one per line before the rest are only counted.
const MAX_CONFLICTS_SHOWN: usize = 20;

/// Batches of figures in flight between the reader and the writer.
const BATCHES_IN_FLIGHT: usize = 4;

/// Figures read per piece sent to the writer, which writes them as its backend takes them
/// best (`Batch::FIGURES_PER_CALL`).
const FIGURES_PER_PIECE: usize = 4000;

/// An exact copy clears what SRC leaves empty: a DST figure with a quote SRC lacks differs.
const EXACT: Cleared = Cleared { tolerance: true, document: true, quote: true, note: true };

pub async fn run(args: CopyArgs, default_location: &str) -> Result<()> {
    let from = args.from.as_deref().unwrap_or(default_location);
    if same_database(from, &args.to) {
        let refusal = format!("--from and --to both name {}; copy to another database", shown(&args.to));
        return Err(Failure::Input.because(refusal).into());
    }
    let Some(destination) = new_file(&args.to)? else {
        let copied = copy(from, &args.to).await?;
        outln!("copied {copied} from {} to {}", shown(from), shown(&args.to))?;
        return Ok(());
    };
    let mut copied = None;
    let mode = super::backup::database_mode(from);
    destination
        .fill(mode, async |path| {
            let file = path.to_str().with_context(|| format!("{} is not UTF-8", path.display()))?;
            copied = Some(copy(from, file).await?);
            Ok(())
        })
        .await?;
    let copied = copied.context("the copy wrote nothing")?;
    // On a stream, standard output may be the copy itself: the line goes to stderr then.
    if destination.is_stream() {
        eprintln!("copied {copied} from {} to {}", shown(from), destination.display());
    } else {
        outln!("copied {copied} from {} to {}", shown(from), destination.display())?;
    }
    Ok(())
}

/// Where a copy into a new SQLite file goes (see `io::destination`): `None` when `to` is
/// a server or an existing file, which the copy writes into in place, as a database.
fn new_file(to: &str) -> Result<Option<Destination>> {
    if store::database_file(to).is_none() || to.starts_with("sqlite:") {
        return Ok(None);
    }
    let path = std::path::Path::new(to);
    if std::fs::metadata(path).is_ok_and(|meta| meta.is_file()) {
        return Ok(None);
    }
    destination::check(path, false).map(Some)
}

/// Copies the database at `from` into `to` (created if missing, never seeded): what
/// `backup` of a server database runs, with `to` a new SQLite file.
pub async fn copy(from: &str, to: &str) -> Result<Copied> {
    let (sender, receiver) = sync_channel(BATCHES_IN_FLIGHT);
    let source = from.to_string();
    let reader = std::thread::spawn(move || read_all(&source, sender));
    let written = write_all(to, receiver).await;
    // The writer drops the receiver when it stops, so a reader blocked on a full channel
    // wakes up with an error and ends.
    let read = reader.join().map_err(|_| anyhow!("the reader of {} panicked", shown(from)))?;
    match (read, written) {
        (Err(err), Err(written)) if err.is::<Stopped>() => Err(written),
        // Otherwise a reader's failure is the cause of the writer's (the channel closed early).
        (Err(err), _) => Err(err),
        (Ok(()), written) => written,
    }
}

/// What SRC holds, as the reader hands it over: the dimensions first, then figures.
enum Piece {
    Dimensions {
        sources: Vec<Source>,
        indicators: Vec<Indicator>,
        entities: Vec<Entity>,
        documents: Vec<Document>,
        releases: Vec<Release>,
    },
    Figures(Vec<Figure>),
    /// Everything was read: only now may the writer commit.
    End,
}

/// The reader's error when the writer has stopped: the writer's own error says why.
#[derive(Debug, thiserror::Error)]
#[error("the copy stopped")]
struct Stopped;

fn read_all(location: &str, sender: SyncSender<Piece>) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let store = store::open_snapshot(location)
            .await
            .with_context(|| Failure::Environment.because(format!("cannot open database {}", shown(location))))?;
        let read = match store {
            AnyStore::Sqlite(store) => read_from(store, &sender).await,
            AnyStore::Postgres(store) => read_from(store, &sender).await,
        };
        read.with_context(|| Failure::Environment.because(format!("cannot read {}", shown(location))))
    })
}

async fn read_from(store: impl Store, sender: &SyncSender<Piece>) -> Result<()> {
    let result = async {
        let dimensions = Piece::Dimensions {
            sources: store.sources().await?,
            indicators: store.indicators().await?,
            entities: store.entities().await?,
            documents: store.documents().await?,
            releases: store.releases(&ReleaseFilter::default()).await?,
        };
        sender.send(dimensions).map_err(|_| Stopped)?;
        let every = FigureFilter { include_retracted: true, ..FigureFilter::default() };
        let mut pending = Vec::with_capacity(FIGURES_PER_PIECE);
        store
            .each_figure(&every, FigureOrder::Key, |figure| -> Result<()> {
                pending.push(figure);
                if pending.len() == FIGURES_PER_PIECE {
                    let full = std::mem::replace(&mut pending, Vec::with_capacity(FIGURES_PER_PIECE));
                    // Blocking is right here: this thread's runtime runs nothing but this read.
                    sender.send(Piece::Figures(full)).map_err(|_| Stopped)?;
                }
                Ok(())
            })
            .await?;
        if !pending.is_empty() {
            sender.send(Piece::Figures(pending)).map_err(|_| Stopped)?;
        }
        sender.send(Piece::End).map_err(|_| Stopped)?;
        Ok(())
    }
    .await;
    store.close().await;
    result
}

async fn write_all(location: &str, receiver: Receiver<Piece>) -> Result<Copied> {
    // DST is opened (and, if new, created) only once SRC has been opened and read from.
    let Ok(first) = receiver.recv() else {
        return Err(anyhow!("the read of SRC stopped before its end"));
    };
    // A new DST keeps the transaction that created its schema open, and `begin` hands it
    // out: the copy lands with the schema or not at all, and nothing is seeded into it.
    let store = store::open(location)
        .await
        .with_context(|| Failure::Environment.because(format!("cannot open database {}", shown(location))))?;
    match store {
        AnyStore::Sqlite(store) => write_into(store, location, first, receiver).await,
        AnyStore::Postgres(store) => write_into(store, location, first, receiver).await,
    }
}

async fn write_into(mut store: impl Store, location: &str, first: Piece, receiver: Receiver<Piece>) -> Result<Copied> {
    let result = async {
        let mut batch = store.begin_bulk().await?;
        let mut copy = Copy::default();
        let written = copy.write(&mut batch, first, receiver).await;
        match written {
            Ok(()) if copy.conflicts.is_empty() => {
                batch.commit().await?;
                Ok(copy.copied)
            }
            Ok(()) => {
                batch.rollback().await?;
                Err(copy.refusal(location))
            }
            Err(err) => {
                batch.rollback().await?;
                Err(err)
            }
        }
    }
    .await;
    store.close().await;
    result
}

/// How many records of each kind the copy carried, and how many of them DST held already.
#[derive(Debug, Default)]
pub struct Copied {
    sources: u64,
    indicators: u64,
    entities: u64,
    documents: u64,
    releases: u64,
    values: u64,
    unchanged: u64,
}

impl std::fmt::Display for Copied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total = self.sources + self.indicators + self.entities + self.documents + self.releases + self.values;
        write!(
            f,
            "{} sources, {} indicators, {} entities, {} documents, {} releases, {} values ({} new, {} unchanged)",
            grouped(self.sources),
            grouped(self.indicators),
            grouped(self.entities),
            grouped(self.documents),
            grouped(self.releases),
            grouped(self.values),
            grouped(total - self.unchanged),
            grouped(self.unchanged),
        )
    }
}

/// `1234567` as `1,234,567`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[derive(Default)]
struct Copy {
    copied: Copied,
    conflicts: Vec<String>,
    more_conflicts: u64,
}

impl Copy {
    async fn write(&mut self, batch: &mut impl Batch, first: Piece, receiver: Receiver<Piece>) -> Result<()> {
        // `recv` blocks this thread between writes; nothing else runs on its runtime.
        for piece in std::iter::once(first).chain(receiver) {
            match piece {
                Piece::End => return Ok(()),
                Piece::Dimensions { sources, indicators, entities, documents, releases } => {
                    check_dimensions(&sources, |s| &s.slug)?;
                    check_dimensions(&indicators, |i| &i.code)?;
                    check_dimensions(&entities, |e| &e.code)?;
                    check_dimensions(&documents, |d| &d.code)?;
                    for source in &sources {
                        let put = batch.put_source(source, false).await?;
                        self.dimension(&source.slug, put, source);
                    }
                    self.copied.indicators = indicators.len() as u64;
                    for indicator in in_proxy_order(indicators) {
                        let put = batch.put_indicator(&indicator, false).await?;
                        self.dimension(&indicator.code, put, &indicator);
                    }
                    for entity in &entities {
                        let put = batch.put_entity(entity, false).await?;
                        self.dimension(&entity.code, put, entity);
                    }
                    for document in &documents {
                        let put = batch.put_document(document, false).await?;
                        self.dimension(&document.code, put, document);
                    }
                    // A release names its codes and document, all written above.
                    for release in &releases {
                        let put = batch.put_release(release, false).await?;
                        self.dimension(&release.id(), put, release);
                    }
                    self.copied.releases = releases.len() as u64;
                    self.copied.sources = sources.len() as u64;
                    self.copied.entities = entities.len() as u64;
                    self.copied.documents = documents.len() as u64;
                }
                Piece::Figures(figures) => self.figures(batch, &figures).await?,
            }
        }
        // The reader stopped before the end: its error says why, and nothing is committed.
        Err(anyhow!("the read of SRC stopped before its end"))
    }

    fn dimension<T: Table>(&mut self, code: &str, put: Put<T>, given: &T) {
        match put {
            Put::Unchanged => self.copied.unchanged += 1,
            Put::Conflict { existing } => {
                let message = dimension_conflict(T::KIND, code, &csvio::cells(&existing), &csvio::cells(given));
                self.conflict(message);
            }
            Put::Inserted | Put::Replaced { .. } => {}
        }
    }

    /// Writes the figures of a piece as the destination takes them best
    /// ([`Batch::FIGURES_PER_CALL`] at a time).
    async fn figures<B: Batch>(&mut self, batch: &mut B, figures: &[Figure]) -> Result<()> {
        for chunk in figures.chunks(B::FIGURES_PER_CALL) {
            self.figure_chunk(batch, chunk).await?;
        }
        Ok(())
    }

    async fn figure_chunk(&mut self, batch: &mut impl Batch, figures: &[Figure]) -> Result<()> {
        let mut resolved = Vec::with_capacity(figures.len());
        for figure in figures {
            // What import would refuse (a NUL byte SQLite once stored, a cell past the limit)
            // is named here, rather than left to the destination's refusal of the whole batch.
            csvio::check_exportable(FileKind::Values, &csvio::figure_cells(figure))
                .map_err(|problem| refused_row(&describe(figure), &problem))?;
            // Every code was copied before the figures, unless its definition conflicted.
            match batch.resolve(figure) {
                Ok(ids) => resolved.push((ids, figure)),
                Err(_) if !self.conflicts.is_empty() => {}
                Err(unknown) => return Err(anyhow!("{unknown}")),
            }
        }
        let outcome = batch.put_figures(&resolved, false, EXACT).await.with_context(|| match figures {
            [one] => format!("writing {}", describe(one)),
            [first, .., last] => format!("writing the values from {} to {}", describe(first), describe(last)),
            [] => "writing no values".to_string(),
        })?;
        self.copied.values += figures.len() as u64;
        self.copied.unchanged += outcome.unchanged;
        for (index, existing) in outcome.conflicts {
            let given = resolved[index].1;
            let message = if existing.retraction != given.retraction && same_but_retraction(&existing, given) {
                retraction_conflict(&existing, given)
            } else {
                figure_conflict(&existing, given)
            };
            self.conflict(message);
        }
        Ok(())
    }

    fn conflict(&mut self, message: String) {
        if self.conflicts.len() < MAX_CONFLICTS_SHOWN {
            // The usual message, without its advice to import with --replace: a copy is
            // exact or nothing.
            let message = message.split("; use --replace").next().unwrap_or(&message).to_string();
            self.conflicts.push(message);
        } else {
            self.more_conflicts += 1;
        }
    }

    fn refusal(&self, location: &str) -> anyhow::Error {
        let mut lines = self.conflicts.clone();
        if self.more_conflicts > 0 {
            lines.push(format!("… and {} more", grouped(self.more_conflicts)));
        }
        let location = shown(location);
        lines.push(format!(
            "{location} holds records that differ from the ones copied: nothing was copied; copy into a new database, or remove them from {location} first"
        ));
        Failure::Input.because(lines.join("\n")).into()
    }
}

/// A figure by its key, as a message names it.
fn describe(figure: &Figure) -> String {
    format!(
        "{} {} {} {} by {} published {}",
        figure.kind, figure.indicator, figure.entity, figure.period, figure.source, figure.published
    )
}

/// Refuses, naming it, a dimension record that import would refuse (see `figure_chunk`).
fn check_dimensions<T: Table>(records: &[T], code: impl Fn(&T) -> &str) -> Result<()> {
    for record in records {
        csvio::check_exportable(T::KIND, &csvio::cells(record))
            .map_err(|problem| refused_row(&format!("{} {}", T::KIND.noun(), code(record)), &problem))?;
    }
    Ok(())
}

/// The error for a record the copy cannot carry: nothing is copied.
fn refused_row(what: &str, problem: &str) -> anyhow::Error {
    Failure::Input.because(format!("{what}: {problem}; nothing was copied (correct it in the source first)")).into()
}

fn same_but_retraction(existing: &Figure, given: &Figure) -> bool {
    Figure { retraction: given.retraction.clone(), ..existing.clone() } == *given
}

/// The message for a figure stored alike but retracted on one side only (or on another date).
fn retraction_conflict(existing: &Figure, given: &Figure) -> String {
    let describe = |figure: &Figure| match &figure.retraction {
        Some(retraction) => match &retraction.note {
            Some(note) => format!("retracted on {} ({note})", retraction.on),
            None => format!("retracted on {}", retraction.on),
        },
        None => "not retracted".to_string(),
    };
    format!(
        "{} {} {} {} by {} published {} is {} where it is stored, {} in the copy",
        given.kind,
        given.indicator,
        given.entity,
        given.period,
        given.source,
        given.published,
        describe(existing),
        describe(given)
    )
}

/// The indicators ordered so that each comes after the one it is a proxy for.
fn in_proxy_order(mut indicators: Vec<Indicator>) -> Vec<Indicator> {
    let mut ordered: Vec<Indicator> = Vec::with_capacity(indicators.len());
    let mut placed = std::collections::HashSet::new();
    while !indicators.is_empty() {
        let before = indicators.len();
        let (ready, waiting): (Vec<_>, Vec<_>) = indicators
            .into_iter()
            .partition(|i| i.proxy_for.as_ref().is_none_or(|target| placed.contains(target) || target == &i.code));
        placed.extend(ready.iter().map(|i| i.code.clone()));
        ordered.extend(ready);
        indicators = waiting;
        if indicators.len() == before {
            // A proxy for an indicator SRC does not hold: DST must hold it, or the write fails.
            ordered.append(&mut indicators);
        }
    }
    ordered
}

/// Whether two locations name one database: the same text, or the same file.
fn same_database(from: &str, to: &str) -> bool {
    if from == to {
        return true;
    }
    match (std::fs::canonicalize(from), std::fs::canonicalize(to)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1234567), "1,234,567");
    }
}
