//! Stored values read back strictly: a column that does not hold what econtrack writes is an
//! error naming the value, never a guess.

use crate::exit::Failure;
use crate::period::{Period, int_to_date};
use crate::value::{Bound, Quantity};
use anyhow::Result;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A column holding what econtrack never writes: the database is at fault, not the input.
fn corrupt(message: String) -> anyhow::Error {
    Failure::Environment.because(message).into()
}

pub fn decimal(text: &str) -> Result<Decimal> {
    text.parse().map_err(|_| corrupt(format!("stored value \"{text}\" is not a decimal")))
}

pub fn date(n: i64) -> Result<NaiveDate> {
    int_to_date(n).ok_or_else(|| corrupt(format!("stored date {n} is not a date")))
}

pub fn period(key: i64) -> Result<Period> {
    Period::from_key(key).ok_or_else(|| corrupt(format!("stored period {key} is not a period")))
}

/// A value with its bound and, for a range, its upper end.
pub fn quantity(value: &str, bound: &str, high: Option<&str>) -> Result<Quantity> {
    let bound: Bound = bound.parse()?;
    Ok(Quantity::new(decimal(value)?, bound, high.map(decimal).transpose()?)?)
}
