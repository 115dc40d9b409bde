//! Eurostat's bulk-download TSV (`freq,unit,geo\TIME_PERIOD<TAB>2023 <TAB>2024 `, or the
//! older `unit,geo\time`): the series key in the first column, comma-separated, one column
//! per period; a value may carry flags after a space (`1.2 p`, `27.7 b`), `:` is no value
//! (`: c` confidential). The file states no vintage: `--published` gives it.
//!
//! Flags: `f` (forecast) files the value as a forecast, `e` and `s` (estimated) as an
//! estimate; every other flag (provisional, break, low reliability, …) is an actual, and
//! the flag is kept in the value's note.

use super::areas::Dialect;
use super::observations::{self, Observation, Observations};
use super::{Flags, Item, Sink, Spot};
use crate::domain::value::Kind;

fn status(flags: &str) -> Option<Kind> {
    if flags.contains('f') {
        Some(Kind::Forecast)
    } else if flags.contains('e') || flags.contains('s') {
        Some(Kind::Estimate)
    } else {
        None
    }
}

/// Whether a first line is a Eurostat TSV header.
pub fn is_header(first_line: &str) -> bool {
    let key = first_line.split('\t').next().unwrap_or("");
    first_line.contains('\t') && (key.ends_with("\\TIME_PERIOD") || key.ends_with("\\time"))
}

pub fn read(file: &str, bytes: &[u8], flags: &Flags, sink: &mut dyn Sink) {
    let Some(text) = super::text_of(bytes, false, sink) else { return };
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let (dimensions, _) = header[0].rsplit_once('\\').unwrap_or((header[0], ""));
    let dimensions: Vec<&str> = dimensions.split(',').collect();
    let geo = dimensions.iter().position(|d| d.eq_ignore_ascii_case("geo"));
    let freq = dimensions.iter().position(|d| d.eq_ignore_ascii_case("freq"));
    let unit = dimensions.iter().position(|d| d.eq_ignore_ascii_case("unit"));
    let mut periods = Vec::with_capacity(header.len());
    for (at, name) in header.iter().enumerate().skip(1) {
        match observations::period(name) {
            Some(period) => periods.push(period),
            None => {
                return sink.emit(Item::Problem {
                    at: Spot::cell(1, at),
                    message: format!(
                        "column {} \"{}\" is not a period (2024, 2024Q1, 2024M01, 2024-01): fix the header",
                        at + 1,
                        name.trim()
                    ),
                });
            }
        }
    }
    sink.emit(Item::Read(format!("Eurostat TSV bulk download ({})", header[0])));
    let Some(published) =
        super::require_published(flags, "a Eurostat TSV download does not say when its data were published", sink)
    else {
        return;
    };
    let title = format!("Eurostat bulk download {file}");
    let document = format!("eurostat.{}.{published}", file.trim_end_matches(".tsv").trim_end_matches(".gz"));
    let Some(mut reader) = Observations::start(
        flags,
        "ESTAT",
        "eurostat",
        Dialect::Eurostat,
        published,
        (&document, &title),
        file,
        status,
        sink,
    ) else {
        return;
    };
    for (index, raw) in lines.enumerate() {
        let line = index as u64 + 2;
        if raw.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = raw.split('\t').collect();
        if cells.len() != header.len() {
            sink.emit(Item::Problem {
                at: Spot::line(line),
                message: format!("row has {} cell(s) but the header has {}", cells.len(), header.len()),
            });
            continue;
        }
        let key: Vec<&str> = cells[0].split(',').map(str::trim).collect();
        if key.len() != dimensions.len() {
            sink.emit(Item::Problem {
                at: Spot::cell(line, 0),
                message: format!(
                    "series key \"{}\" has {} part(s) but the header names {} ({})",
                    cells[0],
                    key.len(),
                    dimensions.len(),
                    dimensions.join(",")
                ),
            });
            continue;
        }
        let series: Vec<&str> =
            key.iter().enumerate().filter(|(i, _)| Some(*i) != geo && Some(*i) != freq).map(|(_, k)| *k).collect();
        let series = series.join(".");
        let area = match geo {
            Some(at) => key[at],
            None => flags.entity.as_deref().unwrap_or(""),
        };
        let unit_code = unit.map_or("", |at| key[at]);
        let exponent = super::catalog::unit(unit_code).map_or(0, |(_, e)| e);
        for (at, period) in periods.iter().enumerate().map(|(i, p)| (i + 1, *p)) {
            let cell = cells[at].trim();
            let (value, flag) = cell.split_once(' ').map_or((cell, ""), |(v, f)| (v, f.trim()));
            if value == ":" || value.is_empty() {
                reader.missing(if flag.is_empty() { ":" } else { flag });
                continue;
            }
            let observation = Observation {
                at: Spot::cell(line, at),
                area: (area, ""),
                key: &series,
                name: "",
                unit: unit_code,
                exponent,
                period,
                value,
                status: flag,
            };
            reader.observe(observation, sink);
        }
    }
    reader.finish(sink);
    super::check_last_line(bytes, flags.strict, sink);
}
