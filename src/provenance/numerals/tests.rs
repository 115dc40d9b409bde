//! The reader's tests: a table of quotes per language with the value, bound and scale
//! each must be read as, then the edge cases (years and dates, spans, hostile input).

use super::*;
use Qualifier::{Approx, AtLeast, AtMost, Exact};
use Scale::{Fraction, Percent, Plain, Points};

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
    ("五個百分點以上", "5", None, AtLeast, Points),
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

/// A comma between digits that is not a thousands separator may be a decimal comma
/// (4,6 is 4.6 in Russian or German) or a list without spaces: no reading is sure, so the
/// run is refused whole rather than read as two numbers.
#[test]
fn short_comma_group_is_refused_not_split() {
    for text in ["4,6", "2022,2023", "1,6000", "1,600,5"] {
        assert_eq!(read_numbers_and_refusals(text), (vec![], vec![0]), "{text}");
    }
    assert_eq!(values("1,600, 5"), vec![dec("1600"), dec("5")], "a comma and a space is a list");
}

/// Issue 22: each of these was read as another number (5%, 0, 0).
#[test]
fn unsure_numbers_are_refused_never_misread() {
    let russian = "Инфляция в прошлом году составила 3,5%, а в этом году 4,25 процента.";
    let (found, refused) = read_numbers_and_refusals(russian);
    assert_eq!((found, refused.len()), (vec![], 2));
    for split in ["1\u{200b}000 firms", "增長1\u{200b}000億元", "一\u{200d}千家", "5\u{ad}000"] {
        assert_eq!(read_numbers_and_refusals(split).1.len(), 1, "{split:?}");
        assert_eq!(read_numbers_and_refusals(split).0, vec![], "{split:?}");
    }
    let tiny = format!("0.{}1 percent", "0".repeat(36));
    assert_eq!(read_numbers_and_refusals(&tiny), (vec![], vec![0]));
    let zeros = format!("0.5{} percent", "0".repeat(40));
    assert_eq!(values(&zeros), vec![dec("0.5")], "zeros past 28 places change nothing");
    let long = "12345678901234567890.123456789012345";
    assert_eq!(read_numbers_and_refusals(long).0, vec![], "rounding to fit would change it");
    assert_eq!(values("5\u{200b} firms"), vec![dec("5")], "an invisible character after a number ends it");
}

/// An "about" standing before the verb still bounds the share after it.
#[test]
fn a_detached_about_bounds_the_share() {
    let read = |text: &str| read_numbers(text).into_iter().map(|f| (f.value, f.qualifier)).collect::<Vec<_>>();
    assert_eq!(read("產值約佔國內生產總值的一成"), vec![(dec("10"), Qualifier::Approx)]);
    assert_eq!(read("產能近全台九成"), vec![(dec("90"), Qualifier::Approx)]);
    assert_eq!(read("spending is roughly equal to 3% of GDP"), vec![(dec("3"), Qualifier::Approx)]);
    assert_eq!(read("近年來有三成企業"), vec![(dec("30"), Qualifier::Exact)], "近年 is recent years");
    assert_eq!(read("約束三成企業"), vec![(dec("30"), Qualifier::Exact)], "約束 is restraint");
    assert_eq!(read("talked about growth of 5%"), vec![(dec("5"), Qualifier::Exact)], "about as a preposition");
    assert_eq!(read("約佔全國三家"), vec![(dec("3"), Qualifier::Exact)], "further away, only a share");
    assert_eq!(read("約有兩家供應商"), vec![(dec("2"), Qualifier::Approx)], "約 and a verb touching a count");
}

#[test]
fn plain_text_has_no_numbers() {
    assert!(read_numbers("abc").is_empty());
    assert!(read_numbers("").is_empty());
    assert!(read_numbers("經濟成長率").is_empty());
}

#[test]
fn years_are_marked() {
    let year = |text: &str| read_numbers(text)[0].date == Some(DatePart::Year);
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
        ("人民幣七百億元以上的投資", "人民幣七百億元以上"),
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
        "$",
        "US$",
        "between",
        "between 5 and",
        "a",
        "a million million billion",
        "5 billion trillion",
        "99999999999999999999999999 trillion",
        "9,999,999,999,999,999,999,999,999,999 bn",
        "half half half",
        "twenty-",
        "per cent",
        "5 to",
        "5 - - 6",
        "2024-",
        "2024-25-26-27",
        "兆兆兆",
        "近億億億億億",
        "點點",
        "一點",
    ];
    for text in nasty {
        let _ = read_numbers(text);
    }
}

// ---------------------------------------------------------------------------
// The rest of written Chinese

const CHINESE: &[Case] = &[
    // Decimals with 點/点 and with `.`/`．` between numerals.
    ("二點八%", "2.8", None, Exact, Percent),
    ("百分之六點五", "6.5", None, Exact, Percent),
    ("三點四億元", "340000000", None, Exact, Plain),
    ("增长五点二%", "5.2", None, Exact, Percent),
    ("四．六%", "4.6", None, Exact, Percent),
    ("成長率一點二", "1.2", None, Exact, Plain),
    // 兆 (10^12) and 萬億/万亿.
    ("2.6兆元", "2600000000000", None, Exact, Plain),
    ("一兆二千億", "1200000000000", None, Exact, Plain),
    ("三萬億元", "3000000000000", None, Exact, Plain),
    ("三万亿元", "3000000000000", None, Exact, Plain),
    ("1.5万亿", "1500000000000", None, Exact, Plain),
    // A multiplier standing alone after a qualifier.
    ("逾千家企業", "1000", None, AtLeast, Plain),
    ("近億人", "100000000", None, Approx, Plain),
    ("逾萬人", "10000", None, AtLeast, Plain),
    ("超過百萬", "1000000", None, AtLeast, Plain),
    // Fractions, shares and percentage points.
    ("增加了0.3個百分點", "0.3", None, Exact, Points),
    ("提高兩个百分点", "2", None, Exact, Points),
    ("下降1.5百分點", "1.5", None, Exact, Points),
    ("0.2至0.3個百分點", "0.2", Some("0.3"), Qualifier::Range, Points),
    ("五分之二", "0.4", None, Exact, Fraction),
    ("兩成", "20", None, Exact, Percent),
    // Qualifiers before and after.
    ("約為五%", "5", None, Approx, Percent),
    ("约为3.5%", "3.5", None, Approx, Percent),
    ("大約四成", "40", None, Approx, Percent),
    ("不超過三%", "3", None, AtMost, Percent),
    ("五%上下", "5", None, Approx, Percent),
    ("一千家上下", "1000", None, Approx, Plain),
    ("多達七百家", "700", None, AtMost, Plain),
    ("多达三成", "30", None, AtMost, Percent),
    ("最多五年", "5", None, AtMost, Plain),
    ("至少三家", "3", None, AtLeast, Plain),
    ("十家以內", "10", None, AtMost, Plain),
    ("3%以下", "3", None, AtMost, Percent),
    ("5%左右", "5", None, Approx, Percent),
    // Ranges with 至, 到, ～ and -.
    ("四至五%", "4", Some("5"), Qualifier::Range, Percent),
    ("三到五成", "30", Some("50"), Qualifier::Range, Percent),
    ("5～6%", "5", Some("6"), Qualifier::Range, Percent),
    ("4.5-5%", "4.5", Some("5"), Qualifier::Range, Percent),
    ("兩千至三千億元", "200000000000", Some("300000000000"), Qualifier::Range, Plain),
];

#[test]
fn table_of_chinese_forms() {
    for case in CHINESE {
        let found = read_numbers(case.0);
        assert!(found.iter().any(|f| matches(f, case)), "{case:?}: read {found:#?}");
    }
}

#[test]
fn mega_is_a_prefix_before_si_units() {
    assert_eq!(values("五兆瓦"), vec![dec("5")]);
    assert_eq!(values("五兆"), vec![dec("5000000000000")]);
}

#[test]
fn upstream_and_downstream_is_not_about() {
    let found = read_numbers("五家上下游企業");
    assert_eq!(found[0].qualifier, Exact, "{found:?}");
}

#[test]
fn months_and_days_are_dates() {
    let parts = |text: &str| read_numbers(text).iter().map(|f| (f.value, f.date)).collect::<Vec<_>>();
    use DatePart::{Day, Month, Year};
    assert_eq!(parts("三月十一日閉幕"), vec![(dec("3"), Some(Month)), (dec("11"), Some(Day))]);
    assert_eq!(parts("2024年3月5日"), vec![(dec("2024"), Some(Year)), (dec("3"), Some(Month)), (dec("5"), Some(Day))]);
    assert_eq!(parts("去年十月"), vec![(dec("10"), Some(Month))]);
    assert_eq!(parts("2024/3月 第1896期"), vec![(dec("2024"), Some(Year)), (dec("3"), Some(Month))]);
    assert_eq!(parts("三個月"), vec![(dec("3"), None)]);
    assert_eq!(parts("比上年四季度增长1.6%"), vec![(dec("4"), Some(DatePart::Quarter)), (dec("1.6"), None)]);
    assert_eq!(parts("深算二號"), vec![(dec("2"), None)]);
}

// ---------------------------------------------------------------------------
// English

const ENGLISH: &[Case] = &[
    // Digits, separators, decimals, percent and points.
    ("growth of 3.9 per cent", "3.9", None, Exact, Percent),
    ("growth of 3.9 percent", "3.9", None, Exact, Percent),
    ("inflation of 2.5%", "2.5", None, Exact, Percent),
    ("more than 5,000 firms", "5000", None, AtLeast, Plain),
    ("1,234,567.89 units", "1234567.89", None, Exact, Plain),
    ("0.25 percentage points", "0.25", None, Exact, Points),
    ("a 0.5-percentage-point cut", "0.5", None, Exact, Points),
    ("up 0.3pp", "0.3", None, Exact, Points),
    ("rose 0.3 pp", "0.3", None, Exact, Points),
    ("cut by 25 basis points", "0.25", None, Exact, Points),
    ("a 10bp cut", "0.1", None, Exact, Points),
    ("25-50 bps", "0.25", Some("0.5"), Qualifier::Range, Points),
    // Multipliers.
    ("12 thousand", "12000", None, Exact, Plain),
    ("4 million people", "4000000", None, Exact, Plain),
    ("2.3 trillion yuan", "2300000000000", None, Exact, Plain),
    ("US$7.5bn", "7500000000", None, Exact, Plain),
    ("5mn barrels", "5000000", None, Exact, Plain),
    ("$3.2m", "3200000", None, Exact, Plain),
    ("1.2 tn", "1200000000000", None, Exact, Plain),
    ("50k jobs", "50000", None, Exact, Plain),
    ("five million", "5000000", None, Exact, Plain),
    ("two hundred thousand", "200000", None, Exact, Plain),
    ("a billion dollars", "1000000000", None, Exact, Plain),
    // Currencies before and after.
    ("$12 billion", "12000000000", None, Exact, Plain),
    ("more than 40 billion yuan", "40000000000", None, AtLeast, Plain),
    ("RMB 500m", "500000000", None, Exact, Plain),
    ("CNY 3tn", "3000000000000", None, Exact, Plain),
    ("¥1,000", "1000", None, Exact, Plain),
    ("€2.5bn", "2500000000", None, Exact, Plain),
    ("EUR 40 million", "40000000", None, Exact, Plain),
    ("300 million dollars", "300000000", None, Exact, Plain),
    // Number words.
    ("five factories", "5", None, Exact, Plain),
    ("Twelve provinces", "12", None, Exact, Plain),
    ("one plant", "1", None, Exact, Plain),
    ("eleven cities", "11", None, Exact, Plain),
    ("twenty-one banks", "21", None, Exact, Plain),
    ("a dozen banks", "12", None, Exact, Plain),
    ("a third of firms", THIRD, None, Exact, Fraction),
    ("half of the loans", "0.5", None, Exact, Fraction),
    ("two-thirds of output", "0.6666666666666666666666666667", None, Exact, Fraction),
    // Qualifiers.
    ("around 4%", "4", None, Approx, Percent),
    ("about 5%", "5", None, Approx, Percent),
    ("roughly 3 per cent", "3", None, Approx, Percent),
    ("approximately 200 firms", "200", None, Approx, Plain),
    ("nearly 90%", "90", None, Approx, Percent),
    ("almost half of them", "0.5", None, Approx, Fraction),
    ("close to 1 trillion yuan", "1000000000000", None, Approx, Plain),
    ("more than $5 billion", "5000000000", None, AtLeast, Plain),
    ("over 700 firms", "700", None, AtLeast, Plain),
    ("above 3%", "3", None, AtLeast, Percent),
    ("at least five factories", "5", None, AtLeast, Plain),
    ("less than 2%", "2", None, AtMost, Percent),
    ("under 3%", "3", None, AtMost, Percent),
    ("below 2 per cent", "2", None, AtMost, Percent),
    ("no more than 2%", "2", None, AtMost, Percent),
    ("at most 3%", "3", None, AtMost, Percent),
    ("up to 3,000 jobs", "3000", None, AtMost, Plain),
    ("as much as 30 billion yuan", "30000000000", None, AtMost, Plain),
    ("10,000 or more", "10000", None, AtLeast, Plain),
    // Ranges.
    ("4.5-5%", "4.5", Some("5"), Qualifier::Range, Percent),
    ("4.5% to 5%", "4.5", Some("5"), Qualifier::Range, Percent),
    ("4.5 to 5 per cent", "4.5", Some("5"), Qualifier::Range, Percent),
    ("between 4 and 5 per cent", "4", Some("5"), Qualifier::Range, Percent),
    ("$10-12 billion", "10000000000", Some("12000000000"), Qualifier::Range, Plain),
    ("10 to 12 billion yuan", "10000000000", Some("12000000000"), Qualifier::Range, Plain),
    ("0.2-0.3 percentage points", "0.2", Some("0.3"), Qualifier::Range, Points),
];

#[test]
fn table_of_english_forms() {
    for case in ENGLISH {
        let found = read_numbers(case.0);
        assert!(found.iter().any(|f| matches(f, case)), "{case:?}: read {found:#?}");
    }
}

#[test]
fn amounts_carry_their_currency() {
    let cases = [
        ("$12 billion", Currency::Usd),
        ("US$7.5bn", Currency::Usd),
        ("¥1,000", Currency::Cny),
        ("RMB 500m", Currency::Cny),
        ("40 billion yuan", Currency::Cny),
        ("€2.5bn", Currency::Eur),
        ("EUR 40 million", Currency::Eur),
        ("300 million dollars", Currency::Usd),
        ("HK$3bn", Currency::Hkd),
        ("500 billion yen", Currency::Jpy),
        ("人民幣七百億元", Currency::Cny),
        ("三百億美元", Currency::Usd),
        ("七百億元", Currency::Cny),
        ("新台幣五千億元", Currency::Twd),
        ("五億歐元", Currency::Eur),
        ("2.6兆元", Currency::Cny),
    ];
    for (text, currency) in cases {
        let found = read_numbers(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert_eq!(found[0].currency, Some(currency), "{text}: {found:?}");
    }
    for (text, code) in
        [("40 billion CNY", Currency::Cny), ("500 million USD", Currency::Usd), ("3bn EUR", Currency::Eur)]
    {
        assert_eq!(read_numbers(text)[0].currency, Some(code), "{text}");
    }
    for text in ["five factories", "七百家", "C$5 billion", "AI應用元年"] {
        assert!(read_numbers(text).iter().all(|f| f.currency.is_none()), "{text}");
    }
}

#[test]
fn english_years_are_dates_never_amounts() {
    let dates = |text: &str| read_numbers(text).iter().map(|f| (f.value, f.date)).collect::<Vec<_>>();
    use DatePart::{Day, Month, Year};
    assert_eq!(dates("growth in 2024 of 5%"), vec![(dec("2024"), Some(Year)), (dec("5"), None)]);
    assert_eq!(dates("2025's target"), vec![(dec("2025"), Some(Year))]);
    assert_eq!(dates("(2023)"), vec![(dec("2023"), Some(Year))]);
    assert_eq!(dates("on March 5, 2024,"), vec![(dec("5"), Some(Day)), (dec("2024"), Some(Year))]);
    assert_eq!(dates("5 March"), vec![(dec("5"), Some(Day))]);
    assert_eq!(dates("in fiscal 2024-25"), vec![(dec("2024"), Some(Year)), (dec("25"), Some(Year))]);
    assert_eq!(
        dates("on 2024-03-15"),
        vec![(dec("2024"), Some(Year)), (dec("3"), Some(Month)), (dec("15"), Some(Day))]
    );
    assert_eq!(dates("between 2020 and 2022"), vec![(dec("2020"), Some(Year))]);
    // A four-digit number with a qualifier, a currency or a counter is an amount.
    assert_eq!(dates("more than 2000 firms"), vec![(dec("2000"), None)]);
    assert_eq!(dates("$2024"), vec![(dec("2024"), None)]);
    assert_eq!(dates("有 2000 家"), vec![(dec("2000"), None)]);
}

#[test]
fn a_change_from_one_rate_to_another_is_not_a_range() {
    let found = read_numbers("raised its forecast from 4.6% to 4.8%");
    assert!(found.iter().all(|f| f.high.is_none()), "{found:?}");
    assert_eq!(values("raised its forecast from 4.6% to 4.8%"), vec![dec("4.6"), dec("4.8")]);
}

#[test]
fn names_and_codes_are_not_numbers() {
    for text in ["H800", "A100", "GPT4", "5G", "910B", "4IR", "MTTS4000", "Mate60", "the 1990s", "1st", "FY2025"] {
        assert!(read_numbers(text).is_empty(), "{text}: {:?}", read_numbers(text));
    }
    assert_eq!(values("a 7nm chip"), vec![dec("7")]);
    assert_eq!(values("Mate 60"), vec![dec("60")]);
    assert!(read_numbers("someone said none of the money").is_empty());
    assert!(read_numbers("one of the largest").is_empty());
    assert!(read_numbers("in the first half").is_empty());
    for text in ["百度", "一切", "一度奪冠", "第三方", "第1896期", "唯一", "焦點之一"] {
        assert!(read_numbers(text).is_empty(), "{text}: {:?}", read_numbers(text));
    }
    assert_eq!(values("有一家"), vec![dec("1")]);
}

#[test]
fn english_spans_slice_back_to_the_text() {
    let cases = [
        ("spending of more than $5 billion this year", "more than $5 billion"),
        ("between 4 and 5 per cent, it said", "between 4 and 5 per cent"),
        ("a rise of 0.3 percentage points.", "0.3 percentage points"),
        ("fees of US$7.5bn or more", "US$7.5bn or more"),
    ];
    for (text, expected) in cases {
        let found = read_numbers(text);
        assert_eq!(&text[found[0].span.clone()], expected, "{text}: {found:?}");
    }
}

proptest::proptest! {
    /// Any text: no panic, and every span is a slice of it in order.
    #[test]
    fn any_text_reads_without_panic(text in "\\PC{0,40}") {
        let mut last_end = 0;
        for found in read_numbers(&text) {
            proptest::prop_assert!(text.get(found.span.clone()).is_some(), "{found:?}");
            proptest::prop_assert!(found.span.start >= last_end, "{found:?}");
            last_end = found.span.end;
        }
    }
}

#[test]
fn number_words_one_to_twelve() {
    let words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
    for (n, word) in words.iter().enumerate() {
        let text = format!("{word} plants");
        assert_eq!(values(&text), vec![Decimal::from(n + 1)], "{text}");
        let capital = format!("{}{} banks", word[..1].to_uppercase(), &word[1..]);
        assert_eq!(values(&capital), vec![Decimal::from(n + 1)], "{capital}");
    }
}
