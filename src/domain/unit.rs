//! The units an indicator is measured in: a known list, so that `gaps` (percentage points
//! for percent) and `verify` (a `5%` in a quote is a percent, `七百億` an amount) know what
//! a stored value means.
//!
//! A unit is written as its measure, optionally followed by a scale for currencies and
//! counts: `percent`, `ratio`, `pp` (percentage points), `count`, `index`, `years`, `months`, `days`, `nm`, an ISO
//! 4217 currency code (`CNY`, `USD`, `EUR`, …) and `USD billion` or `count million`. A value
//! is stored in its indicator's unit: 30 under `USD billion` is thirty billion dollars,
//! 30000000000 under `USD`.

use iso_currency::Currency;
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// The measures that are not currencies, as written, with what each is.
const MEASURES: &[(&str, &str)] = &[
    ("percent", "a percentage (4.5 is 4.5%); gaps are in percentage points"),
    ("ratio", "a plain ratio or fraction (0.3, or 30% written as 0.3)"),
    ("pp", "percentage points: a change in a rate (提高0.3個百分點, a cut of 25 bp)"),
    ("count", "a number of things"),
    ("index", "index points"),
    ("years", "a duration in years"),
    ("months", "a duration in months"),
    ("days", "a duration in days"),
    ("nm", "nanometres (a chip process node)"),
    ("national-currency", "an amount in the entity's own currency (as the IMF and OECD publish national accounts)"),
    ("unspecified", "a unit its source file did not state: map the series onto an indicator with one (import --map)"),
];

/// The scales a currency or count may carry, and what one of it is.
const SCALES: &[(&str, u64)] =
    &[("thousand", 1_000), ("million", 1_000_000), ("billion", 1_000_000_000), ("trillion", 1_000_000_000_000)];

/// Words people write for a measure or scale, and what econtrack calls it.
const SYNONYMS: &[(&str, &str)] = &[
    ("percentage", "percent"),
    ("pct", "percent"),
    ("%", "percent"),
    ("per-cent", "percent"),
    ("fraction", "ratio"),
    ("share", "ratio"),
    ("number", "count"),
    ("units", "count"),
    ("points", "index"),
    ("year", "years"),
    ("yrs", "years"),
    ("month", "months"),
    ("day", "days"),
    ("nanometres", "nm"),
    ("nanometers", "nm"),
    ("yuan", "CNY"),
    ("rmb", "CNY"),
    ("renminbi", "CNY"),
    ("dollars", "USD"),
    ("$", "USD"),
    ("euro", "EUR"),
    ("euros", "EUR"),
    ("yen", "JPY"),
    ("k", "thousand"),
    ("thousands", "thousand"),
    ("m", "million"),
    ("mn", "million"),
    ("millions", "million"),
    ("bn", "billion"),
    ("b", "billion"),
    ("billions", "billion"),
    ("tn", "trillion"),
    ("trillions", "trillion"),
];

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// One of [`MEASURES`], by its name.
    Named(&'static str),
    Currency(Currency),
}

/// A known unit: a measure and, for a currency or count, a scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    measure: Measure,
    scale: Option<(&'static str, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "bad unit \"{text}\": use percent, ratio, pp, count, index, years, months, days, nm, national-currency, unspecified, or an ISO 4217 currency code (CNY, USD, EUR, …); a currency or count may carry a scale, as in \"USD billion\" (thousand, million, billion, trillion){}",
    suggestion.as_ref().map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default()
)]
pub struct UnitError {
    text: String,
    suggestion: Option<String>,
}

/// What a unit says an indicator's values are: the rule by which econtrack tells a level
/// from a rate (docs/units.md). A currency (any scale), `national-currency`, `count`,
/// `index`, the durations and `nm` measure an amount: a level, which every unit transform
/// takes. `percent`, `pp` and `ratio` are already rates: only their changes make sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nature {
    /// An amount, count or index: every transform applies.
    Level,
    /// Already a rate (percent, percentage points, a ratio): only its changes make sense.
    Rate,
    /// The unit was not stated (`unspecified`, or text that is not a known unit): taken as
    /// a level, and said so.
    Unstated,
}

impl Unit {
    /// Whether this unit measures a level or a rate.
    pub fn nature(self) -> Nature {
        match self.measure {
            Measure::Named("percent" | "pp" | "ratio") => Nature::Rate,
            Measure::Named("unspecified") => Nature::Unstated,
            Measure::Named(_) | Measure::Currency(_) => Nature::Level,
        }
    }

    /// The unit without its scale: `CNY` for `CNY billion`, `count` for `count million`.
    pub fn base(self) -> &'static str {
        match self.measure {
            Measure::Named(name) => name,
            Measure::Currency(currency) => currency.code(),
        }
    }

    /// How many base units one of this unit is: a billion for `USD billion`, else 1.
    pub fn scale(self) -> Decimal {
        self.scale.map_or(Decimal::ONE, |(_, n)| Decimal::from(n))
    }

    /// Every measure that is not a currency, with what it is, for help and errors.
    #[cfg(test)]
    pub fn measures() -> &'static [(&'static str, &'static str)] {
        MEASURES
    }
}

impl FromStr for Unit {
    type Err = UnitError;

    /// Reads a unit exactly as written in the list (case included: `CNY`, not `cny`).
    fn from_str(text: &str) -> Result<Unit, UnitError> {
        let refused = || UnitError { text: text.to_string(), suggestion: suggest(text) };
        let mut words = text.split(' ');
        let word = words.next().unwrap_or_default();
        let measure = match MEASURES.iter().find(|(name, _)| *name == word) {
            Some((name, _)) => Measure::Named(name),
            None => Measure::Currency(Currency::from_code(word).ok_or_else(refused)?),
        };
        let scale = match words.next() {
            None => None,
            Some(word) => {
                let scalable = matches!(measure, Measure::Currency(_) | Measure::Named("count"));
                let scale = SCALES.iter().find(|(name, _)| *name == word).filter(|_| scalable);
                Some(*scale.ok_or_else(refused)?)
            }
        };
        if words.next().is_some() {
            return Err(refused());
        }
        Ok(Unit { measure, scale })
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.measure {
            Measure::Named(name) => f.write_str(name)?,
            Measure::Currency(currency) => f.write_str(currency.code())?,
        }
        if let Some((scale, _)) = self.scale {
            write!(f, " {scale}")?;
        }
        Ok(())
    }
}

/// The unit `text` most likely means, word by word: a synonym, a currency code in the
/// wrong case, or the nearest name by edit distance.
fn suggest(text: &str) -> Option<String> {
    let words: Vec<String> = text.split_whitespace().map(suggest_word).collect::<Option<_>>()?;
    let suggestion = words.join(" ");
    (suggestion != text && suggestion.parse::<Unit>().is_ok()).then_some(suggestion)
}

fn suggest_word(word: &str) -> Option<String> {
    let lowered = word.to_lowercase();
    if let Some((_, name)) = SYNONYMS.iter().find(|(synonym, _)| *synonym == lowered) {
        return Some(name.to_string());
    }
    let names = MEASURES.iter().map(|(name, _)| *name).chain(SCALES.iter().map(|(name, _)| *name));
    if let Some(name) = names.clone().find(|name| *name == lowered) {
        return Some(name.to_string());
    }
    let upper = word.to_uppercase();
    if Currency::from_code(&upper).is_some() {
        return Some(upper);
    }
    let limit = (lowered.chars().count() / 3).max(1);
    names
        .map(|name| (strsim::osa_distance(&lowered, name), name))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, name)| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_listed_unit_and_writes_it_back() {
        for text in ["percent", "ratio", "count", "index", "years", "months", "days", "nm", "CNY", "USD", "EUR", "JPY"]
            .into_iter()
            .chain(["USD billion", "CNY million", "count thousand", "EUR trillion"])
        {
            let unit: Unit = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(unit.to_string(), text);
        }
        assert_eq!("USD billion".parse::<Unit>().unwrap().scale(), Decimal::from(1_000_000_000u64));
        assert_eq!("USD".parse::<Unit>().unwrap().scale(), Decimal::ONE);
    }

    #[test]
    fn refuses_free_text_with_the_choices_and_a_guess() {
        for (text, suggestion) in [
            ("percentage", Some("percent")),
            ("Percent", Some("percent")),
            ("pct", Some("percent")),
            ("usd", Some("USD")),
            ("USD bn", Some("USD billion")),
            ("yuan", Some("CNY")),
            ("ratoi", Some("ratio")),
            ("nanometres", Some("nm")),
            ("percent billion", None),
            ("XYZ", None),
            ("USD  billion", Some("USD billion")),
            ("", None),
        ] {
            let err = text.parse::<Unit>().unwrap_err();
            assert_eq!(err.suggestion.as_deref(), suggestion, "{text}");
            let message = err.to_string();
            assert!(
                message.contains("use percent, ratio, pp, count, index") && message.contains("ISO 4217"),
                "{message}"
            );
        }
        let message = "percentage".parse::<Unit>().unwrap_err().to_string();
        assert!(message.ends_with("(did you mean \"percent\"?)"), "{message}");
    }

    #[test]
    fn levels_and_rates_are_told_apart_by_the_unit() {
        let nature = |text: &str| text.parse::<Unit>().unwrap().nature();
        for level in ["USD", "CNY billion", "national-currency", "count", "count million", "index", "years", "nm"] {
            assert_eq!(nature(level), Nature::Level, "{level}");
        }
        for rate in ["percent", "pp", "ratio"] {
            assert_eq!(nature(rate), Nature::Rate, "{rate}");
        }
        assert_eq!(nature("unspecified"), Nature::Unstated);
        // Every named measure is decided on purpose: a new one fails here until it is.
        let decided = [
            "percent",
            "ratio",
            "pp",
            "count",
            "index",
            "years",
            "months",
            "days",
            "nm",
            "national-currency",
            "unspecified",
        ];
        let named: Vec<&str> = Unit::measures().iter().map(|(name, _)| *name).collect();
        assert_eq!(named, decided);
    }
}
