//! Stored rows read back strictly, through [`Columns`], so that every backend shares one
//! decoder per statement shape: a column that does not hold what econtrack writes is an
//! error naming the value, never a guess. Each decoder documents the columns it reads, in
//! order; a backend's statement returns exactly those.

use super::error::{Corrupt, Result, StoreError};
use super::ids::Codes;
use crate::domain::model::{Entity, Figure, Indicator, Retraction, Source};
use crate::domain::period::{Period, int_to_date};
use crate::domain::query::{
    Dim, ForecastSide, GapRow, LateForecast, Observed, RawFigure, ScoredForecast, TargetOutcome, TargetSide,
};
use crate::domain::value::{Bound, Kind, Quantity, parse_canonical};
use chrono::NaiveDate;
use compact_str::CompactString;
use rust_decimal::Decimal;

/// One row of a result, read by column (0-based). An integer column reads as `i64`, a
/// text column as `&str` borrowed from the row; any other type, or NULL where a value is
/// required, is [`Corrupt`]. The SQLite fast path's row and any sqlx row implement it.
pub trait Columns<'r> {
    fn opt_int(&self, index: usize) -> Result<Option<i64>>;
    fn opt_text(&self, index: usize) -> Result<Option<&'r str>>;

    fn int(&self, index: usize) -> Result<i64> {
        Ok(self.opt_int(index)?.ok_or(Corrupt::Null(index))?)
    }

    fn text(&self, index: usize) -> Result<&'r str> {
        Ok(self.opt_text(index)?.ok_or(Corrupt::Null(index))?)
    }
}

/// An sqlx row of any database, read as [`Columns`].
pub struct SqlxColumns<'r, R>(pub &'r R);

impl<'r, R> Columns<'r> for SqlxColumns<'r, R>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    &'r str: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn opt_int(&self, index: usize) -> Result<Option<i64>> {
        self.0.try_get::<Option<i64>, _>(index).map_err(StoreError::from)
    }

    fn opt_text(&self, index: usize) -> Result<Option<&'r str>> {
        self.0.try_get::<Option<&'r str>, _>(index).map_err(StoreError::from)
    }
}

/// A stored decimal, which econtrack writes only in canonical form (`value::canonical`):
/// `Decimal::from_str` would also take `+5`, `1_000` or `4.60`, none of which it writes.
pub fn decimal(text: &str) -> Result<Decimal, Corrupt> {
    parse_canonical(text).ok_or_else(|| Corrupt::Decimal(text.to_string()))
}

pub fn date(n: i64) -> Result<NaiveDate, Corrupt> {
    int_to_date(n).ok_or(Corrupt::Date(n))
}

pub fn period(key: i64) -> Result<Period, Corrupt> {
    Period::from_key(key).ok_or(Corrupt::Period(key))
}

/// A value with its bound and, for a range, its upper end.
pub fn quantity(value: &str, bound: &str, high: Option<&str>) -> Result<Quantity, Corrupt> {
    let bound: Bound = bound.parse()?;
    Ok(Quantity::new(decimal(value)?, bound, high.map(decimal).transpose()?)?)
}

/// A stored figure as the figures table holds it: ids, not codes, so that streaming a
/// million rows moves integers across from the database; [`Codes`] turns them back into codes.
pub struct FigureRow {
    indicator_id: i64,
    entity_id: i64,
    period: i64,
    /// Index into `Kind::ALL`.
    kind: i64,
    source_id: i64,
    published: i64,
    value: Decimal,
    /// Index into `Bound::ALL`.
    bound: i64,
    high: Option<Decimal>,
    tolerance: Option<Decimal>,
    document_id: Option<i64>,
    quote: Option<String>,
    note: Option<String>,
    retracted: Option<i64>,
    retraction_note: Option<String>,
}

impl FigureRow {
    /// Columns: indicator_id, entity_id, period, kind (its index in `Kind::ALL`, -1 for
    /// none), source_id, published, value, bound (its index in `Bound::ALL`), high,
    /// tolerance, document_id, quote, note, retracted, retraction_note.
    pub fn read<'r>(row: &impl Columns<'r>) -> Result<FigureRow> {
        Ok(FigureRow {
            indicator_id: row.int(0)?,
            entity_id: row.int(1)?,
            period: row.int(2)?,
            kind: row.int(3)?,
            source_id: row.int(4)?,
            published: row.int(5)?,
            value: decimal(row.text(6)?)?,
            bound: row.int(7)?,
            high: row.opt_text(8)?.map(decimal).transpose()?,
            tolerance: row.opt_text(9)?.map(decimal).transpose()?,
            document_id: row.opt_int(10)?,
            quote: row.opt_text(11)?.map(str::to_string),
            note: row.opt_text(12)?.map(str::to_string),
            retracted: row.opt_int(13)?,
            retraction_note: row.opt_text(14)?.map(str::to_string),
        })
    }

    pub fn into_figure(self, codes: &Codes) -> Result<Figure> {
        let code = |dim: Dim, id: i64| codes.code(dim, id).ok_or(Corrupt::UnknownId { noun: dim.noun(), id });
        let (indicator, entity) = (code(Dim::Indicator, self.indicator_id)?, code(Dim::Entity, self.entity_id)?);
        let bad =
            |what: &'static str| Corrupt::Figure { indicator: indicator.to_string(), entity: entity.to_string(), what };
        let index = |n: i64| usize::try_from(n).ok();
        let kind = index(self.kind).and_then(|i| Kind::ALL.get(i).copied()).ok_or_else(|| bad("kind"))?;
        let bound = index(self.bound).and_then(|i| Bound::ALL.get(i).copied()).ok_or_else(|| bad("bound"))?;
        Ok(Figure {
            period: Period::from_key(self.period).ok_or_else(|| bad("period"))?,
            published: int_to_date(self.published).ok_or_else(|| bad("published date"))?,
            quantity: Quantity::new(self.value, bound, self.high).map_err(|_| bad("value, bound or high value"))?,
            kind,
            tolerance: self.tolerance,
            source: code(Dim::Source, self.source_id)?.into(),
            document: self.document_id.map(|id| code(Dim::Document, id)).transpose()?.map(CompactString::from),
            quote: self.quote,
            note: self.note,
            retraction: match self.retracted {
                Some(on) => Some(Retraction {
                    on: int_to_date(on).ok_or_else(|| bad("retraction date"))?,
                    note: self.retraction_note,
                }),
                None => None,
            },
            indicator: indicator.into(),
            entity: entity.into(),
        })
    }
}

/// Columns: indicator, entity, period, unit, then the target's value, bound, high, source
/// and published (all NULL for a series with forecasts alone), then the forecast's source,
/// basis, value, bound, high and published (all NULL for a target no source forecast).
pub fn gap_row<'r>(row: &impl Columns<'r>) -> Result<GapRow> {
    let forecast = match (row.opt_text(9)?, row.opt_text(10)?, row.opt_text(11)?, row.opt_text(12)?, row.opt_int(14)?) {
        (Some(source), Some(basis), Some(value), Some(bound), Some(published)) => Some(ForecastSide {
            source: source.to_string(),
            basis: basis.to_string(),
            quantity: quantity(value, bound, row.opt_text(13)?)?,
            published: date(published)?,
        }),
        _ => None,
    };
    let target = match row.opt_text(4)? {
        Some(value) => Some(TargetSide {
            quantity: quantity(value, row.text(5)?, row.opt_text(6)?)?,
            source: row.text(7)?.to_string(),
            published: date(row.int(8)?)?,
        }),
        None => None,
    };
    Ok(GapRow {
        indicator: row.text(0)?.to_string(),
        entity: row.text(1)?.to_string(),
        period: period(row.int(2)?)?,
        unit: row.text(3)?.to_string(),
        target,
        forecast,
    })
}

/// Columns: indicator, entity, period, unit, the target's value, bound, high, tolerance,
/// source and published, then the actual's value, published and source (NULL until out).
pub fn target_outcome<'r>(row: &impl Columns<'r>) -> Result<TargetOutcome> {
    let actual = match (row.opt_text(10)?, row.opt_int(11)?, row.opt_text(12)?) {
        (Some(value), Some(published), Some(source)) => {
            Some(Observed { value: decimal(value)?, published: date(published)?, source: source.to_string() })
        }
        _ => None,
    };
    Ok(TargetOutcome {
        indicator: row.text(0)?.to_string(),
        entity: row.text(1)?.to_string(),
        period: period(row.int(2)?)?,
        unit: row.text(3)?.to_string(),
        target: quantity(row.text(4)?, row.text(5)?, row.opt_text(6)?)?,
        tolerance: row.opt_text(7)?.map(decimal).transpose()?,
        target_source: row.text(8)?.to_string(),
        target_published: date(row.int(9)?)?,
        actual,
    })
}

/// Columns: indicator, entity, period, source, the forecast's value, bound, high and
/// published, then the actual's value, published and source.
pub fn scored_forecast<'r>(row: &impl Columns<'r>) -> Result<ScoredForecast> {
    Ok(ScoredForecast {
        indicator: row.text(0)?.to_string(),
        entity: row.text(1)?.to_string(),
        period: period(row.int(2)?)?,
        source: row.text(3)?.to_string(),
        forecast: quantity(row.text(4)?, row.text(5)?, row.opt_text(6)?)?,
        published: date(row.int(7)?)?,
        actual: Observed {
            value: decimal(row.text(8)?)?,
            published: date(row.int(9)?)?,
            source: row.text(10)?.to_string(),
        },
    })
}

/// Columns: indicator, entity, period, source, the actual's published date.
pub fn late_forecast<'r>(row: &impl Columns<'r>) -> Result<LateForecast> {
    Ok(LateForecast {
        indicator: row.text(0)?.to_string(),
        entity: row.text(1)?.to_string(),
        period: period(row.int(2)?)?,
        source: row.text(3)?.to_string(),
        actual_published: date(row.int(4)?)?,
    })
}

/// Columns: indicator_id, indicator code, entity_id, entity code, period, kind, source_id,
/// source slug, published, value, bound, high, retracted; codes NULL where the id points
/// at nothing. Nothing is parsed: `check` judges the text itself.
pub fn raw_figure<'r>(row: &impl Columns<'r>) -> Result<RawFigure> {
    let owned = |text: Option<&str>| text.map(str::to_string);
    Ok(RawFigure {
        indicator_id: row.int(0)?,
        indicator: owned(row.opt_text(1)?),
        entity_id: row.int(2)?,
        entity: owned(row.opt_text(3)?),
        period: row.int(4)?,
        kind: row.text(5)?.to_string(),
        source_id: row.int(6)?,
        source: owned(row.opt_text(7)?),
        published: row.int(8)?,
        value: row.text(9)?.to_string(),
        bound: row.text(10)?.to_string(),
        high: owned(row.opt_text(11)?),
        retracted: row.opt_int(12)?,
    })
}

/// A source, indicator and entity as every backend selects them (`SELECT slug, name, …`;
/// an indicator's `proxy_for` as the code it is a proxy for): text columns only, so one row
/// type and one decoder serve both. Documents differ (a DATE on PostgreSQL).
pub type SourceRow = (String, String, Option<String>, Option<String>, Option<String>);
pub type IndicatorRow = (String, String, Option<String>, String, Option<String>, Option<String>);
pub type EntityRow = (String, String, Option<String>, Option<String>);

pub fn source_from((slug, name, name_zh, kind, url): SourceRow) -> Source {
    Source { slug, name, name_zh, kind, url }
}

pub fn indicator_from((code, name, name_zh, unit, description, proxy_for): IndicatorRow) -> Indicator {
    Indicator { code, name, name_zh, unit, description, proxy_for }
}

pub fn entity_from((code, name, name_zh, kind): EntityRow) -> Entity {
    Entity { code, name, name_zh, kind }
}

/// A releases row as both backends select it (the day already a date): source, indicator,
/// entity, period key, name, day, time, zone, importance, status, document, note.
pub type ReleaseRow = (
    String,
    String,
    String,
    i64,
    String,
    chrono::NaiveDate,
    Option<String>,
    Option<String>,
    i64,
    String,
    Option<String>,
    Option<String>,
);

/// A stored release, re-read with the checks its input went through.
pub fn release_from(row: ReleaseRow) -> Result<crate::domain::release::Release, Corrupt> {
    use crate::domain::release::{Release, parse_time};
    let (source, indicator, entity, period, name, date, time, zone, importance, status, document, note) = row;
    let period = Period::from_key(period).ok_or(Corrupt::Period(period))?;
    use crate::domain::release::ReleaseKey;
    let key = ReleaseKey { source: source.clone(), indicator: indicator.clone(), entity: entity.clone(), period };
    let bad = |reason: String| Corrupt::Release { id: key.to_string(), reason };
    let release = Release {
        time: time.as_deref().map(parse_time).transpose().map_err(|e| bad(e.to_string()))?,
        importance: u8::try_from(importance)
            .ok()
            .filter(|i| (1..=3).contains(i))
            .ok_or_else(|| bad(["importance ", &importance.to_string()].concat()))?,
        status: status.parse().map_err(|e: crate::domain::release::ReleaseError| bad(e.to_string()))?,
        source,
        indicator,
        entity,
        period,
        name,
        date,
        zone,
        document,
        note,
    };
    release.check_time().map_err(|e| bad(e.to_string()))?;
    Ok(release)
}
