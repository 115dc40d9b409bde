//! The synthetic data set of the benchmark, at a size a test can afford (not timed).

#[path = "../../bench/dataset.rs"]
pub(crate) mod dataset;

use crate::util::{Env, csv_rows};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

const ROWS: usize = 50_000;
const AS_OF: &str = "2031-12-31";

fn generated(env: &Env) -> std::path::PathBuf {
    let dir = env.path("generated");
    dataset::write_folder(&dir, ROWS).unwrap();
    dir
}

fn count_values(env: &Env) -> usize {
    env.ok(&["export", "values"]).lines().count() - 1
}

type SeriesPeriod = (String, String, String);

/// The gaps by plain reasoning over the rows: per series-period the latest target, per
/// source the latest forecast, gap = forecast − target (none for a series with forecasts
/// but no target).
fn reference_gaps() -> HashMap<SeriesPeriod, BTreeMap<String, Option<Decimal>>> {
    let mut targets: HashMap<SeriesPeriod, (String, Decimal)> = HashMap::new();
    let mut forecasts: HashMap<SeriesPeriod, BTreeMap<String, (String, Decimal)>> = HashMap::new();
    dataset::for_each_row(ROWS, |row| {
        let key = (row.indicator.clone(), row.entity.clone(), row.period.clone());
        let value = Decimal::from_str(&row.value).unwrap();
        let later = |held: Option<&(String, Decimal)>| held.is_none_or(|(published, _)| row.published > *published);
        match row.kind {
            "target" if later(targets.get(&key)) => {
                targets.insert(key, (row.published.clone(), value));
            }
            "forecast" => {
                let by_source = forecasts.entry(key).or_default();
                if later(by_source.get(&row.source)) {
                    by_source.insert(row.source.clone(), (row.published.clone(), value));
                }
            }
            _ => {}
        }
    });
    let mut gaps: HashMap<SeriesPeriod, BTreeMap<String, Option<Decimal>>> = targets
        .iter()
        .map(|(key, (_, target))| {
            let gaps = forecasts
                .get(key)
                .map(|by_source| {
                    by_source.iter().map(|(s, (_, f))| (s.clone(), Some((f - target).normalize()))).collect()
                })
                .unwrap_or_default();
            (key.clone(), gaps)
        })
        .collect();
    for (key, by_source) in forecasts {
        gaps.entry(key).or_insert_with(|| by_source.into_keys().map(|source| (source, None)).collect());
    }
    gaps
}

#[test]
fn a_generated_folder_imports_and_its_gaps_match_a_reference() {
    let env = Env::empty();
    let dir = generated(&env);
    let out = env.ok(&["import", dir.to_str().unwrap()]);
    assert!(out.contains(&format!("values: {ROWS} added")), "{out}");
    assert_eq!(count_values(&env), ROWS);

    let csv = env.ok(&["gaps", "--format", "csv", "--as-of", AS_OF]);
    let rows = csv_rows(&csv);
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let (ind, ent, per, src, gap) = (col("indicator"), col("entity"), col("period"), col("source"), col("gap"));
    let mut ours: HashMap<SeriesPeriod, BTreeMap<String, Option<Decimal>>> = HashMap::new();
    for row in &rows[1..] {
        let entry = ours.entry((row[ind].clone(), row[ent].clone(), row[per].clone())).or_default();
        if !row[src].is_empty() {
            entry.insert(row[src].clone(), (!row[gap].is_empty()).then(|| Decimal::from_str(&row[gap]).unwrap()));
        }
    }
    let reference = reference_gaps();
    assert_eq!(ours.len(), reference.len(), "one group per series-period with a target or a forecast");
    // Every group, in key order so that the first difference reported is the first one;
    // with the counts equal, no group of ours is missing from the reference either.
    let mut keys: Vec<&SeriesPeriod> = reference.keys().collect();
    keys.sort();
    for key in keys {
        assert_eq!(ours.get(key), reference.get(key), "gaps of {key:?}");
    }
}

#[test]
fn one_bad_row_near_the_end_rejects_the_whole_import() {
    let env = Env::empty();
    let dir = generated(&env);
    let path = dir.join("values.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    assert_eq!(lines[0], dataset::VALUES_HEADER);
    // Line 49,999 of the file (1-based, the header is line 1).
    let fields: Vec<&str> = lines[49_998].split(',').collect();
    lines[49_998] = format!("{},{},{},{},4;6,{},{}", fields[0], fields[1], fields[2], fields[3], fields[5], fields[6]);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();

    let stderr = env.fails(&["import", dir.to_str().unwrap()]);
    let expected = format!("{}:49999: bad decimal \"4;6\"", path.display());
    assert!(stderr.contains(&expected), "expected {expected} in:\n{stderr}");
    assert!(stderr.contains("1 bad row(s); nothing was imported"), "{stderr}");
    assert_eq!(count_values(&env), 0);
    assert_eq!(
        env.ok(&["source", "list", "--format", "csv"]).lines().count(),
        1,
        "the dimension files rolled back too"
    );
}

/// The scorecard by plain reasoning over the rows: per series-period the first actual, per
/// source the latest forecast published before it, error = forecast − actual, shown beside
/// the latest target. Keyed by series-period, then source: (error, target).
fn reference_scores() -> HashMap<SeriesPeriod, BTreeMap<String, (Decimal, Option<Decimal>)>> {
    let mut actuals: HashMap<SeriesPeriod, (String, Decimal)> = HashMap::new();
    let mut targets: HashMap<SeriesPeriod, (String, Decimal)> = HashMap::new();
    let mut forecasts: HashMap<SeriesPeriod, Vec<(String, String, Decimal)>> = HashMap::new();
    dataset::for_each_row(ROWS, |row| {
        let key = (row.indicator.clone(), row.entity.clone(), row.period.clone());
        let value = Decimal::from_str(&row.value).unwrap();
        match row.kind {
            "actual" if actuals.get(&key).is_none_or(|(published, _)| row.published < *published) => {
                actuals.insert(key, (row.published.clone(), value));
            }
            "target" if targets.get(&key).is_none_or(|(published, _)| row.published > *published) => {
                targets.insert(key, (row.published.clone(), value));
            }
            "forecast" => forecasts.entry(key).or_default().push((row.source.clone(), row.published.clone(), value)),
            _ => {}
        }
    });
    let mut scores = HashMap::new();
    for (key, (actual_published, actual)) in &actuals {
        let mut latest: BTreeMap<String, (String, Decimal)> = BTreeMap::new();
        for (source, published, value) in forecasts.get(key).into_iter().flatten() {
            if published < actual_published && latest.get(source).is_none_or(|(held, _)| published > held) {
                latest.insert(source.clone(), (published.clone(), *value));
            }
        }
        let target = targets.get(key).map(|(_, t)| *t);
        let by_source =
            latest.into_iter().map(|(source, (_, f))| (source, ((f - actual).normalize(), target))).collect();
        scores.insert(key.clone(), by_source);
    }
    scores
}

#[test]
fn the_scorecard_of_a_generated_folder_matches_a_reference() {
    let env = Env::empty();
    let dir = generated(&env);
    env.ok(&["import", dir.to_str().unwrap()]);
    let csv = env.ok(&["score", "--format", "csv", "--as-of", AS_OF]);
    let rows = csv_rows(&csv);
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let (ind, ent, per, src) = (col("indicator"), col("entity"), col("period"), col("source"));
    let (error, target) = (col("error"), col("target"));
    let mut ours: HashMap<SeriesPeriod, BTreeMap<String, (Decimal, Option<Decimal>)>> = HashMap::new();
    for row in &rows[1..] {
        let target = (!row[target].is_empty()).then(|| Decimal::from_str(&row[target]).unwrap());
        ours.entry((row[ind].clone(), row[ent].clone(), row[per].clone()))
            .or_default()
            .insert(row[src].clone(), (Decimal::from_str(&row[error]).unwrap(), target));
    }
    let reference = reference_scores();
    let scored: Vec<&SeriesPeriod> = reference.iter().filter(|(_, s)| !s.is_empty()).map(|(k, _)| k).collect();
    assert_eq!(ours.len(), scored.len(), "one group per series-period with an actual and a forecast before it");
    let mut keys = scored;
    keys.sort();
    let beside_a_target = keys.iter().filter(|k| reference[**k].values().any(|(_, t)| t.is_some())).count();
    assert!(beside_a_target > 10, "the comparison exercises targets: {beside_a_target}");
    // Every group, in key order; with the counts equal, none of ours is missing from it.
    for key in keys {
        assert_eq!(ours.get(key), reference.get(key), "scores of {key:?}");
    }
}

/// Rows in any order land as the same database: the import sorts what does not come in key
/// order (see ARCHITECTURE.md, "Import order").
#[test]
fn a_shuffled_import_exports_the_same_bytes_as_a_key_ordered_one() {
    let ordered = Env::empty();
    ordered.ok(&["import", generated(&ordered).to_str().unwrap()]);
    let shuffled = Env::empty();
    let dir = shuffled.path("shuffled");
    dataset::write_folder_shuffled(&dir, ROWS, 7).unwrap();
    let text = std::fs::read_to_string(dir.join("values.csv")).unwrap();
    assert_ne!(text, std::fs::read_to_string(ordered.path("generated").join("values.csv")).unwrap(), "shuffled");
    shuffled.ok(&["import", dir.to_str().unwrap()]);
    assert_eq!(shuffled.ok(&["export", "values"]), ordered.ok(&["export", "values"]));
}
