//! What a new user reads in the first hour: errors that say how to fix the input, a usage
//! line that does not invent requirements, and notes that say the same thing each time.

use crate::util::{Add, Env};

fn one_error_line(stderr: &str) -> &str {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.is_empty() && !l.starts_with("For more information")).collect();
    assert_eq!(lines.len(), 1, "one error line expected:\n{stderr}");
    lines[0]
}

#[test]
fn a_percent_sign_in_a_value_says_to_drop_it() {
    let env = Env::seeded();
    let stderr = env.fails(&Add::forecast("gdp.real.growth", "5%", "ubs", "2024-05-01").args());
    let line = one_error_line(&stderr);
    assert!(line.contains("bad decimal \"5%\"") && line.contains("without the '%'") && line.contains(" 5 "), "{line}");
}

#[test]
fn a_lowercase_quarter_says_how_quarters_are_written() {
    let env = Env::seeded();
    let stderr = env.fails(&Add::forecast("gdp.real.growth", "5", "ubs", "2024-05-01").period("2025-q1").args());
    let line = one_error_line(&stderr);
    assert!(line.contains("2025-Q1") && !line.contains("bad month"), "{line}");
    let stderr = env.fails(&["gaps", "--period", "2025-q3"]);
    assert!(one_error_line(&stderr).contains("2025-Q3"), "{stderr}");
}

#[test]
fn the_usage_line_after_an_error_does_not_make_db_look_required() {
    let env = Env::seeded();
    let stderr = env.fails(&["--format", "json", "gaps"]);
    assert!(stderr.contains("Usage: econtrack [OPTIONS] <COMMAND>"), "{stderr}");
    assert!(!stderr.contains("--db <PATH> <COMMAND>"), "{stderr}");
    assert!(stderr.contains("'gaps --format' exists"), "clap's tip stays: {stderr}");
}

/// The tolerance belongs to the target, so it is shown whether or not the outcome is in.
#[test]
fn every_approx_target_shows_its_tolerance() {
    let env = Env::seeded();
    env.ok(&Add::of("target", "gdp.real.growth", "5", "cn-government", "2025-03-05")
        .period("2025")
        .with(&["--bound", "approx"])
        .args());
    env.ok(&Add::forecast("gdp.real.growth", "4.5", "ubs", "2025-04-05").period("2025").args());
    let table = env.ok(&["score"]);
    for target in
        ["target gdp.real.growth CN 2024: 5 (approx) ±0.5 —", "target gdp.real.growth CN 2025: 5 (approx) ±0.5 —"]
    {
        assert!(table.contains(target), "no {target:?} in:\n{table}");
    }
    assert!(table.contains("target cpi.yoy CN 2024: 3 (at-most) — met"), "no tolerance for a ceiling:\n{table}");
    let by_target = env.ok(&["score", "--by", "target", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&by_target).unwrap();
    let tolerances: Vec<(String, serde_json::Value)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (format!("{} {}", r["indicator"].as_str().unwrap(), r["period"].as_str().unwrap()), r["tolerance"].clone())
        })
        .collect();
    assert!(tolerances.contains(&("gdp.real.growth 2025".to_string(), "0.5".into())), "{tolerances:?}");
    assert!(tolerances.contains(&("cpi.yoy 2024".to_string(), serde_json::Value::Null)), "{tolerances:?}");
}
