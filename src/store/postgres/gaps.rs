//! The target-versus-forecast selection on PostgreSQL: `store/gaps.rs`'s statement with
//! typed `$N` parameters, DATE dates, and SQLite's order (bytes, NULLs first) spelled out.

use super::PgStore;
use crate::domain::period::Period;
use crate::domain::query::{ForecastSide, GapFilter, GapRow, TargetSide};
use crate::store::decode::{period, quantity};
use crate::store::error::{Result, StoreError};
use chrono::NaiveDate;
use futures_util::TryStreamExt;
use sqlx::Row;
use sqlx::postgres::PgRow;

// Parameters as on SQLite: $1 as-of date, $2-$4 the series filters, $5 targeted only,
// $6 the forecasting source. SQLite sorts NULL first; PostgreSQL last unless told.
const GAPS_SQL: &str = concat!(
    "WITH ",
    pg_latest_targets_cte!(),
    ",
latest AS MATERIALIZED (
    SELECT f.* FROM figures f
    WHERE f.kind = 'forecast' AND f.published <= $1::date AND (f.retracted IS NULL OR f.retracted > $1::date)
      AND ($6::text IS NULL OR f.source_id = (SELECT id FROM sources WHERE slug = $6))
      AND ($2::text IS NULL OR f.indicator_id IN (
          SELECT b.id FROM indicators b JOIN indicators wanted ON wanted.code = $2
          WHERE b.id = wanted.id OR b.proxy_for = wanted.id))
      AND ($3::text IS NULL OR f.entity_id = (SELECT id FROM entities WHERE code = $3))
      AND ($4::int8 IS NULL OR f.period = $4)
      AND NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = f.indicator_id AND n.entity_id = f.entity_id AND n.period = f.period
            AND n.kind = 'forecast' AND n.source_id = f.source_id
            AND n.published > f.published AND n.published <= $1::date AND (n.retracted IS NULL OR n.retracted > $1::date))
),
forecasts AS (
    SELECT f.*, t.indicator_id AS target_indicator_id FROM targets t
    JOIN indicators b ON b.id = t.indicator_id OR b.proxy_for = t.indicator_id
    JOIN latest f ON f.indicator_id = b.id AND f.entity_id = t.entity_id AND f.period = t.period
)
SELECT * FROM (
SELECT ti.code AS indicator, e.code AS entity, t.period, ti.unit,
       t.value::text AS target_value, t.bound AS target_bound, t.high::text AS target_high,
       ts.slug AS target_source, t.published AS target_published,
       fs.slug AS forecast_source, fi.code AS basis,
       f.value::text AS forecast_value, f.bound AS forecast_bound, f.high::text AS forecast_high,
       f.published AS forecast_published
FROM targets t
JOIN indicators ti ON ti.id = t.indicator_id
JOIN entities e ON e.id = t.entity_id
JOIN sources ts ON ts.id = t.source_id
LEFT JOIN forecasts f ON f.target_indicator_id = t.indicator_id AND f.entity_id = t.entity_id
                     AND f.period = t.period
LEFT JOIN sources fs ON fs.id = f.source_id
LEFT JOIN indicators fi ON fi.id = f.indicator_id
UNION ALL
SELECT i.code, e.code, f.period, i.unit, NULL, NULL, NULL, NULL, NULL, s.slug, i.code,
       f.value::text, f.bound, f.high::text, f.published
FROM latest f
JOIN indicators i ON i.id = f.indicator_id
JOIN entities e ON e.id = f.entity_id
JOIN sources s ON s.id = f.source_id
WHERE NOT $5::bool AND ($2::text IS NULL OR i.code = $2) AND ($3::text IS NULL OR e.code = $3)
  AND ($4::int8 IS NULL OR f.period = $4)
  AND NOT EXISTS (
      SELECT 1 FROM figures n
      WHERE n.indicator_id IN (f.indicator_id, i.proxy_for) AND n.entity_id = f.entity_id
        AND n.period = f.period AND n.kind = 'target'
        AND n.published <= $1::date AND (n.retracted IS NULL OR n.retracted > $1::date))
) AS gap
ORDER BY indicator COLLATE \"C\", entity COLLATE \"C\", period,
         forecast_source COLLATE \"C\" NULLS FIRST, basis COLLATE \"C\" NULLS FIRST"
);

/// The columns of `GAPS_SQL`, in order.
fn gap_row_from(row: &PgRow) -> Result<GapRow> {
    let forecast = match (
        row.try_get::<Option<String>, _>(9)?,
        row.try_get::<Option<String>, _>(10)?,
        row.try_get::<Option<String>, _>(11)?,
        row.try_get::<Option<String>, _>(12)?,
        row.try_get::<Option<NaiveDate>, _>(14)?,
    ) {
        (Some(source), Some(basis), Some(value), Some(bound), Some(published)) => Some(ForecastSide {
            source,
            basis,
            quantity: quantity(&value, &bound, row.try_get::<Option<String>, _>(13)?.as_deref())?,
            published,
        }),
        _ => None,
    };
    // The target columns are all NULL for a series with forecasts alone.
    let target = match row.try_get::<Option<String>, _>(4)? {
        Some(value) => Some(TargetSide {
            quantity: quantity(&value, &row.try_get::<String, _>(5)?, row.try_get::<Option<String>, _>(6)?.as_deref())?,
            source: row.try_get(7)?,
            published: row.try_get(8)?,
        }),
        None => None,
    };
    Ok(GapRow {
        indicator: row.try_get(0)?,
        entity: row.try_get(1)?,
        period: period(row.try_get(2)?)?,
        unit: row.try_get(3)?,
        target,
        forecast,
    })
}

impl PgStore {
    /// Hands `each` one row per (series-period, forecasting source, basis), ordered by
    /// series, as `Store::each_gap_row` does, as the rows arrive.
    pub async fn each_gap_row<E: From<StoreError>>(
        &self,
        filter: &GapFilter,
        mut each: impl FnMut(GapRow) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rows = sqlx::query(GAPS_SQL)
            .bind(filter.as_of)
            .bind(filter.indicator.as_deref())
            .bind(filter.entity.as_deref())
            .bind(filter.period.map(Period::key))
            .bind(filter.targeted_only)
            .bind(filter.source.as_deref())
            .fetch(&self.pool);
        while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
            each(gap_row_from(&row)?)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    /// `bench/postgres.sh` has psql execute this very statement.
    #[test]
    fn the_benchmarks_psql_gaps_query_is_this() {
        let bench = include_str!("../../../bench/sql/postgres/gaps.sql");
        assert_eq!(bench.trim_end().trim_end_matches(';'), super::GAPS_SQL, "update bench/sql/postgres/gaps.sql");
    }
}
