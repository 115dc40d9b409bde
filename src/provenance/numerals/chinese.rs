//! Chinese numerals, Traditional and Simplified: positional numbers (一百零四億, 兩萬五),
//! digit runs (二○二二), decimals with 點/点 or `.` (四.六, 二點八), the multipliers 萬, 億
//! and 兆, shares (成, 分之, 百分之) and percentage points (個百分點), months and days
//! (一季度, 三月十一日), and the qualifiers written before or after a number (約, 超過, 以上, 左右).

use super::arabic::{arabic_digit, is_point};
use super::reader::{Num, Quantity, Reader};
use super::{DatePart, Overflow, Qualifier, Scale, Step, TEN, add, mul, pow10};
use rust_decimal::Decimal;

// ---------------------------------------------------------------------------
// Character classes

pub(super) fn chinese_digit(c: char) -> Option<u32> {
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

/// 萬, 億 and 兆 as powers of ten: they multiply everything before them.
///
/// 兆 is read as 10^12, its meaning in Taiwan (2.6兆元 = NT$2.6 trillion) and in the
/// seed article's Traditional Chinese. Mainland usage writes 10^12 as 萬億/万亿 and uses
/// 兆 mostly as the SI prefix mega- (兆瓦, 兆字节), which `big_pow_at` leaves alone.
pub(super) fn big_pow(c: char) -> Option<u32> {
    match c {
        '萬' | '万' => Some(4),
        '億' | '亿' => Some(8),
        '兆' => Some(12),
        _ => None,
    }
}

/// What 兆 is the SI prefix of (兆瓦 megawatt, 兆赫 megahertz, 兆字節 megabyte).
const MEGA_UNITS: &[char] = &['瓦', '赫', '字', '位', '帕', '焦', '比', '伏', '歐', '欧', '安', '克'];

/// A decimal point between Chinese digits: 四.六, 二點八, 五点二.
fn is_chinese_point(c: char) -> bool {
    is_point(c) || matches!(c, '點' | '点')
}

pub(super) fn is_connector(c: char) -> bool {
    matches!(c, '至' | '到' | '-' | '－' | '~' | '～' | '〜' | '–')
}

/// Dashes also chain the parts of dates and codes (2024-03-15, 02-2345-6789).
pub(super) fn is_dash(c: char) -> bool {
    matches!(c, '-' | '－' | '–')
}

pub(super) fn is_numeral_char(c: char) -> bool {
    arabic_digit(c).is_some()
        || chinese_digit(c).is_some()
        || unit_pow(c).is_some()
        || big_pow(c).is_some()
        || c == '廿'
}

/// 萬 and 億 cannot open a number: alone they are words (萬一 "in case"), except right
/// after a qualifier (近億, 逾萬), which `read_num` allows.
fn starts_number(c: char) -> bool {
    arabic_digit(c).is_some() || chinese_digit(c).is_some() || unit_pow(c).is_some() || c == '廿'
}

/// A counter or currency word between a number and what bounds it
/// (七百億元以上, 一年至兩年): any CJK letter that is not itself numeric.
pub(super) fn is_measure(c: char) -> bool {
    !c.is_ascii() && c.is_alphabetic() && !is_numeral_char(c) && !is_connector(c)
}

/// Words whose numeral is not a number: names (百度 Baidu), and 一 as "all", "once",
/// "together" (一切, 一度, 一起).
const WORDS_NOT_NUMBERS: &[&str] = &[
    "百度", "百貨", "百货", "百姓", "百科", "一些", "一切", "一直", "一起", "一樣", "一样", "一般", "一定", "一致",
    "一同", "一旦", "一再", "一向", "一貫", "一贯", "一應", "一应", "一較", "一较", "一度", "一詞", "一词", "一律",
    "一味", "一番", "一下",
];

/// Characters that make the numeral after them an ordinal or a word: 第三 (third), 唯一
/// (only), 之一 (one of), 統一 (unified).
const NOT_NUMBER_AFTER: &[char] = &['第', '唯', '之', '統', '统'];

/// Words opened by 百 that name a share, not the number 100.
pub(super) const PERCENT_WORDS: &[&str] = &["百分點", "百分点", "百分比"];

/// Counters of percentage points: a change of the rate, not its level.
const POINT_COUNTERS: &[&str] = &["個百分點", "个百分点", "百分點", "百分点"];

/// Words where 成 after a number means "become"/"cost", not tenths.
const NOT_SHARE_AFTER_CHENG: &[char] = &['為', '为', '功', '立', '員', '员', '本', '果'];

// ---------------------------------------------------------------------------
// Qualifiers

/// Qualifiers written just before a number. Longer words come first so that
/// 不超過 wins over 超過, and 超過 over 超.
pub(super) const BEFORE: &[(&str, Qualifier)] = &[
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
    ("約為", Qualifier::Approx),
    ("约为", Qualifier::Approx),
    // 約 and a verb before any number (約有五百家, 約達三成); further from a share, see
    // `chinese_detached_qualifier`.
    ("約有", Qualifier::Approx),
    ("约有", Qualifier::Approx),
    ("約達", Qualifier::Approx),
    ("约达", Qualifier::Approx),
    ("約佔", Qualifier::Approx),
    ("約占", Qualifier::Approx),
    ("约占", Qualifier::Approx),
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
    // "As many as": an upper end, like "up to". 高達 stays emphasis (data/README.md).
    ("多達", Qualifier::AtMost),
    ("多达", Qualifier::AtMost),
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
    ("上下", Qualifier::Approx, 3),
    ("不到", Qualifier::AtMost, 1),
    ("多", Qualifier::AtLeast, 0),
    ("餘", Qualifier::AtLeast, 0),
    ("余", Qualifier::AtLeast, 0),
];

const MAX_AFTER_GAP: usize = 3;

/// "About" words that may stand apart from a share, before the verb that leads to it
/// (約佔國內生產總值的一成, 近全台九成). 約 must open one of `LINK_VERBS` (約束 is
/// "restraint"); 近 must not open a word of time (近年 "recent years").
const DETACHED_APPROX: &[&str] = &["大約", "大约", "將近", "将近", "接近", "幾乎", "几乎", "約", "约", "近"];
const LINK_VERBS: &[&str] = &["佔", "占", "為", "为", "有", "達", "达", "是", "相當於", "相当于", "等於", "等于", "合"];
const NOT_APPROX_AFTER_JIN: &[char] =
    &['年', '期', '來', '来', '日', '月', '況', '况', '幾', '几', '代', '半', '處', '处', '郊', '海', '親', '亲'];

/// How far back a detached qualifier may stand, in characters.
const MAX_DETACHED_GAP: usize = 12;

/// 上下 opening one of these words is not "about" (上下游 upstream and downstream).
const NOT_APPROX_AFTER_SHANGXIA: &[char] = &['游', '班', '級', '级', '樓', '楼', '文', '車', '车'];

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
// The Chinese readers

impl Reader<'_> {
    /// Whether the numeral at `i` is part of a word, a name or an ordinal (百度, 一切, 第三).
    pub(super) fn numeral_is_a_word(&self, i: usize) -> bool {
        let after_marker = i > 0 && self.char_at(i - 1).is_some_and(|c| NOT_NUMBER_AFTER.contains(&c));
        after_marker || WORDS_NOT_NUMBERS.iter().any(|word| self.starts_with(i, word))
    }

    /// A bare number: a digit run, a positional number, or Arabic digits with Chinese
    /// multipliers (10.4億). A lone 萬/億/兆 opens one only after a qualifier (近億).
    pub(super) fn read_num(&self, i: usize) -> Step<Option<Num>> {
        let Some(c) = self.char_at(i) else {
            return Ok(None);
        };
        let bare_multiplier = big_pow(c).is_some() && self.chinese_qualifier_before(i).is_some();
        if !starts_number(c) && !bare_multiplier {
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
        Ok(Some(Num { value, start: i, end: j, year: len == 4 || (len == 2 && before_nian), ..Num::default() }))
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
        } else if self.char_at(i).and_then(big_pow).is_some() {
            // 近億: the multiplier stands for one of itself.
            p.push_digit(Decimal::ONE, true);
        }
        while let Some(next) = self.positional_step(&mut p, j, arabic_start)? {
            j = next;
        }
        if !arabic_start && let Some(num) = self.read_chinese_decimal(&p, i, j)? {
            return Ok(num);
        }
        let bare_arabic = year_shaped && !p.has_units;
        let before_nian = self.char_at(self.skip_spaces(j)) == Some('年');
        Ok(Num {
            value: p.value()?,
            start: i,
            end: j,
            year: bare_arabic && before_nian,
            year_shaped: bare_arabic,
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
            // The 百 of 1.5百分點 opens the counter, not a hundred.
            if PERCENT_WORDS.iter().any(|word| self.starts_with(j, word)) {
                return Ok(None);
            }
            p.push_unit(pow)?;
            return Ok(next);
        }
        if c == '廿' && !digit_after_digit {
            p.push_twenty()?;
            return Ok(next);
        }
        if let Some(pow) = self.big_pow_at(j) {
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

    /// The multiplier at `j`, unless it is 兆 as the SI prefix mega- (兆瓦).
    pub(super) fn big_pow_at(&self, j: usize) -> Option<u32> {
        let pow = self.char_at(j).and_then(big_pow)?;
        let mega = pow == 12 && self.char_at(j + 1).is_some_and(|c| MEGA_UNITS.contains(&c));
        (!mega).then_some(pow)
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

    /// A decimal point between Chinese digits (四.六 = 4.6, 二點八 = 2.8), then any
    /// 萬/億/兆 that multiply the whole (四.六億, 三點四億).
    fn read_chinese_decimal(&self, p: &Positional, i: usize, j: usize) -> Step<Option<Num>> {
        let point_then_digit =
            self.char_at(j).is_some_and(is_chinese_point) && self.char_at(j + 1).and_then(sequence_digit).is_some();
        if !point_then_digit || p.trailing_big.is_some() {
            return Ok(None);
        }
        let (fraction, mut end) = self.read_fraction_digits(j + 1, sequence_digit)?;
        let mut value = super::arabic::add_exactly(p.value()?, fraction)?;
        let mut trailing: Option<Decimal> = None;
        while let Some(pow) = self.big_pow_at(end) {
            value = mul(value, pow10(pow))?;
            trailing = Some(mul(trailing.unwrap_or(Decimal::ONE), pow10(pow))?);
            end += 1;
        }
        Ok(Some(Num {
            value,
            start: i,
            end,
            has_big: p.has_big || trailing.is_some(),
            trailing_big: trailing,
            ..Num::default()
        }))
    }

    // --- shares and dates ---------------------------------------------------

    /// 百分之N is N percent. Without a number after it, 百 is read as 100.
    pub(super) fn read_percent_prefix(&self, i: usize) -> Step<Option<Quantity>> {
        if !self.starts_with(i, "百分之") {
            return Ok(None);
        }
        let Some(num) = self.read_num(i + 3)? else {
            return Ok(None);
        };
        Ok(Some(Quantity { scale: Scale::Percent, start: i, percent_prefix: true, ..Quantity::plain(num) }))
    }

    /// N分之M is the ratio M/N (三分之一 = 1/3).
    pub(super) fn read_fraction(&self, denominator: &Num) -> Step<Option<Quantity>> {
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
            date: None,
            year_shaped: false,
            has_big: false,
            trailing_big: None,
            ..Quantity::plain(numerator)
        }))
    }

    /// 七百多億: the 多/餘 sits between the number and its multiplier.
    pub(super) fn read_more_multiplier(&self, num: Num) -> Step<Num> {
        let j = num.end;
        if !self.char_at(j).is_some_and(|c| matches!(c, '多' | '餘' | '余')) {
            return Ok(num);
        }
        let mut end = j + 1;
        let mut factor = Decimal::ONE;
        while let Some(pow) = self.big_pow_at(end) {
            factor = mul(factor, pow10(pow))?;
            end += 1;
        }
        if end == j + 1 {
            return Ok(num);
        }
        Ok(Num {
            value: mul(num.value, factor)?,
            end,
            year: false,
            year_shaped: false,
            has_big: true,
            trailing_big: Some(factor),
            more_inside: true,
            ..num
        })
    }

    /// %, 成 and 個百分點 after a number; `None` when none follows.
    pub(super) fn chinese_share_suffix(&self, num: Num) -> Step<Option<Quantity>> {
        let after_spaces = self.skip_spaces(num.end);
        if self.char_at(after_spaces).is_some_and(|c| matches!(c, '%' | '％')) {
            return Ok(Some(Quantity { scale: Scale::Percent, end: after_spaces + 1, ..Quantity::plain(num) }));
        }
        if let Some(word) = POINT_COUNTERS.iter().find(|word| self.starts_with(num.end, word)) {
            let end = num.end + word.chars().count();
            return Ok(Some(Quantity { scale: Scale::Points, end, ..Quantity::plain(num) }));
        }
        if self.is_cheng_share(num.end) {
            return self.read_cheng(num).map(Some);
        }
        Ok(None)
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

    /// A quarter (一季度), a month (三月, 十二月) or, right after a month, a day (三月十一日, 3月5號), with
    /// where it ends. 三個月 is a duration: the counter keeps 月 from touching the number.
    pub(super) fn chinese_date(&self, num: &Num) -> Option<(DatePart, usize)> {
        let whole = num.value.fract().is_zero() && !num.has_big && num.value >= Decimal::ONE;
        let next = self.char_at(num.end)?;
        if whole && next == '月' && num.value <= Decimal::from(12) {
            return Some((DatePart::Month, num.end + 1));
        }
        if whole && self.starts_with(num.end, "季度") && num.value <= Decimal::from(4) {
            return Some((DatePart::Quarter, num.end + 2));
        }
        let after_month = num.start > 0 && self.char_at(num.start - 1) == Some('月');
        let day = whole && after_month && matches!(next, '日' | '號' | '号') && num.value <= Decimal::from(31);
        day.then_some((DatePart::Day, num.end + 1))
    }

    // --- qualifiers ---------------------------------------------------------

    /// A Chinese qualifier ending at `j` (spaces before the number already skipped),
    /// with where it starts.
    pub(super) fn chinese_qualifier_before(&self, j: usize) -> Option<(Qualifier, usize)> {
        BEFORE.iter().find(|(word, _)| self.ends_with(j, word)).map(|&(word, q)| (q, j - word.chars().count()))
    }

    /// An "about" word standing apart from the share at `start`, with only letters between
    /// (no number, no punctuation): 約佔國內生產總值的一成.
    pub(super) fn chinese_detached_qualifier(&self, start: usize) -> Option<(Qualifier, usize)> {
        let mut at = start;
        while at > 0 && start - at < MAX_DETACHED_GAP {
            let c = self.char_at(at - 1)?;
            if c.is_ascii() || !c.is_alphabetic() || is_numeral_char(c) {
                return None;
            }
            at -= 1;
            // Words ending with the character at `at`; one touching the number is the
            // ordinary qualifier's, read before this.
            let after = at + 1;
            for word in DETACHED_APPROX {
                let len = word.chars().count();
                let Some(from) = after.checked_sub(len) else { continue };
                if after >= start || !self.starts_with(from, word) {
                    continue;
                }
                let fits = match *word {
                    "約" | "约" => LINK_VERBS.iter().any(|verb| self.starts_with(after, verb)),
                    "近" => !self.char_at(after).is_some_and(|c| NOT_APPROX_AFTER_JIN.contains(&c)),
                    _ => true,
                };
                if fits {
                    return Some((Qualifier::Approx, from));
                }
            }
        }
        None
    }

    /// The nearest Chinese qualifier after `end`, looking past at most a few counter
    /// characters (元, 家, 年) and never past punctuation or another number.
    pub(super) fn chinese_qualifier_after(&self, end: usize) -> Option<(Qualifier, usize)> {
        for gap in 0..=MAX_AFTER_GAP {
            let pos = end + gap;
            if gap > 0 && !self.char_at(pos - 1).is_some_and(is_measure) {
                return None;
            }
            let hit = AFTER.iter().find(|&&(word, _, max_gap)| gap <= max_gap && self.starts_with(pos, word));
            if let Some(&(word, q, _)) = hit {
                let after = pos + word.chars().count();
                if word == "上下" && self.char_at(after).is_some_and(|c| NOT_APPROX_AFTER_SHANGXIA.contains(&c)) {
                    return None;
                }
                return Some((q, after));
            }
        }
        None
    }
}
