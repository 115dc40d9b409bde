//! The CSV files econtrack reads and writes: which columns each kind of file has, how a
//! row becomes a validated record, and how a record becomes a row again.
//!
//! Each dimension file's columns are declared once, in its [`Table`]: the header import
//! requires, the record it reads, the row export and the listings write, all follow that
//! one list, so `export` output is always importable and lands in the fields it came from.
//! A file's kind is told by its header row, whatever the file is called.

use crate::domain::model::{self, CodeKind, Document, Entity, Figure, Indicator, Retraction, Source};
use crate::domain::period::{Period, parse_date};
use crate::domain::plausible;
use crate::domain::release::{Release, parse_importance, parse_time};
use crate::domain::unit::Unit;
use crate::domain::value::{Bound, Kind, Quantity, check_tolerance, parse_decimal};
use crate::io::formula;
use crate::io::output::Cell;
use compact_str::CompactString;
use rustc_hash::FxHashMap;
use std::fmt;

/// The most bytes one cell may hold, as written in the file. Far above any real quote or
/// note, it stops a runaway cell (a missing closing quote swallows the rest of the file)
/// with a clear message, and `add` keeps to it too, so that whatever is stored exports to
/// a file that imports again.
pub const MAX_CELL_BYTES: usize = 64 * 1024;

fn cell_too_long(column: &str, len: usize) -> String {
    format!("{column} is {len} bytes; a cell holds at most {MAX_CELL_BYTES} bytes (64 KiB)")
}

fn holds_nul(column: &str) -> String {
    format!("{column} holds a NUL byte, which no text may hold (PostgreSQL refuses it); remove it")
}

/// Refuses a row with a cell over [`MAX_CELL_BYTES`] or holding a NUL byte, before anything
/// reads it, naming the cell by its column in `header` (pass none for the header row
/// itself). A NUL is refused on every backend, so that a database copies to any other.
pub fn check_cells(header: &[String], row: &csv::StringRecord) -> Result<(), String> {
    let column = |i: usize| header.get(i).map_or_else(|| format!("field {}", i + 1), |name| format!("column {name}"));
    for (i, cell) in row.iter().enumerate() {
        if cell.len() > MAX_CELL_BYTES {
            return Err(cell_too_long(&column(i), cell.len()));
        }
        if cell.contains('\0') {
            return Err(holds_nul(&column(i)));
        }
    }
    Ok(())
}

/// Checks that a record's cells, as export would write them, fit in a cell import reads.
pub fn check_exportable(kind: FileKind, cells: &[Cell]) -> Result<(), String> {
    for (column, cell) in kind.columns().into_iter().zip(cells) {
        if let Cell::Text(text) = cell {
            let len = formula::guard(text).len();
            if len > MAX_CELL_BYTES {
                return Err(cell_too_long(column, len));
            }
            if text.contains('\0') {
                return Err(holds_nul(column));
            }
        }
    }
    Ok(())
}

/// The most bytes one record (a row, with the line breaks of its quoted cells) of econtrack's
/// own CSV may hold: twice the room every column of a values file at [`MAX_CELL_BYTES`] takes. A longer
/// record (an endless stream, a file of NUL bytes, a quote never closed) stops the read of
/// its file at the line it starts on, before it fills memory.
pub const MAX_RECORD_BYTES: u64 = 2 * 1024 * 1024;

/// The csv reader's own buffer: how far it may have read past the record it returns.
const CSV_BUFFER_BYTES: usize = 8 * 1024;

/// A reader for every CSV econtrack imports: RFC 4180 with a header row. The csv crate
/// drops a leading UTF-8 BOM, takes CRLF or LF, and skips blank lines; [`record_line`]
/// tells the line each record starts on.
pub fn reader<R: std::io::Read>(data: R) -> csv::Reader<LineStarts<R>> {
    csv::ReaderBuilder::new().has_headers(true).buffer_capacity(CSV_BUFFER_BYTES).from_reader(LineStarts::new(data))
}

/// [`reader`] for a stream of unknown length (econtrack's own CSV files): a record over
/// [`MAX_RECORD_BYTES`] fails the read with [`RecordTooLong`] as it arrives (see
/// [`record_too_long`]), so memory stays bounded whatever the input. Call [`record_line`]
/// after every record: it moves the start the limit counts from.
pub fn bounded_reader<R: std::io::Read>(data: R) -> csv::Reader<LineStarts<R>> {
    let mut reader = reader(data);
    reader.get_mut().limit = Some(MAX_RECORD_BYTES + CSV_BUFFER_BYTES as u64);
    reader
}

/// A record over [`MAX_RECORD_BYTES`], at the line it starts on. (A record read whole that
/// ends within the csv reader's buffer past the limit is caught after it is read, with the
/// same message.)
#[derive(Debug, thiserror::Error)]
#[error(
    "a record longer than {MAX_RECORD_BYTES} bytes (2 MiB) starts here: not a CSV file, or a quote opened here is never closed"
)]
pub struct RecordTooLong {
    pub line: u64,
}

/// The record [`bounded_reader`] stopped, if that is what `err` is.
pub fn record_too_long(err: &csv::Error) -> Option<&RecordTooLong> {
    match err.kind() {
        csv::ErrorKind::Io(io) => io.get_ref()?.downcast_ref::<RecordTooLong>(),
        _ => None,
    }
}

/// The line (counted from 1, as editors, `grep -n` and `sed -n` count them) that the
/// record read at `position` starts on.
///
/// The csv crate's own `Position::line` is where the reader stood before the record, not
/// where the record begins: after a CRLF line end it has consumed only the `\r` (which
/// ends the record), so the `\n` and any blank lines are counted with the next record,
/// and a record is reported on the line above its own. Its byte offset is exact, so the
/// line is looked up from that offset instead, in the line starts [`LineStarts`] saw.
/// Call it for records in file order: the starts before `position` are dropped.
pub fn record_line<R: std::io::Read>(reader: &mut csv::Reader<LineStarts<R>>, position: &csv::Position) -> u64 {
    // The next record starts where the reader stands: a bounded reader's limit counts from there.
    let next = reader.position().byte();
    let starts = reader.get_mut();
    starts.next_record_at = starts.next_record_at.max(next);
    starts.line_at(position.byte()).unwrap_or(position.line())
}

/// Passes bytes through to the csv reader, noting where each run of text after a line
/// break starts and on which line: what [`record_line`] needs to turn a record's byte
/// offset into its line. Only starts not yet asked about are kept (a buffer's worth).
pub struct LineStarts<R> {
    inner: R,
    /// (byte offset, line) of each first byte after a line break, oldest first.
    starts: std::collections::VecDeque<(u64, u64)>,
    /// Bytes passed through so far.
    offset: u64,
    /// Line of the next byte: one more than the `\n` seen.
    line: u64,
    /// Whether the previous byte ended a line (`\r` or `\n`), or none has been read.
    after_break: bool,
    /// The most bytes passed on past the start of the record being read ([`bounded_reader`]).
    limit: Option<u64>,
    /// Where the record being read starts (as far as [`record_line`] has been told).
    next_record_at: u64,
    /// Inside a quoted cell: one whose first byte is `"` (as RFC 4180 and the csv crate
    /// read it; a `"` within an unquoted cell is text).
    in_quote: bool,
    /// Inside a quoted cell, the byte before was a `"`: the cell ends, unless this is one too.
    quote_pending: bool,
    /// The byte before ended a cell or a line (or none was read): a `"` here opens a quote.
    at_cell_start: bool,
    /// The line of the `"` that opened the quoted cell last opened.
    quote_opened_on: u64,
    /// Whether the input has ended.
    ended: bool,
}

impl<R> LineStarts<R> {
    fn new(inner: R) -> Self {
        LineStarts {
            inner,
            starts: std::collections::VecDeque::new(),
            offset: 0,
            line: 1,
            after_break: true,
            limit: None,
            next_record_at: 0,
            in_quote: false,
            quote_pending: false,
            at_cell_start: true,
            quote_opened_on: 0,
            ended: false,
        }
    }

    /// Moves the quoting state past `byte` (before `line` counts it).
    fn follow_quotes(&mut self, byte: u8) {
        if self.in_quote {
            if !self.quote_pending {
                self.quote_pending = byte == b'"';
                return;
            }
            self.quote_pending = false;
            if byte == b'"' {
                return; // `""`: a quote in the cell
            }
            self.in_quote = false;
        }
        if byte == b'"' && self.at_cell_start {
            self.in_quote = true;
            self.quote_opened_on = self.line;
            self.at_cell_start = false;
            return;
        }
        self.at_cell_start = matches!(byte, b',' | b'\n' | b'\r');
    }

    /// The line of a quote never closed, once the input has ended inside it: what a short
    /// last row really is.
    pub fn unclosed_quote(&self) -> Option<u64> {
        (self.ended && self.in_quote && !self.quote_pending).then_some(self.quote_opened_on)
    }

    /// The line the record being read starts on.
    fn current_record_line(&self) -> u64 {
        let start = self.starts.iter().find(|&&(start, _)| start >= self.next_record_at);
        start.map_or(self.line, |&(_, line)| line)
    }

    /// The line of the first byte at or after `offset` that is not a line break: where a
    /// record that the csv reader began reading at `offset` starts, since it skips line
    /// breaks (the rest of a CRLF, blank lines) before a record.
    fn line_at(&mut self, offset: u64) -> Option<u64> {
        while self.starts.front().is_some_and(|&(start, _)| start < offset) {
            self.starts.pop_front();
        }
        self.starts.front().map(|&(_, line)| line)
    }
}

impl<R: std::io::Read> std::io::Read for LineStarts<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.ended |= n == 0 && !buf.is_empty();
        for (i, &byte) in buf[..n].iter().enumerate() {
            self.follow_quotes(byte);
            match byte {
                b'\n' => {
                    self.line += 1;
                    self.after_break = true;
                }
                b'\r' => self.after_break = true,
                _ if self.after_break => {
                    self.starts.push_back((self.offset + i as u64, self.line));
                    self.after_break = false;
                }
                _ => {}
            }
        }
        self.offset += n as u64;
        if self.limit.is_some_and(|limit| self.offset - self.next_record_at > limit) {
            let too_long = RecordTooLong { line: self.current_record_line() };
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, too_long));
        }
        Ok(n)
    }
}

/// A values file's columns in export order, [`figure_cells`]'s order: the first
/// [`REQUIRED_VALUE_COLUMNS`] every file must have. A figure's cells are read across
/// columns (a value with its bound and high, a date with the kind and period), so values
/// are not a [`Table`].
const VALUE_COLUMNS: [&str; 15] = [
    "indicator",
    "entity",
    "period",
    "kind",
    "value",
    "source",
    "published",
    "bound",
    "high",
    "tolerance",
    "document",
    "quote",
    "note",
    "retracted",
    "retraction_note",
];
const REQUIRED_VALUE_COLUMNS: usize = 7;

/// The kinds of file, in the order an import applies them (dimensions before values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    Sources,
    Indicators,
    Entities,
    Documents,
    /// The release calendar: after documents (a release names the one it came out in),
    /// before values.
    Releases,
    Values,
}

impl FileKind {
    pub const ALL: [FileKind; 6] = [
        FileKind::Sources,
        FileKind::Indicators,
        FileKind::Entities,
        FileKind::Documents,
        FileKind::Releases,
        FileKind::Values,
    ];

    /// Columns every file of this kind must have, in export order: a dimension's from its
    /// [`Table`].
    pub fn required(self) -> Vec<&'static str> {
        self.names(true)
    }

    /// Columns a file may have, in export order after the required ones.
    pub fn optional(self) -> Vec<&'static str> {
        self.names(false)
    }

    fn names(self, required: bool) -> Vec<&'static str> {
        match self {
            FileKind::Sources => column_names::<Source>(required),
            FileKind::Indicators => column_names::<Indicator>(required),
            FileKind::Entities => column_names::<Entity>(required),
            FileKind::Documents => column_names::<Document>(required),
            FileKind::Releases => column_names::<Release>(required),
            FileKind::Values if required => VALUE_COLUMNS[..REQUIRED_VALUE_COLUMNS].to_vec(),
            FileKind::Values => VALUE_COLUMNS[REQUIRED_VALUE_COLUMNS..].to_vec(),
        }
    }

    /// Every column, in the order export writes them.
    pub fn columns(self) -> Vec<&'static str> {
        let mut columns = self.required();
        columns.extend(self.optional());
        columns
    }

    /// What one record of this kind is called.
    pub fn noun(self) -> &'static str {
        match self {
            FileKind::Sources => "source",
            FileKind::Indicators => "indicator",
            FileKind::Entities => "entity",
            FileKind::Documents => "document",
            FileKind::Releases => "release",
            FileKind::Values => "value",
        }
    }

    /// The file name this kind has in a folder laid out like `data/`.
    pub fn file_name(self) -> &'static str {
        match self {
            FileKind::Sources => "sources.csv",
            FileKind::Indicators => "indicators.csv",
            FileKind::Entities => "entities.csv",
            FileKind::Documents => "documents.csv",
            FileKind::Releases => "releases.csv",
            FileKind::Values => "values.csv",
        }
    }

    /// Tells the kind of a file from its header: the kind whose required columns are all
    /// present and whose known columns cover the header.
    pub fn from_header(header: &[String]) -> Result<FileKind, String> {
        FileKind::matching(header).ok_or_else(|| describe_unknown_header(header))
    }

    /// The kind whose columns `header` has, if any.
    fn matching(header: &[String]) -> Option<FileKind> {
        let has = |name: &str| header.iter().any(|h| h == name);
        // Most specific first: an indicators header also has an entities header's columns.
        let candidates = [
            FileKind::Values,
            FileKind::Releases,
            FileKind::Sources,
            FileKind::Indicators,
            FileKind::Documents,
            FileKind::Entities,
        ];
        candidates.into_iter().find(|kind| {
            kind.required().iter().all(|c| has(c)) && header.iter().all(|h| kind.columns().contains(&h.as_str()))
        })
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_name().trim_end_matches(".csv"))
    }
}

fn describe_unknown_header(header: &[String]) -> String {
    if let Some(diagnosis) = misshapen_header(header) {
        return diagnosis;
    }
    let closest = FileKind::ALL
        .into_iter()
        .max_by_key(|kind| kind.required().iter().filter(|c| header.iter().any(|h| h == *c)).count())
        .unwrap_or(FileKind::Values);
    let missing: Vec<&str> = closest.required().iter().copied().filter(|c| !header.iter().any(|h| h == c)).collect();
    let columns = closest.columns();
    let unknown: Vec<&str> = header.iter().map(String::as_str).filter(|h| !columns.contains(h)).collect();
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("missing column(s) {}", missing.join(", ")));
    }
    if !unknown.is_empty() {
        problems.push(format!("unknown column(s) {}", unknown.join(", ")));
    }
    format!(
        "header looks like a {closest} file but has {}; a {closest} file has columns {}",
        problems.join(" and "),
        columns.join(",")
    )
}

/// Names what is wrong with a header that would be a known one written differently: a
/// file separated by semicolons or tabs, names in capitals, spaces around names. Listing
/// every column as unknown would hide the one thing to fix.
fn misshapen_header(header: &[String]) -> Option<String> {
    if let [only] = header {
        for (separator, what, fix) in [
            (';', "semicolons", "a spreadsheet set to a decimal-comma locale writes these"),
            ('\t', "tabs", "a tab-separated (TSV) file"),
        ] {
            if only.contains(separator) {
                let names: Vec<&str> = only.split(separator).map(str::trim).collect();
                return Some(format!(
                    "the header is separated by {what}, not commas ({fix}): econtrack reads comma-separated CSV (RFC 4180) with '.' as the decimal point; save the file as \"CSV UTF-8 (comma delimited)\", with the header {}",
                    names.join(",")
                ));
            }
        }
    }
    let lowered: Vec<String> = header.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    let kind = FileKind::matching(&lowered)?;
    let capitals = header.iter().any(|h| h.chars().any(|c| c.is_ascii_uppercase()));
    let spaces = header.iter().any(|h| h.trim() != h);
    let what = match (capitals, spaces) {
        (true, true) => "in capitals and have spaces around them",
        (true, false) => "in capitals",
        _ => "have spaces around them",
    };
    Some(format!(
        "the header's column names are {what} ({}); a {kind} file's column names are lowercase, with nothing around them: write the header as {}",
        header.join(","),
        lowered.join(",")
    ))
}

/// Where each named column sits in a file's rows.
#[derive(Debug, Clone)]
pub struct Columns {
    index: FxHashMap<&'static str, usize>,
}

impl Columns {
    /// Checks a header for duplicate and empty names, and maps the columns of `kind`.
    pub fn new(kind: FileKind, header: &[String]) -> Result<Columns, String> {
        let mut index = FxHashMap::default();
        for (i, name) in header.iter().enumerate() {
            let known =
                kind.columns().into_iter().find(|c| c == name).ok_or_else(|| format!("unknown column \"{name}\""))?;
            if index.insert(known, i).is_some() {
                return Err(format!("column \"{name}\" appears twice in the header"));
            }
        }
        Ok(Columns { index })
    }

    /// Whether the file has this column.
    pub fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The text of a column in a row: `None` when the column is absent or the cell empty.
    fn get<'r>(&self, row: &'r csv::StringRecord, name: &str) -> Option<&'r str> {
        let cell = row.get(*self.index.get(name)?)?;
        (!cell.is_empty()).then(|| formula::unguard(cell))
    }
}

/// Reads one row's fields, gathering every problem rather than stopping at the first.
struct Fields<'r> {
    columns: &'r Columns,
    row: &'r csv::StringRecord,
    problems: Vec<String>,
}

impl<'r> Fields<'r> {
    fn new(columns: &'r Columns, row: &'r csv::StringRecord) -> Self {
        Fields { columns, row, problems: Vec::new() }
    }

    /// A cell's text, borrowed from the row: checking and parsing need no copy.
    fn text(&self, name: &str) -> Option<&'r str> {
        self.columns.get(self.row, name)
    }

    fn optional(&self, name: &str) -> Option<String> {
        self.text(name).map(str::to_string)
    }

    /// A cell's text, borrowed from the row; empty, with a problem noted, when it is.
    fn required_text(&mut self, name: &str) -> &'r str {
        let value = self.text(name);
        if value.is_none() {
            self.problems.push(format!("empty {name}"));
        }
        value.unwrap_or_default()
    }

    fn required(&mut self, name: &str) -> String {
        self.required_text(name).to_string()
    }

    /// A code, borrowed from the row: the caller builds the string type its record holds.
    fn code(&mut self, what: &'static str, name: &str) -> &'r str {
        let code = self.required_text(name);
        if !code.is_empty() {
            self.check(model::check_code(what, code));
        }
        code
    }

    /// The code a dimension row defines. One of unsafe shape is refused here by the rule of
    /// its kind; whether a safe one fits the rule is up to the importer, which knows the
    /// codes already stored (they stay usable).
    fn defined_code(&mut self, kind: CodeKind, name: &str) -> String {
        let code = self.required(name);
        if !code.is_empty() && model::check_code("", &code).is_err() {
            self.check(kind.check_new(&code, false));
        }
        code
    }

    /// An indicator's unit. Text of unsafe shape is refused here as not a known unit;
    /// whether safe text is a known unit is up to the importer, since an indicator stored
    /// with an older free-text unit stays usable.
    fn unit(&mut self, name: &str) -> String {
        let unit = self.required(name);
        if !unit.is_empty() && model::check_code("", &unit).is_err() {
            self.check(unit.parse::<Unit>().map(drop));
        }
        unit
    }

    /// An optional code, borrowed from the row as [`Fields::code`] is.
    fn optional_code(&mut self, what: &'static str, name: &str) -> Option<&'r str> {
        let code = self.text(name)?;
        self.check(model::check_code(what, code));
        Some(code)
    }

    fn choice(&mut self, what: &'static str, name: &str, allowed: &'static [&'static str]) -> Option<String> {
        let value = self.optional(name);
        self.check(model::check_choice(what, value.as_deref(), allowed));
        value
    }

    fn parsed<T, E: fmt::Display>(&mut self, name: &str, parse: impl FnOnce(&str) -> Result<T, E>) -> Option<T> {
        let text = self.text(name)?;
        match parse(text) {
            Ok(value) => Some(value),
            Err(err) => {
                self.problems.push(err.to_string());
                None
            }
        }
    }

    fn required_parsed<T, E: fmt::Display>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        if self.text(name).is_none() {
            self.problems.push(format!("empty {name}"));
            return None;
        }
        self.parsed(name, parse)
    }

    fn check<E: fmt::Display>(&mut self, result: Result<(), E>) {
        if let Err(err) = result {
            self.problems.push(err.to_string());
        }
    }

    fn finish<T>(self, record: Option<T>) -> Result<T, String> {
        match record {
            Some(record) if self.problems.is_empty() => Ok(record),
            _ => Err(self.problems.join("; ")),
        }
    }
}

/// One column of a dimension file, declared once: its name, whether every row must fill it,
/// how its cell is read into the record's field and how it is written from it. The header
/// a file of the kind must have, the row `export` and the listings write, the record
/// `import` reads and the message naming a conflict's fields all follow this one list.
pub struct Column<T: 'static> {
    pub name: &'static str,
    pub required: bool,
    /// Reads the cell named `name` into its field, noting any problem in the row's fields.
    read: fn(&mut Fields<'_>, &'static str, &mut T),
    /// The cell written from the field.
    write: for<'a> fn(&'a T) -> Cell<'a>,
}

/// A dimension record and the file that holds it: its columns in export order (the required
/// first) and any check across its fields.
pub trait Table: Default + 'static {
    const KIND: FileKind;
    const COLUMNS: &'static [Column<Self>];

    /// A problem that no one cell shows, checked once every cell is read.
    fn across_fields(&self) -> Option<String> {
        None
    }
}

/// Reads one row of a dimension file into its record, gathering every problem of the row.
pub fn read<T: Table>(columns: &Columns, row: &csv::StringRecord) -> Result<T, String> {
    read_with(T::COLUMNS, columns, row)
}

fn read_with<T: Table>(table: &[Column<T>], columns: &Columns, row: &csv::StringRecord) -> Result<T, String> {
    let mut f = Fields::new(columns, row);
    let mut record = T::default();
    for column in table {
        (column.read)(&mut f, column.name, &mut record);
    }
    if let Some(problem) = record.across_fields() {
        f.problems.push(problem);
    }
    f.finish(Some(record))
}

/// The row a dimension record is written as, one cell per column of its table.
pub fn cells<T: Table>(record: &T) -> Vec<Cell<'_>> {
    cells_with(T::COLUMNS, record)
}

fn cells_with<'a, T: Table>(table: &[Column<T>], record: &'a T) -> Vec<Cell<'a>> {
    table.iter().map(|column| (column.write)(record)).collect()
}

fn column_names<T: Table>(required: bool) -> Vec<&'static str> {
    T::COLUMNS.iter().filter(|c| c.required == required).map(|c| c.name).collect()
}

impl Table for Source {
    const KIND: FileKind = FileKind::Sources;
    const COLUMNS: &'static [Column<Source>] = &[
        Column {
            name: "slug",
            required: true,
            read: |f, n, r| r.slug = f.defined_code(CodeKind::SourceSlug, n),
            write: |r| Cell::text(&r.slug),
        },
        Column { name: "name", required: true, read: |f, n, r| r.name = f.required(n), write: |r| Cell::text(&r.name) },
        Column {
            name: "name_zh",
            required: false,
            read: |f, n, r| r.name_zh = f.optional(n),
            write: |r| Cell::opt_text(r.name_zh.as_deref()),
        },
        Column {
            name: "kind",
            required: false,
            read: |f, n, r| r.kind = f.choice("source kind", n, model::SOURCE_KINDS),
            write: |r| Cell::opt_text(r.kind.as_deref()),
        },
        Column {
            name: "url",
            required: false,
            read: |f, n, r| r.url = f.optional(n),
            write: |r| Cell::opt_text(r.url.as_deref()),
        },
    ];
}

impl Table for Indicator {
    const KIND: FileKind = FileKind::Indicators;
    const COLUMNS: &'static [Column<Indicator>] = &[
        Column {
            name: "code",
            required: true,
            read: |f, n, r| r.code = f.defined_code(CodeKind::IndicatorCode, n),
            write: |r| Cell::text(&r.code),
        },
        Column { name: "name", required: true, read: |f, n, r| r.name = f.required(n), write: |r| Cell::text(&r.name) },
        Column { name: "unit", required: true, read: |f, n, r| r.unit = f.unit(n), write: |r| Cell::text(&r.unit) },
        Column {
            name: "name_zh",
            required: false,
            read: |f, n, r| r.name_zh = f.optional(n),
            write: |r| Cell::opt_text(r.name_zh.as_deref()),
        },
        Column {
            name: "description",
            required: false,
            read: |f, n, r| r.description = f.optional(n),
            write: |r| Cell::opt_text(r.description.as_deref()),
        },
        Column {
            name: "proxy_for",
            required: false,
            read: |f, n, r| r.proxy_for = f.optional_code("indicator code", n).map(String::from),
            write: |r| Cell::opt_text(r.proxy_for.as_deref()),
        },
    ];

    fn across_fields(&self) -> Option<String> {
        (self.proxy_for.as_deref() == Some(self.code.as_str()))
            .then(|| format!("indicator {} cannot be a proxy for itself", self.code))
    }
}

impl Table for Entity {
    const KIND: FileKind = FileKind::Entities;
    const COLUMNS: &'static [Column<Entity>] = &[
        Column {
            name: "code",
            required: true,
            read: |f, n, r| r.code = f.defined_code(CodeKind::EntityCode, n),
            write: |r| Cell::text(&r.code),
        },
        Column { name: "name", required: true, read: |f, n, r| r.name = f.required(n), write: |r| Cell::text(&r.name) },
        Column {
            name: "name_zh",
            required: false,
            read: |f, n, r| r.name_zh = f.optional(n),
            write: |r| Cell::opt_text(r.name_zh.as_deref()),
        },
        Column {
            name: "kind",
            required: false,
            read: |f, n, r| r.kind = f.choice("entity kind", n, model::ENTITY_KINDS),
            write: |r| Cell::opt_text(r.kind.as_deref()),
        },
    ];
}

impl Table for Document {
    const KIND: FileKind = FileKind::Documents;
    const COLUMNS: &'static [Column<Document>] = &[
        Column {
            name: "code",
            required: true,
            read: |f, n, r| r.code = f.code("document code", n).to_string(),
            write: |r| Cell::text(&r.code),
        },
        Column {
            name: "title",
            required: true,
            read: |f, n, r| r.title = f.required(n),
            write: |r| Cell::text(&r.title),
        },
        Column {
            name: "publication",
            required: false,
            read: |f, n, r| r.publication = f.optional(n),
            write: |r| Cell::opt_text(r.publication.as_deref()),
        },
        Column {
            name: "issue",
            required: false,
            read: |f, n, r| r.issue = f.optional(n),
            write: |r| Cell::opt_text(r.issue.as_deref()),
        },
        Column {
            name: "author",
            required: false,
            read: |f, n, r| r.author = f.optional(n),
            write: |r| Cell::opt_text(r.author.as_deref()),
        },
        Column {
            name: "published",
            required: false,
            read: |f, n, r| {
                r.published = f.parsed(n, parse_date);
                if let Some(published) = r.published {
                    f.check(plausible::check_published(published));
                }
            },
            write: |r| date_cell(r.published),
        },
        Column {
            name: "url",
            required: false,
            read: |f, n, r| r.url = f.optional(n),
            write: |r| Cell::opt_text(r.url.as_deref()),
        },
        Column {
            name: "note",
            required: false,
            read: |f, n, r| r.note = f.optional(n),
            write: |r| Cell::opt_text(r.note.as_deref()),
        },
    ];
}

impl Table for Release {
    const KIND: FileKind = FileKind::Releases;
    const COLUMNS: &'static [Column<Release>] = &[
        Column {
            name: "source",
            required: true,
            read: |f, n, r| r.source = f.code("source slug", n).to_string(),
            write: |r| Cell::text(&r.source),
        },
        Column {
            name: "indicator",
            required: true,
            read: |f, n, r| r.indicator = f.code("indicator code", n).to_string(),
            write: |r| Cell::text(&r.indicator),
        },
        Column {
            name: "entity",
            required: true,
            read: |f, n, r| r.entity = f.code("entity code", n).to_string(),
            write: |r| Cell::text(&r.entity),
        },
        Column {
            name: "period",
            required: true,
            read: |f, n, r| {
                if let Some(period) = f.required_parsed(n, str::parse::<Period>) {
                    r.period = period;
                }
            },
            write: |r| Cell::text(r.period.to_string()),
        },
        Column { name: "name", required: true, read: |f, n, r| r.name = f.required(n), write: |r| Cell::text(&r.name) },
        Column {
            name: "date",
            required: true,
            read: |f, n, r| {
                if let Some(date) = f.required_parsed(n, parse_date) {
                    r.date = date;
                }
            },
            write: |r| date_cell(Some(r.date)),
        },
        Column {
            name: "time",
            required: false,
            read: |f, n, r| r.time = f.parsed(n, parse_time),
            write: |r| Cell::opt_text(r.time.map(|t| t.format("%H:%M").to_string())),
        },
        Column {
            name: "zone",
            required: false,
            read: |f, n, r| r.zone = f.optional(n),
            write: |r| Cell::opt_text(r.zone.as_deref()),
        },
        Column {
            name: "importance",
            required: false,
            read: |f, n, r| r.importance = f.parsed(n, parse_importance).unwrap_or(2),
            write: |r| Cell::Int(i64::from(r.importance)),
        },
        Column {
            name: "status",
            required: false,
            read: |f, n, r| r.status = f.parsed(n, str::parse).unwrap_or_default(),
            write: |r| Cell::text(r.status.as_str()),
        },
        Column {
            name: "document",
            required: false,
            read: |f, n, r| r.document = f.optional_code("document code", n).map(String::from),
            write: |r| Cell::opt_text(r.document.as_deref()),
        },
        Column {
            name: "note",
            required: false,
            read: |f, n, r| r.note = f.optional(n),
            write: |r| Cell::opt_text(r.note.as_deref()),
        },
    ];

    fn across_fields(&self) -> Option<String> {
        self.check_time().err().map(|err| err.to_string())
    }
}

pub fn read_figure(columns: &Columns, row: &csv::StringRecord) -> Result<Figure, String> {
    let mut f = Fields::new(columns, row);
    let indicator = f.code("indicator code", "indicator");
    let entity = f.code("entity code", "entity");
    let period = f.required_parsed("period", str::parse::<Period>);
    let kind = f.required_parsed("kind", str::parse::<Kind>);
    let value = f.required_parsed("value", parse_decimal);
    let source = f.code("source slug", "source");
    let published = f.required_parsed("published", parse_date);
    let bound = f.parsed("bound", str::parse::<Bound>).unwrap_or_default();
    let high = f.parsed("high", parse_decimal);
    let tolerance = f.parsed("tolerance", parse_decimal);
    if let Some(kind) = kind {
        f.check(check_tolerance(kind, bound, tolerance));
    }
    if let (Some(kind), Some(period), Some(published)) = (kind, period, published) {
        f.check(plausible::check_figure_dates(kind, period, published));
    }
    let document = f.optional_code("document code", "document");
    let retracted = f.parsed("retracted", parse_date);
    let retraction_note = f.optional("retraction_note");
    if retracted.is_none() && retraction_note.is_some() && f.text("retracted").is_none() {
        f.problems.push("a retraction_note needs the date of the retraction in retracted".to_string());
    }
    if let (Some(retracted), Some(published)) = (retracted, published)
        && retracted < published
    {
        f.problems.push(format!("retracted {retracted} before it was published {published}"));
    }
    let retraction = retracted.map(|on| Retraction { on, note: retraction_note });
    let quantity = value.and_then(|value| match Quantity::new(value, bound, high) {
        Ok(q) => Some(q),
        Err(err) => {
            f.problems.push(err.to_string());
            None
        }
    });
    let figure = match (period, kind, quantity, published) {
        (Some(period), Some(kind), Some(quantity), Some(published)) => Some(Figure {
            indicator: indicator.into(),
            entity: entity.into(),
            period,
            kind,
            quantity,
            tolerance,
            source: source.into(),
            published,
            document: document.map(CompactString::from),
            quote: f.optional("quote"),
            note: f.optional("note"),
            retraction,
        }),
        _ => None,
    };
    f.finish(figure)
}

/// Where a stored record of `kind` and a different one given under the same key differ,
/// field by field with both values (`name: "International Monetary Fund" stored, "IMF"
/// given`), for the message that refuses to overwrite it.
pub fn differences(kind: FileKind, stored: &[Cell], given: &[Cell]) -> String {
    let shown = |cell: &Cell| match cell_text(cell) {
        None => "none".to_string(),
        Some(text) if text.chars().count() > 60 => format!("\"{}…\"", text.chars().take(60).collect::<String>()),
        Some(text) => format!("\"{text}\""),
    };
    kind.columns()
        .into_iter()
        .zip(stored.iter().zip(given))
        .filter(|(_, (stored, given))| stored != given)
        .map(|(column, (stored, given))| format!("{column}: {} stored, {} given", shown(stored), shown(given)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn cell_text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Empty => None,
        Cell::Text(text) => Some(text.to_string()),
        Cell::Number(number) => Some(number.to_string()),
        Cell::Int(int) => Some(int.to_string()),
        Cell::Bool(b) => Some(b.to_string()),
        Cell::Float(float) => Some(float.clone()),
    }
}

fn date_cell(date: Option<chrono::NaiveDate>) -> Cell<'static> {
    date.map_or(Cell::Empty, |d| Cell::text(d.to_string()))
}

pub fn figure_cells(f: &Figure) -> Vec<Cell<'_>> {
    vec![
        Cell::text(f.indicator.as_str()),
        Cell::text(f.entity.as_str()),
        Cell::text(f.period.to_string()),
        Cell::text(f.kind.as_str()),
        Cell::Number(f.quantity.value()),
        Cell::text(f.source.as_str()),
        date_cell(Some(f.published)),
        Cell::text(f.quantity.bound().as_str()),
        Cell::opt_number(f.quantity.high()),
        Cell::opt_number(f.tolerance),
        Cell::opt_text(f.document.as_deref()),
        Cell::opt_text(f.quote.as_deref()),
        Cell::opt_text(f.note.as_deref()),
        date_cell(f.retraction.as_ref().map(|r| r.on)),
        Cell::opt_text(f.retraction.as_ref().and_then(|r| r.note.as_deref())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::output::{Format, Listing};
    use crate::testkit::{self, export_values};
    use proptest::prelude::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tells_file_kinds_from_headers() {
        assert_eq!(FileKind::from_header(&header(&["slug", "name"])), Ok(FileKind::Sources));
        assert_eq!(FileKind::from_header(&header(&["code", "name", "unit"])), Ok(FileKind::Indicators));
        assert_eq!(FileKind::from_header(&header(&["code", "name", "kind"])), Ok(FileKind::Entities));
        assert_eq!(FileKind::from_header(&header(&["code", "title"])), Ok(FileKind::Documents));
        assert_eq!(FileKind::from_header(&header(&FileKind::Values.columns())), Ok(FileKind::Values));
        for kind in FileKind::ALL {
            assert_eq!(FileKind::from_header(&header(&kind.columns())), Ok(kind));
        }
    }

    #[test]
    fn explains_a_header_it_cannot_place() {
        let err =
            FileKind::from_header(&header(&["indicator", "entity", "period", "kind", "value", "source"])).unwrap_err();
        assert!(err.contains("missing column(s) published"), "{err}");
        let err = FileKind::from_header(&header(&["slug", "name", "colour"])).unwrap_err();
        assert!(err.contains("unknown column(s) colour"), "{err}");
    }

    #[test]
    fn names_a_header_in_capitals_or_with_spaces() {
        let err =
            FileKind::from_header(&header(&["INDICATOR", "ENTITY", "PERIOD", "KIND", "VALUE", "SOURCE", "PUBLISHED"]))
                .unwrap_err();
        assert!(
            err.contains("in capitals") && err.contains("indicator,entity,period,kind,value,source,published"),
            "{err}"
        );
        assert!(!err.contains("unknown column"), "{err}");
        let err = FileKind::from_header(&header(&["slug", " name"])).unwrap_err();
        assert!(err.contains("have spaces around them") && err.contains("write the header as slug,name"), "{err}");
    }

    #[test]
    fn names_a_file_separated_by_semicolons_or_tabs() {
        let err = FileKind::from_header(&header(&["indicator;entity;period;kind;value;source;published"])).unwrap_err();
        assert!(err.contains("separated by semicolons") && err.contains("comma-separated"), "{err}");
        let err = FileKind::from_header(&header(&["slug\tname"])).unwrap_err();
        assert!(err.contains("separated by tabs") && err.contains("header slug,name"), "{err}");
    }

    #[test]
    fn rejects_duplicate_columns() {
        let err = Columns::new(FileKind::Sources, &header(&["slug", "name", "name"])).unwrap_err();
        assert!(err.contains("twice"), "{err}");
    }

    fn figure_from(cells: &[&str]) -> Result<Figure, String> {
        let columns = Columns::new(FileKind::Values, &header(&FileKind::Values.columns())).unwrap();
        read_figure(&columns, &csv::StringRecord::from(cells.to_vec()))
    }

    #[test]
    fn reads_a_figure_row() {
        let f = figure_from(&[
            "cpi.yoy",
            "CN",
            "2024",
            "target",
            "3",
            "cn-government",
            "2024-03-05",
            "approx",
            "",
            "0.3",
            "bw-1896",
            "通膨率三%",
            "",
        ])
        .unwrap();
        assert_eq!(f.quantity.to_string(), "3 (approx)");
        assert_eq!(f.note, None);
        assert_eq!(f.tolerance.map(|t| t.to_string()), Some("0.3".into()));
        let cells = figure_cells(&f);
        assert_eq!(cells[4], Cell::Number(3.into()));
    }

    #[test]
    fn reports_every_problem_in_a_row() {
        let err = figure_from(&["cpi yoy", "CN", "2024-13", "guess", "4,6", "x", "2024-3-5", "", "", "", "", "", ""])
            .unwrap_err();
        for part in ["bad indicator code", "bad period", "bad kind", "bad decimal \"4,6\"", "bad date"] {
            assert!(err.contains(part), "{part} missing from {err}");
        }
    }

    /// Records of each table whose every field holds a value no other field of the record
    /// holds.
    fn distinct_source() -> Source {
        Source {
            slug: "source-slug".into(),
            name: "source name".into(),
            name_zh: Some("来源".into()),
            kind: Some("bank".into()),
            url: Some("https://example.org/source".into()),
        }
    }

    fn distinct_indicator() -> Indicator {
        Indicator {
            code: "indicator.code".into(),
            name: "indicator name".into(),
            name_zh: Some("指标".into()),
            unit: "USD billion".into(),
            description: Some("what the indicator measures".into()),
            proxy_for: Some("indicator.proxied".into()),
        }
    }

    fn distinct_entity() -> Entity {
        Entity {
            code: "ENTITY".into(),
            name: "entity name".into(),
            name_zh: Some("实体".into()),
            kind: Some("country".into()),
        }
    }

    fn distinct_document() -> Document {
        Document {
            code: "document-code".into(),
            publication: Some("the publication".into()),
            issue: Some("the issue".into()),
            title: "the title".into(),
            author: Some("the author".into()),
            published: Some(chrono::NaiveDate::from_ymd_opt(2024, 3, 5).unwrap()),
            url: Some("https://example.org/document".into()),
            note: Some("the note".into()),
        }
    }

    /// Writes a record as `export` and the listings do (a CSV listing with the table's
    /// header, one cell per column's writer) and reads it back as `import` does.
    fn round_trip<T: Table>(table: &[Column<T>], record: &T) -> Result<T, String> {
        let mut out = Vec::new();
        let mut listing = Listing::new(Format::Csv, &T::KIND.columns(), &mut out).unwrap();
        listing.row(cells_with(table, record)).unwrap();
        listing.finish().unwrap();
        let mut reader = reader(out.as_slice());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(FileKind::from_header(&header), Ok(T::KIND));
        let columns = Columns::new(T::KIND, &header)?;
        let row = reader.records().next().expect("one row written").map_err(|e| e.to_string())?;
        read_with(table, &columns, &row)
    }

    fn assert_lands_in_its_field<T: Table + fmt::Debug + PartialEq>(record: T) {
        assert_eq!(round_trip(T::COLUMNS, &record), Ok(record), "{} read back differs", T::KIND.noun());
    }

    /// Every exported column lands in the field it came from. Each field of the records
    /// above holds a value no other field holds, and derived `PartialEq` compares them field
    /// by field, so a column written from the wrong field reads back as a different record.
    /// Swapping two columns' writers in a description, say `name` and `name_zh` in
    /// `Source::COLUMNS`, writes "来源" under `name` and "source name" under `name_zh`; it
    /// reads back with `name: "来源"` and this test fails
    /// (`swapping_two_writers_fails_the_round_trip` does that for every pair). The
    /// byte-identical export → import → export test cannot see it: a swapped pair
    /// round-trips cleanly.
    #[test]
    fn every_exported_column_lands_in_the_field_it_came_from() {
        assert_lands_in_its_field(distinct_source());
        assert_lands_in_its_field(distinct_indicator());
        assert_lands_in_its_field(distinct_entity());
        assert_lands_in_its_field(distinct_document());
    }

    /// The test above fails when any two columns of a description swap writers: each swap
    /// either puts a value in the wrong field or makes the row unreadable.
    fn swapped_writers_fail<T: Table + fmt::Debug + PartialEq>(record: T) {
        let table = T::COLUMNS;
        for i in 0..table.len() {
            for j in i + 1..table.len() {
                let swapped: Vec<Column<T>> = table
                    .iter()
                    .enumerate()
                    .map(|(k, c)| Column {
                        name: c.name,
                        required: c.required,
                        read: c.read,
                        write: if k == i {
                            table[j].write
                        } else if k == j {
                            table[i].write
                        } else {
                            c.write
                        },
                    })
                    .collect();
                let back = round_trip(&swapped, &record);
                assert!(
                    back.ok().as_ref() != Some(&record),
                    "swapping {} and {} went unnoticed",
                    table[i].name,
                    table[j].name
                );
            }
        }
    }

    #[test]
    fn swapping_two_writers_fails_the_round_trip() {
        swapped_writers_fail(distinct_source());
        swapped_writers_fail(distinct_indicator());
        swapped_writers_fail(distinct_entity());
        swapped_writers_fail(distinct_document());
    }

    /// A column's `required` flag says what its reader does: a row with that one cell empty
    /// is refused as "empty NAME" when it is required, and read when it is optional.
    #[test]
    fn required_flags_match_the_readers() {
        fn check<T: Table>(record: T) {
            let header: Vec<String> = T::KIND.columns().iter().map(|c| c.to_string()).collect();
            let columns = Columns::new(T::KIND, &header).unwrap();
            for (i, column) in T::COLUMNS.iter().enumerate() {
                let mut row: Vec<String> = cells(&record).iter().map(|c| cell_text(c).unwrap_or_default()).collect();
                row[i].clear();
                let read = read::<T>(&columns, &csv::StringRecord::from(row));
                match (column.required, read) {
                    (true, Err(err)) => assert!(err.contains(&format!("empty {}", column.name)), "{err}"),
                    (false, Ok(_)) => {}
                    (required, read) => {
                        panic!("{} {}: required {required} but read {:?}", T::KIND, column.name, read.err())
                    }
                }
            }
        }
        check(distinct_source());
        check(distinct_indicator());
        check(distinct_entity());
        check(distinct_document());
    }

    /// Figures as `import` reads them, up to the database.
    fn import_values(bytes: &[u8]) -> Result<Vec<Figure>, String> {
        let mut reader = reader(bytes);
        let header: Vec<String> = reader.headers().map_err(|e| e.to_string())?.iter().map(String::from).collect();
        let columns = Columns::new(FileKind::from_header(&header)?, &header)?;
        reader
            .records()
            .map(|record| {
                let record = record.map_err(|e| e.to_string())?;
                check_cells(&header, &record)?;
                read_figure(&columns, &record)
            })
            .collect()
    }

    proptest! {
        /// Whatever valid figures are stored, export → import gives them back exactly, and
        /// exporting those again gives the same bytes.
        #[test]
        fn values_survive_export_import_export(
            figures in prop::collection::vec(testkit::figure(), 0..12)
        ) {
            let exported = export_values(&figures);
            let imported = import_values(&exported).map_err(TestCaseError::fail)?;
            prop_assert_eq!(&imported, &figures);
            prop_assert_eq!(export_values(&imported), exported);
        }
    }
}
