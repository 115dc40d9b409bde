//! FRED downloads (`observation_date,GDPC1` or the older `DATE,…`; one column per series,
//! of one vintage the file does not state) and ALFRED vintage-wide downloads (one column
//! per vintage, `<SERIES>[_<UNITS>]_<YYYYMMDD>`, in any order; `.` where a vintage did not
//! have the value). Dates are the first day of their period; the series' frequency is read
//! from the spacing of its dates.

use super::{Action, Flags, Item, MissingCounts, Sink, Spot, catalog, choose_source};
use crate::domain::model::{Figure, Indicator};
use crate::domain::period::{Period, parse_date};
use crate::domain::value::{Bound, Kind, Quantity, parse_decimal};
use chrono::{Datelike, NaiveDate};

/// FRED's `units` transformations, as ALFRED writes them in a column name.
const TRANSFORMS: [&str; 8] = ["CHG", "CH1", "PCH", "PC1", "PCA", "CCH", "CCA", "LOG"];

/// A FRED series ID: upper-case letters, digits and '_'.
pub fn is_series_id(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// The `_YYYYMMDD` vintage suffix of an ALFRED column, as written (not yet checked).
pub fn vintage_suffix(name: &str) -> Option<(&str, &str)> {
    let (series, date) = name.rsplit_once('_')?;
    (date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) && is_series_id(series)).then_some((series, date))
}

/// A column's series: its FRED ID and transformation (`PAYEMS_CHG` is PAYEMS, chg).
fn split_transform(series: &str) -> (&str, String) {
    match series.rsplit_once('_') {
        Some((id, units)) if TRANSFORMS.contains(&units) => (id, units.to_ascii_lowercase()),
        _ => (series, "lin".to_string()),
    }
}

/// What a series column's numbers are: the indicator, the power of ten they are in, and
/// the unit FRED publishes them in (where built in).
type SeriesIs = (String, i32, Option<&'static str>);

/// A series column resolved: what its numbers are, and the entity they are about.
type SeriesAndPlace = (SeriesIs, String);

/// The indicator a FRED series column stands for, emitting its record.
fn indicator(flags: &Flags, series: &str, sink: &mut dyn Sink) -> Result<SeriesIs, String> {
    if let Some(to) = flags.map.indicator(series) {
        return Ok((to.to_string(), 0, None));
    }
    let (id, transform) = split_transform(series);
    if let Some(known) = catalog::fred_series(id, &transform) {
        sink.emit(Item::Indicator(known.known.indicator()));
        return Ok((known.known.code.to_string(), known.exponent, Some(known.published_unit)));
    }
    let code = super::indicator_code(&format!("fred.{series}"))
        .ok_or_else(|| format!("series \"{series}\" cannot become an indicator code: map it with --map FILE"))?;
    sink.emit(Item::Indicator(Indicator {
        code: code.clone(),
        name: format!("FRED {series}"),
        name_zh: None,
        unit: "unspecified".to_string(),
        description: Some(format!("FRED series {id}, units {transform}; the download does not state its unit")),
        proxy_for: None,
    }));
    Ok((code, 0, None))
}

/// Periods of a series from its observation dates, by their spacing: first days of
/// quarters three months apart are quarters, and so on; anything else is days.
fn periods(dates: &[NaiveDate]) -> Option<Vec<Period>> {
    let months = |d: &NaiveDate| d.year() * 12 + d.month0() as i32;
    let all_first = dates.iter().all(|d| d.day() == 1);
    let step = dates.windows(2).map(|w| months(&w[1]) - months(&w[0])).filter(|&s| s > 0).min();
    let grain = match step {
        Some(12) if all_first && dates.iter().all(|d| d.month() == 1) => 12,
        Some(3) if all_first && dates.iter().all(|d| d.month0() % 3 == 0) => 3,
        Some(1) if all_first => 1,
        _ => 0,
    };
    dates
        .iter()
        .map(|d| match grain {
            12 => Period::of_year(d.year()),
            3 => Period::of_quarter(d.year(), d.month0() / 3 + 1),
            1 => Period::of_month(d.year(), d.month()),
            _ => Period::of_day(*d),
        })
        .collect()
}

/// A FRED-style file: a header and rows of a date and values, read whole.
struct Table {
    header: Vec<String>,
    rows: Vec<(u64, csv::StringRecord)>,
}

fn table(bytes: &[u8], sink: &mut dyn Sink) -> Option<Table> {
    let text = super::text_of(bytes, false, sink)?;
    let mut csv = crate::io::csvio::reader(text.as_bytes());
    let header = match csv.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(err) => {
            sink.emit(Item::Problem { at: Spot::line(1), message: err.to_string() });
            return None;
        }
    };
    let rows = super::all_records(&mut csv, &text, sink);
    Some(Table { header, rows })
}

/// The observation dates of a table's rows; a bad one is a problem at its line.
fn dates(table: &Table, sink: &mut dyn Sink) -> Option<Vec<NaiveDate>> {
    let mut dates = Vec::with_capacity(table.rows.len());
    let mut ok = true;
    for (line, row) in &table.rows {
        match parse_date(row.get(0).unwrap_or("")) {
            Ok(date) => dates.push(date),
            Err(err) => {
                sink.emit(Item::Problem { at: Spot::cell(*line, 0), message: err.to_string() });
                ok = false;
            }
        }
    }
    ok.then_some(dates)
}

/// One cell as a figure (what: indicator, power of ten, published unit, series, entity),
/// or counted as missing.
#[allow(clippy::too_many_arguments)]
fn cell(
    at: Spot,
    text: &str,
    missing: &mut MissingCounts,
    what: (&str, i32, Option<&str>, &str, &str),
    period: Period,
    kind: Kind,
    source: &str,
    published: NaiveDate,
    document: &str,
    sink: &mut dyn Sink,
) {
    let (indicator, exponent, unit, series, entity) = what;
    // FRED writes `.` for no observation and `#N/A` where a value is undefined (a percent
    // change from zero).
    if text == "." || text == "#N/A" || text.is_empty() {
        missing.add(if text.is_empty() { "empty" } else { text });
        return;
    }
    let value = match parse_decimal(text).map_err(|e| e.to_string()).and_then(|v| super::scale(v, exponent)) {
        Ok(value) => value,
        Err(message) => return sink.emit(Item::Problem { at, message }),
    };
    let note = match unit {
        Some(unit) => format!("FRED {series}; published {text} ({unit})"),
        None => format!("FRED {series}"),
    };
    let figure = Figure {
        indicator: indicator.into(),
        entity: entity.into(),
        period,
        kind,
        quantity: Quantity::new(value, Bound::Exact, None).expect("an exact quantity within 28 digits"),
        tolerance: None,
        source: source.into(),
        published,
        document: Some(document.into()),
        quote: None,
        note: Some(note),
        retraction: None,
    };
    sink.emit(Item::Figure { at, figure, action: Action::Merge });
}

/// The entity a series is about: a `--map` row keyed by its column or series ID, the
/// built-in catalogue, else `--entity`. A FRED download names no place, so a series none
/// of these names is refused rather than guessed (emitting the entity's record otherwise).
fn place(flags: &Flags, column: &str, sink: &mut dyn Sink) -> Result<String, String> {
    let (id, _) = split_transform(column);
    if let Some(to) = flags.map.entity(column).or_else(|| flags.map.entity(id)) {
        // A mapped code is created unless it exists: a country by the standard's name,
        // anything else as a region named by the series.
        let entity = match super::countries::by_alpha2(to) {
            Some(place) => super::country_entity(&place.code, &place.name),
            None => crate::domain::model::Entity {
                code: to.to_string(),
                name: format!("{to} (FRED {id})"),
                name_zh: None,
                kind: Some("region".to_string()),
            },
        };
        sink.emit(Item::Entity(entity));
        return Ok(to.to_string());
    }
    if let Some(place) = catalog::fred_place(id) {
        let mut entity = super::country_entity(&place.code, &place.name);
        entity.kind = Some(place.kind.to_string());
        sink.emit(Item::Entity(entity));
        return Ok(place.code);
    }
    if let Some(to) = flags.entity.as_deref().or_else(|| flags.map.entity("")) {
        if let Some(place) = super::countries::by_alpha2(to) {
            sink.emit(Item::Entity(super::country_entity(&place.code, &place.name)));
        }
        return Ok(to.to_string());
    }
    Err(format!(
        "series \"{id}\": a FRED download does not say which country or region a series is about, and econtrack's catalogue does not know {id}: give it with --entity CODE (for every series of the file) or a --map FILE row entity,{id},CODE"
    ))
}

pub fn read_fred(file: &str, bytes: &[u8], flags: &Flags, sink: &mut dyn Sink) {
    let Some(table) = table(bytes, sink) else { return };
    let series: Vec<String> = table.header[1..].to_vec();
    sink.emit(Item::Read(format!("FRED download ({})", series.join(", "))));
    let Some(published) = super::require_published(
        flags,
        "a FRED download does not say which vintage it is (the day it was downloaded)",
        sink,
    ) else {
        return;
    };
    let Some(source) = choose_source(flags, Some("FRED"), sink) else { return };
    let Some(dates) = dates(&table, sink) else { return };
    let Some(periods) = periods(&dates) else {
        // Not met with dates `parse_date` read (years 1000-9999); said rather than assumed.
        sink.emit(Item::FileProblem("an observation date is outside the years 1000-9999".to_string()));
        return;
    };
    let mut missing = MissingCounts::default();
    for (column, name) in series.iter().enumerate().map(|(i, n)| (i + 1, n)) {
        let found = indicator(flags, name, sink).and_then(|found| Ok((found, place(flags, name, sink)?)));
        let ((indicator, exponent, unit), entity) = match found {
            Ok(found) => found,
            Err(message) => {
                sink.emit(Item::Problem { at: Spot::cell(1, column), message });
                continue;
            }
        };
        let document = super::document_code(&format!("fred.{name}.{published}"));
        let title = format!("FRED {name}, vintage {published}");
        sink.emit(Item::Document(super::file_document(document.clone(), &title, Some(published), file)));
        let kind = flags.kind.unwrap_or(Kind::Actual);
        for ((line, row), period) in table.rows.iter().zip(&periods) {
            let text = row.get(column).unwrap_or("").trim();
            let what = (indicator.as_str(), exponent, unit, name.as_str(), entity.as_str());
            let at = Spot::cell(*line, column);
            cell(at, text, &mut missing, what, *period, kind, &source, published, &document, sink);
        }
    }
    missing.emit(sink);
    super::check_last_line(bytes, flags.strict, sink);
}

pub fn read_alfred(file: &str, bytes: &[u8], flags: &Flags, sink: &mut dyn Sink) {
    let Some(table) = table(bytes, sink) else { return };
    // Every vintage column's date, checked before any value is read.
    let mut vintages = Vec::new();
    for (i, name) in table.header.iter().enumerate().skip(1) {
        let Some((series, date)) = vintage_suffix(name) else {
            sink.emit(Item::Problem {
                at: Spot::cell(1, i),
                message: format!("column \"{name}\" is not a vintage column (SERIES_YYYYMMDD)"),
            });
            continue;
        };
        let iso = format!("{}-{}-{}", &date[0..4], &date[4..6], &date[6..8]);
        match parse_date(&iso) {
            Ok(published) => vintages.push((i, series.to_string(), published)),
            Err(_) => sink.emit(Item::Problem {
                at: Spot::cell(1, i),
                message: format!(
                    "bad vintage date \"{date}\" in column \"{name}\": not a calendar date (ALFRED writes YYYYMMDD)"
                ),
            }),
        }
    }
    if vintages.len() != table.header.len() - 1 {
        return;
    }
    let mut names: Vec<&str> = vintages.iter().map(|(_, s, _)| s.as_str()).collect();
    names.dedup();
    sink.emit(Item::Read(format!("ALFRED vintage download ({}, {} vintages)", names.join(", "), vintages.len())));
    let Some(source) = choose_source(flags, Some("ALFRED"), sink) else { return };
    let Some(dates) = dates(&table, sink) else { return };
    let Some(periods) = periods(&dates) else {
        // Not met with dates `parse_date` read (years 1000-9999); said rather than assumed.
        sink.emit(Item::FileProblem("an observation date is outside the years 1000-9999".to_string()));
        return;
    };
    let mut missing = MissingCounts::default();
    let kind = flags.kind.unwrap_or(Kind::Actual);
    let mut resolved: Vec<(String, Result<SeriesAndPlace, String>)> = Vec::new();
    for (column, series, published) in &vintages {
        let found = match resolved.iter().find(|(s, _)| s == series) {
            Some((_, found)) => found.clone(),
            None => {
                let found = indicator(flags, series, sink).and_then(|found| Ok((found, place(flags, series, sink)?)));
                if let Err(message) = &found {
                    sink.emit(Item::Problem { at: Spot::cell(1, *column), message: message.clone() });
                }
                resolved.push((series.clone(), found.clone()));
                found
            }
        };
        let Ok(((indicator, exponent, unit), entity)) = found else { continue };
        let document = super::document_code(&format!("alfred.{series}.{published}"));
        let title = format!("ALFRED {series}, vintage {published}");
        sink.emit(Item::Document(super::file_document(document.clone(), &title, Some(*published), file)));
        for ((line, row), period) in table.rows.iter().zip(&periods) {
            let text = row.get(*column).unwrap_or("").trim();
            let what = (indicator.as_str(), exponent, unit, series.as_str(), entity.as_str());
            let at = Spot::cell(*line, *column);
            cell(at, text, &mut missing, what, *period, kind, &source, *published, &document, sink);
        }
    }
    missing.emit(sink);
    super::check_last_line(bytes, flags.strict, sink);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn shown(dates: &[NaiveDate]) -> Vec<String> {
        periods(dates).expect("dates in range").iter().map(Period::to_string).collect()
    }

    #[test]
    fn frequency_from_the_spacing_of_dates() {
        assert_eq!(shown(&[day(2024, 1, 1), day(2024, 4, 1)]), ["2024-Q1", "2024-Q2"]);
        assert_eq!(shown(&[day(2024, 1, 1), day(2024, 2, 1)]), ["2024-01", "2024-02"]);
        assert_eq!(shown(&[day(2023, 1, 1), day(2024, 1, 1)]), ["2023", "2024"]);
        assert_eq!(shown(&[day(2024, 1, 5), day(2024, 1, 12)]), ["2024-01-05", "2024-01-12"]);
    }

    #[test]
    fn alfred_columns_name_series_units_and_vintage() {
        assert_eq!(vintage_suffix("PAYEMS_CHG_20220107"), Some(("PAYEMS_CHG", "20220107")));
        assert_eq!(vintage_suffix("GDPC1"), None);
        assert_eq!(split_transform("PAYEMS_CHG"), ("PAYEMS", "chg".to_string()));
        assert_eq!(split_transform("GDPC1"), ("GDPC1", "lin".to_string()));
    }
}
