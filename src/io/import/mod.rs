//! Importing CSV: files, folders laid out like `data/`, and the built-in data.
//!
//! An import is all or nothing. Every row is read and checked (shape, decimals, dates,
//! codes, conflicts with stored values) inside one transaction; if any row is bad, every bad
//! row is reported and the transaction is rolled back. Rows stream through: memory does not
//! grow with the file.
//!
//! A values file is read and checked on a thread of its own, a chunk of rows ahead of the
//! thread that writes them (see `checker`): reading, parsing and checking were a third
//! of an import's CPU time, and this way they overlap SQLite's writing.
//!
//! This file runs an import (`Run`: the transaction, the report, the dimension rows and the
//! batched writes); `inputs` finds and opens the files, `checker` is the checking thread,
//! `order` the key order and external sort figures are written in, `foreign` the agencies'
//! formats, and `report` what an import says.

mod checker;
mod foreign;
mod inputs;
mod order;
mod report;
#[cfg(test)]
mod tests;

pub use inputs::{Input, inputs_from_paths};

use inputs::{NextRow, OpenFile, open_file};
use order::{Order, Pending};
use report::dimension_outcome;
pub use report::{
    Change, ChangeKind, MAX_WARNINGS_SHOWN, Problem, Rejected, Summary, describe_correction, dimension_conflict,
    figure_conflict,
};

use crate::domain::model::{Cleared, CodeKind, Document, Entity, Figure, Indicator, Source};
use crate::domain::plausible::{self, Doubt};
use crate::domain::query::{Dim, Put};
use crate::domain::release::Release;
use crate::domain::unit::Unit;
use crate::io::csvio::{self, FileKind};
use crate::io::formats::{self, Flags};
use crate::io::progress::Progress;
use crate::store::{Batch, FigureIds, Store};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// At most this many problems are kept for the report (the first by file and line); the
/// rest are counted.
const MAX_REPORTED: usize = 1000;

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Overwrite a stored record that differs under the same key.
    pub replace: bool,
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// With `replace`: an empty cell clears the stored field (quote, note, document,
    /// tolerance) instead of keeping it. A column the file does not have is kept either way.
    pub clear_empty: bool,
}

struct Run<'p, B: Batch> {
    batch: B,
    progress: &'p mut Progress,
    options: Options,
    summary: Summary,
    /// Problems with the place of their file in the import, to print each file's in line
    /// order: conflicts are found a batch after the row, undefined proxies at the file's end.
    problems: Vec<(usize, Problem)>,
    total_problems: usize,
    /// The place in the import of the file being read.
    file_seq: usize,
    /// Figures read and checked, waiting for the next batched write.
    pending: Vec<Pending>,
    /// The values files read so far, each with what it clears on a correction; a
    /// [`Pending`] names its file by index here.
    files: Vec<(Arc<str>, Cleared, usize)>,
    order: Order,
    /// Per series (indicator and entity ids), the median of its values stored before the
    /// import, that a new value is compared with.
    references: FxHashMap<(i64, i64), Option<(Decimal, usize)>>,
    today: NaiveDate,
    /// The pending figures correct stored ones (SDMX ACTION=R), as `--replace` does.
    replace_rows: bool,
    /// Whether figures out of key order may wait in the sorter: not for an agency's file,
    /// whose messages (SDMX actions) apply in the order they come.
    sort_allowed: bool,
}

/// Imports `inputs` in one transaction, dimension files first.
#[cfg(test)]
pub async fn import(
    store: &mut impl Store,
    inputs: Vec<Input>,
    options: Options,
    progress: &mut Progress,
) -> Result<Summary> {
    import_into(store.begin_bulk().await?, inputs, options, progress).await
}

/// Imports `inputs`, which may be in agencies' formats that `flags` complete, in one
/// transaction.
pub async fn import_with(
    store: &mut impl Store,
    inputs: Vec<Input>,
    options: Options,
    flags: &Flags,
    progress: &mut Progress,
) -> Result<Summary> {
    import_files(store.begin_bulk().await?, inputs, options, flags, progress).await
}

/// Imports `inputs` into an open batch, then commits it (or rolls it back on bad input or a
/// dry run), so that what else the batch holds lands or not with the import.
pub async fn import_into(
    batch: impl Batch,
    inputs: Vec<Input>,
    options: Options,
    progress: &mut Progress,
) -> Result<Summary> {
    import_files(batch, inputs, options, &Flags::default(), progress).await
}

async fn import_files<B: Batch>(
    batch: B,
    inputs: Vec<Input>,
    options: Options,
    flags: &Flags,
    progress: &mut Progress,
) -> Result<Summary> {
    let mut run = Run {
        batch,
        progress,
        options,
        summary: Summary::default(),
        problems: Vec::new(),
        total_problems: 0,
        file_seq: 0,
        pending: Vec::with_capacity(B::FIGURES_PER_CALL),
        files: Vec::new(),
        order: Order::Direct { last: None },
        references: FxHashMap::default(),
        today: chrono::Local::now().date_naive(),
        replace_rows: false,
        sort_allowed: true,
    };
    let mut files = Vec::new();
    let mut foreign = Vec::new();
    let opened = inputs.len();
    for (seq, input) in inputs.into_iter().enumerate() {
        run.file_seq = seq;
        let input = match formats::glue::sniff(input)? {
            formats::glue::Sniffed::Csv(input) => input,
            formats::glue::Sniffed::Foreign(file) => {
                foreign.push(file);
                continue;
            }
            formats::glue::Sniffed::Refused(problem) => {
                run.report(problem);
                continue;
            }
        };
        match open_file(input) {
            Ok(file) => files.push(file),
            Err(problem) => run.report(problem),
        }
    }
    files.sort_by_key(|f| f.kind);
    run.summary.files = files.len() + foreign.len();
    let csv_files = files.len();
    for (seq, file) in files.into_iter().enumerate() {
        run.file_seq = opened + seq;
        run.file(file).await?;
    }
    // What the CSV files left in the sorter lands before the agencies' files, in file order.
    run.write_sorted().await?;
    for (seq, file) in foreign.into_iter().enumerate() {
        run.file_seq = opened + csv_files + seq;
        run.foreign_file(file, flags).await?;
    }
    run.sort_reports();
    if run.total_problems > 0 {
        run.keep_first_problems();
        run.batch.rollback().await?;
        let problems = run.problems.into_iter().map(|(_, problem)| problem).collect();
        return Err(Rejected { problems, total: run.total_problems }.into());
    }
    if options.dry_run {
        run.batch.rollback().await?;
    } else {
        run.batch.commit().await?;
    }
    Ok(run.summary)
}

impl<B: Batch> Run<'_, B> {
    fn report(&mut self, problem: Problem) {
        self.total_problems += 1;
        self.problems.push((self.file_seq, problem));
        if self.problems.len() >= 2 * MAX_REPORTED {
            self.keep_first_problems();
        }
    }

    /// Why each queued figure looks wrong, if it does (see `plausible`), judged against
    /// its series as stored before the import: read before the batch is written, the
    /// first time a series comes up.
    async fn doubts(&mut self, pending: &[Pending]) -> Result<Vec<Vec<Doubt>>> {
        let mut seen = rustc_hash::FxHashSet::default();
        let new_series: Vec<FigureIds> = pending
            .iter()
            .map(|queued| queued.ids)
            .filter(|ids| !self.references.contains_key(&ids.series()) && seen.insert(ids.series()))
            .collect();
        if !new_series.is_empty() {
            let samples = self.batch.series_samples(&new_series, plausible::SAMPLE_SIZE).await?;
            for (ids, sample) in new_series.iter().zip(samples) {
                self.references.insert(ids.series(), plausible::reference(&sample));
            }
        }
        Ok(pending
            .iter()
            .map(|queued| {
                let reference = self.references.get(&queued.ids.series()).copied().flatten();
                let value = queued.figure.quantity.value();
                [plausible::future(queued.figure.published, self.today), plausible::magnitude(value, reference)]
                    .into_iter()
                    .flatten()
                    .collect()
            })
            .collect())
    }

    fn warn(&mut self, warning: Problem) {
        self.summary.total_warnings += 1;
        if self.summary.warnings.len() < MAX_WARNINGS_SHOWN {
            self.summary.warnings.push(warning);
        }
    }

    /// Sorts the problems by file and line (a stable sort: a header's problems stay in the
    /// order found) and keeps the first [`MAX_REPORTED`].
    fn keep_first_problems(&mut self) {
        self.problems.sort_by_key(|(seq, problem)| (*seq, problem.line));
        self.problems.truncate(MAX_REPORTED);
    }

    fn count<T>(&mut self, kind: FileKind, put: &Put<T>) {
        let counts = self.summary.by_kind.entry(kind).or_default();
        match put {
            Put::Inserted => counts.inserted += 1,
            Put::Unchanged => counts.unchanged += 1,
            Put::Replaced { .. } => counts.replaced += 1,
            Put::Conflict { .. } => {}
        }
    }

    async fn file(&mut self, mut file: OpenFile) -> Result<()> {
        if file.kind == FileKind::Values {
            return self.values_file(file).await;
        }
        let mut deferred = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            let (line, outcome) = match file.next_row(&mut record)? {
                NextRow::End => break,
                NextRow::Record(line) => (line, self.dimension_row(&file, &record, &mut deferred, line).await?),
                NextRow::Bad(line, message) => (line, Err(message)),
            };
            if let Err(message) = outcome {
                self.report(Problem { file: file.name.to_string(), line: Some(line), message });
            }
        }
        self.deferred_indicators(&file.name, deferred).await
    }

    /// Reads and writes one row of a sources, indicators, entities or documents file (values
    /// files go through `values_file`).
    async fn dimension_row(
        &mut self,
        file: &OpenFile,
        record: &csv::StringRecord,
        deferred: &mut Vec<(u64, Indicator)>,
        line: u64,
    ) -> Result<Result<(), String>> {
        let replace = self.options.replace;
        let columns = &file.columns;
        Ok(match file.kind {
            FileKind::Sources => match csvio::read::<Source>(columns, record) {
                Ok(source) => self.put_source(&source, replace).await?,
                Err(message) => Err(message),
            },
            FileKind::Indicators => match csvio::read::<Indicator>(columns, record) {
                Ok(indicator)
                    if indicator.proxy_for.as_deref().is_some_and(|p| !self.batch.knows(Dim::Indicator, p)) =>
                {
                    deferred.push((line, indicator));
                    Ok(())
                }
                Ok(indicator) => self.put_indicator(&indicator, replace).await?,
                Err(message) => Err(message),
            },
            FileKind::Entities => match csvio::read::<Entity>(columns, record) {
                Ok(entity) => self.put_entity(&entity, replace).await?,
                Err(message) => Err(message),
            },
            FileKind::Documents => match csvio::read::<Document>(columns, record) {
                Ok(document) => self.put_document(&document, replace).await?,
                Err(message) => Err(message),
            },
            FileKind::Releases => match csvio::read::<Release>(columns, record) {
                Ok(release) => self.put_release(&release, replace).await?,
                Err(message) => Err(message),
            },
            FileKind::Values => unreachable!("values files are read by check_values"),
        })
    }

    /// Indicators that name a proxy defined later in the file, retried until none resolve.
    async fn deferred_indicators(&mut self, file: &str, mut pending: Vec<(u64, Indicator)>) -> Result<()> {
        loop {
            let before = pending.len();
            let mut still = Vec::new();
            for (line, indicator) in pending {
                if indicator.proxy_for.as_deref().is_some_and(|p| self.batch.knows(Dim::Indicator, p)) {
                    if let Err(message) = self.put_indicator(&indicator, self.options.replace).await? {
                        self.report(Problem { file: file.to_string(), line: Some(line), message });
                    }
                } else {
                    still.push((line, indicator));
                }
            }
            if still.is_empty() || still.len() == before {
                for (line, indicator) in still {
                    let proxy = indicator.proxy_for.unwrap_or_default();
                    let message =
                        format!("indicator {} is a proxy for \"{proxy}\", which is not defined", indicator.code);
                    self.report(Problem { file: file.to_string(), line: Some(line), message });
                }
                return Ok(());
            }
            pending = still;
        }
    }

    async fn put_source(&mut self, source: &Source, replace: bool) -> Result<Result<(), String>> {
        if let Err(err) = CodeKind::SourceSlug.check_new(&source.slug, self.batch.knows(Dim::Source, &source.slug)) {
            return Ok(Err(err.to_string()));
        }
        let put = self.batch.put_source(source, replace).await?;
        self.count(FileKind::Sources, &put);
        Ok(dimension_outcome(&source.slug, put, source))
    }

    async fn put_indicator(&mut self, indicator: &Indicator, replace: bool) -> Result<Result<(), String>> {
        let known = self.batch.knows(Dim::Indicator, &indicator.code);
        if let Err(err) = CodeKind::IndicatorCode.check_new(&indicator.code, known) {
            return Ok(Err(err.to_string()));
        }
        let put = self.batch.put_indicator(indicator, replace).await?;
        if let (Put::Inserted | Put::Replaced { .. }, Err(err)) = (&put, indicator.unit.parse::<Unit>()) {
            return Ok(Err(err.to_string()));
        }
        self.count(FileKind::Indicators, &put);
        Ok(dimension_outcome(&indicator.code, put, indicator))
    }

    async fn put_entity(&mut self, entity: &Entity, replace: bool) -> Result<Result<(), String>> {
        if let Err(err) = CodeKind::EntityCode.check_new(&entity.code, self.batch.knows(Dim::Entity, &entity.code)) {
            return Ok(Err(err.to_string()));
        }
        let put = self.batch.put_entity(entity, replace).await?;
        self.count(FileKind::Entities, &put);
        Ok(dimension_outcome(&entity.code, put, entity))
    }

    async fn put_document(&mut self, document: &Document, replace: bool) -> Result<Result<(), String>> {
        let put = self.batch.put_document(document, replace).await?;
        self.count(FileKind::Documents, &put);
        Ok(dimension_outcome(&document.code, put, document))
    }

    /// Writes a release whose codes are all defined; an unknown one is the row's problem.
    async fn put_release(&mut self, release: &Release, replace: bool) -> Result<Result<(), String>> {
        if let Some(unknown) = unknown_release_code(&self.batch, release) {
            return Ok(Err(unknown));
        }
        let put = self.batch.put_release(release, replace).await?;
        self.count(FileKind::Releases, &put);
        Ok(dimension_outcome(&release.id(), put, release))
    }

    /// Queues a figure for the next batched write; a row whose codes are unknown is a
    /// problem at once.
    async fn put_figure(&mut self, file: u32, line: u64, figure: Figure) -> Result<Result<(), String>> {
        let ids = match self.batch.resolve(&figure) {
            Ok(ids) => ids,
            Err(unknown) => return Ok(Err(unknown.to_string())),
        };
        self.pending.push(Pending { file, line, ids, figure });
        if self.pending.len() == B::FIGURES_PER_CALL {
            self.queue_batch().await?;
        }
        Ok(Ok(()))
    }

    /// Writes what is queued now, whatever its order: an agency file's messages (SDMX
    /// actions) apply in the order they come.
    async fn flush(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        self.write(pending).await
    }

    /// The index in `files` of a name an agency file's rows carry (its own, or one per
    /// line of a wide file), added when it changes.
    fn file_index(&mut self, name: &Arc<str>) -> Result<u32> {
        if self.files.last().is_none_or(|(last, ..)| last != name) {
            self.files.push((Arc::clone(name), Cleared::NONE, self.file_seq));
        }
        u32::try_from(self.files.len() - 1).context("too many files")
    }

    /// Changes in the order of the files and their lines, however the rows were written
    /// (problems are kept in that order by `keep_first_problems`).
    fn sort_reports(&mut self) {
        let position = |name: &str| self.files.iter().position(|(file, ..)| file.as_ref() == name);
        self.summary.changes.sort_by_key(|c| (position(&c.file), c.line));
    }

    /// Writes figures (one batch) and reports the conflicts among them by file and line.
    async fn write(&mut self, pending: Vec<Pending>) -> Result<()> {
        let Some(first) = pending.first() else { return Ok(()) };
        let cleared = self.files[first.file as usize].1;
        let doubts = self.doubts(&pending).await?;
        let batch: Vec<(FigureIds, &Figure)> = pending.iter().map(|p| (p.ids, &p.figure)).collect();
        if self.options.dry_run {
            for (index, new) in self.batch.new_keys(&batch).await?.into_iter().enumerate() {
                if new {
                    let queued = &pending[index];
                    self.list_change(queued, ChangeKind::Added(Box::new(queued.figure.clone())));
                }
            }
        }
        let replace = self.options.replace || self.replace_rows;
        let outcome = self.batch.put_figures(&batch, replace, cleared).await?;
        self.progress.rows(batch.len() as u64);
        let counts = self.summary.by_kind.entry(FileKind::Values).or_default();
        counts.inserted += outcome.inserted;
        counts.unchanged += outcome.unchanged;
        counts.replaced += outcome.replaced.len() as u64;
        // Rows found already stored are not warned about again. Which rows of a batch those
        // are is known only when it wrote nothing new; a batch that mixes new and stored rows
        // warns about all of its doubtful rows.
        let wrote_new = outcome.inserted > 0;
        for (index, queued) in pending.iter().enumerate() {
            let doubtful = !doubts[index].is_empty();
            if doubtful && (wrote_new || outcome.replaced.iter().any(|(i, _, _)| *i == index)) {
                for doubt in &doubts[index] {
                    self.warn(Problem {
                        file: self.files[queued.file as usize].0.to_string(),
                        line: Some(queued.line),
                        message: doubt.to_string(),
                    });
                }
            }
        }
        for (index, old, stored) in outcome.replaced {
            let queued = &pending[index];
            let what = ChangeKind::Replaced {
                old: Box::new(old),
                given: Box::new(queued.figure.clone()),
                stored: Box::new(stored),
            };
            self.list_change(queued, what);
        }
        for (index, existing) in outcome.conflicts {
            let queued = &pending[index];
            let message = figure_conflict(&existing, &queued.figure);
            let (file, _, seq) = &self.files[queued.file as usize];
            let problem = Problem { file: file.to_string(), line: Some(queued.line), message };
            // Sorted rows are written after every file is read: the problem belongs to its own.
            self.file_seq = *seq;
            self.report(problem);
        }
        Ok(())
    }
}

impl<B: Batch> Run<'_, B> {
    fn list_change(&mut self, queued: &Pending, what: ChangeKind) {
        if self.summary.changes.len() < MAX_REPORTED {
            let file = self.files[queued.file as usize].0.to_string();
            self.summary.changes.push(Change { file, line: queued.line, what });
        } else {
            self.summary.unlisted_changes += 1;
        }
    }
}

/// The first code of a release that is not defined, as a row's problem.
pub fn unknown_release_code(batch: &impl Batch, release: &Release) -> Option<String> {
    let codes = [
        (Dim::Source, Some(release.source.as_str())),
        (Dim::Indicator, Some(release.indicator.as_str())),
        (Dim::Entity, Some(release.entity.as_str())),
        (Dim::Document, release.document.as_deref()),
    ];
    codes.into_iter().find_map(|(dim, code)| {
        let code = code?;
        (!batch.knows(dim, code)).then(|| {
            let noun = dim.noun();
            format!("unknown {noun} \"{code}\" in release {}; define it first (`econtrack {noun} add`, or a {noun} file in the same import)", release.id())
        })
    })
}
