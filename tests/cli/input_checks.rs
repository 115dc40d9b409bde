//! What import and add say about input a new user gets wrong: the line a problem is on,
//! headers of the wrong shape, codes and units outside the rules, implausible values.

use crate::util::Env;

const VALUES_HEADER: &str = "indicator,entity,period,kind,value,source,published";
const GOOD_ROW: &str = "gdp.real.growth,CN,2025,forecast,4.5,ubs,2025-01-10";
const BAD_DECIMAL_ROW: &str = "gdp.real.growth,CN,2025,forecast,4.5.0,ubs,2025-01-11";

/// Imports `bytes` as `name` and returns the first problem line's `file:line:` line number.
fn first_problem_line(env: &Env, name: &str, bytes: &[u8]) -> (u64, String) {
    let path = env.path(name);
    std::fs::write(&path, bytes).unwrap();
    let file = path.to_str().unwrap();
    let stderr = env.fails(&["import", file]);
    let prefix = format!("error: {file}:");
    let first = stderr.lines().next().unwrap_or_default();
    let line = first
        .strip_prefix(&prefix)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no {prefix}N: in:\n{stderr}"));
    (line, stderr)
}

/// Every `file:line:` is the line a text editor shows the row on: LF or CRLF line ends, a
/// BOM, blank lines and quoted cells spanning lines above it make no difference.
#[test]
fn import_problems_name_the_line_an_editor_shows() {
    let env = Env::seeded();
    let before = env.snapshot();
    let quoted_header = format!("{VALUES_HEADER},quote");
    let two_line_quote = "gdp.real.growth,CN,2026,forecast,4.5,ubs,2025-01-10,\"first line\nsecond line\"";
    let bad_quoted = "gdp.real.growth,CN,2025,forecast,4.5.0,ubs,2025-01-11,q";
    let bad_source_row = "GS Research,Goldman Sachs";
    // (what, lines, expected line of the first problem)
    let cases: Vec<(&str, Vec<&str>, u64)> = vec![
        ("bad third line", vec![VALUES_HEADER, GOOD_ROW, BAD_DECIMAL_ROW], 3),
        ("bad first data row", vec![VALUES_HEADER, BAD_DECIMAL_ROW], 2),
        ("short row", vec![VALUES_HEADER, GOOD_ROW, "gdp.real.growth,CN"], 3),
        ("blank line above", vec![VALUES_HEADER, GOOD_ROW, "", BAD_DECIMAL_ROW], 4),
        ("two-line cell above", vec![&quoted_header, two_line_quote, bad_quoted], 4),
        ("bad sources row", vec!["slug,name", "gs,Goldman Sachs", bad_source_row], 3),
    ];
    for (what, lines, expected) in cases {
        for (ending, bom) in [("\n", ""), ("\r\n", ""), ("\r\n", "\u{feff}"), ("\n", "\u{feff}")] {
            // A line break inside a quoted cell is written the way the rest of the file is.
            let text =
                format!("{bom}{}{ending}", lines.join(ending).replace("first line\n", &format!("first line{ending}")));
            let (line, stderr) = first_problem_line(&env, "lines.csv", text.as_bytes());
            assert_eq!(line, expected, "{what} with {ending:?} line ends, BOM {:?}:\n{stderr}", !bom.is_empty());
        }
    }
    // Not valid UTF-8 on the third line of a CRLF file.
    let mut latin1 = b"slug,name\r\ngs,Goldman Sachs\r\n".to_vec();
    latin1.extend_from_slice(b"bad,\xe9t\xe9\r\n");
    assert_eq!(first_problem_line(&env, "latin1.csv", &latin1).0, 3);
    assert_eq!(env.snapshot(), before);
}

/// The `file:line` of every problem line, in the order printed.
fn problem_lines(stderr: &str) -> Vec<(String, u64)> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .filter_map(|l| {
            let mut parts = l.splitn(3, ':');
            let (file, line) = (parts.next()?, parts.next()?);
            Some((file.rsplit('/').next()?.to_string(), line.parse().ok()?))
        })
        .collect()
}

/// Problems found while writing (a conflict with a stored value, an undefined proxy) are
/// printed among those found while reading, each file's in line order.
#[test]
fn import_problems_print_in_line_order() {
    let env = Env::seeded();
    let before = env.snapshot();
    let values = env.write(
        "values.csv",
        &format!(
            "{VALUES_HEADER}\n\
             gdp.real.growth,CN,2024,forecast,4.7,bloomberg,2024-03-13\n\
             {BAD_DECIMAL_ROW}\n\
             gdp.real.growth,XX,2025,forecast,4.4,ubs,2025-01-12\n\
             gdp.real.growth,CN,2024,forecast,4.7,bloomberg,2024-03-13\n"
        ),
    );
    let indicators = env.write(
        "indicators.csv",
        "code,name,unit,proxy_for\n\
         cpi.core.alt,Alternative core CPI,percent,cpi.undefined\n\
         bad code,Bad,percent,\n",
    );
    let stderr = env.fails(&["import", values.to_str().unwrap(), indicators.to_str().unwrap()]);
    let lines = problem_lines(&stderr);
    let expected: Vec<(String, u64)> = [("indicators.csv", 2), ("indicators.csv", 3)]
        .into_iter()
        .chain([2, 3, 4, 5].map(|line| ("values.csv", line)))
        .map(|(file, line)| (file.to_string(), line))
        .collect();
    assert_eq!(lines, expected, "{stderr}");
    assert_eq!(env.snapshot(), before);
}

/// A header that is a known one written differently is named as such, in one line, not
/// listed as a dozen unknown columns.
#[test]
fn misshapen_headers_are_named_with_the_fix() {
    let env = Env::seeded();
    let before = env.snapshot();
    let row = "gdp.real.growth,CN,2025,forecast,4.5,ubs,2025-01-10";
    let cases = [
        ("capitals.csv", format!("{}\n{row}\n", VALUES_HEADER.to_uppercase()), "in capitals"),
        (
            "semicolons.csv",
            format!("{}\n{}\n", VALUES_HEADER.replace(',', ";"), row.replace(',', ";")),
            "separated by semicolons",
        ),
        (
            "tabs.tsv",
            format!("{}\n{}\n", VALUES_HEADER.replace(',', "\t"), row.replace(',', "\t")),
            "separated by tabs",
        ),
        ("spaces.csv", format!("{}\n{row}\n", VALUES_HEADER.replace(',', ", ")), "have spaces around them"),
    ];
    for (name, text, needle) in cases {
        let path = env.write(name, &text);
        let file = path.to_str().unwrap();
        let stderr = env.fails(&["import", file]);
        let first = stderr.lines().next().unwrap_or_default();
        assert!(first.starts_with(&format!("error: {file}:1: ")) && first.contains(needle), "{needle}:\n{stderr}");
        assert!(!stderr.contains("unknown column"), "{stderr}");
        assert_eq!(stderr.lines().count(), 2, "{stderr}");
    }
    assert_eq!(env.snapshot(), before);
}

/// `add` and import refuse a new code outside the grammar its help text gives, with the
/// rule and the code corrected.
#[test]
fn new_codes_follow_the_rules_the_help_gives() {
    let env = Env::seeded();
    let before = env.snapshot();
    let cases: [(&[&str], &str); 3] = [
        (&["source", "add", "GS", "--name", "Goldman Sachs"], "bad source slug \"GS\": a source slug is lowercase"),
        (&["entity", "add", "china", "--name", "China"], "bad entity code \"china\": an entity code is uppercase"),
        (
            &["indicator", "add", "PPI.YoY", "--name", "PPI", "--unit", "percent"],
            "bad indicator code \"PPI.YoY\": an indicator code is dotted lowercase",
        ),
    ];
    for (args, needle) in cases {
        let stderr = env.fails(args);
        assert!(stderr.starts_with(&format!("error: {needle}")), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    assert!(env.fails(cases[0].0).contains("(\"GS\" → \"gs\")"));
    assert!(env.fails(cases[1].0).contains("(\"china\" → \"CHINA\")"));
    assert!(env.fails(cases[2].0).contains("(\"PPI.YoY\" → \"ppi.yoy\")"));
    for (name, text, needle) in [
        ("sources.csv", "slug,name\ngs,Goldman Sachs\nMS,Morgan Stanley\n", "bad source slug \"MS\""),
        ("entities.csv", "code,name\nJP,Japan\neu,European Union\n", "bad entity code \"eu\""),
        ("indicators.csv", "code,name,unit\nppi.yoy,PPI,percent\nPMI,PMI,index\n", "bad indicator code \"PMI\""),
    ] {
        let path = env.write(name, text);
        let file = path.to_str().unwrap();
        let stderr = env.fails(&["import", file]);
        assert!(stderr.starts_with(&format!("error: {file}:3: {needle}")), "{stderr}");
    }
    assert_eq!(env.snapshot(), before);
    env.ok(&["source", "add", "gs", "--name", "Goldman Sachs"]);
    env.ok(&["entity", "add", "EU", "--name", "European Union", "--kind", "region"]);
}

/// A code stored before econtrack checked the grammar can still be defined again and used.
#[test]
fn codes_stored_before_the_rules_stay_usable() {
    let env = Env::seeded();
    crate::util::raw_sql(&env.db, "INSERT INTO sources (slug, name) VALUES ('GS', 'Goldman Sachs')");
    let out = env.ok(&["source", "add", "GS", "--name", "Goldman Sachs"]);
    assert!(out.starts_with("unchanged"), "{out}");
    env.ok(&crate::util::Add::forecast("gdp.real.growth", "4.5", "GS", "2024-05-01").args());
    let file = env.write(
        "gs.csv",
        "indicator,entity,period,kind,value,source,published\ngdp.real.growth,CN,2025,forecast,4.5,GS,2025-01-10\n",
    );
    env.ok(&["import", file.to_str().unwrap()]);
}

/// A unit is one of a known list; free text that `gaps` and `verify` would misread is
/// refused on add and import, with the choices and a guess.
#[test]
fn units_outside_the_list_are_refused() {
    let env = Env::seeded();
    let before = env.snapshot();
    let stderr = env.fails(&["indicator", "add", "ppi.yoy", "--name", "PPI", "--unit", "percentage"]);
    assert!(
        stderr.starts_with("error: bad unit \"percentage\": use percent, ratio, pp, count, index")
            && stderr.contains("ISO 4217")
            && stderr.trim_end().ends_with("(did you mean \"percent\"?)"),
        "{stderr}"
    );
    let stderr = env.fails(&["indicator", "add", "fdi.inflow", "--name", "FDI", "--unit", "usd bn"]);
    assert!(stderr.contains("(did you mean \"USD billion\"?)"), "{stderr}");
    let file = env.write("indicators.csv", "code,name,unit\nppi.yoy,PPI,percent\nfdi.inflow,FDI,dollars\n");
    let stderr = env.fails(&["import", file.to_str().unwrap()]);
    let expected = format!("error: {}:3: bad unit \"dollars\"", file.display());
    assert!(stderr.starts_with(&expected) && stderr.contains("(did you mean \"USD\"?)"), "{stderr}");
    assert_eq!(env.snapshot(), before);
}

/// Every listed unit works through gaps and verify; a scaled currency stores values in
/// its scale, and verify reads a quote's amount in it.
#[test]
fn listed_units_work_in_gaps_and_verify() {
    let env = Env::seeded();
    env.ok(&["indicator", "add", "fdi.inflow", "--name", "FDI inflow", "--unit", "USD billion"]);
    let add = |kind: &'static str, value: &'static str, published: &'static str, quote: &'static str| {
        env.ok(&crate::util::Add::of(kind, "fdi.inflow", value, "ubs", published).with(&["--quote", quote]).args());
    };
    add("target", "300", "2024-03-01", "三千億美元");
    add("forecast", "280", "2024-04-01", "兩千八百億美元");
    let gaps = env.ok(&["gaps", "--indicator", "fdi.inflow", "--format", "csv"]);
    assert!(gaps.lines().any(|l| l.contains(",USD billion,") && l.ends_with(",-20,USD billion,-6.67")), "{gaps}");
    let verify = env.ok(&["verify", "--source", "ubs", "--format", "csv"]);
    let fdi: Vec<&str> = verify.lines().filter(|l| l.starts_with("fdi.inflow")).collect();
    assert!(fdi.len() == 2 && fdi.iter().all(|l| l.contains(",confirmed,")), "{verify}");
}

/// An indicator stored with a unit from before the list can still be defined again and used.
#[test]
fn units_stored_before_the_list_stay_usable() {
    let env = Env::seeded();
    crate::util::raw_sql(&env.db, "INSERT INTO indicators (code, name, unit) VALUES ('ppi.yoy', 'PPI', 'percentage')");
    let out = env.ok(&["indicator", "add", "ppi.yoy", "--name", "PPI", "--unit", "percentage"]);
    assert!(out.starts_with("unchanged"), "{out}");
    let file = env.write("indicators.csv", "code,name,unit\nppi.yoy,PPI,percentage\n");
    env.ok(&["import", file.to_str().unwrap()]);
    let stderr = env.fails(&["indicator", "add", "ppi.yoy", "--name", "PPI", "--unit", "percentag", "--replace"]);
    assert!(stderr.contains("bad unit \"percentag\""), "{stderr}");
}

/// A definition that differs from the stored one names each field that differs, with both
/// values, on add and on import.
#[test]
fn a_conflicting_definition_names_the_fields_that_differ() {
    let env = Env::seeded();
    env.ok(&["source", "add", "imf", "--name", "International Monetary Fund", "--kind", "international-org"]);
    env.ok(&["document", "add", "imf-weo-2024-04", "--title", "World Economic Outlook", "--published", "2024-04-16"]);
    let before = env.snapshot();
    let cases: [(&[&str], &str); 4] = [
        (
            &["source", "add", "imf", "--name", "IMF", "--kind", "international-org"],
            "source \"imf\" is already defined differently: name: \"International Monetary Fund\" stored, \"IMF\" given; use --replace",
        ),
        (
            &["indicator", "add", "gdp.real.growth", "--name", "Real GDP growth", "--unit", "ratio"],
            "unit: \"percent\" stored, \"ratio\" given",
        ),
        (&["entity", "add", "CN", "--name", "China", "--kind", "region"], "kind: \"country\" stored, \"region\" given"),
        (
            &["document", "add", "imf-weo-2024-04", "--title", "World Economic Outlook"],
            "published: \"2024-04-16\" stored, none given",
        ),
    ];
    for (args, needle) in cases {
        let stderr = env.fails(args);
        assert!(stderr.starts_with("error: ") && stderr.contains(needle), "{needle}:\n{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    let file = env.write("sources.csv", "slug,name,kind\nimf,IMF,international-org\n");
    let stderr = env.fails(&["import", file.to_str().unwrap()]);
    let expected = format!(
        "{}:2: source \"imf\" is already defined differently: name: \"International Monetary Fund\" stored, \"IMF\" given",
        file.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert_eq!(env.snapshot(), before);
}

/// A value far off its series, or published in the future, is stored with a warning; a
/// date that cannot be true is refused.
#[test]
fn add_warns_on_implausible_values_and_refuses_impossible_dates() {
    use crate::util::Add;
    let env = Env::seeded();
    let output =
        env.cmd().args(Add::forecast("gdp.real.growth", "0.045", "ubs", "2024-05-01").args()).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "warning: value 0.045 is at least 100 times smaller than the median 5 of the 3 stored value(s)"
        ),
        "{stderr}"
    );
    let output = env.cmd().args(Add::forecast("gdp.real.growth", "4.4", "ubs", "2999-01-01").args()).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("warning: published 2999-01-01 is in the future"), "{stderr}");
    let output = env.cmd().args(Add::forecast("gdp.real.growth", "4.4", "ubs", "2024-06-01").args()).output().unwrap();
    assert!(output.status.success() && output.stderr.is_empty(), "{output:?}");

    let before = env.snapshot();
    let stderr = env.fails(&Add::forecast("gdp.real.growth", "4.4", "ubs", "1899-12-31").args());
    assert!(stderr.starts_with("error: published 1899-12-31 is before 1900-01-01"), "{stderr}");
    let stderr = env.fails(&Add::of("actual", "gdp.real.growth", "4.4", "cn-nbs", "2024-06-01").period("2025").args());
    assert!(stderr.starts_with("error: an actual for 2025 cannot be published on 2024-06-01"), "{stderr}");
    let stderr = env.fails(&["document", "add", "old", "--title", "Old", "--published", "1850-01-01"]);
    assert!(stderr.contains("before 1900-01-01"), "{stderr}");
    assert_eq!(env.snapshot(), before);
}

/// Import stores implausible rows with one warning each, up to a limit, then a count;
/// a row with an impossible date rejects the import.
#[test]
fn import_summarises_warnings_and_refuses_impossible_dates() {
    let env = Env::seeded();
    let mut text = format!("{VALUES_HEADER}\ngdp.real.growth,CN,2029,forecast,4.4,ubs,2999-06-01\n");
    for year in 2030..2060 {
        text.push_str(&format!("gdp.real.growth,CN,{year},forecast,0.04,ubs,2024-06-01\n"));
    }
    let file = env.write("odd.csv", &text);
    let name = file.to_str().unwrap();
    let output = env.cmd().args(["import", name]).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(warnings.len(), 21, "{stderr}");
    assert!(warnings[0].starts_with(&format!("warning: {name}:2: published 2999-06-01 is in the future")), "{stderr}");
    assert!(
        warnings[1].starts_with(&format!("warning: {name}:3: value 0.04 is at least 100 times smaller")),
        "{stderr}"
    );
    assert!(warnings[19].starts_with(&format!("warning: {name}:21: ")), "{stderr}");
    assert!(warnings[20].contains("31 row(s) in all look implausible"), "{stderr}");

    let before = env.snapshot();
    let file = env.write(
        "old.csv",
        &format!("{VALUES_HEADER}\n{GOOD_ROW}\ngdp.real.growth,CN,1850,forecast,4.4,ubs,1850-06-01\n"),
    );
    let name = file.to_str().unwrap();
    let stderr = env.fails(&["import", name]);
    assert!(stderr.starts_with(&format!("error: {name}:3: published 1850-06-01 is before 1900-01-01")), "{stderr}");
    assert_eq!(env.snapshot(), before);
}
