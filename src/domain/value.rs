//! The value of a figure: an exact decimal, how it is bounded, and what kind of claim it is.
//!
//! Nothing here knows about storage or output. Decimals are parsed strictly (a plain
//! `-?digits[.digits]`): `4,6`, `1e5`, `+5` or `.5` are errors, never guesses, because a
//! misread decimal separator silently corrupts a tracking database.

use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error(
        "bad decimal \"{0}\": write digits with an optional '.' and fraction, e.g. 4.6 or -0.25 (no thousands separators, exponents or decimal commas)"
    )]
    Decimal(String),
    #[error("bad decimal \"{0}%\": write it without the '%', as {0} (a percent indicator holds its values in percent)")]
    Percent(String),
    #[error("bad decimal \"{0}\": too many digits for an exact decimal (at most 28 significant digits)")]
    TooPrecise(String),
    #[error("bad kind \"{0}\": use one of target, forecast, actual, estimate")]
    Kind(String),
    #[error("bad bound \"{0}\": use one of exact, approx, at-least, at-most, range")]
    Bound(String),
    #[error("a range needs a high value (--high / column high)")]
    RangeWithoutHigh,
    #[error("only a range has a high value; the bound is \"{0}\"")]
    HighWithoutRange(Bound),
    #[error("the high value {high} must be greater than the value {low}")]
    HighNotAbove { low: Decimal, high: Decimal },
    #[error("only an approx target has a tolerance (this is a {kind} with bound {bound})")]
    ToleranceNotApproxTarget { kind: Kind, bound: Bound },
    #[error("a tolerance cannot be negative ({0})")]
    NegativeTolerance(Decimal),
}

/// Checks that a tolerance is given only to an approx target, and is not negative.
pub fn check_tolerance(kind: Kind, bound: Bound, tolerance: Option<Decimal>) -> Result<(), ValueError> {
    match tolerance {
        None => Ok(()),
        Some(_) if kind != Kind::Target || bound != Bound::Approx => {
            Err(ValueError::ToleranceNotApproxTarget { kind, bound })
        }
        Some(t) if t < Decimal::ZERO => Err(ValueError::NegativeTolerance(t)),
        Some(_) => Ok(()),
    }
}

/// Parses an exact decimal written plainly, and returns it in canonical form.
pub fn parse_decimal(input: &str) -> Result<Decimal, ValueError> {
    if !is_plain_decimal(input) {
        // `5%` is the commonest slip of all: say what to write instead.
        if let Some(number) = input.strip_suffix('%').filter(|number| is_plain_decimal(number)) {
            return Err(ValueError::Percent(number.to_string()));
        }
        return Err(ValueError::Decimal(input.to_string()));
    }
    Decimal::from_str_exact(input)
        .ok()
        .map(canonical)
        .filter(|&value| within_digits(value))
        .ok_or_else(|| ValueError::TooPrecise(input.to_string()))
}

/// A decimal as econtrack stores it: read by [`parse_decimal`] and already written in the
/// canonical form it prints (`4.6`, not `4.60`, `+4.6`, `04.6` or `-0`). Checked on the
/// bytes, since every stored value read passes through here.
pub fn parse_canonical(text: &str) -> Option<Decimal> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let canonical_text = (whole == "0" || !whole.starts_with('0'))
        && !fraction.ends_with('0')
        && text != "-0"
        && (unsigned.len() == whole.len() || !fraction.is_empty());
    canonical_text.then(|| parse_decimal(text).ok()).flatten()
}

/// `-?digits[.digits]`, the only form a decimal is read in.
fn is_plain_decimal(input: &str) -> bool {
    let digits = input.strip_prefix('-').unwrap_or(input);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

/// Significant digits an exact decimal may have. rust_decimal holds up to 96 bits (some
/// 29-digit numbers fit); keeping to 28 digits keeps every magnitude below 10^28, so that
/// the sums and differences gap arithmetic takes of two values can never overflow.
pub const MAX_DIGITS: u32 = 28;

pub fn within_digits(value: Decimal) -> bool {
    canonical(value).mantissa().unsigned_abs() < 10u128.pow(MAX_DIGITS)
}

/// The canonical form of a decimal: no trailing fractional zeros and no negative zero,
/// so that 4.60 and 4.6 are stored, compared and printed alike.
pub fn canonical(value: Decimal) -> Decimal {
    let normal = value.normalize();
    if normal.is_zero() { Decimal::ZERO } else { normal }
}

/// What kind of claim a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Target,
    Forecast,
    Actual,
    Estimate,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Target, Kind::Forecast, Kind::Actual, Kind::Estimate];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Target => "target",
            Kind::Forecast => "forecast",
            Kind::Actual => "actual",
            Kind::Estimate => "estimate",
        }
    }
}

impl FromStr for Kind {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| ValueError::Kind(s.to_string()))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the words around a figure bound it: "about 5%" is `Approx`, "over 700" `AtLeast`,
/// "under one third" `AtMost`, "40-50%" a `Range`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Bound {
    #[default]
    Exact,
    Approx,
    AtLeast,
    AtMost,
    Range,
}

impl Bound {
    pub const ALL: [Bound; 5] = [Bound::Exact, Bound::Approx, Bound::AtLeast, Bound::AtMost, Bound::Range];

    pub fn as_str(self) -> &'static str {
        match self {
            Bound::Exact => "exact",
            Bound::Approx => "approx",
            Bound::AtLeast => "at-least",
            Bound::AtMost => "at-most",
            Bound::Range => "range",
        }
    }
}

impl FromStr for Bound {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Bound::ALL.into_iter().find(|b| b.as_str() == s).ok_or_else(|| ValueError::Bound(s.to_string()))
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A bounded exact amount: the value, its bound, and for a range its high end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quantity {
    value: Decimal,
    bound: Bound,
    high: Option<Decimal>,
}

impl Quantity {
    /// Checks that a range has a high end above its value and that nothing else has one.
    pub fn new(value: Decimal, bound: Bound, high: Option<Decimal>) -> Result<Self, ValueError> {
        if let Some(wide) = [Some(value), high].into_iter().flatten().find(|&d| !within_digits(d)) {
            return Err(ValueError::TooPrecise(wide.to_string()));
        }
        match (bound, high) {
            (Bound::Range, None) => Err(ValueError::RangeWithoutHigh),
            (Bound::Range, Some(h)) if h <= value => Err(ValueError::HighNotAbove { low: value, high: h }),
            (b, Some(_)) if b != Bound::Range => Err(ValueError::HighWithoutRange(b)),
            _ => Ok(Quantity { value: canonical(value), bound, high: high.map(canonical) }),
        }
    }

    pub fn exact(value: Decimal) -> Self {
        Quantity { value: canonical(value), bound: Bound::Exact, high: None }
    }

    pub fn value(&self) -> Decimal {
        self.value
    }

    pub fn bound(&self) -> Bound {
        self.bound
    }

    pub fn high(&self) -> Option<Decimal> {
        self.high
    }

    /// The single number that stands for the quantity in arithmetic: a range's midpoint,
    /// otherwise the value itself.
    pub fn point(&self) -> Decimal {
        match self.high {
            Some(high) => canonical((self.value + high) / Decimal::TWO),
            None => self.value,
        }
    }
}

impl fmt::Display for Quantity {
    /// `5`, `5 (approx)`, `700 (at-least)`, `40–50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.bound, self.high) {
            (Bound::Range, Some(high)) => write!(f, "{}–{}", self.value, high),
            (Bound::Exact, _) => write!(f, "{}", self.value),
            (bound, _) => write!(f, "{} ({bound})", self.value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Whatever decimal econtrack stores, the text it stores reads back as it.
        #[test]
        fn every_canonical_decimal_reads_back(value in crate::testkit::decimal()) {
            proptest::prop_assert_eq!(parse_canonical(&value.to_string()), Some(value));
        }
    }

    #[test]
    fn stored_decimals_are_read_only_in_canonical_form() {
        for text in ["0", "4.6", "-4.6", "-0.5", "1000", "0.001", "12345678901234567890.12345678"] {
            assert_eq!(parse_canonical(text).map(|d| d.to_string()).as_deref(), Some(text), "{text}");
        }
        for text in ["4.60", "+5", "1_000", "04.6", "-0", "0.0", "1.", ".5", "1e5", "4,6", " 4.6", "", "-", "00"] {
            assert_eq!(parse_canonical(text), None, "{text:?}");
        }
    }

    fn d(text: &str) -> Decimal {
        parse_decimal(text).unwrap()
    }

    #[test]
    fn parses_plain_decimals_canonically() {
        assert_eq!(d("4.6").to_string(), "4.6");
        assert_eq!(d("4.60000").to_string(), "4.6");
        assert_eq!(d("10400000000").to_string(), "10400000000");
        assert_eq!(d("-0.4").to_string(), "-0.4");
        assert_eq!(d("-0.0").to_string(), "0");
        assert_eq!(d("0.3333333333333333333333333333").to_string(), "0.3333333333333333333333333333");
        assert_eq!(d("007").to_string(), "7");
    }

    #[test]
    fn rejects_what_it_would_have_to_guess() {
        for bad in [
            "4,6", "abc", "1e5", "1E5", "+5", ".5", "5.", "", "-", " 5", "5 ", "1,000", "NaN", "inf", "5%", "--5",
            "4.6.1",
        ] {
            assert!(parse_decimal(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(matches!(parse_decimal("1234567890123456789012345678901234"), Err(ValueError::TooPrecise(_))));
    }

    #[test]
    fn a_percent_sign_is_refused_with_the_number_to_write() {
        assert_eq!(parse_decimal("5%"), Err(ValueError::Percent("5".to_string())));
        assert_eq!(parse_decimal("-0.5%"), Err(ValueError::Percent("-0.5".to_string())));
        assert!(parse_decimal("5%").unwrap_err().to_string().contains("write it without the '%', as 5 "));
        assert_eq!(parse_decimal("5%%"), Err(ValueError::Decimal("5%%".to_string())));
        assert_eq!(parse_decimal("%"), Err(ValueError::Decimal("%".to_string())));
    }

    #[test]
    fn keeps_to_28_significant_digits() {
        assert!(parse_decimal("9999999999999999999999999999").is_ok());
        assert!(parse_decimal("-0.0000000000000000000000000001").is_ok());
        assert!(parse_decimal("1000000000000000000000000000.0").is_ok(), "trailing zeros are not significant");
        assert!(parse_decimal("1000000000000000000000000000").is_ok());
        // 29 digits that rust_decimal could hold, but econtrack does not accept.
        for wide in ["79228162514264337593543950335", "10000000000000000000000000000", "1234567890123456789012345678.9"]
        {
            assert!(matches!(parse_decimal(wide), Err(ValueError::TooPrecise(_))), "{wide}");
        }
        assert!(matches!(Quantity::new(Decimal::MAX, Bound::Exact, None), Err(ValueError::TooPrecise(_))));
        assert!(matches!(
            Quantity::new(Decimal::ZERO, Bound::Range, Some(Decimal::MAX)),
            Err(ValueError::TooPrecise(_))
        ));
    }

    #[test]
    fn kinds_and_bounds_round_trip_their_names() {
        for kind in Kind::ALL {
            assert_eq!(kind.as_str().parse::<Kind>(), Ok(kind));
        }
        for bound in Bound::ALL {
            assert_eq!(bound.as_str().parse::<Bound>(), Ok(bound));
        }
        assert!("Target".parse::<Kind>().is_err());
        assert!("about".parse::<Bound>().is_err());
    }

    #[test]
    fn a_range_needs_a_high_end_above_its_value() {
        assert!(Quantity::new(d("40"), Bound::Range, Some(d("50"))).is_ok());
        assert_eq!(Quantity::new(d("40"), Bound::Range, None), Err(ValueError::RangeWithoutHigh));
        assert!(matches!(Quantity::new(d("50"), Bound::Range, Some(d("40"))), Err(ValueError::HighNotAbove { .. })));
        assert!(matches!(Quantity::new(d("50"), Bound::Range, Some(d("50"))), Err(ValueError::HighNotAbove { .. })));
        assert!(matches!(Quantity::new(d("5"), Bound::Approx, Some(d("6"))), Err(ValueError::HighWithoutRange(_))));
    }

    #[test]
    fn point_is_the_midpoint_of_a_range() {
        let range = Quantity::new(d("40"), Bound::Range, Some(d("50"))).unwrap();
        assert_eq!(range.point(), d("45"));
        let odd = Quantity::new(d("1"), Bound::Range, Some(d("2"))).unwrap();
        assert_eq!(odd.point().to_string(), "1.5");
        assert_eq!(Quantity::exact(d("4.6")).point(), d("4.6"));
    }

    #[test]
    fn displays_the_bound_with_the_value() {
        assert_eq!(Quantity::exact(d("4.6")).to_string(), "4.6");
        assert_eq!(Quantity::new(d("5"), Bound::Approx, None).unwrap().to_string(), "5 (approx)");
        assert_eq!(Quantity::new(d("40"), Bound::Range, Some(d("50"))).unwrap().to_string(), "40–50");
    }
}
