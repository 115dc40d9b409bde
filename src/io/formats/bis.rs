//! The BIS's bulk CSV downloads, in the three shapes the BIS has published them:
//! - a row per series, a code and a label column per dimension (`FREQ,Frequency,REF_AREA,
//!   Reference area,…,TITLE_TS,Series,1947-Q4,…`, since 2023);
//! - a row per series, each cell `CODE:Label` (`"Frequency","Reference area",…,"Time
//!   Period","1946-01",…`), sometimes under a preamble (`Dataset,…`, `Retrieved on,…`);
//! - a column per series, the dimensions in rows above the dates (`Frequency,D:Daily,…`,
//!   `Time Period,D:AR,…`, then `2019-03-05,50.219,…`).
//!
//! `NaN` and empty cells are no value. The files state no vintage but the preamble's
//! `Retrieved on`: `--published` gives it.

use super::areas::Dialect;
use super::observations::{self, Observation, Observations};
use super::{Flags, Item, Sink, Spot};
use crate::domain::period::Period;

/// Columns (or rows) that describe a series without being part of its key.
const ATTRIBUTES: &[&str] = &[
    "TIME_FORMAT",
    "Time Format",
    "TITLE_TS",
    "Title",
    "Title (tseries level)",
    "Series",
    "DECIMALS",
    "Decimals",
    "BREAKS",
    "Breaks",
    "COVERAGE",
    "Coverage",
    "COMPILATION",
    "Compilation",
    "Publication Source",
    "SOURCE_REF",
    "Supplemental information and breaks",
    "SUPP_INFO_BREAKS",
    "UNIT_MULT",
    "Unit Multiplier",
    "Time Period",
    "COLLECTION",
    "AVAILABILITY",
    "OBS_CONF",
];

/// Whether a file is a BIS bulk download, by its first line (and its preamble).
pub fn is_header(cells: &[&str], text: &str) -> bool {
    (cells.len() > 2 && cells[0] == "FREQ" && cells[1] == "Frequency")
        || (cells.first() == Some(&"Frequency") && (cells.contains(&"Time Period") || text.contains("\nTime Period,")))
        || (cells.first() == Some(&"Dataset") && text.contains("\"Time Period\""))
}

/// One series of the file: its key (the dataflow's name first), name, area (code, label),
/// unit, power of ten.
struct Series {
    key: String,
    name: String,
    area: (String, String),
    unit: String,
    exponent: i32,
}

fn is_area(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name == "REF_AREA" || name.ends_with("_CTY") || lower == "reference area" || lower.ends_with("country")
}

fn code_and_label(cell: &str) -> (&str, &str) {
    cell.split_once(':').map_or((cell, ""), |(c, l)| (c.trim(), l.trim()))
}

/// A series from its dimension columns: (header, code, label) each.
fn series(dataset: &str, dimensions: &[(&str, &str, &str)]) -> Series {
    let mut key = Vec::new();
    if !dataset.is_empty() {
        key.push(dataset);
    }
    let mut names = Vec::new();
    let mut area = (String::new(), String::new());
    let (mut unit, mut exponent) = (String::new(), 0);
    for &(header, code, label) in dimensions {
        if header.eq_ignore_ascii_case("FREQ") || header == "Frequency" {
            continue;
        }
        if is_area(header) {
            area = (code.to_string(), label.to_string());
            continue;
        }
        if header == "UNIT_MULT" || header == "Unit Multiplier" {
            exponent = code.parse().unwrap_or(0);
            continue;
        }
        if ATTRIBUTES.contains(&header) || code.is_empty() {
            continue;
        }
        if header.eq_ignore_ascii_case("UNIT_MEASURE") || header == "Unit of measure" {
            unit = if label.is_empty() { code.to_string() } else { label.to_string() };
        }
        key.push(code);
        if !label.is_empty() {
            names.push(label);
        }
    }
    Series { key: key.join("."), name: names.join(", "), area, unit, exponent }
}

pub fn read(file: &str, bytes: &[u8], flags: &Flags, sink: &mut dyn Sink) {
    let Some(text) = super::text_of(bytes, true, sink) else { return };
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let rows = super::all_records(&mut csv, &text, sink);
    // The preamble of the older downloads, with the day the file was retrieved.
    let mut retrieved = None;
    let mut start = 0;
    while let Some((_, row)) = rows.get(start) {
        let first = row.get(0).unwrap_or("");
        if first == "FREQ"
            || row.iter().any(|c| c == "Time Period")
            || (first == "Frequency" && row.get(1).is_some_and(|c| c.contains(':')))
        {
            break;
        }
        if first == "Retrieved on" {
            retrieved = retrieved_on(row.get(1).unwrap_or(""));
        }
        start += 1;
    }
    let rows = &rows[start.min(rows.len())..];
    let Some((_, first)) = rows.first() else {
        return sink.emit(Item::FileProblem("no header row (Frequency or FREQ) in this BIS file".to_string()));
    };
    let by_row = first.get(1).is_some_and(|c| c.contains(':')) && first.len() > 2 && {
        !first.iter().any(|c| observations::period(c).is_some())
    };
    sink.emit(Item::Read(format!(
        "BIS bulk download ({})",
        if by_row { "a column per series" } else { "a row per series" }
    )));
    let Some(published) = flags.published.or(retrieved) else {
        return sink.emit(Item::FileProblem(
            "a BIS bulk download does not say when its data were published: give the vintage with --published YYYY-MM-DD"
                .to_string(),
        ));
    };
    // The BIS names its bulk files by dataflow (`WS_CBPOL_csv_col.csv`), which no column
    // repeats: it keeps two datasets' series apart.
    let dataset = dataflow_of(file);
    let Some(mut reader) = Observations::start(
        flags,
        "BIS",
        "bis",
        Dialect::Iso,
        published,
        (&format!("bis.{file}.{published}"), &format!("BIS bulk download {file}")),
        file,
        |_| None,
        sink,
    ) else {
        return;
    };
    if by_row {
        by_column_series(rows, &dataset, &mut reader, sink);
    } else {
        by_row_series(rows, &dataset, &mut reader, sink);
    }
    reader.finish(sink);
}

/// The dataflow a bulk file is named after (`WS_CBPOL` of `WS_CBPOL_D_csv_row.csv`), as the
/// first part of its series' keys; empty when the name does not say.
fn dataflow_of(file: &str) -> String {
    let stem = file.rsplit('/').next().unwrap_or(file);
    let Some(start) = stem.find("WS_").or_else(|| stem.find("WEBSTATS_")) else { return String::new() };
    let name = &stem[start..];
    let end = ["_csv", "_DATAFLOW", "."].iter().filter_map(|cut| name.find(cut)).min().unwrap_or(name.len());
    let name = &name[..end];
    // WS_CBPOL_D: the frequency letter is not part of the dataflow.
    let name = match name.rsplit_once('_') {
        Some((flow, freq)) if freq.len() == 1 => flow,
        _ => name,
    };
    name.to_string()
}

/// `Tue Nov 21 13:14:54 GMT 2017` as a date.
fn retrieved_on(text: &str) -> Option<chrono::NaiveDate> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, month, day, _, _, year] = parts[..] else { return None };
    chrono::NaiveDate::parse_from_str(&format!("{day} {month} {year}"), "%d %b %Y").ok()
}

fn observe(reader: &mut Observations, at: Spot, series: &Series, period: Period, value: &str, sink: &mut dyn Sink) {
    if value.is_empty() || value == "NaN" {
        reader.missing(if value.is_empty() { "empty" } else { "NaN" });
        return;
    }
    let observation = Observation {
        at,
        area: (&series.area.0, &series.area.1),
        key: &series.key,
        name: &series.name,
        unit: &series.unit,
        exponent: series.exponent,
        period,
        value,
        status: "",
    };
    reader.observe(observation, sink);
}

/// A row per series: dimension columns (code and label columns, or `CODE:Label` cells),
/// then a column per period.
fn by_row_series(rows: &[(u64, csv::StringRecord)], dataset: &str, reader: &mut Observations, sink: &mut dyn Sink) {
    let (_, header) = &rows[0];
    let header: Vec<&str> = header.iter().map(str::trim).collect();
    let first_period = header.iter().position(|h| observations::period(h).is_some()).unwrap_or(header.len());
    let periods: Vec<(usize, Option<Period>)> =
        (first_period..header.len()).map(|at| (at, observations::period(header[at]))).collect();
    if let Some((at, _)) = periods.iter().find(|(at, p)| p.is_none() && !header[*at].is_empty()) {
        return sink.emit(Item::Problem {
            at: Spot::cell(1, *at),
            message: format!("column {} \"{}\" is not a period (2024, 2024-Q1, 2024-01)", at + 1, header[*at]),
        });
    }
    // Code and label columns (FREQ,Frequency) pair up; a lone column holds CODE:Label.
    let paired = header.len() > 1 && header[0] == "FREQ";
    for (line, row) in &rows[1..] {
        let cell = |at: usize| row.get(at).unwrap_or("").trim();
        let mut dimensions = Vec::new();
        let mut at = 0;
        while at < first_period {
            if paired {
                dimensions.push((header[at], cell(at), cell(at + 1)));
                at += 2;
            } else {
                let (code, label) = code_and_label(cell(at));
                dimensions.push((header[at], code, label));
                at += 1;
            }
        }
        let series = series(dataset, &dimensions);
        for &(at, period) in &periods {
            let Some(period) = period else { continue };
            observe(reader, Spot::cell(*line, at), &series, period, cell(at), sink);
        }
    }
}

/// A column per series: rows of `Name,CODE:Label,…` above `Time Period,…`, then a row per
/// date.
fn by_column_series(rows: &[(u64, csv::StringRecord)], dataset: &str, reader: &mut Observations, sink: &mut dyn Sink) {
    let Some(data_start) = rows.iter().position(|(_, r)| r.get(0) == Some("Time Period")) else {
        return sink.emit(Item::FileProblem("no Time Period row above the dates in this BIS file".to_string()));
    };
    let width = rows[data_start].1.len();
    let columns: Vec<Series> = (1..width)
        .map(|at| {
            let dimensions: Vec<(&str, &str, &str)> = rows[..data_start]
                .iter()
                .map(|(_, r)| {
                    let (code, label) = code_and_label(r.get(at).unwrap_or("").trim());
                    (r.get(0).unwrap_or("").trim(), code, label)
                })
                .collect();
            series(dataset, &dimensions)
        })
        .collect();
    for (line, row) in &rows[data_start + 1..] {
        let date = row.get(0).unwrap_or("").trim();
        let Some(period) = observations::period(date) else {
            sink.emit(Item::Problem { at: Spot::cell(*line, 0), message: format!("bad date \"{date}\"") });
            continue;
        };
        for (at, series) in columns.iter().enumerate().map(|(i, s)| (i + 1, s)) {
            observe(reader, Spot::cell(*line, at), series, period, row.get(at).unwrap_or("").trim(), sink);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_files_are_named_by_their_dataflow() {
        assert_eq!(dataflow_of("WS_CBPOL_D_csv_row.csv"), "WS_CBPOL");
        assert_eq!(dataflow_of("WS_LONG_CPI_csv_col.csv"), "WS_LONG_CPI");
        assert_eq!(dataflow_of("WEBSTATS_SELECTED_PP_DATAFLOW_csv_col.csv"), "WEBSTATS_SELECTED_PP");
        assert_eq!(dataflow_of("policy_rates.csv"), "");
    }
}
