//! `econtrack copy` between SQLite files and PostgreSQL servers, and `backup` of a server
//! database (which goes through it): exact, idempotent, all-or-nothing, never seeded.

use crate::util::{Add, Env, PgDatabase, csv_rows, postgres_server};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// econtrack run on the database `db` (a file or a URL), whatever the harness's backend.
fn on(db: &str) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("econtrack").unwrap();
    cmd.env_remove("ECONTRACK_DB").env_remove("COLUMNS").arg("--db").arg(db);
    cmd
}

fn ok_on(db: &str, args: &[&str]) -> String {
    let output = on(db).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "econtrack --db {db} {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Runs and expects the exit status `code`; returns stderr.
fn fails_on(code: i32, db: &str, args: &[&str]) -> String {
    let output = on(db).args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(code), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stderr).unwrap()
}

/// `copy --from from --to to`, expected to succeed: its summary line.
fn copy(from: &str, to: &str) -> String {
    ok_on(from, &["copy", "--from", from, "--to", to])
}

/// Every file `export all` writes, by name, as bytes.
fn export_all(db: &str, dir: &Path) -> Vec<(String, Vec<u8>)> {
    ok_on(db, &["export", "all", "--output", dir.to_str().unwrap(), "--force"]);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (entry.file_name().to_string_lossy().into_owned(), std::fs::read(entry.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The harness's database with the built-in data, a retracted value with its reason, and an
/// indicator standing in for another, so that every kind of record is copied.
fn varied() -> Env {
    let env = Env::seeded();
    env.ok(&Add::forecast("gdp.real.growth", "4.25", "ubs", "2024-02-01").with(&["--note", "copied exactly"]).args());
    env.ok(&[
        "retract",
        "forecast",
        "--indicator",
        "gdp.real.growth",
        "--entity",
        "CN",
        "--period",
        "2024",
        "--source",
        "ubs",
        "--published",
        "2024-02-01",
        "--reason",
        "entered twice",
        "--on",
        "2024-03-01",
    ]);
    env.ok(&[
        "indicator",
        "add",
        "cpi.core.stand-in",
        "--name",
        "Core CPI stand-in",
        "--unit",
        "percent",
        "--proxy-for",
        "cpi.yoy",
    ]);
    env
}

fn text(db: &Path) -> &str {
    db.to_str().unwrap()
}

#[test]
fn a_copy_into_a_new_file_exports_the_same_bytes_and_a_second_copy_changes_nothing() {
    let env = varied();
    let src = text(&env.db);
    let original = export_all(src, &env.path("original"));
    assert!(
        original
            .iter()
            .any(|(name, bytes)| name == "values.csv" && String::from_utf8_lossy(bytes).contains("entered twice")),
        "the retraction is in the export"
    );
    let copied = env.path("copied.db");
    let summary = copy(src, text(&copied));
    let values = csv_rows(&env.ok(&["export", "values"])).len() - 1;
    assert!(summary.starts_with("copied "), "{summary}");
    assert!(summary.contains(&format!(" {values} values (")), "{summary}");
    assert!(summary.contains(" 0 unchanged)"), "{summary}");
    assert_eq!(export_all(text(&copied), &env.path("copy")), original);
    // Not seeded: the copy holds what SRC held, nothing more (SRC's built-in data included).
    ok_on(text(&copied), &["check"]);

    let again = copy(src, text(&copied));
    assert!(again.contains("(0 new, "), "{again}");
    assert_eq!(export_all(text(&copied), &env.path("copy-again")), original);

    // SQLite file to SQLite file, whatever the harness's backend.
    let second = env.path("second.db");
    copy(text(&copied), text(&second));
    assert_eq!(export_all(text(&second), &env.path("second")), original);
}

#[test]
fn sqlite_to_postgres_and_back_exports_the_same_bytes() {
    let Some(server) = postgres_server("copy::sqlite_to_postgres_and_back_exports_the_same_bytes") else { return };
    let env = varied();
    let file = env.path("original.db");
    copy(text(&env.db), text(&file));
    let original = export_all(text(&file), &env.path("original"));
    let database = PgDatabase::create(&server);
    let first = copy(text(&file), &database.url);
    assert!(first.contains(" 0 unchanged)"), "{first}");
    assert!(copy(text(&file), &database.url).contains("(0 new, "), "copying again changes nothing");
    assert_eq!(export_all(&database.url, &env.path("server")), original);
    let back = env.path("back.db");
    copy(&database.url, text(&back));
    assert_eq!(export_all(text(&back), &env.path("back")), original);
    ok_on(text(&back), &["check"]);
}

#[test]
fn a_copy_into_a_database_that_differs_is_refused_and_leaves_it_unchanged() {
    let env = varied();
    let src = text(&env.db);
    env.ok(&Add::forecast("gdp.real.growth", "4.1", "ubs", "2024-05-01").args());
    let dst = env.path("dst.db");
    copy(src, text(&dst));
    // Retracted on SRC only; the same key on both sides with different values; a source
    // renamed on DST.
    ok_on(
        src,
        &[
            "retract",
            "forecast",
            "--indicator",
            "gdp.real.growth",
            "--entity",
            "CN",
            "--period",
            "2024",
            "--source",
            "ubs",
            "--published",
            "2024-05-01",
            "--reason",
            "typo",
            "--on",
            "2024-06-01",
        ],
    );
    env.ok(&Add::forecast("gdp.real.growth", "4.5", "ubs", "2025-01-10").period("2025").args());
    ok_on(text(&dst), &Add::forecast("gdp.real.growth", "4.7", "ubs", "2025-01-10").period("2025").args());
    ok_on(text(&dst), &["source", "add", "ubs", "--name", "UBS Group", "--replace"]);
    let before = export_all(text(&dst), &env.path("before"));
    let error = fails_on(2, src, &["copy", "--to", text(&dst)]);
    assert!(
        error.contains(
            "error: forecast gdp.real.growth CN 2025 by ubs published 2025-01-10 is already stored as 4.7, not 4.5\n"
        ),
        "{error}"
    );
    assert!(
        error.contains("error: source \"ubs\" is already defined differently: name: \"UBS Group\" stored, \"UBS"),
        "{error}"
    );
    assert!(
        error.contains("error: forecast gdp.real.growth CN 2024 by ubs published 2024-05-01 is not retracted where it is stored, retracted on 2024-06-01 (typo) in the copy\n"),
        "{error}"
    );
    assert!(error.contains("nothing was copied"), "{error}");
    assert!(!error.contains("--replace"), "a copy has no --replace: {error}");
    assert_eq!(export_all(text(&dst), &env.path("after")), before);
}

#[test]
fn a_copy_from_a_missing_file_or_onto_itself_is_refused_and_creates_nothing() {
    let env = Env::seeded();
    let missing = env.path("missing.db");
    let dst = env.path("dst.db");
    let error = fails_on(3, text(&env.db), &["copy", "--from", text(&missing), "--to", text(&dst)]);
    assert!(error.contains("no such database file"), "{error}");
    assert!(!missing.exists() && !dst.exists(), "nothing is created");
    let error = fails_on(2, text(&env.db), &["copy", "--to", text(&env.db)]);
    assert!(error.contains("both name"), "{error}");
}

/// Rows enough that a debug build copies them for seconds.
const ROWS: usize = 100_000;

fn big_values_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("big.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(out, "indicator,entity,period,kind,value,source,published").unwrap();
    let first = chrono::NaiveDate::from_ymd_opt(3000, 1, 1).unwrap();
    for i in 0..ROWS {
        let published = first + chrono::Days::new((i % 1000) as u64);
        writeln!(out, "gdp.real.growth,CN,{},forecast,{i}.5,ubs,{published}", 1000 + i / 1000).unwrap();
    }
    out.flush().unwrap();
    path
}

fn wal_size(db: &Path) -> u64 {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).map_or(0, |m| m.len())
}

#[test]
fn a_copy_killed_part_way_leaves_the_destination_as_it_was() {
    let env = Env::seeded();
    let src = env.path("big-src.db");
    copy(text(&env.db), text(&src));
    ok_on(text(&src), &["import", text(&big_values_file(env.dir.path()))]);
    let dst = env.path("dst.db");
    copy(text(&env.db), text(&dst));
    let before = export_all(text(&dst), &env.path("before"));
    let mut copying = Command::new(env!("CARGO_BIN_EXE_econtrack"))
        .args(["copy", "--from", text(&src), "--to", text(&dst)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed once its uncommitted pages have spilled into DST's WAL: mid-transaction.
    let deadline = Instant::now() + Duration::from_secs(300);
    while wal_size(&dst) < 64 * 1024 {
        assert!(copying.try_wait().unwrap().is_none(), "the copy finished before it could be killed");
        assert!(Instant::now() < deadline, "the copy wrote nothing to DST");
        std::thread::sleep(Duration::from_millis(5));
    }
    copying.kill().unwrap();
    copying.wait().unwrap();
    ok_on(text(&dst), &["check"]);
    assert_eq!(export_all(text(&dst), &env.path("after")), before);
    // And a copy run to its end brings every row.
    let summary = copy(text(&src), text(&dst));
    assert!(summary.contains(&format!("({ROWS} new")) || summary.contains("(100,000 new"), "{summary}");
}

#[test]
fn backup_of_a_server_database_is_a_sqlite_file_exporting_the_same_bytes() {
    let Some(server) = postgres_server("copy::backup_of_a_server_database_is_a_sqlite_file_exporting_the_same_bytes")
    else {
        return;
    };
    let env = varied();
    let database = PgDatabase::create(&server);
    copy(text(&env.db), &database.url);
    let original = export_all(&database.url, &env.path("server"));
    let file = env.path("backup.db");
    let said = ok_on(&database.url, &["backup", text(&file)]);
    assert_eq!(said, format!("backed up {} to {}\n", database.url, file.display()));
    assert_eq!(export_all(text(&file), &env.path("backup")), original);
    ok_on(text(&file), &["check"]);
    // An existing file is refused as on SQLite, and --force replaces it.
    let error = fails_on(2, &database.url, &["backup", text(&file)]);
    assert!(error.contains("already exists; use --force"), "{error}");
    ok_on(&database.url, &["backup", text(&file), "--force"]);
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn backup_of_a_server_database_during_writes_is_one_consistent_state() {
    let Some(server) = postgres_server("copy::backup_of_a_server_database_during_writes_is_one_consistent_state")
    else {
        return;
    };
    let env = Env::seeded();
    let database = PgDatabase::create(&server);
    copy(text(&env.db), &database.url);
    // A writer adding, one transaction each, a new source and a value under it: a backup
    // whose reads straddled one of them would meet a value under a source it never read.
    let url = database.url.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writing = {
        let stop = stop.clone();
        let dir = env.dir.path().to_path_buf();
        std::thread::spawn(move || {
            let mut written = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) && written < 200 {
                let folder = dir.join(format!("w{written}"));
                std::fs::create_dir_all(&folder).unwrap();
                std::fs::write(folder.join("sources.csv"), format!("slug,name\nwriter-{written},Writer {written}\n"))
                    .unwrap();
                std::fs::write(
                    folder.join("values.csv"),
                    format!(
                        "indicator,entity,period,kind,value,source,published\ngdp.real.growth,CN,2030,forecast,{written}.5,writer-{written},2029-01-01\n"
                    ),
                )
                .unwrap();
                ok_on(&url, &["import", folder.to_str().unwrap()]);
                written += 1;
            }
            written
        })
    };
    for round in 0..4 {
        let file = env.path(&format!("backup-{round}.db"));
        ok_on(&database.url, &["backup", text(&file)]);
        ok_on(text(&file), &["check"]);
        let sources = csv_rows(&ok_on(text(&file), &["export", "sources"])).len();
        let writers = csv_rows(&ok_on(text(&file), &["export", "values", "--period", "2030"])).len();
        let built_in = csv_rows(&env.ok(&["export", "sources"])).len();
        assert_eq!(sources - built_in, writers - 1, "backup {round}: one value per writer's source");
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    assert!(writing.join().unwrap() > 0);
}

/// Whether a writer holds the lock every write transaction on the server takes first (see
/// `store/postgres`): a copy into the server is then inside its one transaction.
fn writing_now(url: &str) -> bool {
    use sqlx::Connection;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        let held: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
             WHERE c.relname = 'figures' AND l.mode = 'ShareRowExclusiveLock' AND l.granted",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
        held > 0
    })
}

#[test]
fn a_copy_into_a_server_killed_part_way_leaves_it_as_it_was() {
    let Some(server) = postgres_server("copy::a_copy_into_a_server_killed_part_way_leaves_it_as_it_was") else {
        return;
    };
    let env = Env::seeded();
    let src = env.path("big-src.db");
    copy(text(&env.db), text(&src));
    ok_on(text(&src), &["import", text(&big_values_file(env.dir.path()))]);
    let database = PgDatabase::create(&server);
    copy(text(&env.db), &database.url);
    let before = export_all(&database.url, &env.path("before"));
    let mut copying = Command::new(env!("CARGO_BIN_EXE_econtrack"))
        .args(["copy", "--from", text(&src), "--to", &database.url])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    while !writing_now(&database.url) {
        assert!(copying.try_wait().unwrap().is_none(), "the copy finished before it could be killed");
        assert!(Instant::now() < deadline, "the copy never began writing");
        std::thread::sleep(Duration::from_millis(5));
    }
    // Some batches in: the transaction has written rows when it dies.
    std::thread::sleep(Duration::from_millis(200));
    assert!(copying.try_wait().unwrap().is_none(), "the copy finished before it could be killed");
    copying.kill().unwrap();
    copying.wait().unwrap();
    ok_on(&database.url, &["check"]);
    assert_eq!(export_all(&database.url, &env.path("after")), before);
}
