//! Correcting what is stored: `--replace` keeps the provenance it is not told to change,
//! `--dry-run` says what would change, and `retract` withdraws a value without losing it.

use crate::util::{Add, Env, raw_strings, rows_where};

fn quoted_forecast() -> Add<'static> {
    Add::forecast("gdp.real.growth", "4.5", "bloomberg", "2024-06-01").with(&[
        "--document",
        "bw-1896",
        "--quote",
        "growth of 4.5%",
        "--note",
        "read from the chart",
    ])
}

fn stored_row(env: &Env) -> std::collections::HashMap<String, String> {
    let values = env.ok(&["export", "values"]);
    let rows = rows_where(&values, "published", "2024-06-01");
    assert_eq!(rows.len(), 1, "{values}");
    rows.into_iter().next().unwrap()
}

#[test]
fn a_replacement_without_a_quote_keeps_the_stored_provenance() {
    let env = Env::seeded();
    env.ok(&quoted_forecast().args());
    let said = env.ok(&Add::forecast("gdp.real.growth", "4.4", "bloomberg", "2024-06-01").with(&["--replace"]).args());
    assert!(said.contains("value 4.5 → 4.4; document, quote, note kept"), "{said}");
    let row = stored_row(&env);
    assert_eq!(row["value"], "4.4");
    assert_eq!(row["quote"], "growth of 4.5%");
    assert_eq!(row["note"], "read from the chart");
    assert_eq!(row["document"], "bw-1896");

    let said = env
        .ok(&Add::forecast("gdp.real.growth", "4.4", "bloomberg", "2024-06-01").with(&["--replace", "--clear"]).args());
    assert!(said.contains("quote cleared") && said.contains("note cleared"), "{said}");
    let row = stored_row(&env);
    assert_eq!((row["quote"].as_str(), row["note"].as_str(), row["document"].as_str()), ("", "", ""));
}

#[test]
fn a_minimal_row_with_the_same_value_is_unchanged_not_a_conflict() {
    let env = Env::seeded();
    env.ok(&quoted_forecast().args());
    let before = env.snapshot();
    let said = env.ok(&Add::forecast("gdp.real.growth", "4.5", "bloomberg", "2024-06-01").args());
    assert!(said.starts_with("unchanged"), "{said}");
    assert_eq!(env.snapshot(), before);
}

const MINIMAL_HEADER: &str = "indicator,entity,period,kind,value,source,published\n";

#[test]
fn an_import_replacement_keeps_what_its_file_leaves_out_and_clears_only_when_asked() {
    let env = Env::seeded();
    env.ok(&quoted_forecast().args());
    let minimal = env
        .write("minimal.csv", &format!("{MINIMAL_HEADER}gdp.real.growth,CN,2024,forecast,4.4,bloomberg,2024-06-01\n"));
    let said = env.ok(&["import", "--replace", minimal.to_str().unwrap()]);
    assert!(said.contains("minimal.csv:2: replaced forecast gdp.real.growth CN 2024 = 4.4"), "{said}");
    assert!(said.contains("value 4.5 → 4.4; document, quote, note kept"), "{said}");
    assert_eq!(stored_row(&env)["quote"], "growth of 4.5%");

    // An empty quote cell keeps the quote, unless --clear-empty; an absent column always keeps.
    let empty_quote = env.write(
        "empty-quote.csv",
        "indicator,entity,period,kind,value,source,published,quote\ngdp.real.growth,CN,2024,forecast,4.3,bloomberg,2024-06-01,\n",
    );
    env.ok(&["import", "--replace", empty_quote.to_str().unwrap()]);
    assert_eq!(stored_row(&env)["quote"], "growth of 4.5%");
    let said = env.ok(&["import", "--replace", "--clear-empty", empty_quote.to_str().unwrap()]);
    assert!(said.contains("quote cleared") && said.contains("note kept"), "{said}");
    let row = stored_row(&env);
    assert_eq!((row["quote"].as_str(), row["note"].as_str()), ("", "read from the chart"));
}

#[test]
fn a_dry_run_lists_what_it_would_add_and_replace_and_changes_nothing() {
    let env = Env::seeded();
    env.ok(&quoted_forecast().args());
    let before = env.snapshot();
    let file = env.write(
        "draft.csv",
        &format!(
            "{MINIMAL_HEADER}gdp.real.growth,CN,2024,forecast,4.4,bloomberg,2024-06-01\n\
             gdp.real.growth,CN,2025,forecast,4.5,bloomberg,2024-06-01\n\
             gdp.real.growth,CN,2024,forecast,4.6,bloomberg,2024-03-13\n"
        ),
    );
    let said = env.ok(&["import", "--dry-run", "--replace", file.to_str().unwrap()]);
    assert!(said.contains("draft.csv:2: would replace forecast gdp.real.growth CN 2024 = 4.4"), "{said}");
    assert!(said.contains("value 4.5 → 4.4"), "{said}");
    assert!(said.contains("draft.csv:3: would add forecast gdp.real.growth CN 2025 = 4.5"), "{said}");
    assert!(!said.contains("draft.csv:4"), "an unchanged row is not a change: {said}");
    assert!(said.contains("1 added, 1 unchanged, 1 replaced"), "{said}");
    assert_eq!(env.snapshot(), before);
}

fn retract_args<'a>(published: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "retract",
        "forecast",
        "--indicator",
        "gdp.real.growth",
        "--entity",
        "CN",
        "--period",
        "2024",
        "--source",
        "bloomberg",
        "--published",
        published,
        "--reason",
        "entered under the wrong period",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn a_retracted_value_is_gone_from_today_but_visible_as_of_before_and_in_history() {
    let env = Env::seeded();
    let said = env.ok(&retract_args("2024-03-13", &["--on", "2024-06-01"]));
    assert!(said.contains("retracted forecast gdp.real.growth CN 2024 by bloomberg"), "{said}");

    let gaps_now = env.ok(&["gaps", "--indicator", "gdp.real.growth", "--format", "csv"]);
    assert!(!gaps_now.contains("bloomberg"), "{gaps_now}");
    let gaps_before = env.ok(&["gaps", "--indicator", "gdp.real.growth", "--as-of", "2024-05-31", "--format", "csv"]);
    assert!(gaps_before.contains("bloomberg,4.6"), "{gaps_before}");
    let score = env.ok(&["score", "--format", "csv"]);
    assert!(!score.contains("bloomberg"), "{score}");

    let history = env.ok(&["history", "--indicator", "gdp.real.growth", "--entity", "CN"]);
    assert!(history.contains("4.6 (retracted 2024-06-01)"), "{history}");
    let values = env.ok(&["export", "values"]);
    let row = &rows_where(&values, "source", "bloomberg")[0];
    assert_eq!(
        (row["retracted"].as_str(), row["retraction_note"].as_str()),
        ("2024-06-01", "entered under the wrong period")
    );
    let snapshot = env.ok(&["export", "values", "--as-of", "2024-05-31"]);
    assert_eq!(rows_where(&snapshot, "source", "bloomberg")[0]["retracted"], "", "not yet retracted then");

    // The retraction itself survives export → import.
    let copy = Env::empty();
    let folder = env.path("all");
    env.ok(&["export", "all", "--output", folder.to_str().unwrap()]);
    copy.ok(&["import", folder.to_str().unwrap()]);
    assert_eq!(copy.ok(&["export", "values"]), values);
}

#[test]
fn retracting_twice_or_what_is_not_stored_is_refused() {
    let env = Env::seeded();
    env.ok(&retract_args("2024-03-13", &[]));
    let before = env.snapshot();
    let err = env.fails(&retract_args("2024-03-13", &[]));
    assert!(err.contains("was already retracted on"), "{err}");
    let err = env.fails(&retract_args("2024-03-14", &[]));
    assert!(err.contains("no forecast gdp.real.growth CN 2024 by bloomberg, published 2024-03-14 is stored"), "{err}");
    let err = env.fails(&retract_args("2024-03-13", &["--on", "2024-01-01"]));
    assert!(err.contains("cannot be retracted before it was published"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn the_views_show_codes_periods_and_dates_as_text() {
    let env = Env::seeded();
    env.ok(&Add::forecast("gdp.real.growth", "4.8", "bloomberg", "2024-04-02").period("2024-Q2").args());
    env.ok(&Add::forecast("gdp.real.growth", "4.9", "bloomberg", "2024-04-02").period("2024-03").args());
    env.ok(&Add::forecast("gdp.real.growth", "4.7", "bloomberg", "2024-04-02").period("2024-03-11").args());
    let rows = raw_strings(
        &env.db,
        "SELECT indicator || ' ' || entity || ' ' || period || ' ' || kind || ' ' || value || ' ' || source || ' ' || published
         FROM values_view WHERE indicator = 'gdp.real.growth' AND source = 'bloomberg' ORDER BY published, period",
    );
    assert_eq!(
        rows,
        [
            "gdp.real.growth CN 2024 forecast 4.6 bloomberg 2024-03-13",
            "gdp.real.growth CN 2024-03 forecast 4.9 bloomberg 2024-04-02",
            "gdp.real.growth CN 2024-03-11 forecast 4.7 bloomberg 2024-04-02",
            "gdp.real.growth CN 2024-Q2 forecast 4.8 bloomberg 2024-04-02",
        ]
    );
    let proxies =
        raw_strings(&env.db, "SELECT code || ' → ' || proxy_for FROM indicators_view WHERE proxy_for IS NOT NULL");
    assert_eq!(proxies, ["cpi.core.yoy → cpi.yoy"]);
}

#[test]
fn only_a_dimension_record_nothing_uses_can_be_removed() {
    let env = Env::seeded();
    env.ok(&["source", "add", "nomura", "--name", "Nomura"]);
    let said = env.ok(&["remove", "source", "nomura"]);
    assert!(said.contains("removed source \"nomura\""), "{said}");
    assert!(!env.ok(&["source", "list", "--format", "csv"]).contains("nomura,"));

    let before = env.snapshot();
    let err = env.fails(&["remove", "source", "bloomberg"]);
    assert!(err.contains("source \"bloomberg\" is still used by"), "{err}");
    let err = env.fails(&["remove", "indicator", "cpi.yoy"]);
    assert!(err.contains("indicator(s) that are its proxies"), "{err}");
    // A retracted value still holds on to its source.
    env.ok(&retract_args("2024-03-13", &[]));
    let before_retracted = env.snapshot();
    assert!(env.fails(&["remove", "source", "bloomberg"]).contains("retracted ones included"));
    assert_eq!(env.snapshot(), before_retracted);
    assert_ne!(before, before_retracted);
    let err = env.fails(&["remove", "entity", "XX"]);
    assert!(err.contains("unknown entity \"XX\""), "{err}");
}

/// `rows` forecasts under built-in codes, one per period from 1001 on, with `value(i)`.
fn many_forecasts(env: &Env, name: &str, rows: std::ops::Range<usize>, value: impl Fn(usize) -> String) -> String {
    let mut text = String::from(MINIMAL_HEADER);
    for i in rows {
        text.push_str(&format!("gdp.real.growth,CN,{},forecast,{},ubs,2024-05-01\n", 1001 + i, value(i)));
    }
    env.write(name, &text).to_str().unwrap().to_string()
}

/// A re-import looks its rows up before trying to insert them once a batch found every key
/// taken; a later batch with changed or new rows is still corrected, refused or added.
#[test]
fn a_reimport_that_turns_into_changes_and_additions_is_still_judged_row_by_row() {
    let env = Env::seeded();
    let first = many_forecasts(&env, "first.csv", 0..3000, |i| format!("{i}.5"));
    env.ok(&["import", &first]);
    // Two batches unchanged, then 500 changed and 500 new.
    let again =
        many_forecasts(&env, "again.csv", 0..3500, |i| if i >= 2500 { format!("{i}.75") } else { format!("{i}.5") });
    let before = env.snapshot();
    let err = env.fails(&["import", &again]);
    assert!(err.contains("again.csv:2502: forecast gdp.real.growth CN 3501 by ubs published 2024-05-01 is already stored as 2500.5, not 2500.75"), "{err}");
    assert!(err.contains("import rejected: 500 bad row(s)"), "{err}");
    assert_eq!(env.snapshot(), before);
    let said = env.ok(&["import", "--replace", &again]);
    assert!(said.contains("1 file(s): 500 added, 2500 unchanged, 500 replaced"), "{said}");
    let values = env.ok(&["values", "--source", "ubs", "--period", "3501", "--format", "csv"]);
    assert!(values.contains(",2500.75,"), "{values}");
}
