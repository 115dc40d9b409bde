//! Where the format readers meet the import: telling an input's format from its first
//! bytes, reading a foreign file on its own thread into chunks of [`Item`]s for the writer,
//! and locating problems as `file:line:` or `file:line:column:`.

use super::{Flags, Format, Item, Sink, Spot};
use crate::io::import::{Input, Problem};
use anyhow::{Context, Result};
use std::io::Read;
use tokio::sync::mpsc;

/// Bytes read to tell a format: enough for any header line seen in the wild.
const SNIFF_BYTES: usize = 64 * 1024;
/// Items sent to the writer at a time.
const CHUNK: usize = 1000;
/// The largest agency file econtrack reads (they are read whole: a reader needs the
/// footer, or every date of a column, before its first figure). The full WEO database is
/// about 17 MB; an endless or runaway input stops here instead of filling memory.
pub const MAX_AGENCY_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// A file in an agency's format, read whole (readers need the footer, the decimal mark of
/// every cell, or every date of a column before the first figure).
pub struct ForeignFile {
    pub name: String,
    pub format: Format,
    pub bytes: Vec<u8>,
}

pub enum Sniffed {
    /// econtrack's own CSV (or what the CSV import will describe), to read as before.
    Csv(Input),
    Foreign(ForeignFile),
    /// A file in a format econtrack knows of but does not read.
    Refused(Problem),
}

/// Tells an input's format from its start. A CSV input is handed back reading from its
/// first byte again, its bytes streamed as before.
pub fn sniff(mut input: Input) -> Result<Sniffed> {
    let mut head = Vec::with_capacity(8192);
    (&mut input.data)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .with_context(|| format!("reading {}", input.name))?;
    if let Some(what) = unsupported(&head) {
        let message = format!("this is {what}, which econtrack does not read");
        return Ok(Sniffed::Refused(Problem { file: input.name, line: None, message }));
    }
    match Format::sniff(&head) {
        Some(format) => {
            let mut bytes = head;
            let room = MAX_AGENCY_FILE_BYTES + 1 - bytes.len() as u64;
            (&mut input.data).take(room).read_to_end(&mut bytes).with_context(|| format!("reading {}", input.name))?;
            if bytes.len() as u64 > MAX_AGENCY_FILE_BYTES {
                let message = format!(
                    "the file is larger than {} MiB, the most econtrack reads of an agency's file: download a smaller selection (fewer countries or series), or split it at line boundaries keeping the header",
                    MAX_AGENCY_FILE_BYTES >> 20
                );
                return Ok(Sniffed::Refused(Problem { file: input.name, line: None, message }));
            }
            Ok(Sniffed::Foreign(ForeignFile { name: input.name, format, bytes }))
        }
        None => {
            let rest = std::mem::replace(&mut input.data, Box::new(std::io::empty()));
            input.data = Box::new(std::io::Cursor::new(head).chain(rest));
            Ok(Sniffed::Csv(input))
        }
    }
}

/// Formats a user may hand econtrack by mistake, by their first bytes.
fn unsupported(head: &[u8]) -> Option<&'static str> {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let trimmed = text.iter().position(|b| !b.is_ascii_whitespace()).map_or(&text[..0], |i| &text[i..]);
    if head.starts_with(b"PK\x03\x04") {
        Some("a zip archive (an Excel .xlsx workbook, or a zipped download): unzip it, or save the sheet as CSV")
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some("a binary Excel workbook (.xls): save the sheet as CSV (UTF-8)")
    } else if head.starts_with(b"%PDF") {
        Some("a PDF document")
    } else if trimmed.starts_with(b"<") {
        Some("XML or HTML (SDMX-ML or a web page): download the CSV form (SDMX-CSV) instead")
    } else if trimmed.starts_with(b"{") || trimmed.starts_with(b"[") {
        Some("JSON (SDMX-JSON or an API response): download the CSV form (SDMX-CSV) instead")
    } else {
        near_miss(trimmed.split(|&b| b == b'\n').next().unwrap_or(&[]))
    }
}

/// Headers of files close to a format econtrack reads, saved or downloaded in a form it
/// does not.
fn near_miss(first_line: &[u8]) -> Option<&'static str> {
    let line = String::from_utf8_lossy(first_line);
    let cells: Vec<&str> = line.trim_end_matches('\r').split(',').map(|c| c.trim().trim_matches('"')).collect();
    let has = |name: &str| cells.contains(&name);
    if has("WEO Subject Code") || (has("Subject Descriptor") && has("Country")) {
        Some("an IMF WEO report saved with commas: import the tab-delimited file the IMF's download gives")
    } else if cells.starts_with(&["realtime_start", "realtime_end", "date", "value"]) {
        Some(
            "FRED API output (realtime_start,realtime_end,date,value): download the series from ALFRED as a vintage CSV instead",
        )
    } else {
        None
    }
}

/// Sends items on in chunks; stops sending once the writer is gone.
struct ChunkSink {
    chunk: Vec<Item>,
    sender: mpsc::Sender<Vec<Item>>,
    closed: bool,
}

impl Sink for ChunkSink {
    fn emit(&mut self, item: Item) {
        if self.closed {
            return;
        }
        self.chunk.push(item);
        if self.chunk.len() == CHUNK {
            self.send();
        }
    }
}

impl ChunkSink {
    fn send(&mut self) {
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
        if self.sender.blocking_send(chunk).is_err() {
            self.closed = true;
        }
    }
}

/// Reads a foreign file into the channel; runs on its own thread and never touches the
/// database.
pub fn read(file: ForeignFile, flags: &Flags, sender: mpsc::Sender<Vec<Item>>) {
    let mut sink = ChunkSink { chunk: Vec::with_capacity(CHUNK), sender, closed: false };
    super::read(file.format, &file.name, &file.bytes, flags, &mut sink);
    if !sink.chunk.is_empty() {
        sink.send();
    }
}

/// A problem at a spot of a file: `file:line:` or, for a cell of a wide file,
/// `file:line:column:`. The column rides in `Problem`'s line field behind `file:line`, so
/// that the one `Problem` type prints both forms.
pub fn problem(file: &str, at: Spot, message: String) -> Problem {
    match at.column {
        Some(column) => Problem { file: format!("{file}:{}", at.line), line: Some(column), message },
        None => Problem { file: file.to_string(), line: Some(at.line), message },
    }
}
