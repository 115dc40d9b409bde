//! Every listing speaks table, CSV and JSON with the same columns.

use crate::util::{Add, Env, csv_rows};

#[test]
fn lists_speak_three_formats_with_the_same_columns() {
    let env = Env::seeded();
    for list in [["source", "list"], ["indicator", "list"], ["entity", "list"], ["document", "list"]] {
        let csv = env.ok(&[list[0], list[1], "--format", "csv"]);
        let header = csv_rows(&csv)[0].clone();
        let json: serde_json::Value = serde_json::from_str(&env.ok(&[list[0], list[1], "--format", "json"])).unwrap();
        let first = json.as_array().unwrap()[0].as_object().unwrap();
        let keys: Vec<String> = first.keys().cloned().collect();
        let mut sorted_header = header.clone();
        sorted_header.sort();
        let mut sorted_keys = keys;
        sorted_keys.sort();
        assert_eq!(sorted_header, sorted_keys, "{list:?}");
        let table = env.ok(&[list[0], list[1]]);
        assert!(table.contains(&header[0]), "{table}");
    }
}

#[test]
fn tables_align_chinese_text() {
    let env = Env::seeded();
    let table = env.ok(&["source", "list"]);
    assert!(table.contains("彭博"), "{table}");
    let width =
        |line: &str| -> usize {
            line.chars()
                .map(|c| {
                    if ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c) { 2 } else { 1 }
                })
                .sum()
        };
    let widths: Vec<usize> = table.lines().filter(|l| l.starts_with('│')).map(width).collect();
    assert!(widths.windows(2).all(|w| w[0] == w[1]), "{table}");
}

#[test]
fn adding_dimensions() {
    let env = Env::seeded();
    let imf = [
        "source",
        "add",
        "imf",
        "--name",
        "International Monetary Fund",
        "--name-zh",
        "國際貨幣基金",
        "--kind",
        "international-org",
    ];
    let out = env.ok(&imf);
    assert!(out.starts_with("added source imf"), "{out}");
    assert!(env.ok(&imf).starts_with("unchanged"));
    let stderr = env.fails(&["source", "add", "imf", "--name", "IMF"]);
    assert!(stderr.contains("already defined differently"), "{stderr}");
    let stderr = env.fails(&["source", "add", "blog", "--name", "A blog", "--kind", "blog"]);
    assert!(stderr.contains("bad source kind \"blog\""), "{stderr}");

    env.ok(&["indicator", "add", "unemployment", "--name", "Unemployment rate", "--unit", "percent"]);
    env.ok(&["entity", "add", "JP", "--name", "Japan", "--kind", "country"]);
    env.ok(&["document", "add", "imf-weo-2024-04", "--title", "World Economic Outlook", "--published", "2024-04-16"]);
    let out = env.ok(&Add::forecast("unemployment", "2.5", "imf", "2024-04-16")
        .entity("JP")
        .with(&["--document", "imf-weo-2024-04"])
        .args());
    assert!(out.starts_with("added forecast unemployment JP 2024 = 2.5"), "{out}");
}

#[test]
fn history_lists_every_vintage_oldest_first() {
    let env = Env::seeded();
    env.ok(&Add::forecast("gdp.real.growth", "4.8", "bloomberg", "2024-06-01").args());
    let csv = env.ok(&["history", "--indicator", "gdp.real.growth", "--entity", "CN", "--format", "csv"]);
    let rows = csv_rows(&csv);
    let column = rows[0].iter().position(|h| h == "published").unwrap();
    let published: Vec<&str> = rows[1..].iter().map(|r| r[column].as_str()).collect();
    assert_eq!(published, ["2024-03-05", "2024-03-13", "2024-06-01", "2025-01-17"], "{csv}");
}
