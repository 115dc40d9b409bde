//! The target-versus-forecast comparison.

use crate::util::{Add, Env, rows_where};

fn gap_for(csv: &str, indicator: &str, source: &str) -> std::collections::HashMap<String, String> {
    let rows = rows_where(csv, "indicator", indicator);
    rows.into_iter()
        .find(|r| r["source"] == source)
        .unwrap_or_else(|| panic!("no {indicator} row from {source} in\n{csv}"))
}

#[test]
fn seeded_gdp_gap_is_minus_point_four() {
    let env = Env::seeded();
    let csv = env.ok(&["gaps", "--format", "csv"]);
    let row = gap_for(&csv, "gdp.real.growth", "bloomberg");
    assert_eq!(row["target"], "5");
    assert_eq!(row["forecast"], "4.6");
    assert_eq!(row["gap"], "-0.4");
    assert_eq!(row["gap_unit"], "pp");
    assert_eq!(row["gap_pct"], "-8");
    assert_eq!(row["basis"], "gdp.real.growth");
    assert_eq!(row["proxy"], "false");
}

#[test]
fn seeded_cpi_gap_uses_core_cpi_as_proxy() {
    let env = Env::seeded();
    let csv = env.ok(&["gaps", "--format", "csv"]);
    let row = gap_for(&csv, "cpi.yoy", "jpmorgan");
    assert_eq!(row["target"], "3");
    assert_eq!(row["forecast"], "1.2");
    assert_eq!(row["gap"], "-1.8");
    assert_eq!(row["basis"], "cpi.core.yoy");
    assert_eq!(row["proxy"], "true");
}

#[test]
fn gaps_table_marks_the_proxy() {
    let env = Env::seeded();
    let table = env.ok(&["gaps", "--as-of", "2024-12-31", "--targeted"]);
    insta::assert_snapshot!(table);
}

#[test]
fn a_new_forecast_appears_and_a_later_vintage_supersedes() {
    let env = Env::seeded();
    env.ok(&Add::forecast("gdp.real.growth", "4.8", "jpmorgan", "2024-04-01").args());
    let csv = env.ok(&["gaps", "--format", "csv", "--indicator", "gdp.real.growth"]);
    assert_eq!(gap_for(&csv, "gdp.real.growth", "jpmorgan")["gap"], "-0.2");

    env.ok(&Add::forecast("gdp.real.growth", "5.1", "jpmorgan", "2024-07-01").args());
    let csv = env.ok(&["gaps", "--format", "csv", "--indicator", "gdp.real.growth"]);
    let row = gap_for(&csv, "gdp.real.growth", "jpmorgan");
    assert_eq!((row["forecast"].as_str(), row["gap"].as_str()), ("5.1", "0.1"));
    assert_eq!(rows_where(&csv, "source", "jpmorgan").len(), 1, "one row per source: its latest vintage");
}

#[test]
fn as_of_hides_later_vintages() {
    let env = Env::seeded();
    env.ok(&Add::forecast("gdp.real.growth", "4.9", "bloomberg", "2024-06-01").args());
    let before = env.ok(&["gaps", "--format", "csv", "--as-of", "2024-05-31"]);
    assert_eq!(gap_for(&before, "gdp.real.growth", "bloomberg")["forecast"], "4.6");
    let after = env.ok(&["gaps", "--format", "csv", "--as-of", "2024-06-01"]);
    assert_eq!(gap_for(&after, "gdp.real.growth", "bloomberg")["forecast"], "4.9");

    // Before the work report there is no target at all.
    let early = env.ok(&["gaps", "--format", "csv", "--as-of", "2024-03-04"]);
    assert_eq!(early.lines().count(), 1, "only the header:\n{early}");
    // Between the report and the article, the target stands with no forecast yet.
    let between = env.ok(&["gaps", "--format", "csv", "--as-of", "2024-03-06"]);
    let row = &rows_where(&between, "indicator", "gdp.real.growth")[0];
    assert_eq!((row["target"].as_str(), row["source"].as_str()), ("5", ""));
}

#[test]
fn filters_narrow_the_comparison() {
    let env = Env::seeded();
    let csv = env.ok(&["gaps", "--format", "csv", "--indicator", "cpi.yoy", "--entity", "CN", "--period", "2024"]);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    let none = env.ok(&["gaps", "--format", "csv", "--period", "2025"]);
    assert_eq!(none.lines().count(), 1);
}

#[test]
fn json_carries_decimals_as_strings() {
    let env = Env::seeded();
    let json = env.ok(&["gaps", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let gdp = rows.as_array().unwrap().iter().find(|r| r["indicator"] == "gdp.real.growth").unwrap();
    assert_eq!(gdp["gap"], "-0.4");
    assert_eq!(gdp["proxy"], false);
}

#[test]
fn range_targets_compare_against_their_band() {
    let env = Env::seeded();
    env.ok(&Add::of("target", "gdp.real.growth", "2", "cn-government", "2025-01-01")
        .entity("US")
        .period("2025")
        .with(&["--bound", "range", "--high", "3"])
        .args());
    env.ok(&Add::forecast("gdp.real.growth", "3.5", "bloomberg", "2025-02-01").entity("US").period("2025").args());
    let csv = env.ok(&["gaps", "--format", "csv", "--entity", "US"]);
    let row = &rows_where(&csv, "source", "bloomberg")[0];
    assert_eq!((row["target_high"].as_str(), row["gap"].as_str()), ("3", "0.5"));
}
