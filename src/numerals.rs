//! Reads the numbers written in a verbatim quote, in Chinese or Arabic notation.
//!
//! econtrack stores figures (a growth rate, a count of firms, an amount in
//! yuan) next to the sentence they were taken from, and checks that each
//! stored figure really appears in its quote. Quotes from Chinese-language
//! reporting write the same value many ways: `七百億`, `70億` and `7,000,000萬`;
//! `三成`, `30%` and `百分之三十`; `二○二二年` and `2022年`. This module turns a
//! quote into the list of numbers it states, each with its scale (plain,
//! percent or fraction), the bound a qualifier puts on it (`超過`, `約`,
//! `不到`, `以上`, ...), the upper end of a range (`四成至五成`) and the byte
//! span it came from, so the checker can compare values instead of strings.
//!
//! All arithmetic is done in [`Decimal`] with checked operations: a number too
//! large to represent is skipped as a whole, never read in pieces, and no input
//! makes the reader panic. The module does no I/O.

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

/// Whether the number was written as a share (%, 成, 分之, 百分之) or plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Plain,
    Percent,
    Fraction,
}

/// One number read from a quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Percent: the percent number (五% -> 5, 三成 -> 30, 百分之五 -> 5).
    /// Fraction: the ratio (三分之一 -> 1/3). Plain: the number with its
    /// multipliers applied (七百億 -> 70000000000).
    pub value: Decimal,
    /// The upper end of a range (四成至五成 -> 50), on the same scale as `value`.
    pub high: Option<Decimal>,
    pub qualifier: Qualifier,
    pub scale: Scale,
    /// Byte range in the input covered by the number with its qualifier and range parts.
    pub span: Range<usize>,
    /// A year written digit by digit (二○二二, 一九年) or 1900-2100 in Arabic before 年.
    pub year_like: bool,
}

/// Every number in `text`, in order of appearance.
pub fn read_numbers(text: &str) -> Vec<Found> {
    Reader::new(text).read_all()
}

// ---------------------------------------------------------------------------
// Checked arithmetic

/// A number too large for `Decimal`. Its whole numeral run is then skipped:
/// reading the tail of an overflowing run would report a number the quote
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

/// 10^p for the small powers that numeral units use (at most 10^8).
fn pow10(p: u32) -> Decimal {
    Decimal::from(10u64.pow(p.min(18)))
}

// ---------------------------------------------------------------------------
// Character classes

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '○' | '零' => 0,
        '一' => 1,
        '二' | '兩' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn is_zero_char(c: char) -> bool {
    matches!(c, '〇' | '○' | '零')
}

/// Digits that may be written one by one, as in years (二○二二). 兩 only
/// ever counts things, so it never appears in such a run.
fn sequence_digit(c: char) -> Option<u32> {
    if matches!(c, '兩' | '两') { None } else { chinese_digit(c) }
}

/// 十, 百, 千 as powers of ten: they multiply the digit before them.
fn unit_pow(c: char) -> Option<u32> {
    match c {
        '十' => Some(1),
        '百' => Some(2),
        '千' => Some(3),
        _ => None,
    }
}

/// 萬 and 億 as powers of ten: they multiply everything before them.
fn big_pow(c: char) -> Option<u32> {
    match c {
        '萬' | '万' => Some(4),
        '億' | '亿' => Some(8),
        _ => None,
    }
}

fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn is_point(c: char) -> bool {
    matches!(c, '.' | '．')
}

fn is_connector(c: char) -> bool {
    matches!(c, '至' | '到' | '-' | '－' | '~' | '～' | '〜' | '–')
}

/// Dashes also chain the parts of dates and codes (2024-03-15, 02-2345-6789).
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '－' | '–')
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}'
}

fn is_numeral_char(c: char) -> bool {
    arabic_digit(c).is_some()
        || chinese_digit(c).is_some()
        || unit_pow(c).is_some()
        || big_pow(c).is_some()
        || c == '廿'
}

/// 萬 and 億 cannot open a number: alone they are words (萬一 "in case").
fn starts_number(c: char) -> bool {
    arabic_digit(c).is_some() || chinese_digit(c).is_some() || unit_pow(c).is_some() || c == '廿'
}

/// A counter or currency word between a number and what bounds it
/// (七百億元以上, 一年至兩年): any CJK letter that is not itself numeric.
fn is_measure(c: char) -> bool {
    !c.is_ascii() && c.is_alphabetic() && !is_numeral_char(c) && !is_connector(c)
}

/// Words opened by 百 that name a share, not the number 100.
const PERCENT_WORDS: &[&str] = &["百分點", "百分点", "百分比"];

/// Percentage-point counters a bound may follow (五個百分點以上).
const POINT_COUNTERS: &[&str] = &["個百分點", "个百分点", "百分點", "百分点"];

/// Words where 成 after a number means "become"/"cost", not tenths.
const NOT_SHARE_AFTER_CHENG: &[char] = &['為', '为', '功', '立', '員', '员', '本', '果'];

// ---------------------------------------------------------------------------
// Qualifiers

/// Qualifiers written just before a number. Longer words come first so that
/// 不超過 wins over 超過, and 超過 over 超.
const BEFORE: &[(&str, Qualifier)] = &[
    ("不超過", Qualifier::AtMost),
    ("不超过", Qualifier::AtMost),
    ("超過", Qualifier::AtLeast),
    ("超过", Qualifier::AtLeast),
    ("高於", Qualifier::AtLeast),
    ("高于", Qualifier::AtLeast),
    ("多於", Qualifier::AtLeast),
    ("多于", Qualifier::AtLeast),
    ("至少", Qualifier::AtLeast),
    ("最少", Qualifier::AtLeast),
    ("大約", Qualifier::Approx),
    ("大约", Qualifier::Approx),
    ("大概", Qualifier::Approx),
    ("約莫", Qualifier::Approx),
    ("不到", Qualifier::AtMost),
    ("未滿", Qualifier::AtMost),
    ("未满", Qualifier::AtMost),
    ("低於", Qualifier::AtMost),
    ("低于", Qualifier::AtMost),
    ("不足", Qualifier::AtMost),
    ("少於", Qualifier::AtMost),
    ("少于", Qualifier::AtMost),
    ("最多", Qualifier::AtMost),
    ("至多", Qualifier::AtMost),
    ("逾", Qualifier::AtLeast),
    ("超", Qualifier::AtLeast),
    ("近", Qualifier::Approx),
    ("約", Qualifier::Approx),
    ("约", Qualifier::Approx),
];

/// Qualifiers written after a number, with how many counter characters may
/// stand between (元 in 七百億元以上). 多 and 餘 must touch the number: further
/// away they are ordinary words.
const AFTER: &[(&str, Qualifier, usize)] = &[
    ("以上", Qualifier::AtLeast, 3),
    ("以下", Qualifier::AtMost, 3),
    ("以內", Qualifier::AtMost, 3),
    ("以内", Qualifier::AtMost, 3),
    ("左右", Qualifier::Approx, 3),
    ("不到", Qualifier::AtMost, 1),
    ("多", Qualifier::AtLeast, 0),
    ("餘", Qualifier::AtLeast, 0),
    ("余", Qualifier::AtLeast, 0),
];

const MAX_AFTER_GAP: usize = 3;

fn choose_qualifier(
    is_range: bool,
    before: Option<Qualifier>,
    more_inside: bool,
    after: Option<Qualifier>,
) -> Qualifier {
    if is_range {
        return Qualifier::Range;
    }
    before.or(more_inside.then_some(Qualifier::AtLeast)).or(after).unwrap_or(Qualifier::Exact)
}

// ---------------------------------------------------------------------------
// Intermediate results (positions are char indices)

/// A bare number, before any share suffix or range.
#[derive(Debug, Clone, Copy, Default)]
struct Num {
    value: Decimal,
    start: usize,
    end: usize,
    year_like: bool,
    /// Contains 萬 or 億.
    has_big: bool,
    /// The 萬/億 factor the number ends with (5萬 -> 10^4), which a range's
    /// bare left side borrows (2至3萬 = 2萬 to 3萬).
    trailing_big: Option<Decimal>,
    /// Written as 七百多億: at least that much.
    more_inside: bool,
}

/// A number with its share marker (%, 成, 分之, 百分之) applied.
#[derive(Debug, Clone, Copy)]
struct Quantity {
    value: Decimal,
    scale: Scale,
    start: usize,
    end: usize,
    year_like: bool,
    has_big: bool,
    trailing_big: Option<Decimal>,
    /// What a bare left side of a range is multiplied by when it borrows this
    /// side's percent: 10 for 成 (四至五成 = 40..50), 1 for %.
    share_factor: Decimal,
    /// Written 百分之N: a bare right side of a range is a percent too.
    percent_prefix: bool,
    more_inside: bool,
}

impl Quantity {
    fn plain(num: Num) -> Self {
        Quantity {
            value: num.value,
            scale: Scale::Plain,
            start: num.start,
            end: num.end,
            year_like: num.year_like,
            has_big: num.has_big,
            trailing_big: num.trailing_big,
            share_factor: Decimal::ONE,
            percent_prefix: false,
            more_inside: num.more_inside,
        }
    }
}

/// Arabic digits read with their separators and decimals.
struct Arabic {
    value: Decimal,
    end: usize,
    /// Four plain digits between 1900 and 2100: a year if 年 follows.
    year_shaped: bool,
}

// ---------------------------------------------------------------------------
// Positional Chinese numerals

/// Running state of a positional reading such as 一億二千萬零五百.
///
/// `section` holds the part below the next 萬/億, `total` what those have
/// already multiplied. A smaller big unit after a larger one adds instead of
/// multiplying (一億二千萬 = 10^8 + 2000 * 10^4).
#[derive(Default)]
struct Positional {
    total: Decimal,
    section: Decimal,
    current: Option<Decimal>,
    largest_big: u32,
    /// Power of the unit read just before, if the previous token was a unit.
    prev_unit: Option<u32>,
    /// Power of the unit that directly preceded `current`, for the
    /// colloquial 一百五 = 150 and 兩萬五 = 25000.
    unit_before_current: Option<u32>,
    trailing_big: Option<Decimal>,
    has_units: bool,
    has_big: bool,
}

impl Positional {
    fn is_empty(&self) -> bool {
        self.current.is_none() && !self.has_units
    }

    fn push_digit(&mut self, digit: Decimal, chinese: bool) {
        self.unit_before_current = if chinese { self.prev_unit } else { None };
        self.current = Some(digit);
        self.prev_unit = None;
        self.trailing_big = None;
    }

    /// 零 marks a skipped place (一千零一); alone it is the number 0.
    fn push_zero(&mut self) {
        if self.is_empty() {
            self.current = Some(Decimal::ZERO);
        }
        self.prev_unit = None;
        self.trailing_big = None;
    }

    /// 十/百/千 multiply the digit before them; without one (十三, 百個) they count once.
    fn push_unit(&mut self, pow: u32) -> Step<()> {
        let count = self.current.take().unwrap_or(Decimal::ONE);
        self.section = add(self.section, mul(count, pow10(pow))?)?;
        self.after_unit(pow);
        Ok(())
    }

    fn push_twenty(&mut self) -> Step<()> {
        self.section = add(self.section, Decimal::from(20))?;
        self.after_unit(1);
        Ok(())
    }

    fn push_big(&mut self, pow: u32) -> Step<()> {
        let factor = pow10(pow);
        let part = add(self.section, self.settled_current(Some(pow))?)?;
        self.total = if self.largest_big > pow {
            add(self.total, mul(part, factor)?)?
        } else {
            mul(add(self.total, part)?, factor)?
        };
        self.largest_big = self.largest_big.max(pow);
        let trailing = match self.trailing_big {
            Some(t) => mul(t, factor)?,
            None => factor,
        };
        self.section = Decimal::ZERO;
        self.current = None;
        self.after_unit(pow);
        self.trailing_big = Some(trailing);
        self.has_big = true;
        Ok(())
    }

    fn after_unit(&mut self, pow: u32) {
        self.prev_unit = Some(pow);
        self.unit_before_current = None;
        self.trailing_big = None;
        self.has_units = true;
    }

    /// The pending digit, scaled if it is the colloquial tail of a larger
    /// unit: 一百五 means 150, not 105. `closing` is the big unit about to
    /// close the section; a tail after an even bigger unit is left alone
    /// (一億五萬 = 100050000).
    fn settled_current(&self, closing: Option<u32>) -> Step<Decimal> {
        let Some(digit) = self.current else {
            return Ok(Decimal::ZERO);
        };
        match self.unit_before_current {
            Some(u) if u >= 2 && closing.is_none_or(|big| u < big) => mul(digit, pow10(u - 1)),
            _ => Ok(digit),
        }
    }

    fn value(&self) -> Step<Decimal> {
        add(add(self.total, self.section)?, self.settled_current(None)?)
    }
}

// ---------------------------------------------------------------------------
// The reader

struct Reader {
    chars: Vec<(usize, char)>,
    len_bytes: usize,
}

impl Reader {
    fn new(text: &str) -> Self {
        Reader { chars: text.char_indices().collect(), len_bytes: text.len() }
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    fn byte_at(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.len_bytes, |&(b, _)| b)
    }

    fn starts_with(&self, i: usize, word: &str) -> bool {
        word.chars().enumerate().all(|(k, w)| self.char_at(i + k) == Some(w))
    }

    fn ends_with(&self, end: usize, word: &str) -> bool {
        let n = word.chars().count();
        end >= n && self.starts_with(end - n, word)
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while self.char_at(i).is_some_and(is_space) {
            i += 1;
        }
        i
    }

    fn skip_spaces_back(&self, mut i: usize) -> usize {
        while i > 0 && self.char_at(i - 1).is_some_and(is_space) {
            i -= 1;
        }
        i
    }

    /// Past an overflowing numeral run, so none of its pieces is reported.
    fn skip_numeral_run(&self, i: usize) -> usize {
        let mut j = i;
        while self.char_at(j).is_some_and(|c| is_numeral_char(c) || is_point(c) || c == ',') {
            j += 1;
        }
        j.max(i + 1)
    }

    fn read_all(&self) -> Vec<Found> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < self.chars.len() {
            i = match self.read_quantity(i) {
                Ok(Some(quantity)) => {
                    let (f, next) = self.complete(quantity);
                    found.push(f);
                    next.max(i + 1)
                }
                Ok(None) => i + 1,
                Err(Overflow) => self.skip_numeral_run(i),
            };
        }
        found
    }

    // --- bare numbers -----------------------------------------------------

    fn read_num(&self, i: usize) -> Step<Option<Num>> {
        if !self.char_at(i).is_some_and(starts_number) {
            return Ok(None);
        }
        if let Some(num) = self.read_digit_sequence(i)? {
            return Ok(Some(num));
        }
        self.read_positional(i).map(Some)
    }

    /// Two or more bare digits with no unit after them, read digit by digit:
    /// 二○二二 = 2022, 一九 = 19.
    fn read_digit_sequence(&self, i: usize) -> Step<Option<Num>> {
        let mut j = i;
        let mut value = Decimal::ZERO;
        while let Some(d) = self.char_at(j).and_then(sequence_digit) {
            value = add(mul(value, TEN)?, Decimal::from(d))?;
            j += 1;
        }
        let len = j - i;
        // 成 counts tenths, so 三四成 is "three or four tenths", never 34.
        let unit_follows =
            self.char_at(j).is_some_and(|c| unit_pow(c).is_some() || big_pow(c).is_some() || c == '廿' || c == '成');
        if len < 2 || unit_follows {
            return Ok(None);
        }
        let before_nian = self.char_at(self.skip_spaces(j)) == Some('年');
        Ok(Some(Num { value, start: i, end: j, year_like: len == 4 || (len == 2 && before_nian), ..Num::default() }))
    }

    /// A positional number, optionally opened by Arabic digits (10.4億, 3萬5千).
    fn read_positional(&self, i: usize) -> Step<Num> {
        let mut p = Positional::default();
        let mut j = i;
        let arabic_start = self.char_at(i).and_then(arabic_digit).is_some();
        let mut year_shaped = false;
        if arabic_start {
            let arabic = self.read_arabic(i)?;
            p.push_digit(arabic.value, false);
            year_shaped = arabic.year_shaped;
            j = arabic.end;
        }
        while let Some(next) = self.positional_step(&mut p, j, arabic_start)? {
            j = next;
        }
        if !arabic_start && let Some(num) = self.read_chinese_decimal(&p, i, j)? {
            return Ok(num);
        }
        let before_nian = self.char_at(self.skip_spaces(j)) == Some('年');
        Ok(Num {
            value: p.value()?,
            start: i,
            end: j,
            year_like: year_shaped && !p.has_units && before_nian,
            has_big: p.has_big,
            trailing_big: p.trailing_big,
            more_inside: false,
        })
    }

    /// Consumes the character at `j` into `p`; `None` when it ends the number.
    fn positional_step(&self, p: &mut Positional, j: usize, arabic_start: bool) -> Step<Option<usize>> {
        let Some(c) = self.char_at(j) else {
            return Ok(None);
        };
        let next = Some(j + 1);
        // A digit right after a digit starts a new number (三四十 -> 3, 40).
        let digit_after_digit = p.current.is_some();
        if is_zero_char(c) {
            if digit_after_digit {
                return Ok(None);
            }
            p.push_zero();
            return Ok(next);
        }
        if let Some(d) = chinese_digit(c) {
            if digit_after_digit {
                return Ok(None);
            }
            p.push_digit(Decimal::from(d), true);
            return Ok(next);
        }
        if let Some(pow) = unit_pow(c) {
            p.push_unit(pow)?;
            return Ok(next);
        }
        if c == '廿' && !digit_after_digit {
            p.push_twenty()?;
            return Ok(next);
        }
        if let Some(pow) = big_pow(c) {
            if p.is_empty() {
                return Ok(None);
            }
            p.push_big(pow)?;
            return Ok(next);
        }
        if arabic_start && p.trailing_big.is_some() {
            return self.arabic_after_big(p, j);
        }
        Ok(None)
    }

    /// The 5 of 3萬5千. Only taken when a unit follows it, so that 2萬2022年
    /// stays two numbers.
    fn arabic_after_big(&self, p: &mut Positional, j: usize) -> Step<Option<usize>> {
        if self.char_at(j).and_then(arabic_digit).is_none() {
            return Ok(None);
        }
        let arabic = self.read_arabic(j)?;
        if self.char_at(arabic.end).and_then(unit_pow).is_none() {
            return Ok(None);
        }
        p.push_digit(arabic.value, false);
        Ok(Some(arabic.end))
    }

    /// A decimal point between Chinese digits (四.六 = 4.6), then any 萬/億
    /// that multiply the whole (四.六億).
    fn read_chinese_decimal(&self, p: &Positional, i: usize, j: usize) -> Step<Option<Num>> {
        let point_then_digit =
            self.char_at(j).is_some_and(is_point) && self.char_at(j + 1).and_then(sequence_digit).is_some();
        if !point_then_digit || p.trailing_big.is_some() {
            return Ok(None);
        }
        let (fraction, mut end) = self.read_fraction_digits(j + 1, sequence_digit)?;
        let mut value = add(p.value()?, fraction)?;
        let mut trailing: Option<Decimal> = None;
        while let Some(pow) = self.char_at(end).and_then(big_pow) {
            value = mul(value, pow10(pow))?;
            trailing = Some(mul(trailing.unwrap_or(Decimal::ONE), pow10(pow))?);
            end += 1;
        }
        Ok(Some(Num {
            value,
            start: i,
            end,
            year_like: false,
            has_big: p.has_big || trailing.is_some(),
            trailing_big: trailing,
            more_inside: false,
        }))
    }

    /// Arabic digits (ASCII or full-width) with thousands separators and a
    /// decimal part. A comma is a separator only before exactly three digits
    /// and after at most three, so 4,6 is two numbers.
    fn read_arabic(&self, i: usize) -> Step<Arabic> {
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
            value = add(value, fraction)?;
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

    /// Digits after a decimal point. Digits past Decimal's 28 places are
    /// dropped rather than failing the whole number.
    fn read_fraction_digits(&self, mut j: usize, digit: fn(char) -> Option<u32>) -> Step<(Decimal, usize)> {
        let mut value = Decimal::ZERO;
        let mut scale: u32 = 0;
        while let Some(d) = self.char_at(j).and_then(digit) {
            scale = scale.saturating_add(1);
            if scale <= 28 {
                value = add(value, Decimal::new(i64::from(d), scale))?;
            }
            j += 1;
        }
        Ok((value, j))
    }

    // --- shares ---------------------------------------------------------

    fn read_quantity(&self, i: usize) -> Step<Option<Quantity>> {
        if PERCENT_WORDS.iter().any(|word| self.starts_with(i, word)) {
            return Ok(None);
        }
        if let Some(quantity) = self.read_percent_prefix(i)? {
            return Ok(Some(quantity));
        }
        let Some(num) = self.read_num(i)? else {
            return Ok(None);
        };
        if let Some(quantity) = self.read_fraction(&num)? {
            return Ok(Some(quantity));
        }
        let num = self.read_more_multiplier(num)?;
        self.read_share_suffix(num).map(Some)
    }

    /// 百分之N is N percent. Without a number after it, 百 is read as 100.
    fn read_percent_prefix(&self, i: usize) -> Step<Option<Quantity>> {
        if !self.starts_with(i, "百分之") {
            return Ok(None);
        }
        let Some(num) = self.read_num(i + 3)? else {
            return Ok(None);
        };
        Ok(Some(Quantity { scale: Scale::Percent, start: i, percent_prefix: true, ..Quantity::plain(num) }))
    }

    /// N分之M is the ratio M/N (三分之一 = 1/3).
    fn read_fraction(&self, denominator: &Num) -> Step<Option<Quantity>> {
        let j = denominator.end;
        if !self.starts_with(j, "分之") || denominator.value.is_zero() {
            return Ok(None);
        }
        let Some(numerator) = self.read_num(j + 2)? else {
            return Ok(None);
        };
        let value = numerator.value.checked_div(denominator.value).ok_or(Overflow)?;
        Ok(Some(Quantity {
            value,
            scale: Scale::Fraction,
            start: denominator.start,
            year_like: false,
            has_big: false,
            trailing_big: None,
            ..Quantity::plain(numerator)
        }))
    }

    /// 七百多億: the 多/餘 sits between the number and its multiplier.
    fn read_more_multiplier(&self, num: Num) -> Step<Num> {
        let j = num.end;
        if !self.char_at(j).is_some_and(|c| matches!(c, '多' | '餘' | '余')) {
            return Ok(num);
        }
        let mut end = j + 1;
        let mut factor = Decimal::ONE;
        while let Some(pow) = self.char_at(end).and_then(big_pow) {
            factor = mul(factor, pow10(pow))?;
            end += 1;
        }
        if end == j + 1 {
            return Ok(num);
        }
        Ok(Num {
            value: mul(num.value, factor)?,
            end,
            has_big: true,
            trailing_big: Some(factor),
            more_inside: true,
            ..num
        })
    }

    fn read_share_suffix(&self, num: Num) -> Step<Quantity> {
        let after_spaces = self.skip_spaces(num.end);
        if self.char_at(after_spaces).is_some_and(|c| matches!(c, '%' | '％')) {
            return Ok(Quantity { scale: Scale::Percent, end: after_spaces + 1, ..Quantity::plain(num) });
        }
        if self.is_cheng_share(num.end) {
            return self.read_cheng(num);
        }
        Ok(Quantity::plain(num))
    }

    fn is_cheng_share(&self, j: usize) -> bool {
        self.char_at(j) == Some('成') && !self.char_at(j + 1).is_some_and(|c| NOT_SHARE_AFTER_CHENG.contains(&c))
    }

    /// N成 is N tenths, as a percent: 三成 = 30. 三成五 adds the half-tenth: 35.
    fn read_cheng(&self, num: Num) -> Step<Quantity> {
        let mut value = mul(num.value, TEN)?;
        let mut end = num.end + 1;
        if let Some(d) = self.cheng_tail_digit(end) {
            value = add(value, Decimal::from(d))?;
            end += 1;
        }
        Ok(Quantity { value, scale: Scale::Percent, end, share_factor: TEN, ..Quantity::plain(num) })
    }

    /// The 五 of 三成五. 一 is left out because it opens too many words
    /// (三成一般民眾), and a digit that a counter or 年 follows belongs to
    /// the next phrase (三成五年後).
    fn cheng_tail_digit(&self, j: usize) -> Option<u32> {
        let d = self.char_at(j).and_then(sequence_digit).filter(|d| (2..=9).contains(d))?;
        let next = self.char_at(j + 1);
        let continues = next.is_some_and(|c| is_numeral_char(c) || matches!(c, '年' | '成' | '個' | '个'));
        (!continues).then_some(d)
    }

    // --- ranges and qualifiers ----------------------------------------------

    /// Turns a quantity into a `Found`, joining a range that follows it and
    /// the qualifiers around it. Also returns where reading resumes.
    fn complete(&self, left: Quantity) -> (Found, usize) {
        let (low, high) = match self.read_range(&left) {
            Some((low, high)) => (low, Some(high)),
            None => (left, None),
        };
        let end = high.map_or(low.end, |h| h.end);
        let before = self.qualifier_before(low.start);
        let after = self.qualifier_after(end);
        let qualifier =
            choose_qualifier(high.is_some(), before.map(|(q, _)| q), low.more_inside, after.map(|(q, _)| q));
        let start = before.map_or(low.start, |(_, at)| at);
        let span_end = after.map_or(end, |(_, at)| at);
        let found = Found {
            value: low.value.normalize(),
            high: high.map(|h| h.value.normalize()),
            qualifier,
            scale: low.scale,
            span: self.byte_at(start)..self.byte_at(span_end),
            year_like: low.year_like || high.is_some_and(|h| h.year_like),
        };
        (found, end)
    }

    /// X至Y, X-Y, ... and, with a counter repeated on both sides, 一年至兩年.
    fn read_range(&self, left: &Quantity) -> Option<(Quantity, Quantity)> {
        self.range_with_unit(left, None).or_else(|| {
            let unit = self.char_at(left.end).filter(|&c| is_measure(c))?;
            self.range_with_unit(left, Some(unit))
        })
    }

    fn range_with_unit(&self, left: &Quantity, unit: Option<char>) -> Option<(Quantity, Quantity)> {
        let connector = self.skip_spaces(left.end + usize::from(unit.is_some()));
        if !self.char_at(connector).is_some_and(is_connector) {
            return None;
        }
        let right = self.read_quantity(self.skip_spaces(connector + 1)).ok()??;
        if unit.is_some_and(|u| self.char_at(right.end) != Some(u)) {
            return None;
        }
        if self.char_at(connector).is_some_and(is_dash) && self.in_dash_chain(left.start, right.end) {
            return None;
        }
        let (low, mut high) = borrow_right_units(*left, right)?;
        // The repeated counter is part of the range: 一年至兩年 ends after the second 年.
        high.end += usize::from(unit.is_some());
        // A descending pair is not a range: 2024-03-15 is a date, 從五%降到三% a fall.
        (low.scale == high.scale && low.value < high.value).then_some((low, high))
    }

    /// Whether a dash also touches the outer side of either number, as in a
    /// date: then no part of the chain is a range.
    fn in_dash_chain(&self, start: usize, end: usize) -> bool {
        let dash_before = start > 0 && self.char_at(start - 1).is_some_and(is_dash);
        dash_before || self.char_at(end).is_some_and(is_dash)
    }

    fn qualifier_before(&self, start: usize) -> Option<(Qualifier, usize)> {
        let j = self.skip_spaces_back(start);
        BEFORE.iter().find(|(word, _)| self.ends_with(j, word)).map(|&(word, q)| (q, j - word.chars().count()))
    }

    /// The nearest qualifier after `end`, looking past at most a few counter
    /// characters (元, 家, 年) and never past punctuation or another number.
    fn qualifier_after(&self, end: usize) -> Option<(Qualifier, usize)> {
        // 百分點 holds a numeral, so it is skipped as a whole.
        let end = POINT_COUNTERS
            .iter()
            .find(|word| self.starts_with(end, word))
            .map_or(end, |word| end + word.chars().count());
        for gap in 0..=MAX_AFTER_GAP {
            let pos = end + gap;
            if gap > 0 && !self.char_at(pos - 1).is_some_and(is_measure) {
                return None;
            }
            let hit = AFTER.iter().find(|&&(word, _, max_gap)| gap <= max_gap && self.starts_with(pos, word));
            if let Some(&(word, q, _)) = hit {
                return Some((q, pos + word.chars().count()));
            }
        }
        None
    }
}

/// In a range the unit is often written once, on the right: 四至五成 is 40%
/// to 50%, 2至3萬 is 20000 to 30000, 40-50% is 40% to 50%. 百分之四十至五十
/// writes it once on the left.
fn borrow_right_units(mut low: Quantity, mut high: Quantity) -> Option<(Quantity, Quantity)> {
    if low.scale == Scale::Plain
        && !low.has_big
        && let Some(factor) = high.trailing_big
    {
        low.value = low.value.checked_mul(factor)?;
        low.has_big = true;
    }
    if low.scale == Scale::Plain && high.scale == Scale::Percent {
        low.value = low.value.checked_mul(high.share_factor)?;
        low.scale = Scale::Percent;
    } else if high.scale == Scale::Plain && low.percent_prefix && !high.has_big {
        high.scale = Scale::Percent;
    }
    Some((low, high))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Qualifier::{Approx, AtLeast, AtMost, Exact};
    use Scale::{Fraction, Percent, Plain};

    const THIRD: &str = "0.3333333333333333333333333333";
    const LIGHTHOUSES: &str = "全球一百五十三座燈塔工廠中,中國就占了六十一座居冠,美國才十三座";

    type Case = (&'static str, &'static str, Option<&'static str>, Qualifier, Scale);

    const CASES: &[Case] = &[
        // Clauses from the article.
        ("經濟成長率五%", "5", None, Exact, Percent),
        ("通膨率三%", "3", None, Exact, Percent),
        ("會落在四.六%", "4.6", None, Exact, Percent),
        ("上升到一.二%", "1.2", None, Exact, Percent),
        (LIGHTHOUSES, "153", None, Exact, Plain),
        (LIGHTHOUSES, "61", None, Exact, Plain),
        (LIGHTHOUSES, "13", None, Exact, Plain),
        ("已超過七百家企業進駐", "700", None, AtLeast, Plain),
        ("提高了三成", "30", None, Exact, Percent),
        ("四千三百多個機理模型與兩百多個專家算法庫", "4300", None, AtLeast, Plain),
        ("四千三百多個機理模型與兩百多個專家算法庫", "200", None, AtLeast, Plain),
        ("十大創新", "10", None, Exact, Plain),
        ("十一項獎項", "11", None, Exact, Plain),
        ("七奈米", "7", None, Exact, Plain),
        ("五奈米", "5", None, Exact, Plain),
        ("台積電的三分之一不到", THIRD, None, AtMost, Fraction),
        ("約四成至五成", "40", Some("50"), Qualifier::Range, Percent),
        ("一千六百片", "1600", None, Exact, Plain),
        ("人民幣七百億元以上", "70000000000", None, AtLeast, Plain),
        ("超過一萬家晶片公司倒閉", "10000", None, AtLeast, Plain),
        ("年增近九成", "90", None, Approx, Percent),
        ("新增了六萬六千家", "66000", None, Exact, Plain),
        ("在二○二二年", "2022", None, Exact, Plain),
        ("人民幣一百零四億元", "10400000000", None, Exact, Plain),
        ("約六成淨利潤", "60", None, Approx, Percent),
        ("約四百家", "400", None, Approx, Plain),
        ("三百億美元", "30000000000", None, Exact, Plain),
        ("一年至兩年內", "1", Some("2"), Qualifier::Range, Plain),
        ("百個大型語言模型", "100", None, Exact, Plain),
        ("不到五年", "5", None, AtMost, Plain),
        ("一九年", "19", None, Exact, Plain),
        // Beyond the article.
        ("一萬零五百", "10500", None, Exact, Plain),
        ("兩千", "2000", None, Exact, Plain),
        ("1,600", "1600", None, Exact, Plain),
        ("4.6%", "4.6", None, Exact, Percent),
        ("一百零四億", "10400000000", None, Exact, Plain),
        ("百分之五", "5", None, Exact, Percent),
        ("百分之四.六", "4.6", None, Exact, Percent),
        ("5%左右", "5", None, Approx, Percent),
        ("40-50%", "40", Some("50"), Qualifier::Range, Percent),
        ("40–50%", "40", Some("50"), Qualifier::Range, Percent),
        ("3萬", "30000", None, Exact, Plain),
        ("10.4億", "1040000000", None, Exact, Plain),
        ("二〇二四年", "2024", None, Exact, Plain),
        ("零", "0", None, Exact, Plain),
        ("十", "10", None, Exact, Plain),
        ("二十", "20", None, Exact, Plain),
        ("一百", "100", None, Exact, Plain),
        ("一千零一", "1001", None, Exact, Plain),
        ("九萬九千九百九十九", "99999", None, Exact, Plain),
        ("一億二千萬", "120000000", None, Exact, Plain),
        ("逾三成", "30", None, AtLeast, Percent),
        ("未滿十八", "18", None, AtMost, Plain),
        ("低於3%", "3", None, AtMost, Percent),
        ("約5%", "5", None, Approx, Percent),
        ("五千多", "5000", None, AtLeast, Plain),
        ("１２３", "123", None, Exact, Plain),
        ("1,234,567.89", "1234567.89", None, Exact, Plain),
        ("0.5", "0.5", None, Exact, Plain),
        ("12.5%", "12.5", None, Exact, Percent),
        ("四分之三", "0.75", None, Exact, Fraction),
        ("二分之一", "0.5", None, Exact, Fraction),
        ("兩成", "20", None, Exact, Percent),
        ("十成", "100", None, Exact, Percent),
        ("一千", "1000", None, Exact, Plain),
        ("三百五十", "350", None, Exact, Plain),
        ("七十", "70", None, Exact, Plain),
        ("八百萬", "8000000", None, Exact, Plain),
        ("五十億", "5000000000", None, Exact, Plain),
        ("三千億", "300000000000", None, Exact, Plain),
        ("一百萬", "1000000", None, Exact, Plain),
        ("二十五", "25", None, Exact, Plain),
        ("六百零六", "606", None, Exact, Plain),
        ("一萬一千", "11000", None, Exact, Plain),
        ("9,999", "9999", None, Exact, Plain),
        ("100億", "10000000000", None, Exact, Plain),
        ("兩百億美元", "20000000000", None, Exact, Plain),
        ("十萬", "100000", None, Exact, Plain),
        ("兩百", "200", None, Exact, Plain),
        ("一萬", "10000", None, Exact, Plain),
        ("70億", "7000000000", None, Exact, Plain),
        ("一百二十三萬四千五百六十七", "1234567", None, Exact, Plain),
        ("一萬億", "1000000000000", None, Exact, Plain),
        ("廿一", "21", None, Exact, Plain),
        ("２０２４年", "2024", None, Exact, Plain),
        // Colloquial and mixed forms.
        ("一百五", "150", None, Exact, Plain),
        ("兩萬五", "25000", None, Exact, Plain),
        ("3萬5千", "35000", None, Exact, Plain),
        ("1.5千", "1500", None, Exact, Plain),
        ("四.六億", "460000000", None, Exact, Plain),
        ("1,600萬", "16000000", None, Exact, Plain),
        // Shares.
        ("三成五的民眾", "35", None, Exact, Percent),
        ("3成", "30", None, Exact, Percent),
        ("５０％", "50", None, Exact, Percent),
        ("千分之五", "0.005", None, Exact, Fraction),
        ("3分之1", THIRD, None, Exact, Fraction),
        ("百分之百", "100", None, Exact, Percent),
        // Ranges.
        ("三至五成", "30", Some("50"), Qualifier::Range, Percent),
        ("2至3萬", "20000", Some("30000"), Qualifier::Range, Plain),
        ("百分之四十至五十", "40", Some("50"), Qualifier::Range, Percent),
        ("五～十年", "5", Some("10"), Qualifier::Range, Plain),
        ("3 - 5%", "3", Some("5"), Qualifier::Range, Percent),
        ("2020-2022年", "2020", Some("2022"), Qualifier::Range, Plain),
        ("從三成到五成", "30", Some("50"), Qualifier::Range, Percent),
        ("五到十年內", "5", Some("10"), Qualifier::Range, Plain),
        // Qualifiers.
        ("三百餘家", "300", None, AtLeast, Plain),
        ("七百多億", "70000000000", None, AtLeast, Plain),
        ("不超過三成", "30", None, AtMost, Percent),
        ("十五年以下", "15", None, AtMost, Plain),
        ("約4.6 %", "4.6", None, Approx, Percent),
        ("至少五家", "5", None, AtLeast, Plain),
        ("十多年", "10", None, AtLeast, Plain),
        ("大約三千人", "3000", None, Approx, Plain),
        ("三年以內", "3", None, AtMost, Plain),
        ("不足兩成", "20", None, AtMost, Percent),
        ("五個百分點以上", "5", None, AtLeast, Plain),
        ("三四成", "40", None, Exact, Percent),
    ];

    fn dec(s: &str) -> Decimal {
        s.parse().expect("test value parses")
    }

    fn matches(found: &Found, case: &Case) -> bool {
        let &(_, value, high, qualifier, scale) = case;
        found.value == dec(value) && found.high == high.map(dec) && found.qualifier == qualifier && found.scale == scale
    }

    #[test]
    fn table_of_quotes() {
        assert!(CASES.len() >= 70, "only {} cases", CASES.len());
        for case in CASES {
            let found = read_numbers(case.0);
            assert!(found.iter().any(|f| matches(f, case)), "{case:?}: read {found:#?}");
        }
    }

    fn values(text: &str) -> Vec<Decimal> {
        read_numbers(text).iter().map(|f| f.value).collect()
    }

    #[test]
    fn third_is_decimal_one_over_three() {
        assert_eq!(dec(THIRD), Decimal::ONE / Decimal::from(3));
    }

    #[test]
    fn short_comma_group_is_not_a_thousands_separator() {
        assert_eq!(values("4,6"), vec![dec("4"), dec("6")]);
        assert_eq!(values("2022,2023"), vec![dec("2022"), dec("2023")]);
        assert_eq!(values("1,6000"), vec![dec("1"), dec("6000")]);
    }

    #[test]
    fn plain_text_has_no_numbers() {
        assert!(read_numbers("abc").is_empty());
        assert!(read_numbers("").is_empty());
        assert!(read_numbers("經濟成長率").is_empty());
    }

    #[test]
    fn years_are_marked() {
        let year = |text: &str| read_numbers(text)[0].year_like;
        assert!(year("在二○二二年"));
        assert!(year("二〇二四"));
        assert!(year("一九年"));
        assert!(year("2022年"));
        assert!(!year("2022"));
        assert!(!year("2,022年"));
        assert!(!year("一百"));
        assert!(!year("一九"));
    }

    #[test]
    fn spans_slice_back_to_the_quote() {
        let cases = [
            ("人民幣七百億元以上的投資", "七百億元以上"),
            ("台積電的三分之一不到。", "三分之一不到"),
            ("預估約四成至五成,", "約四成至五成"),
            ("共1,600片", "1,600"),
            ("成長率百分之四.六左右", "百分之四.六左右"),
            ("可以在一年至兩年內趕上", "一年至兩年"),
        ];
        for (text, expected) in cases {
            let found = read_numbers(text);
            assert_eq!(&text[found[0].span.clone()], expected, "{text}: {found:?}");
        }
    }

    #[test]
    fn numbers_come_in_order() {
        assert_eq!(values(LIGHTHOUSES), vec![dec("153"), dec("61"), dec("13")]);
    }

    #[test]
    fn descending_pairs_are_not_ranges() {
        let found = read_numbers("2024-03-15");
        assert!(found.iter().all(|f| f.high.is_none()), "{found:?}");
        assert_eq!(values("2024-03-15"), vec![dec("2024"), dec("3"), dec("15")]);
        let fall = read_numbers("從五%降到三%");
        assert!(fall.iter().all(|f| f.qualifier != Qualifier::Range), "{fall:?}");
    }

    #[test]
    fn share_words_are_not_numbers() {
        assert_eq!(values("增加了0.3個百分點"), vec![dec("0.3")]);
        assert_eq!(values("五個百分點以上"), vec![dec("5")]);
        assert!(read_numbers("百分比").is_empty());
        assert!(!values("三四成").contains(&dec("340")));
    }

    #[test]
    fn wan_alone_is_a_word_not_a_number() {
        assert_eq!(values("萬一"), vec![dec("1")]);
        assert!(read_numbers("億億億").is_empty());
    }

    #[test]
    fn overflowing_runs_are_skipped_whole() {
        let long = "1".repeat(200);
        assert!(read_numbers(&long).is_empty());
        assert!(read_numbers(&"九".repeat(60)).is_empty());
        assert_eq!(values(&format!("{long} 和 5%")), vec![dec("5")]);
    }

    #[test]
    fn nasty_inputs_do_not_panic() {
        let long = "9".repeat(200);
        let long_fraction = format!("0.{}", "7".repeat(200));
        let nasty = [
            "",
            "...",
            "%%%",
            "至至",
            "億億億",
            long.as_str(),
            long_fraction.as_str(),
            "🙂三成🙂至🙂五成🙂",
            "零分之五",
            "百分之",
            "分之分之",
            "一.二.三.四",
            ",,,1,,,",
            "萬億萬億九九九九九九九九九九九九九九九九九九九九九九九九九九九九九九億",
            "九千九百九十九萬九千九百九十九億九千九百九十九萬億億億億",
            "-",
            "十-",
            "五成成成",
            "3萬99999999999999999999999999999999千",
            "\u{0}\u{FFFF}𝟘𝟙",
        ];
        for text in nasty {
            let _ = read_numbers(text);
        }
    }
}
