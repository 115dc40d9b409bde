//! What scoring needs from the database: targets with their outcomes, and each source's
//! latest forecast published before the outcome it is scored against.

use super::decode::{date, decimal, period, quantity};
use super::{Store, raw};
use crate::domain::period::{Period, date_to_int};
use crate::domain::value::Quantity;
use anyhow::Result;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Which published actual a forecast is scored against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WhichActual {
    /// The first release
    First,
    /// The latest revision as of the date
    Latest,
}

#[derive(Debug, Clone)]
pub struct ScoreFilter {
    pub indicator: Option<String>,
    pub entity: Option<String>,
    pub period: Option<Period>,
    pub as_of: NaiveDate,
    pub actual: WhichActual,
}

/// A published outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    pub value: Decimal,
    pub published: NaiveDate,
    pub source: String,
}

/// A target and, once published, the outcome of its own indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetOutcome {
    pub indicator: String,
    pub entity: String,
    pub period: Period,
    pub unit: String,
    pub target: Quantity,
    pub tolerance: Option<Decimal>,
    pub target_source: String,
    pub target_published: NaiveDate,
    pub actual: Option<Observed>,
}

/// A source's latest forecast published before the actual it is scored against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredForecast {
    pub indicator: String,
    pub entity: String,
    pub period: Period,
    pub source: String,
    pub forecast: Quantity,
    pub published: NaiveDate,
    pub actual: Observed,
}

/// A source that forecast a series only after its actual was out: not scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateForecast {
    pub indicator: String,
    pub entity: String,
    pub period: Period,
    pub source: String,
    pub actual_published: NaiveDate,
}

impl TargetOutcome {
    /// The columns of `TARGET_OUTCOMES_SQL`, in order.
    fn from_raw(row: &raw::Row<'_>) -> Result<TargetOutcome> {
        let actual = match (row.opt_text(10)?, row.opt_i64(11)?, row.opt_text(12)?) {
            (Some(value), Some(published), Some(source)) => {
                Some(Observed { value: decimal(value)?, published: date(published)?, source: source.to_string() })
            }
            _ => None,
        };
        Ok(TargetOutcome {
            indicator: row.text(0)?.to_string(),
            entity: row.text(1)?.to_string(),
            period: period(row.i64(2)?)?,
            unit: row.text(3)?.to_string(),
            target: quantity(row.text(4)?, row.text(5)?, row.opt_text(6)?)?,
            tolerance: row.opt_text(7)?.map(decimal).transpose()?,
            target_source: row.text(8)?.to_string(),
            target_published: date(row.i64(9)?)?,
            actual,
        })
    }
}

/// Every target as of ?1 with its outcome (the columns `TargetOutcome::from_raw` reads), then
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
const SCORED_INDICATOR: std::ffi::c_int = 13;

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
            Some(row) => Some((row.text(SCORED_INDICATOR)?.to_string(), TargetOutcome::from_raw(&row)?)),
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

impl ScoredForecast {
    /// The columns of `SCORED_FORECASTS_SQL`, in order.
    fn from_raw(row: &raw::Row<'_>) -> Result<ScoredForecast> {
        Ok(ScoredForecast {
            indicator: row.text(0)?.to_string(),
            entity: row.text(1)?.to_string(),
            period: period(row.i64(2)?)?,
            source: row.text(3)?.to_string(),
            forecast: quantity(row.text(4)?, row.text(5)?, row.opt_text(6)?)?,
            published: date(row.i64(7)?)?,
            actual: Observed {
                value: decimal(row.text(8)?)?,
                published: date(row.i64(9)?)?,
                source: row.text(10)?.to_string(),
            },
        })
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

impl Store {
    /// Hands `each` every target as of the date with its outcome, ordered by series. Rows
    /// are read straight from SQLite (see `raw.rs`).
    pub async fn each_target_outcome(
        &self,
        filter: &ScoreFilter,
        mut each: impl FnMut(TargetOutcome) -> Result<()>,
    ) -> Result<()> {
        self.with_raw(|db| {
            let mut select = db.prepare(TARGET_OUTCOMES_SQL, false)?;
            bind_score_filter(&mut select, filter, filter.indicator.as_deref())?;
            while let Some(row) = select.step()? {
                each(TargetOutcome::from_raw(&row)?)?;
            }
            Ok(())
        })
        .await
    }

    /// Hands `each` the forecasts to score, ordered by series then source, with the target
    /// each is shown beside when `with_targets`: its own indicator's, else the one of the
    /// indicator it is a proxy for. An error from `each` stops the read.
    pub async fn each_scored_forecast(
        &self,
        filter: &ScoreFilter,
        with_targets: bool,
        mut each: impl FnMut(ScoredForecast, Option<&TargetOutcome>) -> Result<()>,
    ) -> Result<()> {
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
                let forecast = ScoredForecast::from_raw(&row)?;
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

    /// Sources that forecast a scored series only once its actual was out.
    pub async fn late_forecasts(&self, filter: &ScoreFilter) -> Result<Vec<LateForecast>> {
        let mut late = Vec::new();
        self.with_raw(|db| {
            let mut select = db.prepare(LATE_FORECASTS_SQL, false)?;
            bind_score_filter(&mut select, filter, filter.indicator.as_deref())?;
            while let Some(row) = select.step()? {
                late.push(LateForecast {
                    indicator: row.text(0)?.to_string(),
                    entity: row.text(1)?.to_string(),
                    period: period(row.i64(2)?)?,
                    source: row.text(3)?.to_string(),
                    actual_published: date(row.i64(4)?)?,
                });
            }
            Ok(())
        })
        .await?;
        Ok(late)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_benchmarks_sqlite3_score_queries_are_these() {
        let bench = include_str!("../../bench/sql/score.sql");
        let ours = [super::SCORED_FORECASTS_SQL, ";\n\n", super::SCORING_TARGETS_SQL, ";\n"].concat();
        assert_eq!(bench, ours, "update bench/sql/score.sql");
    }
}
