//! The IMF data portal's downloads (data.imf.org, 2025 on): wide (`"DATASET","SERIES_CODE",
//! "OBS_MEASURE","COUNTRY",…,"FREQUENCY","SCALE","2021","2021-Q1","2021-M01",…`, one quoted
//! row per series) or long (`"COUNTRY","INDICATOR",…,"TIME_PERIOD","OBS_VALUE","SCALE"`,
//! labels only). WEO downloads (`IMF.RES:WEO`, `CHN.NGDP_RPCH.A`) keep the WEO's subjects
//! and kinds (`weo::read_portal`); every other dataset (CPI, ER, MFS, IL, GFS, …) is read
//! here as actuals.
//!
//! A `SERIES_CODE` has one part per dimension column, in the header's order up to
//! `FREQUENCY` (`EGY.CPI.CP04.YOY_PCH_PA_PT.A` under COUNTRY, INDEX_TYPE, COICOP_1999,
//! TYPE_OF_TRANSFORMATION, FREQUENCY); a row is read in the period columns of its own
//! frequency. The portal states no vintage: `--published` gives it.

use super::areas::Dialect;
use super::observations::{self, Observation, Observations};
use super::{Flags, Item, Sink, Spot, catalog, countries};
use crate::domain::period::Period;

/// Whether a first line is the portal's long, labels-only layout.
pub fn is_long_header(cells: &[&str]) -> bool {
    cells.first() == Some(&"COUNTRY") && cells.contains(&"TIME_PERIOD") && cells.contains(&"OBS_VALUE")
}

/// The dataflow's ID: `IMF.STA:CPI(5.0.0)` is CPI.
fn dataset_id(flow: &str) -> &str {
    let id = flow.split_once(':').map_or(flow, |(_, id)| id);
    id.split('(').next().unwrap_or(id)
}

/// The frequency of a period column: `A`, `Q` or `M`.
fn frequency_of(period: Period) -> char {
    let text = period.to_string();
    match text.len() {
        4 => 'A',
        7 if text.as_bytes()[5] == b'Q' => 'Q',
        _ => 'M',
    }
}

pub fn read(file: &str, bytes: &[u8], flags: &Flags, sink: &mut dyn Sink) {
    let Some(text) = super::text_of(bytes, false, sink) else { return };
    let mut csv = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = match csv.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(err) => return sink.emit(Item::Problem { at: Spot::line(1), message: err.to_string() }),
    };
    let find = |name: &str| header.iter().position(|h| h == name);
    let rows = super::all_records(&mut csv, &text, sink);
    let (Some(dataset), Some(series_code)) = (find("DATASET"), find("SERIES_CODE")) else {
        return read_long(file, &header, &rows, flags, sink);
    };
    let weo = rows.iter().all(|(_, r)| {
        dataset_id(r.get(dataset).unwrap_or("")) == "WEO" && r.get(series_code).unwrap_or("").split('.').count() == 3
    });
    if weo {
        return super::weo::read_portal(file, bytes, flags, sink);
    }
    let frequency = find("FREQUENCY");
    let scale = find("SCALE");
    let unit = find("UNIT");
    // Dimension columns run from after OBS_MEASURE (or SERIES_CODE) to FREQUENCY.
    let first_dimension = find("OBS_MEASURE").unwrap_or(series_code) + 1;
    let dimensions: Vec<usize> = match frequency {
        Some(last) if last >= first_dimension => (first_dimension..=last).collect(),
        _ => Vec::new(),
    };
    let periods: Vec<(usize, Period)> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.len() >= 4 && h.as_bytes()[0].is_ascii_digit())
        .map(|(at, h)| (at, observations::period(h)))
        .map_while(|(at, p)| {
            p.map(|p| (at, p)).or_else(|| {
                sink.emit(Item::Problem {
                    at: Spot::cell(1, at),
                    message: format!("column {} \"{}\" is not a period (2024, 2024-Q1, 2024-M01)", at + 1, header[at]),
                });
                None
            })
        })
        .collect();
    sink.emit(Item::Read("IMF data portal download".to_string()));
    let Some(published) =
        super::require_published(flags, "an IMF data portal download does not say when its data were published", sink)
    else {
        return;
    };
    let flow = rows.first().map_or("", |(_, r)| r.get(dataset).unwrap_or(""));
    let Some(mut reader) = Observations::start(
        flags,
        "IMF",
        "imf",
        Dialect::Iso,
        published,
        (&format!("{flow}.{published}"), flow),
        file,
        |_| None,
        sink,
    ) else {
        return;
    };
    for (line, row) in &rows {
        let cell = |at: usize| row.get(at).unwrap_or("").trim();
        let code = cell(series_code);
        let parts: Vec<&str> = code.split('.').collect();
        let (area_at, frequency_at) = if parts.len() == dimensions.len() {
            let area =
                dimensions.iter().position(|&d| matches!(header[d].as_str(), "COUNTRY" | "JURISDICTION" | "REF_AREA"));
            (area.unwrap_or(0), parts.len() - 1)
        } else {
            (0, parts.len().saturating_sub(1))
        };
        let (Some(area), Some(freq)) = (parts.get(area_at), parts.get(frequency_at)) else {
            sink.emit(Item::Problem { at: Spot::line(*line), message: format!("bad SERIES_CODE \"{code}\"") });
            continue;
        };
        let area_label = dimensions.get(area_at).map_or("", |&d| cell(d));
        let key: Vec<&str> = std::iter::once(dataset_id(cell(dataset)))
            .chain(parts.iter().enumerate().filter(|(i, _)| *i != area_at && *i != frequency_at).map(|(_, p)| *p))
            .collect();
        let key = key.join(".");
        let name: Vec<&str> = dimensions
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != area_at && *i != frequency_at)
            .map(|(_, &d)| cell(d))
            .filter(|l| !l.is_empty())
            .collect();
        let name = name.join(", ");
        let scale_text = scale.map_or("", cell);
        let Some(exponent) = catalog::weo_scale(scale_text) else {
            sink.emit(Item::Problem {
                at: Spot::cell(*line, scale.unwrap_or(0)),
                message: format!("unknown SCALE \"{scale_text}\": use Units, Thousands, Millions, Billions"),
            });
            continue;
        };
        let freq = freq.chars().next().unwrap_or('A');
        for &(at, period) in &periods {
            let value = cell(at);
            if value.is_empty() {
                if frequency_of(period) == freq {
                    reader.missing("empty");
                }
                continue;
            }
            if frequency_of(period) != freq {
                sink.emit(Item::Problem {
                    at: Spot::cell(*line, at),
                    message: format!("a value under {} in a series of frequency {freq} ({code})", header[at]),
                });
                continue;
            }
            let observation = Observation {
                at: Spot::cell(*line, at),
                area: (area, area_label),
                key: &key,
                name: &name,
                unit: unit.map_or("", cell),
                exponent,
                period,
                value,
                status: "",
            };
            reader.observe(observation, sink);
        }
    }
    reader.finish(sink);
}

/// The long, labels-only layout: countries by the IMF's names, series by their labels.
fn read_long(file: &str, header: &[String], rows: &[(u64, csv::StringRecord)], flags: &Flags, sink: &mut dyn Sink) {
    let find = |name: &str| header.iter().position(|h| h == name);
    let (Some(country), Some(time), Some(value)) = (find("COUNTRY"), find("TIME_PERIOD"), find("OBS_VALUE")) else {
        return sink.emit(Item::Problem {
            at: Spot::line(1),
            message: "expected DATASET and SERIES_CODE columns, or COUNTRY, TIME_PERIOD and OBS_VALUE".into(),
        });
    };
    let scale = find("SCALE");
    let labels: Vec<usize> = (0..header.len())
        .filter(|at| ![country, time, value].contains(at) && Some(*at) != scale && header[*at] != "FREQUENCY")
        .collect();
    sink.emit(Item::Read("IMF data portal download (long, labels only)".to_string()));
    let Some(published) =
        super::require_published(flags, "an IMF data portal download does not say when its data were published", sink)
    else {
        return;
    };
    let Some(mut reader) = Observations::start(
        flags,
        "IMF",
        "imf",
        Dialect::Iso,
        published,
        (&format!("imf.portal.{file}.{published}"), &format!("IMF data portal download {file}")),
        file,
        |_| None,
        sink,
    ) else {
        return;
    };
    for (line, row) in rows {
        let cell = |at: usize| row.get(at).unwrap_or("").trim();
        let text = cell(value);
        if text.is_empty() {
            reader.missing("empty");
            continue;
        }
        let Some(period) = observations::period(cell(time)) else {
            sink.emit(Item::Problem {
                at: Spot::cell(*line, time),
                message: format!("bad TIME_PERIOD \"{}\"", cell(time)),
            });
            continue;
        };
        let name: Vec<&str> = labels.iter().map(|&at| cell(at)).collect();
        let name = name.join(", ");
        let key = crate::domain::model::CodeKind::IndicatorCode.suggest(&name).unwrap_or_default();
        let scale_text = scale.map_or("", cell);
        let exponent = catalog::weo_scale(scale_text).unwrap_or(0);
        // Only a name the IMF's own list holds is taken; any other is refused by name.
        let place = countries::by_weo_name(cell(country));
        let code = place.as_ref().map_or(cell(country), |p| p.code.as_str());
        let observation = Observation {
            at: Spot::line(*line),
            area: (code, ""),
            key: &key,
            name: &name,
            unit: "",
            exponent,
            period,
            value: text,
            status: "",
        };
        reader.observe(observation, sink);
    }
    reader.finish(sink);
}
