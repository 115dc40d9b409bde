//! The target-versus-forecast selection: for each target series-period, its latest target
//! and each source's latest forecast as of a date, chosen by the database.

use super::decode::{date, period, quantity};
use super::{Store, raw};
use crate::period::{Period, date_to_int};
use crate::value::Quantity;
use anyhow::Result;
use chrono::NaiveDate;

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
                  AND f.kind = 'forecast' AND f.published <= ?1 AND (f.retracted IS NULL OR f.retracted > ?1)
    WHERE NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = f.indicator_id AND n.entity_id = f.entity_id AND n.period = f.period
            AND n.kind = 'forecast' AND n.source_id = f.source_id
            AND n.published > f.published AND n.published <= ?1 AND (n.retracted IS NULL OR n.retracted > ?1))
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

impl GapRow {
    /// The columns of `GAPS_SQL`, in order.
    fn from_raw(row: &raw::Row<'_>) -> Result<GapRow> {
        let forecast =
            match (row.opt_text(9)?, row.opt_text(10)?, row.opt_text(11)?, row.opt_text(12)?, row.opt_i64(14)?) {
                (Some(source), Some(basis), Some(value), Some(bound), Some(published)) => Some(ForecastSide {
                    source: source.to_string(),
                    basis: basis.to_string(),
                    quantity: quantity(value, bound, row.opt_text(13)?)?,
                    published: date(published)?,
                }),
                _ => None,
            };
        Ok(GapRow {
            indicator: row.text(0)?.to_string(),
            entity: row.text(1)?.to_string(),
            period: period(row.i64(2)?)?,
            unit: row.text(3)?.to_string(),
            target: quantity(row.text(4)?, row.text(5)?, row.opt_text(6)?)?,
            target_source: row.text(7)?.to_string(),
            target_published: date(row.i64(8)?)?,
            forecast,
        })
    }
}

impl Store {
    /// Hands `each` one row per (target, forecasting source, basis), ordered by series.
    /// Rows are read straight from SQLite (see `raw.rs`); an error from `each` stops the read.
    pub async fn each_gap_row(&self, filter: &GapFilter, mut each: impl FnMut(GapRow) -> Result<()>) -> Result<()> {
        self.with_raw(|db| {
            let mut select = db.prepare(GAPS_SQL, false)?;
            select.bind_i64(1, date_to_int(filter.as_of))?;
            select.bind_opt_text(2, filter.indicator.as_deref())?;
            select.bind_opt_text(3, filter.entity.as_deref())?;
            select.bind_opt_i64(4, filter.period.map(Period::key))?;
            while let Some(row) = select.step()? {
                each(GapRow::from_raw(&row)?)?;
            }
            Ok(())
        })
        .await
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
