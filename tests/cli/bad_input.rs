//! Bad input: one clear line, a non-zero exit, and the database unchanged.

use crate::util::{Add, Env};

/// Bloomberg's 2024 GDP forecast for CN, published 2024-05-01, with `value`.
fn forecast(value: &str) -> Add<'_> {
    Add::forecast("gdp.real.growth", value, "bloomberg", "2024-05-01")
}

fn add_with<'a>(env: &Env, value: &'a str, extra: &[&'a str]) -> String {
    env.fails(&forecast(value).with(extra).args())
}

/// The error is one line that starts with "error:" (clap's usage errors add a usage hint).
fn assert_one_error_line(stderr: &str, needle: &str) {
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error:") && first.contains(needle),
        "expected an error line with {needle:?}, got:\n{stderr}"
    );
}

#[test]
fn malformed_decimals_are_rejected_not_guessed() {
    let env = Env::seeded();
    let before = env.snapshot();
    for bad in ["4,6", "abc", "1e5", "4.6%", ".5", "+4"] {
        let stderr = add_with(&env, bad, &[]);
        assert_one_error_line(&stderr, &format!("bad decimal \"{bad}\""));
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn malformed_periods_and_dates_are_rejected() {
    let env = Env::seeded();
    let before = env.snapshot();
    let args = [
        "add",
        "forecast",
        "--indicator",
        "gdp.real.growth",
        "--entity",
        "CN",
        "--value",
        "4.7",
        "--source",
        "bloomberg",
    ];
    for (period, published, needle) in [
        ("2024-13", "2024-05-01", "bad period \"2024-13\""),
        ("2024-Q5", "2024-05-01", "bad period \"2024-Q5\""),
        ("24", "2024-05-01", "bad period \"24\""),
        ("2024", "2024-5-1", "bad date \"2024-5-1\""),
        ("2024", "2024-02-30", "bad date \"2024-02-30\""),
        ("2024", "01/05/2024", "bad date \"01/05/2024\""),
    ] {
        let mut all = args.to_vec();
        all.extend(["--period", period, "--published", published]);
        assert_one_error_line(&env.fails(&all), needle);
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn unknown_codes_suggest_the_nearest() {
    let env = Env::seeded();
    let before = env.snapshot();
    let stderr = env.fails(&Add::forecast("gdp.real.growth", "4.7", "blomberg", "2024-05-01").args());
    assert_one_error_line(&stderr, "unknown source \"blomberg\" (did you mean \"bloomberg\"?)");
    let stderr = env.fails(&Add::forecast("gdp.growth", "4.7", "bloomberg", "2024-05-01").args());
    assert_one_error_line(&stderr, "unknown indicator \"gdp.growth\"");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_different_value_under_the_same_key_names_both() {
    let env = Env::seeded();
    env.ok(&forecast("4.7").args());
    let before = env.snapshot();
    let stderr = add_with(&env, "4.8", &[]);
    assert_one_error_line(&stderr, "already stored as 4.7, not 4.8");
    assert!(stderr.contains("--replace"), "{stderr}");
    assert_eq!(env.snapshot(), before);

    let replaced = env.ok(&forecast("4.8").with(&["--replace"]).args());
    assert!(replaced.contains("value 4.7 → 4.8"), "{replaced}");
}

#[test]
fn adding_the_same_value_twice_changes_nothing() {
    let env = Env::seeded();
    let args = forecast("4.70").args();
    env.ok(&args);
    let before = env.snapshot();
    let again = env.ok(&args);
    assert!(again.starts_with("unchanged"), "{again}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_bad_range_is_refused() {
    let env = Env::seeded();
    let stderr = add_with(&env, "5", &["--bound", "range"]);
    assert_one_error_line(&stderr, "a range needs a high value");
    let stderr = add_with(&env, "5", &["--bound", "range", "--high", "4"]);
    assert_one_error_line(&stderr, "must be greater than");
    let stderr = add_with(&env, "5", &["--high", "6"]);
    assert_one_error_line(&stderr, "only a range has a high value");
    let stderr = add_with(&env, "5", &["--bound", "about"]);
    assert_one_error_line(&stderr, "bad bound \"about\"");
}

#[test]
fn import_reports_every_bad_row_and_imports_nothing() {
    let env = Env::seeded();
    let before = env.snapshot();
    let file = env.write(
        "bad.csv",
        "indicator,entity,period,kind,value,source,published\n\
         gdp.real.growth,CN,2025,forecast,4.5,bloomberg,2025-01-10\n\
         gdp.real.growth,CN,2025,forecast,4,6,jpmorgan,2025-01-10\n\
         gdp.real.growth,CN,2025-13,forecast,4.5,ubs,2025-01-10\n\
         gdp.real.growth,CN,2025,forecast,1e5,ubs,2025-01-11\n\
         gdp.real.growth,XX,2025,forecast,4.4,ubs,2025-01-12\n\
         gdp.real.growth,CN,2025,guess,4.4,ubs,2025-01-12\n\
         gdp.real.growth,CN,2025,forecast,4.2,ubs,12/01/2025\n",
    );
    let name = file.display().to_string();
    let stderr = env.fails(&["import", &name]);
    for (line, needle) in [
        (3, "row has 8 field(s) but the header has 7"),
        (4, "bad period \"2025-13\""),
        (5, "bad decimal \"1e5\""),
        (6, "unknown entity \"XX\""),
        (7, "bad kind \"guess\""),
        (8, "bad date \"12/01/2025\""),
    ] {
        let expected = format!("error: {name}:{line}: ");
        assert!(
            stderr.lines().any(|l| l.starts_with(&expected) && l.contains(needle)),
            "missing {expected}…{needle} in:\n{stderr}"
        );
    }
    assert!(stderr.contains("6 bad row(s); nothing was imported"), "{stderr}");
    assert_eq!(env.snapshot(), before, "the good first row must not have landed either");
}

const VALUES_HEADER: &str = "indicator,entity,period,kind,value,source,published";

/// The import failed with one problem line, `file:line: …needle…`, and the summary.
fn assert_rejected_at(stderr: &str, file: &str, line: u64, needle: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    let prefix = format!("error: {file}:{line}: ");
    assert!(
        lines.len() == 2
            && lines[0].starts_with(&prefix)
            && lines[0].contains(needle)
            && lines[1].ends_with("nothing was imported"),
        "expected {prefix}…{needle} and the summary, got:\n{stderr}"
    );
}

#[test]
fn import_rejects_malformed_files() {
    let env = Env::seeded();
    let before = env.snapshot();
    let one_mib_quote =
        format!("{VALUES_HEADER},quote\ngdp.real.growth,CN,2025,forecast,4.5,ubs,2025-01-10,{}\n", "x".repeat(1 << 20));
    let cases: [(&str, Vec<u8>, u64, &str); 8] = [
        ("empty.csv", b"".to_vec(), 1, "empty file"),
        ("unknown.csv", b"colour,size\nred,1\n".to_vec(), 1, "header looks like"),
        ("dup.csv", b"slug,name,name\nx,y,z\n".to_vec(), 1, "appears twice"),
        (
            "missing_column.csv",
            b"indicator,entity,period,kind,value,source\ngdp.real.growth,CN,2025,forecast,4.5,ubs\n".to_vec(),
            1,
            "missing column(s) published",
        ),
        ("extra_column.csv", b"slug,name,colour\nx,y,red\n".to_vec(), 1, "unknown column(s) colour"),
        (
            "short.csv",
            format!("{VALUES_HEADER}\ngdp.real.growth,CN\n").into_bytes(),
            2,
            "row has 2 field(s) but the header has 7",
        ),
        ("latin1.csv", b"slug,name\nbad,\xe9t\xe9\n".to_vec(), 2, "not valid UTF-8"),
        (
            "huge.csv",
            one_mib_quote.into_bytes(),
            2,
            "column quote is 1048576 bytes; a cell holds at most 65536 bytes (64 KiB)",
        ),
    ];
    for (name, bytes, line, needle) in cases {
        let path = env.path(name);
        std::fs::write(&path, bytes).unwrap();
        let file = path.to_str().unwrap();
        assert_rejected_at(&env.fails(&["import", file]), file, line, needle);
    }
    let stderr = env.fails(&["import", env.path("missing.csv").to_str().unwrap()]);
    assert!(stderr.contains("cannot read"), "{stderr}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn add_refuses_text_that_would_not_import_again() {
    let env = Env::seeded();
    let before = env.snapshot();
    let quote = "x".repeat(econtrack::parsers::MAX_CELL_BYTES + 1);
    let stderr = add_with(&env, "4.5", &["--quote", &quote]);
    assert_one_error_line(&stderr, "quote is 65537 bytes; a cell holds at most 65536 bytes");
    assert_eq!(stderr.lines().count(), 1, "{}", &stderr[..200]);
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_conflicting_import_row_names_both_values() {
    let env = Env::seeded();
    let file = env.write(
        "conflict.csv",
        "indicator,entity,period,kind,value,source,published\ngdp.real.growth,CN,2024,forecast,4.7,bloomberg,2024-03-13\n",
    );
    let stderr = env.fails(&["import", file.to_str().unwrap()]);
    assert!(stderr.contains("already stored as 4.6, not 4.7"), "{stderr}");
    env.ok(&["import", "--replace", file.to_str().unwrap()]);
    let csv = env.ok(&["gaps", "--format", "csv", "--indicator", "gdp.real.growth"]);
    assert!(csv.contains(",4.7,"), "{csv}");
}

#[test]
fn a_mistyped_filter_code_is_an_error_with_a_suggestion_not_an_empty_answer() {
    let env = Env::seeded();
    for (args, needle) in [
        (&["gaps", "--indicator", "gdp"][..], "unknown indicator \"gdp\" (did you mean \"gdp.real.growth\"?)"),
        (&["gaps", "--entity", "XX"][..], "unknown entity \"XX\""),
        (&["gaps", "--entity", "China"][..], "unknown entity \"China\" (did you mean \"CN\"?)"),
        (
            &["consensus", "--indicator", "cpi"][..],
            "unknown indicator \"cpi\" (did you mean \"cpi.core.yoy\" or \"cpi.yoy\"?)",
        ),
        (&["score", "--entity", "cn"][..], "unknown entity \"cn\" (did you mean \"CN\"?)"),
        (&["history", "--indicator", "gdp", "--entity", "CN"][..], "unknown indicator \"gdp\""),
        (&["verify", "--source", "彭博"][..], "unknown source \"彭博\" (did you mean \"bloomberg\"?)"),
        (&["gaps", "--source", "Bloomberg"][..], "unknown source \"Bloomberg\" (did you mean \"bloomberg\"?)"),
        (&["score", "--source", "jp"][..], "unknown source \"jp\""),
        (&["values", "--document", "bw1896"][..], "unknown document \"bw1896\" (did you mean \"bw-1896\"?)"),
        (&["export", "values", "--entity", "china"][..], "unknown entity \"china\" (did you mean \"CN\"?)"),
    ] {
        let stderr = env.fails(args);
        assert_one_error_line(&stderr, needle);
        assert!(stderr.contains("list` shows them"), "says how to list the codes: {stderr}");
    }
}
