//! Gap arithmetic: how far a forecast stands from a target, in exact decimals.
//!
//! gap = forecast − target. A forecast given as a range counts at its midpoint; a target
//! given as a range is a band, and the gap is the distance to its nearer edge (0 inside).
//! For percent indicators the gap is in percentage points. The relative gap is the gap as a
//! percentage of the target, rounded to 2 decimals (half away from zero); it is left out
//! when the target is 0.

use crate::domain::value::{Bound, Quantity, canonical};
use rust_decimal::{Decimal, RoundingStrategy};

/// Decimals kept in a relative gap.
pub const RELATIVE_DECIMALS: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub gap: Decimal,
    /// gap / |target| × 100, rounded to [`RELATIVE_DECIMALS`].
    pub relative_pct: Option<Decimal>,
}

/// The gap between a target and a forecast.
pub fn gap(target: &Quantity, forecast: &Quantity) -> Gap {
    let point = forecast.point();
    let gap = match (target.bound(), target.high()) {
        (Bound::Range, Some(high)) if point > high => point - high,
        (Bound::Range, Some(_)) if point >= target.value() => Decimal::ZERO,
        _ => point - target.value(),
    };
    let reference = target.point().abs();
    let relative_pct = relative(gap, reference)
        .map(|pct| canonical(pct.round_dp_with_strategy(RELATIVE_DECIMALS, RoundingStrategy::MidpointAwayFromZero)));
    Gap { gap: canonical(gap), relative_pct }
}

/// gap / reference × 100, or `None` for a zero reference or a result beyond what a decimal
/// holds (a forecast some 10^27 times its target). Multiplying first keeps every digit;
/// when that overflows, dividing first still gives the result if it fits.
fn relative(gap: Decimal, reference: Decimal) -> Option<Decimal> {
    gap.checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|g| g.checked_div(reference))
        .or_else(|| gap.checked_div(reference)?.checked_mul(Decimal::ONE_HUNDRED))
}

/// The unit a gap is expressed in: percentage points for percent indicators.
pub fn gap_unit(indicator_unit: &str) -> &str {
    if indicator_unit == "percent" { "pp" } else { indicator_unit }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::value::parse_decimal;

    fn q(text: &str) -> Quantity {
        match text.split_once('-') {
            Some((low, high)) if !low.is_empty() => {
                Quantity::new(parse_decimal(low).unwrap(), Bound::Range, Some(parse_decimal(high).unwrap())).unwrap()
            }
            _ => Quantity::exact(parse_decimal(text).unwrap()),
        }
    }

    fn g(target: &str, forecast: &str) -> (String, Option<String>) {
        let gap = gap(&q(target), &q(forecast));
        (gap.gap.to_string(), gap.relative_pct.map(|r| r.to_string()))
    }

    #[test]
    fn the_articles_gaps() {
        assert_eq!(g("5", "4.6"), ("-0.4".into(), Some("-8".into())));
        assert_eq!(g("3", "1.2"), ("-1.8".into(), Some("-60".into())));
    }

    #[test]
    fn exact_decimals_without_float_noise() {
        assert_eq!(g("0.3", "0.1"), ("-0.2".into(), Some("-66.67".into())));
        assert_eq!(g("3", "3.1"), ("0.1".into(), Some("3.33".into())));
        assert_eq!(g("5", "5"), ("0".into(), Some("0".into())));
        assert_eq!(g("-2", "-1"), ("1".into(), Some("50".into())));
    }

    #[test]
    fn relative_gap_rounds_half_away_from_zero() {
        assert_eq!(g("8", "8.0004").1, Some("0.01".into()));
        assert_eq!(g("8", "7.9996").1, Some("-0.01".into()));
    }

    #[test]
    fn zero_target_has_no_relative_gap() {
        assert_eq!(g("0", "0.5"), ("0.5".into(), None));
    }

    #[test]
    fn range_targets_are_bands() {
        assert_eq!(g("40-50", "45").0, "0");
        assert_eq!(g("40-50", "40").0, "0");
        assert_eq!(g("40-50", "50").0, "0");
        assert_eq!(g("40-50", "52.5").0, "2.5");
        assert_eq!(g("40-50", "38").0, "-2");
    }

    #[test]
    fn range_forecasts_count_at_their_midpoint() {
        assert_eq!(g("5", "4.5-5").0, "-0.25");
    }

    /// Found by fuzz/run.sh (target `bound`, input `range|-999978|9999999999999994999999999999|exact|1|`):
    /// gap × 100 overflowed and panicked.
    #[test]
    fn a_relative_gap_too_large_for_a_decimal_is_left_out() {
        let wide = Quantity::new(
            parse_decimal("-999978").unwrap(),
            Bound::Range,
            Some(parse_decimal("9999999999999994999999999999").unwrap()),
        )
        .unwrap();
        let one = q("1");
        let forecast_far_above = gap(&one, &wide);
        assert_eq!(forecast_far_above.gap.to_string(), "4999999999999997499999500009.5");
        assert_eq!(forecast_far_above.relative_pct, None);
        assert_eq!(gap(&wide, &one).gap, Decimal::ZERO, "inside the band");
        assert_eq!(g("0.0000000000000000000000000001", "1").1, None, "the ratio itself is too large");
        assert_eq!(
            g("1000000000000000000000000000", "9000000000000000000000000000").1,
            Some("800".into()),
            "fits when divided first"
        );
    }

    #[test]
    fn percent_gaps_are_in_points() {
        assert_eq!(gap_unit("percent"), "pp");
        assert_eq!(gap_unit("CNY"), "CNY");
    }
}
