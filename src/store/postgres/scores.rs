//! What scoring needs, on PostgreSQL: `store/scores.rs`'s statements with typed `$N`
//! parameters and DATE dates. The forecasts and the targets they are shown beside are read
//! in step through two cursors of one read-only snapshot, so that memory holds a chunk of
//! each however many there are, and both see the same data.

use super::PgStore;
use crate::domain::period::Period;
use crate::domain::query::{LateForecast, Observed, ScoreFilter, ScoredForecast, TargetOutcome, WhichActual};
use crate::store::decode::{decimal, period, quantity};
use crate::store::error::{Result, StoreError};
use chrono::NaiveDate;
use futures_util::TryStreamExt;
use sqlx::postgres::PgRow;
use sqlx::query::Query;
use sqlx::{PgConnection, Postgres, Row};
use std::collections::VecDeque;

/// Every target as of $1 with its outcome (the columns `target_outcome_from` reads), then
/// `$columns`, from `targets t` and `$join`, in `$order`.
macro_rules! pg_target_outcomes_sql {
    ($columns:literal, $join:literal, $order:literal) => {
        concat!(
            "WITH ",
            pg_latest_targets_cte!(),
            ", ",
            pg_chosen_actuals_cte!(),
            "
SELECT ti.code AS indicator, e.code AS entity, t.period, ti.unit, t.value::text, t.bound, t.high::text,
       t.tolerance::text, ts.slug AS target_source, t.published AS target_published,
       a.value::text AS actual, a.published AS actual_published, s.slug AS actual_source",
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

const TARGET_OUTCOMES_SQL: &str =
    pg_target_outcomes_sql!("", "", "ti.code COLLATE \"C\", e.code COLLATE \"C\", t.period");

/// Every target under each indicator scored against it, in `SCORED_FORECASTS_SQL`'s order.
macro_rules! scoring_targets_sql {
    () => {
        pg_target_outcomes_sql!(
            ", b.code AS scored_indicator",
            "JOIN indicators b ON b.id = t.indicator_id OR b.proxy_for = t.indicator_id\n",
            "b.code COLLATE \"C\", e.code COLLATE \"C\", t.period, t.indicator_id <> b.id"
        )
    };
}

/// Column of the scoring targets after the target outcome's own.
const SCORED_INDICATOR: usize = 13;

macro_rules! scored_forecasts_sql {
    () => {
        concat!(
            "WITH ",
            pg_chosen_actuals_cte!(),
            "
SELECT i.code AS indicator, e.code AS entity, a.period, s.slug AS source,
       f.value::text, f.bound, f.high::text, f.published,
       a.value::text AS actual, a.published AS actual_published, asrc.slug AS actual_source
FROM actuals a
JOIN indicators i ON i.id = a.indicator_id
JOIN entities e ON e.id = a.entity_id
JOIN sources asrc ON asrc.id = a.source_id
JOIN figures f ON f.indicator_id = a.indicator_id AND f.entity_id = a.entity_id AND f.period = a.period
              AND f.kind = 'forecast' AND f.published < a.published AND (f.retracted IS NULL OR f.retracted > $1::date)
JOIN sources s ON s.id = f.source_id
WHERE ($2::text IS NULL OR i.code = $2) AND ($3::text IS NULL OR e.code = $3) AND ($4::int8 IS NULL OR a.period = $4)
  AND NOT EXISTS (
      SELECT 1 FROM figures n
      WHERE n.indicator_id = f.indicator_id AND n.entity_id = f.entity_id AND n.period = f.period
        AND n.kind = 'forecast' AND n.source_id = f.source_id
        AND n.published > f.published AND n.published < a.published AND (n.retracted IS NULL OR n.retracted > $1::date))
ORDER BY i.code COLLATE \"C\", e.code COLLATE \"C\", a.period, s.slug COLLATE \"C\""
        )
    };
}

const SCORED_FORECASTS_CURSOR: &str =
    concat!("DECLARE scored_forecasts NO SCROLL CURSOR FOR ", scored_forecasts_sql!());
const SCORING_TARGETS_CURSOR: &str = concat!("DECLARE scoring_targets NO SCROLL CURSOR FOR ", scoring_targets_sql!());
const FETCH_SCORED_FORECASTS: &str = "FETCH 1000 FROM scored_forecasts";
const FETCH_SCORING_TARGETS: &str = "FETCH 1000 FROM scoring_targets";

/// One snapshot for both cursors.
const BEGIN_SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

// DISTINCT orders by output columns only; the code columns are COLLATE "C" in the schema.
const LATE_FORECASTS_SQL: &str = concat!(
    "WITH ",
    pg_chosen_actuals_cte!(),
    "
SELECT DISTINCT i.code AS indicator, e.code AS entity, a.period, s.slug AS source,
       a.published AS actual_published
FROM actuals a
JOIN indicators i ON i.id = a.indicator_id
JOIN entities e ON e.id = a.entity_id
JOIN figures f ON f.indicator_id = a.indicator_id AND f.entity_id = a.entity_id AND f.period = a.period
              AND f.kind = 'forecast' AND f.published >= a.published AND f.published <= $1::date
              AND (f.retracted IS NULL OR f.retracted > $1::date)
JOIN sources s ON s.id = f.source_id
WHERE ($2::text IS NULL OR i.code = $2) AND ($3::text IS NULL OR e.code = $3) AND ($4::int8 IS NULL OR a.period = $4)
  AND NOT EXISTS (
      SELECT 1 FROM figures n
      WHERE n.indicator_id = f.indicator_id AND n.entity_id = f.entity_id AND n.period = f.period
        AND n.kind = 'forecast' AND n.source_id = f.source_id AND n.published < a.published
        AND (n.retracted IS NULL OR n.retracted > $1::date))
ORDER BY indicator, entity, period, source"
);

/// Binds $1–$5 of the score statements; `indicator` may differ from the filter's.
fn bind_score_filter<'q>(
    query: Query<'q, Postgres, sqlx::postgres::PgArguments>,
    filter: &ScoreFilter,
    indicator: Option<&'q str>,
) -> Query<'q, Postgres, sqlx::postgres::PgArguments> {
    query
        .bind(filter.as_of)
        .bind(indicator)
        .bind(filter.entity.clone())
        .bind(filter.period.map(Period::key))
        .bind(filter.actual == WhichActual::First)
}

/// The columns of the target outcome statements, in order.
fn target_outcome_from(row: &PgRow) -> Result<TargetOutcome> {
    let actual = match (
        row.try_get::<Option<String>, _>(10)?,
        row.try_get::<Option<NaiveDate>, _>(11)?,
        row.try_get::<Option<String>, _>(12)?,
    ) {
        (Some(value), Some(published), Some(source)) => Some(Observed { value: decimal(&value)?, published, source }),
        _ => None,
    };
    Ok(TargetOutcome {
        indicator: row.try_get(0)?,
        entity: row.try_get(1)?,
        period: period(row.try_get(2)?)?,
        unit: row.try_get(3)?,
        target: quantity(
            &row.try_get::<String, _>(4)?,
            &row.try_get::<String, _>(5)?,
            row.try_get::<Option<String>, _>(6)?.as_deref(),
        )?,
        tolerance: row.try_get::<Option<String>, _>(7)?.as_deref().map(decimal).transpose()?,
        target_source: row.try_get(8)?,
        target_published: row.try_get(9)?,
        actual,
    })
}

/// The columns of the scored forecasts, in order.
fn scored_forecast_from(row: &PgRow) -> Result<ScoredForecast> {
    Ok(ScoredForecast {
        indicator: row.try_get(0)?,
        entity: row.try_get(1)?,
        period: period(row.try_get(2)?)?,
        source: row.try_get(3)?,
        forecast: quantity(
            &row.try_get::<String, _>(4)?,
            &row.try_get::<String, _>(5)?,
            row.try_get::<Option<String>, _>(6)?.as_deref(),
        )?,
        published: row.try_get(7)?,
        actual: Observed {
            value: decimal(&row.try_get::<String, _>(8)?)?,
            published: row.try_get(9)?,
            source: row.try_get(10)?,
        },
    })
}

/// Reads the scoring targets in step with the forecasts, which come in the same order, a
/// chunk of the cursor at a time (`TargetCursor` on SQLite).
struct TargetCursor {
    buffered: VecDeque<(String, TargetOutcome)>,
    /// The indicator scored against it, and the target.
    current: Option<(String, TargetOutcome)>,
    done: bool,
}

impl TargetCursor {
    async fn advance(&mut self, conn: &mut PgConnection) -> Result<()> {
        if self.buffered.is_empty() && !self.done {
            let rows = sqlx::query(FETCH_SCORING_TARGETS).fetch_all(&mut *conn).await?;
            self.done = rows.is_empty();
            for row in rows {
                self.buffered.push_back((row.try_get(SCORED_INDICATOR)?, target_outcome_from(&row)?));
            }
        }
        self.current = self.buffered.pop_front();
        if self.current.is_none() {
            self.done = true;
        }
        Ok(())
    }

    /// Whether the target under `current` is the one for `forecast`; moves on past those
    /// before it. Calls must come in the forecasts' order.
    async fn seek(&mut self, conn: &mut PgConnection, forecast: &ScoredForecast) -> Result<bool> {
        let wanted = (forecast.indicator.as_str(), forecast.entity.as_str(), forecast.period.key());
        loop {
            let order = self
                .current
                .as_ref()
                .map(|(scored, t)| (scored.as_str(), t.entity.as_str(), t.period.key()).cmp(&wanted));
            match order {
                Some(std::cmp::Ordering::Less) => self.advance(conn).await?,
                Some(std::cmp::Ordering::Equal) => return Ok(true),
                Some(std::cmp::Ordering::Greater) => return Ok(false),
                None if self.done => return Ok(false),
                None => self.advance(conn).await?,
            }
        }
    }
}

impl PgStore {
    /// Hands `each` every target as of the date with its outcome, ordered by series, as
    /// `Store::each_target_outcome` does.
    pub async fn each_target_outcome<E: From<StoreError>>(
        &self,
        filter: &ScoreFilter,
        mut each: impl FnMut(TargetOutcome) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rows =
            bind_score_filter(sqlx::query(TARGET_OUTCOMES_SQL), filter, filter.indicator.as_deref()).fetch(&self.pool);
        while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
            each(target_outcome_from(&row)?)?;
        }
        Ok(())
    }

    /// Hands `each` the forecasts to score, ordered by series then source, with the target
    /// each is shown beside when `with_targets`, as `Store::each_scored_forecast` does.
    pub async fn each_scored_forecast<E: From<StoreError>>(
        &self,
        filter: &ScoreFilter,
        with_targets: bool,
        mut each: impl FnMut(ScoredForecast, Option<&TargetOutcome>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut tx = self.pool.begin_with(BEGIN_SNAPSHOT).await.map_err(StoreError::from)?;
        bind_score_filter(sqlx::query(SCORED_FORECASTS_CURSOR), filter, filter.indicator.as_deref())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        let mut targets = if with_targets {
            bind_score_filter(sqlx::query(SCORING_TARGETS_CURSOR), filter, None)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)?;
            Some(TargetCursor { buffered: VecDeque::new(), current: None, done: false })
        } else {
            None
        };
        loop {
            let rows = sqlx::query(FETCH_SCORED_FORECASTS).fetch_all(&mut *tx).await.map_err(StoreError::from)?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let forecast = scored_forecast_from(&row)?;
                let target = match &mut targets {
                    Some(cursor) => match cursor.seek(&mut tx, &forecast).await.map_err(E::from)? {
                        true => cursor.current.as_ref().map(|(_, target)| target),
                        false => None,
                    },
                    None => None,
                };
                each(forecast, target)?;
            }
        }
        tx.rollback().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Sources that forecast a scored series only once its actual was out.
    pub async fn late_forecasts(&self, filter: &ScoreFilter) -> Result<Vec<LateForecast>> {
        let rows = bind_score_filter(sqlx::query(LATE_FORECASTS_SQL), filter, filter.indicator.as_deref())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(LateForecast {
                    indicator: row.try_get(0)?,
                    entity: row.try_get(1)?,
                    period: period(row.try_get(2)?)?,
                    source: row.try_get(3)?,
                    actual_published: row.try_get(4)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    /// `bench/postgres.sh` has psql execute the two statements the scoring pass reads.
    #[test]
    fn the_benchmarks_psql_score_queries_are_these() {
        let bench = include_str!("../../../bench/sql/postgres/score.sql");
        let ours = [scored_forecasts_sql!(), ";\n\n", scoring_targets_sql!(), ";\n"].concat();
        assert_eq!(bench, ours, "update bench/sql/postgres/score.sql");
    }
}
