//! `--units`, `--frequency` and `--aggregate` end to end: FRED's transforms of a real
//! FRED download against FRED's own transformed figures, the view as of a date, the
//! transformed history, the unit of the result, and the refusals.

use crate::util::{Add, Env, rows_where};
use std::path::PathBuf;

/// A real sample from `../shared/samples/` (or `../../shared/samples/`, as CI lays it out).
fn sample(name: &str) -> Option<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let found = [root.join("../shared/samples"), root.join("../../shared/samples")]
        .into_iter()
        .map(|dir| dir.join(name))
        .find(|path| path.is_file());
    if found.is_none() {
        eprintln!("skipped: sample {name} not found in ../shared/samples or ../../shared/samples");
    }
    found.map(|p| p.display().to_string())
}

/// A database holding FRED's GDPC1 download (vintage of about April 2025).
fn gdpc1() -> Option<Env> {
    let file = sample("fred_fredgraph_GDPC1.csv")?;
    let env = Env::seeded();
    env.ok(&["import", "-q", &file, "--published", "2025-04-01"]);
    Some(env)
}

/// FRED's `GDPC1_PCH` as a fredgraph.csv of April 2026 prints it (committed to
/// pisalollo/inflation-drivers-eu-usa @ a3b09ff, fredgraph.csv; see docs/units.md). All 291
/// quarters from 1947-Q2 to 2019-Q4 were compared there; these are a spread of them.
const FRED_GDPC1_PCH: &[(&str, &str)] = &[
    ("1947-Q2", "-0.26522"),
    ("1947-Q3", "-0.20488"),
    ("1958-Q1", "-2.59590"),
    ("1974-Q1", "-0.85971"),
    ("1977-Q4", "0.00199"),
    ("1978-Q2", "3.86477"),
    ("2008-Q4", "-2.18903"),
    ("2016-Q2", "0.32112"),
    ("2019-Q3", "1.17000"),
    ("2019-Q4", "0.68188"),
];

#[test]
fn pch_of_a_real_fred_download_equals_fred_to_every_printed_digit() {
    let Some(env) = gdpc1() else { return };
    let out = env.ok(&["values", "--indicator", "gdp.real.usd", "--entity", "US", "--units", "pch", "--format", "csv"]);
    for (period, fred) in FRED_GDPC1_PCH {
        let rows = rows_where(&out, "period", period);
        assert_eq!(rows.len(), 1, "{period}");
        let ours: rust_decimal::Decimal = rows[0]["value"].parse().unwrap();
        assert_eq!(ours, fred.parse().unwrap(), "{period}");
        assert_eq!((rows[0]["unit"].as_str(), rows[0]["units"].as_str()), ("percent", "pch"));
    }
    // The first quarter has no previous one: no row, and the table says so.
    assert!(rows_where(&out, "period", "1947-Q1").is_empty());
    let table = env.ok(&["values", "--indicator", "gdp.real.usd", "--entity", "US", "--units", "pch"]);
    assert!(table.contains("units: pch (percent change)"), "{table}");
    assert!(table.contains("1 period(s) without a value"), "{table}");
}

/// Quarters to years, FRED's way: the average of four quarters, to the three decimals of
/// billions the download prints; set beside an annual growth figure with pc1.
#[test]
fn quarters_aggregate_to_years_before_the_transform() {
    let Some(env) = gdpc1() else { return };
    let args = ["values", "--indicator", "gdp.real.usd", "--entity", "US", "--frequency", "a", "--format", "csv"];
    let out = env.ok(&args);
    // (23053.545 + 23223.906 + 23400.294 + 23530.909) / 4 = 23302.16350 → 23302.164 billion.
    assert_eq!(rows_where(&out, "period", "2024")[0]["value"], "23302164000000");
    assert_eq!(rows_where(&out, "period", "2024")[0]["frequency"], "a avg");
    let out = env.ok(&[&args[..], &["--units", "pc1", "--period", "2024"]].concat());
    let rows = rows_where(&out, "period", "2024");
    // 2023 averages 22671.0965 → 22671.097 billion (half away from zero): bc gives
    // 23302.164 / 22671.097 − 1 = 2.783575…%.
    assert_eq!((rows.len(), rows[0]["value"].as_str(), rows[0]["unit"].as_str()), (1, "2.78358", "percent"));
    let eop = env.ok(&[&args[..], &["--aggregate", "eop", "--period", "2024"]].concat());
    assert_eq!(rows_where(&eop, "period", "2024")[0]["value"], "23530909000000");
}

/// Two vintages of a level: a revision of 2020-Q4 published in April changes the April view
/// of 2020-Q4 and 2021-Q1, and nothing earlier; as of March the revision is invisible.
#[test]
fn the_transform_is_computed_on_the_view_as_of_each_date() {
    let env = Env::seeded();
    env.ok(&["indicator", "add", "gdp.level", "--name", "GDP", "--unit", "USD billion"]);
    for (period, value, published) in [
        ("2020-Q3", "100", "2020-10-29"),
        ("2020-Q4", "102", "2021-01-28"),
        ("2021-Q1", "103", "2021-04-29"),
        ("2020-Q4", "101", "2021-04-29"),
    ] {
        env.ok(&Add::of("actual", "gdp.level", value, "cn-nbs", published).period(period).args());
    }
    let values = |as_of: &str| {
        let args = ["values", "--indicator", "gdp.level", "--units", "pch", "--as-of", as_of, "--format", "csv"];
        let out = env.ok(&args);
        rows_where(&out, "units", "pch")
            .into_iter()
            .map(|r| (r["period"].clone(), r["value"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(values("2021-03-31"), [("2020-Q4".to_string(), "2".to_string())]);
    assert_eq!(
        values("2021-04-29"),
        [("2020-Q4".to_string(), "1".to_string()), ("2021-Q1".to_string(), "1.9802".to_string())]
    );
    let history =
        env.ok(&["history", "--indicator", "gdp.level", "--entity", "CN", "--units", "pch", "--format", "csv"]);
    let april = rows_where(&history, "published", "2021-04-29");
    let got: Vec<(&str, &str, &str)> =
        april.iter().map(|r| (r["period"].as_str(), r["value"].as_str(), r["previous"].as_str())).collect();
    assert_eq!(got, [("2020-Q4", "1", "2"), ("2021-Q1", "1.9802", "")]);
    assert_eq!(rows_where(&history, "published", "2021-01-28").len(), 1);
    let table = env.ok(&["history", "--indicator", "gdp.level", "--entity", "CN", "--units", "pch"]);
    assert!(table.contains("2 → 1: -1"), "{table}");
    assert!(table.contains("units: pch (percent change)"), "{table}");
}

#[test]
fn a_rate_takes_changes_in_points_and_refuses_ratios() {
    let env = Env::seeded();
    env.ok(&["indicator", "add", "jobless.rate", "--name", "Unemployment rate", "--unit", "percent"]);
    for (period, value) in [("2023", "5.2"), ("2024", "5.1")] {
        env.ok(&Add::of("actual", "jobless.rate", value, "cn-nbs", "2025-01-17").period(period).args());
    }
    let out = env.ok(&["values", "--indicator", "jobless.rate", "--units", "chg", "--format", "csv"]);
    let rows = rows_where(&out, "units", "chg");
    let got: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (r["period"].as_str(), r["value"].as_str(), r["unit"].as_str())).collect();
    assert_eq!(got, [("2024", "-0.1", "pp")]);
    let before = env.snapshot();
    let err = env.fails(&["values", "--indicator", "gdp.real.growth", "--units", "pc1"]);
    assert!(
        err.contains("cannot take pc1 (percent change from a year ago) of gdp.real.growth: its values are already a rate (unit percent), not a level; use chg or ch1 for its change in pp"),
        "{err}"
    );
    assert_eq!(env.snapshot(), before);
    let status =
        env.cmd().args(["values", "--indicator", "gdp.real.growth", "--units", "log"]).output().unwrap().status;
    assert_eq!(status.code(), Some(2));
}

#[test]
fn a_bounded_value_is_refused() {
    let env = Env::seeded();
    env.ok(&["indicator", "add", "gdp.level", "--name", "GDP", "--unit", "USD billion"]);
    env.ok(&Add::of("target", "gdp.level", "100", "cn-nbs", "2024-01-01").with(&["--bound", "approx"]).args());
    let err = env.fails(&["values", "--indicator", "gdp.level", "--units", "chg"]);
    assert!(err.contains("cannot take chg of gdp.level 2024: the value is approx, not an exact level"), "{err}");
    // lin is the value itself: listed.
    env.ok(&["values", "--indicator", "gdp.level", "--units", "lin"]);
}

#[test]
fn bad_codes_and_finer_frequencies_are_refused() {
    let env = Env::seeded();
    let err = env.fails(&["values", "--units", "pct"]);
    assert!(err.contains("bad units \"pct\": use one of lin, chg, ch1, pch, pc1, pca, cch, cca, log"), "{err}");
    let err = env.fails(&["values", "--indicator", "gdp.real.growth", "--frequency", "q"]);
    assert!(err.contains("cannot aggregate a annual series to quarterly"), "{err}");
    let err = env.fails(&["values", "--aggregate", "sum"]);
    assert!(err.contains("--frequency"), "{err}");
}

#[test]
fn export_values_writes_the_transformed_view_with_its_transform() {
    let Some(env) = gdpc1() else { return };
    let out = env.ok(&["export", "values", "--indicator", "gdp.real.usd", "--units", "pc1", "--as-of", "2025-04-01"]);
    let header = out.lines().next().unwrap();
    assert_eq!(header, "indicator,entity,period,kind,source,value,unit,units,frequency,as_of");
    let rows = rows_where(&out, "period", "2024-Q4");
    assert_eq!((rows[0]["units"].as_str(), rows[0]["as_of"].as_str()), ("pc1", "2025-04-01"));
    let err = env.fails(&["export", "sources", "--units", "pc1"]);
    assert!(err.contains("--units and --frequency are for export values"), "{err}");
}

/// A growth target (`gdp.real.growth`, 5 approx for CN 2024 in the built-in data) beside
/// forecasts published as levels of `gdp.real.cny`, its proxy: actuals 2023 = 100 (revised
/// to 102 on 2024-06-01) and 2024 = 105 (2025-01-17); ubs forecasts 2024 = 104 and 2025 =
/// 110.25, bloomberg 2025 = 110.25.
fn growth_target_and_levels() -> Env {
    let env = Env::seeded();
    env.ok(&[
        "indicator",
        "add",
        "gdp.real.cny",
        "--name",
        "Real GDP, CNY",
        "--unit",
        "CNY",
        "--proxy-for",
        "gdp.real.growth",
    ]);
    for (kind, period, value, source, published) in [
        ("actual", "2023", "100", "bloomberg", "2024-01-17"),
        ("actual", "2023", "102", "bloomberg", "2024-06-01"),
        ("actual", "2024", "105", "bloomberg", "2025-01-17"),
        ("forecast", "2024", "104", "ubs", "2024-03-01"),
        ("forecast", "2025", "110.25", "ubs", "2024-10-22"),
        ("forecast", "2025", "110.25", "bloomberg", "2024-10-22"),
    ] {
        env.ok(&Add::of(kind, "gdp.real.cny", value, source, published).period(period).args());
    }
    env
}

#[test]
fn gaps_compares_a_growth_target_with_levels_transformed_on_the_view_as_of_the_date() {
    let env = growth_target_and_levels();
    let gaps = |as_of: &str| {
        env.ok(&[
            "gaps",
            "--indicator",
            "gdp.real.growth",
            "--entity",
            "CN",
            "--units",
            "pc1",
            "--as-of",
            as_of,
            "--format",
            "csv",
        ])
    };
    // As of May 2024 ubs's 2024 level is 4% over the 2023 actual then (104 / 100).
    let may = gaps("2024-05-01");
    let ubs = &rows_where(&may, "source", "ubs")[0];
    assert_eq!((ubs["forecast"].as_str(), ubs["gap"].as_str(), ubs["gap_unit"].as_str()), ("4", "-1", "pp"));
    assert_eq!(
        (ubs["basis"].as_str(), ubs["units"].as_str(), ubs["unit"].as_str()),
        ("gdp.real.cny", "pc1", "percent")
    );
    // bloomberg's 4.6 is already a rate: shown as published, not marked.
    let bloomberg = &rows_where(&may, "source", "bloomberg")[0];
    assert_eq!((bloomberg["forecast"].as_str(), bloomberg["units"].as_str()), ("4.6", ""));
    // The 2023 actual revised to 102 in June changes the base: 104 / 102 − 1 = 1.960784…%.
    let later = gaps("2025-03-10");
    let ubs = &rows_where(&later, "source", "ubs")[0];
    assert_eq!(
        (ubs["forecast"].as_str(), ubs["gap"].as_str(), ubs["gap_pct"].as_str()),
        ("1.96078", "-3.03922", "-60.78")
    );
    // Without --units the same row is the level, as stored.
    let plain = env.ok(&["gaps", "--indicator", "gdp.real.growth", "--as-of", "2025-03-10", "--format", "csv"]);
    assert_eq!(rows_where(&plain, "source", "ubs")[0]["forecast"], "104");
    // The table marks the derived comparison and states the transform.
    let table = env.ok(&["gaps", "--indicator", "gdp.real.growth", "--units", "pc1", "--as-of", "2025-03-10"]);
    assert!(table.contains("gdp.real.cny (proxy; pc1 of levels)"), "{table}");
    assert!(table.contains("units: pc1 (percent change from a year ago), derived from levels"), "{table}");
}

#[test]
fn a_forecasts_base_is_its_sources_own_forecast_else_the_actual_of_the_view() {
    let env = growth_target_and_levels();
    let gaps = |as_of: &str| {
        env.ok(&["gaps", "--indicator", "gdp.real.cny", "--units", "pc1", "--as-of", as_of, "--format", "csv"])
    };
    let march = gaps("2025-03-10");
    // ubs: 110.25 over its own 2024 forecast 104; bloomberg forecast no 2024: over the 2024 actual 105.
    assert_eq!(rows_where(&march, "source", "ubs")[0]["forecast"], "6.00962");
    assert_eq!(rows_where(&march, "source", "bloomberg")[0]["forecast"], "5");
    assert_eq!(rows_where(&march, "source", "bloomberg")[0]["unit"], "percent");
    // Before the 2024 actual was out bloomberg's 2025 level has no base: no value, never one
    // from the later actual.
    let december = gaps("2024-12-10");
    assert_eq!(rows_where(&december, "source", "bloomberg")[0]["forecast"], "");
    let table = env.ok(&["gaps", "--indicator", "gdp.real.cny", "--units", "pc1", "--as-of", "2024-12-10"]);
    assert!(table.contains("(no base)"), "{table}");
    assert!(table.contains("1 forecast(s) of a level without a transformed value"), "{table}");
}

#[test]
fn gaps_refuses_a_ratio_of_rates_and_a_level_target_beside_a_growth() {
    let env = Env::seeded();
    let err = env.fails(&["gaps", "--indicator", "gdp.real.growth", "--units", "pc1", "--as-of", "2025-01-01"]);
    assert!(err.contains("cannot take pc1 (percent change from a year ago) of gdp.real.growth"), "{err}");
    let env = growth_target_and_levels();
    env.ok(&Add::of("target", "gdp.real.cny", "108", "cn-government", "2024-03-05").period("2025").args());
    let err = env.fails(&["gaps", "--indicator", "gdp.real.cny", "--units", "pc1", "--as-of", "2025-03-10"]);
    assert!(err.contains("cannot compare the target of gdp.real.cny CN 2025 (unit CNY, a level)"), "{err}");
}
