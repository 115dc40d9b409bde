//! The World Bank's files: the WDI download (`"Data Source","World Development
//! Indicators",` and `"Last Updated Date","2023-09-19",` above `"Country Name","Country
//! Code","Indicator Name","Indicator Code","1960",…`) and DataBank's (`Country Name,Country
//! Code,Series Name,Series Code,1990 [YR1990],…`, either pair first, `..` for no value,
//! `Last Updated: 09/16/2022` in the footer). Both date their data: that is the vintage,
//! unless `--published` says otherwise.
//!
//! Aggregates (`WLD`, `EUU`, `HIC`, income and regional groups) are named by the file and
//! become regions; the unit is read from the series name where it says one (`(current
//! US$)`, `(annual %)`).

use super::areas::Dialect;
use super::observations::{Observation, Observations};
use super::{Flags, Item, Sink, Spot};
use crate::domain::period::Period;
use chrono::NaiveDate;

/// Whether a file is one of the World Bank's, by its first line.
pub fn is_header(cells: &[&str]) -> bool {
    let starts = |a: &str, b: &str| cells.len() >= 4 && cells[0] == a && cells[1] == b;
    (cells.first() == Some(&"Data Source") && cells.get(1) == Some(&"World Development Indicators"))
        || starts("Country Name", "Country Code")
        || starts("Series Name", "Series Code")
}

/// The unit a series name states: `GDP (current US$)` is USD, `(annual %)` a percent.
fn unit_of(name: &str) -> &'static str {
    if name.contains("US$") {
        "USD"
    } else if name.contains('%') {
        "percent"
    } else {
        ""
    }
}

/// A year column: `1990` or DataBank's `1990 [YR1990]`.
fn year(header: &str) -> Option<Period> {
    let year = header.split(" [").next()?.trim();
    (year.len() == 4).then(|| year.parse().ok()).flatten().and_then(Period::of_year)
}

pub fn read(file: &str, bytes: &[u8], flags: &Flags, sink: &mut dyn Sink) {
    let Some(text) = super::text_of(bytes, true, sink) else { return };
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut header: Option<(u64, Vec<String>)> = None;
    let mut rows = Vec::new();
    let mut vintage = None;
    for (line, record) in super::all_records(&mut csv, &text, sink) {
        let first = record.get(0).unwrap_or("").trim();
        if header.is_none() {
            if first == "Last Updated Date" {
                vintage = NaiveDate::parse_from_str(record.get(1).unwrap_or("").trim(), "%Y-%m-%d").ok();
            }
            if matches!(first, "Country Name" | "Series Name") {
                header = Some((line, record.iter().map(|c| c.trim().to_string()).collect()));
            }
            continue;
        }
        if let Some(date) = first.strip_prefix("Last Updated: ") {
            vintage = NaiveDate::parse_from_str(date.trim(), "%m/%d/%Y").ok();
        }
        if record.iter().all(|c| c.trim().is_empty())
            || first.starts_with("Data from database")
            || first.starts_with("Last Updated")
        {
            continue;
        }
        rows.push((line, record));
    }
    let Some((_, header)) = header else {
        return sink.emit(Item::FileProblem(
            "no header row (Country Name,Country Code,… or Series Name,Series Code,…) in this World Bank file"
                .to_string(),
        ));
    };
    let find = |name: &str| header.iter().position(|h| h == name);
    let (Some(country), Some(code)) = (find("Country Name"), find("Country Code")) else {
        return sink.emit(Item::FileProblem("a World Bank file has Country Name and Country Code columns".to_string()));
    };
    let series_name = find("Indicator Name").or_else(|| find("Series Name"));
    let series_code = find("Indicator Code").or_else(|| find("Series Code"));
    let (Some(series_name), Some(series_code)) = (series_name, series_code) else {
        return sink.emit(Item::FileProblem(
            "this World Bank file has a row per year and a column per series (DataBank's \"Time\" layout): download it with Series and Country as rows and Time as columns".to_string(),
        ));
    };
    let mut years = Vec::new();
    for (at, name) in header.iter().enumerate() {
        if [country, code, series_name, series_code].contains(&at) || name.is_empty() {
            continue;
        }
        match year(name) {
            Some(period) => years.push((at, period)),
            None => {
                return sink.emit(Item::Problem {
                    at: Spot::cell(1, at),
                    message: format!("column {} \"{name}\" is not a year (1990 or 1990 [YR1990])", at + 1),
                });
            }
        }
    }
    sink.emit(Item::Read("World Bank download (World Development Indicators)".to_string()));
    let Some(published) = flags.published.or(vintage) else {
        return sink.emit(Item::FileProblem(
            "this World Bank file does not say when it was last updated: give the vintage with --published YYYY-MM-DD"
                .to_string(),
        ));
    };
    let Some(mut reader) = Observations::start(
        flags,
        "WB",
        "wb",
        Dialect::Iso,
        published,
        (&format!("wb.wdi.{published}"), &format!("World Development Indicators, updated {published}")),
        file,
        |_| None,
        sink,
    ) else {
        return;
    };
    for (line, row) in &rows {
        let cell = |at: usize| row.get(at).unwrap_or("").trim();
        let (key, name) = (cell(series_code), cell(series_name));
        for &(at, period) in &years {
            let value = cell(at);
            if value.is_empty() || value == ".." {
                reader.missing(if value.is_empty() { "empty" } else { ".." });
                continue;
            }
            let observation = Observation {
                at: Spot::cell(*line, at),
                area: (cell(code), cell(country)),
                key,
                name,
                unit: unit_of(name),
                exponent: 0,
                period,
                value,
                status: "",
            };
            reader.observe(observation, sink);
        }
    }
    reader.finish(sink);
}
