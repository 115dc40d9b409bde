//! The target-versus-forecast selection: for each series-period with a target or a forecast,
//! its latest target and each source's latest forecast as of a date, chosen by the database.

use super::SqliteStore;
use crate::domain::period::{Period, date_to_int};
use crate::domain::query::{GapFilter, GapRow};
use crate::store::decode::gap_row;
use crate::store::error::StoreError;

// `bench/sql/gaps.sql` is this statement, for `sqlite3` to run.
// Latest target per series-period (see `latest_targets_cte!`); `latest`, each source's
// latest forecast as of ?1 (a NOT EXISTS probe on the primary key), only ?6's when given.
// The targets take their forecasts from it, of their own indicator or of one standing in
// for it; then, unless ?5 (targeted only), the forecasts no target takes follow as series
// of their own. One scan of the forecasts serves both: a second, for the forecasts alone,
// cost 0.7 s more CPU on the benchmark's million rows, this one 0.4 s. The series filters
// hold in `latest` too (the indicator's own forecasts and its stand-ins'), so that a narrow
// query probes only its own forecasts, not a million.
const GAPS_SQL: &str = concat!(
    "WITH ",
    latest_targets_cte!(),
    ",
latest AS MATERIALIZED (
    SELECT f.* FROM figures f
    WHERE f.kind = 'forecast' AND f.published <= ?1 AND (f.retracted IS NULL OR f.retracted > ?1)
      AND (?6 IS NULL OR f.source_id = (SELECT id FROM sources WHERE slug = ?6))
      AND (?2 IS NULL OR f.indicator_id IN (
          SELECT b.id FROM indicators b JOIN indicators wanted ON wanted.code = ?2
          WHERE b.id = wanted.id OR b.proxy_for = wanted.id))
      AND (?3 IS NULL OR f.entity_id = (SELECT id FROM entities WHERE code = ?3))
      AND (?4 IS NULL OR f.period = ?4)
      AND NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = f.indicator_id AND n.entity_id = f.entity_id AND n.period = f.period
            AND n.kind = 'forecast' AND n.source_id = f.source_id
            AND n.published > f.published AND n.published <= ?1 AND (n.retracted IS NULL OR n.retracted > ?1))
),
forecasts AS (
    SELECT f.*, t.indicator_id AS target_indicator_id FROM targets t
    JOIN indicators b ON b.id = t.indicator_id OR b.proxy_for = t.indicator_id
    JOIN latest f ON f.indicator_id = b.id AND f.entity_id = t.entity_id AND f.period = t.period
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
UNION ALL
SELECT i.code, e.code, f.period, i.unit, NULL, NULL, NULL, NULL, NULL, s.slug, i.code,
       f.value, f.bound, f.high, f.published
FROM latest f
JOIN indicators i ON i.id = f.indicator_id
JOIN entities e ON e.id = f.entity_id
JOIN sources s ON s.id = f.source_id
WHERE NOT ?5 AND (?2 IS NULL OR i.code = ?2) AND (?3 IS NULL OR e.code = ?3) AND (?4 IS NULL OR f.period = ?4)
  AND NOT EXISTS (
      SELECT 1 FROM figures n
      WHERE n.indicator_id IN (f.indicator_id, i.proxy_for) AND n.entity_id = f.entity_id
        AND n.period = f.period AND n.kind = 'target'
        AND n.published <= ?1 AND (n.retracted IS NULL OR n.retracted > ?1))
ORDER BY indicator, entity, period, forecast_source, basis"
);

impl SqliteStore {
    /// Rows are read straight from SQLite (see `raw.rs`).
    pub async fn each_gap_row<E: From<StoreError>>(
        &self,
        filter: &GapFilter,
        mut each: impl FnMut(GapRow) -> Result<(), E>,
    ) -> Result<(), E> {
        self.with_raw(|db| {
            let mut select = db.prepare(GAPS_SQL, false)?;
            select.bind_i64(1, date_to_int(filter.as_of))?;
            select.bind_opt_text(2, filter.indicator.as_deref())?;
            select.bind_opt_text(3, filter.entity.as_deref())?;
            select.bind_opt_i64(4, filter.period.map(Period::key))?;
            select.bind_i64(5, i64::from(filter.targeted_only))?;
            select.bind_opt_text(6, filter.source.as_deref())?;
            while let Some(row) = select.step()? {
                each(gap_row(&row)?)?;
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
        let bench = include_str!("../../../bench/sql/gaps.sql");
        assert_eq!(bench.trim_end().trim_end_matches(';'), super::GAPS_SQL, "update bench/sql/gaps.sql");
    }
}
