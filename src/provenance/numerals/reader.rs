//! The scan over a text that both languages share: at each position, whether a number
//! starts there; how it is completed with its share, currency, range and qualifiers; and
//! which of the numbers found are parts of dates. The language-specific readers are in
//! `chinese`, `english`, `arabic` and `currency`.

use super::arabic::arabic_digit;
use super::chinese::{PERCENT_WORDS, is_connector, is_dash, is_numeral_char};
use super::{Currency, DatePart, Found, Overflow, Qualifier, Scale, Step};
use rust_decimal::Decimal;

/// A bare number, before any share suffix or range (positions are char indices).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Num {
    pub value: Decimal,
    pub start: usize,
    pub end: usize,
    /// A year by its own form: a digit run (二○二二, 一九年) or four Arabic digits before 年.
    pub year: bool,
    /// Four plain Arabic digits 1900–2100, which context may make a year (in 2024).
    pub year_shaped: bool,
    /// Contains a multiplier (萬, 億, 兆, million, bn).
    pub has_big: bool,
    /// The multiplier the number ends with (5萬 -> 10^4, 5 billion -> 10^9), which a
    /// range's bare left side borrows (2至3萬 = 2萬 to 3萬, 10-12 billion).
    pub trailing_big: Option<Decimal>,
    /// Written as 七百多億: at least that much.
    pub more_inside: bool,
}

/// A number with its share marker, currency or date reading applied.
#[derive(Debug, Clone, Copy)]
pub(super) struct Quantity {
    pub value: Decimal,
    pub scale: Scale,
    pub start: usize,
    pub end: usize,
    pub date: Option<DatePart>,
    pub year_shaped: bool,
    pub has_big: bool,
    pub trailing_big: Option<Decimal>,
    /// What a bare left side of a range is multiplied by when it borrows this
    /// side's percent: 10 for 成 (四至五成 = 40..50), 1 for %.
    pub share_factor: Decimal,
    /// Written 百分之N: a bare right side of a range is a percent too.
    pub percent_prefix: bool,
    pub more_inside: bool,
    pub currency: Option<Currency>,
}

impl Quantity {
    pub(super) fn plain(num: Num) -> Self {
        Quantity {
            value: num.value,
            scale: Scale::Plain,
            start: num.start,
            end: num.end,
            date: num.year.then_some(DatePart::Year),
            year_shaped: num.year_shaped,
            has_big: num.has_big,
            trailing_big: num.trailing_big,
            share_factor: Decimal::ONE,
            percent_prefix: false,
            more_inside: num.more_inside,
            currency: None,
        }
    }
}

/// Characters that print as nothing: zero-width space and joiners, word joiner, BOM,
/// soft hyphen. Between digits they hide where a number ends.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{ad}' | '\u{180e}')
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || c == '\u{a0}'
}

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

pub(super) struct Reader<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Reader { text, chars: text.char_indices().collect() }
    }

    pub(super) fn char_at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    fn byte_at(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |&(b, _)| b)
    }

    pub(super) fn starts_with(&self, i: usize, word: &str) -> bool {
        word.chars().enumerate().all(|(k, w)| self.char_at(i + k) == Some(w))
    }

    pub(super) fn ends_with(&self, end: usize, word: &str) -> bool {
        let n = word.chars().count();
        end >= n && self.starts_with(end - n, word)
    }

    pub(super) fn skip_spaces(&self, mut i: usize) -> usize {
        while self.char_at(i).is_some_and(is_space) {
            i += 1;
        }
        i
    }

    pub(super) fn skip_spaces_back(&self, mut i: usize) -> usize {
        while i > 0 && self.char_at(i - 1).is_some_and(is_space) {
            i -= 1;
        }
        i
    }

    /// Past an overflowing or unreadable numeral run, so none of its pieces is reported.
    fn skip_numeral_run(&self, i: usize) -> usize {
        let mut j = i;
        while self.char_at(j).is_some_and(|c| is_numeral_char(c) || matches!(c, '.' | '．' | ',') || is_invisible(c)) {
            j += 1;
        }
        j.max(i + 1)
    }

    /// Whether a number may start at `i` (after a currency sign).
    pub(super) fn may_start_number(&self, i: usize) -> bool {
        self.char_at(i).is_some_and(|c| is_numeral_char(c) || c.is_ascii_alphabetic())
    }

    /// Every number, and the byte offsets of the numeral runs refused as unreadable.
    pub(super) fn read_all(&self) -> (Vec<Found>, Vec<usize>) {
        let mut found = Vec::new();
        let mut refused = Vec::new();
        let mut i = 0;
        while i < self.chars.len() {
            i = match self.read_quantity(i) {
                Ok(Some(quantity)) => {
                    let (f, next) = self.complete(quantity);
                    found.push(f);
                    next.max(i + 1)
                }
                Ok(None) => i + 1,
                Err(Overflow) => {
                    refused.push(self.byte_at(i));
                    self.skip_numeral_run(i)
                }
            };
        }
        self.mark_numeric_dates(&mut found);
        (found, refused)
    }

    /// Refuses a number whose digits go on past `end` in a way no reading is sure of:
    /// a decimal comma (`3,5%` in Russian or German, which is not 5%) or an invisible
    /// character between digits (`1\u{200b}000`, which is not 0).
    pub(super) fn refuse_unsure_continuation(&self, end: usize) -> Step<()> {
        let digit_at = |k: usize| self.char_at(k).is_some_and(|c| arabic_digit(c).is_some());
        let decimal_comma = self.char_at(end) == Some(',') && end > 0 && digit_at(end - 1) && digit_at(end + 1);
        let mut k = end;
        while self.char_at(k).is_some_and(is_invisible) {
            k += 1;
        }
        let split = k > end
            && end > 0
            && self.char_at(end - 1).is_some_and(is_numeral_char)
            && self.char_at(k).is_some_and(is_numeral_char);
        if decimal_comma || split { Err(Overflow) } else { Ok(()) }
    }

    // --- one quantity -------------------------------------------------------

    /// A number starting at `i` with its share, multiplier and currency, or `None`.
    pub(super) fn read_quantity(&self, i: usize) -> Step<Option<Quantity>> {
        if let Some((currency, number)) = self.currency_prefix(i) {
            let amount = self.read_bare_quantity(number)?.filter(|q| q.scale == Scale::Plain && q.date.is_none());
            return Ok(amount.map(|q| Quantity { start: i, currency: Some(currency), year_shaped: false, ..q }));
        }
        self.read_bare_quantity(i)
    }

    fn read_bare_quantity(&self, i: usize) -> Step<Option<Quantity>> {
        let Some(c) = self.char_at(i) else {
            return Ok(None);
        };
        if PERCENT_WORDS.iter().any(|word| self.starts_with(i, word)) {
            return Ok(None);
        }
        if let Some(quantity) = self.read_percent_prefix(i)? {
            return Ok(Some(quantity));
        }
        let num = if c.is_ascii_alphabetic() {
            if let Some(fraction) = self.read_english_fraction(i) {
                return Ok(Some(fraction));
            }
            self.read_english_number(i)
        } else if (arabic_digit(c).is_some() && self.glued_to_code(i)) || self.numeral_is_a_word(i) {
            None
        } else {
            self.read_num(i)?
        };
        let Some(num) = num else {
            return Ok(None);
        };
        self.refuse_unsure_continuation(num.end)?;
        if let Some(quantity) = self.read_fraction(&num)? {
            return Ok(Some(quantity));
        }
        let date = self.chinese_date(&num).or_else(|| Some((self.english_day(&num)?, num.end)));
        if let Some((date, end)) = date {
            return Ok(Some(Quantity { date: Some(date), end, year_shaped: false, ..Quantity::plain(num) }));
        }
        let num = self.read_more_multiplier(num)?;
        let num = self.read_english_multiplier(num)?;
        let mut quantity = match self.chinese_share_suffix(num)? {
            Some(share) => share,
            None => self.english_share_suffix(num).unwrap_or_else(|| Quantity::plain(num)),
        };
        if self.glued_letters_after(quantity.end) {
            return Ok(None);
        }
        if quantity.scale == Scale::Plain
            && let Some((currency, end)) = self.currency_suffix(quantity.end)
        {
            quantity = Quantity { currency: Some(currency), end, year_shaped: false, ..quantity };
        }
        Ok(Some(quantity))
    }

    // --- ranges, qualifiers and context -------------------------------------

    /// Turns a quantity into a `Found`, joining a range that follows it and
    /// the qualifiers around it. Also returns where reading resumes.
    fn complete(&self, left: Quantity) -> (Found, usize) {
        let (low, high) = match self.read_range(&left) {
            Some((low, high)) => (low, Some(high)),
            None => (left, None),
        };
        let end = high.map_or(low.end, |h| h.end);
        let range_start = high.and_then(|_| self.between_before(low.start)).unwrap_or(low.start);
        // A share's "about" may stand before its verb (約佔國內生產總值的一成).
        let share = high.is_none() && matches!(low.scale, Scale::Percent | Scale::Fraction);
        let before = self
            .qualifier_before(range_start)
            .or_else(|| share.then(|| self.detached_qualifier_before(range_start)).flatten());
        let after = self.qualifier_after(end);
        let qualified = before.is_some() || after.is_some();
        let qualifier =
            choose_qualifier(high.is_some(), before.map(|(q, _)| q), low.more_inside, after.map(|(q, _)| q));
        let start = before.map_or(range_start, |(_, at)| at);
        let span_end = after.map_or(end, |(_, at)| at);
        let year_by_context = low.year_shaped
            && high.is_none_or(|h| h.year_shaped)
            && !qualified
            && self.english_year_context(low.start, end);
        let date = low.date.or(high.and_then(|h| h.date)).or(year_by_context.then_some(DatePart::Year));
        let found = Found {
            value: low.value.normalize(),
            high: high.map(|h| h.value.normalize()),
            qualifier,
            scale: low.scale,
            currency: low.currency,
            span: self.byte_at(start)..self.byte_at(span_end),
            date,
        };
        (found, end)
    }

    /// X至Y, X-Y, X to Y, between X and Y and, with a counter repeated on both sides,
    /// 一年至兩年.
    fn read_range(&self, left: &Quantity) -> Option<(Quantity, Quantity)> {
        self.range_with_unit(left, None).or_else(|| {
            let unit = self.char_at(left.end).filter(|&c| super::chinese::is_measure(c))?;
            self.range_with_unit(left, Some(unit))
        })
    }

    fn range_with_unit(&self, left: &Quantity, unit: Option<char>) -> Option<(Quantity, Quantity)> {
        let after_left = left.end + usize::from(unit.is_some());
        let at = self.skip_spaces(after_left);
        let dash = self.char_at(at).is_some_and(is_dash);
        let connector_end = if self.char_at(at).is_some_and(is_connector) {
            at + 1
        } else if at > after_left && unit.is_none() {
            self.range_word_to(left.start, at).or_else(|| self.range_word_and(left.start, at))?
        } else {
            return None;
        };
        let right = self.read_quantity(self.skip_spaces(connector_end)).ok()??;
        if unit.is_some_and(|u| self.char_at(right.end) != Some(u)) {
            return None;
        }
        if dash && self.in_dash_chain(left.start, right.end) {
            return None;
        }
        let (low, mut high) = borrow_right_units(*left, right)?;
        // The repeated counter is part of the range: 一年至兩年 ends after the second 年.
        high.end += usize::from(unit.is_some());
        // A descending pair is not a range: 2024-03-15 is a date, 從五%降到三% a fall.
        let same_kind = low.scale == high.scale && low.currency == high.currency;
        (same_kind && low.value < high.value).then_some((low, high))
    }

    /// Whether a dash also touches the outer side of either number, as in a
    /// date: then no part of the chain is a range.
    fn in_dash_chain(&self, start: usize, end: usize) -> bool {
        let dash_before = start > 0 && self.char_at(start - 1).is_some_and(is_dash);
        dash_before || self.char_at(end).is_some_and(is_dash)
    }

    fn qualifier_before(&self, start: usize) -> Option<(Qualifier, usize)> {
        let j = self.skip_spaces_back(start);
        self.chinese_qualifier_before(j).or_else(|| (j < start).then(|| self.english_qualifier_before(j)).flatten())
    }

    fn detached_qualifier_before(&self, start: usize) -> Option<(Qualifier, usize)> {
        self.chinese_detached_qualifier(start).or_else(|| self.english_detached_qualifier(start))
    }

    fn qualifier_after(&self, end: usize) -> Option<(Qualifier, usize)> {
        self.chinese_qualifier_after(end).or_else(|| self.english_qualifier_after(end))
    }

    /// Dates written in digits: 2024-03-15, 2024/3/15 and the fiscal year 2024-25. The
    /// year is found by its context; the month and day after it are marked here.
    fn mark_numeric_dates(&self, found: &mut [Found]) {
        for k in 1..found.len() {
            let (earlier, later) = found.split_at_mut(k);
            let (prev, this) = (&earlier[k - 1], &mut later[0]);
            if prev.date.is_none() || this.date.is_some() || !is_bare_whole(this) {
                continue;
            }
            let gap = self.text.get(prev.span.end..this.span.start).unwrap_or("");
            if !matches!(gap, "-" | "/" | "－" | "–") {
                continue;
            }
            let year_ahead = prev.value + Decimal::ONE;
            this.date = match prev.date {
                Some(DatePart::Year) if this.value == year_ahead % Decimal::ONE_HUNDRED && gap != "/" => {
                    Some(DatePart::Year)
                }
                Some(DatePart::Year) if this.value <= Decimal::from(12) => Some(DatePart::Month),
                Some(DatePart::Month) if this.value <= Decimal::from(31) => Some(DatePart::Day),
                _ => None,
            };
        }
    }
}

/// A plain whole number with nothing around it, as the parts of a date are.
fn is_bare_whole(found: &Found) -> bool {
    found.scale == Scale::Plain
        && found.qualifier == Qualifier::Exact
        && found.currency.is_none()
        && found.high.is_none()
        && found.value.fract().is_zero()
        && found.value >= Decimal::ONE
}

/// In a range the unit is often written once, on the right: 四至五成 is 40% to 50%,
/// 2至3萬 is 20000 to 30000, 40-50% is 40% to 50%, 10-12 billion yuan is 10 billion to
/// 12 billion yuan. 百分之四十至五十 and $10-12bn write it once on the left.
fn borrow_right_units(mut low: Quantity, mut high: Quantity) -> Option<(Quantity, Quantity)> {
    if low.scale == Scale::Plain
        && !low.has_big
        && let Some(factor) = high.trailing_big
    {
        low.value = low.value.checked_mul(factor)?;
        low.has_big = true;
    }
    if low.scale == Scale::Plain && matches!(high.scale, Scale::Percent | Scale::Points) {
        low.value = low.value.checked_mul(high.share_factor)?;
        low.scale = high.scale;
    } else if high.scale == Scale::Plain && low.percent_prefix && !high.has_big {
        high.scale = Scale::Percent;
    }
    if low.scale == Scale::Plain && high.scale == Scale::Plain {
        match (low.currency, high.currency) {
            (None, Some(currency)) => low.currency = Some(currency),
            (Some(currency), None) => high.currency = Some(currency),
            _ => {}
        }
    }
    Some((low, high))
}
