//! Checks a figure against its quote: does the clause it was read from state that value?
//!
//! The quote is read with [`numerals::read_numbers`] and each number it states is compared
//! with the stored quantity. A number confirms the figure when all of these hold:
//!
//! 1. **It is not a date.** A year, month or day written in the quote (二○二二年, 2024年,
//!    in 2024, 三月十一日) dates the claim; it is never the quantity claimed.
//! 2. **Its scale fits the indicator's unit**, and in that unit it is the stored value
//!    exactly (and for a range, the high end too). Values are stored in base units, so the
//!    number is put in the unit first:
//!
//!    | unit       | plain `1600`, `七百億` | amount `七百億元`, `$12bn` | percent `三成`, `5%` | points `0.3個百分點` | fraction `三分之一` |
//!    |------------|-----------------------|----------------------------|----------------------|----------------------|---------------------|
//!    | `percent`  | no                    | no                         | as read (三成 = 30)  | no                   | × 100               |
//!    | `pp`       | no                    | no                         | no                   | as read              | no                  |
//!    | `ratio`    | as read (0.8倍)       | no                         | ÷ 100                | no                   | as read (1/3)       |
//!    | a currency (`CNY`, `USD`, …) | no  | in that currency only      | no                   | no                   | no                  |
//!    | any other (`count`, `nm`, …) | as read (multipliers applied: 一百零四億 = 10400000000) | no | no | no | no |
//!
//!    A unit with a scale (`CNY billion`) divides a plain number by it: 七百億 is 70.
//!
//!    A share converts between percent and ratio exactly; a plain number is never a
//!    percent (the quote must say `%`, `成`, `百分之` or `per cent`), a change in
//!    percentage points is never a level, and a share is never a count or an amount. A
//!    USD value needs a dollar amount (`$`, `US$`, `美元`, `dollars`), a CNY value a yuan
//!    amount (`元`, `人民幣`, `RMB`, `yuan`, `¥`), and an amount of money never confirms a
//!    count. Comparison is of exact decimals, so 三分之一 confirms only the 28-digit
//!    `0.3333333333333333333333333333`, not `0.33`.
//! 3. **Its bound agrees** with the stored one. The qualifier next to the number (約, 超過,
//!    不到, …多, X至Y) maps to a [`Bound`], and it must be the stored bound, with one
//!    exception: a number the quote states bare (exact) may be stored with a *looser*
//!    one-sided or approximate bound (`approx`, `at-least`, `at-most`) when the note says
//!    so in the form `bound = approx` (naming the stored bound). This covers a secondary
//!    text that drops its source's qualifier: the article writes 經濟成長率五% where the
//!    Government Work Report says 5%左右. Loosening a bare figure only claims less than the
//!    quote does, so a recorded reason is enough; a note can never sharpen a qualified
//!    figure (約五% stored `exact`) or turn it around (超過 stored `at-most`), because that
//!    would contradict the words quoted.
//!
//! A figure whose quote states no confirming number is **derived** when its note contains
//! the marker `derived:` followed by how the value was computed from the quote (a sum,
//! a conversion the rules above do not make, a sign the quote gives in words such as
//! 下降); otherwise it **failed**. A figure with no quote cannot be checked.

use crate::domain::model::Figure;
use crate::domain::unit::Unit;
use crate::domain::value::{Bound, Quantity};
use crate::provenance::numerals::{self, Currency, Found, Qualifier, Scale};
use rust_decimal::Decimal;

/// The unit of an indicator that is a change in percentage points (0.3個百分點, 25 pp).
pub const POINTS_UNIT: &str = "pp";

/// The note marker of a value computed from its quote rather than stated in it.
pub const DERIVED_MARKER: &str = "derived:";

/// How a figure stands against its quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The quote states the value, with an agreeing bound.
    Confirmed,
    /// The quote does not state the value, and the note says how it was derived.
    Derived,
    /// The quote does not state the value, and nothing explains why.
    Failed,
    /// There is no quote to check against.
    NoQuote,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Derived => "derived",
            Verdict::Failed => "failed",
            Verdict::NoQuote => "no-quote",
        }
    }
}

/// The verdict on one figure, with every number its quote states (empty without a quote).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub verdict: Verdict,
    pub found: Vec<Found>,
}

/// Checks `figure`, whose indicator is measured in `unit`, against its quote.
pub fn check(figure: &Figure, unit: &str) -> Check {
    let Some(quote) = figure.quote.as_deref().filter(|q| !q.trim().is_empty()) else {
        return Check { verdict: Verdict::NoQuote, found: Vec::new() };
    };
    let note = figure.note.as_deref().unwrap_or("");
    let found = numerals::read_numbers(quote);
    let verdict = if found.iter().any(|f| confirms(f, &figure.quantity, unit, note)) {
        Verdict::Confirmed
    } else if note.contains(DERIVED_MARKER) {
        Verdict::Derived
    } else {
        Verdict::Failed
    };
    Check { verdict, found }
}

/// Whether one number read from the quote states `quantity` (rules 1–3 of the module docs).
fn confirms(found: &Found, quantity: &Quantity, unit: &str, note: &str) -> bool {
    let Some(factor) = unit_factor(found, unit) else {
        return false;
    };
    let in_unit = |n: Decimal| n.checked_mul(factor);
    !found.is_date()
        && in_unit(found.value) == Some(quantity.value())
        && found.high.and_then(in_unit) == quantity.high()
        && bound_agrees(bound_of(found.qualifier), quantity.bound(), note)
}

/// What a number is multiplied by to be in `unit`; `None` when it cannot be a value of
/// that unit at all (rule 2 of the module docs). A currency or count with a scale stores 70
/// for 七百億元 under `CNY billion`.
fn unit_factor(found: &Found, unit: &str) -> Option<Decimal> {
    let known = unit.parse::<Unit>().ok();
    let base: &str = match known {
        Some(known) => known.base(),
        None => unit,
    };
    let amount_of = Currency::from_code(base);
    let factor = match (found.scale, base) {
        (Scale::Percent, "percent") | (Scale::Fraction, "ratio") | (Scale::Points, POINTS_UNIT) => Some(Decimal::ONE),
        (Scale::Fraction, "percent") => Some(Decimal::ONE_HUNDRED),
        (Scale::Percent, "ratio") => Some(Decimal::ONE / Decimal::ONE_HUNDRED),
        (Scale::Percent | Scale::Fraction | Scale::Points, _) => None,
        (Scale::Plain, "percent" | POINTS_UNIT) => None,
        (Scale::Plain, _) => (found.currency == amount_of).then_some(Decimal::ONE),
    };
    factor?.checked_div(known.map_or(Decimal::ONE, Unit::scale))
}

/// The bound a qualifier in the text puts on its number.
pub fn bound_of(qualifier: Qualifier) -> Bound {
    match qualifier {
        Qualifier::Exact => Bound::Exact,
        Qualifier::Approx => Bound::Approx,
        Qualifier::AtLeast => Bound::AtLeast,
        Qualifier::AtMost => Bound::AtMost,
        Qualifier::Range => Bound::Range,
    }
}

/// Rule 3: the same bound, or a bare number loosened with the reason in the note.
fn bound_agrees(read: Bound, stored: Bound, note: &str) -> bool {
    let loosened = read == Bound::Exact
        && matches!(stored, Bound::Approx | Bound::AtLeast | Bound::AtMost)
        && note.contains(&format!("bound = {stored}"));
    read == stored || loosened
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::period::Period;
    use crate::domain::value::{Kind, parse_decimal};
    use chrono::NaiveDate;

    const THIRD: &str = "0.3333333333333333333333333333";

    fn d(text: &str) -> Decimal {
        parse_decimal(text).unwrap()
    }

    fn figure(value: &str, bound: Bound, high: Option<&str>, quote: Option<&str>) -> Figure {
        Figure {
            indicator: "x".into(),
            entity: "CN".into(),
            period: Period::of_year(2024).unwrap(),
            kind: Kind::Actual,
            quantity: Quantity::new(d(value), bound, high.map(d)).unwrap(),
            tolerance: None,
            source: "s".into(),
            published: NaiveDate::from_ymd_opt(2024, 3, 13).unwrap(),
            document: None,
            quote: quote.map(str::to_string),
            note: None,
            retraction: None,
        }
    }

    fn with_note(mut figure: Figure, note: &str) -> Figure {
        figure.note = Some(note.to_string());
        figure
    }

    fn verdict(figure: &Figure, unit: &str) -> Verdict {
        check(figure, unit).verdict
    }

    /// (quote, unit, value, bound, high)
    type Case = (&'static str, &'static str, &'static str, Bound, Option<&'static str>);
    /// (quote, unit, value, bound, high, why it fails)
    type FailCase = (&'static str, &'static str, &'static str, Bound, Option<&'static str>, &'static str);

    /// Each must be confirmed.
    const CONFIRMED: &[Case] = &[
        ("會落在四.六%", "percent", "4.6", Bound::Exact, None),
        ("設計階段效率提高了三成", "percent", "30", Bound::Exact, None),
        ("一千六百片昇騰晶片", "count", "1600", Bound::Exact, None),
        ("人民幣七百億元以上", "CNY", "70000000000", Bound::AtLeast, None),
        ("在二○二二年獲得補助高達人民幣一百零四億元", "CNY", "10400000000", Bound::Exact, None),
        ("台積電的三分之一不到", "ratio", THIRD, Bound::AtMost, None),
        ("成本高上約四成至五成", "percent", "40", Bound::Range, Some("50")),
        ("一年至兩年內", "years", "1", Bound::Range, Some("2")),
        ("年增近九成", "percent", "90", Bound::Approx, None),
        ("四千三百多個機理模型", "count", "4300", Bound::AtLeast, None),
        ("七奈米製程", "nm", "7", Bound::Exact, None),
        // A scaled unit holds the amount in its scale.
        ("人民幣七百億元以上", "CNY billion", "70", Bound::AtLeast, None),
        ("三百億美元", "USD million", "30000", Bound::Exact, None),
        ("一百二十萬輛", "count million", "1.2", Bound::Exact, None),
        ("指數為一百零五", "index", "105", Bound::Exact, None),
        ("為期六個月", "months", "6", Bound::Exact, None),
        // Shares convert between percent and ratio exactly.
        ("良率僅有三成", "ratio", "0.3", Bound::Exact, None),
        ("四分之一的企業", "percent", "25", Bound::Exact, None),
        ("是台積電的0.8倍", "ratio", "0.8", Bound::Exact, None),
        // Equal decimals match however they are written.
        ("4.60%", "percent", "4.6", Bound::Exact, None),
        // The rest of written Chinese.
        ("經濟成長率二點八%", "percent", "2.8", Bound::Exact, None),
        ("2.6兆元", "CNY", "2600000000000", Bound::Exact, None),
        ("三萬億元", "CNY", "3000000000000", Bound::Exact, None),
        ("逾千家企業", "count", "1000", Bound::AtLeast, None),
        ("三百億美元", "USD", "30000000000", Bound::Exact, None),
        ("比上年提高0.3個百分點", "pp", "0.3", Bound::Exact, None),
        ("5%上下", "percent", "5", Bound::Approx, None),
        // English.
        ("growth of 3.9 per cent", "percent", "3.9", Bound::Exact, None),
        ("around 4%", "percent", "4", Bound::Approx, None),
        ("no more than 2%", "percent", "2", Bound::AtMost, None),
        ("$12 billion", "USD", "12000000000", Bound::Exact, None),
        ("more than 40 billion yuan", "CNY", "40000000000", Bound::AtLeast, None),
        ("2.3 trillion yuan", "CNY", "2300000000000", Bound::Exact, None),
        ("US$7.5bn", "USD", "7500000000", Bound::Exact, None),
        ("more than 5,000 firms", "count", "5000", Bound::AtLeast, None),
        ("five factories", "count", "5", Bound::Exact, None),
        ("nearly a third of firms", "ratio", THIRD, Bound::Approx, None),
        ("between 4 and 5 per cent", "percent", "4", Bound::Range, Some("5")),
        ("a cut of 0.25 percentage points", "pp", "0.25", Bound::Exact, None),
    ];

    #[test]
    fn quotes_that_state_the_value_confirm_it() {
        for &(quote, unit, value, bound, high) in CONFIRMED {
            let f = figure(value, bound, high, Some(quote));
            assert_eq!(verdict(&f, unit), Verdict::Confirmed, "{quote} as {unit}");
        }
    }

    /// Every unit econtrack accepts reads a quote in it: a share for percent, a plain
    /// number (multipliers applied, then divided by the unit's scale) for the rest.
    #[test]
    fn every_listed_unit_is_verified() {
        let units = crate::domain::unit::Unit::measures().iter().map(|(name, _)| name.to_string());
        for unit in units.chain(["CNY", "USD billion", "count thousand"].map(String::from)) {
            let (quote, value) = match unit.as_str() {
                "percent" => ("增長百分之五", "5"),
                "pp" => ("提高0.3個百分點", "0.3"),
                "CNY" => ("人民幣四十五元", "45"),
                "USD billion" => ("三百億美元", "30"),
                "count thousand" => ("一萬二千家", "12"),
                _ => ("共四十五", "45"),
            };
            let f = figure(value, Bound::Exact, None, Some(quote));
            assert_eq!(verdict(&f, &unit), Verdict::Confirmed, "{quote} as {unit}");
            assert!(!crate::domain::gaps::gap_unit(&unit).is_empty());
        }
    }

    /// Each must fail, for the reason given.
    const FAILED: &[FailCase] = &[
        ("會落在四.六%", "percent", "4.7", Bound::Exact, None, "other value"),
        ("一千六百片", "count", "16", Bound::Exact, None, "other value"),
        ("經濟成長率五", "percent", "5", Bound::Exact, None, "plain as percent"),
        ("提高了三成", "count", "30", Bound::Exact, None, "share as count"),
        ("三分之一", "percent", "33.3", Bound::Exact, None, "rounded share"),
        ("在二○二二年", "count", "2022", Bound::Exact, None, "a year"),
        ("超過七百家", "count", "700", Bound::Exact, None, "qualifier dropped"),
        ("約四百家", "count", "400", Bound::Exact, None, "qualifier dropped"),
        ("超過七百家", "count", "700", Bound::AtMost, None, "qualifier turned"),
        ("一年至兩年", "years", "1", Bound::Range, Some("3"), "other high"),
        ("一年至兩年", "years", "1", Bound::AtLeast, None, "range as bound"),
        ("七百家", "count", "700", Bound::Approx, None, "loosened, no note"),
        ("經濟成長率", "percent", "5", Bound::Exact, None, "no number"),
        ("growth of 3.9 per cent", "percent", "4", Bound::Exact, None, "other value"),
        ("around 4%", "percent", "4", Bound::Exact, None, "qualifier dropped"),
        ("$12 billion", "CNY", "12000000000", Bound::Exact, None, "dollars as yuan"),
        ("三百億美元", "CNY", "30000000000", Bound::Exact, None, "dollars as yuan"),
        ("七百億", "CNY", "70000000000", Bound::Exact, None, "no currency"),
        ("$12 billion", "count", "12000000000", Bound::Exact, None, "amount as count"),
        ("提高0.3個百分點", "percent", "0.3", Bound::Exact, None, "points as a level"),
        ("growth of 3.9%", "pp", "3.9", Bound::Exact, None, "level as points"),
        ("in 2024", "count", "2024", Bound::Exact, None, "a year"),
        ("三月十一日閉幕", "count", "11", Bound::Exact, None, "a day"),
        ("from 4.6% to 4.8%", "percent", "4.6", Bound::Range, Some("4.8"), "a change, not a range"),
        ("人民幣七百億元", "CNY billion", "70000000000", Bound::Exact, None, "base units under a scale"),
    ];

    #[test]
    fn quotes_that_do_not_state_the_value_fail() {
        for &(quote, unit, value, bound, high, why) in FAILED {
            let f = figure(value, bound, high, Some(quote));
            assert_eq!(verdict(&f, unit), Verdict::Failed, "{quote}: {why}");
        }
    }

    #[test]
    fn a_note_may_loosen_a_bare_number() {
        let note = "The work report says 5%左右, so bound = approx.";
        let approx = figure("5", Bound::Approx, None, Some("經濟成長率五%"));
        assert_eq!(verdict(&approx, "percent"), Verdict::Failed);
        assert_eq!(verdict(&with_note(approx, note), "percent"), Verdict::Confirmed);
        let at_least = figure("700", Bound::AtLeast, None, Some("七百家"));
        let note = "Other reports say 超過, so bound = at-least.";
        assert_eq!(verdict(&with_note(at_least, note), "count"), Verdict::Confirmed);
    }

    #[test]
    fn a_note_must_name_the_bound_it_loosens_to() {
        let at_most = figure("5", Bound::AtMost, None, Some("五%"));
        let note = "bound = approx";
        assert_eq!(verdict(&with_note(at_most, note), "percent"), Verdict::Failed);
    }

    #[test]
    fn a_note_cannot_override_a_qualifier_in_the_quote() {
        let note = "bound = exact; bound = at-most";
        for bound in [Bound::Exact, Bound::AtMost] {
            let f = with_note(figure("700", bound, None, Some("超過七百家")), note);
            assert_eq!(verdict(&f, "count"), Verdict::Failed, "{bound}");
        }
        let sharpened = with_note(figure("400", Bound::Exact, None, Some("約四百家")), note);
        assert_eq!(verdict(&sharpened, "count"), Verdict::Failed);
    }

    #[test]
    fn a_derived_value_is_not_a_failure() {
        let f = figure("6240000000", Bound::Approx, None, Some("約六成淨利潤"));
        assert_eq!(verdict(&f, "CNY"), Verdict::Failed);
        let derived = with_note(f, "derived: 60% of the CNY 10.4bn subsidy.");
        assert_eq!(verdict(&derived, "CNY"), Verdict::Derived);
        let merely_mentioned = with_note(figure("1", Bound::Exact, None, Some("五%")), "derived from a survey");
        assert_eq!(verdict(&merely_mentioned, "percent"), Verdict::Failed);
    }

    #[test]
    fn a_stated_value_is_confirmed_even_if_marked_derived() {
        let f = with_note(figure("30", Bound::Exact, None, Some("提高了三成")), "derived: 三成");
        assert_eq!(verdict(&f, "percent"), Verdict::Confirmed);
    }

    #[test]
    fn without_a_quote_there_is_nothing_to_check() {
        for quote in [None, Some(""), Some("  ")] {
            let check = check(&figure("5", Bound::Exact, None, quote), "percent");
            assert_eq!(check.verdict, Verdict::NoQuote, "{quote:?}");
            assert!(check.found.is_empty());
        }
    }

    #[test]
    fn every_number_in_the_quote_is_reported() {
        let f = figure("10400000000", Bound::Exact, None, Some("在二○二二年獲得補助高達人民幣一百零四億元"));
        let found = check(&f, "CNY").found;
        let values: Vec<Decimal> = found.iter().map(|f| f.value).collect();
        assert_eq!(values, [d("2022"), d("10400000000")]);
        assert!(found[0].is_date() && !found[1].is_date());
    }

    #[test]
    fn verdicts_have_stable_names() {
        let names: Vec<&str> =
            [Verdict::Confirmed, Verdict::Derived, Verdict::Failed, Verdict::NoQuote].map(Verdict::as_str).to_vec();
        assert_eq!(names, ["confirmed", "derived", "failed", "no-quote"]);
    }
}
