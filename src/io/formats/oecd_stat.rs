//! OECD.Stat's CSV export (`"LOCATION","Country","SUBJECT","Subject",…,"TIME","Time",
//! "Unit Code","Unit","PowerCode Code","PowerCode",…,"Value","Flag Codes","Flags"`: each
//! dimension a code column and a label column) and data.oecd.org's (`"LOCATION",
//! "INDICATOR","SUBJECT","MEASURE","FREQUENCY","TIME","Value","Flag Codes"`: codes only),
//! a row per observation. No vintage in the file: `--published` gives it.
//!
//! `PowerCode Code` is the power of ten of the values; the flag `E` (estimated) files a
//! value as an estimate, `F` (forecast) as a forecast.

use super::areas::Dialect;
use super::observations::{self, Observation, Observations};
use super::{Flags, Item, Sink, Spot};
use crate::domain::value::Kind;

/// Columns that name the reference area, the period and the frequency.
const AREA: [&str; 4] = ["LOCATION", "COU", "COUNTRY", "REF_AREA"];
const TIME: [&str; 3] = ["TIME", "YEA", "YEAR"];
const FREQUENCY: [&str; 2] = ["FREQUENCY", "FREQ"];
/// Columns that are not dimensions of the series.
const ATTRIBUTES: [&str; 7] =
    ["Unit Code", "PowerCode Code", "Reference Period Code", "Value", "Flag Codes", "Flags", "Reference Period"];

pub fn is_header(cells: &[&str]) -> bool {
    cells.contains(&"Value")
        && cells.contains(&"Flag Codes")
        && cells.iter().any(|c| AREA.contains(c))
        && cells.iter().any(|c| TIME.contains(c))
}

fn status(flag: &str) -> Option<Kind> {
    match flag {
        "E" => Some(Kind::Estimate),
        "F" => Some(Kind::Forecast),
        _ => None,
    }
}

fn is_code_column(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

pub fn read(file: &str, bytes: &[u8], flags: &Flags, sink: &mut dyn Sink) {
    let Some(text) = super::text_of(bytes, true, sink) else { return };
    let mut csv = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = match csv.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(err) => return sink.emit(Item::Problem { at: Spot::line(1), message: err.to_string() }),
    };
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let (Some(area), Some(time), Some(value)) = (find(&AREA), find(&TIME), find(&["Value"])) else {
        return sink
            .emit(Item::Problem { at: Spot::line(1), message: "expected LOCATION, TIME and Value columns".into() });
    };
    let frequency = find(&FREQUENCY);
    let flag = find(&["Flag Codes"]);
    let unit = find(&["Unit Code"]);
    let power = find(&["PowerCode Code"]);
    // A code column followed by a label column is one dimension.
    let label_of = |at: usize| {
        header.get(at + 1).filter(|h| !is_code_column(h) && !ATTRIBUTES.contains(&h.as_str())).map(|_| at + 1)
    };
    let dimensions: Vec<(usize, Option<usize>)> = header
        .iter()
        .enumerate()
        .filter(|(at, name)| is_code_column(name) && ![area, time].contains(at) && Some(*at) != frequency)
        .map(|(at, _)| (at, label_of(at)))
        .collect();
    sink.emit(Item::Read(format!(
        "OECD.Stat export ({})",
        if header.iter().any(|h| h == "Country") { "codes and labels" } else { "codes" }
    )));
    let Some(published) =
        super::require_published(flags, "an OECD.Stat export does not say when its data were published", sink)
    else {
        return;
    };
    let title = format!("OECD.Stat export {file}");
    let Some(mut reader) = Observations::start(
        flags,
        "OECD",
        "oecd",
        Dialect::Iso,
        published,
        (&format!("oecd.stat.{file}.{published}"), &title),
        file,
        status,
        sink,
    ) else {
        return;
    };
    super::each_record(&mut csv, &text, sink, |line, record, sink| {
        let cell = |at: usize| record.get(at).unwrap_or("").trim();
        let value_text = cell(value);
        if value_text.is_empty() || value_text == ".." {
            reader.missing("empty");
            return;
        }
        let Some(period) = observations::period(cell(time)) else {
            sink.emit(Item::Problem {
                at: Spot::cell(line, time),
                message: format!("bad period \"{}\": expected 2024, 2024-Q1 or 2024-01", cell(time)),
            });
            return;
        };
        let key: Vec<&str> = dimensions.iter().map(|(at, _)| cell(*at)).collect();
        let labels: Vec<&str> = dimensions.iter().filter_map(|(_, label)| label.map(cell)).collect();
        let exponent = match power.map(cell).filter(|p| !p.is_empty()) {
            None => 0,
            Some(text) => match text.parse::<i32>() {
                Ok(exponent) if (-28..=28).contains(&exponent) => exponent,
                _ => {
                    sink.emit(Item::Problem {
                        at: Spot::cell(line, power.unwrap_or(0)),
                        message: format!("bad PowerCode Code \"{text}\": a power of ten such as 0, 3 or 6"),
                    });
                    return;
                }
            },
        };
        let key = key.join(".");
        let name = labels.join(", ");
        let area_label = label_of(area).map_or("", cell);
        let observation = Observation {
            at: Spot::line(line),
            area: (cell(area), area_label),
            key: &key,
            name: &name,
            unit: unit.map_or("", cell),
            exponent,
            period,
            value: value_text,
            status: flag.map_or("", cell),
        };
        reader.observe(observation, sink);
    });
    reader.finish(sink);
}
