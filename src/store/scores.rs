//! What scoring needs from the database: targets with their outcomes, and each source's
//! latest forecast published before the outcome it is scored against.

use super::Store;
use crate::period::{Period, date_to_int, int_to_date};
use crate::value::{Bound, Quantity};
use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use futures_util::stream::{BoxStream, StreamExt};
use rust_decimal::Decimal;
use sqlx::types::Text;

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
    /// The indicator whose target this one stands in for, if it is a proxy.
    pub proxy_for: Option<String>,
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

fn date(n: i64) -> Result<NaiveDate> {
    int_to_date(n).ok_or_else(|| anyhow!("stored date {n} is not a date"))
}

fn period(key: i64) -> Result<Period> {
    Period::from_key(key).ok_or_else(|| anyhow!("stored period {key} is not a period"))
}

fn quantity(value: Decimal, bound: &str, high: Option<Decimal>) -> Result<Quantity> {
    Ok(Quantity::new(value, bound.parse::<Bound>()?, high)?)
}

#[derive(sqlx::FromRow)]
struct TargetRow {
    indicator: String,
    entity: String,
    period: i64,
    unit: String,
    value: Text<Decimal>,
    bound: String,
    high: Option<Text<Decimal>>,
    tolerance: Option<Text<Decimal>>,
    target_source: String,
    target_published: i64,
    actual: Option<Text<Decimal>>,
    actual_published: Option<i64>,
    actual_source: Option<String>,
}

impl TryFrom<TargetRow> for TargetOutcome {
    type Error = anyhow::Error;
    fn try_from(r: TargetRow) -> Result<TargetOutcome> {
        let actual = match (r.actual, r.actual_published, r.actual_source) {
            (Some(value), Some(published), Some(source)) => {
                Some(Observed { value: value.0, published: date(published)?, source })
            }
            _ => None,
        };
        Ok(TargetOutcome {
            period: period(r.period)?,
            target: quantity(r.value.0, &r.bound, r.high.map(|h| h.0))?,
            tolerance: r.tolerance.map(|t| t.0),
            target_published: date(r.target_published)?,
            indicator: r.indicator,
            entity: r.entity,
            unit: r.unit,
            target_source: r.target_source,
            actual,
        })
    }
}

const TARGET_OUTCOMES_SQL: &str = concat!(
    "WITH ",
    latest_targets_cte!(),
    ", ",
    chosen_actuals_cte!(),
    "
SELECT ti.code AS indicator, e.code AS entity, t.period, ti.unit, t.value, t.bound, t.high,
       t.tolerance, ts.slug AS target_source, t.published AS target_published,
       a.value AS actual, a.published AS actual_published, s.slug AS actual_source
FROM targets t
JOIN indicators ti ON ti.id = t.indicator_id
JOIN entities e ON e.id = t.entity_id
JOIN sources ts ON ts.id = t.source_id
LEFT JOIN actuals a ON a.indicator_id = t.indicator_id AND a.entity_id = t.entity_id AND a.period = t.period
LEFT JOIN sources s ON s.id = a.source_id
ORDER BY ti.code, e.code, t.period"
);

#[derive(sqlx::FromRow)]
struct ScoredRow {
    indicator: String,
    proxy_for: Option<String>,
    entity: String,
    period: i64,
    source: String,
    value: Text<Decimal>,
    bound: String,
    high: Option<Text<Decimal>>,
    published: i64,
    actual: Text<Decimal>,
    actual_published: i64,
    actual_source: String,
}

impl TryFrom<ScoredRow> for ScoredForecast {
    type Error = anyhow::Error;
    fn try_from(r: ScoredRow) -> Result<ScoredForecast> {
        Ok(ScoredForecast {
            period: period(r.period)?,
            forecast: quantity(r.value.0, &r.bound, r.high.map(|h| h.0))?,
            published: date(r.published)?,
            actual: Observed { value: r.actual.0, published: date(r.actual_published)?, source: r.actual_source },
            indicator: r.indicator,
            proxy_for: r.proxy_for,
            entity: r.entity,
            source: r.source,
        })
    }
}

// Each source's latest forecast published strictly before the chosen actual: a forecast
// made once the outcome was known is not a forecast.
const SCORED_FORECASTS_SQL: &str = concat!(
    "WITH ",
    chosen_actuals_cte!(),
    "
SELECT i.code AS indicator, p.code AS proxy_for, e.code AS entity, a.period, s.slug AS source,
       f.value, f.bound, f.high, f.published,
       a.value AS actual, a.published AS actual_published, asrc.slug AS actual_source
FROM actuals a
JOIN indicators i ON i.id = a.indicator_id
LEFT JOIN indicators p ON p.id = i.proxy_for
JOIN entities e ON e.id = a.entity_id
JOIN sources asrc ON asrc.id = a.source_id
JOIN figures f ON f.indicator_id = a.indicator_id AND f.entity_id = a.entity_id AND f.period = a.period
              AND f.kind = 'forecast' AND f.published < a.published
JOIN sources s ON s.id = f.source_id
WHERE (?2 IS NULL OR i.code = ?2) AND (?3 IS NULL OR e.code = ?3) AND (?4 IS NULL OR a.period = ?4)
  AND NOT EXISTS (
      SELECT 1 FROM figures n
      WHERE n.indicator_id = f.indicator_id AND n.entity_id = f.entity_id AND n.period = f.period
        AND n.kind = 'forecast' AND n.source_id = f.source_id
        AND n.published > f.published AND n.published < a.published)
ORDER BY i.code, e.code, a.period, s.slug"
);

#[derive(sqlx::FromRow)]
struct LateRow {
    indicator: String,
    entity: String,
    period: i64,
    source: String,
    actual_published: i64,
}

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
              AND f.kind = 'forecast' AND f.published >= a.published AND f.published <= ?1
JOIN sources s ON s.id = f.source_id
WHERE (?2 IS NULL OR i.code = ?2) AND (?3 IS NULL OR e.code = ?3) AND (?4 IS NULL OR a.period = ?4)
  AND NOT EXISTS (
      SELECT 1 FROM figures n
      WHERE n.indicator_id = f.indicator_id AND n.entity_id = f.entity_id AND n.period = f.period
        AND n.kind = 'forecast' AND n.source_id = f.source_id AND n.published < a.published)
ORDER BY i.code, e.code, a.period, s.slug"
);

macro_rules! bind_score_filter {
    ($query:expr, $filter:expr, $indicator:expr) => {
        $query
            .bind(date_to_int($filter.as_of))
            .bind($indicator)
            .bind($filter.entity.clone())
            .bind($filter.period.map(Period::key))
            .bind($filter.actual == WhichActual::First)
    };
}

impl Store {
    /// Every target as of the date with its outcome (indicator filter ignored when
    /// `any_indicator`, so that proxies can find the target they stand for).
    pub async fn target_outcomes(&self, filter: &ScoreFilter, any_indicator: bool) -> Result<Vec<TargetOutcome>> {
        let indicator = if any_indicator { None } else { filter.indicator.clone() };
        let rows: Vec<TargetRow> =
            bind_score_filter!(sqlx::query_as(TARGET_OUTCOMES_SQL), filter, indicator).fetch_all(&self.pool).await?;
        rows.into_iter().map(TargetOutcome::try_from).collect()
    }

    /// Streams the forecasts to score, ordered by series then source.
    pub fn scored_forecasts(&self, filter: &ScoreFilter) -> BoxStream<'_, Result<ScoredForecast>> {
        bind_score_filter!(sqlx::query_as::<_, ScoredRow>(SCORED_FORECASTS_SQL), filter, filter.indicator.clone())
            .fetch(&self.pool)
            .map(|row| row.map_err(anyhow::Error::from).and_then(ScoredForecast::try_from))
            .boxed()
    }

    /// Sources that forecast a scored series only once its actual was out.
    pub async fn late_forecasts(&self, filter: &ScoreFilter) -> Result<Vec<LateForecast>> {
        let rows: Vec<LateRow> =
            bind_score_filter!(sqlx::query_as(LATE_FORECASTS_SQL), filter, filter.indicator.clone())
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|r| {
                Ok(LateForecast {
                    period: period(r.period)?,
                    actual_published: date(r.actual_published)?,
                    indicator: r.indicator,
                    entity: r.entity,
                    source: r.source,
                })
            })
            .collect()
    }
}
