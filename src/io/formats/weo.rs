//! The IMF's World Economic Outlook: database files and custom reports (tab-delimited text,
//! often named `.xls`; UTF-8, UTF-16 or Latin-1; `1,796.622` or `1101,445`; `n/a` and
//! `--` for no value; the edition only in the footer) and the IMF data portal's WEO
//! download (`DATASET,SERIES_CODE,…`, one quoted row per series).
//!
//! Kinds follow the WEO's own split: a year up to the row's `Estimates Start After` is an
//! actual; later years are estimates before the edition's year and forecasts from it on.
//! Without that column, past years are estimates (the file does not say which are actuals).

use super::{Action, Flags, Item, MissingCounts, Sink, Spot, catalog, choose_source, countries};
use crate::domain::model::{Figure, Indicator};
use crate::domain::period::Period;
use crate::domain::value::{Bound, Kind, Quantity, parse_decimal};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::HashMap;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A WEO edition: the month and year its footer names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edition {
    pub year: i32,
    pub month: u32,
}

impl Edition {
    /// Reads `International Monetary Fund, World Economic Outlook Database, October 2024`.
    pub fn from_footer(line: &str) -> Option<Edition> {
        // Some reports quote the footer ("International Monetary Fund, …, October 2023").
        let line = line.trim().trim_matches(['\t', ' ']);
        let line = line.strip_prefix('"').and_then(|l| l.strip_suffix('"')).unwrap_or(line);
        let rest = line.trim().strip_prefix("International Monetary Fund, World Economic Outlook Database, ")?;
        let (month, year) = rest.trim().split_once(' ')?;
        let month = MONTHS.iter().position(|m| *m == month)? as u32 + 1;
        let year = year.trim().parse().ok().filter(|y| (1000..=9999).contains(y))?;
        Some(Edition { year, month })
    }

    pub fn name(self) -> String {
        format!("{} {}", MONTHS[self.month as usize - 1], self.year)
    }

    pub fn code(self) -> String {
        format!("imf-weo-{}-{:02}", self.year, self.month)
    }

    fn contains(self, date: NaiveDate) -> bool {
        date.year() == self.year && date.month() == self.month
    }
}

/// The kind of a WEO value for `year`, by the WEO's rule.
pub fn kind_of(year: i32, estimates_start_after: Option<i32>, edition_year: i32) -> Kind {
    match estimates_start_after {
        Some(last_actual) if year <= last_actual => Kind::Actual,
        _ if year < edition_year => Kind::Estimate,
        _ => Kind::Forecast,
    }
}

/// How a file writes its numbers: `1,796.622` (point, comma thousands) or `1101,445`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decimals {
    Point,
    Comma,
}

/// A WEO number as an exact decimal, by the file's convention.
fn number(text: &str, decimals: Decimals) -> Result<Decimal, String> {
    let bad = || {
        let how = match decimals {
            Decimals::Point => "this file writes 1,796.622 (',' between thousands, '.' before decimals)",
            Decimals::Comma => "this file writes 1101,445 (',' before decimals, no thousands separators)",
        };
        format!("bad number \"{text}\": {how}")
    };
    let plain = match decimals {
        Decimals::Comma => {
            if text.contains('.') {
                return Err(bad());
            }
            text.replacen(',', ".", 1)
        }
        Decimals::Point => {
            let (sign, digits) = text.strip_prefix('-').map_or(("", text), |d| ("-", d));
            let (whole, fraction) = digits.split_once('.').map_or((digits, None), |(w, f)| (w, Some(f)));
            if whole.contains(',') {
                let groups: Vec<&str> = whole.split(',').collect();
                let grouped = (1..=3).contains(&groups[0].len())
                    && groups[1..].iter().all(|g| g.len() == 3)
                    && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
                if !grouped {
                    return Err(bad());
                }
            }
            let whole = whole.replace(',', "");
            match fraction {
                Some(f) => format!("{sign}{whole}.{f}"),
                None => format!("{sign}{whole}"),
            }
        }
    };
    parse_decimal(&plain).map_err(|_| bad())
}

/// The columns headed by a year (`2024`, one of 1000–9999), with the year.
fn year_columns<'h>(header: impl Iterator<Item = &'h str>) -> Vec<(usize, Period)> {
    header
        .enumerate()
        .filter_map(|(i, h)| {
            let h = h.trim();
            let year = h.parse().ok().filter(|_| h.len() == 4 && h.bytes().all(|b| b.is_ascii_digit()))?;
            Some((i, Period::of_year(year)?))
        })
        .collect()
}

/// The columns of a WEO report's header.
struct Columns {
    weo_code: Option<usize>,
    /// The country-groups file: `WEO Country Group Code` and `Country Group Name`.
    group_code: Option<usize>,
    group_name: Option<usize>,
    /// Columns headed by nothing: a value under one is a problem, not a cell dropped.
    blank: Vec<usize>,
    iso: Option<usize>,
    subject_code: Option<usize>,
    country: Option<usize>,
    descriptor: Option<usize>,
    units: Option<usize>,
    scale: Option<usize>,
    subject_notes: Option<usize>,
    estimates_start_after: Option<usize>,
    years: Vec<(usize, Period)>,
}

impl Columns {
    fn new(header: &[&str]) -> Result<Columns, String> {
        let find = |name: &str| header.iter().position(|h| h.trim() == name);
        let years = year_columns(header.iter().copied());
        const KNOWN: [&str; 12] = [
            "WEO Country Code",
            "ISO",
            "WEO Subject Code",
            "Country",
            "Subject Descriptor",
            "Subject Notes",
            "Units",
            "Scale",
            "Country/Series-specific Notes",
            "Estimates Start After",
            "WEO Country Group Code",
            "Country Group Name",
        ];
        let mut blank = Vec::new();
        for (at, name) in header.iter().enumerate() {
            let name = name.trim();
            if name.is_empty() {
                blank.push(at);
            } else if !KNOWN.contains(&name) && !years.iter().any(|(i, _)| *i == at) {
                return Err(format!(
                    "column {} \"{name}\" is neither a year (such as 2024) nor a column a WEO report has ({}): fix the header, or remove the column",
                    at + 1,
                    KNOWN.join(", ")
                ));
            }
        }
        let columns = Columns {
            group_code: find("WEO Country Group Code"),
            group_name: find("Country Group Name"),
            blank,
            weo_code: find("WEO Country Code"),
            iso: find("ISO"),
            subject_code: find("WEO Subject Code"),
            country: find("Country"),
            descriptor: find("Subject Descriptor"),
            units: find("Units"),
            scale: find("Scale"),
            subject_notes: find("Subject Notes"),
            estimates_start_after: find("Estimates Start After"),
            years,
        };
        if columns.years.is_empty() {
            return Err("a WEO report has year columns (2023, 2024, …); this header has none".to_string());
        }
        if columns.weo_code.is_none()
            && columns.iso.is_none()
            && columns.country.is_none()
            && columns.group_code.is_none()
        {
            return Err("a WEO report names its countries in ISO, WEO Country Code or Country; none is here".into());
        }
        if columns.subject_code.is_none() && columns.descriptor.is_none() {
            return Err(
                "a WEO report names its subjects in WEO Subject Code or Subject Descriptor; none is here".into()
            );
        }
        Ok(columns)
    }
}

/// What a WEO row's subject is, resolved once per subject.
#[derive(Clone)]
struct Subject {
    indicator: String,
    /// The WEO code (told from the descriptor where the file has none), else the label.
    shown: String,
}

struct Resolver<'f> {
    flags: &'f Flags,
    subjects: HashMap<(String, String, String), Result<Subject, String>>,
    places: HashMap<String, Result<String, String>>,
    reported: std::collections::HashSet<String>,
}

impl Resolver<'_> {
    fn new(flags: &Flags) -> Resolver<'_> {
        Resolver { flags, subjects: HashMap::new(), places: HashMap::new(), reported: Default::default() }
    }

    /// Reports a problem common to many cells once, at its first.
    fn once(&mut self, at: Spot, message: String, sink: &mut dyn Sink) {
        if self.reported.insert(message.clone()) {
            sink.emit(Item::Problem { at, message });
        }
    }

    /// A subject by its WEO code, or else its descriptor and units.
    fn subject(
        &mut self,
        code: &str,
        descriptor: &str,
        units: &str,
        notes: Option<&str>,
        sink: &mut dyn Sink,
    ) -> Result<Subject, String> {
        let key = (code.to_string(), descriptor.to_string(), units.to_string());
        if let Some(known) = self.subjects.get(&key) {
            return known.clone();
        }
        let named = if descriptor.is_empty() { code.to_string() } else { format!("{descriptor} ({units})") };
        let builtin =
            if code.is_empty() { catalog::weo_by_name(descriptor, units) } else { catalog::weo_by_code(code) };
        let code = if code.is_empty() { builtin.map_or("", |s| s.code) } else { code };
        let shown = if code.is_empty() { named.clone() } else { code.to_string() };
        let mapped = self.flags.map.indicator(code).or_else(|| self.flags.map.indicator(&named));
        let resolved = if let Some(to) = mapped {
            Ok(Subject { indicator: to.to_string(), shown })
        } else if let Some(known) = builtin.and_then(|s| s.known) {
            sink.emit(Item::Indicator(known.indicator()));
            Ok(Subject { indicator: known.code.to_string(), shown })
        } else if code.is_empty() {
            Err(format!(
                "unknown WEO subject \"{named}\" and no WEO Subject Code column: map it with --map FILE holding the row indicator,\"{named}\",CODE"
            ))
        } else {
            match super::indicator_code(&format!("weo.{code}")) {
                Some(indicator) => {
                    let (descriptor, units) = match builtin {
                        Some(s) if descriptor.is_empty() => (s.descriptor, s.units),
                        _ => (descriptor, units),
                    };
                    let name = if descriptor.is_empty() { format!("WEO {code}") } else { descriptor.to_string() };
                    let unit = catalog::unit(units).map_or_else(|| "unspecified".to_string(), |(u, _)| u);
                    let description = notes.filter(|n| !n.is_empty()).map_or_else(
                        || format!("IMF World Economic Outlook subject {code}: {descriptor}, {units}"),
                        str::to_string,
                    );
                    sink.emit(Item::Indicator(Indicator {
                        code: indicator.clone(),
                        name,
                        name_zh: None,
                        unit,
                        description: Some(description),
                        proxy_for: None,
                    }));
                    Ok(Subject { indicator, shown })
                }
                None => {
                    Err(format!("WEO subject code \"{code}\" cannot become an indicator code: map it with --map FILE"))
                }
            }
        };
        self.subjects.insert(key, resolved.clone());
        resolved
    }

    /// A country group of the WEO's groups file (`001` World, `163` Euro area, `110`
    /// Advanced Economies), as a region named as the file names it.
    fn group(&mut self, code: &str, name: &str, sink: &mut dyn Sink) -> Result<String, String> {
        let key = format!("group|{code}|{name}");
        if let Some(known) = self.places.get(&key) {
            return known.clone();
        }
        let mapped = [code, name].into_iter().filter(|c| !c.is_empty()).find_map(|c| self.flags.map.entity(c));
        let entity = match (mapped, code) {
            (Some(to), _) => Some(to.to_string()),
            (None, "001") => Some("WORLD".to_string()),
            (None, "163") => Some("EA".to_string()),
            (None, "998") => Some("EU".to_string()),
            (None, _) => crate::domain::model::CodeKind::EntityCode.suggest(name),
        };
        let resolved = match entity {
            Some(entity) => {
                let kind = if entity == "WORLD" { "world" } else { "region" };
                sink.emit(Item::Entity(crate::domain::model::Entity {
                    code: entity.clone(),
                    name: if entity == "WORLD" { "World".to_string() } else { name.to_string() },
                    name_zh: None,
                    kind: Some(kind.to_string()),
                }));
                Ok(entity)
            }
            None => Err(format!(
                "WEO country group \"{code}\" ({name}) cannot become an entity code: map it with --map FILE holding the row entity,\"{code}\",CODE"
            )),
        };
        self.places.insert(key, resolved.clone());
        resolved
    }

    /// A country by ISO code, WEO code or WEO name (in that order of trust).
    fn place(&mut self, iso: &str, weo_code: &str, name: &str, sink: &mut dyn Sink) -> Result<String, String> {
        let key = format!("{iso}|{weo_code}|{name}");
        if let Some(known) = self.places.get(&key) {
            return known.clone();
        }
        let mapped = [iso, weo_code, name].into_iter().filter(|c| !c.is_empty()).find_map(|c| self.flags.map.entity(c));
        let resolved = if let Some(to) = mapped {
            if let Some(place) = countries::by_alpha2(to) {
                sink.emit(Item::Entity(super::country_entity(&place.code, &place.name)));
            }
            Ok(to.to_string())
        } else {
            let found = Some(iso)
                .filter(|c| !c.is_empty())
                .and_then(countries::by_alpha3)
                .or_else(|| Some(weo_code).filter(|c| !c.is_empty()).and_then(countries::by_weo_code))
                .or_else(|| Some(name).filter(|c| !c.is_empty()).and_then(countries::by_weo_name));
            match found {
                Some(place) => {
                    let mut entity = super::country_entity(&place.code, &place.name);
                    entity.kind = Some(place.kind.to_string());
                    sink.emit(Item::Entity(entity));
                    Ok(place.code)
                }
                None => {
                    let code = [iso, weo_code, name].into_iter().find(|c| !c.is_empty()).unwrap_or("");
                    Err(format!(
                        "unknown country \"{code}\"{}: not an ISO 3166 or WEO country code econtrack knows; map it with --map FILE holding the row entity,\"{code}\",CODE",
                        if name.is_empty() || name == code { String::new() } else { format!(" ({name})") }
                    ))
                }
            }
        };
        self.places.insert(key, resolved.clone());
        resolved
    }
}

/// The trimmed cell of a row at a column the header may lack, without the double quotes
/// a spreadsheet adds around text holding a comma.
fn cell<'r>(row: &[&'r str], at: Option<usize>) -> &'r str {
    let text = at.and_then(|i| row.get(i).map(|c| c.trim())).unwrap_or("");
    text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text)
}

pub fn read_report(file: &str, bytes: &[u8], flags: &Flags, sink: &mut dyn Sink) {
    let (text, encoding) = match super::decode(bytes, true) {
        Ok(decoded) => decoded,
        Err(message) => return sink.emit(Item::FileProblem(message)),
    };
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let header: Vec<&str> = lines[0].split('\t').collect();
    let columns = match Columns::new(&header) {
        Ok(columns) => columns,
        Err(message) => return sink.emit(Item::Problem { at: Spot::line(1), message }),
    };
    // The footer names the edition; it is the last line with text.
    let footer = lines.iter().rposition(|l| !l.trim_matches(['\t', ' ']).is_empty());
    let edition = footer.and_then(|i| Edition::from_footer(lines[i].trim_matches('\t')));
    // Without the footer (a file saved without it), the edition is the month --published
    // names, said in the report; every line after the header is then a row.
    let (edition, rows_end) = match (edition, flags.published) {
        (Some(edition), _) => (edition, footer.unwrap_or(lines.len())),
        (None, Some(published)) => {
            let edition = Edition { year: published.year(), month: published.month() };
            sink.emit(Item::Note(format!(
                "no edition footer: the edition is taken to be {}, the month --published names",
                edition.name()
            )));
            (edition, lines.len())
        }
        (None, None) => {
            return sink.emit(Item::FileProblem(
                "no edition footer (\"International Monetary Fund, World Economic Outlook Database, October 2024\") at the end of the WEO report: give the day the edition was published with --published YYYY-MM-DD".to_string(),
            ));
        }
    };
    let Some(published) = flags.published else {
        return sink.emit(Item::FileProblem(format!(
            "the footer names the WEO edition {} but not the day it was published: give it with --published YYYY-MM-DD (a day in {})",
            edition.name(),
            edition.name()
        )));
    };
    if !edition.contains(published) {
        return sink.emit(Item::FileProblem(format!(
            "--published {published} is not in {}, the WEO edition the footer names",
            edition.name()
        )));
    }
    let rows = &lines[1..rows_end];
    // A file's numbers use one convention; a '.' anywhere among them means points.
    let decimals = if rows.iter().any(|r| {
        let row: Vec<&str> = r.split('\t').collect();
        columns.years.iter().any(|(i, _)| row.get(*i).is_some_and(|c| c.contains('.')))
    }) {
        Decimals::Point
    } else if rows.iter().any(|r| r.contains(',')) && encoding != super::Encoding::Utf16 {
        Decimals::Comma
    } else {
        Decimals::Point
    };
    sink.emit(Item::Read(format!(
        "IMF WEO report, {} edition ({}, {} decimals)",
        edition.name(),
        match encoding {
            super::Encoding::Utf8 => "UTF-8",
            super::Encoding::Utf16 => "UTF-16",
            super::Encoding::Latin1 => "Latin-1",
        },
        match decimals {
            Decimals::Point => "point",
            Decimals::Comma => "comma",
        }
    )));
    let Some(source) = choose_source(flags, Some("IMF"), sink) else { return };
    let document = edition.code();
    sink.emit(Item::Document(super::file_document(
        document.clone(),
        &format!("IMF WEO {}", edition.name()),
        Some(published),
        file,
    )));
    let mut resolver = Resolver::new(flags);
    let mut missing = MissingCounts::default();
    for (index, raw) in rows.iter().enumerate() {
        let line = index as u64 + 2;
        if raw.trim_matches(['\t', ' ']).is_empty() {
            continue;
        }
        let row: Vec<&str> = raw.split('\t').collect();
        if row.len() != header.len() {
            sink.emit(Item::Problem {
                at: Spot::line(line),
                message: format!("row has {} cell(s) but the header has {}", row.len(), header.len()),
            });
            continue;
        }
        if let Some(&at) = columns.blank.iter().find(|&&at| !row[at].trim().is_empty()) {
            sink.emit(Item::Problem {
                at: Spot::cell(line, at),
                message: format!(
                    "a value \"{}\" under a column with no header: say which year it is in the header",
                    row[at].trim()
                ),
            });
            continue;
        }
        let subject_code = cell(&row, columns.subject_code);
        let descriptor = cell(&row, columns.descriptor);
        let units = cell(&row, columns.units);
        let notes = columns.subject_notes.map(|i| row[i].trim());
        let subject = resolver.subject(subject_code, descriptor, units, notes, sink);
        let place = if columns.group_code.is_some() {
            resolver.group(cell(&row, columns.group_code), cell(&row, columns.group_name), sink)
        } else {
            resolver.place(cell(&row, columns.iso), cell(&row, columns.weo_code), cell(&row, columns.country), sink)
        };
        let (subject, place) = match (subject, place) {
            (Ok(subject), Ok(place)) => (subject, place),
            (Err(message), _) | (_, Err(message)) => {
                resolver.once(Spot::line(line), message, sink);
                continue;
            }
        };
        let scale_text = cell(&row, columns.scale);
        let Some(exponent) = catalog::weo_scale(scale_text) else {
            let at = Spot::cell(line, columns.scale.unwrap_or(0));
            sink.emit(Item::Problem {
                at,
                message: format!("unknown Scale \"{scale_text}\": use Units, Thousands, Millions, Billions"),
            });
            continue;
        };
        let esa_text = cell(&row, columns.estimates_start_after);
        let estimates_start_after = match esa_text {
            // 0: the row has no actuals (a group, or a country with none reported).
            "" | "n/a" | "0" | "--" => None,
            text => match text.parse::<i32>() {
                Ok(year) if text.len() == 4 => Some(year),
                _ => {
                    let at = Spot::cell(line, columns.estimates_start_after.unwrap_or(0));
                    sink.emit(Item::Problem {
                        at,
                        message: format!("bad Estimates Start After \"{text}\": expected a year such as 2023"),
                    });
                    continue;
                }
            },
        };
        let country_code = [cell(&row, columns.iso), cell(&row, columns.weo_code)].into_iter().find(|c| !c.is_empty());
        // Every cell of the row shares its note but for the published number.
        let note_prefix = format!("WEO {} {}", country_code.unwrap_or(cell(&row, columns.country)), subject.shown);
        let scale_shown = if scale_text.is_empty() { String::new() } else { format!(", {scale_text}") };
        let note_suffix =
            estimates_start_after.map_or_else(String::new, |last| format!("; estimates start after {last}"));
        for &(at, period) in &columns.years {
            let year = period.year();
            let text = cell(&row, Some(at));
            match text {
                "" => {
                    missing.add("empty");
                    continue;
                }
                "n/a" | "--" => {
                    missing.add(text);
                    continue;
                }
                _ => {}
            }
            let spot = Spot::cell(line, at);
            let scaled = number(text, decimals).and_then(|v| super::scale(v, exponent));
            let value = match scaled {
                Ok(value) => value,
                Err(message) => {
                    sink.emit(Item::Problem { at: spot, message });
                    continue;
                }
            };
            let kind = flags.kind.unwrap_or_else(|| kind_of(year, estimates_start_after, edition.year));
            let note = if units.is_empty() && exponent == 0 {
                format!("{note_prefix}{note_suffix}")
            } else {
                format!("{note_prefix}; published {text} ({units}{scale_shown}){note_suffix}")
            };
            let figure = Figure {
                indicator: subject.indicator.as_str().into(),
                entity: place.as_str().into(),
                period,
                kind,
                quantity: Quantity::new(value, Bound::Exact, None).expect("an exact quantity within 28 digits"),
                tolerance: None,
                source: source.as_str().into(),
                published,
                document: Some(document.as_str().into()),
                quote: None,
                note: Some(note),
                retraction: None,
            };
            sink.emit(Item::Figure { at: spot, figure, action: Action::Merge });
        }
    }
    missing.emit(sink);
}

/// The IMF data portal's WEO download: `"DATASET","SERIES_CODE","OBS_MEASURE","COUNTRY",
/// "2015",…` with `SERIES_CODE` `<ISO3>.<INDICATOR>.<FREQ>`.
pub fn read_portal(file: &str, bytes: &[u8], flags: &Flags, sink: &mut dyn Sink) {
    let Some(text) = super::text_of(bytes, false, sink) else { return };
    let mut csv = crate::io::csvio::reader(text.as_bytes());
    let header: Vec<String> = match csv.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(err) => return sink.emit(Item::Problem { at: Spot::line(1), message: err.to_string() }),
    };
    let years = year_columns(header.iter().map(String::as_str));
    let find = |name: &str| header.iter().position(|h| h == name);
    let (Some(dataset), Some(series), country) = (find("DATASET"), find("SERIES_CODE"), find("COUNTRY")) else {
        return sink
            .emit(Item::Problem { at: Spot::line(1), message: "expected DATASET and SERIES_CODE columns".into() });
    };
    let Some(published) = flags.published else {
        return sink.emit(Item::FileProblem(
            "an IMF data portal download names its WEO edition only as a dataflow version (IMF.RES:WEO(6.0.0)): give the edition's publication date with --published YYYY-MM-DD".to_string(),
        ));
    };
    sink.emit(Item::Read("IMF data portal WEO download".to_string()));
    let Some(source) = choose_source(flags, Some("IMF"), sink) else { return };
    let mut resolver = Resolver::new(flags);
    let mut missing = MissingCounts::default();
    let mut documents: HashMap<String, String> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut lines = super::Lines::new(&text);
    loop {
        let before = csv.position().clone();
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                let line = lines.of(err.position(), &before);
                sink.emit(Item::Problem { at: Spot::line(line), message: format!("unreadable CSV: {err}") });
                continue;
            }
        }
        let line = lines.of(record.position(), &before);
        let flow = record.get(dataset).unwrap_or("").to_string();
        let document = documents
            .entry(flow.clone())
            .or_insert_with(|| {
                let code = super::document_code(&flow);
                sink.emit(Item::Document(super::file_document(code.clone(), &flow, Some(published), file)));
                code
            })
            .clone();
        let key = record.get(series).unwrap_or("");
        let parts: Vec<&str> = key.split('.').collect();
        let [iso, indicator_code, frequency] = parts[..] else {
            sink.emit(Item::Problem {
                at: Spot::line(line),
                message: format!(
                    "bad SERIES_CODE \"{key}\": expected COUNTRY.INDICATOR.FREQUENCY such as CHN.NGDP_RPCH.A"
                ),
            });
            continue;
        };
        if frequency != "A" {
            sink.emit(Item::Problem {
                at: Spot::line(line),
                message: format!("SERIES_CODE \"{key}\" is not annual (A); only annual WEO series are read"),
            });
            continue;
        }
        let name = country.and_then(|c| record.get(c)).unwrap_or("");
        let subject = resolver.subject(indicator_code, "", "", None, sink);
        let place = resolver.place(iso, "", name, sink);
        let (subject, place) = match (subject, place) {
            (Ok(subject), Ok(place)) => (subject, place),
            (Err(message), _) | (_, Err(message)) => {
                resolver.once(Spot::line(line), message, sink);
                continue;
            }
        };
        for &(at, period) in &years {
            let year = period.year();
            let text = record.get(at).unwrap_or("").trim();
            if text.is_empty() {
                missing.add("empty");
                continue;
            }
            let spot = Spot::cell(line, at);
            let value = match parse_decimal(text) {
                Ok(value) => value,
                Err(err) => {
                    sink.emit(Item::Problem { at: spot, message: err.to_string() });
                    continue;
                }
            };
            let kind = flags.kind.unwrap_or_else(|| kind_of(year, None, published.year()));
            let figure = Figure {
                indicator: subject.indicator.as_str().into(),
                entity: place.as_str().into(),
                period,
                kind,
                quantity: Quantity::new(value, Bound::Exact, None).expect("an exact quantity within 28 digits"),
                tolerance: None,
                source: source.as_str().into(),
                published,
                document: Some(document.as_str().into()),
                quote: None,
                note: Some(format!("{flow} {key}")),
                retraction: None,
            };
            sink.emit(Item::Figure { at: spot, figure, action: Action::Merge });
        }
    }
    missing.emit(sink);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_by_the_file_convention() {
        assert_eq!(number("1,796.622", Decimals::Point).unwrap().to_string(), "1796.622");
        assert_eq!(number("-0,285", Decimals::Comma).unwrap().to_string(), "-0.285");
        assert_eq!(number("1101,445", Decimals::Comma).unwrap().to_string(), "1101.445");
        assert!(number("1,79.6", Decimals::Point).is_err());
        assert!(number("1.5", Decimals::Comma).is_err());
        assert!(number("1,2,3", Decimals::Comma).is_err());
        assert!(number("abc", Decimals::Point).is_err());
    }

    #[test]
    fn kinds_follow_estimates_start_after_and_the_edition() {
        assert_eq!(kind_of(2022, Some(2022), 2024), Kind::Actual);
        assert_eq!(kind_of(2023, Some(2022), 2024), Kind::Estimate);
        assert_eq!(kind_of(2024, Some(2022), 2024), Kind::Forecast);
        assert_eq!(kind_of(2023, None, 2024), Kind::Estimate);
    }

    #[test]
    fn editions_from_footers() {
        let edition =
            Edition::from_footer("International Monetary Fund, World Economic Outlook Database, October 2024");
        assert_eq!(edition, Some(Edition { year: 2024, month: 10 }));
        assert_eq!(edition.unwrap().code(), "imf-weo-2024-10");
        assert_eq!(
            Edition::from_footer("International Monetary Fund, World Economic Outlook Database, Octember 2024"),
            None
        );
    }
}
