//! Turns a text into draft values: every amount the numeral reader finds, with the clause
//! that carries it, the bound its qualifier gives, a reading of its unit and the periods
//! its clause mentions. Dates are never offered as amounts.
//!
//! A draft's quote is the clause around the number, verbatim, cut at clause punctuation,
//! so that `verify` reads the same number from it as was read from the whole text.

use crate::domain::value::Bound;
use crate::provenance::numerals::{self, DatePart, Found, Scale};
use crate::provenance::verify;
use rust_decimal::Decimal;
use std::ops::Range;

/// How far a clause reaches on either side of its number when no punctuation ends it
/// sooner, in characters: a quote must fit a CSV cell (64 KiB).
const MAX_CLAUSE_REACH: usize = 500;

/// Words that name a period relative to the text's own date; a person resolves them.
const RELATIVE_PERIODS: &[&str] =
    &["今年", "去年", "明年", "前年", "後年", "后年", "當年", "当年", "同期", "this year", "last year", "next year"];

/// One number offered as a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft<'a> {
    /// In base units: percent points for a percent, the ratio for a fraction, the amount
    /// with its multipliers for a count or a sum of money.
    pub value: Decimal,
    pub bound: Bound,
    pub high: Option<Decimal>,
    /// `percent`, `pp`, `ratio`, a currency code (`CNY`, `USD`, ...) or `count`.
    pub unit: &'static str,
    /// The clause that carries the number.
    pub quote: &'a str,
    /// The words the number was read from (人民幣七百億元以上, more than $5 billion).
    pub read: &'a str,
    /// The one year the clause names, if it names exactly one.
    pub year: Option<i32>,
    /// Every date or period the clause mentions, as written (二○二二, 2024, 一季度, 三月, 今年).
    pub mentions: Vec<&'a str>,
}

impl Draft<'_> {
    /// The note column: how the number was read, for the person who fills in the row.
    pub fn note(&self) -> String {
        let mut note = format!("unit: {}; read: {}", self.unit, self.read);
        if !self.mentions.is_empty() {
            note.push_str("; period: ");
            note.push_str(&self.mentions.join(", "));
        }
        note
    }
}

/// Every amount in `text`, in order, with what a values row needs.
pub fn drafts(text: &str) -> Vec<Draft<'_>> {
    let found = numerals::read_numbers(text);
    let dates: Vec<&Found> = found.iter().filter(|f| f.is_date()).collect();
    found
        .iter()
        .filter(|f| !f.is_date())
        .map(|f| {
            let clause = clause_around(text, &f.span);
            let clause_dates: Vec<&Found> =
                dates.iter().copied().filter(|y| clause.start <= y.span.start && y.span.end <= clause.end).collect();
            let clause_years: Vec<&Found> =
                clause_dates.iter().copied().filter(|d| d.date == Some(DatePart::Year)).collect();
            let quote = &text[clause.clone()];
            let mut mentions: Vec<&str> = clause_dates.iter().map(|d| &text[d.span.clone()]).collect();
            mentions.extend(RELATIVE_PERIODS.iter().copied().filter(|word| quote.contains(word)));
            Draft {
                value: f.value,
                bound: verify::bound_of(f.qualifier),
                high: f.high,
                unit: unit_of(f),
                quote,
                read: &text[f.span.clone()],
                year: single_year(&clause_years),
                mentions,
            }
        })
        .collect()
}

fn unit_of(found: &Found) -> &'static str {
    match (found.scale, found.currency) {
        (Scale::Percent, _) => "percent",
        (Scale::Points, _) => verify::POINTS_UNIT,
        (Scale::Fraction, _) => "ratio",
        (Scale::Plain, Some(currency)) => currency.code(),
        (Scale::Plain, None) => "count",
    }
}

/// The year a clause names, when it names exactly one (in four digits, 1000–9999).
fn single_year(years: &[&Found]) -> Option<i32> {
    let mut distinct: Vec<i32> = years
        .iter()
        .filter(|y| y.high.is_none() && y.value.scale() == 0)
        .filter_map(|y| y.value.to_string().parse().ok())
        .filter(|year| (1000..=9999).contains(year))
        .collect();
    distinct.sort_unstable();
    distinct.dedup();
    match distinct[..] {
        [year] => Some(year),
        _ => None,
    }
}

/// The byte range of the clause around `span`, cut at clause punctuation and trimmed.
fn clause_around(text: &str, span: &Range<usize>) -> Range<usize> {
    let before = &text[..span.start];
    let start = before
        .char_indices()
        .rev()
        .take(MAX_CLAUSE_REACH)
        .find(|&(at, c)| is_clause_break(text, at, c))
        .map_or_else(|| reach_start(before), |(at, c)| at + c.len_utf8());
    let after = &text[span.end..];
    let end = after
        .char_indices()
        .take(MAX_CLAUSE_REACH)
        .find(|&(at, c)| is_clause_break(text, span.end + at, c))
        .map_or_else(|| span.end + reach_end(after), |(at, _)| span.end + at);
    let clause = &text[start..end];
    let trimmed_start = start + (clause.len() - clause.trim_start().len());
    let trimmed_end = end - (clause.len() - clause.trim_end().len());
    trimmed_start..trimmed_end
}

/// Where a clause with no punctuation before it starts: at most MAX_CLAUSE_REACH back.
fn reach_start(before: &str) -> usize {
    before.char_indices().rev().nth(MAX_CLAUSE_REACH - 1).map_or(0, |(at, _)| at)
}

fn reach_end(after: &str) -> usize {
    after.char_indices().nth(MAX_CLAUSE_REACH).map_or(after.len(), |(at, _)| at)
}

/// Whether the character at byte `at` ends a clause. A comma, colon or point between
/// digits (1,600, 4.6, 10:30) belongs to a number; a full stop after a lone capital
/// (U.S.) to an abbreviation.
fn is_clause_break(text: &str, at: usize, c: char) -> bool {
    let prev = text[..at].chars().next_back();
    let next = text[at + c.len_utf8()..].chars().next();
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    match c {
        '，' | '。' | '；' | '：' | '！' | '？' | '、' | ';' | '!' | '?' | '\n' | '\r' | '…' => true,
        ',' | ':' => !(digit(prev) && digit(next)),
        '.' => {
            let sentence_end = next.is_none_or(char::is_whitespace);
            let before_prev = prev.map(|p| text[..at - p.len_utf8()].chars().next_back());
            let abbreviation = prev.is_some_and(|p| p.is_ascii_uppercase())
                && before_prev.flatten().is_none_or(|b| b == '.' || !b.is_alphanumeric());
            sentence_end && !abbreviation
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn each_amount_gets_its_clause_and_reading() {
        let text = "今年開出的經濟目標是經濟成長率五%、通膨率三%,對中國而言極具挑戰性。";
        let drafts = drafts(text);
        let quotes: Vec<&str> = drafts.iter().map(|d| d.quote).collect();
        assert_eq!(quotes, ["今年開出的經濟目標是經濟成長率五%", "通膨率三%"]);
        assert_eq!(drafts[0].value, d("5"));
        assert_eq!(drafts[0].unit, "percent");
        assert_eq!(drafts[0].note(), "unit: percent; read: 五%; period: 今年");
        assert_eq!(drafts[1].note(), "unit: percent; read: 三%");
    }

    #[test]
    fn dates_are_never_offered_and_a_named_year_is_the_period() {
        let text = "龍頭比亞迪,在二○二二年獲得補助高達人民幣一百零四億元,甫於三月十一日閉幕逾千人。";
        let drafts = drafts(text);
        assert_eq!(drafts.len(), 2, "{drafts:?}");
        assert_eq!(drafts[1].note(), "unit: count; read: 逾千; period: 三月, 十一日");
        assert_eq!(drafts[1].year, None);
        let subsidy = &drafts[0];
        assert_eq!((subsidy.value, subsidy.bound, subsidy.unit), (d("10400000000"), Bound::Exact, "CNY"));
        assert_eq!(subsidy.quote, "在二○二二年獲得補助高達人民幣一百零四億元");
        assert_eq!(subsidy.year, Some(2022));
        assert_eq!(subsidy.note(), "unit: CNY; read: 人民幣一百零四億元; period: 二○二二");
    }

    #[test]
    fn english_clauses_keep_numbers_and_abbreviations_whole() {
        let text = "In 2024, the U.S. economy grew 2.8%, and firms hired 1,600 people. Growth of between 4 and 5 per cent is expected";
        let drafts = drafts(text);
        let rows: Vec<(&str, &str, Option<i32>)> = drafts.iter().map(|d| (d.read, d.quote, d.year)).collect();
        assert_eq!(
            rows,
            [
                ("2.8%", "the U.S. economy grew 2.8%", None),
                ("1,600", "and firms hired 1,600 people", None),
                ("between 4 and 5 per cent", "Growth of between 4 and 5 per cent is expected", None),
            ]
        );
        assert_eq!((drafts[2].bound, drafts[2].high), (Bound::Range, Some(d("5"))));
    }

    #[test]
    fn re_reading_the_quote_finds_the_same_number() {
        let text = "BEIJING, March 5 - China set a target of around 5% for 2024, with more than $5 billion \
                    in aid, up to 3.9 trillion yuan in bonds; 逾千家企業、約為四成至五成,近億人";
        for draft in drafts(text) {
            let again = numerals::read_numbers(draft.quote);
            let same = again.iter().any(|f| {
                f.value == draft.value && verify::bound_of(f.qualifier) == draft.bound && f.high == draft.high
            });
            assert!(same, "{draft:?} re-read as {again:?}");
        }
    }

    #[test]
    fn a_clause_without_punctuation_is_cut_to_fit_a_cell() {
        let text = format!("{}五家{}", "字".repeat(5000), "字".repeat(5000));
        let drafts = drafts(&text);
        assert_eq!(drafts.len(), 1);
        assert!(drafts[0].quote.contains("五家") && drafts[0].quote.chars().count() <= 2 * MAX_CLAUSE_REACH + 2);
    }

    /// Pieces of Chinese and English number writing, glued at random.
    const PIECES: &[&str] = &[
        "五",
        "三",
        "十",
        "百",
        "千",
        "萬",
        "億",
        "兆",
        "點",
        "二",
        "○",
        "%",
        "成",
        "分之",
        "個百分點",
        "約",
        "超過",
        "不到",
        "至",
        "到",
        "多",
        "以上",
        "左右",
        "元",
        "美元",
        "人民幣",
        "年",
        "月",
        "日",
        "第",
        "一",
        "，",
        "。",
        "、",
        "3",
        "5",
        "2024",
        "1,600",
        ".",
        "-",
        " ",
        "million",
        "bn",
        "about",
        "more than",
        "up to",
        "to",
        "between",
        "and",
        "from",
        "per cent",
        "percentage points",
        "$",
        "US$",
        "yuan",
        "one",
        "half",
        "a third",
        "of",
        "March",
        ", ",
        ". ",
        "'s",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whatever the text, each draft's quote, read on its own, states the draft's
        /// number: verify will find what extract offered.
        #[test]
        fn every_quote_restates_its_number(pieces in prop::collection::vec(prop::sample::select(PIECES), 0..24)) {
            let text: String = pieces.concat();
            for draft in drafts(&text) {
                prop_assert!(text.contains(draft.quote) && draft.quote.contains(draft.read), "{draft:?}");
                let again = numerals::read_numbers(draft.quote);
                let same = again.iter().any(|f| {
                    !f.is_date()
                        && f.value == draft.value
                        && verify::bound_of(f.qualifier) == draft.bound
                        && f.high == draft.high
                        && unit_of(f) == draft.unit
                });
                prop_assert!(same, "text {text:?}: {draft:?} re-read as {again:?}");
            }
        }
    }
}
