//! Several processes writing one database at once: every write lands, none is refused.

use crate::util::{Add, Env, csv_rows};
use std::process::Output;

const WRITERS: usize = 8;
const ADDS_EACH: usize = 100;

/// `add` of a forecast whose key no other call uses: the period encodes writer and call.
fn add_distinct(env: &Env, writer: usize, call: usize) -> Output {
    let period = (3000 + writer * ADDS_EACH + call).to_string();
    let value = format!("{writer}.{call}");
    env.cmd()
        .args(Add::forecast("gdp.real.growth", &value, "ubs", "2029-01-01").period(&period).args())
        .output()
        .expect("run econtrack")
}

fn assert_succeeded(output: &Output, what: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && !stderr.contains("locked"), "{what} failed:\n{stderr}");
}

/// The values rows `add_distinct` wrote.
fn distinct_rows(env: &Env) -> usize {
    csv_rows(&env.ok(&["export", "values"])).iter().filter(|row| row[5] == "ubs" && row[6] == "2029-01-01").count()
}

#[test]
fn eight_writers_lose_nothing_and_are_never_locked_out() {
    let env = Env::seeded();
    let before = csv_rows(&env.ok(&["export", "values"])).len();
    std::thread::scope(|scope| {
        for writer in 0..WRITERS {
            let env = &env;
            scope.spawn(move || {
                for call in 0..ADDS_EACH {
                    let output = add_distinct(env, writer, call);
                    assert_succeeded(&output, &format!("writer {writer} call {call}"));
                }
            });
        }
    });
    assert_eq!(distinct_rows(&env), WRITERS * ADDS_EACH);
    let after = csv_rows(&env.ok(&["export", "values"])).len();
    assert_eq!(after, before + WRITERS * ADDS_EACH);
    let check = env.ok(&["check"]);
    assert!(check.contains("no problems found"), "{check}");
}

#[test]
fn processes_setting_up_a_new_database_at_once_all_succeed() {
    let env = Env::new();
    let outputs: Vec<Output> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|writer| {
                let env = &env;
                scope.spawn(move || add_distinct(env, writer, 0))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (writer, output) in outputs.iter().enumerate() {
        assert_succeeded(output, &format!("writer {writer} on a new database"));
    }
    let seeded_notes =
        outputs.iter().filter(|o| String::from_utf8_lossy(&o.stderr).contains("loaded the built-in data")).count();
    assert_eq!(seeded_notes, 1, "exactly one process sets the database up");
    assert_eq!(distinct_rows(&env), WRITERS);
    let fresh = Env::seeded();
    assert_eq!(
        csv_rows(&env.ok(&["export", "values"])).len(),
        csv_rows(&fresh.ok(&["export", "values"])).len() + WRITERS,
        "the built-in data is there once, beside every writer's value"
    );
}
