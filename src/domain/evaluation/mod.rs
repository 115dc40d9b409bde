//! Forecast evaluation as the profession does it (the Bank of England's `forecast_evaluation`
//! package is the reference): every forecast vintage against one chosen release of its
//! outcome, grouped by horizon, on an optional common sample, beside a no-change benchmark,
//! with the bias, Diebold–Mariano and Mincer–Zarnowitz tests.
//!
//! Errors, means, MAE, RMSE and RMedSE are exact decimals (square roots to `Decimal`'s
//! precision, then rounded to [`EVAL_DECIMALS`] places); only the test statistics and their
//! p-values (`inference`) use floating point.

pub mod accuracy;
pub mod benchmark;
pub mod inference;
pub mod sample;

use crate::domain::period::Period;
use crate::domain::value::canonical;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Decimal places of the evaluation's means and roots: enough that a comparison with a
/// float implementation holds to 1e-9 relative for values down to 1e-5.
pub const EVAL_DECIMALS: u32 = 15;

/// One published value of a series: a forecast or an actual (outturn) vintage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vintage {
    pub indicator: String,
    pub entity: String,
    pub period: Period,
    pub source: String,
    pub published: NaiveDate,
    pub value: Decimal,
}

/// Which way an error is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ErrorSign {
    /// actual − forecast: the Bank's package; positive means the forecast was too low.
    ActualMinusForecast,
    /// forecast − actual: econtrack's `score` since its first release (the default);
    /// positive means the forecast was too high.
    #[default]
    ForecastMinusActual,
}

impl ErrorSign {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorSign::ActualMinusForecast => "actual-minus-forecast",
            ErrorSign::ForecastMinusActual => "forecast-minus-actual",
        }
    }

    pub fn error(self, forecast: Decimal, actual: Decimal) -> Decimal {
        canonical(match self {
            ErrorSign::ActualMinusForecast => actual - forecast,
            ErrorSign::ForecastMinusActual => forecast - actual,
        })
    }
}

/// Which release of the outcome a forecast is scored against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outturn {
    /// The first published actual (ties: the lowest source slug).
    First,
    /// The latest published actual as of the evaluation's date (ties: the lowest source slug).
    Latest,
    /// The actual of maturity K, with the package's fill rule (see [`maturity`]).
    Maturity(i64),
}

/// The forecast's horizon: the target period's index minus the index of the period (of the
/// target's granularity) that holds the publication date. 0 for a forecast of the period it
/// was published in, −1 for a backcast.
pub fn horizon(target: Period, published: NaiveDate) -> i64 {
    target.index() - target.containing(published).index()
}

/// An actual vintage's maturity k: the periods from the target to the one its publication
/// date falls in, less one (k = 0: published in the period right after the target).
pub fn maturity(target: Period, published: NaiveDate) -> i64 {
    target.containing(published).index() - target.index() - 1
}

/// The actual a target's forecasts are scored against, among its vintages (any order).
///
/// For `Maturity(K)`: vintages with k < −1 (published before the target period began) are
/// ignored; of the rest, those with the largest k ≤ K, else those with the smallest k > K,
/// and of these the latest published (the package would keep every vintage of that k, so
/// two vintages in one period would count twice; econtrack counts the target once).
pub fn choose_actual(target: Period, vintages: &[&Vintage], which: Outturn) -> Option<usize> {
    let by_date = |i: &usize, j: &usize| {
        let (a, b) = (vintages[*i], vintages[*j]);
        a.published.cmp(&b.published).then_with(|| b.source.cmp(&a.source))
    };
    let all = 0..vintages.len();
    match which {
        Outturn::First => all.min_by_key(|&i| (vintages[i].published, &vintages[i].source)),
        Outturn::Latest => all.max_by(by_date),
        Outturn::Maturity(k_max) => {
            let k = |i: usize| maturity(target, vintages[i].published);
            let usable: Vec<usize> = all.filter(|&i| k(i) >= -1).collect();
            let lower = usable.iter().map(|&i| k(i)).filter(|&k| k <= k_max).max();
            let upper = usable.iter().map(|&i| k(i)).filter(|&k| k > k_max).min();
            let chosen = lower.or(upper)?;
            usable.into_iter().filter(|&i| k(i) == chosen).max_by(by_date)
        }
    }
}

/// A forecast vintage scored against its chosen actual.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    pub indicator: String,
    pub entity: String,
    pub source: String,
    pub period: Period,
    pub published: NaiveDate,
    pub horizon: i64,
    pub forecast: Decimal,
    pub actual: Decimal,
    pub actual_published: NaiveDate,
    pub error: Decimal,
}

/// The granularity of a period as the digit its key ends in (year 0 … day 3).
pub fn grain(period: Period) -> i64 {
    period.key().rem_euclid(10)
}

impl Scored {
    pub fn group(&self) -> GroupKey<'_> {
        (&self.indicator, &self.entity, &self.source, grain(self.period), self.horizon)
    }

    /// What the common sample matches forecasts on: the period (of the target's
    /// granularity) the forecast was published in, and the target.
    pub fn sample_key(&self) -> (i64, Period) {
        (self.period.containing(self.published).index(), self.period)
    }
}

/// Every forecast with a horizon of 0 or more that has an actual, scored; backcasts
/// (horizon < 0) are left out, as the package drops them when it reads forecasts. Sorted
/// by indicator, entity, source, horizon, target, publication date.
pub fn score_vintages(forecasts: &[Vintage], actuals: &[Vintage], which: Outturn, sign: ErrorSign) -> Vec<Scored> {
    let mut by_target: HashMap<(&str, &str, Period), Vec<&Vintage>> = HashMap::new();
    for actual in actuals {
        by_target.entry((&actual.indicator, &actual.entity, actual.period)).or_default().push(actual);
    }
    let chosen: HashMap<(&str, &str, Period), &Vintage> = by_target
        .iter()
        .filter_map(|(key, vintages)| Some((*key, vintages[choose_actual(key.2, vintages, which)?])))
        .collect();
    let mut scored: Vec<Scored> = forecasts
        .iter()
        .filter_map(|f| {
            let horizon = horizon(f.period, f.published);
            let actual = chosen.get(&(f.indicator.as_str(), f.entity.as_str(), f.period))?;
            (horizon >= 0).then(|| Scored {
                indicator: f.indicator.clone(),
                entity: f.entity.clone(),
                source: f.source.clone(),
                period: f.period,
                published: f.published,
                horizon,
                forecast: f.value,
                actual: actual.value,
                actual_published: actual.published,
                error: sign.error(f.value, actual.value),
            })
        })
        .collect();
    scored.sort_by(|a, b| group_order(a).cmp(&group_order(b)));
    scored
}

/// The order rows are grouped and, within a group, read in (by target, then publication).
fn group_order(s: &Scored) -> (GroupKey<'_>, i64, NaiveDate) {
    (s.group(), s.period.key(), s.published)
}

/// What statistics are taken over: indicator, entity, source, the targets' granularity
/// (a series holding years and quarters has horizons of both), horizon.
pub type GroupKey<'a> = (&'a str, &'a str, &'a str, i64, i64);

/// Rounds a statistic to [`EVAL_DECIMALS`] places, half away from zero.
pub fn round(value: Decimal) -> Decimal {
    canonical(value.round_dp_with_strategy(EVAL_DECIMALS, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::domain::value::parse_decimal;

    pub fn d(text: &str) -> Decimal {
        parse_decimal(text).unwrap()
    }

    pub fn day(text: &str) -> NaiveDate {
        crate::domain::period::parse_date(text).unwrap()
    }

    pub fn p(text: &str) -> Period {
        text.parse().unwrap()
    }

    pub fn vintage(source: &str, period: &str, published: &str, value: &str) -> Vintage {
        Vintage {
            indicator: "gdp".into(),
            entity: "GB".into(),
            period: p(period),
            source: source.into(),
            published: day(published),
            value: d(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn horizon_counts_periods_from_the_one_published_in() {
        assert_eq!(horizon(p("2025-Q2"), day("2024-05-09")), 4);
        assert_eq!(horizon(p("2024-Q2"), day("2024-06-30")), 0);
        assert_eq!(horizon(p("2024-Q1"), day("2024-04-01")), -1);
        assert_eq!(horizon(p("2024-03"), day("2024-01-31")), 2);
        assert_eq!(horizon(p("2025"), day("2024-12-31")), 1);
    }

    #[test]
    fn maturity_counts_periods_after_the_target_less_one() {
        assert_eq!(maturity(p("2024-Q1"), day("2024-04-25")), 0);
        assert_eq!(maturity(p("2024-Q1"), day("2027-06-30")), 12);
        assert_eq!(maturity(p("2024-Q1"), day("2024-03-15")), -1);
        assert_eq!(maturity(p("2024-Q1"), day("2023-12-31")), -2);
        assert_eq!(maturity(p("2024-01"), day("2024-03-01")), 1);
    }

    fn chosen(vintages: &[Vintage], which: Outturn) -> Option<&str> {
        let refs: Vec<&Vintage> = vintages.iter().collect();
        choose_actual(p("2024-Q1"), &refs, which).map(|i| vintages[i].source.as_str())
    }

    #[test]
    fn maturity_fill_rule_takes_the_largest_k_at_or_below_else_the_smallest_above() {
        // k = 0, 3, 5, 8 (published 2024-Q2, 2025-Q1, 2025-Q3, 2026-Q2) and one at k = −2.
        let vintages = [
            vintage("k0", "2024-Q1", "2024-04-25", "1"),
            vintage("k3", "2024-Q1", "2025-01-25", "2"),
            vintage("k5", "2024-Q1", "2025-07-25", "3"),
            vintage("k8", "2024-Q1", "2026-04-25", "4"),
            vintage("early", "2024-Q1", "2023-12-01", "5"),
        ];
        assert_eq!(chosen(&vintages, Outturn::Maturity(4)), Some("k3"));
        assert_eq!(chosen(&vintages, Outturn::Maturity(5)), Some("k5"));
        assert_eq!(chosen(&vintages, Outturn::Maturity(12)), Some("k8"));
        assert_eq!(chosen(&vintages[1..], Outturn::Maturity(0)), Some("k3"), "none at or below: smallest above");
        assert_eq!(chosen(&vintages[4..], Outturn::Maturity(12)), None, "k < −1 is never used");
        assert_eq!(chosen(&vintages, Outturn::First), Some("early"));
        assert_eq!(chosen(&vintages, Outturn::Latest), Some("k8"));
    }

    #[test]
    fn two_vintages_of_one_maturity_count_once_the_later() {
        let vintages = [vintage("a", "2024-Q1", "2024-04-25", "1"), vintage("b", "2024-Q1", "2024-05-30", "2")];
        assert_eq!(chosen(&vintages, Outturn::Maturity(0)), Some("b"));
        assert_eq!(chosen(&vintages, Outturn::First), Some("a"));
    }

    #[test]
    fn every_forecast_vintage_is_scored_with_the_chosen_sign_and_backcasts_left_out() {
        let forecasts = [
            vintage("boe", "2024-Q2", "2024-02-10", "1.5"),
            vintage("boe", "2024-Q2", "2024-05-10", "1.8"),
            vintage("boe", "2024-Q2", "2024-07-10", "2.1"),
            vintage("boe", "2024-Q3", "2024-05-10", "9"),
        ];
        let actuals = [vintage("ons", "2024-Q2", "2024-08-15", "2"), vintage("ons", "2024-Q2", "2025-08-15", "2.4")];
        let scored = score_vintages(&forecasts, &actuals, Outturn::Maturity(0), ErrorSign::ActualMinusForecast);
        let got: Vec<(i64, String)> = scored.iter().map(|s| (s.horizon, s.error.to_string())).collect();
        assert_eq!(got, [(0, "0.2".to_string()), (1, "0.5".to_string())]);
        let scored = score_vintages(&forecasts, &actuals, Outturn::Latest, ErrorSign::ForecastMinusActual);
        assert_eq!(scored[0].error, d("-0.6"));
        assert_eq!(scored[0].actual_published, day("2025-08-15"));
    }
}
