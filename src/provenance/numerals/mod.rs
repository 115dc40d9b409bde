//! Reads the numbers written in a text, in Chinese (Traditional or Simplified) or English.
//!
//! econtrack stores figures (a growth rate, a count of firms, an amount in yuan) next to
//! the clause they were taken from, and checks that each stored figure really appears in
//! its quote. Reporting writes the same value many ways: `七百億`, `70億`, `7,000,000萬`
//! and `70 billion`; `三成`, `30%`, `百分之三十` and `30 per cent`; `二○二二年`, `2022年`
//! and `in 2022`. This module turns a text into the list of numbers it states, each with
//! its scale (plain, percent, percentage points or fraction), the currency it is an amount
//! of, the bound a qualifier puts on it (`超過`, `約`, `more than`, `up to`, ...), the upper
//! end of a range (`四成至五成`, `between 4 and 5 per cent`), whether it is part of a date,
//! and the byte span it came from, so the checker can compare values instead of strings.
//!
//! The parts, each owning one concern:
//! - `reader`: the scan over a text that both languages share: where a number starts,
//!   how it is completed with its range and qualifiers, and which numbers are dates;
//! - `chinese`: Chinese numerals (positional 一百零四億, digit runs 二○二二, decimals with
//!   點 or `.`, 萬/億/兆), shares (成, 分之, 百分之, 個百分點), months and days, qualifiers;
//! - `arabic`: Arabic digits with thousands separators and decimals, ASCII or full-width;
//! - `english`: number words, multipliers (million, bn, k), per cent and percentage
//!   points, qualifiers, range words and years;
//! - `currency`: currency signs, codes and words before or after an amount.
//!
//! All arithmetic is done in [`Decimal`] with checked operations: a number too large to
//! represent is skipped as a whole, never read in pieces, and no input makes the reader
//! panic. The module does no I/O.

mod arabic;
mod chinese;
mod currency;
mod english;
mod reader;
#[cfg(test)]
mod tests;

pub use currency::Currency;

use rust_decimal::Decimal;
use std::ops::Range;

/// How a qualifier next to the number bounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    Exact,
    Approx,
    AtLeast,
    AtMost,
    Range,
}

/// How the number was written: plain, as a share (%, 成, 百分之, per cent), as a change
/// in percentage points (個百分點, percentage points, pp) or as a fraction (分之, a third).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Plain,
    Percent,
    Points,
    Fraction,
}

/// Which part of a date a number is: dates say when, never how much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    Year,
    Quarter,
    Month,
    Day,
}

impl DatePart {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePart::Year => "year",
            DatePart::Quarter => "quarter",
            DatePart::Month => "month",
            DatePart::Day => "day",
        }
    }
}

/// One number read from a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Percent: the percent number (五% -> 5, 三成 -> 30, 百分之五 -> 5, 5 per cent -> 5).
    /// Points: the change in percentage points (0.3個百分點 -> 0.3). Fraction: the ratio
    /// (三分之一 -> 1/3, half -> 0.5). Plain: the number with its multipliers applied
    /// (七百億 -> 70000000000, US$7.5bn -> 7500000000).
    pub value: Decimal,
    /// The upper end of a range (四成至五成 -> 50), on the same scale as `value`.
    pub high: Option<Decimal>,
    pub qualifier: Qualifier,
    pub scale: Scale,
    /// The currency a plain number is an amount of (元, 美元, $, yuan, RMB, ...).
    pub currency: Option<Currency>,
    /// Byte range in the input covered by the number with its qualifier, currency and
    /// range parts.
    pub span: Range<usize>,
    /// Set when the number dates something (二○二二年, in 2024, 一季度, 三月十一日, 2024-03-15).
    pub date: Option<DatePart>,
}

impl Found {
    pub fn is_date(&self) -> bool {
        self.date.is_some()
    }
}

/// Whether `c` is a digit or a numeral character of either script (5, ５, 五, 兩, 十, 萬).
pub fn is_numeral(c: char) -> bool {
    chinese::is_numeral_char(c)
}

/// Every number in `text`, in order of appearance.
pub fn read_numbers(text: &str) -> Vec<Found> {
    reader::Reader::new(text).read_all().0
}

/// Every number in `text`, and where numerals were refused as unreadable: too large,
/// written with a decimal comma (`3,5%`), split by an invisible character (`1\u{200b}000`)
/// or with more decimals than can be kept. A refused numeral is skipped whole, never read
/// in part.
pub fn read_numbers_and_refusals(text: &str) -> (Vec<Found>, Vec<usize>) {
    reader::Reader::new(text).read_all()
}

// ---------------------------------------------------------------------------
// Checked arithmetic, shared by every part

/// A number too large for `Decimal`, or one no single reading is sure of (a decimal
/// comma, an invisible character inside, decimals past what `Decimal` keeps). Its whole
/// numeral run is then skipped: reading a part of it would report a number the text
/// never states.
struct Overflow;

type Step<T> = Result<T, Overflow>;

const TEN: Decimal = Decimal::TEN;

fn add(a: Decimal, b: Decimal) -> Step<Decimal> {
    a.checked_add(b).ok_or(Overflow)
}

fn mul(a: Decimal, b: Decimal) -> Step<Decimal> {
    a.checked_mul(b).ok_or(Overflow)
}

/// 10^p for the powers that numeral units and multipliers use (at most 10^12).
fn pow10(p: u32) -> Decimal {
    Decimal::from(10u64.pow(p.min(18)))
}
