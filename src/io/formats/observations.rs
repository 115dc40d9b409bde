//! The one path from an observation, as the table-shaped formats give it (a place, a
//! series key with its labels, a period, a value and a status), to a figure and the records
//! it needs: used by the readers of Eurostat's TSV, the ECB's CSV, the World Bank's,
//! OECD.Stat's, the BIS's bulk files and the IMF portal's, so that each of them only lays
//! out its own file.
//!
//! The indicator of a series is a `--map` row for its key, else a code of its own made from
//! the agency and the key (`eurostat.pc_gdp.b1gq`), named by the file's labels; the entity
//! is resolved by [`Areas`]; the kind is the agency's status, else `--kind`, else actual.

use super::areas::{Areas, Dialect};
use super::{Action, Flags, Item, MissingCounts, Sink, Spot, catalog, choose_source};
use crate::domain::model::{Figure, Indicator};
use crate::domain::period::Period;
use crate::domain::value::{Bound, Kind, Quantity};
use chrono::NaiveDate;
use std::collections::HashMap;

/// One observation of a file, before it is resolved.
pub struct Observation<'a> {
    pub at: Spot,
    /// The reference area's code and, where the file gives it, its name.
    pub area: (&'a str, &'a str),
    /// The series key without the area and frequency (`PC_GDP.B1GQ`).
    pub key: &'a str,
    /// The series' name, from the file's labels (empty when it has none).
    pub name: &'a str,
    /// The unit as the file writes it (a code or a label), for the indicator's unit.
    pub unit: &'a str,
    /// Power of ten the published number is in.
    pub exponent: i32,
    pub period: Period,
    /// The value as written (already cut from any flag).
    pub value: &'a str,
    /// The agency's status or flag of the observation (`p`, `e`, `F`), if any.
    pub status: &'a str,
}

/// Resolves and emits a file's observations.
pub struct Observations<'f> {
    flags: &'f Flags,
    /// The agency, for the indicator codes (`eurostat`, `wb`) and the source.
    prefix: &'static str,
    dialect: Dialect,
    source: Option<String>,
    published: NaiveDate,
    document: String,
    indicators: HashMap<String, Result<String, String>>,
    areas: Areas,
    missing: MissingCounts,
    reported: std::collections::HashSet<String>,
    /// How the agency marks a value as a forecast or an estimate.
    statuses: fn(&str) -> Option<Kind>,
}

impl<'f> Observations<'f> {
    /// Starts a file by `agency` (a name [`super::agency_source`] knows), published
    /// `published`, read from `file`; `None` after reporting that the source is unknown.
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        flags: &'f Flags,
        agency: &str,
        prefix: &'static str,
        dialect: Dialect,
        published: NaiveDate,
        (document, title): (&str, &str),
        file: &str,
        statuses: fn(&str) -> Option<Kind>,
        sink: &mut dyn Sink,
    ) -> Option<Observations<'f>> {
        let source = choose_source(flags, Some(agency), sink)?;
        let document = super::document_code(document);
        sink.emit(Item::Document(super::file_document(document.clone(), title, Some(published), file)));
        Some(Observations {
            flags,
            prefix,
            dialect,
            source: Some(source),
            published,
            document,
            indicators: HashMap::new(),
            areas: Areas::default(),
            missing: MissingCounts::default(),
            reported: Default::default(),
            statuses,
        })
    }

    /// Counts a cell published without a value.
    pub fn missing(&mut self, reason: &str) {
        self.missing.add(reason);
    }

    /// Reports a problem common to many rows once, at its first.
    pub fn once(&mut self, at: Spot, message: String, sink: &mut dyn Sink) {
        if self.reported.insert(message.clone()) {
            sink.emit(Item::Problem { at, message });
        }
    }

    fn indicator(&mut self, o: &Observation, sink: &mut dyn Sink) -> Result<String, String> {
        if let Some(known) = self.indicators.get(o.key) {
            return known.clone();
        }
        let resolved = match self.flags.map.indicator(o.key) {
            Some(mapped) => Ok(mapped.to_string()),
            None => match super::series_code(self.prefix, o.key) {
                Some(code) => {
                    let unit = catalog::unit(o.unit).map_or_else(|| "unspecified".to_string(), |(u, _)| u);
                    let name =
                        if o.name.is_empty() { format!("{} {}", self.prefix, o.key) } else { o.name.to_string() };
                    sink.emit(Item::Indicator(Indicator {
                        code: code.clone(),
                        name,
                        name_zh: None,
                        unit,
                        description: Some(format!(
                            "{} series {}{}",
                            self.prefix,
                            o.key,
                            if o.unit.is_empty() { String::new() } else { format!(", unit {}", o.unit) }
                        )),
                        proxy_for: None,
                    }));
                    Ok(code)
                }
                None => Err(format!(
                    "series \"{}\" cannot become an indicator code of its own (too long): map it with --map FILE holding the row indicator,\"{}\",CODE",
                    o.key, o.key
                )),
            },
        };
        self.indicators.insert(o.key.to_string(), resolved.clone());
        resolved
    }

    /// Resolves and emits one observation (or counts it missing, or reports its problem).
    pub fn observe(&mut self, o: Observation, sink: &mut dyn Sink) {
        let value = match self.flags.number(o.value) {
            Ok(value) => value,
            Err(message) => return sink.emit(Item::Problem { at: o.at, message }),
        };
        let indicator = match self.indicator(&o, sink) {
            Ok(code) => code,
            Err(message) => return self.once(o.at, message, sink),
        };
        let entity = match self.areas.resolve(o.area.0, o.area.1, self.dialect, &self.flags.map, o.at.line, sink) {
            Some(code) => code,
            None => return,
        };
        let value = match super::scale(value, o.exponent) {
            Ok(value) => value,
            Err(message) => return sink.emit(Item::Problem { at: o.at, message }),
        };
        let kind = (self.statuses)(o.status).or(self.flags.kind).unwrap_or(Kind::Actual);
        let mut note = format!("{} {}", self.prefix, o.key);
        if !o.status.is_empty() {
            note.push_str(&format!("; status {}", o.status));
        }
        if o.exponent != 0 {
            note.push_str(&format!("; published {} × 10^{}", o.value, o.exponent));
        }
        let figure = Figure {
            indicator: indicator.as_str().into(),
            entity: entity.as_str().into(),
            period: o.period,
            kind,
            quantity: Quantity::new(value, Bound::Exact, None).expect("an exact quantity within 28 digits"),
            tolerance: None,
            source: self.source.as_deref().unwrap_or_default().into(),
            published: self.published,
            document: Some(self.document.as_str().into()),
            quote: None,
            note: Some(note),
            retraction: None,
        };
        sink.emit(Item::Figure { at: o.at, figure, action: Action::Merge });
    }

    /// Ends the file: what was missing, the regions created, the places nothing explains.
    pub fn finish(self, sink: &mut dyn Sink) {
        self.missing.emit(sink);
        self.areas.finish("reference area", sink);
    }
}

/// A period as agencies write it in their table-shaped files: `2024`, `2024-Q1`, `2024Q1`,
/// `2024-01`, `2024M01`, `2024-M01`, `2024Jan`, `2024-01-31`, `31 Jan 2024`; `None` for
/// anything else (a half-year, a week, a typo).
pub fn period(text: &str) -> Option<Period> {
    let text = text.trim();
    if let Ok(period) = super::sdmx::period(text) {
        return Some(period);
    }
    let bytes = text.as_bytes();
    if bytes.len() >= 6 && bytes[..4].iter().all(u8::is_ascii_digit) {
        let year: i32 = text[..4].parse().ok()?;
        let rest = text[4..].strip_prefix('-').unwrap_or(&text[4..]);
        if let Some(q) = rest.strip_prefix('Q').filter(|q| q.len() == 1) {
            return Period::of_quarter(year, q.parse().ok()?);
        }
        if let Some(m) = rest.strip_prefix('M').filter(|m| m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit())) {
            return Period::of_month(year, m.parse().ok()?);
        }
        if let Some(month) = MONTHS.iter().position(|m| *m == rest) {
            return Period::of_month(year, month as u32 + 1);
        }
    }
    // `04 Jan 1999`, the ECB's days.
    let mut parts = text.split(' ');
    if let (Some(day), Some(month), Some(year), None) = (parts.next(), parts.next(), parts.next(), parts.next()) {
        let month = MONTHS.iter().position(|m| *m == month)? as u32 + 1;
        let date = NaiveDate::from_ymd_opt(year.parse().ok()?, month, day.parse().ok()?)?;
        return Period::of_day(date);
    }
    None
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_as_agencies_write_them() {
        let shown = |t: &str| period(t).map(|p| p.to_string());
        assert_eq!(shown("2024").as_deref(), Some("2024"));
        assert_eq!(shown("2024Q3").as_deref(), Some("2024-Q3"));
        assert_eq!(shown("2024-Q3").as_deref(), Some("2024-Q3"));
        assert_eq!(shown("2024M07").as_deref(), Some("2024-07"));
        assert_eq!(shown("2024-M07").as_deref(), Some("2024-07"));
        assert_eq!(shown("1994Jan").as_deref(), Some("1994-01"));
        assert_eq!(shown("04 Jan 1999").as_deref(), Some("1999-01-04"));
        assert_eq!(shown("2024-01-31").as_deref(), Some("2024-01-31"));
        assert_eq!(shown("2024S1"), None);
        assert_eq!(shown("2024Q5"), None);
        assert_eq!(shown("Jan 1999"), None);
    }
}
