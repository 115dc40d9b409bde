//! Listings that do not wait for a target: forecasts of series with no target yet in `gaps`
//! and `consensus`, `--source` on `gaps` and `score`, and the general `values` listing.

use crate::util::{Add, Env, csv_rows, rows_where};

/// The seeded database with two forecasts of China's 2025 growth, made before the 2025
/// target was set.
fn before_the_2025_target() -> Env {
    let env = Env::seeded();
    env.ok(&Add::forecast("gdp.real.growth", "4.5", "bloomberg", "2024-10-01").period("2025").args());
    env.ok(&Add::forecast("gdp.real.growth", "4.3", "ubs", "2024-11-01").period("2025").args());
    env
}

fn set_the_2025_target(env: &Env) {
    let target = Add::of("target", "gdp.real.growth", "5", "cn-government", "2025-03-05").period("2025");
    env.ok(&target.with(&["--bound", "approx"]).args());
}

#[test]
fn consensus_covers_a_series_before_its_target_is_set() {
    let env = before_the_2025_target();
    let csv = env.ok(&["consensus", "--period", "2025", "--as-of", "2024-12-31", "--format", "csv"]);
    let rows = rows_where(&csv, "indicator", "gdp.real.growth");
    assert_eq!(rows.len(), 1, "{csv}");
    let row = &rows[0];
    assert_eq!(
        (row["period"].as_str(), row["basis"].as_str(), row["count"].as_str()),
        ("2025", "gdp.real.growth", "2")
    );
    assert_eq!((row["median"].as_str(), row["min"].as_str(), row["max"].as_str()), ("4.4", "4.3", "4.5"));
    for column in ["target", "target_bound", "target_high", "gap", "gap_unit"] {
        assert_eq!(row[column], "", "{column} is empty without a target");
    }

    set_the_2025_target(&env);
    let csv = env.ok(&["consensus", "--period", "2025", "--as-of", "2025-03-31", "--format", "csv"]);
    let row = &rows_where(&csv, "indicator", "gdp.real.growth")[0];
    assert_eq!((row["target"].as_str(), row["gap"].as_str(), row["gap_unit"].as_str()), ("5", "-0.6", "pp"));
    let before = env.ok(&["consensus", "--period", "2025", "--as-of", "2024-12-31", "--format", "csv"]);
    assert_eq!(rows_where(&before, "indicator", "gdp.real.growth")[0]["target"], "", "as of before the target, none");
}

#[test]
fn targeted_limits_consensus_and_gaps_to_series_with_a_target() {
    let env = before_the_2025_target();
    let consensus =
        env.ok(&["consensus", "--period", "2025", "--as-of", "2024-12-31", "--targeted", "--format", "csv"]);
    assert_eq!(csv_rows(&consensus).len(), 1, "only the header: {consensus}");
    let gaps = env.ok(&["gaps", "--period", "2025", "--as-of", "2024-12-31", "--targeted", "--format", "csv"]);
    assert_eq!(csv_rows(&gaps).len(), 1, "only the header: {gaps}");
    set_the_2025_target(&env);
    let gaps = env.ok(&["gaps", "--period", "2025", "--as-of", "2025-03-31", "--targeted", "--format", "csv"]);
    assert_eq!(csv_rows(&gaps).len(), 3, "the target against both forecasts: {gaps}");
}

#[test]
fn gaps_lists_forecasts_of_a_series_without_a_target_with_the_target_columns_empty() {
    let env = before_the_2025_target();
    let csv = env.ok(&["gaps", "--period", "2025", "--as-of", "2024-12-31", "--format", "csv"]);
    let rows = rows_where(&csv, "indicator", "gdp.real.growth");
    let sources: Vec<(&str, &str)> = rows.iter().map(|r| (r["source"].as_str(), r["forecast"].as_str())).collect();
    assert_eq!(sources, [("bloomberg", "4.5"), ("ubs", "4.3")], "{csv}");
    for row in &rows {
        assert_eq!(
            (row["unit"].as_str(), row["basis"].as_str(), row["proxy"].as_str()),
            ("percent", "gdp.real.growth", "false")
        );
        for column in
            ["target", "target_bound", "target_high", "target_source", "target_published", "gap", "gap_unit", "gap_pct"]
        {
            assert_eq!(row[column], "", "{column} is empty without a target");
        }
    }

    let table = env.ok(&["gaps", "--period", "2025", "--as-of", "2024-12-31"]);
    assert!(table.contains("(no target)"), "{table}");
    assert!(table.contains("consensus (n=2)") && table.contains("median 4.4"), "{table}");
    assert!(table.contains("--targeted leaves them out"), "{table}");
}

#[test]
fn gaps_table_shows_series_without_a_target_among_the_targeted_ones() {
    let env = Env::seeded();
    let table = env.ok(&["gaps", "--as-of", "2024-12-31"]);
    insta::assert_snapshot!(table);
}

#[test]
fn a_forecast_shows_once_beside_the_target_it_stands_in_for_and_alone_without_one() {
    let env = Env::seeded();
    // Seeded: JPMorgan's 2024 core-CPI forecast stands in for the 2024 CPI target.
    let csv = env.ok(&["gaps", "--as-of", "2024-12-31", "--format", "csv"]);
    let jpmorgan = rows_where(&csv, "source", "jpmorgan");
    assert_eq!(jpmorgan.len(), 1, "{csv}");
    assert_eq!((jpmorgan[0]["indicator"].as_str(), jpmorgan[0]["basis"].as_str()), ("cpi.yoy", "cpi.core.yoy"));
    let cpi = env.ok(&["gaps", "--indicator", "cpi.yoy", "--entity", "CN", "--as-of", "2024-12-31", "--format", "csv"]);
    assert_eq!(rows_where(&cpi, "source", "jpmorgan").len(), 1, "the filter keeps the stand-in's forecast: {cpi}");
    // For 2025 there is no CPI target: the core forecast is a series of its own.
    env.ok(&Add::forecast("cpi.core.yoy", "0.8", "jpmorgan", "2024-12-01").period("2025").args());
    let csv = env.ok(&["gaps", "--period", "2025", "--as-of", "2024-12-31", "--format", "csv"]);
    let rows = rows_where(&csv, "source", "jpmorgan");
    assert_eq!(rows.len(), 1, "{csv}");
    assert_eq!((rows[0]["indicator"].as_str(), rows[0]["basis"].as_str()), ("cpi.core.yoy", "cpi.core.yoy"));
    assert_eq!((rows[0]["proxy"].as_str(), rows[0]["target"].as_str()), ("false", ""));
    let core = env.ok(&[
        "gaps",
        "--indicator",
        "cpi.core.yoy",
        "--period",
        "2025",
        "--as-of",
        "2024-12-31",
        "--format",
        "csv",
    ]);
    assert_eq!(rows_where(&core, "source", "jpmorgan").len(), 1, "{core}");
    let cpi =
        env.ok(&["gaps", "--indicator", "cpi.yoy", "--period", "2025", "--as-of", "2024-12-31", "--format", "csv"]);
    assert_eq!(csv_rows(&cpi).len(), 1, "no CPI target, no CPI series: {cpi}");
}

#[test]
fn a_series_without_a_target_takes_each_sources_latest_standing_forecast() {
    let env = before_the_2025_target();
    env.ok(&Add::forecast("gdp.real.growth", "4.1", "ubs", "2024-12-01").period("2025").args());
    let ubs = |as_of: &str| {
        let csv = env.ok(&["gaps", "--period", "2025", "--as-of", as_of, "--format", "csv"]);
        rows_where(&csv, "source", "ubs").iter().map(|r| r["forecast"].clone()).collect::<Vec<_>>()
    };
    assert_eq!(ubs("2024-12-31"), ["4.1"], "the later vintage supersedes");
    assert_eq!(ubs("2024-11-15"), ["4.3"], "as of before it, the earlier one");
    assert!(ubs("2024-10-15").is_empty(), "as of before either, none");
    env.ok(&[
        "retract",
        "forecast",
        "--indicator",
        "gdp.real.growth",
        "--entity",
        "CN",
        "--period",
        "2025",
        "--source",
        "ubs",
        "--published",
        "2024-12-01",
        "--reason",
        "entered twice",
        "--on",
        "2024-12-20",
    ]);
    assert_eq!(ubs("2024-12-31"), ["4.3"], "once retracted, the one before it stands again");
    assert_eq!(ubs("2024-12-10"), ["4.1"], "as of before the retraction it still shows");
}

#[test]
fn series_filters_apply_to_series_without_a_target() {
    let env = before_the_2025_target();
    env.ok(&Add::forecast("gdp.real.growth", "1.9", "ubs", "2024-11-01").entity("US").period("2025").args());
    let entities = |filter: &[&str]| {
        let mut args = vec!["gaps", "--as-of", "2024-12-31", "--period", "2025", "--format", "csv"];
        args.extend_from_slice(filter);
        let csv = env.ok(&args);
        csv_rows(&csv)[1..].iter().map(|r| format!("{} {}", r[0], r[1])).collect::<Vec<_>>()
    };
    assert_eq!(entities(&[]), ["gdp.real.growth CN", "gdp.real.growth CN", "gdp.real.growth US"]);
    assert_eq!(entities(&["--entity", "US"]), ["gdp.real.growth US"]);
    assert_eq!(entities(&["--indicator", "cpi.yoy"]), Vec::<String>::new());
    assert_eq!(entities(&["--entity", "CN", "--indicator", "gdp.real.growth"]).len(), 2);
}

#[test]
fn export_gaps_and_consensus_cover_series_without_a_target() {
    let env = before_the_2025_target();
    let gaps = env.ok(&["export", "gaps", "--as-of", "2024-12-31"]);
    assert_eq!(rows_where(&gaps, "period", "2025").len(), 2, "{gaps}");
    let consensus = env.ok(&["export", "consensus", "--as-of", "2024-12-31"]);
    let rows = rows_where(&consensus, "period", "2025");
    assert_eq!((rows.len(), rows[0]["median"].as_str(), rows[0]["target"].as_str()), (1, "4.4", ""));
}

/// The seeded database with a second 2024 growth forecast, UBS's 4.8 beside Bloomberg's 4.6.
fn with_a_ubs_forecast() -> Env {
    let env = Env::seeded();
    env.ok(&Add::forecast("gdp.real.growth", "4.8", "ubs", "2024-04-10").args());
    env
}

#[test]
fn gaps_source_keeps_one_forecasters_rows_and_the_targets_it_has_not_forecast() {
    let env = with_a_ubs_forecast();
    let csv = env.ok(&["gaps", "--source", "ubs", "--as-of", "2024-12-31", "--format", "csv"]);
    let rows = csv_rows(&csv);
    let listed: Vec<(&str, &str, &str)> =
        rows[1..].iter().map(|r| (r[0].as_str(), r[9].as_str(), r[10].as_str())).collect();
    assert_eq!(listed, [("cpi.yoy", "", ""), ("gdp.real.growth", "ubs", "4.8")], "{csv}");
    let table = env.ok(&["gaps", "--source", "ubs", "--as-of", "2024-12-31"]);
    assert!(table.contains("(no forecast yet)") && table.contains("┆ ubs "), "{table}");
    assert!(!table.contains("consensus"), "one source's forecast is no consensus:\n{table}");
    assert!(!table.contains("bloomberg") && !table.contains("zhou-hongyi"), "{table}");
    let none = env.ok(&["gaps", "--source", "nyt", "--as-of", "2024-12-31", "--format", "csv"]);
    assert!(rows_where(&none, "source", "nyt").is_empty(), "{none}");
}

#[test]
fn score_source_lists_one_forecaster_scored_against_every_source() {
    let env = with_a_ubs_forecast();
    let all = env.ok(&["score", "--format", "csv"]);
    let bloomberg = rows_where(&all, "source", "bloomberg")[0].clone();
    assert_eq!(bloomberg["surprise"], "0.3", "actual 5 against the median of 4.6 and 4.8");

    let csv = env.ok(&["score", "--source", "bloomberg", "--format", "csv"]);
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), 2, "one scored forecast: {csv}");
    assert_eq!(rows_where(&csv, "source", "bloomberg")[0], bloomberg, "scored exactly as among all");

    let by_source = env.ok(&["score", "--by", "source", "--source", "bloomberg", "--format", "csv"]);
    let records = rows_where(&by_source, "source", "bloomberg");
    assert_eq!(csv_rows(&by_source).len(), 2, "{by_source}");
    assert_eq!((records[0]["count"].as_str(), records[0]["rank"].as_str()), ("1", "2"), "UBS's 0.2 error ranks first");

    let table = env.ok(&["score", "--source", "bloomberg"]);
    assert!(table.contains("only bloomberg's forecasts are listed"), "{table}");
    assert!(!table.contains("┆ ubs "), "{table}");

    let err = env.fails(&["score", "--by", "target", "--source", "bloomberg"]);
    assert!(err.contains("--source picks forecasts"), "{err}");
}

/// `values --format csv` with `filters`, as (indicator, entity, period, kind, source, published) rows.
fn listed(env: &Env, filters: &[&str]) -> Vec<String> {
    let mut args = vec!["values", "--format", "csv"];
    args.extend_from_slice(filters);
    let csv = env.ok(&args);
    let rows = csv_rows(&csv);
    assert_eq!(rows[0][..7], ["indicator", "entity", "period", "kind", "value", "source", "published"], "{csv}");
    rows[1..].iter().map(|r| format!("{} {} {} {} {} {}", r[0], r[1], r[2], r[3], r[5], r[6])).collect()
}

#[test]
fn values_lists_stored_values_by_every_filter() {
    let env = before_the_2025_target();
    let stored = csv_rows(&env.ok(&["export", "values"])).len() - 1;
    assert_eq!(listed(&env, &[]).len(), stored, "no filter: every stored value");
    assert_eq!(
        listed(&env, &["--indicator", "gdp.real.growth", "--entity", "CN"]),
        [
            "gdp.real.growth CN 2024 actual cn-nbs 2025-01-17",
            "gdp.real.growth CN 2024 forecast bloomberg 2024-03-13",
            "gdp.real.growth CN 2024 target cn-government 2024-03-05",
            "gdp.real.growth CN 2025 forecast bloomberg 2024-10-01",
            "gdp.real.growth CN 2025 forecast ubs 2024-11-01",
        ]
    );
    assert_eq!(listed(&env, &["--period", "2025"]).len(), 2);
    assert_eq!(
        listed(&env, &["--kind", "forecast", "--source", "bloomberg"]),
        [
            "gdp.real.growth CN 2024 forecast bloomberg 2024-03-13",
            "gdp.real.growth CN 2025 forecast bloomberg 2024-10-01"
        ]
    );
    assert_eq!(listed(&env, &["--document", "nbs-2025-01-17"]), ["gdp.real.growth CN 2024 actual cn-nbs 2025-01-17"]);
    assert_eq!(
        listed(&env, &["--indicator", "gdp.real.growth", "--as-of", "2024-10-15"]),
        [
            "gdp.real.growth CN 2024 forecast bloomberg 2024-03-13",
            "gdp.real.growth CN 2024 target cn-government 2024-03-05",
            "gdp.real.growth CN 2025 forecast bloomberg 2024-10-01",
        ],
        "only what was published by the date"
    );
    assert!(listed(&env, &["--kind", "estimate", "--source", "ubs"]).is_empty());
    let err = env.fails(&["values", "--kind", "guess"]);
    assert!(err.contains("guess"), "{err}");
}

#[test]
fn values_table_is_compact_and_json_carries_every_column() {
    let env = before_the_2025_target();
    let table = env.ok(&["values", "--indicator", "gdp.real.growth", "--period", "2024"]);
    let header = table.lines().nth(1).unwrap();
    for column in ["indicator", "entity", "period", "kind", "value", "source", "published", "document"] {
        assert!(header.contains(column), "{header}");
    }
    assert!(!header.contains("quote") && !table.contains("經濟成長率五%"), "the table leaves quotes out:\n{table}");
    assert!(table.contains("5 (approx)") && table.contains("3 value(s), every vintage"), "{table}");

    let json = env.ok(&["values", "--indicator", "gdp.real.growth", "--kind", "target", "--format", "json"]);
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = parsed.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{json}");
    assert_eq!(rows[0]["value"], "5", "decimals as strings");
    assert_eq!(rows[0]["bound"], "approx");
    assert_eq!(rows[0]["quote"], "經濟成長率五%");
}

#[test]
fn values_hides_retracted_values_unless_asked_and_as_of_before_the_retraction() {
    let env = before_the_2025_target();
    env.ok(&[
        "retract",
        "forecast",
        "--indicator",
        "gdp.real.growth",
        "--entity",
        "CN",
        "--period",
        "2025",
        "--source",
        "ubs",
        "--published",
        "2024-11-01",
        "--reason",
        "wrong period",
        "--on",
        "2024-12-20",
    ]);
    let ubs = ["--period", "2025", "--source", "ubs"];
    assert!(listed(&env, &ubs).is_empty(), "retracted: gone from today's listing");
    assert_eq!(listed(&env, &[&ubs[..], &["--as-of", "2024-12-10"]].concat()).len(), 1, "as of before, it stood");
    let csv = env.ok(&[&["values", "--format", "csv", "--include-retracted"], &ubs[..]].concat());
    let row = &rows_where(&csv, "source", "ubs")[0];
    assert_eq!((row["retracted"].as_str(), row["retraction_note"].as_str()), ("2024-12-20", "wrong period"));
    let table = env.ok(&[&["values", "--include-retracted"], &ubs[..]].concat());
    assert!(table.contains("4.3 (retracted 2024-12-20)"), "{table}");
}

#[test]
fn a_values_listing_imports_back_into_an_empty_database() {
    let env = before_the_2025_target();
    let dir = env.path("all");
    env.ok(&["export", "all", "--output", dir.to_str().unwrap()]);
    let listing = env.ok(&["values", "--kind", "forecast", "--format", "csv"]);
    std::fs::write(dir.join("values.csv"), &listing).unwrap();

    let other = Env::empty();
    other.ok(&["import", dir.to_str().unwrap()]);
    assert_eq!(other.ok(&["values", "--format", "csv"]), listing, "the same rows, byte for byte");
}

#[test]
fn export_values_takes_the_same_filters() {
    let env = before_the_2025_target();
    for filters in
        [&["--source", "bloomberg"][..], &["--period", "2025", "--kind", "forecast"], &["--document", "bw-1896"]]
    {
        let export = env.ok(&[&["export", "values"], filters].concat());
        let values = env.ok(&[&["values", "--format", "csv"], filters].concat());
        assert_eq!(export, values, "{filters:?}");
        assert!(csv_rows(&export).len() > 1, "{filters:?}: {export}");
    }
    env.ok(&[
        "retract",
        "forecast",
        "--indicator",
        "gdp.real.growth",
        "--entity",
        "CN",
        "--period",
        "2025",
        "--source",
        "ubs",
        "--published",
        "2024-11-01",
        "--reason",
        "wrong period",
        "--on",
        "2024-12-20",
    ]);
    let export = |extra: &[&str]| {
        let csv = env.ok(&[&["export", "values", "--period", "2025", "--source", "ubs"], extra].concat());
        csv_rows(&csv).len() - 1
    };
    assert_eq!(export(&[]), 1, "without --as-of, the whole record: retractions included");
    assert_eq!(export(&["--as-of", "2024-12-31"]), 0, "as of a date after the retraction, withdrawn");
    assert_eq!(export(&["--as-of", "2024-12-31", "--include-retracted"]), 1);

    let err = env.fails(&["export", "sources", "--kind", "target"]);
    assert!(err.contains("are for export values"), "{err}");
}
