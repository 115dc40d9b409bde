//! Stored values read back strictly: a column that does not hold what econtrack writes is an
//! error naming the value, never a guess.

use crate::domain::period::{Period, int_to_date};
use crate::domain::value::{Bound, Quantity, parse_canonical};
use anyhow::Result;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A column holding what econtrack never writes: the database is at fault, not the input
/// (`crate::exit` counts it an environment failure).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Corrupt {
    #[error("stored value \"{0}\" is not a decimal in canonical form")]
    Decimal(String),
    #[error("stored date {0} is not a date")]
    Date(i64),
    #[error("stored period {0} is not a period")]
    Period(i64),
}

/// A stored decimal, which econtrack writes only in canonical form (`value::canonical`):
/// `Decimal::from_str` would also take `+5`, `1_000` or `4.60`, none of which it writes.
pub fn decimal(text: &str) -> Result<Decimal> {
    Ok(parse_canonical(text).ok_or_else(|| Corrupt::Decimal(text.to_string()))?)
}

pub fn date(n: i64) -> Result<NaiveDate> {
    Ok(int_to_date(n).ok_or(Corrupt::Date(n))?)
}

pub fn period(key: i64) -> Result<Period> {
    Ok(Period::from_key(key).ok_or(Corrupt::Period(key))?)
}

/// A value with its bound and, for a range, its upper end.
pub fn quantity(value: &str, bound: &str, high: Option<&str>) -> Result<Quantity> {
    let bound: Bound = bound.parse()?;
    Ok(Quantity::new(decimal(value)?, bound, high.map(decimal).transpose()?)?)
}
