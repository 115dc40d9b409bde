//! Tells a figure (an amount, a count, a share) from a numeral that is not one: part of a
//! name (兩會, 奇虎360, Windows 11), an article (一個, one bank), an idiom (十家倒閉九家),
//! an ordinal (前三季, Article 23), a word (零組件, 一度), a span of time (過去五年) or a date.
//!
//! The rules read the words around the numeral, not a dictionary of the whole language:
//! a figure has a unit (a share, a currency, a multiplier), a qualifier, a range, or, in
//! Chinese, a measure word after it (七百家, 十三座, 五奈米); a Chinese numeral with none of
//! these is part of a word or a name. Short lists name what the rules cannot see (兩會,
//! 一帶一路, 技驚四座). `extract --all` offers every numeral with the verdict in its note.

use crate::provenance::numerals::{Found, Qualifier, Scale, is_numeral};
use std::ops::Range;

/// Why a numeral is not offered as a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Name,
    Article,
    Idiom,
    Ordinal,
    Word,
    Duration,
    Date,
}

impl Kind {
    pub const ALL: [Kind; 7] =
        [Kind::Name, Kind::Article, Kind::Idiom, Kind::Ordinal, Kind::Word, Kind::Duration, Kind::Date];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Name => "name",
            Kind::Article => "article",
            Kind::Idiom => "idiom",
            Kind::Ordinal => "ordinal",
            Kind::Word => "word",
            Kind::Duration => "duration",
            Kind::Date => "date",
        }
    }

    /// The plural, for the summary line.
    pub fn plural(self, count: usize) -> &'static str {
        match (self, count) {
            (_, 1) => self.as_str(),
            (Kind::Name, _) => "names",
            (Kind::Article, _) => "articles",
            (Kind::Idiom, _) => "idioms",
            (Kind::Ordinal, _) => "ordinals",
            (Kind::Word, _) => "words",
            (Kind::Duration, _) => "durations",
            (Kind::Date, _) => "dates",
        }
    }
}

/// What makes a numeral a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why<'a> {
    Share,
    Money,
    Multiplier,
    Range,
    Qualifier,
    /// The measure word or unit after it (家, 座, 奈米).
    Measure(&'a str),
    /// A number in Latin text with nothing that makes it a name or an article.
    Number,
}

impl std::fmt::Display for Why<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::Share => f.write_str("share"),
            Why::Money => f.write_str("amount of money"),
            Why::Multiplier => f.write_str("multiplier"),
            Why::Range => f.write_str("range"),
            Why::Qualifier => f.write_str("qualifier"),
            Why::Measure(word) => write!(f, "measure word {word}"),
            Why::Number => f.write_str("number"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict<'a> {
    Figure(Why<'a>),
    Not(Kind),
}

/// Names, words and idioms whose numeral the rules below would take for a count.
const LEXICON: &[(&str, Kind)] = &[
    ("兩會", Kind::Name),
    ("两会", Kind::Name),
    ("一帶一路", Kind::Name),
    ("一带一路", Kind::Name),
    ("雙十一", Kind::Name),
    ("双十一", Kind::Name),
    ("雙十二", Kind::Name),
    ("双十二", Kind::Name),
    ("十一五", Kind::Name),
    ("十二五", Kind::Name),
    ("十三五", Kind::Name),
    ("十四五", Kind::Name),
    ("十五五", Kind::Name),
    ("一國兩制", Kind::Name),
    ("一国两制", Kind::Name),
    ("九二共識", Kind::Name),
    ("九二共识", Kind::Name),
    ("七國集團", Kind::Name),
    ("七国集团", Kind::Name),
    ("二十國集團", Kind::Name),
    ("二十国集团", Kind::Name),
    ("三大法人", Kind::Name),
    ("四小龍", Kind::Name),
    ("四小龙", Kind::Name),
    ("三星", Kind::Name),
    ("三菱", Kind::Name),
    ("三峽", Kind::Name),
    ("三峡", Kind::Name),
    ("一度", Kind::Word),
    ("一步", Kind::Word),
    ("一口氣", Kind::Word),
    ("一口气", Kind::Word),
    ("一籃子", Kind::Word),
    ("一篮子", Kind::Word),
    ("一條龍", Kind::Word),
    ("一条龙", Kind::Word),
    ("技驚四座", Kind::Idiom),
    ("技惊四座", Kind::Idiom),
    ("四座皆驚", Kind::Idiom),
    ("八九不離十", Kind::Idiom),
];

/// Suffixes that make the numeral before them part of a name: 三中全會 (the Third Plenum).
const NAME_SUFFIXES: &[&str] = &["中全會", "中全会"];

/// Measure words and units after a Chinese numeral: it counts or measures something.
/// Longer first.
const MEASURES: &[&str] = &[
    "奈米", "納米", "纳米", "基點", "基点", "公里", "公尺", "公斤", "公噸", "公吨", "公頃", "公顷", "千瓦", "兆瓦",
    "英寸", "人次", "個", "个", "家", "座", "項", "项", "名", "位", "人", "件", "條", "条", "張", "张", "台", "臺",
    "輛", "辆", "架", "艘", "片", "顆", "颗", "枚", "套", "款", "種", "种", "類", "类", "所", "間", "间", "棟", "栋",
    "層", "层", "場", "场", "次", "回", "批", "筆", "笔", "份", "篇", "部", "本", "支", "隻", "只", "頭", "头", "匹",
    "株", "棵", "戶", "户", "口", "塊", "块", "倍", "根", "道", "組", "组", "對", "对", "串", "粒", "包", "箱", "瓶",
    "噸", "吨", "度", "趟", "輪", "轮", "級", "级", "檔", "档", "股", "米", "克", "瓦", "吋", "寸", "坪", "畝", "亩",
    "桶", "歲", "岁", "點", "点", "碼", "码", "瓩", "席", "票", "宗", "起", "例", "床", "則", "则", "處", "处", "國",
    "国", "省", "城", "縣", "县", "區", "区",
];

/// Units of time: a numeral before one is a span of time (過去五年, 兩年內), not a figure,
/// unless written as a range (一年至兩年).
const TIME_UNITS: &[&str] =
    &["個月", "个月", "小時", "小时", "分鐘", "分钟", "世紀", "世纪", "星期", "年", "天", "日", "週", "周", "季", "秒"];
const ENGLISH_TIME_UNITS: &[&str] = &[
    "years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour", "decades", "decade",
    "quarters", "minutes",
];

/// Words before a numeral that make it a reference to things named before or a "the
/// next/another one": 這兩款, 另外一個, 每一家. Longer first.
const DETERMINERS: &[&str] =
    &["另外", "這", "这", "那", "該", "该", "此", "各", "每", "某", "其", "任", "另", "同", "單", "单", "唯"];

/// After 前/頭/首 these make a numeral a rank or the first part of a period: 前三季, 前五大.
const RANK_AFTER: &[&str] = &["個月", "个月", "季", "大", "名", "強", "强", "位"];
const RANK_BEFORE: &[char] = &['前', '頭', '头', '首'];

/// Words before an Arabic number that make it a number of something's parts (Article 23).
const ORDINAL_NOUNS: &[&str] = &[
    "article",
    "section",
    "chapter",
    "clause",
    "paragraph",
    "rule",
    "title",
    "part",
    "phase",
    "stage",
    "level",
    "tier",
    "grade",
    "room",
    "gate",
    "route",
    "page",
    "item",
    "no.",
    "no",
    "number",
    "vol.",
    "volume",
    "version",
    "#",
];

/// Ordinary words that open a sentence before a number (Only 5 firms): their capital does
/// not make a name.
const SENTENCE_OPENERS: &[&str] = &[
    "only",
    "about",
    "some",
    "over",
    "nearly",
    "almost",
    "around",
    "by",
    "in",
    "at",
    "of",
    "the",
    "with",
    "for",
    "from",
    "to",
    "just",
    "under",
    "all",
    "another",
    "last",
    "next",
    "each",
    "every",
    "since",
    "until",
    "after",
    "before",
    "during",
    "within",
    "and",
    "but",
    "roughly",
    "approximately",
    "those",
    "these",
    "its",
    "their",
    "our",
    "his",
    "her",
    "fully",
    "exactly",
    "precisely",
    "up",
    "down",
];

/// Judges the number `found` read from `text`.
pub fn classify<'a>(text: &'a str, found: &Found) -> Verdict<'a> {
    if found.is_date() {
        return Verdict::Not(Kind::Date);
    }
    let core = core_of(text, &found.span);
    if let Some(kind) = in_lexicon(text, &core) {
        return Verdict::Not(kind);
    }
    if found.high.is_some() {
        return Verdict::Figure(Why::Range);
    }
    if found.scale != Scale::Plain {
        return Verdict::Figure(Why::Share);
    }
    if found.currency.is_some() {
        return Verdict::Figure(Why::Money);
    }
    let read = &text[found.span.clone()];
    if read.contains(['萬', '万', '億', '亿', '兆']) || has_english_multiplier(read) {
        return Verdict::Figure(Why::Multiplier);
    }
    let qualified = found.qualifier != Qualifier::Exact;
    let first = text[core.clone()].chars().next().unwrap_or(' ');
    if first.is_ascii_alphabetic() {
        english_word(text, &core, qualified)
    } else if first.is_ascii_digit() || ('０'..='９').contains(&first) {
        arabic(text, &core, qualified)
    } else {
        chinese(text, &core, qualified)
    }
}

/// The numeral inside a number's span, without its qualifier, currency or share marker.
fn core_of(text: &str, span: &Range<usize>) -> Range<usize> {
    let read = &text[span.clone()];
    let Some(start) = read.find(is_numeral) else {
        // A number written in words: its first word to its last.
        return span.clone();
    };
    let rest = &read[start..];
    let len = rest
        .char_indices()
        .find(|&(_, c)| !(is_numeral(c) || matches!(c, '.' | '．' | ',' | '點' | '点' | '多' | '餘' | '余')))
        .map_or(rest.len(), |(at, _)| at);
    span.start + start..span.start + start + len
}

fn in_lexicon(text: &str, core: &Range<usize>) -> Option<Kind> {
    let window = around(text, core, 6);
    for &(word, kind) in LEXICON {
        for (at, _) in text[window.clone()].match_indices(word) {
            let start = window.start + at;
            if start < core.end && core.start < start + word.len() {
                return Some(kind);
            }
        }
    }
    let after = &text[core.end..];
    NAME_SUFFIXES.iter().any(|suffix| after.starts_with(suffix)).then_some(Kind::Name)
}

/// `range` widened by up to `chars` characters on each side.
fn around(text: &str, range: &Range<usize>, chars: usize) -> Range<usize> {
    let start = text[..range.start].char_indices().rev().nth(chars - 1).map_or(0, |(at, _)| at);
    let end = text[range.end..].char_indices().nth(chars).map_or(text.len(), |(at, _)| range.end + at);
    start..end
}

fn has_english_multiplier(read: &str) -> bool {
    let lower = read.to_ascii_lowercase();
    ["thousand", "million", "billion", "trillion", "bn", "mn", "tn"].iter().any(|w| lower.contains(w))
        || lower.trim_end().ends_with(['m', 'k'])
}

fn is_cjk_letter(c: char) -> bool {
    !c.is_ascii() && c.is_alphabetic() && !is_numeral(c)
}

fn measure_at(after: &str) -> Option<&str> {
    MEASURES.iter().copied().find(|m| after.starts_with(m)).or_else(|| {
        // N大 + a noun: 十大創新 (ten major innovations).
        let mut chars = after.chars();
        (chars.next() == Some('大') && chars.next().is_some_and(is_cjk_letter)).then(|| &after[..'大'.len_utf8()])
    })
}

/// The verdicts Chinese context gives a numeral of either script: names, ranks,
/// references, spans of time and counts.
fn chinese_context<'a>(text: &'a str, core: &Range<usize>, qualified: bool) -> Option<Verdict<'a>> {
    let before = &text[..core.start];
    let after = &text[core.end..];
    let prev = before.chars().next_back();
    if prev.is_some_and(|c| matches!(c, '雙' | '双')) {
        return Some(Verdict::Not(Kind::Name));
    }
    let rank = prev.is_some_and(|c| RANK_BEFORE.contains(&c)) && RANK_AFTER.iter().any(|w| after.starts_with(w));
    // 深算二號: a numbered name; 一線城市, 二十屆: a rank.
    if after.starts_with(['號', '号']) {
        return Some(Verdict::Not(Kind::Name));
    }
    if rank || after.starts_with(['線', '线', '屆', '届']) {
        return Some(Verdict::Not(Kind::Ordinal));
    }
    if TIME_UNITS.iter().any(|unit| after.starts_with(unit)) {
        return Some(Verdict::Not(Kind::Duration));
    }
    if qualified {
        return Some(Verdict::Figure(Why::Qualifier));
    }
    if DETERMINERS.iter().any(|d| before.ends_with(d)) {
        return Some(Verdict::Not(Kind::Article));
    }
    None
}

fn chinese<'a>(text: &'a str, core: &Range<usize>, qualified: bool) -> Verdict<'a> {
    let numeral = &text[core.clone()];
    let after = &text[core.end..];
    let prev = text[..core.start].chars().next_back();
    // 下一代, 上一次: the next or the last one.
    if numeral == "一" && prev.is_some_and(|c| matches!(c, '下' | '上')) {
        return Verdict::Not(Kind::Ordinal);
    }
    if let Some(verdict) = chinese_context(text, core, qualified) {
        return verdict;
    }
    let measure = measure_at(after);
    match numeral {
        // 零組件, 零售: a lone 零 opens a word; zero as a figure is written otherwise.
        "零" | "〇" | "○" => return Verdict::Not(Kind::Word),
        // 一大隱憂 "a major worry"; 一個, 一家, 一條: the article "a".
        "一" if after.starts_with('大') => return Verdict::Not(Kind::Word),
        "一" if measure.is_some() => return Verdict::Not(Kind::Article),
        _ => {}
    }
    if in_parallel_saying(text, core) {
        return Verdict::Not(Kind::Idiom);
    }
    // Things are counted with 兩; 二 before a measure word ranks them (二次, 二手, 二號).
    if numeral == "二" && (measure.is_some() || after.chars().next().is_some_and(is_cjk_letter)) {
        return Verdict::Not(Kind::Ordinal);
    }
    match measure {
        Some(word) => Verdict::Figure(Why::Measure(word)),
        None => Verdict::Not(Kind::Word),
    }
}

/// A one-character numeral with another within four characters and no punctuation
/// between: the parallel numbers of a saying (十家倒閉九家, 一石二鳥, 三心二意, 七上八下).
fn in_parallel_saying(text: &str, core: &Range<usize>) -> bool {
    let lone = |c: char| "一二三四五六七八九十兩两百千萬万".contains(c);
    if text[core.clone()].chars().count() != 1 || !text[core.clone()].chars().all(lone) {
        return false;
    }
    let numeral_or_share = |c: &char| is_numeral(*c) || matches!(c, '%' | '成');
    // Nearest first on each side; the other numeral must stand alone too.
    let ahead: Vec<char> = text[core.end..].chars().take(5).collect();
    let behind: Vec<char> = text[..core.start].chars().rev().take(5).collect();
    let paired = |chars: &[char], forward: bool| {
        for k in 0..chars.len().min(4) {
            let c = chars[k];
            if !is_cjk_letter(c) && !is_numeral(c) {
                return false;
            }
            let (toward_core, away) = (k.checked_sub(1).map(|j| chars[j]), chars.get(k + 1));
            let alone = if forward {
                !toward_core.is_some_and(is_numeral) && !away.is_some_and(numeral_or_share)
            } else {
                !away.is_some_and(|c| is_numeral(*c)) && !toward_core.is_some_and(|c| numeral_or_share(&c))
            };
            if k > 0 && lone(c) && alone {
                return true;
            }
        }
        false
    };
    paired(&ahead, true) || paired(&behind, false)
}

fn arabic<'a>(text: &'a str, core: &Range<usize>, qualified: bool) -> Verdict<'a> {
    let before = &text[..core.start];
    let after = &text[core.end..];
    let prev = before.chars().next_back();
    let next = after.chars().next();
    // 台積電(2330): a stock code.
    let in_parentheses = matches!(prev, Some('(' | '（')) && matches!(next, Some(')' | '）'));
    if in_parentheses && before.chars().rev().nth(1).is_some_and(is_cjk_letter) {
        return Verdict::Not(Kind::Name);
    }
    let chinese_side = prev.is_some_and(is_cjk_letter) || next.is_some_and(is_cjk_letter);
    if chinese_side {
        if let Some(verdict) = chinese_context(text, core, qualified) {
            return verdict;
        }
        if let Some(word) = measure_at(after) {
            return Verdict::Figure(Why::Measure(word));
        }
        // 奇虎360創辦人, 麒麟9020晶片: a number inside a name.
        if next.is_some_and(|c| is_cjk_letter(c) || c.is_ascii_alphabetic()) {
            return Verdict::Not(Kind::Name);
        }
        return Verdict::Figure(Why::Number);
    }
    // COVID-19, F-35.
    let mut back = before.chars().rev();
    if prev == Some('-') && back.nth(1).is_some_and(|c| c.is_ascii_alphabetic()) {
        return Verdict::Not(Kind::Name);
    }
    if qualified {
        return Verdict::Figure(Why::Qualifier);
    }
    if let Some((word_start, word)) = word_before(before) {
        let lower = word.to_ascii_lowercase();
        if ORDINAL_NOUNS.contains(&lower.as_str()) {
            return Verdict::Not(Kind::Ordinal);
        }
        // Mate 60, Windows 11, Boeing 737: a capitalised word, unless it is a sentence's
        // first word and an ordinary one (Only 5 firms, About 40 banks).
        let ordinary_opener = opens_sentence(&text[..word_start]) && SENTENCE_OPENERS.contains(&lower.as_str());
        if word.starts_with(|c: char| c.is_ascii_uppercase()) && !ordinary_opener {
            return Verdict::Not(Kind::Name);
        }
    }
    if before.ends_with('#') {
        return Verdict::Not(Kind::Ordinal);
    }
    english_after(after, Why::Number)
}

/// The Latin word before a number and one space (`Mate` of `Mate 60`), with where it starts.
fn word_before(before: &str) -> Option<(usize, &str)> {
    let trimmed = before.strip_suffix(' ')?;
    let start = trimmed
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '.' || c == '#'))
        .map_or(0, |(at, c)| at + c.len_utf8());
    let word = &trimmed[start..];
    (!word.is_empty() && word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '#')).then_some((start, word))
}

/// Whether a word after `before` opens a sentence (so its capital says nothing).
fn opens_sentence(before: &str) -> bool {
    let trimmed = before.trim_end_matches([' ', '\t']);
    trimmed.chars().next_back().is_none_or(|c| matches!(c, '\n' | '.' | '!' | '?' | ':' | '"' | '“' | '(' | '「' | '-'))
}

fn english_after<'a>(after: &str, why: Why<'a>) -> Verdict<'a> {
    let next_word = after.trim_start_matches(' ');
    let is_time = ENGLISH_TIME_UNITS.iter().any(|unit| {
        next_word.get(..unit.len()).is_some_and(|word| word.eq_ignore_ascii_case(unit))
            && !next_word[unit.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
    });
    if next_word.len() < after.len() && is_time { Verdict::Not(Kind::Duration) } else { Verdict::Figure(why) }
}

fn english_word<'a>(text: &'a str, core: &Range<usize>, qualified: bool) -> Verdict<'a> {
    if qualified {
        return Verdict::Figure(Why::Qualifier);
    }
    let word = &text[core.clone()];
    let before = &text[..core.start];
    // The Big Four, the Group of Seven.
    if word.starts_with(|c: char| c.is_ascii_uppercase()) && !opens_sentence(before) {
        return Verdict::Not(Kind::Name);
    }
    // "one bank put it at 4.6%": one is "a".
    if word.eq_ignore_ascii_case("one") {
        return Verdict::Not(Kind::Article);
    }
    let previous = before.trim_end().rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
    if ["these", "those", "the", "both", "all"].contains(&previous.as_str()) {
        return Verdict::Not(Kind::Article);
    }
    english_after(&text[core.end..], Why::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provenance::numerals::read_numbers;

    /// The verdict on each number of `text`, with the words it was read from.
    fn verdicts(text: &str) -> Vec<(&str, Verdict<'_>)> {
        read_numbers(text).iter().map(|f| (&text[f.span.clone()], classify(text, f))).collect()
    }

    /// Every number of `text` is left out as `kind`.
    fn all_left_out(text: &str, kind: Kind) {
        let verdicts = verdicts(text);
        assert!(!verdicts.is_empty(), "{text}: no number read");
        for (read, verdict) in verdicts {
            assert_eq!(verdict, Verdict::Not(kind), "{text}: {read}");
        }
    }

    /// `text` offers exactly `figures`, each read as written.
    fn offers(text: &str, figures: &[&str]) {
        let offered: Vec<&str> =
            verdicts(text).into_iter().filter(|(_, v)| matches!(v, Verdict::Figure(_))).map(|(r, _)| r).collect();
        assert_eq!(offered, figures, "{text}");
    }

    #[test]
    fn names_are_not_figures() {
        for text in [
            "閉幕的中國兩會",
            "十四五規劃",
            "中共三中全會閉幕",
            "一帶一路沿線國家",
            "雙十一購物節",
            "中國網路安全公司奇虎360創辦人周鴻禕",
            "麒麟9020晶片",
            "深算二號",
            "外資與三大法人",
        ] {
            all_left_out(text, Kind::Name);
        }
        for text in [
            "Huawei's Mate 60 series",
            "upgrade to Windows 11 soon",
            "Windows 11 ships",
            "the COVID-19 pandemic",
            "the Big Four",
        ] {
            all_left_out(text, Kind::Name);
        }
        // Glued to letters the reader never reads them: G7, 5G, GPT4, G2, G20.
        for text in ["G7峰會與5G網路", "超過GPT4的模型", "這就是G2概念", "the G20 summit and 5G"] {
            assert!(verdicts(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn articles_are_not_figures() {
        for text in ["做出一個模型", "提出一套計畫", "有一家最終擊敗對手", "厲害的另一點", "不是一條康莊大道"]
        {
            all_left_out(text, Kind::Article);
        }
        assert_eq!(verdicts("一次看懂兩會")[0].1, Verdict::Not(Kind::Article));
        for text in ["這兩款晶片", "另外一個案例", "one bank put it higher"] {
            all_left_out(text, Kind::Article);
        }
        // "one of the", "a year": the reader reads no number there.
        assert!(verdicts("one of the largest banks, a year ago").is_empty());
    }

    #[test]
    fn idioms_are_not_figures() {
        for text in ["十家倒閉九家沒關係", "一石二鳥", "技驚四座的不是新手機", "三心二意"] {
            all_left_out(text, Kind::Idiom);
        }
    }

    #[test]
    fn ordinals_are_not_figures() {
        for text in ["前三季營收", "前五大客戶", "下一代晶片", "二次降規版晶片", "一線城市"] {
            all_left_out(text, Kind::Ordinal);
        }
        for text in ["under Article 23 of the Basic Law", "a Section 301 investigation", "ranked No. 3"] {
            all_left_out(text, Kind::Ordinal);
        }
        // 14th is glued to its letters and Five-Year to its hyphen: nothing is read.
        assert!(verdicts("the 14th Five-Year Plan").is_empty());
    }

    #[test]
    fn words_are_not_figures() {
        for text in ["半導體零組件", "成為一大隱憂", "近一步擴大禁令", "百模大戰"] {
            all_left_out(text, Kind::Word);
        }
        // The reader itself knows 一度 and 一切 as words.
        offers("年初市占一度奪冠,竭盡一切", &[]);
    }

    #[test]
    fn spans_of_time_are_not_figures() {
        for text in ["過去五年時間", "盼兩年內", "不到五年", "over the past five years"] {
            all_left_out(text, Kind::Duration);
        }
        offers("中國可以在一年至兩年內趕上美國", &["一年至兩年"]);
    }

    #[test]
    fn figures_with_a_unit_measure_share_or_qualifier_stay() {
        offers("全球一百五十三座燈塔工廠中,中國就占了六十一座居冠,美國才十三座", &["一百五十三", "六十一", "十三"]);
        offers("目前已超過七百家企業進駐", &["超過七百"]);
        offers("首次展出AI相關的十大創新,斬獲十一項獎項", &["十", "十一"]);
        offers("中芯國際開始進入七奈米製程", &["七"]);
        offers("向華為訂購一千六百片昇騰晶片", &["一千六百"]);
        offers("市場規模上升到人民幣七百億元以上", &["人民幣七百億元以上"]);
        offers("年增近九成,同期也新增了六萬六千家", &["近九成", "六萬六千"]);
        offers("良率僅有台積電的三分之一不到", &["三分之一不到"]);
        offers("約佔國內生產總值的一成", &["約佔國內生產總值的一成"]);
        offers("只有兩個選擇,兩家公司", &["兩", "兩"]);
        offers("營收達3000億元,共有360家供應商,年增5%", &["3000億元", "360", "5%"]);
        offers("前三季GDP成長4.2%", &["4.2%"]);
        offers("加權指數上漲120點,央行升息1碼,鴻海(2317)與台積電（2330）", &["120", "1"]);
        offers(
            "Economic growth of around 5%, 1,600 people, more than 12 million jobs",
            &["around 5%", "1,600", "more than 12 million"],
        );
        offers(
            "at least five factories a week, a dozen industries, spending roughly equal to 3% of GDP",
            &["at least five", "a dozen", "roughly equal to 3%"],
        );
    }

    #[test]
    fn dates_are_dates() {
        all_left_out("二○二二年三月十一日", Kind::Date);
    }
}
