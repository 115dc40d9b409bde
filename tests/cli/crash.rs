//! A write killed part-way (SIGKILL: no cleanup, no rollback, locks dropped by the kernel)
//! leaves a database that passes `check` and holds all of that write or none of it; other
//! processes carry on.

use crate::util::{Add, Env, csv_rows};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Enough rows that an import runs for many seconds in a debug build, so it is still
/// inside its transaction when it is killed.
const ROWS: usize = 200_000;

/// Uncommitted pages reach the WAL only once the import's page cache (2 MB) spills: past
/// this size the kill lands with a half-written transaction on disk.
const WAL_SPILLED: u64 = 64 * 1024;

/// `ROWS` new forecasts under built-in codes, no two sharing a key.
fn big_values_file(dir: &Path) -> PathBuf {
    let path = dir.join("big.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(out, "indicator,entity,period,kind,value,source,published").unwrap();
    let first = chrono::NaiveDate::from_ymd_opt(3000, 1, 1).unwrap();
    for i in 0..ROWS {
        let published = first + chrono::Days::new((i % 1000) as u64);
        let year = 1000 + i / 1000;
        writeln!(out, "gdp.real.growth,CN,{year},forecast,{i}.25,ubs,{published}").unwrap();
    }
    out.flush().unwrap();
    path
}

/// The same rows as `big_values_file`, last first: every batch after the first is out of
/// key order, so the import sorts them in runs on disk before it writes any.
fn big_reversed_values_file(dir: &Path) -> PathBuf {
    let ordered = std::fs::read_to_string(big_values_file(dir)).unwrap();
    let mut lines: Vec<&str> = ordered.lines().collect();
    lines[1..].reverse();
    let path = dir.join("reversed.csv");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn econtrack(env: &Env, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_econtrack"))
        .env_remove("ECONTRACK_DB")
        .arg("--db")
        .arg(&env.db)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start econtrack")
}

fn wal_size(env: &Env) -> u64 {
    let mut wal = env.db.clone().into_os_string();
    wal.push("-wal");
    std::fs::metadata(wal).map_or(0, |m| m.len())
}

/// Waits until the import has spilled into the WAL, or has exited. Returns whether it is
/// still running. The deadline only keeps a broken build from hanging the suite.
fn wait_until_mid_import(env: &Env, import: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        if import.try_wait().unwrap().is_some() {
            return false;
        }
        if wal_size(env) > WAL_SPILLED {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the import neither wrote to the WAL nor finished");
}

fn value_rows(env: &Env) -> usize {
    csv_rows(&env.ok(&["export", "values"])).len() - 1
}

fn assert_intact(env: &Env) {
    let check = env.ok(&["check"]);
    assert!(check.contains("no problems found"), "{check}");
}

/// One import killed mid-way, at most `ATTEMPTS` times until a kill lands inside the
/// transaction (a kill can only miss if the import finishes first).
const ATTEMPTS: usize = 3;

#[test]
fn an_import_killed_part_way_leaves_none_of_it() {
    let files = tempfile::tempdir().unwrap();
    let big = big_values_file(files.path());
    let mut killed_inside = false;
    for _ in 0..ATTEMPTS {
        let env = Env::seeded();
        let before = value_rows(&env);
        let mut import = econtrack(&env, &["import", big.to_str().unwrap()]);
        let running = wait_until_mid_import(&env, &mut import);
        import.kill().unwrap();
        import.wait().unwrap();
        assert_intact(&env);
        let after = value_rows(&env);
        assert!(
            after == before || after == before + ROWS,
            "{after} rows: neither none ({before}) nor all ({}) of the import",
            before + ROWS
        );
        if running && after == before {
            killed_inside = true;
            break;
        }
    }
    assert!(killed_inside, "no kill landed inside the import in {ATTEMPTS} attempts");
}

#[test]
fn an_import_killed_while_it_sorts_leaves_none_of_it() {
    let files = tempfile::tempdir().unwrap();
    let reversed = big_reversed_values_file(files.path());
    let env = Env::seeded();
    let before = env.snapshot();
    let rows_before = value_rows(&env);
    let mut import = econtrack(&env, &["import", reversed.to_str().unwrap()]);
    // Reading and sorting 200,000 rows takes seconds in a debug build; nothing reaches the
    // table (or the WAL) until every row is read.
    std::thread::sleep(Duration::from_millis(500));
    let running = import.try_wait().unwrap().is_none();
    assert!(wal_size(&env) <= WAL_SPILLED, "nothing is written while the rows are sorted");
    import.kill().unwrap();
    import.wait().unwrap();
    assert!(running, "the import finished before it was killed; make the file bigger");
    assert_intact(&env);
    assert_eq!(env.snapshot(), before);
    // The same file, left to finish, lands whole.
    env.ok(&["import", reversed.to_str().unwrap()]);
    assert_eq!(value_rows(&env), rows_before + ROWS);
}

#[test]
fn an_add_waiting_on_a_killed_import_goes_through() {
    let files = tempfile::tempdir().unwrap();
    let big = big_values_file(files.path());
    let env = Env::seeded();
    let before = value_rows(&env);
    let mut import = econtrack(&env, &["import", big.to_str().unwrap()]);
    assert!(wait_until_mid_import(&env, &mut import), "the import ended early");
    let add = econtrack(&env, &Add::forecast("cpi.yoy", "2.5", "ubs", "2030-06-01").period("2031").args());
    // Give the add time to queue on the import's write lock; whether it got that far or
    // not, the outcome below must hold.
    std::thread::sleep(Duration::from_millis(300));
    import.kill().unwrap();
    import.wait().unwrap();
    let added = add.wait_with_output().unwrap();
    assert!(added.status.success(), "add failed: {}", String::from_utf8_lossy(&added.stderr));
    assert_intact(&env);
    assert_eq!(value_rows(&env), before + 1, "the add, and none of the import");
    let values = env.ok(&["export", "values"]);
    assert!(values.contains("cpi.yoy,CN,2031,forecast,2.5,ubs,2030-06-01"), "{values}");
}

/// A backup taken while an import is inside its transaction, at most `ATTEMPTS` times
/// until one is: the import must be mid-way when the backup starts and still running when
/// it ends, else the attempt says nothing about overlap and is made again.
#[test]
fn a_backup_during_an_import_is_consistent() {
    let files = tempfile::tempdir().unwrap();
    let big = big_values_file(files.path());
    let mut overlapped = false;
    for _ in 0..ATTEMPTS {
        let env = Env::seeded();
        let before = value_rows(&env);
        let mut import = econtrack(&env, &["import", big.to_str().unwrap()]);
        let started_inside = wait_until_mid_import(&env, &mut import);
        let copy = env.path("copy.db");
        env.ok(&["backup", copy.to_str().unwrap()]);
        let ended_inside = import.try_wait().unwrap().is_none();
        import.kill().unwrap();
        import.wait().unwrap();
        let restored = Env { dir: tempfile::tempdir().unwrap(), db: copy };
        assert_intact(&restored);
        let copied = value_rows(&restored);
        assert!(copied == before || copied == before + ROWS, "{copied} rows");
        if started_inside && ended_inside {
            // Backup does not wait for the import: it copies the last committed state.
            assert_eq!(copied, before, "the backup holds none of the uncommitted import");
            overlapped = true;
            break;
        }
    }
    assert!(overlapped, "no backup ran inside the import in {ATTEMPTS} attempts");
}
