//! Finding what to import: files and folders named on the command line, and each CSV
//! file opened, its header read and its kind told, ready to be read row by row.

use super::report::Problem;
use crate::io::csvio::{self, Columns, FileKind};
use anyhow::{Context, Result};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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

pub(super) struct OpenFile {
    pub(super) name: Arc<str>,
    header: Vec<String>,
    pub(super) kind: FileKind,
    pub(super) columns: Columns,
    reader: csv::Reader<csvio::LineStarts<Box<dyn Read + Send>>>,
    /// Set after a record too long to read: the rest of the file is not read.
    stopped: bool,
}

/// What reading the next row of a file found.
pub(super) enum NextRow {
    /// A row of the header's width, at this line.
    Record(u64),
    /// A row that cannot be read as one, at this line, and why.
    Bad(u64, String),
    End,
}

impl OpenFile {
    /// Reads the next row into `record`. A malformed row is [`NextRow::Bad`]; only a failure
    /// to read the file at all is an error.
    pub(super) fn next_row(&mut self, record: &mut csv::StringRecord) -> Result<NextRow> {
        if self.stopped {
            return Ok(NextRow::End);
        }
        let before = self.reader.position().clone();
        match self.reader.read_record(record) {
            Ok(false) => return Ok(NextRow::End),
            Ok(true) => {}
            Err(err) => {
                if let Some(too_long) = csvio::record_too_long(&err) {
                    self.stopped = true;
                    return Ok(NextRow::Bad(too_long.line, too_long.to_string()));
                }
                if matches!(err.kind(), csv::ErrorKind::Io(_)) {
                    return Err(anyhow::Error::new(err).context(format!("reading {}", self.name)));
                }
                let line = csvio::record_line(&mut self.reader, err.position().unwrap_or(&before));
                // A row that ran on to the end of the file: its field count says nothing.
                let message = self.unclosed_quote().unwrap_or_else(|| csv_error_message(&err));
                return Ok(NextRow::Bad(line, message));
            }
        }
        let line = csvio::record_line(&mut self.reader, record.position().unwrap_or(&before));
        // A quote never closed swallows the rows after it into one cell: refused, not read.
        if let Some(message) = self.unclosed_quote() {
            return Ok(NextRow::Bad(line, message));
        }
        if self.reader.position().byte() - before.byte() > csvio::MAX_RECORD_BYTES {
            self.stopped = true;
            return Ok(NextRow::Bad(line, csvio::RecordTooLong { line }.to_string()));
        }
        Ok(match csvio::check_cells(&self.header, record) {
            Ok(()) => NextRow::Record(line),
            Err(message) => NextRow::Bad(line, message),
        })
    }
}

impl OpenFile {
    /// The problem of a file that ended inside a quoted cell, once it has; the file is read
    /// no further.
    fn unclosed_quote(&mut self) -> Option<String> {
        let opened = self.reader.get_ref().unclosed_quote()?;
        self.stopped = true;
        Some(format!("a quote opened on line {opened} is never closed: the rest of the file would be one cell"))
    }
}

pub(super) fn open_file(input: Input) -> Result<OpenFile, Problem> {
    let problem = |line, message: String| Problem { file: input.name.clone(), line, message };
    let mut reader = csvio::bounded_reader(input.data);
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(err) => match csvio::record_too_long(&err) {
            Some(too_long) => return Err(problem(Some(too_long.line), too_long.to_string())),
            None => return Err(problem(Some(1), csv_error_message(&err))),
        },
    };
    // The header is line 1 unless blank lines come first.
    let line = Some(header.position().map_or(1, |p| csvio::record_line(&mut reader, p)));
    csvio::check_cells(&[], &header).map_err(|m| problem(line, m))?;
    let header: Vec<String> = header.iter().map(str::to_string).collect();
    if header.iter().all(String::is_empty) {
        return Err(problem(Some(1), "empty file: expected a header row".to_string()));
    }
    let kind = FileKind::from_header(&header).map_err(|m| problem(line, m))?;
    let columns = Columns::new(kind, &header).map_err(|m| problem(line, m))?;
    Ok(OpenFile { name: input.name.into(), header, kind, columns, reader, stopped: false })
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
