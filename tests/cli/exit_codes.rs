//! Exit statuses a script can act on: 0 success, 1 a check found problems, 2 bad usage or
//! input, 3 the environment failed.

use crate::util::{Add, Env, raw_sql};

/// The exit status of `args`, and its stderr.
fn status(env: &Env, args: &[&str]) -> (i32, String) {
    let output = env.cmd().args(args).output().unwrap();
    (output.status.code().expect("exited, not killed"), String::from_utf8(output.stderr).unwrap())
}

fn assert_status(env: &Env, args: &[&str], expected: i32) {
    let (code, stderr) = status(env, args);
    assert_eq!(code, expected, "econtrack {args:?}, stderr:\n{stderr}");
}

#[test]
fn success_is_zero() {
    let env = Env::seeded();
    for args in [&["gaps"][..], &["verify"], &["check"], &["score", "--format", "csv"]] {
        assert_status(&env, args, 0);
    }
}

#[test]
fn a_check_that_finds_problems_is_one() {
    let env = Env::seeded();
    let unconfirmed = Add::forecast("gdp.real.growth", "4.7", "bloomberg", "2025-01-10")
        .period("2025")
        .with(&["--quote", "預估明年經濟成長率四.五%"])
        .args();
    env.ok(&unconfirmed);
    assert_status(&env, &["verify"], 1);
    assert_status(&env, &["verify", "--format", "csv"], 1);

    let env = Env::seeded();
    raw_sql(&env.db, "UPDATE figures SET value = '4,6' WHERE value = '4.6';");
    assert_status(&env, &["check"], 1);
}

#[test]
fn bad_usage_and_bad_input_are_two() {
    let env = Env::seeded();
    let conflicting = Add::forecast("gdp.real.growth", "4.7", "bloomberg", "2024-03-13").args();
    env.write(
        "bad.csv",
        "indicator,entity,period,kind,value,source,published\ngdp.real.growth,CN,2024,forecast,4;6,ubs,2024-05-01\n",
    );
    env.write("existing.db", "");
    let cases: Vec<Vec<&str>> = vec![
        vec!["gaps", "--no-such-flag"],
        vec!["--format", "json", "gaps"],
        Add::forecast("gdp.real.growth", "5%", "ubs", "2024-05-01").args(),
        Add::forecast("gdp.real.growth", "4.7", "blomberg", "2024-05-01").args(),
        Add::forecast("gdp.real.growth", "4.7", "ubs", "2024-05-01").entity("china").args(),
        conflicting,
        vec!["source", "add", "bloomberg", "--name", "Someone else"],
        vec!["import", "bad.csv"],
        vec!["backup", "existing.db"],
        vec!["export", "values", "--output", "existing.db"],
        vec!["verify", "--source", "blomberg"],
    ];
    let before = env.snapshot();
    for args in &cases {
        let mut cmd = env.cmd();
        cmd.current_dir(env.dir.path());
        let output = cmd.args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "econtrack {args:?}, stderr:\n{stderr}");
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn an_environment_failure_is_three() {
    let mut env = Env::new();
    env.db = env.dir.path().to_path_buf();
    assert_status(&env, &["gaps"], 3);

    let mut env = Env::new();
    env.db = env.path("no/such/folder/test.db");
    assert_status(&env, &["gaps"], 3);

    let env = Env::seeded();
    let mut permissions = std::fs::metadata(&env.db).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&env.db, permissions).unwrap();
    assert_status(&env, &Add::forecast("gdp.real.growth", "4.5", "ubs", "2025-01-10").period("2025").args(), 3);

    let env = Env::seeded();
    let (code, stderr) = status(&env, &["import", env.path("missing.csv").to_str().unwrap()]);
    assert_eq!(code, 3, "a file that cannot be read: {stderr}");
}

#[test]
fn help_documents_the_exit_statuses() {
    let env = Env::new();
    let help = env.ok(&["--help"]);
    for line in ["0  ", "1  ", "2  ", "3  "] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(line)), "no exit status {line:?} in:\n{help}");
    }
    assert!(help.contains("Exit status:"), "{help}");
}
