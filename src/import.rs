//! Importing CSV: files, folders laid out like `data/`, and the built-in data.
//!
//! An import is all or nothing. Every row is read and checked (shape, decimals, dates,
//! codes, conflicts with stored values) inside one transaction; if any row is bad, every bad
//! row is reported and the transaction is rolled back. Rows stream through: memory does not
//! grow with the file.
//!
//! A values file is read and checked on a thread of its own, a chunk of rows ahead of the
//! thread that writes them (see [`check_values`]): reading, parsing and checking were a third
//! of an import's CPU time, and this way they overlap SQLite's writing.

use crate::csvio::{self, Columns, FileKind};
use crate::formats::{self, Flags};
use crate::model::{Cleared, Document, Entity, Figure, Indicator, Source};
use crate::progress::Progress;
use crate::store::{Batch, Dim, FigureIds, MAX_BATCH, Put, Store};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::mpsc;

/// At most this many problems are kept for the report; the rest are counted.
const MAX_REPORTED: usize = 1000;

/// Rows of a values file checked per chunk handed to the writing thread.
const CHECKED_CHUNK: usize = 1000;
/// Chunks checked ahead of the writer, at most: enough to keep both threads busy while
/// memory stays a few thousand rows.
const CHUNKS_AHEAD: usize = 2;

/// A named CSV stream to import.
pub struct Input {
    pub name: String,
    pub data: Box<dyn Read + Send>,
    /// Bytes, when known (for a progress bar's ETA).
    pub size: Option<u64>,
}

impl Input {
    pub fn from_text(name: &str, text: &'static str) -> Input {
        Input { name: name.to_string(), data: Box::new(text.as_bytes()), size: Some(text.len() as u64) }
    }

    fn open(path: &Path) -> Result<Input> {
        let file = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let size = file.metadata().ok().map(|m| m.len());
        let data = Box::new(std::io::BufReader::with_capacity(1 << 16, file));
        Ok(Input { name: path.display().to_string(), data, size })
    }
}

/// The inputs named by paths: a file is itself, a folder is every `*.csv` in it.
pub fn inputs_from_paths(paths: &[PathBuf]) -> Result<Vec<Input>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut in_folder: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot list folder {}", path.display()))?
                .map(|entry| entry.map(|e| e.path()))
                .collect::<std::io::Result<_>>()?;
            in_folder.retain(|p| p.extension().is_some_and(|e| e == "csv") && p.is_file());
            in_folder.sort();
            if in_folder.is_empty() {
                anyhow::bail!("folder {} holds no .csv files", path.display());
            }
            files.extend(in_folder);
        } else {
            files.push(path.clone());
        }
    }
    files.iter().map(|p| Input::open(p)).collect()
}

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

/// How many records of each kind an import inserted, found unchanged or replaced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub inserted: u64,
    pub unchanged: u64,
    pub replaced: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub by_kind: BTreeMap<FileKind, Counts>,
    pub files: usize,
    /// Files read in an agency's format: the file and what it was read as.
    pub formats: Vec<(String, String)>,
    /// Cells such files published without a value: the file, why, how many.
    pub missing: Vec<(String, String, u64)>,
    /// Values retracted (SDMX ACTION=D), and rows naming values retracted already.
    pub retracted: u64,
    pub already_retracted: u64,
    /// The figures replaced and, in a dry run, added, in the order met (at most
    /// `MAX_REPORTED`; `unlisted_changes` counts the rest).
    pub changes: Vec<Change>,
    pub unlisted_changes: u64,
}

/// One figure an import adds or corrects, located.
#[derive(Debug, Clone)]
pub struct Change {
    pub file: String,
    pub line: u64,
    pub what: ChangeKind,
}

#[derive(Debug, Clone)]
pub enum ChangeKind {
    Added(Box<Figure>),
    /// `given` is the row as read, `stored` the figure as it corrects `old`.
    Replaced {
        old: Box<Figure>,
        given: Box<Figure>,
        stored: Box<Figure>,
    },
}

impl Summary {
    pub fn values(&self) -> Counts {
        self.by_kind.get(&FileKind::Values).cloned().unwrap_or_default()
    }

    pub fn total(&self) -> Counts {
        self.by_kind.values().fold(Counts::default(), |a, c| Counts {
            inserted: a.inserted + c.inserted,
            unchanged: a.unchanged + c.unchanged,
            replaced: a.replaced + c.replaced,
        })
    }
}

/// One bad row (or file), located.
#[derive(Debug, Clone)]
pub struct Problem {
    pub file: String,
    pub line: Option<u64>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// An import refused because of bad input; nothing was written.
#[derive(Debug)]
pub struct Rejected {
    pub problems: Vec<Problem>,
    pub total: usize,
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "{problem}")?;
        }
        if self.total > self.problems.len() {
            writeln!(f, "... and {} more", self.total - self.problems.len())?;
        }
        write!(f, "import rejected: {} bad row(s); nothing was imported", self.total)
    }
}

impl std::error::Error for Rejected {}

struct Run<'s, 'p> {
    batch: Batch<'s>,
    progress: &'p mut Progress,
    options: Options,
    summary: Summary,
    problems: Vec<Problem>,
    total_problems: usize,
    /// Figures read and checked, waiting for the next batched write.
    pending: Vec<Pending>,
    /// What the values file being read clears on a correction.
    cleared: Cleared,
    /// The pending figures correct stored ones (SDMX ACTION=R), as `--replace` does.
    replace_rows: bool,
}

struct Pending {
    /// Shared by every row of its file.
    file: Arc<str>,
    line: u64,
    ids: FigureIds,
    figure: Figure,
}

struct OpenFile {
    name: Arc<str>,
    header: Vec<String>,
    kind: FileKind,
    columns: Columns,
    reader: csv::Reader<Box<dyn Read + Send>>,
}

/// What reading the next row of a file found.
enum NextRow {
    /// A row of the header's width, at this line.
    Record(u64),
    /// A row that cannot be read as one, at this line, and why.
    Bad(u64, String),
    End,
}

impl OpenFile {
    /// Reads the next row into `record`. A malformed row is [`NextRow::Bad`]; only a failure
    /// to read the file at all is an error.
    fn next_row(&mut self, record: &mut csv::StringRecord) -> Result<NextRow> {
        let line = self.reader.position().line();
        match self.reader.read_record(record) {
            Ok(false) => return Ok(NextRow::End),
            Ok(true) => {}
            Err(err) => {
                let line = err.position().map_or(line, |p| p.line());
                if matches!(err.kind(), csv::ErrorKind::Io(_)) {
                    return Err(anyhow::Error::new(err).context(format!("reading {}", self.name)));
                }
                return Ok(NextRow::Bad(line, csv_error_message(&err)));
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        Ok(match csvio::check_cell_sizes(&self.header, record) {
            Ok(()) => NextRow::Record(line),
            Err(message) => NextRow::Bad(line, message),
        })
    }
}

/// Rows of a values file in file order: each line with its checked figure or its problem.
type CheckedChunk = Vec<(u64, Result<Figure, String>)>;

/// Reads and checks every row of a values file, sending them on in chunks; runs on its own
/// thread. Stops early when the receiver is gone (the import failed) or the file cannot be
/// read (sent on as the last item).
fn check_values(mut file: OpenFile, chunks: mpsc::Sender<Result<CheckedChunk>>) {
    let mut record = csv::StringRecord::new();
    loop {
        let mut chunk = Vec::with_capacity(CHECKED_CHUNK);
        let mut ended = false;
        while chunk.len() < CHECKED_CHUNK {
            match file.next_row(&mut record) {
                Ok(NextRow::Record(line)) => chunk.push((line, csvio::read_figure(&file.columns, &record))),
                Ok(NextRow::Bad(line, message)) => chunk.push((line, Err(message))),
                Ok(NextRow::End) => {
                    ended = true;
                    break;
                }
                Err(err) => {
                    let _ = chunks.blocking_send(Err(err));
                    return;
                }
            }
        }
        if chunks.blocking_send(Ok(chunk)).is_err() || ended {
            return;
        }
    }
}

/// Imports `inputs` in one transaction, dimension files first.
#[cfg(test)]
pub async fn import(store: &Store, inputs: Vec<Input>, options: Options, progress: &mut Progress) -> Result<Summary> {
    import_into(store.begin().await?, inputs, options, progress).await
}

/// Imports `inputs`, which may be in agencies' formats that `flags` complete, in one
/// transaction.
pub async fn import_with(
    store: &Store,
    inputs: Vec<Input>,
    options: Options,
    flags: &Flags,
    progress: &mut Progress,
) -> Result<Summary> {
    import_files(store.begin().await?, inputs, options, flags, progress).await
}

/// Imports `inputs` into an open batch, then commits it (or rolls it back on bad input or a
/// dry run), so that what else the batch holds lands or not with the import.
pub async fn import_into(
    batch: Batch<'_>,
    inputs: Vec<Input>,
    options: Options,
    progress: &mut Progress,
) -> Result<Summary> {
    import_files(batch, inputs, options, &Flags::default(), progress).await
}

async fn import_files(
    batch: Batch<'_>,
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
        pending: Vec::with_capacity(MAX_BATCH),
        cleared: Cleared::NONE,
        replace_rows: false,
    };
    let mut files = Vec::new();
    let mut foreign = Vec::new();
    for input in inputs {
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
    for file in files {
        run.file(file).await?;
    }
    for file in foreign {
        run.foreign_file(file, flags).await?;
    }
    if run.total_problems > 0 {
        run.batch.rollback().await?;
        return Err(Rejected { problems: run.problems, total: run.total_problems }.into());
    }
    if options.dry_run {
        run.batch.rollback().await?;
    } else {
        run.batch.commit().await?;
    }
    Ok(run.summary)
}

fn open_file(input: Input) -> Result<OpenFile, Problem> {
    let problem = |line, message: String| Problem { file: input.name.clone(), line, message };
    let mut reader = csvio::reader(input.data);
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(err) => return Err(problem(Some(1), csv_error_message(&err))),
    };
    csvio::check_cell_sizes(&[], &header).map_err(|m| problem(Some(1), m))?;
    let header: Vec<String> = header.iter().map(str::to_string).collect();
    if header.iter().all(String::is_empty) {
        return Err(problem(Some(1), "empty file: expected a header row".to_string()));
    }
    let kind = FileKind::from_header(&header).map_err(|m| problem(Some(1), m))?;
    let columns = Columns::new(kind, &header).map_err(|m| problem(Some(1), m))?;
    Ok(OpenFile { name: input.name.into(), header, kind, columns, reader })
}

fn csv_error_message(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("row has {len} field(s) but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8 (save the file as UTF-8)".to_string(),
        _ => format!("unreadable CSV: {err}"),
    }
}

impl Run<'_, '_> {
    /// Reads a file in an agency's format on a thread of its own (`formats::glue::read`),
    /// writing what it finds as it comes: dimension records unless their codes exist,
    /// figures through the same batches as a values file.
    async fn foreign_file(&mut self, file: formats::glue::ForeignFile, flags: &Flags) -> Result<()> {
        let name: Arc<str> = file.name.clone().into();
        let (sender, mut chunks) = mpsc::channel(CHUNKS_AHEAD);
        let flags = flags.clone();
        self.cleared = Cleared::NONE;
        let reader = std::thread::Builder::new()
            .name("read format".to_string())
            .spawn(move || formats::glue::read(file, &flags, sender))
            .context("cannot start a thread to read the file")?;
        let mut unknown_codes = std::collections::HashSet::new();
        let mut row_name = None;
        while let Some(chunk) = chunks.recv().await {
            for item in chunk {
                self.foreign_item(&name, item, &mut unknown_codes, &mut row_name).await?;
            }
        }
        reader.join().map_err(|_| anyhow::anyhow!("the thread reading {name} failed"))?;
        self.flush().await?;
        self.replace_rows = false;
        Ok(())
    }

    /// Retracts the stored figure under `figure`'s key from today, after what is queued
    /// before it (a message applies in order); `Some(problem)` when nothing is stored there.
    async fn retract(&mut self, file: &str, figure: &Figure) -> Result<Option<String>> {
        self.flush().await?;
        if let Err(unknown) = self.batch.resolve(figure) {
            return Ok(Some(unknown.to_string()));
        }
        let on = chrono::Local::now().date_naive();
        let retraction = crate::model::Retraction { on, note: Some(format!("SDMX ACTION D in {file}")) };
        Ok(match self.batch.retract(figure, &retraction).await? {
            crate::store::Retracted::Now(_) => {
                self.summary.retracted += 1;
                None
            }
            crate::store::Retracted::Already(_) => {
                self.summary.already_retracted += 1;
                None
            }
            crate::store::Retracted::NotStored => Some(format!(
                "ACTION D retracts {} {} {} {} by {} published {}, which is not stored",
                figure.kind, figure.indicator, figure.entity, figure.period, figure.source, figure.published
            )),
        })
    }

    async fn foreign_item(
        &mut self,
        name: &Arc<str>,
        item: formats::Item,
        unknown_codes: &mut std::collections::HashSet<String>,
        row_name: &mut Option<(u64, Arc<str>)>,
    ) -> Result<()> {
        use formats::Item;
        let outcome = match item {
            Item::Read(what) => {
                self.summary.formats.push((name.to_string(), what));
                Ok(())
            }
            Item::Source(source) if !self.batch.knows(Dim::Source, &source.slug) => {
                self.put_source(&source, false).await?
            }
            Item::Indicator(indicator) if !self.batch.knows(Dim::Indicator, &indicator.code) => {
                self.put_indicator(&indicator, false).await?
            }
            Item::Entity(entity) if !self.batch.knows(Dim::Entity, &entity.code) => {
                self.put_entity(&entity, false).await?
            }
            Item::Document(document) if !self.batch.knows(Dim::Document, &document.code) => {
                self.put_document(&document, false).await?
            }
            Item::Source(_) | Item::Indicator(_) | Item::Entity(_) | Item::Document(_) => Ok(()),
            Item::Figure { at, figure, action: formats::Action::Retract } => {
                let message = self.retract(name, &figure).await?;
                if let Some(message) = message {
                    self.report(formats::glue::problem(name, at, message));
                }
                Ok(())
            }
            Item::Figure { at, figure, action } => {
                let replace = action == formats::Action::Replace;
                if replace != self.replace_rows {
                    self.flush().await?;
                    self.replace_rows = replace;
                }
                // A cell of a wide file is named by line and column, conflicts included: the
                // line rides in the file name, made once per line.
                let (file, line) = match at.column {
                    Some(column) => {
                        if row_name.as_ref().is_none_or(|(line, _)| *line != at.line) {
                            *row_name = Some((at.line, Arc::from(format!("{name}:{}", at.line))));
                        }
                        (row_name.as_ref().map_or_else(|| Arc::clone(name), |(_, n)| Arc::clone(n)), column)
                    }
                    None => (Arc::clone(name), at.line),
                };
                match self.put_figure(&file, line, figure).await? {
                    // One unknown code is one problem, however many rows carry it.
                    Err(message) if !unknown_codes.insert(message.clone()) => {
                        self.total_problems += 1;
                        Ok(())
                    }
                    Err(message) => {
                        self.report(formats::glue::problem(name, at, message));
                        Ok(())
                    }
                    Ok(()) => Ok(()),
                }
            }
            Item::Problem { at, message } => {
                self.report(formats::glue::problem(name, at, message));
                Ok(())
            }
            Item::FileProblem(message) => Err(message),
            Item::Missing { reason, count } => {
                self.summary.missing.push((name.to_string(), reason, count));
                Ok(())
            }
        };
        if let Err(message) = outcome {
            self.report(Problem { file: name.to_string(), line: None, message });
        }
        Ok(())
    }

    fn report(&mut self, problem: Problem) {
        self.total_problems += 1;
        if self.problems.len() < MAX_REPORTED {
            self.problems.push(problem);
        }
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

    /// Writes the figures of a values file as [`check_values`], on its own thread, reads and
    /// checks them.
    async fn values_file(&mut self, file: OpenFile) -> Result<()> {
        let name = Arc::clone(&file.name);
        let clear = |column| self.options.clear_empty && file.columns.has(column);
        self.cleared = Cleared {
            tolerance: clear("tolerance"),
            document: clear("document"),
            quote: clear("quote"),
            note: clear("note"),
        };
        let (sender, mut chunks) = mpsc::channel(CHUNKS_AHEAD);
        let checker = std::thread::Builder::new()
            .name("check values".to_string())
            .spawn(move || check_values(file, sender))
            .context("cannot start a thread to read the values")?;
        while let Some(chunk) = chunks.recv().await {
            for (line, checked) in chunk? {
                let outcome = match checked {
                    Ok(figure) => self.put_figure(&name, line, figure).await?,
                    Err(message) => Err(message),
                };
                if let Err(message) = outcome {
                    self.report(Problem { file: name.to_string(), line: Some(line), message });
                }
            }
        }
        checker.join().map_err(|_| anyhow::anyhow!("the thread reading {name} failed"))?;
        self.flush().await
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
            FileKind::Sources => match csvio::read_source(columns, record) {
                Ok(source) => self.put_source(&source, replace).await?,
                Err(message) => Err(message),
            },
            FileKind::Indicators => match csvio::read_indicator(columns, record) {
                Ok(indicator)
                    if indicator.proxy_for.as_deref().is_some_and(|p| !self.batch.knows(Dim::Indicator, p)) =>
                {
                    deferred.push((line, indicator));
                    Ok(())
                }
                Ok(indicator) => self.put_indicator(&indicator, replace).await?,
                Err(message) => Err(message),
            },
            FileKind::Entities => match csvio::read_entity(columns, record) {
                Ok(entity) => self.put_entity(&entity, replace).await?,
                Err(message) => Err(message),
            },
            FileKind::Documents => match csvio::read_document(columns, record) {
                Ok(document) => self.put_document(&document, replace).await?,
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
        let put = self.batch.put_source(source, replace).await?;
        self.count(FileKind::Sources, &put);
        Ok(dimension_outcome("source", &source.slug, put))
    }

    async fn put_indicator(&mut self, indicator: &Indicator, replace: bool) -> Result<Result<(), String>> {
        let put = self.batch.put_indicator(indicator, replace).await?;
        self.count(FileKind::Indicators, &put);
        Ok(dimension_outcome("indicator", &indicator.code, put))
    }

    async fn put_entity(&mut self, entity: &Entity, replace: bool) -> Result<Result<(), String>> {
        let put = self.batch.put_entity(entity, replace).await?;
        self.count(FileKind::Entities, &put);
        Ok(dimension_outcome("entity", &entity.code, put))
    }

    async fn put_document(&mut self, document: &Document, replace: bool) -> Result<Result<(), String>> {
        let put = self.batch.put_document(document, replace).await?;
        self.count(FileKind::Documents, &put);
        Ok(dimension_outcome("document", &document.code, put))
    }

    /// Queues a figure for the next batched write; a row whose codes are unknown is a
    /// problem at once.
    async fn put_figure(&mut self, file: &Arc<str>, line: u64, figure: Figure) -> Result<Result<(), String>> {
        let ids = match self.batch.resolve(&figure) {
            Ok(ids) => ids,
            Err(unknown) => return Ok(Err(unknown.to_string())),
        };
        self.pending.push(Pending { file: Arc::clone(file), line, ids, figure });
        if self.pending.len() == MAX_BATCH {
            self.flush().await?;
        }
        Ok(Ok(()))
    }

    /// Writes the queued figures and reports the conflicts among them by file and line.
    async fn flush(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let batch: Vec<(FigureIds, &Figure)> = pending.iter().map(|p| (p.ids, &p.figure)).collect();
        if self.options.dry_run {
            for (index, new) in self.batch.new_keys(&batch).await?.into_iter().enumerate() {
                if new {
                    let queued = &pending[index];
                    self.list_change(queued, ChangeKind::Added(Box::new(queued.figure.clone())));
                }
            }
        }
        let listed_before = self.summary.changes.len();
        let replace = self.options.replace || self.replace_rows;
        let outcome = self.batch.put_figures(&batch, replace, self.cleared).await?;
        self.progress.rows(batch.len() as u64);
        let counts = self.summary.by_kind.entry(FileKind::Values).or_default();
        counts.inserted += outcome.inserted;
        counts.unchanged += outcome.unchanged;
        counts.replaced += outcome.replaced.len() as u64;
        for (index, old, stored) in outcome.replaced {
            let queued = &pending[index];
            let what = ChangeKind::Replaced {
                old: Box::new(old),
                given: Box::new(queued.figure.clone()),
                stored: Box::new(stored),
            };
            self.list_change(queued, what);
        }
        // Additions were listed before the write, corrections after it: one batch, one file.
        self.summary.changes[listed_before..].sort_by_key(|change| change.line);
        for (index, existing) in outcome.conflicts {
            let queued = &pending[index];
            let message = figure_conflict(&existing, &queued.figure);
            self.report(Problem { file: queued.file.to_string(), line: Some(queued.line), message });
        }
        Ok(())
    }
}

impl Run<'_, '_> {
    fn list_change(&mut self, queued: &Pending, what: ChangeKind) {
        if self.summary.changes.len() < MAX_REPORTED {
            self.summary.changes.push(Change { file: queued.file.to_string(), line: queued.line, what });
        } else {
            self.summary.unlisted_changes += 1;
        }
    }
}

/// What a correction changed, field by field: `value 4.5 → 4.4; quote kept`.
pub fn describe_correction(old: &Figure, given: &Figure, stored: &Figure) -> String {
    fn show<T: fmt::Display>(value: &Option<T>) -> String {
        value.as_ref().map_or_else(|| "none".to_string(), ToString::to_string)
    }
    let mut parts = Vec::new();
    if old.quantity != stored.quantity {
        parts.push(format!("value {} → {}", old.quantity, stored.quantity));
    }
    if old.tolerance != stored.tolerance {
        parts.push(format!("tolerance {} → {}", show(&old.tolerance), show(&stored.tolerance)));
    }
    if old.document != stored.document {
        parts.push(format!("document {} → {}", show(&old.document), show(&stored.document)));
    }
    let mut kept = Vec::new();
    for (name, old, given, stored) in [
        ("document", &old.document, &given.document, &stored.document),
        ("quote", &old.quote, &given.quote, &stored.quote),
        ("note", &old.note, &given.note, &stored.note),
    ] {
        match (old, stored) {
            (Some(_), Some(_)) if given.is_none() => kept.push(name),
            (Some(_), None) if name != "document" => parts.push(format!("{name} cleared")),
            (None, Some(_)) if name != "document" => parts.push(format!("{name} added")),
            (Some(a), Some(b)) if a != b && name != "document" => parts.push(format!("{name} changed")),
            _ => {}
        }
    }
    if !kept.is_empty() {
        parts.push(format!("{} kept", kept.join(", ")));
    }
    if parts.is_empty() { "no change".to_string() } else { parts.join("; ") }
}

fn dimension_outcome<T>(noun: &str, code: &str, put: Put<T>) -> Result<(), String> {
    match put {
        Put::Conflict { .. } => {
            Err(format!("{noun} \"{code}\" is already defined differently; use --replace to overwrite it"))
        }
        _ => Ok(()),
    }
}

/// The message for two different records under one key, naming both values.
pub fn figure_conflict(existing: &Figure, new: &Figure) -> String {
    let difference = if existing.quantity != new.quantity {
        format!("is already stored as {}, not {}", existing.quantity, new.quantity)
    } else {
        let fields: Vec<&str> = [
            ("document", existing.document != new.document),
            ("quote", existing.quote != new.quote),
            ("note", existing.note != new.note),
            ("tolerance", existing.tolerance != new.tolerance),
        ]
        .into_iter()
        .filter_map(|(name, differs)| differs.then_some(name))
        .collect();
        format!("is already stored with the same value {} but a different {}", existing.quantity, fields.join(" and "))
    };
    format!(
        "{} {} {} {} by {} published {} {difference}; use --replace to correct it, or a later published date for a new vintage",
        new.kind, new.indicator, new.entity, new.period, new.source, new.published,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;
    use crate::formula::unguard;
    use crate::model::check_code;
    use crate::period::{Period, parse_date};
    use crate::store::FigureFilter;
    use crate::testkit;
    use crate::value::{Bound, Kind, parse_decimal};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestCaseError, TestRunner};

    /// One way a values row can be wrong.
    #[derive(Debug, Clone)]
    enum Flaw {
        /// These cells replaced by text their columns refuse.
        Cells(Vec<(&'static str, String)>),
        /// One field too many (`true`) or too few.
        Length(bool),
    }

    /// Any text, empty included, that a column holding `accepts` refuses once unguarded.
    fn refused(column: &'static str, accepts: fn(&str) -> bool) -> impl Strategy<Value = Flaw> {
        prop_oneof![any::<String>(), testkit::text()]
            .prop_filter("refused", move |text| !accepts(unguard(text)))
            .prop_map(move |text| Flaw::Cells(vec![(column, text)]))
    }

    fn flaw() -> impl Strategy<Value = Flaw> {
        let cells =
            |cells: &[(&'static str, &str)]| Flaw::Cells(cells.iter().map(|&(c, t)| (c, t.to_string())).collect());
        prop_oneof![
            refused("value", |t| parse_decimal(t).is_ok()),
            refused("period", |t| t.parse::<Period>().is_ok()),
            refused("published", |t| parse_date(t).is_ok()),
            refused("kind", |t| t.parse::<Kind>().is_ok()),
            refused("bound", |t| t.is_empty() || t.parse::<Bound>().is_ok()),
            refused("indicator", |t| check_code("", t).is_ok()),
            "[a-z]{1,12}\\.unknown".prop_map(|code| Flaw::Cells(vec![("indicator", code)])),
            Just(cells(&[("bound", "range"), ("high", "")])),
            Just(cells(&[("bound", "exact"), ("high", "5")])),
            Just(cells(&[("bound", "range"), ("value", "5"), ("high", "5")])),
            any::<bool>().prop_map(Flaw::Length),
        ]
    }

    /// Valid figures under codes the built-in data defines, one vintage day apart so that
    /// no two share a key.
    fn valid_figures() -> impl Strategy<Value = Vec<Figure>> {
        let figure = (testkit::period(), testkit::kind(), testkit::quantity(), prop::option::of(testkit::text()));
        prop::collection::vec(figure, 1..8).prop_map(|rows| {
            let first = chrono::NaiveDate::from_ymd_opt(3000, 1, 1).unwrap();
            rows.into_iter()
                .zip(first.iter_days())
                .map(|((period, kind, quantity, quote), published)| Figure {
                    indicator: "gdp.real.growth".into(),
                    entity: "CN".into(),
                    period,
                    kind,
                    quantity,
                    tolerance: None,
                    source: "ubs".into(),
                    published,
                    document: None,
                    quote,
                    note: None,
                    retraction: None,
                })
                .collect()
        })
    }

    /// The exported rows with row `at` flawed, as a file, and the line each row starts on.
    fn flawed_file(figures: &[Figure], at: usize, flaw: &Flaw) -> (Vec<u8>, Vec<u64>) {
        let exported = testkit::export_values(figures);
        let mut reader = csvio::reader(exported.as_slice());
        let header = reader.headers().unwrap().clone();
        let mut rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let mut fields: Vec<String> = rows[at].iter().map(String::from).collect();
        match flaw {
            Flaw::Cells(cells) => {
                for (column, text) in cells {
                    let i = header.iter().position(|h| h == *column).unwrap();
                    fields[i] = text.clone();
                }
            }
            Flaw::Length(true) => fields.push("extra".into()),
            Flaw::Length(false) => drop(fields.pop()),
        }
        rows[at] = csv::StringRecord::from(fields);
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        writer.write_record(&header).unwrap();
        let mut starts = Vec::new();
        for row in &rows {
            writer.flush().unwrap();
            let newlines = writer.get_ref().iter().filter(|&&b| b == b'\n').count();
            starts.push(newlines as u64 + 1);
            writer.write_record(row).unwrap();
        }
        (writer.into_inner().unwrap(), starts)
    }

    /// An in-memory database holding the built-in data, and a runtime to drive it.
    fn builtin_store() -> (tokio::runtime::Runtime, Store) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let store = runtime.block_on(async {
            let (store, created) = Store::open("sqlite::memory:").await.unwrap();
            let options = Options { replace: true, dry_run: false, clear_empty: true };
            import_into(created.unwrap(), builtin::inputs(), options, &mut Progress::hidden()).await.unwrap();
            store
        });
        (runtime, store)
    }

    /// A values file of `rows` good rows (one per year from 2000), row `i` replaced by
    /// `bad(i)` where it says so. Row `i` is on line `i + 2`.
    fn values_file(rows: usize, bad: impl Fn(usize) -> Option<&'static str>) -> String {
        let mut text = String::from("indicator,entity,period,kind,value,source,published\n");
        for i in 0..rows {
            match bad(i) {
                Some(row) => text.push_str(row),
                None => text.push_str(&format!("gdp.real.growth,CN,{},forecast,4.5,ubs,2024-01-01", 2000 + i)),
            }
            text.push('\n');
        }
        text
    }

    fn input(name: &str, data: impl Read + Send + 'static) -> Input {
        Input { name: name.to_string(), data: Box::new(data), size: None }
    }

    /// Values files are checked a chunk ahead on another thread: the problems of every
    /// chunk still come back, each by its line, in file order.
    #[test]
    fn problems_in_every_chunk_are_reported_in_line_order() {
        let (runtime, store) = builtin_store();
        let before = runtime.block_on(count_figures(&store));
        let bad = |i: usize| match i {
            1 | 1499 => Some("gdp.real.growth,CN,2024,forecast,4.5.0,ubs,2024-01-01"),
            CHECKED_CHUNK => Some("gdp.real.growth,CN,2024,forecast,4.5,ubs"),
            3398 => Some("gdp.real.growth,CN,2024,guess,4.5,ubs,2024-01-01"),
            _ => None,
        };
        let file = values_file(3500, bad);
        let result = runtime.block_on(import(
            &store,
            vec![input("v.csv", std::io::Cursor::new(file))],
            Options::default(),
            &mut Progress::hidden(),
        ));
        let err = result.unwrap_err();
        let rejected = err.downcast_ref::<Rejected>().unwrap_or_else(|| panic!("not a rejection: {err:#}"));
        let lines: Vec<Option<u64>> = rejected.problems.iter().map(|p| p.line).collect();
        let chunk_edge = CHECKED_CHUNK as u64 + 2;
        assert_eq!(lines, [3, chunk_edge, 1501, 3400].map(Some), "{err}");
        assert_eq!(runtime.block_on(count_figures(&store)), before);
    }

    /// Yields `data`, then fails as a disk or network file can.
    struct FailsAfter(std::io::Cursor<String>);

    impl Read for FailsAfter {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match self.0.read(buf)? {
                0 => Err(std::io::Error::other("device went away")),
                n => Ok(n),
            }
        }
    }

    /// A file that stops being readable part-way is an error naming it, not a short import.
    #[test]
    fn a_file_that_fails_part_way_is_an_error_and_nothing_lands() {
        let (runtime, store) = builtin_store();
        let before = runtime.block_on(count_figures(&store));
        let file = FailsAfter(std::io::Cursor::new(values_file(2500, |_| None)));
        let result =
            runtime.block_on(import(&store, vec![input("v.csv", file)], Options::default(), &mut Progress::hidden()));
        let err = format!("{:#}", result.unwrap_err());
        assert!(err.contains("reading v.csv") && err.contains("device went away"), "{err}");
        assert_eq!(runtime.block_on(count_figures(&store)), before);
    }

    async fn count_figures(store: &Store) -> u64 {
        store.count_figures(&FigureFilter::default()).await.unwrap()
    }

    /// Whatever is wrong with a row, and wherever the row is (multi-line quotes above it
    /// included), the import is refused with one problem naming the row's first line, and
    /// none of the good rows around it land.
    #[test]
    fn a_malformed_row_is_refused_by_its_line_and_nothing_lands() {
        let (runtime, store) = builtin_store();
        let before = runtime.block_on(count_figures(&store));
        let cases = (valid_figures(), any::<prop::sample::Index>(), flaw());
        let mut runner = TestRunner::new(Config { cases: 200, ..Config::default() });
        let outcome = runner.run(&cases, |(figures, at, flaw)| {
            let at = at.index(figures.len());
            let (bytes, starts) = flawed_file(&figures, at, &flaw);
            let input = input("flawed.csv", std::io::Cursor::new(bytes));
            let result = runtime.block_on(import(&store, vec![input], Options::default(), &mut Progress::hidden()));
            let err = result.err().ok_or_else(|| TestCaseError::fail("the flawed file was accepted"))?;
            let rejected = err
                .downcast_ref::<Rejected>()
                .ok_or_else(|| TestCaseError::fail(format!("not a rejection: {err:#}")))?;
            prop_assert_eq!(rejected.total, 1, "{}", err);
            let expected = format!("flawed.csv:{}: ", starts[at]);
            prop_assert!(err.to_string().starts_with(&expected), "{} in {}", expected, err);
            prop_assert_eq!(runtime.block_on(count_figures(&store)), before);
            Ok(())
        });
        if let Err(failure) = outcome {
            panic!("{failure}");
        }
    }
}
