//! Turns a text into draft values: every figure the numeral reader finds (by default; every
//! numeral with `all`), with the clause that carries it, the bound its qualifier gives, a
//! reading of its unit, the periods its clause mentions and why it was offered
//! (`figure::classify`). Dates are never offered as amounts.
//!
//! A draft's quote is the clause around the number, verbatim, cut at clause punctuation,
//! so that `verify` reads the same number from it as was read from the whole text.
//!
//! The text is read in segments of about `SEGMENT_BYTES`, cut after a sentence ends, each
//! with a little context on either side, so the work and the reader's memory grow with the
//! text linearly: a number's reading and its clause never cross a sentence's end.

use crate::domain::value::Bound;
use crate::provenance::figure::{self, Kind, Verdict};
use crate::provenance::numerals::{self, DatePart, Found, Scale};
use crate::provenance::verify;
use rust_decimal::Decimal;
use std::ops::Range;

/// How far a clause reaches on either side of its number when no punctuation ends it
/// sooner, in characters: a quote must fit a CSV cell (64 KiB).
const MAX_CLAUSE_REACH: usize = 500;

/// The size a segment is cut at, after the next sentence end.
const SEGMENT_BYTES: usize = 16 * 1024;

/// How far past `SEGMENT_BYTES` a sentence end is looked for before a segment is cut at
/// a space instead (a text without punctuation).
const MAX_SEGMENT_BYTES: usize = 1024 * 1024;

/// Characters of context each segment's reader sees beyond its ends, for the words a
/// reading looks at around a number (qualifiers, currencies, `between`).
const CONTEXT_CHARS: usize = 64;

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
    /// Why it is a figure, or what it is instead (offered only with `all`).
    pub verdict: Verdict<'a>,
}

impl Draft<'_> {
    /// The note column: how the number was read and why it was offered, for the person
    /// who fills in the row.
    pub fn note(&self) -> String {
        let mut note = format!("unit: {}; read: {}", self.unit, self.read);
        if !self.mentions.is_empty() {
            note.push_str("; period: ");
            note.push_str(&self.mentions.join(", "));
        }
        match self.verdict {
            Verdict::Figure(why) => note.push_str(&format!("; offered: {why}")),
            Verdict::Not(kind) => note.push_str(&format!("; not a figure: {}", kind.as_str())),
        }
        note
    }
}

/// What a reading of a text came to, besides its drafts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows offered.
    pub offered: usize,
    /// Numerals read (figures, dates and the rest).
    pub numerals: usize,
    /// Numerals left out, by kind, in `Kind::ALL` order (none with `all`).
    pub left_out: [usize; Kind::ALL.len()],
    /// Numeral runs refused as unreadable (`3,5%`, a digit run split by an invisible
    /// character, more decimals than can be kept).
    pub refused: usize,
    /// Characters and dates looked at: grows with the text linearly.
    pub work: u64,
}

/// Every draft of `text` (figures, or every numeral but dates when `all`) and the summary.
pub fn collect(text: &str, all: bool) -> (Vec<Draft<'_>>, Summary) {
    let mut drafts = Vec::new();
    let summary = each_draft(text, all, |draft| {
        drafts.push(draft);
        Ok::<(), std::convert::Infallible>(())
    });
    let Ok(summary) = summary;
    (drafts, summary)
}

/// Hands each draft of `text` to `emit` in order, reading the text a segment at a time.
pub fn each_draft<'a, E>(
    text: &'a str,
    all: bool,
    mut emit: impl FnMut(Draft<'a>) -> Result<(), E>,
) -> Result<Summary, E> {
    let mut summary = Summary::default();
    let mut start = 0;
    while start < text.len() {
        let end = segment_end(text, start);
        let context = widen(text, &(start..end), CONTEXT_CHARS);
        let (found, refused) = numerals::read_numbers_and_refusals(&text[context.clone()]);
        summary.work += (context.end - context.start) as u64;
        summary.refused += refused.iter().filter(|&&at| (start..end).contains(&(context.start + at))).count();
        let found: Vec<Found> = found
            .into_iter()
            .map(|f| Found { span: f.span.start + context.start..f.span.end + context.start, ..f })
            .filter(|f| (start..end).contains(&f.span.start))
            .collect();
        let dates: Vec<&Found> = found.iter().filter(|f| f.is_date()).collect();
        for f in &found {
            summary.numerals += 1;
            let verdict = figure::classify(text, f);
            if let Verdict::Not(kind) = verdict
                && (kind == Kind::Date || !all)
            {
                summary.left_out[kind as usize] += 1;
                continue;
            }
            let (draft, work) = draft(text, f, &dates, verdict);
            summary.work += work;
            summary.offered += 1;
            emit(draft)?;
        }
        start = end;
    }
    Ok(summary)
}

/// The draft of the number `f`, with the dates of its clause among `dates` (in text
/// order), and the work it took.
fn draft<'a>(text: &'a str, f: &Found, dates: &[&Found], verdict: Verdict<'a>) -> (Draft<'a>, u64) {
    let clause = clause_around(text, &f.span);
    let first = dates.partition_point(|d| d.span.start < clause.start);
    let mut work = (clause.end - clause.start) as u64 + 1;
    let mut clause_dates: Vec<&Found> = Vec::new();
    for d in &dates[first..] {
        work += 1;
        if d.span.start >= clause.end {
            break;
        }
        if d.span.end <= clause.end {
            clause_dates.push(d);
        }
    }
    let clause_years: Vec<&Found> = clause_dates.iter().copied().filter(|d| d.date == Some(DatePart::Year)).collect();
    let quote = &text[clause.clone()];
    let mut mentions: Vec<&str> = clause_dates.iter().map(|d| &text[d.span.clone()]).collect();
    mentions.extend(RELATIVE_PERIODS.iter().copied().filter(|word| quote.contains(word)));
    let draft = Draft {
        value: f.value,
        bound: verify::bound_of(f.qualifier),
        high: f.high,
        unit: unit_of(f),
        quote,
        read: &text[f.span.clone()],
        year: single_year(&clause_years),
        mentions,
        verdict,
    };
    (draft, work)
}

/// Where the segment that starts at `start` ends: after the first sentence end past
/// `SEGMENT_BYTES`, else after a space past `MAX_SEGMENT_BYTES`, else at the end.
fn segment_end(text: &str, start: usize) -> usize {
    let mut from = start + SEGMENT_BYTES;
    if from >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let rest = &text[from..];
    let mut iter = rest.char_indices().peekable();
    let mut space_cut = None;
    while let Some((at, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let sentence_end = matches!(c, '\n' | '。' | '！' | '？' | '；')
            || (matches!(c, '.' | '!' | '?' | ';') && next.is_some_and(char::is_whitespace));
        if sentence_end {
            return from + at + c.len_utf8();
        }
        if at > MAX_SEGMENT_BYTES && c == ' ' {
            space_cut = Some(from + at + 1);
            break;
        }
    }
    space_cut.unwrap_or(text.len())
}

/// `range` widened by up to `chars` characters on each side.
fn widen(text: &str, range: &Range<usize>, chars: usize) -> Range<usize> {
    let start = text[..range.start].char_indices().rev().take(chars).last().map_or(range.start, |(at, _)| at);
    let end = text[range.end..].char_indices().nth(chars).map_or(text.len(), |(at, _)| range.end + at);
    start..end
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

    /// Every figure in `text`, in order.
    fn drafts(text: &str) -> Vec<Draft<'_>> {
        collect(text, false).0
    }

    /// Every numeral in `text` but dates, as `extract --all` offers them.
    fn all_drafts(text: &str) -> Vec<Draft<'_>> {
        collect(text, true).0
    }

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
        assert_eq!(drafts[0].note(), "unit: percent; read: 五%; period: 今年; offered: share");
        assert_eq!(drafts[1].note(), "unit: percent; read: 三%; offered: share");
    }

    #[test]
    fn dates_are_never_offered_and_a_named_year_is_the_period() {
        let text = "龍頭比亞迪,在二○二二年獲得補助高達人民幣一百零四億元,甫於三月十一日閉幕逾千人。";
        let drafts = drafts(text);
        assert_eq!(drafts.len(), 2, "{drafts:?}");
        assert_eq!(drafts[1].note(), "unit: count; read: 逾千; period: 三月, 十一日; offered: qualifier");
        assert_eq!(drafts[1].year, None);
        let subsidy = &drafts[0];
        assert_eq!((subsidy.value, subsidy.bound, subsidy.unit), (d("10400000000"), Bound::Exact, "CNY"));
        assert_eq!(subsidy.quote, "在二○二二年獲得補助高達人民幣一百零四億元");
        assert_eq!(subsidy.year, Some(2022));
        assert_eq!(subsidy.note(), "unit: CNY; read: 人民幣一百零四億元; period: 二○二二; offered: amount of money");
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
        for draft in all_drafts(text) {
            let again = numerals::read_numbers(draft.quote);
            let same = again.iter().any(|f| {
                f.value == draft.value && verify::bound_of(f.qualifier) == draft.bound && f.high == draft.high
            });
            assert!(same, "{draft:?} re-read as {again:?}");
        }
    }

    #[test]
    fn the_default_offers_figures_and_all_offers_every_numeral_but_dates() {
        let text = "甫於三月十一日閉幕的中國兩會,奇虎360創辦人說,中國可以在一年至兩年內趕上,一次看懂,目前已超過七百家企業進駐。";
        let (figures, summary) = collect(text, false);
        let read: Vec<&str> = figures.iter().map(|d| d.read).collect();
        assert_eq!(read, ["一年至兩年", "超過七百"]);
        assert_eq!((summary.offered, summary.numerals), (2, 7));
        let left = |kind: Kind| summary.left_out[kind as usize];
        assert_eq!((left(Kind::Date), left(Kind::Name), left(Kind::Article)), (2, 2, 1));
        let (every, all) = collect(text, true);
        assert_eq!(every.len(), 5);
        assert_eq!((all.left_out[Kind::Date as usize], all.left_out.iter().sum::<usize>()), (2, 2));
        assert!(every[0].note().ends_with("; not a figure: name"), "{}", every[0].note());
    }

    #[test]
    fn unreadable_numerals_are_counted_as_refused() {
        let (drafts, summary) = collect("Инфляция составила 3,5% в прошлом году; 營收達1\u{200b}000億元。", false);
        assert!(drafts.is_empty(), "{drafts:?}");
        assert_eq!(summary.refused, 2);
    }

    /// A text made of `pieces` repeated to at least `bytes`.
    fn repeated(bytes: usize) -> String {
        let piece = "2024年3月5日,中國今年經濟成長率五%左右,超過七百家企業進駐,近九成;\n\
                     In 2024, growth of about 5% and more than 1,600 firms; 四千三百多個機理模型。";
        piece.repeat(bytes / piece.len() + 1)
    }

    /// Issue 22: every number used to be checked against every date of the whole text.
    /// The work (characters and dates looked at) of a text four times as long is four
    /// times as much, not sixteen; and each segment is read on its own, so a long text
    /// is read in the same way as its pieces.
    #[test]
    fn the_work_grows_linearly_with_the_text() {
        let small = repeated(200_000);
        let large = repeated(800_000);
        let (small_drafts, small_summary) = collect(&small, false);
        let (large_drafts, large_summary) = collect(&large, false);
        let rows = large_drafts.len() as f64 / small_drafts.len() as f64;
        let work = large_summary.work as f64 / small_summary.work as f64;
        assert!((3.8..4.2).contains(&rows), "rows grew {rows}x");
        assert!((3.8..4.4).contains(&work), "work grew {work}x for 4x the text");
        let piece_drafts = collect(&repeated(1), false).0.len();
        assert_eq!(small_drafts.len() % piece_drafts, 0);
        for (a, b) in small_drafts.iter().zip(small_drafts.iter().skip(piece_drafts)) {
            assert_eq!((a.value, a.bound, a.read, a.quote), (b.value, b.bound, b.read, b.quote));
        }
    }

    #[test]
    fn a_text_without_punctuation_is_still_cut_and_read_whole() {
        let text = format!("{} growth of 5% {}", "word ".repeat(300_000), "more than 12 firms ".repeat(100));
        let (drafts, summary) = collect(&text, false);
        assert_eq!(drafts.len(), 101);
        assert!(summary.work < 3 * text.len() as u64);
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
            for draft in all_drafts(&text) {
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
