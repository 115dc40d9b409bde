//! FRED's unit transforms (lin, chg, ch1, pch, pc1, pca, cch, cca, log) and frequency
//! aggregation (avg, sum, eop), computed on exact decimals over one series' view.
//!
//! The order is FRED's: aggregation first, then the transform. `lin`, `chg` and `ch1` are
//! exact differences. The others divide, raise to a power or take a logarithm: they are
//! computed with rust_decimal's 28-digit arithmetic, whose error on the unrounded result is
//! below 10^-20 (see `the_maths_is_good_to_twenty_places`), and shown rounded to
//! [`SHOWN_PLACES`] decimal places, half away from zero, as FRED prints them. An aggregate
//! keeps the series' own number of decimals (FRED's rule), rounded the same way.
//!
//! A series here is a view: one value per period (the caller picks each period's latest
//! vintage as of a date). A period whose lagged point is missing from the view, or whose
//! level is zero or negative where a ratio or logarithm needs it positive, has no value:
//! FRED shows `.` there, and econtrack leaves the period out and counts it.

use crate::domain::period::Period;
use crate::domain::unit::Unit;
use crate::domain::value::{Bound, canonical};
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::{Decimal, MathematicalOps, RoundingStrategy};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Decimal places a ratio, power or logarithm is shown to: FRED's graph downloads print
/// `pch`, `pc1`, `pca`, `cch`, `cca` and `log` columns with five (`GDPC1_PCH` -0.26522).
pub const SHOWN_PLACES: i32 = 5;

/// FRED's `units` codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Units {
    Lin,
    Chg,
    Ch1,
    Pch,
    Pc1,
    Pca,
    Cch,
    Cca,
    Log,
}

impl Units {
    pub const ALL: [Units; 9] =
        [Units::Lin, Units::Chg, Units::Ch1, Units::Pch, Units::Pc1, Units::Pca, Units::Cch, Units::Cca, Units::Log];

    pub fn code(self) -> &'static str {
        match self {
            Units::Lin => "lin",
            Units::Chg => "chg",
            Units::Ch1 => "ch1",
            Units::Pch => "pch",
            Units::Pc1 => "pc1",
            Units::Pca => "pca",
            Units::Cch => "cch",
            Units::Cca => "cca",
            Units::Log => "log",
        }
    }

    /// FRED's name for the transform.
    pub fn meaning(self) -> &'static str {
        match self {
            Units::Lin => "levels",
            Units::Chg => "change",
            Units::Ch1 => "change from a year ago",
            Units::Pch => "percent change",
            Units::Pc1 => "percent change from a year ago",
            Units::Pca => "compounded annual rate of change",
            Units::Cch => "continuously compounded rate of change",
            Units::Cca => "continuously compounded annual rate of change",
            Units::Log => "natural log",
        }
    }

    /// Whether the result is an exact difference (no rounding at all).
    pub fn is_exact(self) -> bool {
        matches!(self, Units::Lin | Units::Chg | Units::Ch1)
    }

    /// Whether the transform makes sense only of a level (a ratio or logarithm of it).
    fn needs_level(self) -> bool {
        !self.is_exact()
    }
}

impl fmt::Display for Units {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Units {
    type Err = TransformError;
    fn from_str(text: &str) -> Result<Units, TransformError> {
        Units::ALL.into_iter().find(|u| u.code() == text).ok_or_else(|| TransformError::UnknownUnits(text.to_string()))
    }
}

/// The frequency a series is aggregated to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Frequency {
    Annual,
    Quarterly,
    Monthly,
}

impl Frequency {
    pub fn code(self) -> &'static str {
        match self {
            Frequency::Annual => "a",
            Frequency::Quarterly => "q",
            Frequency::Monthly => "m",
        }
    }

    fn native(self) -> Native {
        match self {
            Frequency::Annual => Native::Annual,
            Frequency::Quarterly => Native::Quarterly,
            Frequency::Monthly => Native::Monthly,
        }
    }

    /// The period of this frequency that holds `date`.
    fn period_of(self, date: NaiveDate) -> Period {
        let period = match self {
            Frequency::Annual => Period::of_year(date.year()),
            Frequency::Quarterly => Period::of_quarter(date.year(), date.month0() / 3 + 1),
            Frequency::Monthly => Period::of_month(date.year(), date.month()),
        };
        period.expect("a stored period's date is in econtrack's years")
    }
}

/// How the observations of a period become one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Aggregate {
    #[default]
    Avg,
    Sum,
    Eop,
}

impl Aggregate {
    pub fn code(self) -> &'static str {
        match self {
            Aggregate::Avg => "avg",
            Aggregate::Sum => "sum",
            Aggregate::Eop => "eop",
        }
    }
}

/// A series' own frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Native {
    Annual,
    Quarterly,
    Monthly,
    Weekly,
    Daily,
}

impl Native {
    /// Observations per year, FRED's n.
    pub fn per_year(self) -> u32 {
        match self {
            Native::Annual => 1,
            Native::Quarterly => 4,
            Native::Monthly => 12,
            Native::Weekly => 52,
            Native::Daily => 260,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Native::Annual => "annual",
            Native::Quarterly => "quarterly",
            Native::Monthly => "monthly",
            Native::Weekly => "weekly",
            Native::Daily => "daily",
        }
    }

    /// FRED's minimum number of observations for a first or last period of `to` made of
    /// this frequency. FRED lists m→q 3, m→a 12, q→a 4, w→m 3, w→a 39, d→m 17, d→a 208; it
    /// lists none for w→q and d→q, where econtrack asks for 10 of 13 weeks and 52 of 65
    /// days (the three quarters and four fifths the listed ones ask for).
    fn minimum(self, to: Frequency) -> usize {
        match (self, to) {
            (Native::Monthly, Frequency::Quarterly) => 3,
            (Native::Monthly, Frequency::Annual) => 12,
            (Native::Quarterly, Frequency::Annual) => 4,
            (Native::Weekly, Frequency::Monthly) => 3,
            (Native::Weekly, Frequency::Quarterly) => 10,
            (Native::Weekly, Frequency::Annual) => 39,
            (Native::Daily, Frequency::Monthly) => 17,
            (Native::Daily, Frequency::Quarterly) => 52,
            (Native::Daily, Frequency::Annual) => 208,
            _ => 1,
        }
    }
}

pub use crate::domain::unit::Nature;

/// The nature of a unit as econtrack writes it (`domain::unit`); a text that is not a known
/// unit (a database written by hand) is taken as unstated.
pub fn nature(unit: &str) -> Nature {
    unit.parse::<Unit>().map_or(Nature::Unstated, Unit::nature)
}

/// The unit of a transformed value: a change keeps the unit (a change of a percent is in
/// percentage points), a growth rate is a percent, a logarithm is the log of the unit.
pub fn result_unit(units: Units, unit: &str) -> String {
    match units {
        Units::Lin => unit.to_string(),
        Units::Chg | Units::Ch1 if unit == "percent" => "pp".to_string(),
        Units::Chg | Units::Ch1 => unit.to_string(),
        Units::Pch | Units::Pc1 | Units::Pca | Units::Cch | Units::Cca => "percent".to_string(),
        Units::Log => format!("ln({unit})"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransformError {
    #[error("bad units \"{0}\": use one of lin, chg, ch1, pch, pc1, pca, cch, cca, log (FRED's codes)")]
    UnknownUnits(String),
    #[error(
        "cannot take {units} ({meaning}) of {indicator}: its values are already a rate (unit {unit}), not a level; use chg or ch1 for its change in {change_unit}"
    , meaning = units.meaning(), change_unit = result_unit(Units::Chg, unit))]
    NotALevel { units: Units, indicator: String, unit: String },
    #[error(
        "cannot take {units} of {indicator} {period}: the value is {bound}, not an exact level; transforms apply to exact values only (list it without --units)"
    )]
    NotExact { units: Units, indicator: String, period: Period, bound: Bound },
    #[error("cannot aggregate a {from} series to {to}: --frequency must be coarser than the series' own")]
    NotCoarser { from: &'static str, to: &'static str },
    #[error(
        "cannot tell the frequency of a series that mixes periods {first} and {second}: list it without --units and --frequency"
    )]
    MixedPeriods { first: Period, second: Period },
    #[error(
        "cannot tell the frequency of a series of days {days} days apart: econtrack knows daily and weekly series of days"
    )]
    UnevenDays { days: i64 },
}

/// One period's value in a view (or an aggregate, or a transform of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub period: Period,
    pub value: Decimal,
}

/// Refuses a transform that makes no sense of `indicator`'s values: a ratio or logarithm
/// of a rate. `lin` applies to anything; the exactness of each value is checked by
/// [`check_bound`].
pub fn check_unit(units: Units, indicator: &str, unit: &str) -> Result<(), TransformError> {
    if units.needs_level() && nature(unit) == Nature::Rate {
        return Err(TransformError::NotALevel { units, indicator: indicator.to_string(), unit: unit.to_string() });
    }
    Ok(())
}

/// Refuses a transform of a bounded value (approx, at-least, at-most, a range): it is not
/// a level the formulas can take.
pub fn check_bound(units: Units, indicator: &str, period: Period, bound: Bound) -> Result<(), TransformError> {
    if units != Units::Lin && bound != Bound::Exact {
        return Err(TransformError::NotExact { units, indicator: indicator.to_string(), period, bound });
    }
    Ok(())
}

/// The series' own frequency, from its periods (in order). Days are weekly when no two are
/// closer than seven days and some two are seven apart, daily when some two are closer.
pub fn native(points: &[Point]) -> Result<Native, TransformError> {
    let Some(first) = points.first() else { return Ok(Native::Annual) };
    let grain = |p: Period| {
        if Period::of_year(p.year()) == Some(p) {
            Native::Annual
        } else if Period::of_quarter(p.year(), p.start().month0() / 3 + 1) == Some(p) {
            Native::Quarterly
        } else if Period::of_month(p.year(), p.start().month()) == Some(p) {
            Native::Monthly
        } else {
            Native::Daily
        }
    };
    let kind = grain(first.period);
    if let Some(other) = points.iter().find(|p| grain(p.period) != kind) {
        return Err(TransformError::MixedPeriods { first: first.period, second: other.period });
    }
    if kind != Native::Daily {
        return Ok(kind);
    }
    let closest = points.windows(2).map(|w| (w[1].period.start() - w[0].period.start()).num_days()).min();
    match closest {
        None | Some(1..=6) => Ok(Native::Daily),
        Some(7) => Ok(Native::Weekly),
        Some(days) => Err(TransformError::UnevenDays { days }),
    }
}

/// The decimal places of a series: the most any of its values shows, negative when every
/// value ends in zeros before the point. A value imported from `10029.510` billions is
/// stored as 10029510000000 dollars, so a series of them counts -6 places, the millions
/// its source printed (thousandths of a billion). Stored values drop trailing zeros, so a
/// series whose every value ends in 0 counts one place fewer than its source printed.
pub fn places(points: &[Point]) -> i32 {
    let shown = |value: Decimal| -> Option<i32> {
        let value = canonical(value);
        if value.is_zero() {
            return None;
        }
        if value.scale() > 0 {
            return i32::try_from(value.scale()).ok();
        }
        let mut mantissa = value.mantissa().unsigned_abs();
        let mut zeros = 0;
        while mantissa.is_multiple_of(10) {
            mantissa /= 10;
            zeros += 1;
        }
        Some(-zeros)
    };
    points.iter().filter_map(|p| shown(p.value)).max().unwrap_or(0)
}

/// `value` rounded half away from zero to `places` decimal places (to tens, hundreds, …
/// when negative).
fn round(value: Decimal, places: i32) -> Decimal {
    let strategy = RoundingStrategy::MidpointAwayFromZero;
    if places >= 0 {
        return canonical(value.round_dp_with_strategy(places.unsigned_abs(), strategy));
    }
    let unit = Decimal::TEN.powu(u64::from(places.unsigned_abs()));
    canonical((value / unit).round_dp_with_strategy(0, strategy) * unit)
}

/// Aggregates a view (in period order) to `to`, FRED's way: each observation counts in
/// the period holding its date (a week dated 2010-09-03 counts in September); missing
/// observations inside a period are skipped; a first or last period with fewer
/// observations than FRED's minimum is dropped; an average keeps the series' decimals.
pub fn aggregate(points: &[Point], to: Frequency, how: Aggregate) -> Result<Vec<Point>, TransformError> {
    let from = native(points)?;
    if from == to.native() {
        return Ok(points.to_vec());
    }
    if from < to.native() {
        return Err(TransformError::NotCoarser { from: from.name(), to: to.native().name() });
    }
    let places = places(points);
    let mut groups: Vec<(Period, Vec<Decimal>)> = Vec::new();
    for point in points {
        let period = to.period_of(point.period.start());
        match groups.last_mut() {
            Some((last, values)) if *last == period => values.push(point.value),
            _ => groups.push((period, vec![point.value])),
        }
    }
    let minimum = from.minimum(to);
    let last = groups.len().saturating_sub(1);
    Ok(groups
        .into_iter()
        .enumerate()
        .filter(|(i, (_, values))| !((*i == 0 || *i == last) && values.len() < minimum))
        .map(|(_, (period, values))| {
            let value = match how {
                Aggregate::Sum => values.iter().sum(),
                Aggregate::Eop => *values.last().expect("a group has a value"),
                Aggregate::Avg => {
                    let count = Decimal::from(values.len());
                    round(values.iter().sum::<Decimal>() / count, places)
                }
            };
            Point { period, value: canonical(value) }
        })
        .collect())
}

/// What a transform gave one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Value(Decimal),
    /// The lagged period is not in the view.
    NoLag,
    /// A ratio or logarithm of a zero or negative level.
    NotPositive,
}

/// Transforms a view (one value per period, in period order) whose own frequency is
/// `native`: one outcome per period. Months, quarters and years lag by the calendar (the
/// period before, the same period a year before); weeks and days by position (FRED's
/// x(t−1) and x(t−n) with n 52 or 260).
pub fn transform(points: &[Point], native: Native, units: Units) -> Vec<(Period, Outcome)> {
    let n = native.per_year();
    let by_period: std::collections::HashMap<Period, Decimal> = points.iter().map(|p| (p.period, p.value)).collect();
    let lagged = |index: usize, steps: u32| -> Option<Decimal> {
        match native {
            Native::Weekly | Native::Daily => index.checked_sub(steps as usize).map(|i| points[i].value),
            _ => {
                let months = 12 / n * steps;
                let start = points[index].period.start().checked_sub_months(Months::new(months))?;
                let period = match native {
                    Native::Annual => Period::of_year(start.year()),
                    Native::Quarterly => Period::of_quarter(start.year(), start.month0() / 3 + 1),
                    _ => Period::of_month(start.year(), start.month()),
                }?;
                by_period.get(&period).copied()
            }
        }
    };
    points
        .iter()
        .enumerate()
        .map(|(index, point)| {
            let x = point.value;
            let lag_steps = match units {
                Units::Lin | Units::Log => None,
                Units::Ch1 | Units::Pc1 => Some(n),
                _ => Some(1),
            };
            let previous = match lag_steps {
                None => None,
                Some(steps) => match lagged(index, steps) {
                    Some(value) => Some(value),
                    None => return (point.period, Outcome::NoLag),
                },
            };
            (point.period, compute(units, x, previous, n))
        })
        .collect()
}

/// One transform of `x` against its lagged value.
fn compute(units: Units, x: Decimal, previous: Option<Decimal>, n: u32) -> Outcome {
    let hundred = Decimal::ONE_HUNDRED;
    let lag = previous.unwrap_or_default();
    let positive = x > Decimal::ZERO && (previous.is_none() || lag > Decimal::ZERO);
    let shown = |value: Option<Decimal>| match value {
        Some(value) => Outcome::Value(round(value, SHOWN_PLACES)),
        // Only an overflow gets here (a ratio beyond 10^28): no value, as for a zero.
        None => Outcome::NotPositive,
    };
    match units {
        Units::Lin => Outcome::Value(canonical(x)),
        Units::Chg | Units::Ch1 => Outcome::Value(canonical(x - lag)),
        _ if !positive => Outcome::NotPositive,
        Units::Pch | Units::Pc1 => shown(x.checked_div(lag).map(|r| (r - Decimal::ONE) * hundred)),
        Units::Pca => shown(
            x.checked_div(lag)
                .and_then(|r| r.checked_powu(u64::from(n)))
                .and_then(|p| (p - Decimal::ONE).checked_mul(hundred)),
        ),
        // ln x(t) − ln x(t−1) as the logarithm of the ratio, which loses no digits to the
        // subtraction of two nearly equal logarithms.
        Units::Cch => shown(x.checked_div(lag).and_then(|r| r.checked_ln()).map(|l| l * hundred)),
        Units::Cca => shown(x.checked_div(lag).and_then(|r| r.checked_ln()).map(|l| l * hundred * Decimal::from(n))),
        Units::Log => shown(x.checked_ln()),
    }
}

/// What is asked of a series: an optional aggregation, then a transform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub units: Units,
    pub frequency: Option<Frequency>,
    pub aggregate: Aggregate,
}

impl Request {
    /// The statement printed with every output that uses it:
    /// `units: pc1 (percent change from a year ago)`, and the aggregation if any.
    pub fn statement(&self) -> String {
        let mut text = format!("units: {} ({})", self.units, self.units.meaning());
        if let Some(frequency) = self.frequency {
            text.push_str(&format!(
                "; frequency: {} ({}), aggregated by {} first",
                frequency.code(),
                frequency.native().name(),
                self.aggregate.code()
            ));
        }
        text
    }
}

/// A view aggregated and transformed: one outcome per period, and the frequency the
/// transform took its n from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub outcomes: Vec<(Period, Outcome)>,
    pub frequency: Native,
}

/// Aggregates (if asked) and transforms a view, in FRED's order.
pub fn apply(view: &[Point], request: Request) -> Result<Applied, TransformError> {
    let aggregated;
    let points = match request.frequency {
        Some(to) => {
            aggregated = aggregate(view, to, request.aggregate)?;
            &aggregated[..]
        }
        None => view,
    };
    let frequency = match request.frequency {
        Some(to) => to.native(),
        None => native(points)?,
    };
    Ok(Applied { outcomes: transform(points, frequency, request.units), frequency })
}

/// One published value of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vintage {
    pub period: Period,
    pub published: NaiveDate,
    pub value: Decimal,
}

/// The series as it stood on `as_of`: each period's latest value published on or before
/// it, in period order (ALFRED's real-time view). A value published later never enters.
pub fn view_as_of(vintages: &[Vintage], as_of: NaiveDate) -> Vec<(Point, NaiveDate)> {
    let mut latest: BTreeMap<Period, (NaiveDate, Decimal)> = BTreeMap::new();
    for v in vintages.iter().filter(|v| v.published <= as_of) {
        let entry = latest.entry(v.period).or_insert((v.published, v.value));
        if v.published >= entry.0 {
            *entry = (v.published, v.value);
        }
    }
    let mut view: Vec<(Point, NaiveDate)> =
        latest.into_iter().map(|(period, (published, value))| (Point { period, value }, published)).collect();
    view.sort_by_key(|(point, _)| point.period.start());
    view
}

/// A source's own view with the periods it leaves out taken from another view (the
/// actuals as of the same date), so that a forecast's base is the same source's forecast of
/// the earlier period when it made one, else the outcome published by then. Both views are
/// in period order; periods of another grain than `own`'s (quarters beside years) are not
/// taken: a base must be of the series' own frequency.
pub fn with_bases(own: &[Point], others: &[Point]) -> Vec<Point> {
    let grain = |points: &[Point]| native(points).ok();
    if own.is_empty() || grain(own) != grain(others) {
        return own.to_vec();
    }
    let taken: std::collections::HashSet<Period> = own.iter().map(|p| p.period).collect();
    let mut merged: Vec<Point> =
        own.iter().chain(others.iter().filter(|p| !taken.contains(&p.period))).copied().collect();
    merged.sort_by_key(|p| p.period.start());
    merged
}

/// A transformed value that appeared or changed on a publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub published: NaiveDate,
    pub period: Period,
    pub value: Decimal,
    /// The value this period had in the view before, if it had one.
    pub previous: Option<Decimal>,
}

/// The transformed history of a series: at each date something was published, the view
/// as of that date is transformed, and every period whose value is new or different from
/// the view before is listed. A revision of one quarter thus shows up, on its publication
/// date, in that quarter and in those whose lag it is, and nowhere earlier.
pub fn history(vintages: &[Vintage], request: Request) -> Result<Vec<Change>, TransformError> {
    let mut dates: Vec<NaiveDate> = vintages.iter().map(|v| v.published).collect();
    dates.sort();
    dates.dedup();
    let mut shown: BTreeMap<Period, Decimal> = BTreeMap::new();
    let mut changes = Vec::new();
    for date in dates {
        let view: Vec<Point> = view_as_of(vintages, date).into_iter().map(|(point, _)| point).collect();
        for (period, outcome) in apply(&view, request)?.outcomes {
            let Outcome::Value(value) = outcome else { continue };
            let previous = shown.insert(period, value);
            if previous != Some(value) {
                changes.push(Change { published: date, period, value, previous });
            }
        }
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn p(text: &str) -> Period {
        text.parse().unwrap()
    }

    fn series(rows: &[(&str, &str)]) -> Vec<Point> {
        rows.iter().map(|(period, value)| Point { period: p(period), value: d(value) }).collect()
    }

    fn shown(outcomes: Vec<(Period, Outcome)>) -> Vec<(String, String)> {
        outcomes
            .into_iter()
            .map(|(period, outcome)| {
                let text = match outcome {
                    Outcome::Value(v) => v.to_string(),
                    Outcome::NoLag => "no lag".to_string(),
                    Outcome::NotPositive => "not positive".to_string(),
                };
                (period.to_string(), text)
            })
            .collect()
    }

    /// Real GDP (GDPC1, FRED's 2025 vintage) 1947-Q1 to 1948-Q2 and its transforms, checked by
    /// hand with bc -l at 40 digits, then rounded to five places half away from zero.
    #[test]
    fn every_code_on_a_quarterly_level() {
        let gdp = series(&[
            ("1947-Q1", "2182.681"),
            ("1947-Q2", "2176.892"),
            ("1947-Q3", "2172.432"),
            ("1947-Q4", "2206.452"),
            ("1948-Q1", "2239.682"),
            ("1948-Q2", "2276.690"),
        ]);
        let table: &[(Units, &[&str])] = &[
            (Units::Lin, &["2182.681", "2176.892", "2172.432", "2206.452", "2239.682", "2276.69"]),
            (Units::Chg, &["no lag", "-5.789", "-4.46", "34.02", "33.23", "37.008"]),
            (Units::Ch1, &["no lag", "no lag", "no lag", "no lag", "57.001", "99.798"]),
            (Units::Pch, &["no lag", "-0.26522", "-0.20488", "1.56599", "1.50604", "1.65238"]),
            (Units::Pc1, &["no lag", "no lag", "no lag", "no lag", "2.61151", "4.58443"]),
            (Units::Pca, &["no lag", "-1.05668", "-0.817", "6.41263", "6.16161", "6.77514"]),
            (Units::Cch, &["no lag", "-0.26558", "-0.20509", "1.55385", "1.49481", "1.63887"]),
            (Units::Cca, &["no lag", "-1.06231", "-0.82036", "6.21541", "5.97924", "6.5555"]),
            (Units::Log, &["7.68831", "7.68565", "7.6836", "7.69914", "7.71409", "7.73048"]),
        ];
        for (units, expected) in table {
            let got = shown(transform(&gdp, Native::Quarterly, *units));
            let values: Vec<&str> = got.iter().map(|(_, v)| v.as_str()).collect();
            assert_eq!(&values, expected, "{units}");
        }
    }

    #[test]
    fn monthly_and_annual_lags_follow_the_calendar() {
        let cpi = series(&[("2023-01", "300"), ("2023-02", "301.5"), ("2024-01", "309"), ("2024-03", "310")]);
        let got = shown(transform(&cpi, Native::Monthly, Units::Pc1));
        assert_eq!(got[2], ("2024-01".to_string(), "3".to_string()));
        // 2023-03 is not in the view: no value, never one from another month.
        assert_eq!(got[3], ("2024-03".to_string(), "no lag".to_string()));
        let got = shown(transform(&cpi, Native::Monthly, Units::Chg));
        assert_eq!(got[1].1, "1.5");
        assert_eq!(got[2].1, "no lag", "2023-12 is missing");
        let years = series(&[("2020", "100"), ("2021", "104"), ("2023", "110")]);
        let got = shown(transform(&years, Native::Annual, Units::Pch));
        assert_eq!(got.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(), ["no lag", "4", "no lag"]);
        assert_eq!(shown(transform(&years, Native::Annual, Units::Pca))[1].1, "4", "n = 1: pca is pch");
    }

    #[test]
    fn a_zero_or_negative_level_has_no_ratio_and_no_logarithm() {
        let odd = series(&[("2020", "0"), ("2021", "5"), ("2022", "-5"), ("2023", "10")]);
        for units in [Units::Pch, Units::Pca, Units::Cch, Units::Cca] {
            let got = shown(transform(&odd, Native::Annual, units));
            assert_eq!(
                got.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(),
                ["no lag", "not positive", "not positive", "not positive"],
                "{units}"
            );
        }
        let got = shown(transform(&odd, Native::Annual, Units::Log));
        assert_eq!(
            got.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(),
            ["not positive", "1.60944", "not positive", "2.30259"]
        );
        // Differences need no sign.
        let got = shown(transform(&odd, Native::Annual, Units::Chg));
        assert_eq!(got.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(), ["no lag", "5", "-10", "15"]);
    }

    #[test]
    fn weeks_and_days_lag_by_position() {
        let weeks: Vec<Point> = (0..54)
            .map(|i| Point {
                period: Period::of_day(chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap() + chrono::Days::new(7 * i))
                    .unwrap(),
                value: Decimal::from(100 + i),
            })
            .collect();
        assert_eq!(native(&weeks), Ok(Native::Weekly));
        let got = shown(transform(&weeks, Native::Weekly, Units::Pc1));
        assert_eq!(got[51].1, "no lag");
        assert_eq!(got[52].1, "52", "152 against 100, 52 weeks before");
        assert_eq!(got[53].1, "51.48515", "153 / 101");
        let got = shown(transform(&weeks, Native::Weekly, Units::Chg));
        assert_eq!(got[1].1, "1");
    }

    #[test]
    fn the_frequency_is_read_from_the_periods() {
        assert_eq!(native(&series(&[("2020-Q1", "1"), ("2020-Q2", "1")])), Ok(Native::Quarterly));
        assert_eq!(native(&series(&[("2020-01", "1")])), Ok(Native::Monthly));
        assert_eq!(native(&series(&[("2020-01-02", "1"), ("2020-01-03", "1")])), Ok(Native::Daily));
        assert!(matches!(
            native(&series(&[("2020-01-01", "1"), ("2020-01-15", "1")])),
            Err(TransformError::UnevenDays { days: 14 })
        ));
        assert!(matches!(
            native(&series(&[("2020", "1"), ("2020-Q1", "1")])),
            Err(TransformError::MixedPeriods { .. })
        ));
    }

    /// FRED's own example: monthly 100.1, 100.4, 100.9 average to a quarterly 100.5.
    #[test]
    fn every_aggregation_on_hand_checked_numbers() {
        let months = series(&[
            ("2023-12", "99.8"),
            ("2024-01", "100.1"),
            ("2024-02", "100.4"),
            ("2024-03", "100.9"),
            ("2024-04", "101.2"),
            ("2024-06", "101.35"),
            ("2024-07", "101.5"),
            ("2024-08", "101.7"),
            ("2024-09", "101.9"),
            ("2024-10", "102"),
            ("2024-11", "102.1"),
        ]);
        let table: &[(Aggregate, &[(&str, &str)])] = &[
            // 2023-Q4 (one month) and 2024-Q4 (two) are partial first and last quarters,
            // dropped; 2024-Q2 misses May, skipped: (101.2 + 101.35) / 2 = 101.275 → 101.28.
            (Aggregate::Avg, &[("2024-Q1", "100.47"), ("2024-Q2", "101.28"), ("2024-Q3", "101.7")]),
            (Aggregate::Sum, &[("2024-Q1", "301.4"), ("2024-Q2", "202.55"), ("2024-Q3", "305.1")]),
            (Aggregate::Eop, &[("2024-Q1", "100.9"), ("2024-Q2", "101.35"), ("2024-Q3", "101.9")]),
        ];
        for (how, expected) in table {
            let got = aggregate(&months, Frequency::Quarterly, *how).unwrap();
            let got: Vec<(String, String)> = got.iter().map(|p| (p.period.to_string(), p.value.to_string())).collect();
            let expected: Vec<(String, String)> =
                expected.iter().map(|(p, v)| (p.to_string(), v.to_string())).collect();
            assert_eq!(got, expected, "{}", how.code());
        }
        let fred = series(&[("2024-01", "100.1"), ("2024-02", "100.4"), ("2024-03", "100.9")]);
        assert_eq!(aggregate(&fred, Frequency::Quarterly, Aggregate::Avg).unwrap()[0].value, d("100.5"));
    }

    #[test]
    fn quarters_to_years_need_all_four_at_the_ends() {
        let quarters = series(&[
            ("2022-Q4", "10"),
            ("2023-Q1", "10"),
            ("2023-Q2", "11"),
            ("2023-Q3", "12"),
            ("2023-Q4", "13"),
            ("2024-Q1", "14"),
            ("2024-Q2", "15"),
            ("2024-Q3", "16"),
        ]);
        let got = aggregate(&quarters, Frequency::Annual, Aggregate::Avg).unwrap();
        assert_eq!(got, series(&[("2023", "12")]), "11.5 rounds half away from zero to 12 (no decimals)");
        // Then the transform, on the aggregate.
        let years = aggregate(&quarters, Frequency::Annual, Aggregate::Sum).unwrap();
        assert_eq!(years, series(&[("2023", "46")]));
    }

    #[test]
    fn weeks_count_in_the_month_of_their_date() {
        // Weeks dated (as FRED dates them) on Fridays: 2010-09-03 counts in September.
        let dates = ["2010-08-06", "2010-08-13", "2010-08-20", "2010-08-27", "2010-09-03", "2010-09-10", "2010-09-17"];
        let weeks: Vec<Point> =
            dates.iter().enumerate().map(|(i, date)| Point { period: p(date), value: Decimal::from(i) }).collect();
        let got = aggregate(&weeks, Frequency::Monthly, Aggregate::Sum).unwrap();
        assert_eq!(got, series(&[("2010-08", "6"), ("2010-09", "15")]));
        let two = &weeks[..6];
        let got = aggregate(two, Frequency::Monthly, Aggregate::Sum).unwrap();
        assert_eq!(got, series(&[("2010-08", "6")]), "a last month of two weeks is under FRED's three");
    }

    #[test]
    fn aggregating_to_a_finer_frequency_is_refused() {
        let years = series(&[("2020", "1"), ("2021", "2")]);
        let err = aggregate(&years, Frequency::Quarterly, Aggregate::Avg).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot aggregate a annual series to quarterly: --frequency must be coarser than the series' own"
        );
        assert_eq!(aggregate(&years, Frequency::Annual, Aggregate::Avg).unwrap(), years);
    }

    #[test]
    fn a_rate_or_a_bounded_value_is_not_a_level() {
        assert!(check_unit(Units::Pc1, "gdp.real", "USD").is_ok());
        assert!(check_unit(Units::Chg, "unemployment", "percent").is_ok());
        let err = check_unit(Units::Pch, "unemployment", "percent").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot take pch (percent change) of unemployment: its values are already a rate (unit percent), not a level; use chg or ch1 for its change in pp"
        );
        assert!(check_unit(Units::Log, "x", "ratio").is_err());
        assert!(check_unit(Units::Pc1, "fred.X", "unspecified").is_ok());
        let err = check_bound(Units::Chg, "gdp.real.growth", p("2024"), Bound::Range).unwrap_err();
        assert!(err.to_string().contains("the value is range, not an exact level"), "{err}");
        assert!(check_bound(Units::Lin, "gdp.real.growth", p("2024"), Bound::Approx).is_ok());
        assert_eq!(result_unit(Units::Pch, "USD billion"), "percent");
        assert_eq!(result_unit(Units::Chg, "percent"), "pp");
        assert_eq!(result_unit(Units::Ch1, "count thousand"), "count thousand");
        assert_eq!(result_unit(Units::Log, "index"), "ln(index)");
    }

    /// rust_decimal's ln, powu and division against 40-digit values (bc -l): each within
    /// 10^-20 of the truth, far inside the 5 places shown.
    #[test]
    fn the_maths_is_good_to_twenty_places() {
        let tolerance = d("0.00000000000000000001");
        let cases = [
            (d("2").ln(), d("0.6931471805599453094172321214581765680755")),
            (d("10").ln(), d("2.3025850929940456840179914546843642076011")),
            (d("23530.909").ln(), d("10.0660701125094413111316917896135315404278")),
            (d("0.000001").ln(), d("-13.8155105579642741041079487281061852456066")),
            ((d("2176.892") / d("2182.681")).ln(), d("-0.0026557662424874448374281414695856679797")),
            (d("1.0026522").powu(260), d("1.991044095431600343723900665137228383135")),
            ((d("2206.452") / d("2172.432")).powu(4), d("1.064126285268398529420499431460278585704")),
        ];
        for (got, truth) in cases {
            assert!((got - truth).abs() < tolerance, "{got} against {truth}");
        }
    }

    fn vintage(period: &str, published: &str, value: &str) -> Vintage {
        Vintage { period: p(period), published: published.parse().unwrap(), value: d(value) }
    }

    /// A revision of 2020-Q4 published in April changes the April view of 2020-Q4 and
    /// 2021-Q1, and nothing earlier; a view never uses a value published after its date.
    #[test]
    fn a_revision_changes_its_period_and_the_next_from_its_date_on() {
        let vintages = [
            vintage("2020-Q3", "2020-10-29", "100"),
            vintage("2020-Q4", "2021-01-28", "102"),
            vintage("2021-Q1", "2021-04-29", "103"),
            vintage("2020-Q4", "2021-04-29", "101"),
        ];
        let pch = Request { units: Units::Pch, frequency: None, aggregate: Aggregate::Avg };
        let january: Vec<Point> =
            view_as_of(&vintages, "2021-03-31".parse().unwrap()).into_iter().map(|(point, _)| point).collect();
        assert_eq!(january, series(&[("2020-Q3", "100"), ("2020-Q4", "102")]), "April's values are not yet in");
        let got: Vec<(String, String, String, Option<String>)> = history(&vintages, pch)
            .unwrap()
            .into_iter()
            .map(|c| {
                (c.published.to_string(), c.period.to_string(), c.value.to_string(), c.previous.map(|v| v.to_string()))
            })
            .collect();
        let row = |date: &str, period: &str, value: &str, previous: Option<&str>| {
            (date.to_string(), period.to_string(), value.to_string(), previous.map(str::to_string))
        };
        assert_eq!(
            got,
            [
                row("2021-01-28", "2020-Q4", "2", None),
                row("2021-04-29", "2020-Q4", "1", Some("2")),
                row("2021-04-29", "2021-Q1", "1.9802", None),
            ]
        );
    }

    /// A vintage without the lagged point gives no value, never one computed from a point
    /// published later.
    #[test]
    fn a_vintage_missing_the_lagged_point_has_no_value() {
        let vintages = [
            vintage("2021-Q1", "2021-04-29", "103"),
            // 2020-Q1, the year-ago point, is published only later.
            vintage("2020-Q1", "2021-07-29", "100"),
        ];
        let pc1 = Request { units: Units::Pc1, frequency: None, aggregate: Aggregate::Avg };
        let april: Vec<Point> =
            view_as_of(&vintages, "2021-05-01".parse().unwrap()).into_iter().map(|(point, _)| point).collect();
        assert_eq!(shown(apply(&april, pc1).unwrap().outcomes), [("2021-Q1".to_string(), "no lag".to_string())]);
        let changes = history(&vintages, pc1).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!((changes[0].published.to_string(), changes[0].value), ("2021-07-29".to_string(), d("3")));
    }

    #[test]
    fn aggregation_comes_before_the_transform() {
        let months: Vec<Point> = (1..=24)
            .map(|m| Point {
                period: Period::of_month(2022 + (m - 1) / 12, (m - 1) as u32 % 12 + 1).unwrap(),
                value: Decimal::from(100 + m),
            })
            .collect();
        let request = Request { units: Units::Pc1, frequency: Some(Frequency::Annual), aggregate: Aggregate::Avg };
        let applied = apply(&months, request).unwrap();
        assert_eq!(applied.frequency, Native::Annual);
        // 2022 averages 106.5 → 107 (no decimals), 2023 118.5 → 119: 119 / 107 − 1.
        assert_eq!(
            shown(applied.outcomes),
            [("2022".to_string(), "no lag".to_string()), ("2023".to_string(), "11.21495".to_string())]
        );
        assert_eq!(
            request.statement(),
            "units: pc1 (percent change from a year ago); frequency: a (annual), aggregated by avg first"
        );
    }

    /// FRED's annual GDPC1 is the quarters' average to its three decimals of billions:
    /// 2024 is (23053.545 + 23223.906 + 23400.294 + 23530.909) / 4 = 23302.16350 → 23302.164.
    #[test]
    fn a_scaled_series_keeps_the_places_its_source_printed() {
        let quarters = series(&[
            ("2024-Q1", "23053545000000"),
            ("2024-Q2", "23223906000000"),
            ("2024-Q3", "23400294000000"),
            ("2024-Q4", "23530909000000"),
        ]);
        assert_eq!(places(&quarters), -6);
        assert_eq!(
            aggregate(&quarters, Frequency::Annual, Aggregate::Avg).unwrap(),
            series(&[("2024", "23302164000000")])
        );
        assert_eq!(places(&series(&[("2024", "100"), ("2025", "101.25")])), 2);
        assert_eq!(places(&series(&[("2024", "0"), ("2025", "1200")])), -2);
    }

    #[test]
    fn a_forecasts_base_is_its_own_forecast_else_the_actual() {
        let p = |text: &str, value: &str| Point { period: text.parse().unwrap(), value: value.parse().unwrap() };
        let own = [p("2025", "110"), p("2026", "121")];
        let actuals = [p("2023", "90"), p("2024", "100"), p("2025", "105")];
        let merged = with_bases(&own, &actuals);
        assert_eq!(merged, vec![p("2023", "90"), p("2024", "100"), p("2025", "110"), p("2026", "121")]);
        let applied =
            apply(&merged, Request { units: Units::Pc1, frequency: None, aggregate: Aggregate::Avg }).unwrap();
        let growth: BTreeMap<Period, Outcome> = applied.outcomes.into_iter().collect();
        assert_eq!(growth[&"2025".parse().unwrap()], Outcome::Value("10".parse().unwrap()), "on the 2024 actual");
        assert_eq!(growth[&"2026".parse().unwrap()], Outcome::Value("10".parse().unwrap()), "on its own 2025");
        // Quarterly actuals are not a base for annual forecasts.
        let quarters = [p("2024-Q4", "100")];
        assert_eq!(with_bases(&own, &quarters), own.to_vec());
    }
}
