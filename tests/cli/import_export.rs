//! Idempotent loads and byte-identical round trips.

use crate::util::{Add, Env, csv_rows, data_dir, rows_where};

#[test]
fn a_fresh_database_is_seeded_on_first_use() {
    let env = Env::new();
    let output = env.cmd().args(["gaps", "--format", "csv"]).output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("loaded the built-in data"));
    assert!(String::from_utf8_lossy(&output.stdout).contains("bloomberg"));
}

#[test]
fn init_twice_changes_nothing() {
    let env = Env::seeded();
    let before = env.snapshot();
    let again = env.ok(&["init"]);
    assert!(again.contains(" 0 added") && again.contains(" 0 corrected"), "{again}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn importing_data_again_changes_nothing() {
    let env = Env::seeded();
    let before = env.snapshot();
    let out = env.ok(&["import", data_dir().to_str().unwrap()]);
    assert!(out.contains(" 0 added"), "{out}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn the_built_in_data_holds_every_figure_with_provenance() {
    let env = Env::seeded();
    let values = env.ok(&["export", "values"]);
    let rows = csv_rows(&values);
    assert!(rows.len() > 25, "expected the article's figures, got {}", rows.len() - 1);
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for row in &rows[1..] {
        for required in ["source", "published", "document"] {
            assert!(!row[col(required)].is_empty(), "{required} missing in {row:?}");
        }
        // A quote that cannot be shown verbatim is left out, never made up, and the note says so.
        assert!(
            !row[col("quote")].is_empty() || row[col("note")].contains("No quote is recorded"),
            "a value without a quote must say why in its note: {row:?}"
        );
    }
    let unquoted: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r[col("quote")].is_empty()).collect();
    assert_eq!(unquoted.len(), 1, "only the 2024 core-CPI outcome lacks a quote: {unquoted:?}");
    let byd = rows_where(&values, "entity", "BYD");
    assert!(byd.iter().any(|r| r["value"] == "10400000000"), "{byd:?}");
    let lighthouse = rows_where(&values, "indicator", "lighthouse.factories");
    let counts: Vec<&str> = lighthouse.iter().map(|r| r["value"].as_str()).collect();
    for expected in ["153", "61", "13"] {
        assert!(counts.contains(&expected), "{counts:?}");
    }
}

#[test]
fn quotes_are_verbatim_from_the_article() {
    let article = std::fs::read_to_string(data_dir().join("documents/bw-1896.txt")).unwrap();
    let values = std::fs::read_to_string(data_dir().join("values.csv")).unwrap();
    for row in rows_where(&values, "document", "bw-1896") {
        assert!(article.contains(&row["quote"]), "not in the article: {}", row["quote"]);
    }
}

fn export_all(env: &Env, dir: &str) -> std::path::PathBuf {
    let path = env.path(dir);
    env.ok(&["export", "all", "--output", path.to_str().unwrap()]);
    path
}

fn assert_same_files(a: &std::path::Path, b: &std::path::Path) {
    for name in ["sources.csv", "indicators.csv", "entities.csv", "documents.csv", "values.csv"] {
        let left = std::fs::read(a.join(name)).unwrap();
        let right = std::fs::read(b.join(name)).unwrap();
        assert!(left == right, "{name} differs after the round trip");
    }
}

#[test]
fn export_import_export_is_byte_identical() {
    let env = Env::seeded();
    // Text a spreadsheet would run, quotes, commas, newlines and leading apostrophes.
    for (published, quote) in [
        ("2024-05-01", "=HYPERLINK(\"http://x\")"),
        ("2024-05-02", "'=already guarded"),
        ("2024-05-03", "-minus, \"quoted\"\nand a second line"),
        ("2024-05-04", "@mention\t'tab"),
        ("2024-05-05", "'plain apostrophe"),
    ] {
        env.ok(&Add::forecast("gdp.real.growth", "-0.25", "ubs", published)
            .with(&["--quote", quote, "--note", quote])
            .args());
    }
    let first = export_all(&env, "first");
    let values = std::fs::read_to_string(first.join("values.csv")).unwrap();
    assert!(values.contains("'=HYPERLINK"), "formula must be guarded");
    assert!(values.contains(",-0.25,"), "numbers are not guarded");

    let copy = Env::empty();
    copy.ok(&["import", first.to_str().unwrap()]);
    let second = export_all(&copy, "second");
    assert_same_files(&first, &second);

    let history = copy.ok(&["history", "--indicator", "gdp.real.growth", "--entity", "CN", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&history).unwrap();
    assert!(
        rows.as_array().unwrap().iter().any(|r| r["quote"] == "=HYPERLINK(\"http://x\")"),
        "import undoes the guard"
    );
}

#[test]
fn export_values_as_of_is_a_vintage_snapshot() {
    let env = Env::seeded();
    let all = csv_rows(&env.ok(&["export", "values"])).len();
    let early = env.ok(&["export", "values", "--as-of", "2024-03-05"]);
    let rows = csv_rows(&early);
    assert!(rows.len() < all && rows.len() == 3, "the two targets only:\n{early}");
}

#[test]
fn dry_run_writes_nothing() {
    let env = Env::seeded();
    let before = env.snapshot();
    let file = env.write(
        "new.csv",
        "indicator,entity,period,kind,value,source,published\ngdp.real.growth,CN,2025,forecast,4.5,bloomberg,2025-01-10\n",
    );
    let out = env.ok(&["import", "--dry-run", file.to_str().unwrap()]);
    assert!(out.contains("would import") && out.contains("1 added"), "{out}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_folder_imports_dimensions_before_values() {
    let env = Env::empty();
    let dir = env.path("mine");
    env.write("mine/a_values.csv", "indicator,entity,period,kind,value,source,published,bound\nx.rate,XL,2025-Q1,target,2,gov,2025-01-02,at-most\n");
    env.write("mine/sources.csv", "slug,name\ngov,A Government\n");
    env.write(
        "mine/indicators.csv",
        "code,name,unit,proxy_for\nx.core,Core rate,percent,x.rate\nx.rate,Rate,percent,\n",
    );
    env.write("mine/entities.csv", "code,name\nXL,Exland\n");
    let out = env.ok(&["import", dir.to_str().unwrap()]);
    // Every record of the four files is new: one source, two indicators, one entity, one value.
    for line in [
        "imported 4 file(s): 5 added, 0 unchanged, 0 replaced",
        "  sources: 1 added, 0 unchanged, 0 replaced",
        "  indicators: 2 added, 0 unchanged, 0 replaced",
        "  entities: 1 added, 0 unchanged, 0 replaced",
        "  values: 1 added, 0 unchanged, 0 replaced",
    ] {
        assert!(out.lines().any(|l| l == line), "{line:?} missing from:\n{out}");
    }
    let indicators = env.ok(&["export", "indicators"]);
    assert!(indicators.contains("x.core,Core rate,percent,,,x.rate"), "{indicators}");
}

#[test]
fn import_takes_a_bom_crlf_quoted_fields_and_a_trailing_blank_line() {
    let env = Env::seeded();
    let file = env.path("excel.csv");
    let text = "\u{feff}indicator,entity,period,kind,value,source,published,quote\r\n\
                gdp.real.growth,CN,2025,forecast,4.5,ubs,2025-01-10,\"a, \"\"b\"\"\nc\"\r\n\
                \r\n";
    std::fs::write(&file, text).unwrap();
    let out = env.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("1 added"), "{out}");
    let values = env.ok(&["export", "values"]);
    let rows = rows_where(&values, "published", "2025-01-10");
    assert_eq!(rows.len(), 1, "{values}");
    assert_eq!(rows[0]["indicator"], "gdp.real.growth", "the BOM is not in the header");
    assert_eq!(rows[0]["quote"], "a, \"b\"\nc");
}
