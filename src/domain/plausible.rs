//! Input that parses but cannot be, or is probably, wrong: dates that cannot be true are
//! refused; a value far from its series' stored values, or a publication date in the
//! future, is stored with a warning.
//!
//! - **Refused**: a figure or document published before [`EARLIEST_PUBLISHED`] (1900-01-01:
//!   econtrack records published statements about modern economies, and a date before it
//!   is a typo, `1024` for `2024`, or a period mistaken for a vintage), and an actual
//!   published before its period begins (an outcome cannot be known before it starts).
//! - **Warned**: a nonzero value at least [`MAGNITUDE_FACTOR`] (100) times smaller or
//!   larger than the median of the absolute nonzero values already stored for the same
//!   indicator and entity, once there are at least [`MIN_SAMPLE`] (3) of them. The median
//!   is robust to a few outliers, and a factor of 100 is what the usual slips produce (a
//!   percent written as a fraction, `0.045` for 4.5%; an amount in thousands or millions
//!   instead of base units) while the spread of real series stays within it (a CPI of
//!   0.2% against a median of 2.5% is 12 times smaller). A publication date after today
//!   is warned about too: a forecast announced for a date to come is usually a typo.

use crate::domain::period::Period;
use crate::domain::value::Kind;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::fmt;

/// The earliest publication date econtrack accepts.
pub const EARLIEST_PUBLISHED: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a real date");

/// How many times the median a value may be off before it is warned about.
pub const MAGNITUDE_FACTOR: u32 = 100;

/// Stored values needed before a value is compared with them.
pub const MIN_SAMPLE: usize = 3;

/// Stored values of a series read to compare with: the most recent periods' suffice.
pub const SAMPLE_SIZE: usize = 25;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Impossible {
    #[error(
        "published {published} is before 1900-01-01, which econtrack does not accept as a publication date (is the year mistyped?)"
    )]
    PublishedTooEarly { published: NaiveDate },
    #[error(
        "an actual for {period} cannot be published on {published}, before the period begins on {}; use kind estimate or forecast, or the date it was published",
        period.start()
    )]
    ActualBeforePeriod { period: Period, published: NaiveDate },
}

/// Refuses a publication date before [`EARLIEST_PUBLISHED`].
pub fn check_published(published: NaiveDate) -> Result<(), Impossible> {
    if published < EARLIEST_PUBLISHED { Err(Impossible::PublishedTooEarly { published }) } else { Ok(()) }
}

/// Refuses the dates of a figure that cannot be true.
pub fn check_figure_dates(kind: Kind, period: Period, published: NaiveDate) -> Result<(), Impossible> {
    check_published(published)?;
    if kind == Kind::Actual && published < period.start() {
        return Err(Impossible::ActualBeforePeriod { period, published });
    }
    Ok(())
}

/// Why a value that is stored anyway looks wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Doubt {
    /// Published after `today`.
    Future { published: NaiveDate, today: NaiveDate },
    /// `value` is `factor` times smaller (`smaller`) or larger than `median`, the median
    /// of `count` stored values of its series.
    Magnitude { value: Decimal, median: Decimal, count: usize, smaller: bool },
}

impl fmt::Display for Doubt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Doubt::Future { published, today } => {
                write!(f, "published {published} is in the future (today is {today}); is the date right?")
            }
            Doubt::Magnitude { value, median, count, smaller } => {
                let (how, hint) = if *smaller {
                    ("smaller", " (a percent is written 4.5 for 4.5%, not 0.045)")
                } else {
                    ("larger", "")
                };
                write!(
                    f,
                    "value {value} is at least {MAGNITUDE_FACTOR} times {how} than the median {median} of the {count} stored value(s) of this indicator and entity; is its scale right?{hint}"
                )
            }
        }
    }
}

/// A warning for a publication date after `today`.
pub fn future(published: NaiveDate, today: NaiveDate) -> Option<Doubt> {
    (published > today).then_some(Doubt::Future { published, today })
}

/// The median of the absolute nonzero values in `stored`, when there are at least
/// [`MIN_SAMPLE`] of them.
pub fn reference(stored: &[Decimal]) -> Option<(Decimal, usize)> {
    let magnitudes: Vec<Decimal> = stored.iter().filter(|v| !v.is_zero()).map(|v| v.abs()).collect();
    if magnitudes.len() < MIN_SAMPLE {
        return None;
    }
    Some((crate::domain::stats::median(&magnitudes)?, magnitudes.len()))
}

/// A warning for a value [`MAGNITUDE_FACTOR`] or more times off the series' median.
pub fn magnitude(value: Decimal, reference: Option<(Decimal, usize)>) -> Option<Doubt> {
    let (median, count) = reference?;
    if value.is_zero() || median.is_zero() {
        return None;
    }
    let factor = Decimal::from(MAGNITUDE_FACTOR);
    let magnitude = value.abs();
    // Compared by multiplying, which is exact; a product too large for a decimal is not
    // beyond the other side.
    let smaller = magnitude.checked_mul(factor).is_some_and(|v| v <= median);
    let larger = median.checked_mul(factor).is_some_and(|m| magnitude >= m);
    (smaller || larger).then_some(Doubt::Magnitude { value, median, count, smaller })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::value::parse_decimal;

    fn d(text: &str) -> Decimal {
        parse_decimal(text).unwrap()
    }

    fn decimals(texts: &[&str]) -> Vec<Decimal> {
        texts.iter().map(|t| d(t)).collect()
    }

    #[test]
    fn dates_that_cannot_be_true_are_refused() {
        let date = |s: &str| crate::domain::period::parse_date(s).unwrap();
        assert!(check_published(date("1899-12-31")).is_err());
        assert!(check_published(date("1900-01-01")).is_ok());
        let year: Period = "2025".parse().unwrap();
        let err = check_figure_dates(Kind::Actual, year, date("2024-12-31")).unwrap_err().to_string();
        assert!(err.contains("before the period begins on 2025-01-01"), "{err}");
        assert!(check_figure_dates(Kind::Actual, year, date("2025-01-01")).is_ok());
        assert!(check_figure_dates(Kind::Forecast, year, date("2024-12-31")).is_ok());
        let err = check_figure_dates(Kind::Forecast, year, date("1024-03-05")).unwrap_err().to_string();
        assert!(err.contains("before 1900-01-01"), "{err}");
    }

    #[test]
    fn a_value_two_orders_of_magnitude_off_its_series_is_doubted() {
        let series = reference(&decimals(&["4.5", "4.6", "5", "4.8", "0"]));
        assert_eq!(series, Some((d("4.7"), 4)));
        assert!(matches!(magnitude(d("0.045"), series), Some(Doubt::Magnitude { smaller: true, .. })));
        assert!(matches!(magnitude(d("-470"), series), Some(Doubt::Magnitude { smaller: false, .. })));
        for fine in ["4.4", "0.2", "-3", "0", "46", "0.048"] {
            assert_eq!(magnitude(d(fine), series), None, "{fine}");
        }
        let message = magnitude(d("0.045"), series).unwrap().to_string();
        assert!(
            message.contains("value 0.045 is at least 100 times smaller than the median 4.7 of the 4 stored"),
            "{message}"
        );
        assert_eq!(reference(&decimals(&["4.5", "0", "4.6"])), None, "too few to judge");
        let huge = reference(&decimals(&["9999999999999999999999999999"; 3]));
        assert_eq!(
            magnitude(d("1"), huge).map(|doubt| matches!(doubt, Doubt::Magnitude { smaller: true, .. })),
            Some(true)
        );
    }

    #[test]
    fn a_publication_date_after_today_is_doubted() {
        let date = |s: &str| crate::domain::period::parse_date(s).unwrap();
        assert!(future(date("2026-12-02"), date("2026-12-01")).is_some());
        assert!(future(date("2026-12-01"), date("2026-12-01")).is_none());
    }
}
