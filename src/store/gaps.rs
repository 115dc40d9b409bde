//! The target-versus-forecast selection: for each target series-period, its latest target
//! and each source's latest forecast as of a date, chosen by the database.

use super::Store;
use crate::period::{Period, date_to_int, int_to_date};
use crate::value::{Bound, Quantity};
use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use futures_util::stream::{BoxStream, StreamExt};
use rust_decimal::Decimal;
use sqlx::types::Text;

/// Which targets to compare.
#[derive(Debug, Clone)]
pub struct GapFilter {
    pub indicator: Option<String>,
    pub entity: Option<String>,
    pub period: Option<Period>,
    /// Values published after this date are invisible.
    pub as_of: NaiveDate,
}

/// A target and one forecast against it (none when no source has forecast it yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapRow {
    pub indicator: String,
    pub entity: String,
    pub period: Period,
    pub unit: String,
    pub target: Quantity,
    pub target_source: String,
    pub target_published: NaiveDate,
    pub forecast: Option<ForecastSide>,
}

/// The forecast side of a gap row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastSide {
    pub source: String,
    /// The indicator the forecast is of: the target's own, or one reported as its proxy.
    pub basis: String,
    pub quantity: Quantity,
    pub published: NaiveDate,
}

#[derive(sqlx::FromRow)]
struct Row {
    indicator: String,
    entity: String,
    period: i64,
    unit: String,
    target_value: Text<Decimal>,
    target_bound: String,
    target_high: Option<Text<Decimal>>,
    target_source: String,
    target_published: i64,
    forecast_source: Option<String>,
    basis: Option<String>,
    forecast_value: Option<Text<Decimal>>,
    forecast_bound: Option<String>,
    forecast_high: Option<Text<Decimal>>,
    forecast_published: Option<i64>,
}

// `bench/sql/gaps.sql` is this statement, for `sqlite3` to run.
// Latest target per series-period (see `latest_targets_cte!`), then per forecasting source
// and basis indicator its latest forecast as of ?1: a NOT EXISTS probe on the primary key.
const GAPS_SQL: &str = concat!(
    "WITH ",
    latest_targets_cte!(),
    ",
forecasts AS (
    SELECT f.*, t.indicator_id AS target_indicator_id FROM targets t
    JOIN indicators b ON b.id = t.indicator_id OR b.proxy_for = t.indicator_id
    JOIN figures f ON f.indicator_id = b.id AND f.entity_id = t.entity_id AND f.period = t.period
                  AND f.kind = 'forecast' AND f.published <= ?1
    WHERE NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = f.indicator_id AND n.entity_id = f.entity_id AND n.period = f.period
            AND n.kind = 'forecast' AND n.source_id = f.source_id
            AND n.published > f.published AND n.published <= ?1)
)
SELECT ti.code AS indicator, e.code AS entity, t.period, ti.unit,
       t.value AS target_value, t.bound AS target_bound, t.high AS target_high,
       ts.slug AS target_source, t.published AS target_published,
       fs.slug AS forecast_source, fi.code AS basis,
       f.value AS forecast_value, f.bound AS forecast_bound, f.high AS forecast_high,
       f.published AS forecast_published
FROM targets t
JOIN indicators ti ON ti.id = t.indicator_id
JOIN entities e ON e.id = t.entity_id
JOIN sources ts ON ts.id = t.source_id
LEFT JOIN forecasts f ON f.target_indicator_id = t.indicator_id AND f.entity_id = t.entity_id
                     AND f.period = t.period
LEFT JOIN sources fs ON fs.id = f.source_id
LEFT JOIN indicators fi ON fi.id = f.indicator_id
ORDER BY ti.code, e.code, t.period, fs.slug, fi.code"
);

fn quantity(value: Decimal, bound: &str, high: Option<Decimal>) -> Result<Quantity> {
    let bound: Bound = bound.parse()?;
    Ok(Quantity::new(value, bound, high)?)
}

impl TryFrom<Row> for GapRow {
    type Error = anyhow::Error;

    fn try_from(row: Row) -> Result<GapRow> {
        let date = |n: i64| int_to_date(n).ok_or_else(|| anyhow!("stored date {n} is not a date"));
        let forecast =
            match (row.forecast_source, row.basis, row.forecast_value, row.forecast_bound, row.forecast_published) {
                (Some(source), Some(basis), Some(value), Some(bound), Some(published)) => Some(ForecastSide {
                    source,
                    basis,
                    quantity: quantity(value.0, &bound, row.forecast_high.map(|h| h.0))?,
                    published: date(published)?,
                }),
                _ => None,
            };
        Ok(GapRow {
            period: Period::from_key(row.period)
                .ok_or_else(|| anyhow!("stored period {} is not a period", row.period))?,
            target: quantity(row.target_value.0, &row.target_bound, row.target_high.map(|h| h.0))?,
            target_published: date(row.target_published)?,
            indicator: row.indicator,
            entity: row.entity,
            unit: row.unit,
            target_source: row.target_source,
            forecast,
        })
    }
}

impl Store {
    /// Streams one row per (target, forecasting source, basis), ordered by series.
    pub fn gap_rows(&self, filter: &GapFilter) -> BoxStream<'_, Result<GapRow>> {
        sqlx::query_as::<_, Row>(GAPS_SQL)
            .bind(date_to_int(filter.as_of))
            .bind(filter.indicator.clone())
            .bind(filter.entity.clone())
            .bind(filter.period.map(Period::key))
            .fetch(&self.pool)
            .map(|row| row.map_err(anyhow::Error::from).and_then(GapRow::try_from))
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_benchmarks_sqlite3_gap_query_is_this_one() {
        let bench = include_str!("../../bench/sql/gaps.sql");
        assert_eq!(bench.trim_end().trim_end_matches(';'), super::GAPS_SQL, "update bench/sql/gaps.sql");
    }
}
