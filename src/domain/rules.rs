//! Target rules: whether an outcome met a target, judged by the target's bound.
//!
//! - `at-most` is a ceiling: met when actual ≤ target.
//! - `at-least` is a floor: met when actual ≥ target.
//! - `range` is a band: met when low ≤ actual ≤ high.
//! - `approx` ("around 5%") is met when |actual − target| ≤ tolerance. A target may carry
//!   its own tolerance (in the indicator's unit); otherwise it is
//!   [`DEFAULT_TOLERANCE_PCT`]% of the target's magnitude (±0.5 around 5).
//! - `exact` is met only by the same number.
//!
//! Every edge is inclusive: an outcome exactly on the ceiling, floor, band edge or
//! tolerance limit meets the target.

use crate::domain::value::{Bound, Quantity, canonical};
use rust_decimal::Decimal;

/// Default tolerance of an `approx` target, in percent of the target.
pub const DEFAULT_TOLERANCE_PCT: u32 = 10;

/// The verdict on one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judgement {
    pub met: bool,
    /// For `approx` targets, the tolerance applied (given or default).
    pub tolerance: Option<Decimal>,
}

/// The tolerance an `approx` target is judged with.
pub fn tolerance_for(target: &Quantity, given: Option<Decimal>) -> Decimal {
    given.unwrap_or_else(|| {
        canonical(target.value().abs() * Decimal::from(DEFAULT_TOLERANCE_PCT) / Decimal::ONE_HUNDRED)
    })
}

/// Judges `actual` against `target`.
pub fn judge(target: &Quantity, tolerance: Option<Decimal>, actual: Decimal) -> Judgement {
    let value = target.value();
    let (met, tolerance) = match target.bound() {
        Bound::AtMost => (actual <= value, None),
        Bound::AtLeast => (actual >= value, None),
        Bound::Range => (value <= actual && target.high().is_some_and(|high| actual <= high), None),
        Bound::Exact => (actual == value, None),
        Bound::Approx => {
            let tolerance = tolerance_for(target, tolerance);
            ((actual - value).abs() <= tolerance, Some(tolerance))
        }
    };
    Judgement { met, tolerance }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::value::parse_decimal;

    fn d(text: &str) -> Decimal {
        parse_decimal(text).unwrap()
    }

    fn met(bound: Bound, target: &str, high: Option<&str>, tolerance: Option<&str>, actual: &str) -> bool {
        let target = Quantity::new(d(target), bound, high.map(d)).unwrap();
        judge(&target, tolerance.map(d), d(actual)).met
    }

    #[test]
    fn a_ceiling_is_met_at_and_below_it() {
        assert!(met(Bound::AtMost, "3", None, None, "0.2"));
        assert!(met(Bound::AtMost, "3", None, None, "3"));
        assert!(!met(Bound::AtMost, "3", None, None, "3.0001"));
    }

    #[test]
    fn a_floor_is_met_at_and_above_it() {
        assert!(met(Bound::AtLeast, "5", None, None, "5"));
        assert!(met(Bound::AtLeast, "5", None, None, "7"));
        assert!(!met(Bound::AtLeast, "5", None, None, "4.9999"));
    }

    #[test]
    fn a_band_is_met_inside_and_on_its_edges() {
        for (actual, expected) in [("39.99", false), ("40", true), ("45", true), ("50", true), ("50.01", false)] {
            assert_eq!(met(Bound::Range, "40", Some("50"), None, actual), expected, "{actual}");
        }
    }

    #[test]
    fn approx_uses_the_given_or_default_tolerance() {
        // Default: 10% of 5 = ±0.5.
        for (actual, expected) in [("4.49", false), ("4.5", true), ("5", true), ("5.5", true), ("5.51", false)] {
            assert_eq!(met(Bound::Approx, "5", None, None, actual), expected, "{actual}");
        }
        assert!(met(Bound::Approx, "5", None, Some("0.2"), "4.8"));
        assert!(!met(Bound::Approx, "5", None, Some("0.2"), "4.79"));
        assert!(met(Bound::Approx, "5", None, Some("0"), "5"));
        let target = Quantity::new(d("5"), Bound::Approx, None).unwrap();
        assert_eq!(judge(&target, None, d("5")).tolerance, Some(d("0.5")));
        let negative = Quantity::new(d("-2"), Bound::Approx, None).unwrap();
        assert_eq!(tolerance_for(&negative, None), d("0.2"));
    }

    #[test]
    fn exact_means_the_same_number() {
        assert!(met(Bound::Exact, "5", None, None, "5.0"));
        assert!(!met(Bound::Exact, "5", None, None, "5.01"));
    }

    #[test]
    fn the_articles_targets_against_the_2024_outcomes() {
        assert!(met(Bound::Approx, "5", None, None, "5.0"), "GDP around 5% met by 5.0");
        assert!(met(Bound::AtMost, "3", None, None, "0.2"), "CPI ceiling 3% met by 0.2");
    }
}
