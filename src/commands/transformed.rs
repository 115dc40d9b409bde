//! `--units`, `--frequency` and `--aggregate` on `values`, `history` and `export values`:
//! each stored series read whole, its view as of a date aggregated and transformed by
//! `domain::transform`, listed with the unit of the result and the transform stated.

use crate::domain::query::{FigureFilter, FigureOrder};
use crate::domain::transform::{
    self, Nature, Outcome, Point, Request, TransformError, Units, Vintage, check_bound, check_unit,
};
use crate::domain::value::Kind;
use crate::io::output::{Cell, Listing};
use anyhow::Result;
use chrono::NaiveDate;
use compact_str::CompactString;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use crate::store::Store;

/// One stored series: an indicator of an entity, one kind, from one source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub indicator: CompactString,
    pub entity: CompactString,
    pub kind: Kind,
    pub source: CompactString,
}

/// A series' every vintage, with the unit of its indicator.
pub struct Series {
    pub key: Key,
    pub unit: String,
    pub vintages: Vec<Vintage>,
}

/// Columns of `values --units` in CSV and JSON (the table leaves out the last three).
pub const VALUES_COLUMNS: &[&str] =
    &["indicator", "entity", "period", "kind", "source", "value", "unit", "units", "frequency", "as_of"];
const VALUES_TABLE_COLUMNS: &[&str] = &["indicator", "entity", "period", "kind", "source", "value", "unit"];

/// Columns of `history --units` in CSV and JSON (the table leaves out the first two and
/// `units`).
const HISTORY_COLUMNS: &[&str] = &[
    "indicator",
    "entity",
    "published",
    "period",
    "kind",
    "source",
    "value",
    "unit",
    "units",
    "frequency",
    "previous",
    "change",
];
const HISTORY_TABLE_COLUMNS: &[&str] = &["published", "period", "kind", "source", "value", "unit", "revision"];

/// Every series `filter` selects, whole: the period filter is left to the listing, since a
/// transform needs the periods before it. Refuses a ratio or logarithm of a rate and a
/// transform of a bounded value, before anything is listed.
pub async fn gather(store: &impl Store, filter: &FigureFilter, request: Request) -> Result<Vec<Series>> {
    let units: HashMap<String, String> = store.indicators().await?.into_iter().map(|i| (i.code, i.unit)).collect();
    let whole = FigureFilter { period: None, ..filter.clone() };
    let mut series: BTreeMap<Key, Vec<Vintage>> = BTreeMap::new();
    let mut refused: Option<TransformError> = None;
    store
        .each_figure(&whole, FigureOrder::Key, |figure| -> Result<()> {
            if refused.is_none()
                && let Err(err) = check_bound(request.units, &figure.indicator, figure.period, figure.quantity.bound())
            {
                refused = Some(err);
            }
            let key =
                Key { indicator: figure.indicator, entity: figure.entity, kind: figure.kind, source: figure.source };
            let vintage =
                Vintage { period: figure.period, published: figure.published, value: figure.quantity.value() };
            series.entry(key).or_default().push(vintage);
            Ok(())
        })
        .await?;
    // A ratio of a rate is refused first: it is wrong for every value, not only a bounded one.
    let series: Vec<Series> = series
        .into_iter()
        .map(|(key, vintages)| {
            let unit = units.get(key.indicator.as_str()).cloned().unwrap_or_else(|| "unspecified".to_string());
            check_unit(request.units, &key.indicator, &unit)?;
            Ok(Series { key, unit, vintages })
        })
        .collect::<Result<_, TransformError>>()?;
    match refused {
        Some(err) => Err(err.into()),
        None => Ok(series),
    }
}

/// The notes every transformed listing ends with: the transform, and what a level whose
/// unit was not stated was taken for.
fn statement_notes<W: Write>(listing: &mut Listing<W>, request: Request, series: &[Series]) {
    listing.note(request.statement());
    if request.units != Units::Lin && series.iter().any(|s| transform::nature(&s.unit) == Nature::Unstated) {
        listing.note("a series whose unit is unspecified was taken as a level");
    }
}

/// `values --units`: one row per period of each series' view as of `as_of`.
pub async fn values<W: Write>(
    store: &impl Store,
    filter: &FigureFilter,
    request: Request,
    mut listing: Listing<W>,
) -> Result<()> {
    let as_of = filter.as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    let series = gather(store, filter, request).await?;
    let table = listing.is_table();
    let (mut listed, mut without) = (0_u64, 0_u64);
    for s in &series {
        let view: Vec<Point> = transform::view_as_of(&s.vintages, as_of).into_iter().map(|(point, _)| point).collect();
        let applied = transform::apply(&view, request)?;
        let unit = transform::result_unit(request.units, &s.unit);
        for (period, outcome) in applied.outcomes {
            if filter.period.is_some_and(|wanted| wanted != period) {
                continue;
            }
            let Outcome::Value(value) = outcome else {
                without += 1;
                continue;
            };
            listed += 1;
            let mut cells = vec![
                Cell::text(s.key.indicator.as_str()),
                Cell::text(s.key.entity.as_str()),
                Cell::text(period.to_string()),
                Cell::text(s.key.kind.as_str()),
                Cell::text(s.key.source.as_str()),
                Cell::Number(value),
                Cell::text(unit.as_str()),
            ];
            if !table {
                cells.extend([
                    Cell::text(request.units.code()),
                    Cell::opt_text(frequency(request)),
                    Cell::text(as_of.to_string()),
                ]);
            }
            listing.row(cells)?;
        }
    }
    statement_notes(&mut listing, request, &series);
    listing.note(format!("{listed} value(s), as the series stood on {as_of}"));
    if without > 0 {
        listing.note(format!(
            "{without} period(s) without a value: the lagged period is not in the view, or a ratio or logarithm of a zero or negative level"
        ));
    }
    listing.finish()?;
    Ok(())
}

/// `history --units`: at each publication date, the transformed values that appeared or
/// changed in the view as of that date.
pub async fn history<W: Write>(
    store: &impl Store,
    filter: &FigureFilter,
    request: Request,
    mut listing: Listing<W>,
) -> Result<()> {
    let series = gather(store, filter, request).await?;
    let table = listing.is_table();
    let mut rows: Vec<(NaiveDate, &Series, transform::Change)> = Vec::new();
    for s in &series {
        for change in transform::history(&s.vintages, request)? {
            if filter.period.is_none_or(|wanted| wanted == change.period) {
                rows.push((change.published, s, change));
            }
        }
    }
    // Oldest publication first, as `history` lists vintages.
    rows.sort_by(|a, b| (a.0, a.2.period.start(), &a.1.key).cmp(&(b.0, b.2.period.start(), &b.1.key)));
    for (published, s, change) in &rows {
        let unit = transform::result_unit(request.units, &s.unit);
        let difference = change.previous.map(|previous| change.value - previous);
        let cells = if table {
            let revision = match (change.previous, difference) {
                (Some(previous), Some(difference)) => format!("{previous} → {}: {difference:+}", change.value),
                _ => String::new(),
            };
            vec![
                Cell::text(published.to_string()),
                Cell::text(change.period.to_string()),
                Cell::text(s.key.kind.as_str()),
                Cell::text(s.key.source.as_str()),
                Cell::Number(change.value),
                Cell::text(unit),
                Cell::text(revision),
            ]
        } else {
            vec![
                Cell::text(s.key.indicator.as_str()),
                Cell::text(s.key.entity.as_str()),
                Cell::text(published.to_string()),
                Cell::text(change.period.to_string()),
                Cell::text(s.key.kind.as_str()),
                Cell::text(s.key.source.as_str()),
                Cell::Number(change.value),
                Cell::text(unit),
                Cell::text(request.units.code()),
                Cell::opt_text(frequency(request)),
                Cell::opt_number(change.previous),
                Cell::opt_number(difference),
            ]
        };
        listing.row(cells)?;
    }
    statement_notes(&mut listing, request, &series);
    listing.note(
        "each row: a transformed value that appeared or changed in the view as of its publication date (each period's latest value published by then)",
    );
    listing.finish()?;
    Ok(())
}

/// The `frequency` cell: `a avg` when the series was aggregated, else empty.
fn frequency(request: Request) -> Option<String> {
    request.frequency.map(|f| format!("{} {}", f.code(), request.aggregate.code()))
}

/// The columns of a transformed listing.
pub fn values_columns(table: bool) -> &'static [&'static str] {
    if table { VALUES_TABLE_COLUMNS } else { VALUES_COLUMNS }
}

pub fn history_columns(table: bool) -> &'static [&'static str] {
    if table { HISTORY_TABLE_COLUMNS } else { HISTORY_COLUMNS }
}
