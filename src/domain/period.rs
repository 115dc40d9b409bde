//! Periods a value refers to: a year, a quarter, a month or a day.
//!
//! A period is stored as one integer key, `yyyymmdd * 10 + grain`, built from its first day
//! and its granularity. Keys order periods by start date and, for the same start, coarse
//! before fine (`2024` < `2024-Q1` < `2024-01` < `2024-01-01`); two different periods never
//! share a key, and a key decodes back to exactly one period. The integer keeps the primary
//! key of the values table compact and lets SQLite compare periods without parsing text.

use chrono::{Datelike, NaiveDate};
use std::fmt;
use std::str::FromStr;

/// A period at one of four granularities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Year(i32),
    Quarter(i32, u32),
    Month(i32, u32),
    Day(NaiveDate),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad period \"{input}\": {reason} (use YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD)")]
pub struct PeriodError {
    input: String,
    reason: String,
}

const MIN_YEAR: i32 = 1000;
const MAX_YEAR: i32 = 9999;

impl Period {
    /// The first day of the period.
    pub fn start(self) -> NaiveDate {
        let (year, month, day) = match self {
            Period::Year(y) => (y, 1, 1),
            Period::Quarter(y, q) => (y, (q - 1) * 3 + 1, 1),
            Period::Month(y, m) => (y, m, 1),
            Period::Day(d) => return d,
        };
        NaiveDate::from_ymd_opt(year, month, day).expect("validated on construction")
    }

    /// The last day of the period (a forecast's horizon runs to it).
    pub fn end(self) -> NaiveDate {
        let next_start = match self {
            Period::Year(y) => NaiveDate::from_ymd_opt(y + 1, 1, 1),
            Period::Quarter(y, 4) => NaiveDate::from_ymd_opt(y + 1, 1, 1),
            Period::Quarter(y, q) => NaiveDate::from_ymd_opt(y, q * 3 + 1, 1),
            Period::Month(y, 12) => NaiveDate::from_ymd_opt(y + 1, 1, 1),
            Period::Month(y, m) => NaiveDate::from_ymd_opt(y, m + 1, 1),
            Period::Day(d) => return d,
        };
        next_start.and_then(|d| d.pred_opt()).expect("validated on construction")
    }

    fn grain(self) -> i64 {
        match self {
            Period::Year(_) => 0,
            Period::Quarter(..) => 1,
            Period::Month(..) => 2,
            Period::Day(_) => 3,
        }
    }

    /// The integer the database stores and sorts by (see the module docs).
    pub fn key(self) -> i64 {
        date_to_int(self.start()) * 10 + self.grain()
    }

    /// The period a stored key stands for; `None` for an integer no period encodes.
    pub fn from_key(key: i64) -> Option<Period> {
        let date = int_to_date(key.div_euclid(10))?;
        let period = match key.rem_euclid(10) {
            0 if date.month() == 1 && date.day() == 1 => Period::Year(date.year()),
            1 if date.day() == 1 && (date.month() - 1) % 3 == 0 => {
                Period::Quarter(date.year(), (date.month() - 1) / 3 + 1)
            }
            2 if date.day() == 1 => Period::Month(date.year(), date.month()),
            3 => Period::Day(date),
            _ => return None,
        };
        Some(period)
    }
}

/// A date as the integer `yyyymmdd`, the form published dates are stored in.
pub fn date_to_int(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 10_000 + i64::from(date.month()) * 100 + i64::from(date.day())
}

/// The date a `yyyymmdd` integer stands for, if it is a real date in the years econtrack
/// reads and writes (1000–9999): any other integer is not one econtrack stored.
pub fn int_to_date(value: i64) -> Option<NaiveDate> {
    let year = i32::try_from(value / 10_000).ok().filter(|year| (MIN_YEAR..=MAX_YEAR).contains(year))?;
    let month = u32::try_from(value / 100 % 100).ok()?;
    let day = u32::try_from(value % 100).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad date \"{input}\": {reason} (use YYYY-MM-DD)")]
pub struct DateError {
    input: String,
    reason: &'static str,
}

/// Parses a calendar date written exactly as `YYYY-MM-DD`; nothing looser is accepted,
/// so `2024-3-5` or `05/03/2024` are errors rather than guesses.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let fail = |reason| DateError { input: input.to_string(), reason };
    let bytes = input.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return Err(fail("not in YYYY-MM-DD form"));
    }
    let year: i32 = input[0..4].parse().map_err(|_| fail("bad year"))?;
    if year < MIN_YEAR {
        return Err(fail("year before 1000"));
    }
    // The shape is checked, so the parts are digits; no format-string machinery needed.
    let month: u32 = input[5..7].parse().map_err(|_| fail("bad month"))?;
    let day: u32 = input[8..10].parse().map_err(|_| fail("bad day"))?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| fail("no such day in the calendar"))
}

fn parse_year(text: &str) -> Option<i32> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = text.parse().ok()?;
    (MIN_YEAR..=MAX_YEAR).contains(&year).then_some(year)
}

fn parse_two_digits(text: &str) -> Option<u32> {
    if text.len() != 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |reason: &str| PeriodError { input: input.to_string(), reason: reason.to_string() };
        let year_text = input.get(0..4).ok_or_else(|| fail("too short"))?;
        let year = parse_year(year_text).ok_or_else(|| fail("the year must be four digits"))?;
        let rest = &input[4..];
        if rest.is_empty() {
            return Ok(Period::Year(year));
        }
        let rest = rest.strip_prefix('-').ok_or_else(|| fail("expected '-' after the year"))?;
        if let Some(quarter) = rest.strip_prefix('q').filter(|q| matches!(*q, "1" | "2" | "3" | "4")) {
            return Err(fail(&format!("quarters are written with a capital Q, as {year}-Q{quarter}")));
        }
        if let Some(quarter) = rest.strip_prefix('Q') {
            return match quarter {
                "1" | "2" | "3" | "4" => Ok(Period::Quarter(year, quarter.parse().unwrap_or(1))),
                _ => Err(fail("the quarter must be Q1 to Q4")),
            };
        }
        match rest.len() {
            2 => {
                let month = parse_two_digits(rest).ok_or_else(|| fail("bad month"))?;
                if !(1..=12).contains(&month) {
                    return Err(fail("the month must be 01 to 12"));
                }
                Ok(Period::Month(year, month))
            }
            5 => parse_date(input).map(Period::Day).map_err(|_| fail("no such day in the calendar")),
            _ => Err(fail("unrecognised form")),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
            Period::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Period {
        text.parse().unwrap()
    }

    #[test]
    fn parses_and_displays_each_granularity() {
        for text in ["2024", "2024-Q1", "2024-Q4", "2024-03", "2024-12", "2024-03-11", "2024-02-29"] {
            assert_eq!(p(text).to_string(), text);
        }
    }

    #[test]
    fn a_lowercase_quarter_is_refused_with_the_spelling_to_use() {
        let err = "2025-q1".parse::<Period>().unwrap_err().to_string();
        assert!(err.contains("quarters are written with a capital Q, as 2025-Q1"), "{err}");
        assert!("2025-q5".parse::<Period>().is_err());
    }

    #[test]
    fn rejects_malformed_periods() {
        for bad in [
            "",
            "24",
            "2024-",
            "2024-Q0",
            "2024-Q5",
            "2024-Q",
            "2024-13",
            "2024-00",
            "2024-3",
            "2023-02-29",
            "2024-03-32",
            "2024/03",
            "abcd",
            "2024-03-1",
            " 2024",
            "2024 ",
            "0999",
            "2024-q1",
            "2024-03-11T00",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn error_names_the_input_and_the_accepted_forms() {
        let err = "2024-13".parse::<Period>().unwrap_err().to_string();
        assert!(err.contains("\"2024-13\"") && err.contains("YYYY-Qn"), "{err}");
    }

    #[test]
    fn keys_order_by_start_then_coarse_first() {
        let ordered = ["2023-12-31", "2024", "2024-Q1", "2024-01", "2024-01-01", "2024-02", "2024-Q2", "2025"];
        let keys: Vec<i64> = ordered.iter().map(|t| p(t).key()).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn keys_round_trip() {
        for text in ["1990", "2024-Q3", "2030-12", "2024-02-29", "9999-12-31"] {
            assert_eq!(Period::from_key(p(text).key()), Some(p(text)));
        }
        assert_eq!(Period::from_key(202402150), None, "a year must start on 1 January");
        assert_eq!(Period::from_key(202402011), None, "a quarter must start a quarter");
        assert_eq!(Period::from_key(202401019), None);
    }

    #[test]
    fn ends_are_last_days() {
        assert_eq!(p("2024").end().to_string(), "2024-12-31");
        assert_eq!(p("2024-Q1").end().to_string(), "2024-03-31");
        assert_eq!(p("2024-Q4").end().to_string(), "2024-12-31");
        assert_eq!(p("2024-02").end().to_string(), "2024-02-29");
        assert_eq!(p("2024-12").end().to_string(), "2024-12-31");
        assert_eq!(p("2024-03-11").end().to_string(), "2024-03-11");
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2024-03-05").is_ok());
        for bad in ["2024-3-5", "2024-03-5", "05/03/2024", "2024-02-30", "20240305", "", "0999-01-01"] {
            assert!(parse_date(bad).is_err(), "{bad:?}");
        }
        assert_eq!(date_to_int(parse_date("2024-03-05").unwrap()), 20240305);
        assert_eq!(int_to_date(20240305), parse_date("2024-03-05").ok());
        assert_eq!(int_to_date(20240230), None);
    }

    /// Found by fuzz/run.sh (target `date`, input `9992`, read as the integer 842611001):
    /// a stored integer decoded to the year 84261, a date that does not read back.
    #[test]
    fn stored_integers_decode_only_to_years_econtrack_writes() {
        assert_eq!(int_to_date(842611001), None);
        assert_eq!(int_to_date(5000101), None);
        assert_eq!(int_to_date(-20240101), None);
        assert_eq!(Period::from_key(5000101 * 10), None);
        assert_eq!(int_to_date(10000101), parse_date("1000-01-01").ok());
        assert_eq!(int_to_date(99991231), parse_date("9999-12-31").ok());
    }
}
