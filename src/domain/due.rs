//! What a release is awaited with and, once out, how it landed: the previous actual, the
//! consensus of the forecasts made before it, the target it is judged against, and after
//! it the actual, the surprise against the consensus (also in standard deviations of the
//! forecasts, as Bloomberg's ECSU, when at least [`MIN_FORECASTS_FOR_SD`] sources forecast)
//! and whether the target was met.
//!
//! The arithmetic is the existing one: the consensus is `consensus::for_target` over the
//! latest forecast of each source, the verdict `rules::judge`.

use crate::domain::consensus::for_target;
use crate::domain::model::Figure;
use crate::domain::period::Period;
use crate::domain::query::{ForecastSide, GapRow, TargetSide};
use crate::domain::release::Release;
use crate::domain::rules::judge;
use crate::domain::stats::Spread;
use crate::domain::value::{Kind, Quantity, canonical};
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;

/// Forecasts needed before a surprise is also given in standard deviations.
pub const MIN_FORECASTS_FOR_SD: usize = 3;

/// Decimal places of a surprise in standard deviations.
pub const SD_DECIMALS: u32 = 2;

/// One release as it stands on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outlook {
    /// The latest actual of the period before, and that period.
    pub previous: Option<(Period, Decimal)>,
    /// Over the latest forecast of each source published before the release day.
    pub consensus: Option<Spread>,
    /// The latest target, with its tolerance.
    pub target: Option<(Quantity, Option<Decimal>)>,
    /// The first actual published, once there is one.
    pub actual: Option<Decimal>,
    /// Actual − consensus median.
    pub surprise: Option<Decimal>,
    /// The surprise over the forecasts' standard deviation, with enough forecasts that differ.
    pub surprise_sd: Option<Decimal>,
    pub target_met: Option<bool>,
    /// Sources with a forecast made on or after the release day: not a forecast of it, so
    /// left out of the consensus (their earlier forecasts count).
    pub late_sources: Vec<String>,
}

/// The outlook of `release` from the figures of its series-period (`figures`) and of the
/// period before (`previous`), all as of one date, oldest first as the store gives them.
pub fn outlook(release: &Release, figures: &[Figure], previous: &[Figure]) -> Outlook {
    let previous = previous.iter().rfind(|f| f.kind == Kind::Actual).map(|f| (f.period, f.quantity.point()));
    let target = figures.iter().rfind(|f| f.kind == Kind::Target);
    let actual = figures.iter().find(|f| f.kind == Kind::Actual).map(|f| f.quantity.point());
    // Each source's latest forecast made before the day; a source that forecast again on or
    // after it keeps its earlier forecast in the consensus and is named as late.
    let mut latest: BTreeMap<&str, &Figure> = BTreeMap::new();
    let mut late: Vec<String> = Vec::new();
    for forecast in figures.iter().filter(|f| f.kind == Kind::Forecast) {
        if made_before(forecast.published, release.date) {
            latest.insert(forecast.source.as_str(), forecast);
        } else if !late.iter().any(|source| source == forecast.source.as_str()) {
            late.push(forecast.source.to_string());
        }
    }
    late.sort();
    let timely: Vec<&Figure> = latest.into_values().collect();
    let rows: Vec<GapRow> = timely
        .iter()
        .map(|f| GapRow {
            indicator: release.indicator.clone(),
            entity: release.entity.clone(),
            period: release.period,
            unit: String::new(),
            target: target.map(|t| TargetSide {
                quantity: t.quantity,
                source: t.source.to_string(),
                published: t.published,
            }),
            forecast: Some(ForecastSide {
                source: f.source.to_string(),
                basis: release.indicator.clone(),
                quantity: f.quantity,
                published: f.published,
            }),
        })
        .collect();
    let consensus = for_target(&rows).into_iter().next().map(|line| line.spread);
    let surprise = actual.zip(consensus).map(|(actual, c)| canonical(actual - c.median));
    let surprise_sd = surprise.zip(consensus).and_then(|(surprise, c)| {
        (c.count >= MIN_FORECASTS_FOR_SD && !c.stddev.is_zero()).then(|| {
            canonical((surprise / c.stddev).round_dp_with_strategy(SD_DECIMALS, RoundingStrategy::MidpointAwayFromZero))
        })
    });
    let target_met = target.zip(actual).map(|(t, actual)| judge(&t.quantity, t.tolerance, actual).met);
    Outlook {
        previous,
        consensus,
        target: target.map(|t| (t.quantity, t.tolerance)),
        actual,
        surprise,
        surprise_sd,
        target_met,
        late_sources: late,
    }
}

/// Whether a forecast published on `published` was made before a release due on `due`. One
/// published on the day itself may have followed the release, so it does not count.
pub fn made_before(published: NaiveDate, due: NaiveDate) -> bool {
    published < due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::value::{Bound, parse_decimal};

    fn d(text: &str) -> Decimal {
        parse_decimal(text).unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        crate::domain::period::parse_date(text).unwrap()
    }

    fn figure(kind: Kind, source: &str, value: &str, published: &str, bound: Bound) -> Figure {
        Figure {
            indicator: "cpi.yoy".into(),
            entity: "CN".into(),
            period: "2026-12".parse().unwrap(),
            kind,
            quantity: Quantity::new(d(value), bound, None).unwrap(),
            tolerance: None,
            source: source.into(),
            published: day(published),
            document: None,
            quote: None,
            note: None,
            retraction: None,
        }
    }

    fn release() -> Release {
        Release {
            source: "cn-nbs".into(),
            indicator: "cpi.yoy".into(),
            entity: "CN".into(),
            period: "2026-12".parse().unwrap(),
            date: day("2027-01-09"),
            ..Release::default()
        }
    }

    #[test]
    fn before_the_release_there_is_a_consensus_and_a_target_but_no_verdict() {
        let figures = [
            figure(Kind::Target, "cn-government", "3", "2026-03-05", Bound::AtMost),
            figure(Kind::Forecast, "ubs", "0.6", "2026-12-01", Bound::Exact),
            figure(Kind::Forecast, "ubs", "0.8", "2027-01-02", Bound::Exact),
            figure(Kind::Forecast, "bloomberg", "0.4", "2027-01-03", Bound::Exact),
        ];
        let outlook = outlook(&release(), &figures, &[]);
        let consensus = outlook.consensus.unwrap();
        // UBS counts with its latest forecast only.
        assert_eq!(
            (consensus.count, consensus.median, consensus.min, consensus.max),
            (2, d("0.6"), d("0.4"), d("0.8"))
        );
        assert_eq!(outlook.target.map(|t| t.0.value()), Some(d("3")));
        assert_eq!((outlook.actual, outlook.surprise, outlook.target_met), (None, None, None));
    }

    #[test]
    fn after_the_release_the_surprise_is_against_the_median_and_in_sds_from_three_forecasts() {
        let previous = [figure(Kind::Actual, "cn-nbs", "0.2", "2026-12-09", Bound::Exact)];
        let mut figures = vec![
            figure(Kind::Target, "cn-government", "3", "2026-03-05", Bound::AtMost),
            figure(Kind::Forecast, "ubs", "0.6", "2027-01-02", Bound::Exact),
            figure(Kind::Forecast, "bloomberg", "0.4", "2027-01-03", Bound::Exact),
            figure(Kind::Actual, "cn-nbs", "1.1", "2027-01-09", Bound::Exact),
        ];
        let two = outlook(&release(), &figures, &previous);
        assert_eq!(two.previous.map(|p| p.1), Some(d("0.2")));
        assert_eq!((two.actual, two.surprise), (Some(d("1.1")), Some(d("0.6"))));
        assert_eq!(two.surprise_sd, None, "two forecasts are too few");
        assert_eq!(two.target_met, Some(true));
        figures.push(figure(Kind::Forecast, "jpmorgan", "0.8", "2027-01-05", Bound::Exact));
        let three = outlook(&release(), &figures, &previous);
        // Median 0.6, population sd of 0.4, 0.6, 0.8 = 0.163299: 0.5 / 0.163299 = 3.06.
        assert_eq!((three.surprise, three.surprise_sd), (Some(d("0.5")), Some(d("3.06"))));
    }

    #[test]
    fn a_forecast_made_on_or_after_the_release_day_is_late_and_left_out() {
        let figures = [
            figure(Kind::Forecast, "ubs", "0.6", "2027-01-02", Bound::Exact),
            figure(Kind::Actual, "cn-nbs", "1.1", "2027-01-09", Bound::Exact),
            figure(Kind::Forecast, "hindsight", "1.1", "2027-01-09", Bound::Exact),
        ];
        let outlook = outlook(&release(), &figures, &[]);
        assert_eq!(outlook.consensus.map(|c| c.count), Some(1));
        assert_eq!(outlook.late_sources, vec!["hindsight".to_string()]);
        assert!(made_before(day("2027-01-08"), day("2027-01-09")));
        assert!(!made_before(day("2027-01-09"), day("2027-01-09")));
    }

    #[test]
    fn a_missed_ceiling_is_a_missed_target() {
        let figures = [
            figure(Kind::Target, "cn-government", "3", "2026-03-05", Bound::AtMost),
            figure(Kind::Actual, "cn-nbs", "3.2", "2027-01-09", Bound::Exact),
        ];
        let outlook = outlook(&release(), &figures, &[]);
        assert_eq!((outlook.target_met, outlook.consensus, outlook.surprise), (Some(false), None, None));
    }
}
