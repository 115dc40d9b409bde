//! What scoring needs from the database: targets with their outcomes, and each source's
//! latest forecast published before the outcome it is scored against.

use super::{SqliteStore, raw};
use crate::domain::period::{Period, date_to_int};
use crate::domain::query::{LateForecast, ScoreFilter, ScoredForecast, TargetOutcome, WhichActual};
use crate::store::decode::{Columns, late_forecast, scored_forecast, target_outcome};
use crate::store::error::{Result, StoreError};

/// Every target as of ?1 with its outcome (the columns `decode::target_outcome` reads), then
/// `$columns`, from `targets t` and `$join`, in `$order`.
macro_rules! target_outcomes_sql {
    ($columns:literal, $join:literal, $order:literal) => {
        concat!(
            "WITH ",
            latest_targets_cte!(),
            ", ",
            chosen_actuals_cte!(),
            "
SELECT ti.code AS indicator, e.code AS entity, t.period, ti.unit, t.value, t.bound, t.high,
       t.tolerance, ts.slug AS target_source, t.published AS target_published,
       a.value AS actual, a.published AS actual_published, s.slug AS actual_source",
            $columns,
            "
FROM targets t
",
            $join,
            "JOIN indicators ti ON ti.id = t.indicator_id
JOIN entities e ON e.id = t.entity_id
JOIN sources ts ON ts.id = t.source_id
LEFT JOIN actuals a ON a.indicator_id = t.indicator_id AND a.entity_id = t.entity_id AND a.period = t.period
LEFT JOIN sources s ON s.id = a.source_id
ORDER BY ",
            $order
        )
    };
}

const TARGET_OUTCOMES_SQL: &str = target_outcomes_sql!("", "", "ti.code, e.code, t.period");

// Every target under each indicator scored against it: its own, and the target of the
// indicator it is a proxy for, own first. In the order of `SCORED_FORECASTS_SQL`, so that
// one pass over both pairs each series with its target (`TargetCursor`).
const SCORING_TARGETS_SQL: &str = target_outcomes_sql!(
    ", b.code AS scored_indicator",
    "JOIN indicators b ON b.id = t.indicator_id OR b.proxy_for = t.indicator_id\n",
    "b.code, e.code, t.period, t.indicator_id <> b.id"
);

/// Column of `SCORING_TARGETS_SQL` after the target outcome's own.
const SCORED_INDICATOR: usize = 13;

/// Reads `SCORING_TARGETS_SQL` in step with the forecasts, which come in the same order:
/// memory holds one target, however many there are.
struct TargetCursor<'d> {
    targets: raw::Statement<'d>,
    /// The indicator scored against it, and the target.
    current: Option<(String, TargetOutcome)>,
    done: bool,
}

impl<'d> TargetCursor<'d> {
    fn new(targets: raw::Statement<'d>) -> Self {
        TargetCursor { targets, current: None, done: false }
    }

    fn advance(&mut self) -> Result<()> {
        self.current = match self.targets.step()? {
            Some(row) => Some((row.text(SCORED_INDICATOR)?.to_string(), target_outcome(&row)?)),
            None => {
                self.done = true;
                None
            }
        };
        Ok(())
    }

    /// The target a forecast's series is shown beside, if any. Calls must come in
    /// `SCORED_FORECASTS_SQL` order; the first of equal keys is the indicator's own target.
    fn seek(&mut self, forecast: &ScoredForecast) -> Result<Option<&TargetOutcome>> {
        let wanted = (forecast.indicator.as_str(), forecast.entity.as_str(), forecast.period.key());
        loop {
            let order = self
                .current
                .as_ref()
                .map(|(scored, t)| (scored.as_str(), t.entity.as_str(), t.period.key()).cmp(&wanted));
            match order {
                Some(std::cmp::Ordering::Less) => self.advance()?,
                Some(std::cmp::Ordering::Equal) => return Ok(self.current.as_ref().map(|(_, target)| target)),
                Some(std::cmp::Ordering::Greater) => return Ok(None),
                None if self.done => return Ok(None),
                None => self.advance()?,
            }
        }
    }
}

// Each source's latest forecast published strictly before the chosen actual: a forecast
// made once the outcome was known is not a forecast.
const SCORED_FORECASTS_SQL: &str = concat!(
    "WITH ",
    chosen_actuals_cte!(),
    "
SELECT i.code AS indicator, e.code AS entity, a.period, s.slug AS source,
       f.value, f.bound, f.high, f.published,
       a.value AS actual, a.published AS actual_published, asrc.slug AS actual_source
FROM actuals a
JOIN indicators i ON i.id = a.indicator_id
JOIN entities e ON e.id = a.entity_id
JOIN sources asrc ON asrc.id = a.source_id
JOIN figures f ON f.indicator_id = a.indicator_id AND f.entity_id = a.entity_id AND f.period = a.period
              AND f.kind = 'forecast' AND f.published < a.published AND (f.retracted IS NULL OR f.retracted > ?1)
JOIN sources s ON s.id = f.source_id
WHERE (?2 IS NULL OR i.code = ?2) AND (?3 IS NULL OR e.code = ?3) AND (?4 IS NULL OR a.period = ?4)
  AND NOT EXISTS (
      SELECT 1 FROM figures n
      WHERE n.indicator_id = f.indicator_id AND n.entity_id = f.entity_id AND n.period = f.period
        AND n.kind = 'forecast' AND n.source_id = f.source_id
        AND n.published > f.published AND n.published < a.published AND (n.retracted IS NULL OR n.retracted > ?1))
ORDER BY i.code, e.code, a.period, s.slug"
);

const LATE_FORECASTS_SQL: &str = concat!(
    "WITH ",
    chosen_actuals_cte!(),
    "
SELECT DISTINCT i.code AS indicator, e.code AS entity, a.period, s.slug AS source,
       a.published AS actual_published
FROM actuals a
JOIN indicators i ON i.id = a.indicator_id
JOIN entities e ON e.id = a.entity_id
JOIN figures f ON f.indicator_id = a.indicator_id AND f.entity_id = a.entity_id AND f.period = a.period
              AND f.kind = 'forecast' AND f.published >= a.published AND f.published <= ?1 AND (f.retracted IS NULL OR f.retracted > ?1)
JOIN sources s ON s.id = f.source_id
WHERE (?2 IS NULL OR i.code = ?2) AND (?3 IS NULL OR e.code = ?3) AND (?4 IS NULL OR a.period = ?4)
  AND NOT EXISTS (
      SELECT 1 FROM figures n
      WHERE n.indicator_id = f.indicator_id AND n.entity_id = f.entity_id AND n.period = f.period
        AND n.kind = 'forecast' AND n.source_id = f.source_id AND n.published < a.published AND (n.retracted IS NULL OR n.retracted > ?1))
ORDER BY i.code, e.code, a.period, s.slug"
);

/// Binds ?1–?5 of the score statements; `indicator` may differ from the filter's.
fn bind_score_filter(statement: &mut raw::Statement<'_>, filter: &ScoreFilter, indicator: Option<&str>) -> Result<()> {
    statement.bind_i64(1, date_to_int(filter.as_of))?;
    statement.bind_opt_text(2, indicator)?;
    statement.bind_opt_text(3, filter.entity.as_deref())?;
    statement.bind_opt_i64(4, filter.period.map(Period::key))?;
    statement.bind_i64(5, i64::from(filter.actual == WhichActual::First))
}

impl SqliteStore {
    /// Rows are read straight from SQLite (see `raw.rs`).
    pub async fn each_target_outcome<E: From<StoreError>>(
        &self,
        filter: &ScoreFilter,
        mut each: impl FnMut(TargetOutcome) -> Result<(), E>,
    ) -> Result<(), E> {
        self.with_raw(|db| {
            let mut select = db.prepare(TARGET_OUTCOMES_SQL, false)?;
            bind_score_filter(&mut select, filter, filter.indicator.as_deref())?;
            while let Some(row) = select.step()? {
                each(target_outcome(&row)?)?;
            }
            Ok(())
        })
        .await
    }

    /// The targets come from a second statement read in step (see `TargetCursor`).
    pub async fn each_scored_forecast<E: From<StoreError>>(
        &self,
        filter: &ScoreFilter,
        with_targets: bool,
        mut each: impl FnMut(ScoredForecast, Option<&TargetOutcome>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.with_raw(|db| {
            let mut select = db.prepare(SCORED_FORECASTS_SQL, false)?;
            bind_score_filter(&mut select, filter, filter.indicator.as_deref())?;
            let mut targets = if with_targets {
                let mut targets = db.prepare(SCORING_TARGETS_SQL, false)?;
                bind_score_filter(&mut targets, filter, None)?;
                Some(TargetCursor::new(targets))
            } else {
                None
            };
            while let Some(row) = select.step()? {
                let forecast = scored_forecast(&row)?;
                let target = match &mut targets {
                    Some(cursor) => cursor.seek(&forecast)?,
                    None => None,
                };
                each(forecast, target)?;
            }
            Ok(())
        })
        .await
    }

    pub async fn late_forecasts(&self, filter: &ScoreFilter) -> Result<Vec<LateForecast>> {
        let mut late = Vec::new();
        self.with_raw(|db| {
            let mut select = db.prepare(LATE_FORECASTS_SQL, false)?;
            bind_score_filter(&mut select, filter, filter.indicator.as_deref())?;
            while let Some(row) = select.step()? {
                late.push(late_forecast(&row)?);
            }
            Ok::<_, StoreError>(())
        })
        .await?;
        Ok(late)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_benchmarks_sqlite3_score_queries_are_these() {
        let bench = include_str!("../../../bench/sql/score.sql");
        let ours = [super::SCORED_FORECASTS_SQL, ";\n\n", super::SCORING_TARGETS_SQL, ";\n"].concat();
        assert_eq!(bench, ours, "update bench/sql/score.sql");
    }
}
