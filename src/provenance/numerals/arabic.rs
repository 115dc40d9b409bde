//! Arabic digits, ASCII or full-width, with thousands separators and decimals: the
//! notation Chinese and English texts share (`1,600`, `4.6`, `１２３`).

use super::reader::Reader;
use super::{Overflow, Step, TEN, add, mul};
use rust_decimal::Decimal;

/// The decimal places a `Decimal` keeps.
const MAX_PLACES: u32 = 28;

/// `whole + fraction`, refused when `Decimal` would have to round it to fit (more than
/// 28 significant digits in all): a rounded number is a different number.
pub(super) fn add_exactly(whole: Decimal, fraction: Decimal) -> Step<Decimal> {
    let sum = add(whole, fraction)?;
    if sum.checked_sub(whole) == Some(fraction) { Ok(sum) } else { Err(Overflow) }
}

pub(super) fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// A decimal point between digits (`4.6`, `四.六`, `４．６`).
pub(super) fn is_point(c: char) -> bool {
    matches!(c, '.' | '．')
}

/// Arabic digits read with their separators and decimals.
pub(super) struct Arabic {
    pub value: Decimal,
    pub end: usize,
    /// Four plain digits between 1900 and 2100: a year if 年 follows, or by context.
    pub year_shaped: bool,
}

impl Reader<'_> {
    /// Arabic digits with thousands separators and a decimal part. A comma is a
    /// separator only before exactly three digits and after at most three, so 4,6 is
    /// two numbers.
    pub(super) fn read_arabic(&self, i: usize) -> Step<Arabic> {
        let (mut value, mut j) = self.read_arabic_run(i, Decimal::ZERO)?;
        let int_len = j - i;
        let mut grouped = false;
        if int_len <= 3 {
            while self.is_thousands_group(j) {
                (value, j) = self.read_arabic_run(j + 1, value)?;
                grouped = true;
            }
        }
        let mut fractional = false;
        if self.char_at(j).is_some_and(is_point) && self.char_at(j + 1).and_then(arabic_digit).is_some() {
            let (fraction, end) = self.read_fraction_digits(j + 1, arabic_digit)?;
            value = add_exactly(value, fraction)?;
            j = end;
            fractional = true;
        }
        let in_year_range = value >= Decimal::from(1900) && value <= Decimal::from(2100);
        Ok(Arabic { value, end: j, year_shaped: !grouped && !fractional && int_len == 4 && in_year_range })
    }

    fn read_arabic_run(&self, mut j: usize, mut value: Decimal) -> Step<(Decimal, usize)> {
        while let Some(d) = self.char_at(j).and_then(arabic_digit) {
            value = add(mul(value, TEN)?, Decimal::from(d))?;
            j += 1;
        }
        Ok((value, j))
    }

    fn is_thousands_group(&self, j: usize) -> bool {
        let digit_at = |k: usize| self.char_at(k).and_then(arabic_digit).is_some();
        self.char_at(j) == Some(',') && (1..=3).all(|k| digit_at(j + k)) && !digit_at(j + 4)
    }

    /// Digits after a decimal point. Zeros past Decimal's 28 places change nothing and
    /// are dropped; any other digit there refuses the number (0.000…0001 with 36 zeros is
    /// not 0).
    pub(super) fn read_fraction_digits(&self, mut j: usize, digit: fn(char) -> Option<u32>) -> Step<(Decimal, usize)> {
        let mut value = Decimal::ZERO;
        let mut scale: u32 = 0;
        while let Some(d) = self.char_at(j).and_then(digit) {
            scale = scale.saturating_add(1);
            if scale <= MAX_PLACES {
                value = add(value, Decimal::new(i64::from(d), scale))?;
            } else if d != 0 {
                return Err(Overflow);
            }
            j += 1;
        }
        Ok((value, j))
    }

    /// Digits glued to a letter before them are part of a name or code (H800, GPT4,
    /// A100, MTTS4000), not a number.
    pub(super) fn glued_to_code(&self, i: usize) -> bool {
        i > 0 && self.char_at(i - 1).is_some_and(|c| c.is_ascii_alphanumeric())
    }
}
