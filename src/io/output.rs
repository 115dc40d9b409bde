//! Every listing speaks three formats: an aligned terminal table, RFC 4180 CSV and JSON.
//!
//! Commands describe a listing as named columns and rows of [`Cell`]s; this module alone
//! decides how they look. CSV and JSON stream row by row (constant memory); a table has to
//! see its rows to size its columns, so it buffers a page of them ([`TABLE_PAGE_ROWS`]).
//! Decimals print in canonical form, and JSON writes them as strings so that no consumer
//! rounds them through a float.

use crate::io::formula;
use comfy_table::{
    Cell as TableCell, CellAlignment, ColumnConstraint, ContentArrangement, Row, Table, Width as ColumnWidth, presets,
};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns for reading (Chinese text aligned too)
    #[default]
    Table,
    /// RFC 4180 CSV with a header row
    Csv,
    /// A JSON array of objects; decimals as strings
    Json,
}

/// One value in a listing. Text is borrowed from the record when it can be, so a
/// streamed row costs no copies of its strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Number(Decimal),
    Int(i64),
    Bool(bool),
    /// A floating-point statistic (a test's), as the shortest text that reads back to the
    /// same `f64`: a number, so never guarded as a formula.
    Float(String),
}

impl<'a> Cell<'a> {
    pub fn text(value: impl Into<Cow<'a, str>>) -> Cell<'a> {
        Cell::Text(value.into())
    }

    /// `None` and empty strings are both an empty cell.
    pub fn opt_text(value: Option<impl Into<Cow<'a, str>>>) -> Cell<'a> {
        match value.map(Into::into) {
            Some(v) if !v.is_empty() => Cell::Text(v),
            _ => Cell::Empty,
        }
    }

    pub fn opt_number(value: Option<Decimal>) -> Cell<'a> {
        value.map_or(Cell::Empty, Cell::Number)
    }

    /// A finite float, else an empty cell.
    pub fn opt_float(value: Option<f64>) -> Cell<'a> {
        value.filter(|v| v.is_finite()).map_or(Cell::Empty, |v| Cell::Float(v.to_string()))
    }

    /// The same cell owning its text, to outlive the record (a table buffers its rows).
    fn into_owned(self) -> Cell<'static> {
        match self {
            Cell::Empty => Cell::Empty,
            Cell::Text(t) => Cell::Text(Cow::Owned(t.into_owned())),
            Cell::Number(d) => Cell::Number(d),
            Cell::Int(i) => Cell::Int(i),
            Cell::Bool(b) => Cell::Bool(b),
            Cell::Float(f) => Cell::Float(f),
        }
    }

    fn plain(&self) -> String {
        let mut text = String::new();
        self.write_plain(&mut text);
        text
    }

    /// Appends the cell as plain text.
    fn write_plain(&self, out: &mut String) {
        // Writing to a String cannot fail.
        let _ = match self {
            Cell::Empty => Ok(()),
            Cell::Text(t) => out.write_str(t),
            Cell::Float(f) => out.write_str(f),
            Cell::Number(d) => write!(out, "{d}"),
            Cell::Int(i) => write!(out, "{i}"),
            Cell::Bool(b) => write!(out, "{b}"),
        };
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Cell::Number(_) | Cell::Int(_) | Cell::Float(_))
    }

    fn json(&self) -> String {
        match self {
            Cell::Empty => "null".to_string(),
            Cell::Text(t) => serde_json::Value::from(t.as_ref()).to_string(),
            Cell::Float(f) => serde_json::Value::from(f.as_str()).to_string(),
            Cell::Number(d) => serde_json::Value::from(d.to_string()).to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

/// How wide a table may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Width {
    /// Every column as wide as its widest cell.
    #[default]
    Full,
    /// At most this many terminal columns: the free-text columns ([`PROSE_COLUMNS`]) are
    /// cut to fit, one line per row, and end in `…` where cut. The other columns (codes,
    /// dates, numbers) keep their width, so a table of many of them can still be wider.
    Fit(u16),
}

impl Width {
    /// The width for tables on standard output: full with `--wide`; else `COLUMNS` when it
    /// holds a number, as for the help text; else the terminal's width when standard output is
    /// one; else full, since a pipe or a file (grep, less -S) should keep every character.
    pub fn for_stdout(wide: bool) -> Width {
        let terminal = terminal_size::terminal_size_of(io::stdout()).map(|(width, _)| width.0);
        Width::choose(wide, std::env::var("COLUMNS").ok().as_deref(), terminal)
    }

    fn choose(wide: bool, columns: Option<&str>, terminal: Option<u16>) -> Width {
        if wide {
            return Width::Full;
        }
        let given = columns.and_then(|text| text.trim().parse::<u16>().ok()).filter(|&n| n > 0);
        given.or(terminal).map_or(Width::Full, Width::Fit)
    }
}

/// Columns of free text, which give way when a table must fit a width: everything else is
/// a code, a date or a number, and cutting one would change what it says.
pub const PROSE_COLUMNS: &[&str] =
    &["quote", "note", "title", "name", "name_zh", "description", "url", "publication", "author", "found"];

/// The narrowest a free-text column is cut to, in characters, unless its header is wider:
/// a header is never cut.
const MIN_PROSE_WIDTH: u16 = 6;

/// comfy-table counts a column's padding, one space each side, in its width.
const PADDING: u16 = 2;

/// Rows one table holds before it is printed and the next begins. A table must see all its
/// rows to size its columns; holding every row of a million-row listing took `gaps` on the
/// benchmark database to 1.6 GB. Longer listings print as a run of tables, as psql does with
/// FETCH_COUNT; `--format csv` or `json` gives one stream.
pub const TABLE_PAGE_ROWS: usize = 1000;

enum Sink<W: Write> {
    /// `printed`: whether a full page has gone out already.
    Table {
        rows: Vec<Vec<Cell<'static>>>,
        out: W,
        printed: bool,
        width: Width,
    },
    Csv(Box<csv::Writer<W>>),
    Json {
        out: W,
        rows: usize,
    },
}

/// A listing being written.
pub struct Listing<W: Write> {
    columns: Vec<&'static str>,
    sink: Sink<W>,
    notes: Vec<String>,
    /// Where a CSV row's numbers are written before they are quoted as fields.
    scratch: String,
}

impl<W: Write> Listing<W> {
    pub fn new(format: Format, columns: &[&'static str], out: W) -> io::Result<Listing<W>> {
        let sink = match format {
            Format::Table => Sink::Table { rows: Vec::new(), out, printed: false, width: Width::Full },
            Format::Csv => {
                let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
                writer.write_record(columns).map_err(into_io)?;
                Sink::Csv(Box::new(writer))
            }
            Format::Json => Sink::Json { out, rows: 0 },
        };
        Ok(Listing { columns: columns.to_vec(), sink, notes: Vec::new(), scratch: String::new() })
    }

    /// Fits a table to `width` (CSV and JSON have no width).
    pub fn fit(mut self, to: Width) -> Listing<W> {
        if let Sink::Table { width, .. } = &mut self.sink {
            *width = to;
        }
        self
    }

    pub fn row(&mut self, cells: Vec<Cell<'_>>) -> io::Result<()> {
        debug_assert_eq!(cells.len(), self.columns.len(), "a row must fill every column");
        match &mut self.sink {
            Sink::Table { rows, out, printed, width } => {
                rows.push(cells.into_iter().map(Cell::into_owned).collect());
                if rows.len() == TABLE_PAGE_ROWS {
                    writeln!(out, "{}", render_table(&self.columns, rows, *width))?;
                    rows.clear();
                    *printed = true;
                }
            }
            Sink::Csv(writer) => {
                for cell in &cells {
                    match cell {
                        Cell::Text(t) => writer.write_field(formula::guard(t).as_bytes()).map_err(into_io)?,
                        other => {
                            self.scratch.clear();
                            other.write_plain(&mut self.scratch);
                            writer.write_field(self.scratch.as_bytes()).map_err(into_io)?;
                        }
                    }
                }
                // An empty record after the fields ends the row, as `write_record` would.
                writer.write_record(std::iter::empty::<&[u8]>()).map_err(into_io)?;
            }
            Sink::Json { out, rows } => {
                out.write_all(if *rows == 0 { b"[\n  {" } else { b",\n  {" })?;
                for (i, (column, cell)) in self.columns.iter().zip(&cells).enumerate() {
                    let separator = if i == 0 { "" } else { ", " };
                    write!(out, "{separator}\"{column}\": {}", cell.json())?;
                }
                out.write_all(b"}")?;
                *rows += 1;
            }
        }
        Ok(())
    }

    /// Whether rows end up in a terminal table (commands pick compact columns for it).
    pub fn is_table(&self) -> bool {
        matches!(self.sink, Sink::Table { .. })
    }

    /// A line printed under a table (legends, caveats). CSV and JSON carry data only.
    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    pub fn finish(self) -> io::Result<()> {
        match self.sink {
            Sink::Table { rows, mut out, printed, width } => {
                if !rows.is_empty() {
                    writeln!(out, "{}", render_table(&self.columns, &rows, width))?;
                } else if !printed {
                    writeln!(out, "(no rows)")?;
                }
                for note in &self.notes {
                    writeln!(out, "{note}")?;
                }
                out.flush()
            }
            Sink::Csv(mut writer) => writer.flush(),
            Sink::Json { mut out, rows } => {
                out.write_all(if rows == 0 { b"[]\n" } else { b"\n]\n" })?;
                out.flush()
            }
        }
    }
}

/// The I/O error a CSV write failed with, as it was. The csv crate's own conversion wraps it
/// in an `Other` error that hides its kind (and csv errors name no source), so a reader
/// closing the pipe would look like a failure instead of the normal end of `| head`.
fn into_io(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        // Only rows of the wrong length, which `row` rules out; named for the bug report.
        other => io::Error::other(format!("CSV output failed: {other:?}")),
    }
}

fn render_table(columns: &[&str], rows: &[Vec<Cell<'_>>], width: Width) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED).set_header(columns.iter().copied());
    match width {
        Width::Full => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
        Width::Fit(width) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width)
                .set_truncation_indicator("…")
                .set_constraints(columns.iter().map(|&name| {
                    if PROSE_COLUMNS.contains(&name) {
                        let header = u16::try_from(name.chars().count()).unwrap_or(u16::MAX);
                        ColumnConstraint::LowerBoundary(ColumnWidth::Fixed(header.max(MIN_PROSE_WIDTH) + PADDING))
                    } else {
                        ColumnConstraint::ContentWidth
                    }
                }));
        }
    }
    for cells in rows {
        let mut row = Row::from(cells.iter().map(|cell| {
            let alignment = if cell.is_numeric() { CellAlignment::Right } else { CellAlignment::Left };
            TableCell::new(cell.plain()).set_alignment(alignment)
        }));
        if matches!(width, Width::Fit(_)) {
            row.max_height(1);
        }
        table.add_row(row);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn render(format: Format, rows: Vec<Vec<Cell<'_>>>) -> String {
        let mut out = Vec::new();
        let mut listing = Listing::new(format, &["name", "value"], &mut out).unwrap();
        for row in rows {
            listing.row(row).unwrap();
        }
        listing.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    fn sample() -> Vec<Vec<Cell<'static>>> {
        vec![
            vec![Cell::text("彭博"), Cell::Number(Decimal::from_str("4.60").unwrap().normalize())],
            vec![Cell::text("=cmd"), Cell::Number(Decimal::from_str("-0.4").unwrap())],
        ]
    }

    /// A pipe whose reader has gone.
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_closed_pipe_keeps_its_kind_in_every_format() {
        for format in [Format::Table, Format::Csv, Format::Json] {
            let failure = Listing::new(format, &["name", "value"], ClosedPipe).and_then(|mut listing| {
                for row in sample() {
                    listing.row(row)?;
                }
                listing.finish()
            });
            assert_eq!(failure.unwrap_err().kind(), io::ErrorKind::BrokenPipe, "{format:?}");
        }
    }

    #[test]
    fn the_width_comes_from_wide_then_columns_then_the_terminal() {
        assert_eq!(Width::choose(true, Some("80"), Some(120)), Width::Full);
        assert_eq!(Width::choose(false, Some("80"), Some(120)), Width::Fit(80));
        assert_eq!(Width::choose(false, None, Some(120)), Width::Fit(120));
        assert_eq!(Width::choose(false, Some("wide"), Some(120)), Width::Fit(120), "a COLUMNS that is no number");
        assert_eq!(Width::choose(false, Some("0"), None), Width::Full);
        assert_eq!(Width::choose(false, None, None), Width::Full, "a pipe or a file");
    }

    #[test]
    fn a_fitted_table_cuts_only_free_text() {
        let mut out = Vec::new();
        let mut listing = Listing::new(Format::Table, &["code", "note"], &mut out).unwrap().fit(Width::Fit(40));
        listing.row(vec![Cell::text("a-long-code-never-cut"), Cell::text("word ".repeat(20))]).unwrap();
        listing.finish().unwrap();
        let table = String::from_utf8(out).unwrap();
        assert!(table.contains("a-long-code-never-cut") && table.contains("…"), "{table}");
        assert!(table.lines().all(|line| line.chars().count() <= 40), "{table}");
    }

    #[test]
    fn csv_guards_text_but_not_numbers() {
        assert_eq!(render(Format::Csv, sample()), "name,value\r\n彭博,4.6\r\n'=cmd,-0.4\r\n");
    }

    #[test]
    fn json_writes_decimals_as_strings() {
        let json = render(Format::Json, sample());
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed[0]["value"], "4.6");
        assert_eq!(parsed[1]["name"], "=cmd");
        assert_eq!(render(Format::Json, vec![]), "[]\n");
    }

    #[test]
    fn a_long_table_prints_in_pages_and_an_empty_one_says_so() {
        let header_lines = |table: &str| table.lines().filter(|l| l.contains("name") && l.contains("value")).count();
        let rows = |n: usize| (0..n).map(|i| vec![Cell::text(format!("r{i}")), Cell::Int(i as i64)]).collect();
        let long = render(Format::Table, rows(2 * TABLE_PAGE_ROWS + 1));
        assert_eq!(header_lines(&long), 3, "two full pages and the rest");
        assert!(long.contains("r0 ") && long.contains(&format!("r{} ", 2 * TABLE_PAGE_ROWS)));
        assert!(!long.contains("(no rows)"));
        let exact = render(Format::Table, rows(TABLE_PAGE_ROWS));
        assert_eq!(header_lines(&exact), 1);
        assert!(!exact.contains("(no rows)"), "a listing that filled one page exactly is not empty");
        assert_eq!(render(Format::Table, vec![]), "(no rows)\n");
    }

    #[test]
    fn table_aligns_wide_characters() {
        let table = render(Format::Table, sample());
        let widths: Vec<usize> = table
            .lines()
            .filter(|l| l.starts_with('│'))
            .map(|l| l.chars().map(|c| if ('\u{4e00}'..='\u{9fff}').contains(&c) { 2 } else { 1 }).sum())
            .collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{table}");
    }
}
