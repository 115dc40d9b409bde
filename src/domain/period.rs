//! Periods a value refers to: a year, a quarter, a month or a day.
//!
//! A period is stored as one integer key, `yyyymmdd * 10 + grain`, built from its first day
//! and its granularity. Keys order periods by start date and, for the same start, coarse
//! before fine (`2024` < `2024-Q1` < `2024-01` < `2024-01-01`); two different periods never
//! share a key, and a key decodes back to exactly one period. The integer keeps the primary
//! key of the values table compact and lets SQLite compare periods without parsing text.

use chrono::{Datelike, Months, NaiveDate};
use std::fmt;
use std::str::FromStr;

/// A period at one of four granularities, in the years econtrack reads and writes
/// (1000–9999). Made only by the constructors below, which refuse a period that does not
/// exist (`2024-13`, `2024-Q5`, the year 10000), so that every period has a first and a last
/// day and a key that decodes back to it.
///
/// Periods compare granularity first (every year before every quarter, then months, then
/// days) and then by start: an order for collections, not the database's key order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    grain: Grain,
    start: NaiveDate,
    end: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Grain {
    Year,
    Quarter,
    Month,
    Day,
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
    /// The period of `grain` that starts on `start` and ends the day before `next`, if both
    /// are real dates in the years econtrack reads and writes.
    fn new(
        grain: Grain,
        start: Option<NaiveDate>,
        next: impl FnOnce(NaiveDate) -> Option<NaiveDate>,
    ) -> Option<Period> {
        let start = start.filter(|d| (MIN_YEAR..=MAX_YEAR).contains(&d.year()))?;
        let end = next(start)?.pred_opt()?;
        Some(Period { grain, start, end })
    }

    /// The year `year`, if it is one of 1000–9999.
    pub fn of_year(year: i32) -> Option<Period> {
        Period::new(Grain::Year, NaiveDate::from_ymd_opt(year, 1, 1), |d| d.checked_add_months(Months::new(12)))
    }

    /// Quarter `quarter` (1–4) of `year`.
    pub fn of_quarter(year: i32, quarter: u32) -> Option<Period> {
        let month = (1..=4).contains(&quarter).then(|| (quarter - 1) * 3 + 1)?;
        Period::new(Grain::Quarter, NaiveDate::from_ymd_opt(year, month, 1), |d| d.checked_add_months(Months::new(3)))
    }

    /// Month `month` (1–12) of `year`.
    pub fn of_month(year: i32, month: u32) -> Option<Period> {
        Period::new(Grain::Month, NaiveDate::from_ymd_opt(year, month, 1), |d| d.checked_add_months(Months::new(1)))
    }

    /// The day `date`, if its year is one of 1000–9999.
    pub fn of_day(date: NaiveDate) -> Option<Period> {
        Period::new(Grain::Day, Some(date), |d| d.succ_opt())
    }

    /// The first day of the period.
    pub fn start(self) -> NaiveDate {
        self.start
    }

    /// The last day of the period (a forecast's horizon runs to it).
    pub fn end(self) -> NaiveDate {
        self.end
    }

    /// The calendar year the period starts in.
    pub fn year(self) -> i32 {
        self.start.year()
    }

    /// The period of the same grain just before this one (2024-Q1 → 2023-Q4), if it is
    /// in the years econtrack reads and writes.
    pub fn previous(self) -> Option<Period> {
        let before = self.start.pred_opt()?;
        match self.grain {
            Grain::Year => Period::of_year(before.year()),
            Grain::Quarter => Period::of_quarter(before.year(), (before.month() - 1) / 3 + 1),
            Grain::Month => Period::of_month(before.year(), before.month()),
            Grain::Day => Period::of_day(before),
        }
    }

    fn grain(self) -> i64 {
        match self.grain {
            Grain::Year => 0,
            Grain::Quarter => 1,
            Grain::Month => 2,
            Grain::Day => 3,
        }
    }

    /// The integer the database stores and sorts by (see the module docs).
    pub fn key(self) -> i64 {
        date_to_int(self.start()) * 10 + self.grain()
    }

    /// The period a stored key stands for; `None` for an integer no period encodes.
    pub fn from_key(key: i64) -> Option<Period> {
        let date = int_to_date(key.div_euclid(10))?;
        match key.rem_euclid(10) {
            0 if date.month() == 1 && date.day() == 1 => Period::of_year(date.year()),
            1 if date.day() == 1 && (date.month() - 1) % 3 == 0 => {
                Period::of_quarter(date.year(), (date.month() - 1) / 3 + 1)
            }
            2 if date.day() == 1 => Period::of_month(date.year(), date.month()),
            3 => Period::of_day(date),
            _ => None,
        }
    }
}

impl Period {
    /// The period's place on its granularity's count of periods, so that the difference of
    /// two periods of one granularity counts the periods between them: years as the year,
    /// quarters as 4·year + quarter − 1, months as 12·year + month − 1, days as days from 1 CE.
    pub fn index(self) -> i64 {
        let (year, month) = (i64::from(self.start.year()), i64::from(self.start.month()));
        match self.grain {
            Grain::Year => year,
            Grain::Quarter => 4 * year + (month - 1) / 3,
            Grain::Month => 12 * year + month - 1,
            Grain::Day => i64::from(self.start.num_days_from_ce()),
        }
    }

    /// The period of this one's granularity that holds `date`.
    pub fn containing(self, date: NaiveDate) -> Period {
        let (year, month) = (date.year(), date.month());
        let found = match self.grain {
            Grain::Year => Period::of_year(year),
            Grain::Quarter => Period::of_quarter(year, (month - 1) / 3 + 1),
            Grain::Month => Period::of_month(year, month),
            Grain::Day => Period::of_day(date),
        };
        // Every date econtrack holds lies in 1000–9999, where each of these exists.
        found.unwrap_or(self)
    }

    /// The period `count` periods of this granularity after this one (before it, for a
    /// negative count), if it lies in the years econtrack reads and writes.
    pub fn shifted(self, count: i64) -> Option<Period> {
        let index = self.index().checked_add(count)?;
        match self.grain {
            Grain::Year => Period::of_year(i32::try_from(index).ok()?),
            Grain::Quarter => Period::of_quarter(
                i32::try_from(index.div_euclid(4)).ok()?,
                u32::try_from(index.rem_euclid(4)).ok()? + 1,
            ),
            Grain::Month => Period::of_month(
                i32::try_from(index.div_euclid(12)).ok()?,
                u32::try_from(index.rem_euclid(12)).ok()? + 1,
            ),
            Grain::Day => NaiveDate::from_num_days_from_ce_opt(i32::try_from(index).ok()?).and_then(Period::of_day),
        }
    }
}

/// As the enum it once was: `Year(2024)`, `Quarter(2024, 1)`, `Month(2024, 3)`,
/// `Day(2024-03-05)`.
impl fmt::Debug for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month) = (self.start.year(), self.start.month());
        match self.grain {
            Grain::Year => f.debug_tuple("Year").field(&year).finish(),
            Grain::Quarter => f.debug_tuple("Quarter").field(&year).field(&((month - 1) / 3 + 1)).finish(),
            Grain::Month => f.debug_tuple("Month").field(&year).field(&month).finish(),
            Grain::Day => f.debug_tuple("Day").field(&self.start).finish(),
        }
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
            return Period::of_year(year).ok_or_else(|| fail("the year must be four digits"));
        }
        let rest = rest.strip_prefix('-').ok_or_else(|| fail("expected '-' after the year"))?;
        if let Some(quarter) = rest.strip_prefix('q').filter(|q| matches!(*q, "1" | "2" | "3" | "4")) {
            return Err(fail(&format!("quarters are written with a capital Q, as {year}-Q{quarter}")));
        }
        if let Some(quarter) = rest.strip_prefix('Q') {
            return match quarter {
                "1" | "2" | "3" | "4" => quarter
                    .parse()
                    .ok()
                    .and_then(|quarter| Period::of_quarter(year, quarter))
                    .ok_or_else(|| fail("the quarter must be Q1 to Q4")),
                _ => Err(fail("the quarter must be Q1 to Q4")),
            };
        }
        match rest.len() {
            2 => {
                let month = parse_two_digits(rest).ok_or_else(|| fail("bad month"))?;
                Period::of_month(year, month).ok_or_else(|| fail("the month must be 01 to 12"))
            }
            5 => parse_date(input).ok().and_then(Period::of_day).ok_or_else(|| fail("no such day in the calendar")),
            _ => Err(fail("unrecognised form")),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month) = (self.start.year(), self.start.month());
        match self.grain {
            Grain::Year => write!(f, "{year}"),
            Grain::Quarter => write!(f, "{year}-Q{}", (month - 1) / 3 + 1),
            Grain::Month => write!(f, "{year}-{month:02}"),
            Grain::Day => write!(f, "{}", self.start.format("%Y-%m-%d")),
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
    fn periods_count_on_their_own_granularity() {
        assert_eq!(p("2025-Q2").index() - p("2024-Q2").index(), 4);
        assert_eq!(p("2025-Q1").index() - p("2024-Q4").index(), 1);
        assert_eq!(p("2025-01").index() - p("2024-12").index(), 1);
        assert_eq!(p("2025").index() - p("2023").index(), 2);
        assert_eq!(p("2024-03-01").index() - p("2024-02-28").index(), 2);
        let day = parse_date("2024-05-09").unwrap();
        assert_eq!(p("2025-Q2").containing(day), p("2024-Q2"));
        assert_eq!(p("2025-01").containing(day), p("2024-05"));
        assert_eq!(p("2025").containing(day), p("2024"));
        assert_eq!(p("2024-Q4").shifted(1), Some(p("2025-Q1")));
        assert_eq!(p("2024-Q1").shifted(-1), Some(p("2023-Q4")));
        assert_eq!(p("2024-11").shifted(13), Some(p("2025-12")));
        assert_eq!(p("2024-02-28").shifted(2), Some(p("2024-03-01")));
        assert_eq!(p("9999-Q4").shifted(1), None);
    }

    #[test]
    fn the_previous_period_crosses_year_ends() {
        for (period, previous) in
            [("2025", "2024"), ("2025-Q1", "2024-Q4"), ("2025-01", "2024-12"), ("2024-03-01", "2024-02-29")]
        {
            assert_eq!(p(period).previous(), Some(p(previous)), "{period}");
        }
        assert_eq!(p("1000").previous(), None);
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

    /// A period that does not exist cannot be made, so none reaches `key`, `start` or `end`
    /// without a first and a last day.
    #[test]
    fn constructors_refuse_periods_that_do_not_exist() {
        assert_eq!(Period::of_month(2024, 13), None);
        assert_eq!(Period::of_month(2024, 0), None);
        assert_eq!(Period::of_quarter(2024, 0), None);
        assert_eq!(Period::of_quarter(2024, 5), None);
        assert_eq!(Period::of_year(999), None);
        assert_eq!(Period::of_year(10_000), None);
        assert_eq!(Period::of_year(i32::MAX), None);
        assert_eq!(Period::of_day(NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap()), None);
        assert_eq!(Period::of_day(NaiveDate::MAX), None);
        assert_eq!(Period::of_year(9999).map(Period::end), parse_date("9999-12-31").ok());
        assert_eq!(Period::of_month(2024, 12), Some(p("2024-12")));
        assert_eq!(Period::of_quarter(2024, 4), Some(p("2024-Q4")));
    }

    #[test]
    fn debug_reads_as_the_variant() {
        assert_eq!(format!("{:?}", p("2024")), "Year(2024)");
        assert_eq!(format!("{:?}", p("2024-Q3")), "Quarter(2024, 3)");
        assert_eq!(format!("{:?}", p("2024-03")), "Month(2024, 3)");
        assert_eq!(format!("{:?}", p("2024-03-05")), "Day(2024-03-05)");
    }

    /// Granularity first, then start: the order the enum `Period` had.
    #[test]
    fn periods_compare_by_granularity_then_start() {
        let ordered = ["2023", "2024", "2023-Q4", "2024-Q1", "2024-01", "2024-02", "2023-12-31", "2024-01-01"];
        let periods: Vec<Period> = ordered.iter().map(|t| p(t)).collect();
        let mut sorted = periods.clone();
        sorted.sort();
        assert_eq!(sorted, periods);
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
