//! Readers for the agencies' own file formats (SDMX-CSV, IMF WEO reports and portal
//! downloads, FRED and ALFRED downloads): each turns one file into the same records the
//! CSV import writes, so that every format lands through the one import path.
//!
//! A reader never touches the database. It is told the file's bytes and the user's
//! [`Flags`], and emits [`Item`]s in file order: the dimension records a figure needs before
//! the figure, then figures, problems (each by line, and column for wide files) and counts
//! of what was published as "no value". `io/import` writes them in the import's transaction.

pub mod areas;
pub mod bis;
pub mod catalog;
pub mod countries;
pub mod ecb;
pub mod eurostat_tsv;
pub mod fred;
pub mod glue;
pub mod ics;
pub mod imf_portal;
pub mod observations;
pub mod oecd_stat;
pub mod sdmx;
pub mod weo;
pub mod worldbank;

use crate::domain::model::{Document, Entity, Figure, Indicator, Source};
use crate::domain::value::{Kind, canonical, within_digits};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// A file format econtrack reads besides its own CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// SDMX-CSV 1.0 (`DATAFLOW` first) or 2.0 (`STRUCTURE` first), and the ECB's csvdata
    /// (`KEY` first).
    Sdmx,
    /// An IMF World Economic Outlook database file or custom report: tab-delimited text.
    WeoReport,
    /// A download from the IMF data portal (`DATASET,SERIES_CODE,…`, one row per series).
    ImfPortal,
    /// A FRED download: a date column and one column per series.
    Fred,
    /// An ALFRED vintage-wide download: a date column and one column per vintage.
    Alfred,
    /// Eurostat's TSV bulk download (`freq,unit,geo\TIME_PERIOD`).
    EurostatTsv,
    /// The ECB Data Portal's CSV (`DATE,TIME PERIOD,<title> (KEY)`).
    EcbPortal,
    /// The World Bank's WDI and DataBank downloads.
    WorldBank,
    /// OECD.Stat's CSV export and data.oecd.org's (`LOCATION,…,TIME,Value,Flag Codes`).
    OecdStat,
    /// The BIS's bulk CSV downloads (`FREQ,Frequency,REF_AREA,Reference area,…` or
    /// `"Frequency","Reference area",…`, one row per series).
    BisBulk,
    /// An iCalendar file (RFC 5545, `BEGIN:VCALENDAR`): an agency's release calendar.
    Ics,
}

/// The first line of a file, as the detection table reads it.
pub struct Head<'t> {
    pub line: &'t str,
    /// Its cells split at commas, trimmed and unquoted (a rough split, for names only).
    pub cells: Vec<&'t str>,
    /// The whole start of the file.
    pub text: &'t str,
}

/// How each format is told from the start of a file, in the order the tests run: the one
/// table to read (and extend) to see what econtrack recognises.
type Test = fn(&Head) -> bool;

const DETECTION: &[(Format, Test)] = &[
    (Format::Ics, |h| ics::is_calendar(h.text)),
    (Format::WeoReport, |h| {
        let cells: Vec<&str> = h.line.split('\t').map(str::trim).collect();
        let has = |name: &str| cells.contains(&name);
        h.line.contains('\t')
            && (has("WEO Subject Code")
                || (has("Subject Descriptor") && (has("Country") || has("ISO") || has("Country Group Name"))))
    }),
    (Format::EurostatTsv, |h| eurostat_tsv::is_header(h.line)),
    (Format::Sdmx, |h| {
        let first = h.cells.first().copied().unwrap_or("");
        first == "DATAFLOW"
            || first.starts_with("DATAFLOW;")
            || first == "STRUCTURE"
            || first.starts_with("STRUCTURE[")
            || first.starts_with("STRUCTURE;")
            || (first == "KEY" && h.cells.contains(&"TIME_PERIOD") && h.cells.contains(&"OBS_VALUE"))
    }),
    (Format::ImfPortal, |h| {
        (h.cells.first() == Some(&"DATASET") && h.cells.get(1) == Some(&"SERIES_CODE"))
            || imf_portal::is_long_header(&h.cells)
    }),
    (Format::Alfred, |h| {
        matches!(h.cells.first(), Some(&"observation_date" | &"DATE"))
            && h.cells.len() >= 2
            && h.cells[1..].iter().all(|c| fred::vintage_suffix(c).is_some())
    }),
    (Format::Fred, |h| {
        matches!(h.cells.first(), Some(&"observation_date" | &"DATE"))
            && h.cells.len() >= 2
            && h.cells[1..].iter().all(|c| fred::is_series_id(c))
    }),
    (Format::EcbPortal, |h| ecb::is_header(&h.cells)),
    (Format::WorldBank, |h| worldbank::is_header(&h.cells)),
    (Format::OecdStat, |h| oecd_stat::is_header(&h.cells)),
    (Format::BisBulk, |h| bis::is_header(&h.cells, h.text)),
];

impl Format {
    /// Tells a format from the start of a file; `None` means econtrack's own CSV (or
    /// something that the CSV import will describe).
    pub fn sniff(head: &[u8]) -> Option<Format> {
        let text = decode_head(head);
        let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
        let cells = line.split(',').map(|c| c.trim().trim_matches('"')).collect();
        let head = Head { line, cells, text: &text };
        DETECTION.iter().find(|(_, test)| test(&head)).map(|(format, _)| *format)
    }
}

/// The start of a file as text, for sniffing: UTF-16 and Latin-1 are read too.
fn decode_head(head: &[u8]) -> String {
    if head.starts_with(&[0xFF, 0xFE]) {
        return decode_utf16le(&head[2..head.len() - (head.len() % 2)]);
    }
    if looks_utf16le(head) {
        return decode_utf16le(&head[..head.len() - (head.len() % 2)]);
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match std::str::from_utf8(head) {
        Ok(text) => text.to_string(),
        // A cut in the middle of a character, or Latin-1: either way the header reads.
        Err(_) => head.iter().map(|&b| b as char).collect(),
    }
}

/// UTF-16LE without a byte-order mark, as the IMF saves its full WEO database: text whose
/// every second byte is zero. (A UTF-8 or Latin-1 file has no NUL bytes.)
fn looks_utf16le(head: &[u8]) -> bool {
    let sample = &head[..head.len().min(512) & !1];
    let pairs = sample.len() / 2;
    let ascii = sample.chunks_exact(2).filter(|p| p[1] == 0 && p[0] != 0).count();
    pairs >= 4 && !sample.chunks_exact(2).any(|p| p == [0, 0]) && ascii * 10 >= pairs * 9
}

fn decode_utf16le(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
    String::from_utf16_lossy(&units)
}

/// How a file's text was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Latin1,
}

/// A whole file as text. UTF-8 (with or without a BOM) always; UTF-16LE with a BOM (the
/// full WEO database) and Latin-1 (WEO reports saved from the IMF's form) only where the
/// format allows them.
pub fn decode(bytes: &[u8], latin1_allowed: bool) -> Result<(String, Encoding), String> {
    let bom = bytes.starts_with(&[0xFF, 0xFE]);
    if bom || (latin1_allowed && looks_utf16le(bytes)) {
        let body = if bom { &bytes[2..] } else { bytes };
        if !body.len().is_multiple_of(2) {
            return Err("odd number of bytes in a UTF-16 file".to_string());
        }
        let units: Vec<u16> = body.chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
        return String::from_utf16(&units)
            .map(|text| (text, Encoding::Utf16))
            .map_err(|_| "not valid UTF-16 (the file starts with a UTF-16 byte-order mark)".to_string());
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(text) => Ok((text.to_string(), Encoding::Utf8)),
        Err(_) if latin1_allowed => Ok((body.iter().map(|&b| b as char).collect(), Encoding::Latin1)),
        Err(err) => {
            // Said by line, as every other problem of a file is.
            let before = &body[..err.valid_up_to()];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            Err(format!("line {line}: not valid UTF-8 (save the file as UTF-8)"))
        }
    }
}

/// A reader's whole file as text (see [`decode`]: without its byte-order mark), or `None`
/// after reporting why it is not text.
pub fn text_of(bytes: &[u8], latin1_allowed: bool, sink: &mut dyn Sink) -> Option<String> {
    match decode(bytes, latin1_allowed) {
        Ok((text, _)) => Some(text),
        Err(message) => {
            sink.emit(Item::FileProblem(message));
            None
        }
    }
}

/// Line numbers of CSV records, counted from their byte offsets: after a CRLF line end the
/// csv crate's own line count is one short, and `file:line:` must name the line an
/// editor shows whatever the line ends.
pub struct Lines<'t> {
    text: &'t [u8],
    at: usize,
    line: u64,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Lines<'t> {
        Lines { text: text.as_bytes(), at: 0, line: 1 }
    }

    /// The line the byte at `offset` is on; offsets must not go backwards.
    pub fn at(&mut self, offset: u64) -> u64 {
        let mut offset = (offset as usize).min(self.text.len());
        // After a CR the csv crate stands on the LF that ends the line: the record starts
        // past it.
        if self.text.get(offset) == Some(&b'\n') && offset > 0 && self.text[offset - 1] == b'\r' {
            offset += 1;
        }
        if offset < self.at {
            self.at = 0;
            self.line = 1;
        }
        self.line += self.text[self.at..offset].iter().filter(|&&b| b == b'\n').count() as u64;
        self.at = offset;
        self.line
    }

    /// The line of a record, or of an error's position, else of where the reader stands.
    pub fn of(&mut self, position: Option<&csv::Position>, reader: &csv::Position) -> u64 {
        self.at(position.unwrap_or(reader).byte())
    }
}

/// Reads every record of `csv` (made over `text`), handing each to `row` with the line it
/// starts on; a record that cannot be read is a problem at its line, and reading goes on,
/// so that one run names every bad row of a file.
pub fn each_record<R: std::io::Read>(
    csv: &mut csv::Reader<R>,
    text: &str,
    sink: &mut dyn Sink,
    mut row: impl FnMut(u64, &csv::StringRecord, &mut dyn Sink),
) {
    let mut record = csv::StringRecord::new();
    let mut lines = Lines::new(text);
    loop {
        let before = csv.position().clone();
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = lines.of(record.position(), &before);
                row(line, &record, sink);
            }
            Err(err) => {
                let line = lines.of(err.position(), &before);
                let message = match err.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("row has {len} field(s) but the header has {expected_len}")
                    }
                    _ => format!("unreadable CSV: {err}"),
                };
                sink.emit(Item::Problem { at: Spot::line(line), message });
            }
        }
    }
}

/// Every record of `csv`, with its line (see [`each_record`]), for readers that look at the
/// whole file before the first figure.
pub fn all_records<R: std::io::Read>(
    csv: &mut csv::Reader<R>,
    text: &str,
    sink: &mut dyn Sink,
) -> Vec<(u64, csv::StringRecord)> {
    let mut rows = Vec::new();
    each_record(csv, text, sink, |line, record, _| rows.push((line, record.clone())));
    rows
}

/// What the user tells the importer that a file may not say.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// The source of every value (`--source`); else the agency the file names.
    pub source: Option<String>,
    /// The vintage (`--published`), where the file has none.
    pub published: Option<NaiveDate>,
    /// The kind of every value (`--kind`), where the format has no status.
    pub kind: Option<Kind>,
    /// Codes of the file mapped onto econtrack's (`--map FILE`).
    pub map: Mapping,
    /// The entity every series of a file is about (`--entity`), for formats that name none
    /// (FRED); a map row or the built-in catalogue wins for the series it names.
    pub entity: Option<String>,
    /// Warnings that a file may be damaged (a last line cut short) are errors (`--strict`).
    pub strict: bool,
    /// The file writes `12,4` for 12.4 (`--decimal-comma`): a locale's export, declared by
    /// the user because the file cannot say so and a comma is never taken for a point.
    pub decimal_comma: bool,
}

impl Flags {
    /// A value as the file writes it, by the decimal mark declared for it.
    pub fn number(&self, text: &str) -> Result<Decimal, String> {
        if !self.decimal_comma {
            return parse_number(text);
        }
        if text.contains('.') {
            return Err(format!(
                "bad number \"{text}\": --decimal-comma says this file writes 12,4, so a '.' is not a decimal mark"
            ));
        }
        parse_number(&text.replacen(',', ".", 1))
    }
}

/// `--map FILE`: a CSV with columns `dimension,code,to`, where dimension is `indicator` or
/// `entity`, code is what the file says (a series code or key, a country code or name) and
/// `to` is the econtrack code it stands for.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    indicators: HashMap<String, String>,
    entities: HashMap<String, String>,
}

impl Mapping {
    /// Reads a map file of at most 16 MiB: a longer one (or an endless
    /// stream) is refused at the line where the limit falls, without reading further.
    pub fn read(path: &Path) -> Result<Mapping, String> {
        use std::io::Read;
        const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
        let name = path.display();
        let mut text = Vec::new();
        std::fs::File::open(path)
            .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut text))
            .map_err(|err| format!("cannot read {name}: {err}"))?;
        if text.len() as u64 > MAX_FILE_BYTES {
            let line = text.iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(format!(
                "{name}:{line}: a map file holds at most {MAX_FILE_BYTES} bytes (16 MiB), and this one goes on past them"
            ));
        }
        let (text, _) = decode(&text, false).map_err(|m| format!("{name}: {m}"))?;
        let mut reader = crate::io::csvio::reader(text.as_bytes());
        let header = reader.headers().map_err(|err| format!("{name}:1: {err}"))?.clone();
        if header.iter().collect::<Vec<_>>() != ["dimension", "code", "to"] {
            return Err(format!("{name}:1: a map file has the columns dimension,code,to"));
        }
        let mut map = Mapping::default();
        for record in reader.records() {
            let record = record.map_err(|err| format!("{name}: {err}"))?;
            let line = record.position().map_or(0, |p| p.line());
            let (dimension, code, to) = (&record[0], &record[1], &record[2]);
            crate::domain::model::check_code("code to map onto", to).map_err(|err| format!("{name}:{line}: {err}"))?;
            let table = match dimension {
                "indicator" => &mut map.indicators,
                "entity" => &mut map.entities,
                other => {
                    return Err(format!("{name}:{line}: bad dimension \"{other}\": use indicator or entity"));
                }
            };
            if table.insert(code.to_string(), to.to_string()).is_some() {
                return Err(format!("{name}:{line}: {dimension} \"{code}\" is mapped twice"));
            }
        }
        Ok(map)
    }

    pub fn indicator(&self, code: &str) -> Option<&str> {
        self.indicators.get(code).map(String::as_str)
    }

    /// The indicator of a calendar event: the row whose code the summary starts with (the
    /// longest such, letter case aside), as `indicator,Consumer prices,cpi.yoy` maps
    /// "Consumer prices, December 2026".
    pub fn indicator_prefix(&self, summary: &str) -> Option<&str> {
        let summary = summary.to_lowercase();
        self.indicators
            .iter()
            .filter(|(prefix, _)| !prefix.is_empty() && summary.starts_with(&prefix.to_lowercase()))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, to)| to.as_str())
    }

    pub fn entity(&self, code: &str) -> Option<&str> {
        self.entities.get(code).map(String::as_str)
    }
}

/// What an SDMX `ACTION` asks for a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `I`, `A`, `M` or no ACTION column: econtrack's idempotent insert.
    Merge,
    /// `R`: correct what is stored under the same key (the `--replace` rules).
    Replace,
    /// `D`: retract the value stored under the same key (the figure's value is not read).
    Retract,
}

/// Where in a file something is: its line, and its column in a wide file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    pub line: u64,
    pub column: Option<u64>,
}

impl Spot {
    pub fn line(line: u64) -> Spot {
        Spot { line, column: None }
    }

    pub fn cell(line: u64, column: usize) -> Spot {
        Spot { line, column: Some(column as u64 + 1) }
    }
}

impl fmt::Display for Spot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(f, "{}:{column}", self.line),
            None => write!(f, "{}", self.line),
        }
    }
}

/// One thing a reader found, in file order.
#[derive(Debug, Clone)]
pub enum Item {
    /// What the file was read as, for the import's report.
    Read(String),
    /// Records to create unless a record of the same code exists.
    Source(Source),
    Indicator(Indicator),
    Entity(Entity),
    Document(Document),
    Figure {
        at: Spot,
        figure: Figure,
        action: Action,
    },
    /// A release an agency's calendar announces (not a figure): written as `release add`
    /// and `releases.csv` write one.
    Release {
        at: Spot,
        release: crate::domain::release::Release,
    },
    Problem {
        at: Spot,
        message: String,
    },
    /// A problem of the whole file (no line).
    FileProblem(String),
    /// Something the user should know, stored anyway (a file that may be cut short);
    /// a problem under `--strict`.
    Warning {
        at: Spot,
        message: String,
    },
    /// What the reader decided for the whole file, for the import's report (aggregates it
    /// created, values it filed as forecasts).
    Note(String),
    /// Cells published without a value, by reason, counted and not stored.
    Missing {
        reason: String,
        count: u64,
    },
}

/// Where a reader sends what it finds.
pub trait Sink {
    fn emit(&mut self, item: Item);
}

impl Sink for Vec<Item> {
    fn emit(&mut self, item: Item) {
        self.push(item);
    }
}

/// Reads a whole file of `format` into `sink`.
pub fn read(format: Format, file: &str, bytes: &[u8], flags: &Flags, sink: &mut dyn Sink) {
    let file = Path::new(file).file_name().map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned());
    match format {
        Format::Sdmx => sdmx::read(&file, bytes, flags, sink),
        Format::WeoReport => weo::read_report(&file, bytes, flags, sink),
        Format::ImfPortal => imf_portal::read(&file, bytes, flags, sink),
        Format::Fred => fred::read_fred(&file, bytes, flags, sink),
        Format::Alfred => fred::read_alfred(&file, bytes, flags, sink),
        Format::EurostatTsv => eurostat_tsv::read(&file, bytes, flags, sink),
        Format::EcbPortal => ecb::read(&file, bytes, flags, sink),
        Format::WorldBank => worldbank::read(&file, bytes, flags, sink),
        Format::OecdStat => oecd_stat::read(&file, bytes, flags, sink),
        Format::BisBulk => bis::read(&file, bytes, flags, sink),
        Format::Ics => ics::read(&file, bytes, flags, sink),
    }
}

/// A document record for a dataflow or edition, saying which file it was read from.
pub fn file_document(code: String, title: &str, published: Option<NaiveDate>, file: &str) -> Document {
    Document {
        code,
        publication: None,
        issue: None,
        title: title.to_string(),
        author: None,
        published,
        url: None,
        note: Some(format!("imported from {file}")),
    }
}

/// Counts of cells published without a value, by reason, in first-seen order.
#[derive(Debug, Default)]
pub struct MissingCounts(Vec<(String, u64)>);

impl MissingCounts {
    pub fn add(&mut self, reason: &str) {
        match self.0.iter_mut().find(|(r, _)| r == reason) {
            Some((_, count)) => *count += 1,
            None => self.0.push((reason.to_string(), 1)),
        }
    }

    pub fn emit(self, sink: &mut dyn Sink) {
        for (reason, count) in self.0 {
            sink.emit(Item::Missing { reason, count });
        }
    }
}

/// A published number as an exact decimal: `-12.5`, or the exponent form some agencies
/// write (`1.576917E+17`, `5e-3`), scaled exactly.
pub fn parse_number(text: &str) -> Result<Decimal, String> {
    if let Some((mantissa, exponent)) = text.split_once(['E', 'e']) {
        let digits = exponent.strip_prefix('+').unwrap_or(exponent);
        let exponent = digits
            .parse::<i32>()
            .ok()
            .filter(|e| (-40..=40).contains(e) && !digits.is_empty() && !digits.starts_with('+'))
            .ok_or_else(|| format!("bad number \"{text}\": the exponent is not a whole number"))?;
        let mantissa = crate::domain::value::parse_decimal(mantissa).map_err(|e| e.to_string())?;
        return scale(mantissa, exponent);
    }
    crate::domain::value::parse_decimal(text).map_err(|e| e.to_string())
}

/// Formats whose files always end with a line end (FRED, ALFRED, the agencies' SDMX-CSV):
/// a last line without one may be a download cut short, a warning (an error under
/// `--strict`) on that line.
pub fn check_last_line(bytes: &[u8], strict: bool, sink: &mut dyn Sink) {
    if bytes.is_empty() || bytes.ends_with(b"\n") {
        return;
    }
    let line = bytes.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let message = "the last line has no line end, so the file may have been cut short (a download broken off): compare its last value with the agency's, or download it again".to_string();
    if strict {
        sink.emit(Item::Problem { at: Spot::line(line), message: format!("{message} (--strict)") });
    } else {
        sink.emit(Item::Warning { at: Spot::line(line), message: format!("{message}; --strict refuses such files") });
    }
}

/// Multiplies a published value by 10^exponent exactly (UNIT_MULT, WEO's Scale).
pub fn scale(value: Decimal, exponent: i32) -> Result<Decimal, String> {
    let mut scaled = value;
    let ten = Decimal::TEN;
    for _ in 0..exponent.unsigned_abs() {
        scaled = if exponent > 0 { scaled.checked_mul(ten) } else { scaled.checked_div(ten) }
            .ok_or_else(|| format!("{value} × 10^{exponent} does not fit in an exact decimal"))?;
    }
    let scaled = canonical(scaled);
    if within_digits(scaled) {
        Ok(scaled)
    } else {
        Err(format!("{value} × 10^{exponent} has more than 28 significant digits"))
    }
}

/// An indicator code of econtrack's grammar (dotted lowercase) made from a file's own series
/// code (`weo.NGDP_R` → `weo.ngdp_r`, `oecd.DF_PRICES_ALL.N.CPI._T` →
/// `oecd.df_prices_all.n.cpi.t`); `None` when nothing usable is left or it is too long.
pub fn indicator_code(text: &str) -> Option<String> {
    crate::domain::model::CodeKind::IndicatorCode.suggest(text)
}

/// The indicator code of a series of its own: `prefix.key` in econtrack's grammar; where
/// that is over 64 characters, the key without its "not applicable" and "total" parts
/// (`_Z`, `_T`); and where that is still too long, its first part with a short digest of
/// the whole key, so that two series never share a code. The full key stays in the
/// indicator's description.
pub fn series_code(prefix: &str, key: &str) -> Option<String> {
    if let Some(code) = indicator_code(&format!("{prefix}.{key}")) {
        return Some(code);
    }
    let kept: Vec<&str> = key.split('.').filter(|part| !matches!(*part, "_Z" | "_T" | "_X" | "")).collect();
    if let Some(code) = indicator_code(&format!("{prefix}.{}", kept.join("."))) {
        return Some(code);
    }
    // FNV-1a: stable across runs and platforms, unlike the standard library's hasher.
    let digest = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let head: String = format!("{prefix}.{}", kept.join(".")).chars().take(46).collect();
    let head = indicator_code(&head).unwrap_or_else(|| prefix.to_string());
    indicator_code(&format!("{}.{digest:016x}", head.trim_end_matches(['.', '_', '-'])))
}

/// Makes a document code from a dataflow or edition name: the code's safe characters,
/// everything else a '-'.
pub fn document_code(name: &str) -> String {
    let mut code = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_') {
            code.push(c);
        } else if !code.ends_with('-') {
            code.push('-');
        }
    }
    let code = code.trim_matches('-').to_string();
    code.chars().take(64).collect()
}

/// The source a file's agency stands for, and its record.
pub fn agency_source(agency: &str) -> Option<Source> {
    let agency = agency.to_ascii_uppercase();
    let (slug, name, url) = if agency.starts_with("OECD") {
        ("oecd", "Organisation for Economic Co-operation and Development", "https://www.oecd.org/")
    } else if agency == "ESTAT" || agency == "EUROSTAT" {
        ("eurostat", "Eurostat", "https://ec.europa.eu/eurostat")
    } else if agency == "BIS" {
        ("bis", "Bank for International Settlements", "https://www.bis.org/")
    } else if agency.starts_with("IMF") {
        ("imf", "International Monetary Fund", "https://www.imf.org/")
    } else if agency == "ECB" {
        ("ecb", "European Central Bank", "https://www.ecb.europa.eu/")
    } else if agency == "WB" || agency == "WORLD BANK" {
        ("world-bank", "World Bank", "https://data.worldbank.org/")
    } else if agency == "FRED" || agency == "ALFRED" {
        ("fred", "Federal Reserve Bank of St. Louis (FRED, ALFRED)", "https://fred.stlouisfed.org/")
    } else {
        return None;
    };
    let kind = if slug == "fred" || slug == "ecb" { "bank" } else { "international-org" };
    Some(Source {
        slug: slug.to_string(),
        name: name.to_string(),
        name_zh: None,
        kind: Some(kind.to_string()),
        url: Some(url.to_string()),
    })
}

/// The source every value of a file is by: `--source`, else the file's agency (whose
/// record is emitted so that it exists). `None` after reporting why there is none.
pub fn choose_source(flags: &Flags, agency: Option<&str>, sink: &mut dyn Sink) -> Option<String> {
    if let Some(slug) = &flags.source {
        return Some(slug.clone());
    }
    match agency.and_then(agency_source) {
        Some(source) => {
            let slug = source.slug.clone();
            sink.emit(Item::Source(source));
            Some(slug)
        }
        None => {
            let named = agency.map_or_else(|| "names no agency".to_string(), |a| format!("names agency \"{a}\""));
            sink.emit(Item::FileProblem(format!(
                "the file {named}, which econtrack does not know: give the source with --source SLUG"
            )));
            None
        }
    }
}

/// The vintage of a file that has none of its own: `--published`, or one problem.
pub fn require_published(flags: &Flags, why: &str, sink: &mut dyn Sink) -> Option<NaiveDate> {
    if flags.published.is_none() {
        sink.emit(Item::FileProblem(format!("{why}: give the vintage with --published YYYY-MM-DD")));
    }
    flags.published
}

/// An entity record for an ISO country, named as the file (or the standard) names it.
pub fn country_entity(code: &str, name: &str) -> Entity {
    Entity { code: code.to_string(), name: name.to_string(), name_zh: None, kind: Some("country".to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_first_line() {
        let sniff = |text: &str| Format::sniff(text.as_bytes());
        assert_eq!(sniff("DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\n"), Some(Format::Sdmx));
        assert_eq!(sniff("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA\r\n"), Some(Format::Sdmx));
        assert_eq!(sniff("\u{feff}\"DATASET\",\"SERIES_CODE\",\"COUNTRY\"\n"), Some(Format::ImfPortal));
        assert_eq!(sniff("observation_date,GDPC1\n"), Some(Format::Fred));
        assert_eq!(sniff("DATE,PAYEMS_CHG_20220107,PAYEMS_CHG_20210205\n"), Some(Format::Alfred));
        assert_eq!(sniff("Country\tSubject Descriptor\tUnits\tScale\t2021\n"), Some(Format::WeoReport));
        assert_eq!(sniff("indicator,entity,period,kind,value,source,published\n"), None);
        assert_eq!(sniff("code,name\n"), None);
        assert_eq!(sniff("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), Some(Format::Ics));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("WEO Country Code\tISO\tWEO Subject Code\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(Format::sniff(&utf16), Some(Format::WeoReport));
    }

    #[test]
    fn lines_count_the_same_for_lf_and_crlf() {
        for end in ["\n", "\r\n"] {
            let text = ["a,b", "1,2", "3,4", "5,6"].join(end);
            let mut reader = crate::io::csvio::reader(text.as_bytes());
            let mut lines = Lines::new(&text);
            let mut record = csv::StringRecord::new();
            let mut seen = Vec::new();
            while reader.read_record(&mut record).unwrap() {
                seen.push(lines.of(record.position(), reader.position()));
            }
            assert_eq!(seen, [2, 3, 4], "{end:?}");
        }
    }

    #[test]
    fn scaling_is_exact() {
        let d = |s: &str| crate::domain::value::parse_decimal(s).unwrap();
        assert_eq!(scale(d("1796.622"), 9).unwrap().to_string(), "1796622000000");
        assert_eq!(scale(d("23962.1"), 6).unwrap().to_string(), "23962100000");
        assert_eq!(scale(d("5"), -2).unwrap().to_string(), "0.05");
        assert!(scale(d("1234567890123456789012345"), 9).is_err());
    }

    #[test]
    fn document_codes_keep_the_safe_characters() {
        assert_eq!(
            document_code("OECD.SDD.TPS:DSD_PRICES@DF_PRICES_ALL(1.0)"),
            "OECD.SDD.TPS-DSD_PRICES-DF_PRICES_ALL-1.0"
        );
        assert_eq!(document_code("IMF.RES:WEO(6.0.0)"), "IMF.RES-WEO-6.0.0");
    }
}
