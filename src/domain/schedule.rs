//! Repeating release schedules, declared once as a rule, that expect the dates of releases
//! no agency has announced yet (status `expected`).
//!
//! A rule is one short text, so that it fits a command line and a note:
//! - `monthly+10`, `quarterly+17`, `yearly+17`: each month's (quarter's, year's) release
//!   that many days after the period's last day (CPI ten days after the month, GDP about
//!   15-20 days after the quarter);
//! - `on:03-05` or `on:01-25,04-15,07-25,10-15`: on those days every year, for the year of
//!   the date (China's NPC targets in early March; the IMF WEO in April and October and its
//!   updates in January and July). A `02-29` falls on 28 February in a common year.
//!
//! Names stand for the usual ones: `cpi-monthly`, `gdp-quarterly`, `npc-targets`, `imf-weo`.
//! A rule expects; the agency dates. The dates are what an analyst plans a week by, not a
//! promise, and an agency's own date replaces them when imported.

use crate::domain::period::Period;
use chrono::{Datelike, Days, NaiveDate};
use std::fmt;
use std::str::FromStr;

/// The named rules, what they stand for, and why.
pub const NAMED: &[(&str, &str, &str)] = &[
    ("cpi-monthly", "monthly+10", "consumer prices about ten days after the month"),
    ("gdp-quarterly", "quarterly+17", "quarterly GDP about 15-20 days after the quarter"),
    (
        "npc-targets",
        "on:03-05",
        "China's NPC opens (and the government work report sets the year's targets) about 5 March",
    ),
    (
        "imf-weo",
        "on:01-25,04-15,07-25,10-15",
        "the IMF WEO in mid-April and mid-October, its updates in late January and July",
    ),
];

/// How often a period-after rule comes round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    Month,
    Quarter,
    Year,
}

/// A repeating schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Each period's release `days` days after its last day.
    After { every: Every, days: u32 },
    /// On these (month, day)s every year, for the year of the date.
    On(Vec<(u32, u32)>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "bad schedule rule \"{0}\": use monthly+DAYS, quarterly+DAYS, yearly+DAYS, on:MM-DD[,MM-DD...] or one of cpi-monthly, gdp-quarterly, npc-targets, imf-weo"
)]
pub struct RuleError(String);

impl FromStr for Rule {
    type Err = RuleError;

    fn from_str(text: &str) -> Result<Rule, RuleError> {
        let fail = || RuleError(text.to_string());
        let spelled = NAMED.iter().find(|(name, ..)| *name == text).map_or(text, |(_, rule, _)| rule);
        if let Some(days) = spelled.strip_prefix("on:") {
            let mut dates = Vec::new();
            for day in days.split(',') {
                let (month, day) = day.trim().split_once('-').ok_or_else(fail)?;
                let (month, day): (u32, u32) = (month.parse().map_err(|_| fail())?, day.parse().map_err(|_| fail())?);
                // 2000 is a leap year: every day of the calendar exists in it.
                NaiveDate::from_ymd_opt(2000, month, day).ok_or_else(fail)?;
                dates.push((month, day));
            }
            dates.sort_unstable();
            dates.dedup();
            return Ok(Rule::On(dates));
        }
        let (every, days) = spelled.split_once('+').ok_or_else(fail)?;
        let every = match every {
            "monthly" => Every::Month,
            "quarterly" => Every::Quarter,
            "yearly" => Every::Year,
            _ => return Err(fail()),
        };
        let days: u32 = days.parse().ok().filter(|d| *d <= 366).ok_or_else(fail)?;
        Ok(Rule::After { every, days })
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::After { every, days } => {
                let every = match every {
                    Every::Month => "monthly",
                    Every::Quarter => "quarterly",
                    Every::Year => "yearly",
                };
                write!(f, "{every}+{days}")
            }
            Rule::On(dates) => {
                let dates: Vec<String> = dates.iter().map(|(m, d)| format!("{m:02}-{d:02}")).collect();
                write!(f, "on:{}", dates.join(","))
            }
        }
    }
}

impl Rule {
    /// The (period, date) of every release the rule expects on a day from `from` to `to`
    /// (both included), by date. A period is expected once: where an `on:` rule has several
    /// days in a year (the WEO's editions), the first in the window, which is the next one
    /// to plan for; running the rule again later moves it to the next edition.
    pub fn expected(&self, from: NaiveDate, to: NaiveDate) -> Vec<(Period, NaiveDate)> {
        let mut found: Vec<(Period, NaiveDate)> = Vec::new();
        match self {
            Rule::After { every, days } => {
                // The first period that could be due on `from`: the one `days` before it.
                let first = from.checked_sub_days(Days::new(u64::from(*days) + 1)).unwrap_or(from);
                let Some(mut period) = containing(*every, first) else { return found };
                while let Some(date) = period.end().checked_add_days(Days::new(u64::from(*days))) {
                    if date > to {
                        break;
                    }
                    if date >= from {
                        found.push((period, date));
                    }
                    match period.shifted(1) {
                        Some(next) => period = next,
                        None => break,
                    }
                }
            }
            Rule::On(dates) => {
                for year in from.year()..=to.year() {
                    let Some(period) = Period::of_year(year) else { continue };
                    let first = dates
                        .iter()
                        .map(|&(month, day)| on_day(year, month, day))
                        .find(|date| *date >= from && *date <= to);
                    if let Some(date) = first {
                        found.push((period, date));
                    }
                }
            }
        }
        found
    }
}

/// The period of `every`'s grain that holds `date`.
fn containing(every: Every, date: NaiveDate) -> Option<Period> {
    match every {
        Every::Month => Period::of_month(date.year(), date.month()),
        Every::Quarter => Period::of_quarter(date.year(), date.month0() / 3 + 1),
        Every::Year => Period::of_year(date.year()),
    }
}

/// Month-day in `year`; 29 February in a common year is the 28th.
fn on_day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day)
        .or_else(|| NaiveDate::from_ymd_opt(year, month, day - 1))
        .expect("a month-day checked against a leap year exists, or its day before does")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn shown(rule: &str, from: &str, to: &str) -> Vec<String> {
        let rule: Rule = rule.parse().unwrap();
        rule.expected(d(from), d(to)).into_iter().map(|(p, date)| format!("{p} {date}")).collect()
    }

    #[test]
    fn monthly_cpi_crosses_the_year_end_and_february_of_a_leap_year() {
        assert_eq!(
            shown("cpi-monthly", "2027-12-01", "2028-03-31"),
            ["2027-11 2027-12-10", "2027-12 2028-01-10", "2028-01 2028-02-10", "2028-02 2028-03-10"]
        );
        // February's last day: the 29th in 2028, the 28th in 2027.
        assert_eq!(shown("monthly+1", "2028-03-01", "2028-03-01"), ["2028-02 2028-03-01"]);
        assert_eq!(shown("monthly+1", "2027-03-01", "2027-03-01"), ["2027-02 2027-03-01"]);
        assert_eq!(shown("monthly+1", "2027-02-28", "2027-02-28"), Vec::<String>::new());
    }

    #[test]
    fn quarterly_gdp_of_the_fourth_quarter_comes_in_the_new_year() {
        assert_eq!(
            shown("gdp-quarterly", "2026-10-01", "2027-07-31"),
            ["2026-Q3 2026-10-17", "2026-Q4 2027-01-17", "2027-Q1 2027-04-17", "2027-Q2 2027-07-17"]
        );
        // 31 December + 60 days: 1 March in a common year, 29 February in a leap year.
        assert_eq!(shown("quarterly+60", "2027-01-01", "2027-03-31"), ["2026-Q4 2027-03-01"]);
        assert_eq!(shown("quarterly+60", "2028-01-01", "2028-03-31"), ["2027-Q4 2028-02-29"]);
    }

    #[test]
    fn yearly_releases_are_of_the_year_before() {
        assert_eq!(shown("yearly+17", "2026-01-01", "2027-12-31"), ["2025 2026-01-17", "2026 2027-01-17"]);
        // 2024 was a leap year: 31 Dec 2024 + 366 days is 1 Jan 2026, not the 31 Dec.
        assert_eq!(shown("yearly+366", "2025-12-31", "2026-01-01"), ["2024 2026-01-01"]);
    }

    #[test]
    fn on_days_expect_each_year_once_the_next_edition_first() {
        assert_eq!(shown("npc-targets", "2026-06-01", "2028-06-01"), ["2027 2027-03-05", "2028 2028-03-05"]);
        assert_eq!(shown("imf-weo", "2026-01-01", "2026-12-31"), ["2026 2026-01-25"]);
        assert_eq!(shown("imf-weo", "2026-05-01", "2027-12-31"), ["2026 2026-07-25", "2027 2027-01-25"]);
        assert_eq!(shown("on:02-29", "2027-01-01", "2028-12-31"), ["2027 2027-02-28", "2028 2028-02-29"]);
    }

    #[test]
    fn rules_read_back_and_bad_ones_say_the_forms() {
        for rule in ["monthly+10", "quarterly+17", "yearly+0", "on:03-05", "on:01-25,04-15"] {
            assert_eq!(rule.parse::<Rule>().unwrap().to_string(), rule);
        }
        assert_eq!("imf-weo".parse::<Rule>().unwrap().to_string(), "on:01-25,04-15,07-25,10-15");
        for bad in ["weekly+3", "monthly+", "monthly+-1", "on:02-30", "on:13-01", "on:", "cpi"] {
            let err = bad.parse::<Rule>().unwrap_err().to_string();
            assert!(err.contains("monthly+DAYS"), "{bad}: {err}");
        }
    }
}
