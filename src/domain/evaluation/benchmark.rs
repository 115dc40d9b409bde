//! The random-walk (no-change) benchmark built from the actuals: for each actual vintage,
//! the last observed value held for the next [`PERIODS_AHEAD`] periods, published on that
//! vintage's date, as a forecaster named [`RANDOM_WALK`].

use super::Vintage;
use crate::domain::period::Period;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The benchmark's source name in every output.
pub const RANDOM_WALK: &str = "random-walk";

/// How many periods after the last observed one the benchmark forecasts (the package's 13).
pub const PERIODS_AHEAD: i64 = 13;

/// The benchmark's forecasts. A series' vintage as of a date is, for each period, its latest
/// actual published on or before that date (econtrack stores only what each release
/// published, where the package reads every release as a whole history); one vintage per
/// distinct publication date of the series' actuals, of each granularity apart.
pub fn random_walk(actuals: &[Vintage]) -> Vec<Vintage> {
    // Per series and granularity: actuals by publication date.
    type Series<'a> = (&'a str, &'a str, i64);
    let mut series: BTreeMap<Series<'_>, BTreeMap<NaiveDate, Vec<&Vintage>>> = BTreeMap::new();
    for actual in actuals {
        let grain = actual.period.key().rem_euclid(10);
        series
            .entry((&actual.indicator, &actual.entity, grain))
            .or_default()
            .entry(actual.published)
            .or_default()
            .push(actual);
    }
    let mut forecasts = Vec::new();
    for releases in series.values() {
        let mut known: BTreeMap<Period, Decimal> = BTreeMap::new();
        for (&published, release) in releases {
            // Of two sources publishing one period on one day, the lowest slug (as `score`).
            let mut release = release.clone();
            release.sort_by(|a, b| (a.period, &a.source).cmp(&(b.period, &b.source)));
            release.dedup_by_key(|a| a.period);
            for actual in &release {
                known.insert(actual.period, actual.value);
            }
            let Some((&last, &value)) = known.last_key_value() else { continue };
            let first = release[0];
            forecasts.extend((1..=PERIODS_AHEAD).filter_map(|ahead| {
                Some(Vintage {
                    indicator: first.indicator.clone(),
                    entity: first.entity.clone(),
                    period: last.shifted(ahead)?,
                    source: RANDOM_WALK.to_string(),
                    published,
                    value,
                })
            }));
        }
    }
    forecasts
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn two_vintages_make_two_paths_of_thirteen() {
        let actuals = [
            vintage("ons", "2024-Q1", "2024-05-01", "100"),
            vintage("ons", "2024-Q2", "2024-08-01", "101"),
            // The August release also revises Q1, which does not move the last observation.
            vintage("ons", "2024-Q1", "2024-08-01", "100.5"),
        ];
        let rw = random_walk(&actuals);
        assert_eq!(rw.len(), 26);
        assert!(rw.iter().all(|f| f.source == RANDOM_WALK));
        let (may, august): (Vec<&Vintage>, Vec<&Vintage>) = rw.iter().partition(|f| f.published == day("2024-05-01"));
        assert_eq!((may[0].period, may[12].period), (p("2024-Q2"), p("2027-Q2")));
        assert!(may.iter().all(|f| f.value == d("100")));
        assert_eq!((august[0].period, august[12].period), (p("2024-Q3"), p("2027-Q3")));
        assert!(august.iter().all(|f| f.value == d("101")));
    }

    #[test]
    fn a_later_release_of_an_older_period_does_not_hide_the_newest_one() {
        let actuals = [vintage("ons", "2024-03", "2024-04-10", "5"), vintage("ons", "2024-02", "2024-05-10", "4")];
        let rw = random_walk(&actuals);
        let may: Vec<&Vintage> = rw.iter().filter(|f| f.published == day("2024-05-10")).collect();
        assert_eq!((may[0].period, may[0].value), (p("2024-04"), d("5")));
    }
}
