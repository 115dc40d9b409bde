//! Accuracy by horizon: n, mean error, MAE, RMSE, RMedSE and the first and last
//! publication dates per (indicator, entity, source, horizon), in exact decimals, and each
//! source's RMSE relative to a benchmark's on the forecasts both have.

use super::{Scored, round};
use crate::domain::stats::{median, sqrt};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accuracy {
    pub indicator: String,
    pub entity: String,
    pub source: String,
    pub horizon: i64,
    pub n: usize,
    pub mean_error: Decimal,
    pub mae: Decimal,
    /// √(Σe²/n)
    pub rmse: Decimal,
    /// √(median of e²), the median of an even count the mean of the middle two.
    pub rmedse: Decimal,
    pub first_published: NaiveDate,
    pub last_published: NaiveDate,
    /// RMSE / the benchmark's RMSE over the forecasts both have (same target, same
    /// publication period); `None` without a benchmark or with no such pair.
    pub relative_rmse: Option<Decimal>,
}

/// One row per group of `rows` (which `score_vintages` sorted by group).
pub fn accuracy_by_horizon(rows: &[Scored], benchmark: Option<&str>) -> Vec<Accuracy> {
    let benchmark_errors = benchmark.map(|b| benchmark_index(rows, b));
    rows.chunk_by(same_group)
        .map(|group| {
            let first = &group[0];
            let n = Decimal::from(group.len());
            let errors: Vec<Decimal> = group.iter().map(|s| s.error).collect();
            let squares: Vec<Decimal> = errors.iter().map(|e| e * e).collect();
            let sum_squares: Decimal = squares.iter().sum();
            Accuracy {
                indicator: first.indicator.clone(),
                entity: first.entity.clone(),
                source: first.source.clone(),
                horizon: first.horizon,
                n: group.len(),
                mean_error: round(errors.iter().sum::<Decimal>() / n),
                mae: round(errors.iter().map(|e| e.abs()).sum::<Decimal>() / n),
                rmse: round(sqrt(sum_squares / n)),
                rmedse: round(sqrt(median(&squares).unwrap_or_default())),
                first_published: group.iter().map(|s| s.published).min().unwrap_or(first.published),
                last_published: group.iter().map(|s| s.published).max().unwrap_or(first.published),
                relative_rmse: benchmark_errors.as_ref().and_then(|index| relative_rmse(group, index)),
            }
        })
        .collect()
}

fn same_group(a: &Scored, b: &Scored) -> bool {
    a.group() == b.group()
}

/// What a forecast is paired with the benchmark's on: series, horizon, publication period, target.
pub(crate) type PairKey<'a> = (&'a str, &'a str, i64, (i64, crate::domain::period::Period));

pub(crate) fn pair_key(s: &Scored) -> PairKey<'_> {
    (&s.indicator, &s.entity, s.horizon, s.sample_key())
}

/// The benchmark's errors by pair key.
pub(crate) fn benchmark_index<'a>(rows: &'a [Scored], benchmark: &str) -> HashMap<PairKey<'a>, Vec<Decimal>> {
    let mut index: HashMap<PairKey<'a>, Vec<Decimal>> = HashMap::new();
    for row in rows.iter().filter(|r| r.source == benchmark) {
        index.entry(pair_key(row)).or_default().push(row.error);
    }
    index
}

/// √(Σ e² / Σ e_benchmark²) over every pair of a group's forecast with a benchmark
/// forecast of the same key (the ratio of the two RMSEs over the pairs).
fn relative_rmse(group: &[Scored], benchmark: &HashMap<PairKey<'_>, Vec<Decimal>>) -> Option<Decimal> {
    let (mut own, mut theirs, mut pairs) = (Decimal::ZERO, Decimal::ZERO, 0usize);
    for row in group {
        for b in benchmark.get(&pair_key(row)).into_iter().flatten() {
            own += row.error * row.error;
            theirs += b * b;
            pairs += 1;
        }
    }
    (pairs > 0 && !theirs.is_zero()).then(|| round(sqrt(own / theirs)))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{ErrorSign, Outturn, score_vintages};
    use super::*;

    #[test]
    fn statistics_by_horizon_by_hand() {
        // Horizon 0 errors (actual − forecast): 0.1, −0.3, 0.4, 0.2.
        let forecasts = [
            vintage("a", "2024-Q1", "2024-01-15", "0.9"),
            vintage("a", "2024-Q2", "2024-04-15", "1.3"),
            vintage("a", "2024-Q3", "2024-07-15", "0.6"),
            vintage("a", "2024-Q4", "2024-10-15", "0.8"),
        ];
        let actuals = [
            vintage("ons", "2024-Q1", "2024-05-01", "1"),
            vintage("ons", "2024-Q2", "2024-08-01", "1"),
            vintage("ons", "2024-Q3", "2024-11-01", "1"),
            vintage("ons", "2024-Q4", "2025-02-01", "1"),
        ];
        let scored = score_vintages(&forecasts, &actuals, Outturn::First, ErrorSign::ActualMinusForecast);
        let rows = accuracy_by_horizon(&scored, None);
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!((r.n, r.horizon), (4, 0));
        // mean 0.4/4 = 0.1; MAE 1.0/4 = 0.25; RMSE √(0.30/4) = √0.075 = 0.273861278752583…
        assert_eq!(r.mean_error, d("0.1"));
        assert_eq!(r.mae, d("0.25"));
        assert_eq!(r.rmse, d("0.273861278752583"));
        // squares 0.01, 0.04, 0.09, 0.16: even count, median (0.04 + 0.09) / 2 = 0.065.
        assert_eq!(r.rmedse, d("0.254950975679639"));
        assert_eq!((r.first_published, r.last_published), (day("2024-01-15"), day("2024-10-15")));
        assert_eq!(r.relative_rmse, None);
    }

    #[test]
    fn relative_rmse_is_over_the_pairs_with_the_benchmark() {
        let forecasts = [
            vintage("a", "2024-Q1", "2024-01-15", "0.9"),
            vintage("a", "2024-Q2", "2024-04-15", "1.3"),
            vintage("rw", "2024-Q1", "2024-01-02", "0.8"),
        ];
        let actuals = [vintage("ons", "2024-Q1", "2024-05-01", "1"), vintage("ons", "2024-Q2", "2024-08-01", "1")];
        let scored = score_vintages(&forecasts, &actuals, Outturn::First, ErrorSign::ActualMinusForecast);
        let rows = accuracy_by_horizon(&scored, Some("rw"));
        // Only 2024-Q1 pairs: √(0.01 / 0.04) = 0.5; a's own RMSE is over both of its forecasts.
        assert_eq!(rows[0].source, "a");
        assert_eq!(rows[0].relative_rmse, Some(d("0.5")));
        assert_eq!(rows[0].rmse, d("0.223606797749979"));
        assert_eq!(rows[1].relative_rmse, Some(d("1")));
    }
}
