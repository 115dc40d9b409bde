//! Summary statistics over exact decimals: mean, median, spread, and errors.
//!
//! Everything is computed in `Decimal`; the square root is Newton's method in `Decimal`,
//! never a float. Results that need not terminate (a mean of three values, a square root)
//! are rounded to [`STAT_DECIMALS`] places, half away from zero; sums, differences,
//! minimum, maximum and medians are exact.

use crate::domain::value::canonical;
use rust_decimal::{Decimal, MathematicalOps, RoundingStrategy};

/// Decimal places kept in means, standard deviations and root-mean-square errors.
pub const STAT_DECIMALS: u32 = 6;

fn round(value: Decimal) -> Decimal {
    canonical(value.round_dp_with_strategy(STAT_DECIMALS, RoundingStrategy::MidpointAwayFromZero))
}

/// The arithmetic mean, rounded; `None` for no values.
pub fn mean(values: &[Decimal]) -> Option<Decimal> {
    exact_mean(values).map(round)
}

fn exact_mean(values: &[Decimal]) -> Option<Decimal> {
    let count = Decimal::from(values.len());
    (!values.is_empty()).then(|| values.iter().sum::<Decimal>() / count)
}

/// The middle value, or the mean of the two middle values for an even count (exact).
pub fn median(values: &[Decimal]) -> Option<Decimal> {
    let mut sorted = values.to_vec();
    sorted.sort();
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some(canonical((sorted[n / 2 - 1] + sorted[n / 2]) / Decimal::TWO)),
    }
}

/// The population standard deviation (the spread of these forecasts, not an estimate of
/// a wider population), rounded; 0 for one value.
pub fn stddev(values: &[Decimal]) -> Option<Decimal> {
    let mean = exact_mean(values)?;
    let squares: Vec<Decimal> = values.iter().map(|v| (v - mean) * (v - mean)).collect();
    Some(round(sqrt(exact_mean(&squares)?)))
}

/// The root of the mean squared error, rounded.
pub fn rmse(errors: &[Decimal]) -> Option<Decimal> {
    let squares: Vec<Decimal> = errors.iter().map(|e| e * e).collect();
    Some(round(sqrt(exact_mean(&squares)?)))
}

/// The distribution of a set of forecasts, as a consensus table shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spread {
    pub count: usize,
    pub mean: Decimal,
    pub median: Decimal,
    pub min: Decimal,
    pub max: Decimal,
    pub stddev: Decimal,
}

/// Count, mean, median, minimum, maximum and standard deviation; `None` for no values.
pub fn spread(values: &[Decimal]) -> Option<Spread> {
    Some(Spread {
        count: values.len(),
        mean: mean(values)?,
        median: median(values)?,
        min: values.iter().copied().min()?,
        max: values.iter().copied().max()?,
        stddev: stddev(values)?,
    })
}

/// The square root of a non-negative decimal to `Decimal`'s full precision (rust_decimal's
/// `maths`); negative input (impossible for a mean of squares) gives 0.
pub fn sqrt(value: Decimal) -> Decimal {
    MathematicalOps::sqrt(&value).map_or(Decimal::ZERO, canonical)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::value::parse_decimal;

    fn ds(values: &[&str]) -> Vec<Decimal> {
        values.iter().map(|v| parse_decimal(v).unwrap()).collect()
    }

    fn s(value: Option<Decimal>) -> String {
        value.map(|v| v.to_string()).unwrap_or_default()
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(s(median(&ds(&["4.6", "4.2", "5"]))), "4.6");
        assert_eq!(s(median(&ds(&["4.6", "4.2", "5", "4.8"]))), "4.7");
        assert_eq!(s(median(&ds(&["4.5", "4.6"]))), "4.55");
        assert_eq!(s(median(&ds(&["1"]))), "1");
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn mean_is_exact_when_it_terminates_and_rounded_otherwise() {
        assert_eq!(s(mean(&ds(&["4.6", "4.8"]))), "4.7");
        assert_eq!(s(mean(&ds(&["1", "1", "2"]))), "1.333333");
        assert_eq!(s(mean(&ds(&["0.1", "0.2"]))), "0.15");
        assert_eq!(mean(&[]), None);
    }

    #[test]
    fn square_roots_in_decimal() {
        assert_eq!(sqrt(parse_decimal("4").unwrap()).to_string(), "2");
        assert_eq!(sqrt(parse_decimal("0.25").unwrap()).to_string(), "0.5");
        assert_eq!(sqrt(parse_decimal("2").unwrap()).round_dp(20).to_string(), "1.41421356237309504880");
        assert_eq!(sqrt(parse_decimal("0.0001").unwrap()).to_string(), "0.01");
        assert_eq!(sqrt(Decimal::ZERO), Decimal::ZERO);
        let big = parse_decimal("10400000000").unwrap();
        assert_eq!(sqrt(big * big), big);
    }

    #[test]
    fn rmse_to_six_places() {
        // sqrt((0.4² + 0.7²) / 2) = sqrt(0.325) = 0.5700877125…
        assert_eq!(s(rmse(&ds(&["-0.4", "0.7"]))), "0.570088");
        assert_eq!(s(rmse(&ds(&["0.3", "-0.3", "0.3"]))), "0.3");
        assert_eq!(s(rmse(&ds(&["0"]))), "0");
        assert_eq!(rmse(&[]), None);
    }

    #[test]
    fn spread_of_forecasts() {
        let spread = spread(&ds(&["4.6", "4.2", "5", "4.8"])).unwrap();
        assert_eq!((spread.count, spread.min, spread.max), (4, ds(&["4.2"])[0], ds(&["5"])[0]));
        assert_eq!((spread.mean.to_string(), spread.median.to_string()), ("4.65".into(), "4.7".into()));
        assert_eq!(spread.stddev.to_string(), "0.295804");
        assert_eq!(super::spread(&[]), None);
    }

    #[test]
    fn population_standard_deviation() {
        assert_eq!(s(stddev(&ds(&["2", "4", "4", "4", "5", "5", "7", "9"]))), "2");
        assert_eq!(s(stddev(&ds(&["4.6"]))), "0");
        assert_eq!(s(stddev(&ds(&["4.5", "4.6"]))), "0.05");
        assert_eq!(s(stddev(&ds(&["1", "2", "4"]))), "1.247219");
    }
}
