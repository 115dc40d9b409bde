//! Scorecards: each forecast against the outcome, the outcome against the target, and
//! each source's record across everything scored.
//!
//! error = forecast − actual (a range forecast counts at its midpoint); surprise = actual −
//! the median of the scored forecasts for the same series (the consensus the outcome
//! surprised); horizon = days from the forecast's publication to the last day of its period.
//! A forecast of a proxy indicator is scored against its own indicator's actual, and is
//! shown beside the target of the indicator it stands for.

use crate::domain::query::{ScoredForecast, TargetOutcome};
use crate::domain::rules::{Judgement, judge, tolerance_for};
use crate::domain::stats;
use crate::domain::value::{Bound, canonical};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// How a set of targets fared against their outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verdicts {
    pub met: usize,
    pub missed: usize,
    /// No outcome published yet.
    pub pending: usize,
}

impl Verdicts {
    pub fn add(&mut self, target: &TargetOutcome) {
        match target_verdict(target) {
            Some(verdict) if verdict.met => self.met += 1,
            Some(_) => self.missed += 1,
            None => self.pending += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.met + self.missed + self.pending
    }
}

/// Whether a target's own outcome met it; `None` until the outcome is published.
pub fn target_verdict(target: &TargetOutcome) -> Option<Judgement> {
    let actual = target.actual.as_ref()?;
    Some(judge(&target.target, target.tolerance, actual.value))
}

/// The tolerance an approx target is judged with (its own, else the default): a property of
/// the target, known before its outcome is. `None` for the other bounds.
pub fn target_tolerance(target: &TargetOutcome) -> Option<Decimal> {
    (target.target.bound() == Bound::Approx).then(|| tolerance_for(&target.target, target.tolerance))
}

/// One scored forecast.
#[derive(Debug, Clone)]
pub struct Score<'t> {
    pub forecast: ScoredForecast,
    pub horizon_days: i64,
    pub error: Decimal,
    pub surprise: Decimal,
    pub target: Option<&'t TargetOutcome>,
    pub target_met: Option<bool>,
}

/// Scores one series' forecasts (all for the same indicator, entity and period) beside
/// their target, if any.
pub fn score_series(series: Vec<ScoredForecast>, target: Option<&TargetOutcome>) -> Vec<Score<'_>> {
    let points: Vec<Decimal> = series.iter().map(|f| f.forecast.point()).collect();
    let Some(consensus) = stats::median(&points) else {
        return Vec::new();
    };
    series
        .into_iter()
        .map(|forecast| Score {
            horizon_days: (forecast.period.end() - forecast.published).num_days(),
            error: canonical(forecast.forecast.point() - forecast.actual.value),
            surprise: canonical(forecast.actual.value - consensus),
            target_met: target.and_then(target_verdict).map(|j| j.met),
            target,
            forecast,
        })
        .collect()
}

/// A source's record across every scored forecast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRecord {
    pub source: String,
    pub count: usize,
    /// Mean error: positive means the source forecast too high (bias).
    pub mean_error: Decimal,
    pub mean_abs_error: Decimal,
    pub rmse: Decimal,
    /// 1 is the lowest RMSE; equal RMSEs share a rank.
    pub rank: usize,
}

/// Accumulates errors by source.
#[derive(Debug, Default)]
pub struct SourceTally {
    errors: BTreeMap<String, Vec<Decimal>>,
}

impl SourceTally {
    pub fn add(&mut self, source: &str, error: Decimal) {
        self.errors.entry(source.to_string()).or_default().push(error);
    }

    /// The records, best first.
    pub fn records(self) -> Vec<SourceRecord> {
        let mut records: Vec<SourceRecord> = self
            .errors
            .into_iter()
            .filter_map(|(source, errors)| {
                let abs: Vec<Decimal> = errors.iter().map(|e| e.abs()).collect();
                Some(SourceRecord {
                    count: errors.len(),
                    mean_error: stats::mean(&errors)?,
                    mean_abs_error: stats::mean(&abs)?,
                    rmse: stats::rmse(&errors)?,
                    rank: 0,
                    source,
                })
            })
            .collect();
        records.sort_by(|a, b| a.rmse.cmp(&b.rmse).then_with(|| a.source.cmp(&b.source)));
        for i in 0..records.len() {
            records[i].rank = if i > 0 && records[i].rmse == records[i - 1].rmse { records[i - 1].rank } else { i + 1 };
        }
        records
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::period::Period;
    use crate::domain::query::Observed;
    use crate::domain::value::{Bound, Quantity, parse_decimal};
    use chrono::NaiveDate;

    fn d(text: &str) -> Decimal {
        parse_decimal(text).unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        crate::domain::period::parse_date(text).unwrap()
    }

    fn forecast(indicator: &str, source: &str, value: &str, actual: &str) -> ScoredForecast {
        ScoredForecast {
            indicator: indicator.into(),
            entity: "CN".into(),
            period: Period::of_year(2024).unwrap(),
            source: source.into(),
            forecast: Quantity::new(d(value), Bound::Exact, None).unwrap(),
            published: day("2024-03-13"),
            actual: Observed { value: d(actual), published: day("2025-01-17"), source: "cn-nbs".into() },
        }
    }

    fn target(indicator: &str, value: &str, bound: Bound, actual: Option<&str>) -> TargetOutcome {
        TargetOutcome {
            indicator: indicator.into(),
            entity: "CN".into(),
            period: Period::of_year(2024).unwrap(),
            unit: "percent".into(),
            target: Quantity::new(d(value), bound, None).unwrap(),
            tolerance: None,
            target_source: "cn-government".into(),
            target_published: day("2024-03-05"),
            actual: actual.map(|a| Observed { value: d(a), published: day("2025-01-09"), source: "cn-nbs".into() }),
        }
    }

    #[test]
    fn the_article_scored() {
        let gdp_target = target("gdp.real.growth", "5", Bound::Approx, Some("5.0"));
        let cpi_target = target("cpi.yoy", "3", Bound::AtMost, Some("0.2"));
        let gdp = score_series(vec![forecast("gdp.real.growth", "bloomberg", "4.6", "5.0")], Some(&gdp_target));
        assert_eq!(gdp[0].error, d("-0.4"));
        assert_eq!(gdp[0].horizon_days, 293);
        assert_eq!(gdp[0].target_met, Some(true));
        let core = score_series(vec![forecast("cpi.core.yoy", "jpmorgan", "1.2", "0.5")], Some(&cpi_target));
        assert_eq!(core[0].error.to_string(), "0.7");
        assert_eq!(core[0].target_met, Some(true), "the target's own outcome decides, not the proxy's");
    }

    #[test]
    fn surprise_is_against_the_median_forecast() {
        let series = vec![
            forecast("gdp.real.growth", "a", "4.6", "5"),
            forecast("gdp.real.growth", "b", "4.8", "5"),
            forecast("gdp.real.growth", "c", "5.3", "5"),
        ];
        let scores = score_series(series, None);
        assert!(scores.iter().all(|s| s.surprise == d("0.2")));
        assert!(scores.iter().all(|s| s.target.is_none() && s.target_met.is_none()));
    }

    #[test]
    fn a_target_without_an_outcome_has_no_verdict() {
        let pending = target("gdp.real.growth", "5", Bound::Approx, None);
        let scores = score_series(vec![forecast("gdp.real.growth", "a", "4.6", "5")], Some(&pending));
        assert_eq!(scores[0].target_met, None);
    }

    #[test]
    fn verdicts_count_met_missed_and_pending() {
        let targets = [
            target("gdp.real.growth", "5", Bound::Approx, Some("5.0")),
            target("cpi.yoy", "3", Bound::AtMost, Some("3.1")),
            target("cpi.yoy", "3", Bound::AtMost, Some("3")),
            target("gdp.real.growth", "5", Bound::Approx, None),
        ];
        let mut verdicts = Verdicts::default();
        targets.iter().for_each(|t| verdicts.add(t));
        assert_eq!(verdicts, Verdicts { met: 2, missed: 1, pending: 1 });
        assert_eq!(verdicts.total(), 4);
    }

    #[test]
    fn sources_rank_by_rmse_with_shared_ranks() {
        let mut tally = SourceTally::default();
        for (source, error) in [("a", "-0.4"), ("a", "0.7"), ("b", "0.1"), ("c", "-0.1"), ("d", "1")] {
            tally.add(source, d(error));
        }
        let records = tally.records();
        let ranks: Vec<(&str, usize)> = records.iter().map(|r| (r.source.as_str(), r.rank)).collect();
        assert_eq!(ranks, [("b", 1), ("c", 1), ("a", 3), ("d", 4)]);
        let a = &records[2];
        assert_eq!(
            (a.count, a.mean_error.to_string(), a.mean_abs_error.to_string(), a.rmse.to_string()),
            (2, "0.15".into(), "0.55".into(), "0.570088".into())
        );
    }
}
