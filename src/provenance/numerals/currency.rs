//! Currencies: the signs, ISO codes and words that make a number an amount of money,
//! before it (`US$`, `RMB`, `人民幣`) or after it (`元`, `美元`, `yuan`, `dollars`).
//!
//! A sign or word before the number wins over one after it: in 人民幣七百億元 and
//! 新台幣五千億元 the 元 is only the generic "unit of money". 元 alone is read as the
//! yuan (CNY), ¥ too (the renminbi sign in Chinese writing; yen is `yen`, `日元`, `JPY`).
//! A dollar sign with an unknown letter before it (C$, A$) is not read as US dollars.

use super::reader::Reader;

/// A currency an amount is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Currency {
    Cny,
    Usd,
    Eur,
    Jpy,
    Gbp,
    Hkd,
    Twd,
}

impl Currency {
    pub const ALL: [Currency; 7] =
        [Currency::Cny, Currency::Usd, Currency::Eur, Currency::Jpy, Currency::Gbp, Currency::Hkd, Currency::Twd];

    /// The ISO 4217 code, which is also the indicator unit for amounts of it.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Jpy => "JPY",
            Currency::Gbp => "GBP",
            Currency::Hkd => "HKD",
            Currency::Twd => "TWD",
        }
    }

    /// The currency an indicator unit names, if it is one.
    pub fn from_code(code: &str) -> Option<Currency> {
        Currency::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Signs written before the number, touching it or after a space. Longer first.
const SIGNS: &[(&str, Currency)] = &[
    ("US$", Currency::Usd),
    ("HK$", Currency::Hkd),
    ("NT$", Currency::Twd),
    ("$", Currency::Usd),
    ("¥", Currency::Cny),
    ("￥", Currency::Cny),
    ("€", Currency::Eur),
    ("£", Currency::Gbp),
    ("人民幣", Currency::Cny),
    ("人民币", Currency::Cny),
    ("新台幣", Currency::Twd),
    ("新台币", Currency::Twd),
    ("港幣", Currency::Hkd),
    ("港币", Currency::Hkd),
    ("美金", Currency::Usd),
];

/// Codes, before or after the number as whole words (RMB 5bn, 40 billion CNY).
const CODES: &[(&str, Currency)] = &[
    ("RMB", Currency::Cny),
    ("CNY", Currency::Cny),
    ("USD", Currency::Usd),
    ("EUR", Currency::Eur),
    ("JPY", Currency::Jpy),
    ("GBP", Currency::Gbp),
    ("HKD", Currency::Hkd),
    ("TWD", Currency::Twd),
];

/// Chinese words right after the number (七百億元, 三百億美元). Longer first, so 美元
/// wins over 元.
const CHINESE_AFTER: &[(&str, Currency)] = &[
    ("美元", Currency::Usd),
    ("美金", Currency::Usd),
    ("歐元", Currency::Eur),
    ("欧元", Currency::Eur),
    ("日元", Currency::Jpy),
    ("日圓", Currency::Jpy),
    ("日圆", Currency::Jpy),
    ("英鎊", Currency::Gbp),
    ("英镑", Currency::Gbp),
    ("港元", Currency::Hkd),
    ("港幣", Currency::Hkd),
    ("港币", Currency::Hkd),
    ("台幣", Currency::Twd),
    ("台币", Currency::Twd),
    ("人民幣", Currency::Cny),
    ("人民币", Currency::Cny),
    ("元", Currency::Cny),
];

/// Words where 元 after a number is not money (元年 first year, 元素 element, 元旦).
const NOT_MONEY_AFTER_YUAN: &[char] = &['年', '素', '旦', '首', '老'];

/// English words after the number and a space, any case. Longer first.
const ENGLISH_AFTER: &[(&str, Currency)] = &[
    ("US dollars", Currency::Usd),
    ("U.S. dollars", Currency::Usd),
    ("dollars", Currency::Usd),
    ("yuan", Currency::Cny),
    ("renminbi", Currency::Cny),
    ("euros", Currency::Eur),
    ("euro", Currency::Eur),
    ("yen", Currency::Jpy),
];

impl Reader<'_> {
    /// A currency sign or code opening an amount at `i`, with where its number starts.
    pub(super) fn currency_prefix(&self, i: usize) -> Option<(Currency, usize)> {
        let c = self.char_at(i)?;
        let letter_before = i > 0 && self.char_at(i - 1).is_some_and(|c| c.is_ascii_alphabetic());
        let sign = SIGNS.iter().find(|(sign, _)| self.starts_with(i, sign)).map(|&(sign, cur)| (cur, sign));
        let (currency, len) = match sign {
            // C$ or A$: a dollar, but not one this reader knows.
            Some((_, "$")) if letter_before => return None,
            Some((currency, sign)) => (currency, sign.chars().count()),
            None if c.is_ascii_uppercase() => {
                let &(code, currency) = CODES.iter().find(|(code, _)| self.word_at(i, code, false).is_some())?;
                (currency, code.len())
            }
            None => return None,
        };
        let number = self.skip_spaces(i + len);
        self.may_start_number(number).then_some((currency, number))
    }

    /// A currency word or code closing an amount that ends at `end`, with where it ends.
    pub(super) fn currency_suffix(&self, end: usize) -> Option<(Currency, usize)> {
        let after_spaces = self.skip_spaces(end);
        if let Some(&(word, currency)) = CHINESE_AFTER.iter().find(|(word, _)| self.starts_with(after_spaces, word)) {
            let after = after_spaces + word.chars().count();
            let not_money = word == "元" && self.char_at(after).is_some_and(|c| NOT_MONEY_AFTER_YUAN.contains(&c));
            return (!not_money).then_some((currency, after));
        }
        if after_spaces == end {
            return None;
        }
        let english =
            ENGLISH_AFTER.iter().find_map(|&(word, cur)| Some((cur, self.word_at(after_spaces, word, true)?)));
        english.or_else(|| CODES.iter().find_map(|&(code, cur)| Some((cur, self.word_at(after_spaces, code, false)?))))
    }
}
