//! Agencies' files as they come: one test per class of failure met on real downloads
//! (issue 21), each on a small file shaped like the real one (the real files themselves are
//! tried by `corpus.rs` where the corpus is present).

use crate::formats::{refused, values_of};
use crate::util::{Env, csv_rows};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/agency/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The (indicator, entity, period, kind, value) of every value of `source`, sorted.
fn cells(env: &Env, source: &str) -> Vec<[String; 5]> {
    let mut rows: Vec<[String; 5]> = values_of(env, source)
        .iter()
        .map(|r| ["indicator", "entity", "period", "kind", "value"].map(|c| r[c].clone()))
        .collect();
    rows.sort();
    rows
}

fn has(rows: &[[String; 5]], entity: &str, period: &str, kind: &str, value: &str) -> bool {
    rows.iter().any(|r| r[1] == entity && r[2] == period && r[3] == kind && r[4] == value)
}

// 1. FRED names no place: the catalogue, --entity or a map row does, else a refusal.
#[test]
fn fred_series_are_filed_under_their_place_or_refused() {
    let env = Env::seeded();
    let path = fixture("fred_states_metro.csv");
    let err = refused(&env, &[&path, "--published", "2023-04-07"], "series \"CLMUR\"");
    assert!(err.contains("--entity CODE") && err.contains("entity,CLMUR,CODE"), "{err}");
    assert!(!err.contains("MOUR\""), "Missouri is in the catalogue: {err}");
    let map = env.write("map.csv", "dimension,code,to\nentity,CLMUR,US-MO-COLUMBIA\n");
    let out = env.ok(&["import", &path, "--published", "2023-04-07", "--map", &map.display().to_string()]);
    assert!(out.contains("1 cell(s) published with no value (#N/A)"), "{out}");
    let rows = cells(&env, "fred");
    assert!(has(&rows, "US-MO", "2023-01", "actual", "2.6"), "{rows:?}");
    assert!(has(&rows, "US-MO-COLUMBIA", "2023-03", "actual", "2"), "{rows:?}");
    assert!(!rows.iter().any(|r| r[1] == "US"), "nothing is filed under the United States: {rows:?}");
}

#[test]
fn fred_entity_flag_names_the_place_of_every_series() {
    let env = Env::seeded();
    let path = fixture("fred_states_metro.csv");
    env.ok(&["import", &path, "--published", "2023-04-07", "--entity", "US-MO"]);
    let rows = cells(&env, "fred");
    // The catalogue still wins for the series it knows; --entity takes the rest.
    assert_eq!(rows.iter().filter(|r| r[1] == "US-MO").count(), 5, "{rows:?}");
}

// 2. WEO reports as the IMF saves them: UTF-16 without a byte-order mark, Estimates Start
// After 0, a footer in quotes, the ISO column trusted over an older name.
#[test]
fn weo_reports_in_utf16_without_bom_with_zero_estimates_start_after() {
    let env = Env::seeded();
    let text = "WEO Country Code\tISO\tWEO Subject Code\tCountry\tSubject Descriptor\tUnits\tScale\t2022\t2023\tEstimates Start After\t\r\n\
186\tTUR\tNGDP_RPCH\tTurkey\tGross domestic product, constant prices\tPercent change\t\t5.5\t4.5\t2022\t\r\n\
924\tCHN\tLUR\tChina\tUnemployment rate\tPercent of total labor force\t\t5.6\t5.2\t0\t\r\n\
\t\t\t\t\t\t\t\t\t\t\r\n\
\"International Monetary Fund, World Economic Outlook Database, April 2024\"\r\n";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let path = env.dir.path().join("WEO_Data.xls");
    std::fs::write(&path, bytes).unwrap();
    let out = env.ok(&["import", &path.display().to_string(), "--published", "2024-04-16"]);
    assert!(out.contains("IMF WEO report, April 2024 edition (UTF-16"), "{out}");
    let rows = cells(&env, "imf");
    assert!(has(&rows, "TR", "2022", "actual", "5.5"), "{rows:?}");
    assert!(has(&rows, "TR", "2023", "estimate", "4.5"), "{rows:?}");
    // 0: no actuals in that row.
    assert!(has(&rows, "CN", "2022", "estimate", "5.6"), "{rows:?}");
}

#[test]
fn a_weo_column_headed_by_no_year_is_an_error_naming_it() {
    let env = Env::seeded();
    let text = "ISO\tWEO Subject Code\tCountry\t2022\t2O23\n\
CHN\tNGDP_RPCH\tChina\t3.0\t5.2\n\n\
International Monetary Fund, World Economic Outlook Database, April 2024\n";
    let path = env.write("weo.xls", text).display().to_string();
    refused(&env, &[&path, "--published", "2024-04-16"], "column 5 \"2O23\" is neither a year");
    let blank = "ISO\tWEO Subject Code\tCountry\t2022\t\n\
CHN\tNGDP_RPCH\tChina\t3.0\t5.2\n\n\
International Monetary Fund, World Economic Outlook Database, April 2024\n";
    let path = env.write("weo-blank.xls", blank).display().to_string();
    refused(&env, &[&path, "--published", "2024-04-16"], "a value \"5.2\" under a column with no header");
}

// 3. OECD units and numbers: XDC is the national currency, PT_B1GQ a percent of GDP,
// exponent form is exact.
#[test]
fn oecd_units_and_exponent_numbers() {
    let env = Env::seeded();
    env.ok(&["import", &fixture("sdmx_oecd_aggregates.csv"), "--published", "2024-12-04"]);
    let rows = cells(&env, "oecd");
    assert!(has(&rows, "FR", "2023", "actual", "2803007000000"), "{rows:?}");
    assert!(has(&rows, "EA20", "2023", "actual", "14506000000000"), "{rows:?}");
    let indicators = csv_rows(&env.ok(&["indicator", "list", "--format", "csv"]));
    let unit_of = |code: &str| {
        let at = indicators[0].iter().position(|c| c == "unit").unwrap();
        indicators.iter().find(|r| r[0].ends_with(code)).map(|r| r[at].clone()).unwrap()
    };
    assert_eq!(unit_of(".gdp.xdc"), "national-currency");
    assert_eq!(unit_of(".gb_gdp.pt_b1gq"), "percent");
}

#[test]
fn the_older_oecd_stat_export_reads() {
    let env = Env::seeded();
    let out = env.ok(&["import", &fixture("oecd_stat_export.csv"), "--published", "2024-05-02"]);
    assert!(out.contains("as OECD.Stat export (codes and labels)"), "{out}");
    let rows = cells(&env, "oecd");
    assert!(has(&rows, "JP", "2023-Q4", "actual", "2.9"), "{rows:?}");
    assert!(has(&rows, "JP", "2024-Q1", "estimate", "2.5"), "{rows:?}");
}

// 4. SDMX-CSV as the specification writes it: the separator after STRUCTURE, `ID: Name`
// labels, SERIES_KEY and OBS_KEY.
#[test]
fn sdmx_csv_with_semicolons_and_id_name_labels() {
    let env = Env::seeded();
    let out = env.ok(&["import", &fixture("sdmx_semicolon_labels.csv"), "--published", "2024-09-01"]);
    assert!(out.contains("SDMX-CSV 2.0 (labels=both), ';'-separated"), "{out}");
    let rows = values_of(&env, "oecd");
    assert_eq!(rows.len(), 2);
    let q1 = rows.iter().find(|r| r["period"] == "2024-Q1").unwrap();
    assert_eq!((q1["entity"].as_str(), q1["value"].as_str()), ("GH", "12.4"));
    assert_eq!(q1["indicator"], "oecd.df_qna.b1gq");
}

// 5. Aggregates are entities; codes nothing explains are named together.
#[test]
fn aggregates_are_created_and_unknown_areas_are_named_in_one_message() {
    let env = Env::seeded();
    let out = env.ok(&["import", &fixture("sdmx_oecd_aggregates.csv"), "--published", "2024-12-04"]);
    assert!(
        out.contains("4 region(s) or aggregate(s) as entities of kind region: EA20, EU27-2020, G20, OECD"),
        "{out}"
    );
    let entities = env.ok(&["entity", "list", "--format", "csv"]);
    assert!(entities.contains("EU27-2020,\"European Union (27 countries, from 2020)\",,region"), "{entities}");
    let err = refused(
        &env,
        &[&fixture("sdmx_unknown_areas.csv"), "--published", "2024-12-04"],
        "2 unknown reference area(s)",
    );
    assert!(err.contains("\"QQ9\", \"ZZX\""), "{err}");
    assert_eq!(err.matches("unknown reference area").count(), 1, "one message: {err}");
}

// 6. The formats users of the agencies expect.
#[test]
fn eurostat_tsv_with_flags() {
    let env = Env::seeded();
    refused(&env, &[&fixture("eurostat_gov.tsv")], "--published");
    let out = env.ok(&["import", &fixture("eurostat_gov.tsv"), "--published", "2025-04-22"]);
    assert!(out.contains("as Eurostat TSV bulk download"), "{out}");
    assert!(out.contains("2 cell(s) published with no value (:)") && out.contains("(c)"), "{out}");
    let rows = cells(&env, "eurostat");
    assert!(has(&rows, "DE", "2023", "actual", "-2.5"), "p is provisional, an actual: {rows:?}");
    assert!(has(&rows, "GR", "2024", "estimate", "0.7"), "EL is Greece, e an estimate: {rows:?}");
    assert!(has(&rows, "EA20", "2022", "actual", "-3.7"), "{rows:?}");
    assert!(has(&rows, "DE11", "2024", "forecast", "2"), "a NUTS region; f a forecast: {rows:?}");
}

#[test]
fn ecb_data_portal_csv() {
    let env = Env::seeded();
    let out = env.ok(&["import", &fixture("ecb_hicp.csv"), "--published", "2024-04-03"]);
    assert!(out.contains("as ECB Data Portal CSV (1 series)"), "{out}");
    let rows = cells(&env, "ecb");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(has(&rows, "EA", "2024-02", "actual", "2.6"), "U2 is the euro area: {rows:?}");
    assert_eq!(rows[0][0], "ecb.icp.n.000000.4.anr");
}

#[test]
fn world_bank_databank_with_its_own_vintage() {
    let env = Env::seeded();
    let out = env.ok(&["import", &fixture("worldbank_databank.csv")]);
    assert!(out.contains("as World Bank download"), "{out}");
    let rows = values_of(&env, "world-bank");
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.iter().all(|r| r["published"] == "2022-09-16"), "{rows:?}");
    let rows = cells(&env, "world-bank");
    assert!(has(&rows, "CN", "2022", "actual", "3"), "{rows:?}");
    assert!(has(&rows, "HIC", "2021", "actual", "5.6"), "an income group, named by the file: {rows:?}");
}

#[test]
fn imf_portal_datasets_beyond_the_weo() {
    let env = Env::seeded();
    let out = env.ok(&["import", &fixture("imf_portal_cpi.csv"), "--published", "2024-04-10"]);
    assert!(out.contains("as IMF data portal download"), "{out}");
    let rows = cells(&env, "imf");
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(has(&rows, "EG", "2024-02", "actual", "50.9"), "{rows:?}");
    assert!(has(&rows, "EG", "2023", "actual", "58.7"), "{rows:?}");
    assert!(rows.iter().all(|r| r[0] == "imf.cpi.cpi.cp01.yoy_pch_pa_pt"), "{rows:?}");
}

#[test]
fn bis_bulk_download() {
    let env = Env::seeded();
    let out = env.ok(&["import", &fixture("bis_cbpol.csv"), "--published", "2024-03-01"]);
    assert!(out.contains("as BIS bulk download (a row per series)"), "{out}");
    assert!(out.contains("1 cell(s) published with no value (NaN)"), "{out}");
    let rows = cells(&env, "bis");
    assert!(has(&rows, "GB", "2024-02", "actual", "5.25"), "{rows:?}");
    assert!(has(&rows, "EA", "2024-01", "actual", "4.5"), "XM is the euro area: {rows:?}");
}

#[test]
fn a_file_like_no_format_is_named_for_what_it_looks_like() {
    let env = Env::seeded();
    let time_rows = env.write(
        "Data.csv",
        "Country Name,Country Code,Time,Time Code,GDP growth (annual %) [NY.GDP.MKTP.KD.ZG]\nChina,CHN,2022,YR2022,3\n",
    );
    refused(&env, &[&time_rows.display().to_string()], "DataBank's \"Time\" layout");
}

// 7. A value for a period after the file's vintage is not an actual.
#[test]
fn values_for_periods_after_the_vintage_are_forecasts() {
    let env = Env::seeded();
    let out = env.ok(&["import", &fixture("sdmx_oecd_aggregates.csv"), "--published", "2024-12-04"]);
    assert!(out.contains("1 value(s) for periods that start after the file's vintage stored as forecasts"), "{out}");
    let rows = cells(&env, "oecd");
    assert!(has(&rows, "G20", "2060", "forecast", "2.1"), "{rows:?}");
}

// 8. econtrack's own SDMX-CSV goes into a colleague's new database in one command.
#[test]
fn an_sdmx_export_imports_into_a_new_database() {
    let env = Env::seeded();
    env.ok(&["source", "add", "desk-model", "--name", "Our desk's model"]);
    env.ok(&["indicator", "add", "ip.growth", "--name", "Industrial production growth", "--unit", "percent"]);
    env.ok(&[
        "add",
        "forecast",
        "--indicator",
        "ip.growth",
        "--entity",
        "CN",
        "--period",
        "2025",
        "--value",
        "5.8",
        "--source",
        "desk-model",
        "--published",
        "2025-01-10",
    ]);
    let exported = env.ok(&["export", "values", "--format", "sdmx-csv"]);
    let colleague = Env::seeded();
    let file = colleague.write("ours.sdmx.csv", &exported);
    colleague.ok(&["import", &file.display().to_string()]);
    assert_eq!(colleague.ok(&["export", "values"]), env.ok(&["export", "values"]));
    let indicators = colleague.ok(&["indicator", "list", "--format", "csv"]);
    assert!(indicators.contains("ip.growth,Industrial production growth,percent"), "{indicators}");
}

// Issue 22, 4: a download cut short.
#[test]
fn a_fred_file_without_its_last_line_end_is_warned_of_and_refused_under_strict() {
    let env = Env::seeded();
    let path = fixture("fred_cut.csv");
    let err = refused(
        &env,
        &[&path, "--published", "2024-05-03", "--strict"],
        "fred_cut.csv:5: the last line has no line end",
    );
    assert!(err.contains("(--strict)"), "{err}");
    let out = env.cmd().args(["import", &path, "--published", "2024-05-03"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fred_cut.csv:5: the last line has no line end"), "{stderr}");
}

// Issue 22, 2: an agency's file is read whole, so it has a ceiling.
#[test]
fn an_agency_file_over_the_ceiling_is_refused() {
    let env = Env::seeded();
    let path = env.dir.path().join("huge.csv");
    let mut file = std::fs::File::create(&path).unwrap();
    std::io::Write::write_all(&mut file, b"DATE,GDPC1\n2024-01-01,1\n").unwrap();
    // Sparse: nothing is written but the header; the rest reads as NUL bytes.
    file.set_len(256 * 1024 * 1024 + 10).unwrap();
    refused(&env, &[&path.display().to_string(), "--published", "2024-05-01"], "the file is larger than 256 MiB");
}

#[test]
fn a_weo_report_without_its_footer_takes_the_edition_from_published() {
    let env = Env::seeded();
    let text = "ISO\tWEO Subject Code\tCountry\t2022\t2023\nCHN\tNGDP_RPCH\tChina\t3.0\t5.2\nFRA\tNGDP_RPCH\tFrance\t2.5\t0.9\n";
    let path = env.write("weo-nofooter.xls", text).display().to_string();
    refused(&env, &[&path], "no edition footer");
    let out = env.ok(&["import", &path, "--published", "2024-04-16"]);
    assert!(out.contains("no edition footer: the edition is taken to be April 2024"), "{out}");
    let rows = cells(&env, "imf");
    assert!(has(&rows, "FR", "2023", "estimate", "0.9"), "the last row is read: {rows:?}");
}

#[test]
fn comma_decimals_are_read_only_when_declared() {
    let env = Env::seeded();
    let text = "STRUCTURE;STRUCTURE_ID;ACTION;REF_AREA;TIME_PERIOD;OBS_VALUE\ndataflow;ESTAT:NA_MAIN(1.6.0);I;FR;2014-01;12,4\n";
    let path = env.write("locale.csv", text).display().to_string();
    refused(&env, &[&path, "--published", "2014-03-01"], "OBS_VALUE: bad decimal \"12,4\"");
    env.ok(&["import", &path, "--published", "2014-03-01", "--decimal-comma"]);
    let rows = cells(&env, "eurostat");
    assert!(has(&rows, "FR", "2014-01", "actual", "12.4"), "{rows:?}");
}

// Issue 22, 6: invalid UTF-8 in an agency's file is named by its line.
#[test]
fn invalid_utf8_in_an_agency_file_is_named_by_its_line() {
    let env = Env::seeded();
    let path = env.dir.path().join("bad.csv");
    std::fs::write(
        &path,
        b"DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\nOECD:DF(1.0),FRA,2023,1\nOECD:DF(1.0),DEU,2023,\xff2\n",
    )
    .unwrap();
    refused(&env, &[&path.display().to_string(), "--published", "2024-01-01"], "line 3: not valid UTF-8");
}
