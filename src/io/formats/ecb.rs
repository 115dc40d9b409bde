//! The ECB Data Portal's CSV download: `"DATE","TIME PERIOD","<title> (ICP.M.U2.N.000000.4.ANR)"`,
//! one column per series named by its title and key, a row per period (`2024Q1`,
//! `2024Jan`, `04 Jan 1999`); a series aggregated to another frequency says so after the
//! key (`- Modified value (Quarterly)`). No vintage in the file: `--published` gives it.
//!
//! The series key's reference area sits where the dataset's structure puts it (third in
//! `ICP.M.U2…`, fourth in `MNA.Q.Y.I9…`), listed below per dataset; a dataset not listed
//! (or one without an area, such as the exchange rates `EXR`) takes `--entity`.

use super::areas::Dialect;
use super::observations::{self, Observation, Observations};
use super::{Flags, Item, Sink, Spot};

/// Where the reference area is in a dataset's series key (0 is the dataset).
const AREA_POSITION: &[(&str, usize)] = &[
    ("ICP", 2),
    ("BSI", 2),
    ("FM", 2),
    ("LFSI", 2),
    ("SPF", 2),
    ("MIR", 2),
    ("STS", 2),
    ("IRS", 2),
    ("RPP", 2),
    ("RESR", 2),
    ("BLS", 2),
    ("CBD2", 2),
    ("MNA", 3),
    ("GFS", 3),
    ("QSA", 3),
    ("ENA", 3),
];

/// Whether a first line is an ECB Data Portal CSV header.
pub fn is_header(cells: &[&str]) -> bool {
    cells.len() >= 3 && cells[0] == "DATE" && cells[1] == "TIME PERIOD"
}

/// A series column's title and key: `Euribor 3-month (FM.M.U2.EUR.RT.MM.EURIBOR3MD_.HSTA)`.
fn title_and_key(header: &str) -> Option<(&str, &str)> {
    let is_key =
        |k: &str| k.contains('.') && k.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    let mut rest = header;
    while let Some(open) = rest.rfind('(') {
        let inside = rest[open + 1..].split(')').next().unwrap_or("");
        if is_key(inside) {
            return Some((header[..open].trim_end().trim_end_matches('"').trim(), inside));
        }
        rest = &rest[..open];
    }
    None
}

pub fn read(file: &str, bytes: &[u8], flags: &Flags, sink: &mut dyn Sink) {
    let Some(text) = super::text_of(bytes, false, sink) else { return };
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = match csv.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(err) => return sink.emit(Item::Problem { at: Spot::line(1), message: err.to_string() }),
    };
    let mut series = Vec::new();
    for (at, name) in header.iter().enumerate().skip(2) {
        let Some((title, key)) = title_and_key(name) else {
            return sink.emit(Item::Problem {
                at: Spot::cell(1, at),
                message: format!("column {} \"{name}\" names no ECB series key in parentheses", at + 1),
            });
        };
        let parts: Vec<&str> = key.split('.').collect();
        let area = AREA_POSITION.iter().find(|(d, _)| *d == parts[0]).and_then(|(_, p)| parts.get(*p).copied());
        let area = match (area, flags.entity.as_deref()) {
            (_, Some(entity)) => entity.to_string(),
            (Some(area), None) => area.to_string(),
            (None, None) => {
                return sink.emit(Item::Problem {
                    at: Spot::cell(1, at),
                    message: format!(
                        "series {key}: econtrack does not know where the ECB's {} dataset puts the reference area: give the entity with --entity CODE",
                        parts[0]
                    ),
                });
            }
        };
        let area_at = AREA_POSITION.iter().find(|(d, _)| *d == parts[0]).map(|(_, p)| *p);
        let rest: Vec<&str> =
            parts.iter().enumerate().filter(|(i, _)| *i != 1 && Some(*i) != area_at).map(|(_, p)| *p).collect();
        series.push((at, title.to_string(), rest.join("."), area));
    }
    sink.emit(Item::Read(format!("ECB Data Portal CSV ({} series)", series.len())));
    let Some(published) =
        super::require_published(flags, "an ECB Data Portal download does not say when its data were published", sink)
    else {
        return;
    };
    let title = format!("ECB Data Portal download {file}");
    let Some(mut reader) = Observations::start(
        flags,
        "ECB",
        "ecb",
        Dialect::Iso,
        published,
        (&format!("ecb.{file}.{published}"), &title),
        file,
        |_| None,
        sink,
    ) else {
        return;
    };
    super::each_record(&mut csv, &text, sink, |line, record, sink| {
        let period_text = record.get(1).unwrap_or("");
        let Some(period) = observations::period(period_text) else {
            sink.emit(Item::Problem {
                at: Spot::cell(line, 1),
                message: format!("bad TIME PERIOD \"{period_text}\": expected 2024, 2024Q1, 2024Jan or 04 Jan 2024"),
            });
            return;
        };
        for (at, title, key, area) in &series {
            let value = record.get(*at).unwrap_or("").trim();
            if value.is_empty() || value == "NaN" {
                reader.missing("empty");
                continue;
            }
            let observation = Observation {
                at: Spot::cell(line, *at),
                area: (area, ""),
                key,
                name: title,
                unit: "",
                exponent: 0,
                period,
                value,
                status: "",
            };
            reader.observe(observation, sink);
        }
    });
    reader.finish(sink);
    super::check_last_line(bytes, flags.strict, sink);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_columns_name_their_key() {
        assert_eq!(
            title_and_key("HICP - Overall index\" (ICP.M.FR.N.000000.4.ANR)"),
            Some(("HICP - Overall index", "ICP.M.FR.N.000000.4.ANR"))
        );
        assert_eq!(
            title_and_key("Euribor 3-month (FM.M.U2.EUR.RT.MM.EURIBOR3MD_.HSTA) - Modified value (Quarterly)"),
            Some(("Euribor 3-month", "FM.M.U2.EUR.RT.MM.EURIBOR3MD_.HSTA"))
        );
        assert_eq!(title_and_key("ICP.M.U2.N.000000.4.ANR"), None);
    }
}
