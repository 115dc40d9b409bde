//! `verify`: each value's quote must state it; and `add` warns when a quote does not.

use crate::util::{Add, Env, csv_rows, rows_where};

/// Runs econtrack and returns (success, stdout, stderr), for commands whose output on
/// both streams matters.
fn run(env: &Env, args: &[&str]) -> (bool, String, String) {
    let output = env.cmd().args(args).output().expect("run");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("utf-8");
    (output.status.success(), text(output.stdout), text(output.stderr))
}

/// Adds a 2025 GDP forecast by Bloomberg with the given value, quote and extra flags.
fn add_gdp(env: &Env, published: &str, value: &str, quote: &str, extra: &[&str]) -> String {
    let args = Add::forecast("gdp.real.growth", value, "bloomberg", published)
        .period("2025")
        .with(&["--quote", quote])
        .with(extra)
        .args();
    let (ok, stdout, stderr) = run(env, &args);
    assert!(ok, "add failed:\n{stderr}");
    assert!(stdout.starts_with("added"), "{stdout}");
    stderr
}

#[test]
fn the_built_in_data_passes() {
    let env = Env::seeded();
    let table = env.ok(&["verify"]);
    // The one value without a quote is the 2024 core-CPI outcome (its note says why).
    assert!(table.contains(" 0 failed, 1 without quote"), "{table}");
    let csv = env.ok(&["verify", "--format", "csv"]);
    let rows = csv_rows(&csv);
    assert_eq!(
        rows[0],
        [
            "indicator",
            "entity",
            "period",
            "kind",
            "source",
            "published",
            "value",
            "bound",
            "high",
            "status",
            "found",
            "quote"
        ]
    );
    assert!(rows.len() > 25, "{csv}");
    let byd = rows_where(&csv, "entity", "BYD");
    let subsidy = byd.iter().find(|r| r["value"] == "10400000000").unwrap();
    assert_eq!(subsidy["status"], "confirmed");
    assert_eq!(subsidy["found"], "2022 year (二○二二); 10400000000 CNY exact (人民幣一百零四億元)");
}

#[test]
fn a_quote_that_does_not_carry_the_value_fails_verify() {
    let env = Env::seeded();
    let stderr = add_gdp(&env, "2024-04-01", "4.7", "經濟成長率會落在四.六%", &[]);
    assert!(stderr.contains("warning: the quote does not contain 4.7% exact; found 4.6% exact"), "{stderr}");

    let (ok, stdout, stderr) = run(&env, &["verify"]);
    assert!(!ok, "verify should fail:\n{stdout}");
    assert!(stderr.contains("error: 1 value(s) failed verification"), "{stderr}");
    let failed: Vec<&str> = stdout.lines().filter(|l| l.contains("failed ")).collect();
    assert_eq!(failed.len(), 1, "{stdout}");
    assert!(failed[0].contains("4.7% exact") && failed[0].contains("4.6% exact (四.六%)"), "{stdout}");
    assert!(stdout.contains(" 1 failed, "), "{stdout}");

    let (ok, csv, _) = run(&env, &["verify", "--format", "csv"]);
    assert!(!ok);
    let row = &rows_where(&csv, "period", "2025")[0];
    assert_eq!(row["status"], "failed");
    assert_eq!(row["value"], "4.7");
}

#[test]
fn add_warns_only_when_the_quote_does_not_confirm() {
    let env = Env::seeded();
    let stderr = add_gdp(&env, "2024-04-01", "4.6", "經濟成長率會落在四.六%", &[]);
    assert!(!stderr.contains("warning:"), "{stderr}");
    let loosened = ["--bound", "approx", "--note", "bound = approx: said 左右 on TV"];
    let stderr = add_gdp(&env, "2024-04-02", "4.6", "四.六%", &loosened);
    assert!(!stderr.contains("warning:"), "{stderr}");
    let stderr = add_gdp(&env, "2024-04-03", "4.6", "四.六%", &["--bound", "approx"]);
    assert!(stderr.contains("warning: the quote does not contain 4.6% approx"), "{stderr}");
    let stderr = add_gdp(&env, "2024-04-04", "4.6", "成長率放緩", &[]);
    assert!(stderr.contains("; found no number"), "{stderr}");
}

#[test]
fn a_derived_value_is_listed_as_derived_and_passes() {
    let env = Env::seeded();
    let note = ["--note", "derived: Bloomberg's 4.6% plus the 0.2 pp it expects"];
    let stderr = add_gdp(&env, "2024-04-01", "4.8", "經濟成長率會落在四.六%", &note);
    assert!(!stderr.contains("warning:"), "{stderr}");
    let table = env.ok(&["verify"]);
    let derived: Vec<&str> = table.lines().filter(|l| l.contains("derived ")).collect();
    assert_eq!(derived.len(), 1, "{table}");
    assert!(derived[0].contains("4.8% exact"), "{table}");
    assert!(table.contains(" 1 derived, 0 failed"), "{table}");
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["verify", "--format", "json"])).unwrap();
    let statuses: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["period"] == "2025")
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["derived"]);
}

#[test]
fn values_without_a_quote_are_counted_not_failed() {
    let env = Env::seeded();
    env.ok(&Add::forecast("gdp.real.growth", "4.5", "jpmorgan", "2024-04-01").period("2025").args());
    let table = env.ok(&["verify"]);
    assert!(table.contains(" 0 failed, 2 without quote"), "{table}");
    let csv = env.ok(&["verify", "--format", "csv", "--source", "jpmorgan"]);
    let statuses: Vec<String> = csv_rows(&csv)[1..].iter().map(|r| r[9].clone()).collect();
    assert_eq!(statuses, ["confirmed", "no-quote"], "{csv}");
}

#[test]
fn source_and_document_narrow_the_check() {
    let env = Env::seeded();
    add_gdp(&env, "2024-04-01", "4.7", "四.六%", &[]);
    let csv = env.ok(&["verify", "--format", "csv", "--document", "bw-1896"]);
    assert!(rows_where(&csv, "status", "failed").is_empty(), "{csv}");
    let sources: Vec<String> = csv_rows(&env.ok(&["verify", "--format", "csv", "--source", "financial-times"]))[1..]
        .iter()
        .map(|r| r[4].clone())
        .collect();
    assert_eq!(sources.len(), 3, "{sources:?}");
    assert!(sources.iter().all(|s| s == "financial-times"), "{sources:?}");
    let stderr = env.fails(&["verify", "--source", "blomberg"]);
    assert!(stderr.contains("did you mean \"bloomberg\""), "{stderr}");
    let stderr = env.fails(&["verify", "--document", "bw-1986"]);
    assert!(stderr.contains("unknown document \"bw-1986\""), "{stderr}");
}
