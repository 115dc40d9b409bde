//! Stored values read back strictly: a column that does not hold what econtrack writes is an
//! error naming the value, never a guess.

use super::error::Corrupt;
use crate::domain::period::{Period, int_to_date};
use crate::domain::value::{Bound, Quantity};
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub fn decimal(text: &str) -> Result<Decimal, Corrupt> {
    text.parse().map_err(|_| Corrupt::Decimal(text.to_string()))
}

pub fn date(n: i64) -> Result<NaiveDate, Corrupt> {
    int_to_date(n).ok_or(Corrupt::Date(n))
}

pub fn period(key: i64) -> Result<Period, Corrupt> {
    Period::from_key(key).ok_or(Corrupt::Period(key))
}

/// A value with its bound and, for a range, its upper end.
pub fn quantity(value: &str, bound: &str, high: Option<&str>) -> Result<Quantity, Corrupt> {
    let bound: Bound = bound.parse()?;
    Ok(Quantity::new(decimal(value)?, bound, high.map(decimal).transpose()?)?)
}
