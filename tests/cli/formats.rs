//! Agencies' formats through `import`: own fixtures in every format (with each bad-input
//! rule), the real samples in `../shared/samples/` when present, the SDMX-CSV round trip,
//! and the IMF's WEO forecasts for China against the built-in targets and outcomes.

use crate::util::{Env, csv_rows};
use std::collections::HashMap;
use std::path::PathBuf;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/formats/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A real sample from `../shared/samples/` (or `../../shared/samples/`, as CI lays it out);
/// `None`, after saying so once, where the folder is absent.
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

pub(crate) type Row = HashMap<String, String>;

/// Every stored value of `source`, as maps from column to field.
pub(crate) fn values_of(env: &Env, source: &str) -> Vec<Row> {
    let rows = csv_rows(&env.ok(&["export", "values"]));
    let header = rows[0].clone();
    rows[1..]
        .iter()
        .map(|row| header.iter().cloned().zip(row.iter().cloned()).collect::<Row>())
        .filter(|row| row["source"] == source)
        .collect()
}

/// The value stored for a key, with its kind.
fn find<'r>(rows: &'r [Row], indicator: &str, entity: &str, period: &str, published: &str) -> &'r Row {
    let found: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            r["indicator"] == indicator && r["entity"] == entity && r["period"] == period && r["published"] == published
        })
        .collect();
    assert_eq!(found.len(), 1, "{indicator} {entity} {period} {published}: {found:?}");
    found[0]
}

fn check(rows: &[Row], key: (&str, &str, &str, &str), kind: &str, value: &str) {
    let row = find(rows, key.0, key.1, key.2, key.3);
    assert_eq!((row["kind"].as_str(), row["value"].as_str()), (kind, value), "{key:?}: {row:?}");
}

fn count_kind(rows: &[Row], kind: &str) -> usize {
    rows.iter().filter(|r| r["kind"] == kind).count()
}

/// Runs a bad import and checks it is refused with `expected` and changes nothing.
pub(crate) fn refused(env: &Env, args: &[&str], expected: &str) -> String {
    let before = env.snapshot();
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let err = env.fails(&all);
    assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(env.snapshot(), before, "a refused import changed the database");
    err
}

// ---- own fixtures -------------------------------------------------------------------------

#[test]
fn sdmx_csv_1_0_reads_kinds_from_obs_status_and_scales_unit_mult() {
    let env = Env::seeded();
    let path = fixture("sdmx10_cpi.csv");
    let out = env.ok(&["import", &path, "--published", "2025-06-10"]);
    assert!(out.contains("as SDMX-CSV 1.0"), "{out}");
    assert!(out.contains("1 cell(s) published with no value (OBS_STATUS M)"), "{out}");
    let rows = values_of(&env, "oecd");
    assert_eq!(rows.len(), 6);
    check(&rows, ("cpi.yoy", "CN", "2022", "2025-06-10"), "actual", "2");
    check(&rows, ("cpi.yoy", "CN", "2023", "2025-06-10"), "actual", "0.2");
    check(&rows, ("cpi.yoy", "CN", "2024", "2025-06-10"), "estimate", "0.25");
    check(&rows, ("cpi.yoy", "CN", "2025", "2025-06-10"), "forecast", "1.5");
    // A series not built in is an indicator of its own, its text kept to the last digit.
    check(&rows, ("oecd.df_g20_prices.cpi.pa.cp01.gy", "US", "2024", "2025-06-10"), "actual", "2.345678");
    // UNIT_MULT 3: 313.7 thousand, the note keeping the published form.
    let scaled = find(&rows, "oecd.df_g20_prices.cpi.ix.t.n", "US", "2024", "2025-06-10");
    assert_eq!(scaled["value"], "313700");
    assert!(scaled["note"].contains("published 313.7 × 10^3"), "{scaled:?}");
    let provisional = find(&rows, "cpi.yoy", "CN", "2023", "2025-06-10");
    assert!(provisional["note"].contains("OBS_STATUS P"), "{provisional:?}");
    assert_eq!(provisional["document"], "OECD.SDD.TPS-DSD_G20_PRICES-DF_G20_PRICES-1.0");
    let docs = env.ok(&["export", "documents"]);
    assert!(
        docs.contains("OECD.SDD.TPS:DSD_G20_PRICES@DF_G20_PRICES(1.0)") && docs.contains("sdmx10_cpi.csv"),
        "{docs}"
    );
    // Importing it again changes nothing.
    let again = env.ok(&["import", &path, "--published", "2025-06-10"]);
    assert!(again.contains("0 added, 6 unchanged"), "{again}");
}

#[test]
fn sdmx_csv_without_a_vintage_needs_published() {
    let env = Env::seeded();
    refused(
        &env,
        &[&fixture("sdmx10_cpi.csv")],
        "carries no vintage: give the date the data were published with --published",
    );
}

#[test]
fn a_stray_comma_decimal_in_sdmx_is_refused_by_its_line() {
    let env = Env::seeded();
    let path = fixture("sdmx_comma_decimal.csv");
    refused(&env, &[&path, "--published", "2025-06-10"], &format!("{path}:3: OBS_VALUE: bad decimal \"0,2\""));
}

#[test]
fn an_unknown_iso_code_names_the_map_that_fixes_it() {
    let env = Env::seeded();
    let path = fixture("sdmx_unknown_area.csv");
    let err = refused(
        &env,
        &[&path, "--published", "2025-06-10"],
        &format!(
            "{path}:3: 1 unknown reference area(s), neither ISO 3166 codes nor regions econtrack knows, and the file gives no name for them: \"XQZ\""
        ),
    );
    assert!(err.contains("--map FILE holding rows such as entity,XQZ,CODE"), "{err}");
    let map = fixture("map_xqz.csv");
    env.ok(&["import", &path, "--published", "2025-06-10", "--map", &map]);
    let rows = values_of(&env, "oecd");
    check(&rows, ("cpi.yoy", "WORLD", "2024", "2025-06-10"), "actual", "3.1");
}

#[test]
fn sdmx_action_r_replaces_and_d_retracts() {
    let env = Env::seeded();
    env.ok(&["import", &fixture("sdmx20_actions.csv"), "--published", "2025-06-10"]);
    let original = std::fs::read_to_string(fixture("sdmx20_actions.csv")).unwrap();
    let changed = env.write("changed.csv", &original.replace("0.3", "0.4")).display().to_string();
    let out = env.ok(&["import", &changed, "--published", "2025-06-10"]);
    assert!(out.contains("1 unchanged, 1 replaced"), "{out}");
    check(&values_of(&env, "oecd"), ("cpi.yoy", "CN", "2024", "2025-06-10"), "actual", "0.4");
    // ACTION M (I) never overwrites: a different value is a conflict naming both.
    let merged = env.write("merged.csv", &original.replace(",R,", ",M,").replace("0.3", "0.5"));
    refused(&env, &[&merged.display().to_string(), "--published", "2025-06-10"], "is already stored as 0.4, not 0.5");

    // D withdraws the value without losing it; again, it finds it withdrawn already.
    let delete = fixture("sdmx20_delete.csv");
    let out = env.ok(&["import", &delete, "--published", "2025-06-10"]);
    assert!(out.contains("values: 1 retracted, 0 retracted already"), "{out}");
    let retracted = find(&values_of(&env, "oecd"), "cpi.yoy", "CN", "2024", "2025-06-10").clone();
    assert_eq!(retracted["value"], "0.4");
    assert!(
        !retracted["retracted"].is_empty() && retracted["retraction_note"].contains("SDMX ACTION D"),
        "{retracted:?}"
    );
    let again = env.ok(&["import", &delete, "--published", "2025-06-10"]);
    assert!(again.contains("values: 0 retracted, 1 retracted already"), "{again}");

    let text = std::fs::read_to_string(&delete).unwrap();
    let missing = env.write("missing.csv", &text.replace(",D,CHN,A,CPI,PA,_T,GY,2024", ",D,CHN,A,CPI,PA,_T,GY,2030"));
    let missing = missing.display().to_string();
    refused(
        &env,
        &[&missing, "--published", "2025-06-10"],
        &format!(
            "{missing}:3: ACTION D retracts actual cpi.yoy CN 2030 by oecd published 2025-06-10, which is not stored"
        ),
    );
    let wildcard = env.write("wildcard.csv", &text.replace(",D,CHN,", ",D,,"));
    refused(
        &env,
        &[&wildcard.display().to_string(), "--published", "2025-06-10"],
        "ACTION D with an empty dimension (a wildcard) is not supported",
    );
}

#[test]
fn sdmx_half_years_are_refused() {
    let env = Env::seeded();
    let path = fixture("sdmx20_halfyear.csv");
    refused(&env, &[&path, "--published", "2025-06-10"], &format!("{path}:2: period \"2024-S1\" is a half-year"));
}

#[test]
fn weo_report_with_codes_thousands_separators_and_estimates_start_after() {
    let env = Env::seeded();
    let path = fixture("weo_small.xls");
    let err = refused(&env, &[&path], "the footer names the WEO edition October 2024 but not the day it was published");
    assert!(err.contains("--published YYYY-MM-DD (a day in October 2024)"), "{err}");
    refused(&env, &[&path, "--published", "2024-04-16"], "--published 2024-04-16 is not in October 2024");
    let out = env.ok(&["import", &path, "--published", "2024-10-22"]);
    assert!(out.contains("as IMF WEO report, October 2024 edition (UTF-8, point decimals)"), "{out}");
    assert!(
        out.contains("1 cell(s) published with no value (n/a)")
            && out.contains("1 cell(s) published with no value (--)"),
        "{out}"
    );
    let rows = values_of(&env, "imf");
    assert_eq!(rows.len(), 10);
    let day = "2024-10-22";
    check(&rows, ("gdp.nominal.usd", "CN", "2022", day), "actual", "17881782000000");
    check(&rows, ("gdp.nominal.usd", "CN", "2023", day), "actual", "17794782000000");
    check(&rows, ("gdp.nominal.usd", "CN", "2024", day), "forecast", "18273357000000");
    check(&rows, ("unemployment.rate", "CH", "2024", day), "forecast", "2.4");
    check(&rows, ("gdp.real.growth", "WORLD", "2023", day), "estimate", "3.3");
    check(&rows, ("gdp.real.growth", "WORLD", "2022", day), "actual", "3.6");
    let note = &find(&rows, "gdp.nominal.usd", "CN", "2022", day)["note"];
    assert!(note.contains("published 17,881.782 (U.S. dollars, Billions)"), "{note}");
}

#[test]
fn weo_report_in_latin_1_with_comma_decimals() {
    let env = Env::seeded();
    let path = fixture("weo_comma_latin1.xls");
    let out = env.ok(&["import", &path, "--published", "2024-04-16"]);
    assert!(out.contains("April 2024 edition (Latin-1, comma decimals)"), "{out}");
    let rows = values_of(&env, "imf");
    assert_eq!(rows.len(), 7);
    let day = "2024-04-16";
    check(&rows, ("gdp.real.growth", "CI", "2023", day), "estimate", "6.5");
    check(&rows, ("gdp.real.growth", "CI", "2024", day), "forecast", "6");
    check(&rows, ("gdp.nominal.usd", "CI", "2024", day), "forecast", "86913000000");
    check(&rows, ("cpi.eop.yoy", "TR", "2023", day), "estimate", "64.766");
    let entities = env.ok(&["export", "entities"]);
    assert!(entities.contains("CI,Côte d'Ivoire"), "{entities}");
}

#[test]
fn a_weo_row_with_a_wrong_number_of_cells_is_refused_by_its_line() {
    let env = Env::seeded();
    let path = fixture("weo_bad_row.xls");
    refused(
        &env,
        &[&path, "--published", "2024-10-22"],
        &format!("{path}:3: row has 12 cell(s) but the header has 13"),
    );
}

#[test]
fn a_bad_weo_number_is_refused_by_line_and_column() {
    let env = Env::seeded();
    let path = fixture("weo_bad_number.xls");
    refused(&env, &[&path, "--published", "2024-10-22"], &format!("{path}:2:11: bad number \"4,8\""));
}

#[test]
fn an_unknown_weo_country_names_the_map_that_fixes_it() {
    let env = Env::seeded();
    let path = fixture("weo_unknown_country.xls");
    refused(&env, &[&path, "--published", "2024-10-22"], "unknown country \"XQZ\" (Atlantis)");
}

#[test]
fn imf_portal_download_with_bom_and_quotes() {
    let env = Env::seeded();
    let path = fixture("imf_portal.csv");
    refused(&env, &[&path], "names its WEO edition only as a dataflow version");
    let out = env.ok(&["import", &path, "--published", "2025-04-22"]);
    assert!(
        out.contains("as IMF data portal WEO download") && out.contains("1 cell(s) published with no value (empty)"),
        "{out}"
    );
    let rows = values_of(&env, "imf");
    assert_eq!(rows.len(), 3);
    check(&rows, ("gdp.real.growth", "CN", "2024", "2025-04-22"), "estimate", "5");
    check(&rows, ("weo.pppex", "XK", "2023", "2025-04-22"), "estimate", "0.407");
}

#[test]
fn fred_download_needs_its_vintage_and_reads_quarters() {
    let env = Env::seeded();
    let path = fixture("fred_gdpc1.csv");
    refused(&env, &[&path], "a FRED download does not say which vintage it is");
    let out = env.ok(&["import", &path, "--published", "2025-01-30"]);
    assert!(out.contains("as FRED download (GDPC1)") && out.contains("1 cell(s) published with no value (.)"), "{out}");
    let rows = values_of(&env, "fred");
    assert_eq!(rows.len(), 3);
    check(&rows, ("gdp.real.usd", "US", "2024-Q1", "2025-01-30"), "actual", "23053545000000");
    check(&rows, ("gdp.real.usd", "US", "2024-Q3", "2025-01-30"), "actual", "23400294000000");
    let out = env.ok(&["import", &fixture("fred_two_series.csv"), "--published", "2024-03-08", "--kind", "estimate"]);
    assert!(out.contains("(CPIAUCSL, UNRATE)"), "{out}");
    let rows = values_of(&env, "fred");
    check(&rows, ("cpi.index", "US", "2024-02", "2024-03-08"), "estimate", "311.054");
    check(&rows, ("fred.unrate", "US", "2024-01", "2024-03-08"), "estimate", "3.7");
}

#[test]
fn alfred_vintages_are_published_dates_of_actuals() {
    let env = Env::seeded();
    let out = env.ok(&["import", &fixture("alfred_payems.csv")]);
    assert!(out.contains("ALFRED vintage download (PAYEMS_CHG, 2 vintages)"), "{out}");
    let rows = values_of(&env, "fred");
    assert_eq!(rows.len(), 5);
    assert_eq!(count_kind(&rows, "actual"), 5);
    check(&rows, ("payrolls.nonfarm.change", "US", "2024-01", "2024-02-02"), "actual", "353000");
    check(&rows, ("payrolls.nonfarm.change", "US", "2024-01", "2024-03-01"), "actual", "229000");
    check(&rows, ("payrolls.nonfarm.change", "US", "2024-02", "2024-03-01"), "actual", "275000");
    let history = env.ok(&["history", "--indicator", "payrolls.nonfarm.change", "--entity", "US", "--format", "csv"]);
    assert!(history.contains("353000") && history.contains("229000") && history.contains("down"), "{history}");
}

#[test]
fn an_alfred_vintage_column_with_a_bad_date_is_refused_by_line_and_column() {
    let env = Env::seeded();
    let path = fixture("alfred_bad_vintage.csv");
    refused(&env, &[&path], &format!("{path}:1:3: bad vintage date \"20241332\""));
}

#[test]
fn files_in_formats_econtrack_does_not_read_are_named() {
    let env = Env::seeded();
    let zip = env.write("book.xlsx", "PK\u{3}\u{4}rest of a zip");
    refused(&env, &[&zip.display().to_string()], "this is a zip archive (an Excel .xlsx workbook");
    let json = env.write("data.csv", "{\"dataSets\": []}");
    refused(&env, &[&json.display().to_string()], "this is JSON (SDMX-JSON or an API response)");
    let weo = env.write("weo.csv", "WEO Country Code,ISO,WEO Subject Code,Country,2024\n924,CHN,NGDP_RPCH,China,4.8\n");
    refused(&env, &[&weo.display().to_string()], "this is an IMF WEO report saved with commas");
    let api = env.write("api.csv", "realtime_start,realtime_end,date,value\n2024-01-01,2024-02-01,2023-10-01,1\n");
    refused(&env, &[&api.display().to_string()], "this is FRED API output");
    // The ECB's csvdata is read as SDMX-CSV; the exchange rates name no place.
    let ecb =
        env.write("ecb.csv", "KEY,FREQ,CURRENCY,TIME_PERIOD,OBS_VALUE\nEXR.D.USD.EUR.SP00.A,D,USD,2024-01-02,1.0956\n");
    refused(
        &env,
        &[&ecb.display().to_string(), "--published", "2024-01-03"],
        "no reference-area dimension (REF_AREA, geo, COUNTRY): say which entity the file is about with --entity CODE",
    );
}

// ---- export and round trip ----------------------------------------------------------------

#[test]
fn sdmx_csv_export_reads_back_to_the_same_values() {
    let env = Env::seeded();
    env.ok(&["import", &fixture("weo_small.xls"), "--published", "2024-10-22"]);
    let retract = "retract forecast --indicator gdp.nominal.usd --entity CN --period 2024 --source imf --published 2024-10-22 --reason typo --on 2024-11-01";
    env.ok(&retract.split(' ').collect::<Vec<_>>());
    let exported = env.ok(&["export", "values", "--format", "sdmx-csv"]);
    assert!(exported.contains(",2024-11-01,typo"), "the retraction is exported");
    let rows = csv_rows(&exported);
    assert_eq!(
        rows[0][..8],
        ["STRUCTURE", "STRUCTURE_ID", "ACTION", "INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS"]
    );
    assert!(rows[1..].iter().all(|r| r.len() == rows[0].len() && r[0] == "dataflow"));
    let forecast = rows.iter().find(|r| r[3] == "gdp.nominal.usd" && r[5] == "2024").unwrap();
    assert_eq!((forecast[6].as_str(), forecast[7].as_str()), ("18273357000000", "F"));

    let copy = Env::empty();
    let dims = env.dir.path().join("dims");
    env.ok(&["export", "all", "--output", &dims.display().to_string()]);
    for table in ["sources", "indicators", "entities", "documents"] {
        copy.ok(&["import", &dims.join(format!("{table}.csv")).display().to_string()]);
    }
    let file = copy.write("values.sdmx.csv", &exported);
    let out = copy.ok(&["import", &file.display().to_string()]);
    assert!(out.contains("as SDMX-CSV 2.0"), "{out}");
    assert_eq!(copy.ok(&["export", "values"]), env.ok(&["export", "values"]));
    assert_eq!(copy.ok(&["export", "values", "--format", "sdmx-csv"]), exported);
}

#[test]
fn sdmx_csv_export_is_values_only() {
    let env = Env::seeded();
    let err = env.fails(&["export", "sources", "--format", "sdmx-csv"]);
    assert!(err.contains("--format sdmx-csv exports values only"), "{err}");
}

// ---- the IMF's forecasts for China, end to end ---------------------------------------------

#[test]
fn weo_forecasts_for_china_against_the_target_the_outcome_and_each_other() {
    let env = Env::seeded();
    for (file, day) in [
        ("weo_china_2023apr.xls", "2023-04-11"),
        ("weo_china_2023oct.xls", "2023-10-10"),
        ("weo_china_2024apr.xls", "2024-04-16"),
        ("weo_china_2024oct.xls", "2024-10-22"),
    ] {
        env.ok(&["import", &fixture(file), "--published", day]);
    }
    // gaps: the October 2024 forecast, the latest as of the year's end, against the 5% target.
    let gaps =
        env.ok(&["gaps", "--indicator", "gdp.real.growth", "--as-of", "2024-12-31", "--format", "csv", "--targeted"]);
    let imf: Vec<Vec<String>> = csv_rows(&gaps).into_iter().filter(|r| r.contains(&"imf".to_string())).collect();
    assert_eq!(imf.len(), 1, "{gaps}");
    let header = &csv_rows(&gaps)[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(imf[0][col("forecast")], "4.8");
    assert_eq!(imf[0][col("target")], "5");
    assert_eq!(imf[0][col("gap")], "-0.2");
    assert_eq!(imf[0][col("published")], "2024-10-22");
    // As of mid-2024 the April edition is the latest.
    let earlier =
        env.ok(&["gaps", "--indicator", "gdp.real.growth", "--as-of", "2024-06-30", "--format", "csv", "--targeted"]);
    assert!(earlier.contains("imf,4.6,"), "{earlier}");

    // score: the last forecast before the NBS outcome (5, 2025-01-17) is October 2024's.
    let score = env.ok(&["score", "--format", "csv"]);
    let scored: Vec<Vec<String>> = csv_rows(&score)
        .into_iter()
        .filter(|r| r.contains(&"imf".to_string()) && r.contains(&"2024".to_string()))
        .collect();
    let header = &csv_rows(&score)[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let gdp = scored.iter().find(|r| r[col("indicator")] == "gdp.real.growth").expect("imf's gdp forecast scored");
    assert_eq!((gdp[col("forecast")].as_str(), gdp[col("actual")].as_str()), ("4.8", "5"));
    assert_eq!(gdp[col("error")], "-0.2");
    let cpi = scored.iter().find(|r| r[col("indicator")] == "cpi.yoy").expect("imf's cpi forecast scored");
    assert_eq!((cpi[col("forecast")].as_str(), cpi[col("actual")].as_str()), ("0.4", "0.2"));

    // history: the IMF's revisions of its 2024 forecast, edition by edition.
    let history =
        env.ok(&["history", "--indicator", "gdp.real.growth", "--entity", "CN", "--period", "2024", "--format", "csv"]);
    let rows = csv_rows(&history);
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let revisions: Vec<(String, String, String)> = rows[1..]
        .iter()
        .filter(|r| r[col("source")] == "imf")
        .map(|r| (r[col("published")].clone(), r[col("value")].clone(), r[col("change")].clone()))
        .collect();
    let expected = [
        ("2023-04-11", "4.5", ""),
        ("2023-10-10", "4.2", "-0.3"),
        ("2024-04-16", "4.6", "0.4"),
        ("2024-10-22", "4.8", "0.2"),
    ];
    assert_eq!(revisions, expected.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())), "{history}");
}

// ---- the real samples -----------------------------------------------------------------------

#[test]
fn sample_oecd_china_cpi_sdmx_1_0() {
    let Some(path) = sample("sdmx10_oecd_g20_prices_chn_cpi.csv") else { return };
    let env = Env::seeded();
    let out = env.ok(&["import", &path, "--published", "2025-06-08"]);
    assert!(out.contains("as SDMX-CSV 1.0"), "{out}");
    assert!(!out.contains("published with no value"), "{out}");
    let rows = values_of(&env, "oecd");
    assert_eq!(rows.len(), 41);
    assert_eq!(count_kind(&rows, "actual"), 41);
    let day = "2025-06-08";
    check(&rows, ("cpi.yoy", "CN", "1985", day), "actual", "9.3");
    check(&rows, ("cpi.yoy", "CN", "1989", day), "actual", "18");
    check(&rows, ("cpi.yoy", "CN", "2023", day), "actual", "0.2");
    check(&rows, ("cpi.yoy", "CN", "2024", day), "actual", "0.2");
    check(&rows, ("cpi.yoy", "CN", "2025", day), "actual", "0");
}

#[test]
fn sample_oecd_us_cpi_sdmx_2_0_labels_both() {
    let Some(path) = sample("sdmx20_oecd_prices_usa_cpi_labels_both.csv") else { return };
    let env = Env::seeded();
    let out = env.ok(&["import", &path, "--published", "2024-09-27"]);
    assert!(out.contains("as SDMX-CSV 2.0 (labels=both)"), "{out}");
    let rows = values_of(&env, "oecd");
    assert_eq!(rows.len(), 169);
    let day = "2024-09-27";
    check(&rows, ("oecd.df_prices_all.n.cpi.pa.cp08.n.gy", "US", "2018", day), "actual", "-1.265205");
    check(&rows, ("oecd.df_prices_all.n.cpi.pa.cp08.n.gy", "US", "2017", day), "actual", "-5.483102");
    assert!(rows.iter().any(|r| r["value"] == "-0.04913678"), "8 decimals kept");
    assert_eq!(rows.iter().filter(|r| r["indicator"] == "cpi.yoy").count(), 13, "the all-items series is cpi.yoy");
    let indicators = env.ok(&["export", "indicators"]);
    let line = indicators.lines().find(|l| l.starts_with("oecd.df_prices_all.n.cpi.pa.cp08.n.gy,")).unwrap();
    assert!(line.contains("\"National, Consumer price index, Percent per annum, Communication, Neither seasonally adjusted nor calendar adjusted, Growth rate, over 1 year\",percent,"), "{line}");
}

#[test]
fn sample_bis_derivatives_with_missing_statuses() {
    let Some(path) = sample("sdmx10_bis_der.csv") else { return };
    let env = Env::seeded();
    // The BIS's 5J (all countries) is an aggregate econtrack knows: created, and said so.
    let out = env.ok(&["import", &path, "--published", "2025-01-15", "--dry-run"]);
    assert!(out.contains("1 region(s) or aggregate(s) as entities of kind region: 5J"), "{out}");
    // A map row still files it where the user wants it.
    let map = env.write("bis-map.csv", "dimension,code,to\nentity,5J,WORLD\n");
    let out = env.ok(&["import", &path, "--published", "2025-01-15", "--map", &map.display().to_string()]);
    assert!(out.contains("640 cell(s) published with no value (OBS_STATUS M)"), "{out}");
    let rows = values_of(&env, "bis");
    assert_eq!(rows.len(), 360);
    assert!(rows.iter().all(|r| r["entity"] == "WORLD" && r["kind"] == "actual"));
    check(
        &rows,
        ("bis.webstats_der_dataflow.u.a.b.a.1e.a.hkd.to1.a.a.3.c", "WORLD", "2004", "2025-01-15"),
        "actual",
        "14206.490766",
    );
}

/// The Eurostat pair: one indicator per balance, the euro area as EA20, whichever way
/// the file writes them.
fn eurostat_map(env: &Env) -> String {
    let labels = "Million euro.Unadjusted data (i.e. neither seasonally adjusted nor calendar adjusted data).Total economy.Total economy.Extra-euro area - 20 countries (from 2023).Balance";
    let text = format!(
        "dimension,code,to\nindicator,\"{labels}.Current account\",bop.current.account\nindicator,\"{labels}.Current plus capital account (balance = net lending (+) / net borrowing (-))\",bop.current.capital.account\nindicator,MIO_EUR.NSA.S1.S1.EXT_EA20.BAL.CA,bop.current.account\nindicator,MIO_EUR.NSA.S1.S1.EXT_EA20.BAL.CKA,bop.current.capital.account\nentity,Euro area – 20 countries (from 2023),EA20\nentity,EA20,EA20\n"
    );
    env.write("eurostat-map.csv", &text).display().to_string()
}

fn key_values(rows: &[Row]) -> Vec<[String; 6]> {
    let mut keys: Vec<[String; 6]> = rows
        .iter()
        .map(|r| ["indicator", "entity", "period", "kind", "value", "published"].map(|c| r[c].clone()))
        .collect();
    keys.sort();
    keys
}

#[test]
fn sample_eurostat_1_0_labels_and_2_0_labels_both_import_to_the_same_values() {
    let (Some(v1), Some(v2)) =
        (sample("sdmx10_eurostat_ei_bpm6ca_q_labels.csv"), sample("sdmx20_eurostat_ei_bpm6ca_q_labels_both.csv"))
    else {
        return;
    };
    // Without a map, the labels make the indicators' codes and the euro area is read from
    // its label.
    let unmapped = Env::seeded();
    let out = unmapped.ok(&["import", &v1]);
    assert!(out.contains("region(s) or aggregate(s) as entities of kind region: EA20"), "{out}");
    let rows = values_of(&unmapped, "eurostat");
    assert_eq!(rows.len(), 19);
    assert!(rows.iter().all(|r| r["entity"] == "EA20"), "{rows:?}");
    let first = Env::seeded();
    let out = first.ok(&["import", &v1, "--map", &eurostat_map(&first)]);
    assert!(out.contains("as SDMX-CSV 1.0"), "{out}");
    let one = values_of(&first, "eurostat");
    assert_eq!(one.len(), 19);
    // LAST UPDATE 30/10/25 is the vintage; Million euro are millions.
    check(&one, ("bop.current.account", "EA20", "2023-Q1", "2025-10-30"), "actual", "23962100000");
    check(&one, ("bop.current.account", "EA20", "2024-Q4", "2025-10-30"), "actual", "102057300000");

    let second = Env::seeded();
    refused(&second, &[&v2, "--map", &eurostat_map(&second)], "carries no vintage");
    let out = second.ok(&["import", &v2, "--published", "2025-10-30", "--map", &eurostat_map(&second)]);
    assert!(out.contains("as SDMX-CSV 2.0 (labels=both)"), "{out}");
    let two = values_of(&second, "eurostat");
    assert_eq!(key_values(&one), key_values(&two));
}

#[test]
fn sample_fred_gdpc1() {
    let Some(path) = sample("fred_fredgraph_GDPC1.csv") else { return };
    let env = Env::seeded();
    refused(&env, &[&path], "--published");
    env.ok(&["import", &path, "--published", "2025-03-27"]);
    let rows = values_of(&env, "fred");
    assert_eq!(rows.len(), 312);
    let day = "2025-03-27";
    check(&rows, ("gdp.real.usd", "US", "1947-Q1", day), "actual", "2182681000000");
    check(&rows, ("gdp.real.usd", "US", "2024-Q4", day), "actual", "23530909000000");
    let note = &find(&rows, "gdp.real.usd", "US", "2024-Q4", day)["note"];
    assert!(note.contains("published 23530.909 (Billions of Chained 2017 Dollars)"), "{note}");
}

#[test]
fn sample_alfred_payems_vintages() {
    let Some(path) = sample("alfred_vintages_PAYEMS_CHG.csv") else { return };
    let env = Env::seeded();
    let out = env.ok(&["import", &path]);
    assert!(
        out.contains("(PAYEMS_CHG, 12 vintages)") && out.contains("66 cell(s) published with no value (.)"),
        "{out}"
    );
    let rows = values_of(&env, "fred");
    assert_eq!(rows.len(), 995 * 12 - 66);
    check(&rows, ("payrolls.nonfarm.change", "US", "1939-02", "2021-02-05"), "actual", "177000");
    check(&rows, ("payrolls.nonfarm.change", "US", "2021-12", "2022-01-07"), "actual", "199000");
    check(&rows, ("payrolls.nonfarm.change", "US", "2021-11", "2021-12-03"), "actual", "210000");
    check(&rows, ("payrolls.nonfarm.change", "US", "2021-11", "2022-01-07"), "actual", "249000");
    let vintages: std::collections::BTreeSet<&str> = rows.iter().map(|r| r["published"].as_str()).collect();
    assert_eq!(vintages.len(), 12);
    assert!(!rows.iter().any(|r| r["period"] == "2021-12" && r["published"] == "2021-12-03"), "'.' is not a value");
}

#[test]
fn sample_weo_april_2023_ngdpd() {
    let Some(path) = sample("weo_custom_2023apr_NGDPD_WEO_Data.xls") else { return };
    let env = Env::seeded();
    refused(&env, &[&path], "the footer names the WEO edition April 2023");
    let out = env.ok(&["import", &path, "--published", "2023-04-11"]);
    assert!(
        out.contains("April 2023 edition (UTF-8, point decimals)")
            && out.contains("31 cell(s) published with no value (n/a)"),
        "{out}"
    );
    let rows = values_of(&env, "imf");
    assert_eq!(rows.len(), 1817);
    let day = "2023-04-11";
    check(&rows, ("gdp.nominal.usd", "CN", "2016", day), "actual", "11226897000000");
    check(&rows, ("gdp.nominal.usd", "CN", "2022", day), "actual", "18100044000000");
    check(&rows, ("gdp.nominal.usd", "CN", "2023", day), "forecast", "19373586000000");
    check(&rows, ("gdp.nominal.usd", "AL", "2016", day), "actual", "11862000000");
    check(&rows, ("gdp.nominal.usd", "AF", "2020", day), "actual", "20136000000");
    // Estimates Start After 2021 for Albania: 2022 is an estimate (before the edition's year).
    check(&rows, ("gdp.nominal.usd", "AL", "2022", day), "estimate", "18509000000");
}

#[test]
fn sample_weo_october_2024_comma_decimals_latin_1() {
    let Some(path) = sample("weo_custom_2024oct_comma_decimal_WEO_Data.xls") else { return };
    let env = Env::seeded();
    let out = env.ok(&["import", &path, "--published", "2024-10-22"]);
    assert!(out.contains("October 2024 edition (Latin-1, comma decimals)"), "{out}");
    assert!(
        out.contains("121 cell(s) published with no value (n/a)")
            && out.contains("6 cell(s) published with no value (--)"),
        "{out}"
    );
    let rows = values_of(&env, "imf");
    assert_eq!(rows.len(), 7769);
    let day = "2024-10-22";
    check(&rows, ("gdp.real.growth", "CN", "2023", day), "estimate", "5.25");
    check(&rows, ("gdp.real.growth", "CN", "2024", day), "forecast", "4.824");
    check(&rows, ("weo.ngdp_r", "AF", "2021", day), "estimate", "1101445000000");
    check(&rows, ("weo.bca", "CN", "2021", day), "estimate", "352886000000");
    check(&rows, ("cpi.eop.yoy", "VE", "2021", day), "estimate", "686.383");
    assert!(!rows.iter().any(|r| r["indicator"] == "weo.ngdp_r" && r["entity"] == "VE"), "-- is not a value");
}

#[test]
fn sample_imf_portal_pppex() {
    let Some(path) = sample("imf_portal_weo_2025apr_PPPEX.csv") else { return };
    let env = Env::seeded();
    let out = env.ok(&["import", &path, "--published", "2025-04-22"]);
    assert!(
        out.contains("as IMF data portal WEO download") && out.contains("18 cell(s) published with no value (empty)"),
        "{out}"
    );
    let rows = values_of(&env, "imf");
    assert_eq!(rows.len(), 195 * 10 - 18);
    let day = "2025-04-22";
    check(&rows, ("weo.pppex", "HN", "2015", day), "estimate", "9.562");
    check(&rows, ("weo.pppex", "KH", "2024", day), "estimate", "1380.354");
    check(&rows, ("weo.pppex", "PW", "2019", day), "estimate", "1");
    assert_eq!(rows.iter().map(|r| r["entity"].as_str()).collect::<std::collections::BTreeSet<_>>().len(), 195);
}

#[test]
fn crlf_files_are_reported_by_the_line_an_editor_shows() {
    let env = Env::seeded();
    let text = "DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\r\nOECD:X(1.0),CHN,2023,1\r\nOECD:X(1.0),CHN,2024,\"1,5\"\r\n";
    let path = env.write("crlf.csv", text).display().to_string();
    refused(&env, &[&path, "--published", "2025-01-01"], &format!("{path}:3: OBS_VALUE: bad decimal \"1,5\""));
}

/// `econtrack import … | head -1` closing the pipe early is not a panic.
#[test]
fn import_into_a_closed_pipe_is_not_a_panic() {
    let env = Env::seeded();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("econtrack"))
        .env_remove("ECONTRACK_DB")
        .args(["--db", &env.db.display().to_string(), "import", &fixture("weo_small.xls"), "--published", "2024-10-22"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.success(), "{stderr}");
}

/// The full WEO database has been UTF-16 since about 2021: the same reader takes it.
#[test]
fn weo_database_in_utf_16() {
    let env = Env::seeded();
    let text = std::fs::read_to_string(fixture("weo_small.xls")).unwrap();
    let bytes: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let path = env.path("WEOOct2024all.xls");
    std::fs::write(&path, bytes).unwrap();
    let out = env.ok(&["import", &path.display().to_string(), "--published", "2024-10-22"]);
    assert!(out.contains("October 2024 edition (UTF-16, point decimals)"), "{out}");
    check(&values_of(&env, "imf"), ("gdp.nominal.usd", "CN", "2022", "2024-10-22"), "actual", "17881782000000");
}

#[test]
fn source_and_map_flags_are_checked() {
    let env = Env::seeded();
    let path = fixture("fred_gdpc1.csv");
    let err =
        refused(&env, &[&path, "--published", "2025-01-30", "--source", "bloomberk"], "unknown source \"bloomberk\"");
    assert_eq!(err.matches("unknown source").count(), 1, "one problem for every row: {err}");
    env.ok(&["import", &path, "--published", "2025-01-30", "--source", "bloomberg"]);
    assert_eq!(values_of(&env, "bloomberg").iter().filter(|r| r["indicator"] == "gdp.real.usd").count(), 3);
    let bad_map = env.write("map.csv", "series,to\nGDPC1,gdp\n").display().to_string();
    let err = env.fails(&["import", &path, "--published", "2025-01-30", "--map", &bad_map]);
    assert!(err.contains("map.csv:1: a map file has the columns dimension,code,to"), "{err}");
    let mapped = env.write("map2.csv", "dimension,code,to\nindicator,GDPC1,gdp.real.growth\n").display().to_string();
    env.ok(&["import", &path, "--published", "2025-02-27", "--map", &mapped]);
    check(&values_of(&env, "fred"), ("gdp.real.growth", "US", "2024-Q1", "2025-02-27"), "actual", "23053.545");
}
