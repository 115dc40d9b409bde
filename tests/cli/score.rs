//! Scorecards, consensus and revisions.

use crate::util::{Add, Env, rows_where};

fn add(env: &Env, kind: &str, indicator: &str, value: &str, source: &str, published: &str) {
    env.ok(&Add::of(kind, indicator, value, source, published).args());
}

fn row<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    column: &str,
    value: &str,
) -> &'a std::collections::HashMap<String, String> {
    rows.iter().find(|r| r[column] == value).unwrap_or_else(|| panic!("no row with {column} = {value} in {rows:?}"))
}

#[test]
fn the_articles_forecasts_are_scored() {
    let env = Env::seeded();
    let csv = env.ok(&["score", "--format", "csv"]);
    let gdp = &rows_where(&csv, "source", "bloomberg")[0];
    assert_eq!((gdp["forecast"].as_str(), gdp["actual"].as_str(), gdp["error"].as_str()), ("4.6", "5", "-0.4"));
    assert_eq!(
        (gdp["target"].as_str(), gdp["target_bound"].as_str(), gdp["target_met"].as_str()),
        ("5", "approx", "true")
    );
    assert_eq!((gdp["tolerance"].as_str(), gdp["horizon_days"].as_str()), ("0.5", "293"));

    let core = &rows_where(&csv, "source", "jpmorgan")[0];
    assert_eq!(
        (core["indicator"].as_str(), core["actual"].as_str(), core["error"].as_str()),
        ("cpi.core.yoy", "0.5", "0.7")
    );
    assert_eq!(
        (core["target_indicator"].as_str(), core["target"].as_str(), core["target_bound"].as_str()),
        ("cpi.yoy", "3", "at-most")
    );
    assert_eq!(core["target_met"], "true");

    let table = env.ok(&["score"]);
    assert!(
        table.contains("target gdp.real.growth CN 2024: 5 (approx) ±0.5 — met by 5 (cn-nbs, 2025-01-17)"),
        "{table}"
    );
    assert!(table.contains("target cpi.yoy CN 2024: 3 (at-most) — met by 0.2 (cn-nbs, 2025-01-09)"), "{table}");
}

#[test]
fn targets_are_judged_by_their_bound() {
    let env = Env::seeded();
    let csv = env.ok(&["score", "--by", "target", "--format", "csv"]);
    assert_eq!(row(&rows_where(&csv, "entity", "CN"), "indicator", "cpi.yoy")["target_met"], "true");
    // A tighter tolerance than the default turns the same outcome into a miss.
    env.ok(&Add::of("target", "gdp.real.growth", "2.5", "cn-government", "2024-01-01")
        .entity("US")
        .with(&["--bound", "approx", "--tolerance", "0.2"])
        .args());
    add_us_actual(&env, "2.8");
    let csv = env.ok(&["score", "--by", "target", "--format", "csv", "--entity", "US"]);
    let us = &rows_where(&csv, "entity", "US")[0];
    assert_eq!((us["tolerance"].as_str(), us["target_met"].as_str()), ("0.2", "false"));
}

fn add_us_actual(env: &Env, value: &str) {
    env.ok(&Add::of("actual", "gdp.real.growth", value, "cn-nbs", "2025-01-30").entity("US").args());
}

#[test]
fn a_tolerance_belongs_to_approx_targets_only() {
    let env = Env::seeded();
    let stderr =
        env.fails(&Add::forecast("gdp.real.growth", "4.5", "ubs", "2024-04-01").with(&["--tolerance", "0.1"]).args());
    assert!(stderr.contains("only an approx target has a tolerance"), "{stderr}");
}

#[test]
fn first_and_latest_actuals_after_a_revision() {
    let env = Env::seeded();
    add(&env, "actual", "gdp.real.growth", "5.1", "cn-nbs", "2025-07-01");
    let first = env.ok(&["score", "--format", "csv", "--actual", "first", "--indicator", "gdp.real.growth"]);
    assert_eq!(rows_where(&first, "source", "bloomberg")[0]["error"], "-0.4");
    let latest = env.ok(&["score", "--format", "csv", "--actual", "latest", "--indicator", "gdp.real.growth"]);
    let row = &rows_where(&latest, "source", "bloomberg")[0];
    assert_eq!((row["actual"].as_str(), row["error"].as_str()), ("5.1", "-0.5"));
    // As of a date before the revision, "latest" is still the first release.
    let before = env.ok(&[
        "score",
        "--format",
        "csv",
        "--actual",
        "latest",
        "--as-of",
        "2025-06-30",
        "--indicator",
        "gdp.real.growth",
    ]);
    assert_eq!(rows_where(&before, "source", "bloomberg")[0]["actual"], "5");
}

#[test]
fn the_latest_forecast_before_the_actual_is_scored_and_late_ones_left_out() {
    let env = Env::seeded();
    add(&env, "forecast", "gdp.real.growth", "4.8", "bloomberg", "2024-10-01");
    add(&env, "forecast", "gdp.real.growth", "5", "ubs", "2025-02-01");
    let output = env.cmd().args(["score", "--format", "csv", "--indicator", "gdp.real.growth"]).output().unwrap();
    let csv = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(rows_where(&csv, "source", "bloomberg")[0]["forecast"], "4.8");
    assert!(rows_where(&csv, "source", "ubs").is_empty(), "{csv}");
    assert!(
        stderr.contains("left out: ubs forecast gdp.real.growth CN 2024 only on or after its actual of 2025-01-17"),
        "{stderr}"
    );
    let table = env.ok(&["score", "--indicator", "gdp.real.growth"]);
    assert!(table.contains("left out: ubs"), "{table}");
}

#[test]
fn consensus_median_for_odd_and_even_counts() {
    let env = Env::seeded();
    add(&env, "forecast", "gdp.real.growth", "4.8", "ubs", "2024-04-01");
    let even = env.ok(&["consensus", "--format", "csv", "--indicator", "gdp.real.growth"]);
    let row = &rows_where(&even, "indicator", "gdp.real.growth")[0];
    assert_eq!(
        (
            row["count"].as_str(),
            row["mean"].as_str(),
            row["median"].as_str(),
            row["min"].as_str(),
            row["max"].as_str(),
            row["stddev"].as_str(),
            row["gap"].as_str()
        ),
        ("2", "4.7", "4.7", "4.6", "4.8", "0.1", "-0.3")
    );
    add(&env, "forecast", "gdp.real.growth", "5.3", "jpmorgan", "2024-04-02");
    let odd = env.ok(&["consensus", "--format", "csv", "--indicator", "gdp.real.growth"]);
    let row = &rows_where(&odd, "indicator", "gdp.real.growth")[0];
    assert_eq!(
        (row["count"].as_str(), row["median"].as_str(), row["mean"].as_str(), row["stddev"].as_str()),
        ("3", "4.8", "4.9", "0.294392")
    );
    // The gaps table carries the consensus line under the forecasts.
    let table = env.ok(&["gaps", "--indicator", "gdp.real.growth"]);
    assert!(table.contains("consensus (n=3)") && table.contains("median 4.8"), "{table}");
    // As of before the extra forecasts, only Bloomberg counts.
    let early = env.ok(&["consensus", "--format", "csv", "--as-of", "2024-03-31", "--indicator", "gdp.real.growth"]);
    assert_eq!(rows_where(&early, "indicator", "gdp.real.growth")[0]["count"], "1");
}

#[test]
fn sources_are_ranked_by_rmse() {
    let env = Env::seeded();
    let csv = env.ok(&["score", "--by", "source", "--format", "csv"]);
    let rows = rows_where(&csv, "rank", "1");
    assert_eq!(rows[0]["source"], "bloomberg");
    let jp = &rows_where(&csv, "source", "jpmorgan")[0];
    assert_eq!(
        (jp["count"].as_str(), jp["mean_error"].as_str(), jp["rmse"].as_str(), jp["rank"].as_str()),
        ("1", "0.7", "0.7", "2")
    );
}

#[test]
fn history_shows_each_sources_revisions() {
    let env = Env::seeded();
    add(&env, "forecast", "gdp.real.growth", "4.8", "bloomberg", "2024-06-01");
    add(&env, "forecast", "gdp.real.growth", "4.7", "bloomberg", "2024-09-01");
    let csv = env.ok(&["history", "--indicator", "gdp.real.growth", "--entity", "CN", "--format", "csv"]);
    let bloomberg = rows_where(&csv, "source", "bloomberg");
    let changes: Vec<(&str, &str)> =
        bloomberg.iter().map(|r| (r["change"].as_str(), r["direction"].as_str())).collect();
    assert_eq!(changes, [("", "first"), ("0.2", "up"), ("-0.1", "down")]);
    let table = env.ok(&["history", "--indicator", "gdp.real.growth", "--entity", "CN"]);
    assert!(table.contains("4.6 → 4.8: +0.2 (up)"), "{table}");
}

#[test]
fn score_and_consensus_export_as_csv() {
    let env = Env::seeded();
    let score = env.ok(&["export", "score"]);
    assert!(score.starts_with("indicator,entity,period,source,forecast"), "{score}");
    assert_eq!(rows_where(&score, "source", "bloomberg")[0]["error"], "-0.4");
    let consensus = env.ok(&["export", "consensus"]);
    assert_eq!(rows_where(&consensus, "indicator", "cpi.yoy")[0]["basis"], "cpi.core.yoy");
}

/// A scorecard over many series sums its targets up in one note instead of one each.
#[test]
fn many_targets_are_summed_up_in_one_note() {
    let env = Env::seeded();
    let mut values = String::from("indicator,entity,period,kind,value,bound,source,published\n");
    for year in 2000..2024 {
        values.push_str(&format!("gdp.real.growth,CN,{year},target,5,approx,cn-government,{year}-03-05\n"));
        if year < 2020 {
            let actual = if year % 2 == 0 { "5" } else { "3" };
            values.push_str(&format!("gdp.real.growth,CN,{year},actual,{actual},exact,cn-nbs,{}-01-17\n", year + 1));
        }
    }
    let file = env.write("targets.csv", &values);
    env.ok(&["import", file.to_str().unwrap()]);
    let few = env.ok(&["score", "--indicator", "gdp.real.growth", "--period", "2024"]);
    assert!(few.contains("target gdp.real.growth CN 2024: 5 (approx) ±0.5 — met by 5"), "{few}");

    let output = env.cmd().args(["score", "--indicator", "gdp.real.growth", "--format", "csv"]).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(
            "note: 25 targets: 11 met, 10 missed, 4 with no outcome published yet; `econtrack score --by target` lists them"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("note: target "), "{stderr}");
}

/// A proxy's forecast sits beside the target it stands for only while its own indicator
/// has none; a target of its own comes first.
#[test]
fn a_proxy_with_a_target_of_its_own_is_scored_beside_it() {
    let env = Env::seeded();
    let core = |csv: &str| rows_where(csv, "source", "jpmorgan").remove(0);
    let before = core(&env.ok(&["score", "--format", "csv"]));
    assert_eq!((before["target_indicator"].as_str(), before["target"].as_str()), ("cpi.yoy", "3"));

    add(&env, "target", "cpi.core.yoy", "1", "cn-government", "2024-03-05");
    let after = core(&env.ok(&["score", "--format", "csv"]));
    assert_eq!(
        (after["target_indicator"].as_str(), after["target"].as_str(), after["target_met"].as_str()),
        ("cpi.core.yoy", "1", "false"),
        "{after:?}"
    );
    let gdp = &rows_where(&env.ok(&["score", "--format", "csv"]), "source", "bloomberg")[0];
    assert_eq!((gdp["target_indicator"].as_str(), gdp["target"].as_str()), ("gdp.real.growth", "5"));
}

/// Past 20 forecasts left out, the rest are counted in one note rather than listed.
#[test]
fn many_late_forecasts_are_counted_past_twenty() {
    let env = Env::seeded();
    let mut values = String::from("indicator,entity,period,kind,value,source,published\n");
    for year in 2000..2025 {
        // The built-in data already holds the 2024 actual.
        if year < 2024 {
            values.push_str(&format!("gdp.real.growth,CN,{year},actual,5,cn-nbs,{}-01-17\n", year + 1));
        }
        values.push_str(&format!("gdp.real.growth,CN,{year},forecast,4.5,jpmorgan,{}-02-01\n", year + 1));
    }
    let file = env.write("late.csv", &values);
    env.ok(&["import", file.to_str().unwrap()]);
    let output = env.cmd().args(["score", "--format", "csv"]).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let listed = stderr.lines().filter(|l| l.starts_with("note: left out: jpmorgan forecast")).count();
    assert_eq!(listed, 20, "{stderr}");
    assert!(stderr.contains("note: left out: 5 more forecasts made only on or after their actual"), "{stderr}");
}

/// Quarterly GDP for US: two releases of each quarter (first, and revised a year later),
/// bloomberg forecasting at horizons 0 and 1, jpmorgan at horizon 0 only.
fn quarterly(env: &Env) {
    let values = "indicator,entity,period,kind,value,source,published
gdp.real.growth,US,2023-Q1,actual,1.0,cn-nbs,2023-04-20
gdp.real.growth,US,2023-Q1,actual,1.2,cn-nbs,2024-04-20
gdp.real.growth,US,2023-Q2,actual,2.0,cn-nbs,2023-07-20
gdp.real.growth,US,2023-Q2,actual,2.2,cn-nbs,2024-07-20
gdp.real.growth,US,2023-Q1,forecast,0.8,bloomberg,2023-01-10
gdp.real.growth,US,2023-Q2,forecast,1.5,bloomberg,2023-01-10
gdp.real.growth,US,2023-Q2,forecast,2.3,bloomberg,2023-04-10
gdp.real.growth,US,2023-Q1,forecast,1.1,jpmorgan,2023-01-12
gdp.real.growth,US,2023-Q2,forecast,1.9,jpmorgan,2023-04-15
";
    let file = env.write("quarterly.csv", values);
    env.ok(&["import", file.to_str().unwrap()]);
}

fn horizon_rows(env: &Env, extra: &[&str]) -> (String, String) {
    let mut args = vec!["score", "--by", "horizon", "--entity", "US", "--format", "csv", "--as-of", "2025-01-01"];
    args.extend_from_slice(extra);
    let output = env.cmd().args(&args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
}

#[test]
fn accuracy_by_horizon_every_vintage_against_the_first_release() {
    let env = Env::seeded();
    quarterly(&env);
    let (csv, stderr) = horizon_rows(&env, &["--error-sign", "actual-minus-forecast"]);
    assert!(
        csv.starts_with(
            "indicator,entity,source,horizon,n,mean_error,mae,rmse,rmedse,first_published,last_published\r\n"
        ),
        "{csv}"
    );
    let bloomberg = rows_where(&csv, "source", "bloomberg");
    let h0 = row(&bloomberg, "horizon", "0");
    // Errors 1.0 − 0.8 = 0.2 and 2.0 − 2.3 = −0.3: RMSE = RMedSE = √0.065 (an even count).
    assert_eq!(
        [
            &h0["n"],
            &h0["mean_error"],
            &h0["mae"],
            &h0["rmse"],
            &h0["rmedse"],
            &h0["first_published"],
            &h0["last_published"]
        ],
        ["2", "-0.05", "0.25", "0.254950975679639", "0.254950975679639", "2023-01-10", "2023-04-10"]
    );
    assert_eq!(row(&bloomberg, "horizon", "1")["mean_error"], "0.5");
    let jpmorgan = rows_where(&csv, "source", "jpmorgan");
    assert_eq!((jpmorgan[0]["mean_error"].as_str(), jpmorgan[0]["rmse"].as_str()), ("0", "0.1"));
    assert!(stderr.contains("note: error = actual − forecast (--error-sign actual-minus-forecast)"), "{stderr}");

    // The default sign is forecast − actual, and says so.
    let (csv, stderr) = horizon_rows(&env, &[]);
    assert_eq!(row(&rows_where(&csv, "source", "bloomberg"), "horizon", "0")["mean_error"], "0.05");
    assert!(stderr.contains("note: error = forecast − actual (--error-sign forecast-minus-actual)"), "{stderr}");
}

#[test]
fn the_common_sample_drops_what_another_source_lacks() {
    let env = Env::seeded();
    quarterly(&env);
    let (csv, stderr) = horizon_rows(&env, &["--common-sample"]);
    // jpmorgan forecast nothing at horizon 1: bloomberg's horizon-1 forecast goes.
    assert!(row(&rows_where(&csv, "source", "bloomberg"), "horizon", "0")["n"] == "2");
    assert!(rows_where(&csv, "horizon", "1").is_empty(), "{csv}");
    assert!(stderr.contains("common sample: per indicator and entity") && stderr.contains("4 of 5"), "{stderr}");
}

#[test]
fn maturity_picks_the_release_k_plus_one_quarters_on_or_the_nearest_before() {
    let env = Env::seeded();
    quarterly(&env);
    let sign = ["--error-sign", "actual-minus-forecast"];
    // The revisions come 5 quarters after their target (k = 4): maturity:3 still takes the
    // first release, maturity:4 the revision.
    let (k3, _) = horizon_rows(&env, &[&sign[..], &["--actual", "maturity:3"]].concat());
    assert_eq!(row(&rows_where(&k3, "source", "bloomberg"), "horizon", "0")["mean_error"], "-0.05");
    let (k4, stderr) = horizon_rows(&env, &[&sign[..], &["--actual", "maturity:4"]].concat());
    // 1.2 − 0.8 = 0.4, 2.2 − 2.3 = −0.1
    assert_eq!(row(&rows_where(&k4, "source", "bloomberg"), "horizon", "0")["mean_error"], "0.15");
    assert!(stderr.contains("the actual of maturity 4"), "{stderr}");
    let bad = env.fails(&["score", "--actual", "maturity:x"]);
    assert!(bad.contains("use first, latest or maturity:K"), "{bad}");
    let misplaced = env.fails(&["score", "--actual", "maturity:4"]);
    assert!(misplaced.contains("use it with --by horizon or --test"), "{misplaced}");
}

#[test]
fn the_random_walk_benchmark_and_relative_rmse() {
    let env = Env::seeded();
    quarterly(&env);
    let (csv, _) = horizon_rows(&env, &["--benchmark", "random-walk", "--actual", "latest"]);
    // Vintage of 2023-04-20 holds Q1 = 1.0: the random walk forecasts Q2 at 1.0 (horizon 0),
    // against the latest Q2 of 2.2: error −1.2. bloomberg's horizon-0 Q2 forecast of 2.3 (0.1)
    // is the one paired with it (same publication quarter, same target): √(0.01 / 1.44).
    let rw = rows_where(&csv, "source", "random-walk");
    assert_eq!(row(&rw, "horizon", "0")["mean_error"], "-1.2");
    let bloomberg = row(&rows_where(&csv, "source", "bloomberg"), "horizon", "0").clone();
    assert_eq!(bloomberg["relative_rmse"], "0.083333333333333");
}

#[test]
fn the_tests_name_their_groups_and_statistics() {
    let env = Env::seeded();
    quarterly(&env);
    let (bias, stderr) = horizon_rows(&env, &["--test", "bias"]);
    assert!(bias.starts_with("indicator,entity,source,horizon,n,lags,bias,std_error,t_statistic,p_value"), "{bias}");
    // jpmorgan's errors 0.1 − … : −0.1 and 0.1 (forecast − actual): mean 0, t = 0, p = 1.
    let jp = &rows_where(&bias, "source", "jpmorgan")[0];
    assert_eq!((jp["bias"].as_str(), jp["t_statistic"].as_str(), jp["p_value"].as_str()), ("0", "0", "1"));
    assert!(stderr.contains("floating point"), "{stderr}");
    let (dm, _) = horizon_rows(&env, &["--test", "dm", "--against", "jpmorgan"]);
    let b = &rows_where(&dm, "source", "bloomberg")[0];
    // Pairs at horizon 0: d = 0.2² − 0.1² = 0.03 and 0.3² − 0.1² = 0.08.
    assert_eq!(
        (b["against"].as_str(), b["n"].as_str(), b["mean_loss_difference"].as_str()),
        ("jpmorgan", "2", "0.055")
    );
    let refused = env.fails(&["score", "--test", "dm"]);
    assert!(refused.contains("--against SOURCE, or add --benchmark random-walk"), "{refused}");
    let (mz, stderr) = horizon_rows(&env, &["--test", "mz"]);
    assert_eq!(mz.lines().count(), 1, "fewer than ten forecasts: no regression\n{mz}");
    assert!(stderr.contains("groups of 10 forecasts or more"), "{stderr}");
}

#[test]
fn sources_rank_on_the_common_sample_unless_asked_otherwise() {
    let env = Env::seeded();
    // ubs forecast 2023 only, bloomberg 2023 and 2024 (the built-in 4.6 for 2024).
    env.ok(&Add::of("actual", "gdp.real.growth", "5.2", "cn-nbs", "2024-01-17").period("2023").args());
    env.ok(&Add::forecast("gdp.real.growth", "5", "ubs", "2023-03-01").period("2023").args());
    env.ok(&Add::forecast("gdp.real.growth", "5.1", "bloomberg", "2023-03-01").period("2023").args());
    let common = env.ok(&["score", "--by", "source", "--indicator", "gdp.real.growth"]);
    assert!(common.contains("ranked on the common sample") && common.contains("(2 of 3 scored forecasts)"), "{common}");
    let csv = env.ok(&["score", "--by", "source", "--indicator", "gdp.real.growth", "--format", "csv"]);
    assert_eq!(rows_where(&csv, "source", "bloomberg")[0]["count"], "1");
    let own =
        env.ok(&["score", "--by", "source", "--indicator", "gdp.real.growth", "--own-samples", "--format", "csv"]);
    assert_eq!(rows_where(&own, "source", "bloomberg")[0]["count"], "2");
}
