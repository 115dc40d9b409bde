//! English numbers: number words (`five`, `twenty-one`, `a dozen`), fractions (`half`,
//! `a third`), multipliers (`thousand`, `million`, `bn`, `m`, `k`), `per cent`, `percent`,
//! `percentage points`, `pp` and `basis points`, the qualifiers before and after a number
//! (`about`, `more than`, `up to`, `or more`), the range words (`to`, `between … and`),
//! and which bare four-digit numbers are years (`in 2024`, `2025's`) or days (`March 5`).

use super::reader::{Num, Quantity, Reader};
use super::{DatePart, Qualifier, Scale, Step, mul, pow10};
use rust_decimal::Decimal;

/// Number words, matched whole and in any case. Tens take a hyphenated unit (twenty-one).
const UNITS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];

const TENS: &[(&str, u32)] = &[
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// Fractions written in words, as (numerator, denominator).
const FRACTIONS: &[(&str, u32, u32)] = &[
    ("two-thirds", 2, 3),
    ("two thirds", 2, 3),
    ("one-third", 1, 3),
    ("one third", 1, 3),
    ("a third", 1, 3),
    ("one-half", 1, 2),
    ("one half", 1, 2),
    ("a half", 1, 2),
    ("half", 1, 2),
];

/// Multipliers after a number, with their power of ten and whether a space may stand
/// between (5 billion, 5bn, 5 bn; but only 5m and 5k, as "5 m" is five metres).
const MULTIPLIERS: &[(&str, u32, bool)] = &[
    ("hundred", 2, true),
    ("thousand", 3, true),
    ("million", 6, true),
    ("billion", 9, true),
    ("trillion", 12, true),
    ("mn", 6, true),
    ("bn", 9, true),
    ("tn", 12, true),
    ("trn", 12, true),
    ("m", 6, false),
    ("k", 3, false),
];

/// Measures written against the number (7nm, 5km): the number is still plain.
const ATTACHED_UNITS: &[&str] =
    &["nm", "mm", "cm", "km", "kg", "mg", "kW", "kWh", "MW", "MWh", "GW", "GWh", "TWh", "GB", "TB", "x"];

/// Qualifiers before a number (or its currency sign), any case, longer first.
const BEFORE: &[(&str, Qualifier)] = &[
    ("no more than", Qualifier::AtMost),
    ("not more than", Qualifier::AtMost),
    ("no less than", Qualifier::AtLeast),
    ("not less than", Qualifier::AtLeast),
    ("more than", Qualifier::AtLeast),
    ("less than", Qualifier::AtMost),
    ("fewer than", Qualifier::AtMost),
    ("in excess of", Qualifier::AtLeast),
    ("upwards of", Qualifier::AtLeast),
    ("at least", Qualifier::AtLeast),
    ("at most", Qualifier::AtMost),
    ("up to", Qualifier::AtMost),
    ("as much as", Qualifier::AtMost),
    ("as many as", Qualifier::AtMost),
    ("close to", Qualifier::Approx),
    ("approximately", Qualifier::Approx),
    ("roughly", Qualifier::Approx),
    ("around", Qualifier::Approx),
    ("about", Qualifier::Approx),
    ("nearly", Qualifier::Approx),
    ("almost", Qualifier::Approx),
    ("over", Qualifier::AtLeast),
    ("above", Qualifier::AtLeast),
    ("exceeding", Qualifier::AtLeast),
    ("under", Qualifier::AtMost),
    ("below", Qualifier::AtMost),
];

/// "About" words that may stand apart from a share, and the only words allowed between
/// (roughly equal to 3% of GDP; nearly the same as a third).
const DETACHED_APPROX: &[&str] = &["roughly", "approximately", "nearly", "almost"];
const DETACHED_BETWEEN: &[&str] = &[
    "equal",
    "equivalent",
    "to",
    "the",
    "same",
    "as",
    "accounting",
    "accounts",
    "account",
    "for",
    "representing",
    "represents",
    "making",
    "up",
    "at",
];

/// Qualifiers after a number and a space.
const AFTER: &[(&str, Qualifier)] = &[
    ("or more", Qualifier::AtLeast),
    ("or higher", Qualifier::AtLeast),
    ("or above", Qualifier::AtLeast),
    ("and above", Qualifier::AtLeast),
    ("or less", Qualifier::AtMost),
    ("or fewer", Qualifier::AtMost),
    ("or lower", Qualifier::AtMost),
    ("or below", Qualifier::AtMost),
    ("and below", Qualifier::AtMost),
    ("or so", Qualifier::Approx),
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Sep.",
    "Oct.",
    "Nov.",
    "Dec.",
];

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

impl Reader<'_> {
    /// `word` at `i` as a whole word (no letter or digit touching either side), with
    /// where it ends. Spaces in `word` match one space.
    pub(super) fn word_at(&self, i: usize, word: &str, ignore_case: bool) -> Option<usize> {
        if i > 0 && self.char_at(i - 1).is_some_and(is_word_char) {
            return None;
        }
        let mut j = i;
        for w in word.chars() {
            let c = self.char_at(j)?;
            let same = if ignore_case { c.eq_ignore_ascii_case(&w) } else { c == w };
            if !same {
                return None;
            }
            j += 1;
        }
        (!self.char_at(j).is_some_and(is_word_char)).then_some(j)
    }

    /// `word` as a whole word ending at `end`, any case, with where it starts.
    pub(super) fn word_before(&self, end: usize, word: &str) -> Option<usize> {
        let start = end.checked_sub(word.chars().count())?;
        self.word_at(start, word, true).filter(|&e| e == end).map(|_| start)
    }

    /// A number written in words at `i` (five, Twenty-one, a dozen, a million), before
    /// any multiplier.
    pub(super) fn read_english_number(&self, i: usize) -> Option<Num> {
        let num = |value: u32, end: usize| Num { value: Decimal::from(value), start: i, end, ..Num::default() };
        if let Some(end) = self.word_at(i, "a dozen", true).or_else(|| self.word_at(i, "dozen", true)) {
            return Some(num(12, end));
        }
        if let Some(end) = self.word_at(i, "a", true) {
            let next = self.skip_spaces(end);
            let multiplier =
                MULTIPLIERS.iter().any(|&(word, _, spaced)| spaced && self.word_at(next, word, true).is_some());
            return (next > end && multiplier).then(|| num(1, end));
        }
        if let Some((value, end)) = TENS.iter().find_map(|&(word, v)| Some((v, self.word_at(i, word, true)?))) {
            let unit = (self.char_at(end) == Some('-'))
                .then(|| UNITS[..9].iter().find_map(|&(word, v)| Some((v, self.word_at(end + 1, word, true)?))))
                .flatten();
            return Some(match unit {
                Some((u, unit_end)) => num(value + u, unit_end),
                None => num(value, end),
            });
        }
        let (value, end) = UNITS.iter().find_map(|&(word, v)| Some((v, self.word_at(i, word, true)?)))?;
        // "one of the largest" names no amount; "one-child", "one-off" are words.
        let of_follows = value == 1 && self.word_at(self.skip_spaces(end), "of", true).is_some();
        if of_follows || self.char_at(end) == Some('-') {
            return None;
        }
        Some(num(value, end))
    }

    /// A fraction written in words (half, a third, two-thirds). "The first half" is a
    /// period, not a share.
    pub(super) fn read_english_fraction(&self, i: usize) -> Option<Quantity> {
        let (numerator, denominator, end) =
            FRACTIONS.iter().find_map(|&(word, n, d)| Some((n, d, self.word_at(i, word, true)?)))?;
        let before = self.skip_spaces_back(i);
        let period = ["first", "second", "third", "fourth"].iter().any(|w| self.word_before(before, w).is_some());
        if period || self.char_at(end) == Some('-') {
            return None;
        }
        let value = Decimal::from(numerator).checked_div(Decimal::from(denominator))?;
        let num = Num { value, start: i, end, ..Num::default() };
        Some(Quantity { scale: Scale::Fraction, ..Quantity::plain(num) })
    }

    /// thousand, million, billion, trillion, mn, bn, tn, m, k after a number (5 billion,
    /// US$7.5bn, five million), chained from small to large (two hundred thousand).
    pub(super) fn read_english_multiplier(&self, num: Num) -> Step<Num> {
        if num.has_big {
            return Ok(num);
        }
        let mut num = num;
        let mut last_pow = 0;
        loop {
            let spaced = self.skip_spaces(num.end);
            let hit = MULTIPLIERS.iter().find_map(|&(word, pow, may_space)| {
                let at = if may_space { spaced } else { num.end };
                (pow > last_pow).then(|| self.word_after_number(at, word).map(|end| (pow, end))).flatten()
            });
            let Some((pow, end)) = hit else {
                return Ok(num);
            };
            let factor = mul(num.trailing_big.unwrap_or(Decimal::ONE), pow10(pow))?;
            num = Num {
                value: mul(num.value, pow10(pow))?,
                end,
                year: false,
                year_shaped: false,
                has_big: true,
                trailing_big: Some(factor),
                ..num
            };
            last_pow = pow;
        }
    }

    /// A word right after a number (5bn, 5 billion): the number's own digits touch it,
    /// so only the end of the word needs a boundary.
    fn word_after_number(&self, at: usize, word: &str) -> Option<usize> {
        let mut j = at;
        for w in word.chars() {
            if !self.char_at(j)?.eq_ignore_ascii_case(&w) {
                return None;
            }
            j += 1;
        }
        (!self.char_at(j).is_some_and(is_word_char)).then_some(j)
    }

    /// per cent, percent, pct, percentage points, pp, basis points (bp) after a number.
    pub(super) fn english_share_suffix(&self, num: Num) -> Option<Quantity> {
        let mut at = num.end;
        while self.char_at(at).is_some_and(|c| c == ' ' || c == '-') && at < num.end + 2 {
            at += 1;
        }
        let after_percentage = self
            .word_after_number(at, "percentage")
            .filter(|&end| self.char_at(end).is_some_and(|c| c == ' ' || c == '-'))
            .and_then(|end| ["points", "point"].iter().find_map(|w| self.word_after_number(end + 1, w)));
        let basis_points =
            ["basis points", "basis point", "bps", "bp"].iter().find_map(|w| self.word_after_number(at, w));
        if let Some(end) = basis_points {
            // 25 basis points are 0.25 percentage points.
            let hundredth = Decimal::new(1, 2);
            let value = num.value.checked_mul(hundredth)?;
            return Some(Quantity {
                value,
                scale: Scale::Points,
                end,
                share_factor: hundredth,
                ..Quantity::plain(num)
            });
        }
        let (scale, end) = if let Some(end) = after_percentage {
            (Scale::Points, end)
        } else if let Some(end) = ["per cent", "percent", "pct"].iter().find_map(|w| self.word_after_number(at, w)) {
            (Scale::Percent, end)
        } else if let Some(end) = ["ppts", "ppt", "pp"].iter().find_map(|w| self.word_after_number(at, w)) {
            (Scale::Points, end)
        } else {
            return None;
        };
        Some(Quantity { scale, end, ..Quantity::plain(num) })
    }

    /// Letters glued to the end of a number that make it a name or code (5G, 910B,
    /// 9000s, 1st), unless they are a measure (7nm).
    pub(super) fn glued_letters_after(&self, end: usize) -> bool {
        if !self.char_at(end).is_some_and(is_word_char) {
            return false;
        }
        !ATTACHED_UNITS.iter().any(|unit| self.word_after_number(end, unit).is_some())
    }

    /// A day of the month: `March 5`, `5 March`, `Sept. 30`.
    pub(super) fn english_day(&self, num: &Num) -> Option<DatePart> {
        let whole = num.value.fract().is_zero() && num.value >= Decimal::ONE && num.value <= Decimal::from(31);
        if !whole || num.has_big || self.char_at(num.start).and_then(super::arabic::arabic_digit).is_none() {
            return None;
        }
        let before = self.skip_spaces_back(num.start);
        let month_before = before < num.start && MONTHS.iter().any(|m| self.ends_with(before, m));
        let after = self.skip_spaces(num.end);
        let month_after = after > num.end && MONTHS[..12].iter().any(|m| self.word_at(after, m, false).is_some());
        (month_before || month_after).then_some(DatePart::Day)
    }

    /// An English qualifier ending at `j`, which a space separates from the number.
    pub(super) fn english_qualifier_before(&self, j: usize) -> Option<(Qualifier, usize)> {
        BEFORE.iter().find_map(|&(word, q)| Some((q, self.word_before(j, word)?)))
    }

    /// An "about" word standing apart from the share at `start`, with at most four of
    /// `DETACHED_BETWEEN` between: roughly equal to 3% of GDP.
    pub(super) fn english_detached_qualifier(&self, start: usize) -> Option<(Qualifier, usize)> {
        let mut end = self.skip_spaces_back(start);
        if end == start {
            return None;
        }
        for _ in 0..=4 {
            if let Some(at) = DETACHED_APPROX.iter().find_map(|w| self.word_before(end, w)) {
                return Some((Qualifier::Approx, at));
            }
            let at = DETACHED_BETWEEN.iter().find_map(|w| self.word_before(end, w))?;
            let before = self.skip_spaces_back(at);
            if before == at {
                return None;
            }
            end = before;
        }
        None
    }

    /// An English qualifier after a space at `end` (5% or more).
    pub(super) fn english_qualifier_after(&self, end: usize) -> Option<(Qualifier, usize)> {
        let at = self.skip_spaces(end);
        if at == end {
            return None;
        }
        AFTER.iter().find_map(|&(word, q)| Some((q, self.word_at(at, word, true)?)))
    }

    /// `to` joining a range (4.5% to 5%), unless `from` opens it: "rose from 4.6% to 4.8%"
    /// is a change, not a range.
    pub(super) fn range_word_to(&self, left_start: usize, at: usize) -> Option<usize> {
        let end = self.word_at(at, "to", true)?;
        let from = self.word_before(self.skip_spaces_back(left_start), "from").is_some();
        (!from).then_some(end)
    }

    /// `and` joining a range that `between` opens, with where `between` starts.
    pub(super) fn range_word_and(&self, left_start: usize, at: usize) -> Option<usize> {
        self.between_before(left_start)?;
        self.word_at(at, "and", true)
    }

    pub(super) fn between_before(&self, start: usize) -> Option<usize> {
        let j = self.skip_spaces_back(start);
        if j == start {
            return None;
        }
        self.word_before(j, "between")
    }

    /// A bare four-digit number 1900–2100 in English text is a year (in 2024, 2025's,
    /// (2023)); one a counter follows (2000家) or that touches no space is not.
    pub(super) fn english_year_context(&self, start: usize, end: usize) -> bool {
        let next_word = self.char_at(self.skip_spaces(end));
        if next_word.is_some_and(|c| !c.is_ascii() && c.is_alphabetic()) {
            return false;
        }
        let prev = start.checked_sub(1).and_then(|k| self.char_at(k));
        let next = self.char_at(end);
        let latin_before = prev.is_some_and(|c| c.is_ascii_whitespace() || matches!(c, '(' | '['));
        let latin_after = next.is_some_and(|c| c.is_ascii_whitespace() || c.is_ascii_punctuation() || c == '’');
        latin_before || latin_after
    }
}
