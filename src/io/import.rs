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

use crate::domain::model::{Cleared, CodeKind, Document, Entity, Figure, Indicator, Retraction, Source};
use crate::domain::period::{Period, date_to_int, int_to_date};
use crate::domain::plausible::{self, Doubt};
use crate::domain::query::{Dim, Put};
use crate::domain::unit::Unit;
use crate::domain::value::{Bound, Kind, Quantity};
use crate::io::csvio::{self, Columns, FileKind};
use crate::io::formats::{self, Flags};
use crate::io::output::Cell;
use crate::io::progress::Progress;
use crate::io::runs::{Record, RunSorter};
use crate::store::{Batch, FigureIds, MAX_BATCH, Store, TableKey};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::mpsc;

/// At most this many problems are kept for the report (the first by file and line); the
/// rest are counted.
const MAX_REPORTED: usize = 1000;

/// At most this many warnings are listed one by one; the rest are counted.
pub const MAX_WARNINGS_SHOWN: usize = 20;

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
    /// Rows stored although they look wrong (see `plausible`), the first
    /// [`MAX_WARNINGS_SHOWN`] by file and line.
    pub warnings: Vec<Problem>,
    /// How many rows were warned about in all.
    pub total_warnings: usize,
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

/// Where checked figures go. While they come in the figures table's key order they are
/// written a batch at a time as they come; from the first batch that is out of order on,
/// they go through a [`RunSorter`] and are written, sorted, once every file is read. A
/// figure written out of key order lands on a random page of the table's B-tree, which a
/// bounded page cache must read and write back for each row (see ARCHITECTURE.md, "Import
/// order").
enum Order {
    Direct { last: Option<TableKey> },
    Sorting(RunSorter<Pending>),
}

/// Figures held in memory per sorted run: about 400 bytes each, so 16 MB.
const SORT_RUN_ROWS: usize = 40_000;

struct Pending {
    /// Index into `Run::files`.
    file: u32,
    line: u64,
    ids: FigureIds,
    figure: Figure,
}

impl Pending {
    fn table_key(&self) -> TableKey {
        self.ids.table_key(&self.figure)
    }
}

/// A queued figure as the sorter writes it to its temporary file and reads it back within
/// the same import: fixed-width little-endian integers, decimals as their 16 bytes,
/// text length-prefixed. Nothing outside this import ever reads it.
impl Record for Pending {
    type Key = (TableKey, u32, u64);

    fn key(&self) -> Self::Key {
        (self.table_key(), self.file, self.line)
    }

    fn encode(&self, out: &mut Vec<u8>) {
        let f = &self.figure;
        out.extend(self.file.to_le_bytes());
        out.extend(self.line.to_le_bytes());
        let (ids, document) = self.ids.parts();
        ids.iter().for_each(|id| out.extend(id.to_le_bytes()));
        put_option(out, document.as_ref(), |out, id| out.extend(id.to_le_bytes()));
        for text in [&f.indicator, &f.entity, &f.source] {
            put_text(out, text);
        }
        out.extend(f.period.key().to_le_bytes());
        out.push(Kind::ALL.iter().position(|k| *k == f.kind).unwrap_or(0) as u8);
        out.extend(f.quantity.value().serialize());
        out.push(Bound::ALL.iter().position(|b| *b == f.quantity.bound()).unwrap_or(0) as u8);
        put_option(out, f.quantity.high().as_ref(), |out, d| out.extend(d.serialize()));
        put_option(out, f.tolerance.as_ref(), |out, d| out.extend(d.serialize()));
        out.extend(date_to_int(f.published).to_le_bytes());
        for text in [&f.document, &f.quote, &f.note] {
            put_option(out, text.as_ref(), |out, t| put_text(out, t));
        }
        put_option(out, f.retraction.as_ref(), |out, r| {
            out.extend(date_to_int(r.on).to_le_bytes());
            put_option(out, r.note.as_ref(), |out, t| put_text(out, t));
        });
    }

    fn decode(input: &mut impl Read) -> std::io::Result<Pending> {
        let file = u32::from_le_bytes(take(input)?);
        let line = u64::from_le_bytes(take(input)?);
        let ids = [get_i64(input)?, get_i64(input)?, get_i64(input)?];
        let document_id = get_option(input, get_i64)?;
        let (indicator, entity, source) = (get_text(input)?, get_text(input)?, get_text(input)?);
        let period = Period::from_key(get_i64(input)?).ok_or_else(|| corrupt("period"))?;
        let kind = *Kind::ALL.get(usize::from(take::<1>(input)?[0])).ok_or_else(|| corrupt("kind"))?;
        let value = Decimal::deserialize(take(input)?);
        let bound = *Bound::ALL.get(usize::from(take::<1>(input)?[0])).ok_or_else(|| corrupt("bound"))?;
        let high = get_option(input, |input| Ok(Decimal::deserialize(take(input)?)))?;
        let tolerance = get_option(input, |input| Ok(Decimal::deserialize(take(input)?)))?;
        let published = get_date(input)?;
        let document = get_option(input, get_text)?;
        let quote = get_option(input, get_text)?;
        let note = get_option(input, get_text)?;
        let retraction =
            get_option(input, |input| Ok(Retraction { on: get_date(input)?, note: get_option(input, get_text)? }))?;
        let figure = Figure {
            indicator,
            entity,
            period,
            kind,
            quantity: Quantity::new(value, bound, high).map_err(|_| corrupt("quantity"))?,
            tolerance,
            source,
            published,
            document,
            quote,
            note,
            retraction,
        };
        Ok(Pending { file, line, ids: FigureIds::from_parts(ids, document_id), figure })
    }
}

fn corrupt(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, format!("sorted figures: bad {what} read back"))
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    out.extend((text.len() as u64).to_le_bytes());
    out.extend(text.as_bytes());
}

fn put_option<T>(out: &mut Vec<u8>, value: Option<&T>, put: impl FnOnce(&mut Vec<u8>, &T)) {
    match value {
        Some(value) => {
            out.push(1);
            put(out, value);
        }
        None => out.push(0),
    }
}

fn take<const N: usize>(input: &mut impl Read) -> std::io::Result<[u8; N]> {
    let mut bytes = [0; N];
    input.read_exact(&mut bytes)?;
    Ok(bytes)
}

fn get_i64(input: &mut impl Read) -> std::io::Result<i64> {
    Ok(i64::from_le_bytes(take(input)?))
}

fn get_date(input: &mut impl Read) -> std::io::Result<chrono::NaiveDate> {
    int_to_date(get_i64(input)?).ok_or_else(|| corrupt("date"))
}

fn get_text(input: &mut impl Read) -> std::io::Result<String> {
    let len = usize::try_from(u64::from_le_bytes(take(input)?)).map_err(|_| corrupt("length"))?;
    let mut bytes = vec![0; len];
    input.read_exact(&mut bytes)?;
    String::from_utf8(bytes).map_err(|_| corrupt("text"))
}

fn get_option<R: Read, T>(input: &mut R, get: impl FnOnce(&mut R) -> std::io::Result<T>) -> std::io::Result<Option<T>> {
    match take::<1>(input)?[0] {
        0 => Ok(None),
        1 => get(input).map(Some),
        _ => Err(corrupt("option")),
    }
}

struct OpenFile {
    name: Arc<str>,
    header: Vec<String>,
    kind: FileKind,
    columns: Columns,
    reader: csv::Reader<csvio::LineStarts<Box<dyn Read + Send>>>,
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
        let before = self.reader.position().clone();
        match self.reader.read_record(record) {
            Ok(false) => return Ok(NextRow::End),
            Ok(true) => {}
            Err(err) => {
                if matches!(err.kind(), csv::ErrorKind::Io(_)) {
                    return Err(anyhow::Error::new(err).context(format!("reading {}", self.name)));
                }
                let line = csvio::record_line(&mut self.reader, err.position().unwrap_or(&before));
                return Ok(NextRow::Bad(line, csv_error_message(&err)));
            }
        }
        let line = csvio::record_line(&mut self.reader, record.position().unwrap_or(&before));
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

/// Cuts the sorted figures into batches of at most [`MAX_BATCH`], each of files that clear
/// the same fields, and sends them on; runs on its own thread, and stops when the receiver
/// is gone (the import failed) or a run cannot be read back (sent on as the last item).
fn merge_batches(
    sorted: crate::io::runs::Sorted<Pending>,
    cleared: &[Cleared],
    batches: mpsc::Sender<std::io::Result<Vec<Pending>>>,
) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    for figure in sorted {
        let figure = match figure {
            Ok(figure) => figure,
            Err(err) => {
                let _ = batches.blocking_send(Err(err));
                return;
            }
        };
        let clears = |p: &Pending| cleared[p.file as usize];
        if batch.len() == MAX_BATCH || batch.first().is_some_and(|first| clears(first) != clears(&figure)) {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(MAX_BATCH));
            if batches.blocking_send(Ok(full)).is_err() {
                return;
            }
        }
        batch.push(figure);
    }
    if !batch.is_empty() {
        let _ = batches.blocking_send(Ok(batch));
    }
}

/// Imports `inputs` in one transaction, dimension files first.
#[cfg(test)]
pub async fn import(
    store: &mut impl Store,
    inputs: Vec<Input>,
    options: Options,
    progress: &mut Progress,
) -> Result<Summary> {
    import_into(store.begin().await?, inputs, options, progress).await
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
    import_files(store.begin().await?, inputs, options, flags, progress).await
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

async fn import_files(
    batch: impl Batch,
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
        pending: Vec::with_capacity(MAX_BATCH),
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

fn open_file(input: Input) -> Result<OpenFile, Problem> {
    let problem = |line, message: String| Problem { file: input.name.clone(), line, message };
    let mut reader = csvio::reader(input.data);
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(err) => return Err(problem(Some(1), csv_error_message(&err))),
    };
    // The header is line 1 unless blank lines come first.
    let line = Some(header.position().map_or(1, |p| csvio::record_line(&mut reader, p)));
    csvio::check_cell_sizes(&[], &header).map_err(|m| problem(line, m))?;
    let header: Vec<String> = header.iter().map(str::to_string).collect();
    if header.iter().all(String::is_empty) {
        return Err(problem(Some(1), "empty file: expected a header row".to_string()));
    }
    let kind = FileKind::from_header(&header).map_err(|m| problem(line, m))?;
    let columns = Columns::new(kind, &header).map_err(|m| problem(line, m))?;
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

impl<B: Batch> Run<'_, B> {
    /// Reads a file in an agency's format on a thread of its own (`formats::glue::read`),
    /// writing what it finds as it comes: dimension records unless their codes exist,
    /// figures through the same batches as a values file.
    async fn foreign_file(&mut self, file: formats::glue::ForeignFile, flags: &Flags) -> Result<()> {
        let name: Arc<str> = file.name.clone().into();
        let (sender, mut chunks) = mpsc::channel(CHUNKS_AHEAD);
        let flags = flags.clone();
        self.sort_allowed = false;
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
        self.sort_allowed = true;
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
        let retraction = crate::domain::model::Retraction { on, note: Some(format!("SDMX ACTION D in {file}")) };
        Ok(match self.batch.retract(figure, &retraction).await? {
            crate::domain::query::Retracted::Now(_) => {
                self.summary.retracted += 1;
                None
            }
            crate::domain::query::Retracted::Already(_) => {
                self.summary.already_retracted += 1;
                None
            }
            crate::domain::query::Retracted::NotStored => Some(format!(
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
                let file = self.file_index(&file)?;
                match self.put_figure(file, line, figure).await? {
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

    /// Writes the figures of a values file as [`check_values`], on its own thread, reads and
    /// checks them.
    async fn values_file(&mut self, file: OpenFile) -> Result<()> {
        let name = Arc::clone(&file.name);
        let clear = |column| self.options.clear_empty && file.columns.has(column);
        let cleared = Cleared {
            tolerance: clear("tolerance"),
            document: clear("document"),
            quote: clear("quote"),
            note: clear("note"),
        };
        let index = u32::try_from(self.files.len()).context("too many files")?;
        self.files.push((Arc::clone(&name), cleared, self.file_seq));
        let (sender, mut chunks) = mpsc::channel(CHUNKS_AHEAD);
        let checker = std::thread::Builder::new()
            .name("check values".to_string())
            .spawn(move || check_values(file, sender))
            .context("cannot start a thread to read the values")?;
        while let Some(chunk) = chunks.recv().await {
            for (line, checked) in chunk? {
                let outcome = match checked {
                    Ok(figure) => self.put_figure(index, line, figure).await?,
                    Err(message) => Err(message),
                };
                if let Err(message) = outcome {
                    self.report(Problem { file: name.to_string(), line: Some(line), message });
                }
            }
        }
        checker.join().map_err(|_| anyhow::anyhow!("the thread reading {name} failed"))?;
        self.queue_batch().await
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
        if let Err(err) = CodeKind::SourceSlug.check_new(&source.slug, self.batch.knows(Dim::Source, &source.slug)) {
            return Ok(Err(err.to_string()));
        }
        let put = self.batch.put_source(source, replace).await?;
        self.count(FileKind::Sources, &put);
        Ok(dimension_outcome(FileKind::Sources, &source.slug, put, source, csvio::source_cells))
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
        Ok(dimension_outcome(FileKind::Indicators, &indicator.code, put, indicator, csvio::indicator_cells))
    }

    async fn put_entity(&mut self, entity: &Entity, replace: bool) -> Result<Result<(), String>> {
        if let Err(err) = CodeKind::EntityCode.check_new(&entity.code, self.batch.knows(Dim::Entity, &entity.code)) {
            return Ok(Err(err.to_string()));
        }
        let put = self.batch.put_entity(entity, replace).await?;
        self.count(FileKind::Entities, &put);
        Ok(dimension_outcome(FileKind::Entities, &entity.code, put, entity, csvio::entity_cells))
    }

    async fn put_document(&mut self, document: &Document, replace: bool) -> Result<Result<(), String>> {
        let put = self.batch.put_document(document, replace).await?;
        self.count(FileKind::Documents, &put);
        Ok(dimension_outcome(FileKind::Documents, &document.code, put, document, csvio::document_cells))
    }

    /// Queues a figure for the next batched write; a row whose codes are unknown is a
    /// problem at once.
    async fn put_figure(&mut self, file: u32, line: u64, figure: Figure) -> Result<Result<(), String>> {
        let ids = match self.batch.resolve(&figure) {
            Ok(ids) => ids,
            Err(unknown) => return Ok(Err(unknown.to_string())),
        };
        let pending = Pending { file, line, ids, figure };
        if let Order::Sorting(sorter) = &mut self.order {
            sorter.push(pending).context("cannot write sorted figures to a temporary file")?;
            return Ok(Ok(()));
        }
        self.pending.push(pending);
        if self.pending.len() == MAX_BATCH {
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

    /// Writes the queued figures if they continue the key order of those written so far;
    /// else they, and every figure after them, go to the sorter.
    async fn queue_batch(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        if !self.sort_allowed {
            return self.write(pending).await;
        }
        let (Some(first), Some(end)) = (pending.first(), pending.last()) else { return Ok(()) };
        match &mut self.order {
            Order::Direct { last } => {
                let ascending = pending.windows(2).all(|w| w[0].table_key() < w[1].table_key());
                if ascending && last.is_none_or(|last| last < first.table_key()) {
                    *last = Some(end.table_key());
                    return self.write(pending).await;
                }
                let mut sorter = RunSorter::new(SORT_RUN_ROWS);
                for figure in pending {
                    sorter.push(figure).context("cannot write sorted figures to a temporary file")?;
                }
                self.order = Order::Sorting(sorter);
            }
            Order::Sorting(sorter) => {
                for figure in pending {
                    sorter.push(figure).context("cannot write sorted figures to a temporary file")?;
                }
            }
        }
        Ok(())
    }

    /// Writes what the sorter holds, in key order, a batch at a time; a batch holds figures
    /// of files that clear the same fields.
    async fn write_sorted(&mut self) -> Result<()> {
        let Order::Sorting(sorter) = std::mem::replace(&mut self.order, Order::Direct { last: None }) else {
            return Ok(());
        };
        // The merge (reading runs back and decoding them) runs on a thread of its own, a
        // batch or two ahead of the writer, as the checker thread does for reading.
        let sorted = sorter.into_sorted().context("cannot read sorted figures back")?;
        let cleared: Vec<Cleared> = self.files.iter().map(|(_, cleared, _)| *cleared).collect();
        let (sender, mut batches) = mpsc::channel(CHUNKS_AHEAD);
        let merger = std::thread::Builder::new()
            .name("merge sorted".to_string())
            .spawn(move || merge_batches(sorted, &cleared, sender))
            .context("cannot start a thread to merge the sorted figures")?;
        while let Some(batch) = batches.recv().await {
            self.write(batch.context("cannot read sorted figures back")?).await?;
        }
        merger.join().map_err(|_| anyhow::anyhow!("the thread merging sorted figures failed"))?;
        Ok(())
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

fn dimension_outcome<T>(
    kind: FileKind,
    code: &str,
    put: Put<T>,
    given: &T,
    cells: fn(&T) -> Vec<Cell<'_>>,
) -> Result<(), String> {
    match put {
        Put::Conflict { existing } => Err(dimension_conflict(kind, code, &cells(&existing), &cells(given))),
        _ => Ok(()),
    }
}

/// The message for a definition that differs from the stored one, naming each field.
pub fn dimension_conflict(kind: FileKind, code: &str, stored: &[Cell], given: &[Cell]) -> String {
    format!(
        "{} \"{code}\" is already defined differently: {}; use --replace to overwrite it",
        kind.noun(),
        csvio::differences(kind, stored, given)
    )
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
    use crate::domain::model::check_code;
    use crate::domain::period::{Period, parse_date};
    use crate::domain::query::FigureFilter;
    use crate::domain::value::{Bound, Kind, parse_decimal};
    use crate::io::builtin;
    use crate::io::formula::unguard;
    use crate::store::TestStore;
    use crate::testkit;
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
                    // An actual cannot be published before its period begins.
                    kind: if kind == Kind::Actual && published < period.start() { Kind::Estimate } else { kind },
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

    /// The exported rows with row `at` flawed, as a file with CRLF or LF line ends, and the
    /// line each row starts on.
    fn flawed_file(figures: &[Figure], at: usize, flaw: &Flaw, crlf: bool) -> (Vec<u8>, Vec<u64>) {
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
        let terminator = if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
        let mut writer = csv::WriterBuilder::new().flexible(true).terminator(terminator).from_writer(Vec::new());
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
    fn builtin_store() -> (tokio::runtime::Runtime, TestStore) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let store = runtime.block_on(async {
            let mut store = TestStore::open("sqlite::memory:").await.unwrap();
            let options = Options { replace: true, dry_run: false, clear_empty: true };
            import_into(store.begin().await.unwrap(), builtin::inputs(), options, &mut Progress::hidden())
                .await
                .unwrap();
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
        let (runtime, mut store) = builtin_store();
        let before = runtime.block_on(count_figures(&store));
        let bad = |i: usize| match i {
            1 | 1499 => Some("gdp.real.growth,CN,2024,forecast,4.5.0,ubs,2024-01-01"),
            CHECKED_CHUNK => Some("gdp.real.growth,CN,2024,forecast,4.5,ubs"),
            3398 => Some("gdp.real.growth,CN,2024,guess,4.5,ubs,2024-01-01"),
            _ => None,
        };
        let file = values_file(3500, bad);
        let result = runtime.block_on(import(
            &mut store,
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
        let (runtime, mut store) = builtin_store();
        let before = runtime.block_on(count_figures(&store));
        let file = FailsAfter(std::io::Cursor::new(values_file(2500, |_| None)));
        let result = runtime.block_on(import(
            &mut store,
            vec![input("v.csv", file)],
            Options::default(),
            &mut Progress::hidden(),
        ));
        let err = format!("{:#}", result.unwrap_err());
        assert!(err.contains("reading v.csv") && err.contains("device went away"), "{err}");
        assert_eq!(runtime.block_on(count_figures(&store)), before);
    }

    async fn count_figures(store: &impl Store) -> u64 {
        store.count_figures(&FigureFilter::default()).await.unwrap()
    }

    /// Whatever is wrong with a row, and wherever the row is (multi-line quotes above it
    /// included), in a file with CRLF or LF line ends, the import is refused with one
    /// problem naming the row's first line, and none of the good rows around it land.
    #[test]
    fn a_malformed_row_is_refused_by_its_line_and_nothing_lands() {
        let (runtime, store) = builtin_store();
        let before = runtime.block_on(count_figures(&store));
        // The runner's closure is `Fn`; each case has the store to itself in turn.
        let store = std::cell::RefCell::new(store);
        let cases = (valid_figures(), any::<prop::sample::Index>(), flaw(), any::<bool>());
        let mut runner = TestRunner::new(Config { cases: 200, ..Config::default() });
        let outcome = runner.run(&cases, |(figures, at, flaw, crlf)| {
            let at = at.index(figures.len());
            let (bytes, starts) = flawed_file(&figures, at, &flaw, crlf);
            let input = input("flawed.csv", std::io::Cursor::new(bytes));
            let result = runtime.block_on(import(
                &mut *store.borrow_mut(),
                vec![input],
                Options::default(),
                &mut Progress::hidden(),
            ));
            let err = result.err().ok_or_else(|| TestCaseError::fail("the flawed file was accepted"))?;
            let rejected = err
                .downcast_ref::<Rejected>()
                .ok_or_else(|| TestCaseError::fail(format!("not a rejection: {err:#}")))?;
            prop_assert_eq!(rejected.total, 1, "{}", err);
            let expected = format!("flawed.csv:{}: ", starts[at]);
            prop_assert!(err.to_string().starts_with(&expected), "{} in {}", expected, err);
            prop_assert_eq!(runtime.block_on(count_figures(&*store.borrow())), before);
            Ok(())
        });
        if let Err(failure) = outcome {
            panic!("{failure}");
        }
    }
}
