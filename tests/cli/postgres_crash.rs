//! An import into a PostgreSQL database killed part-way (SIGKILL: the server sees the
//! connection drop mid-transaction) leaves the database as it was, and the next writer goes
//! through. Skipped, saying so, without a server.

use crate::util::{PgDatabase, csv_rows, postgres_server};
use sqlx::Connection;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Enough rows for many batches of `COPY` and `INSERT … SELECT`.
const ROWS: usize = 200_000;

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

fn econtrack(url: &str) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("econtrack"));
    cmd.env_remove("ECONTRACK_DB").env_remove("COLUMNS").arg("--db").arg(url);
    cmd
}

fn ok(url: &str, args: &[&str]) -> String {
    let output = econtrack(url).args(args).output().unwrap();
    assert!(output.status.success(), "econtrack {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// Whether a connection to the database has emptied the staging table for a second batch:
/// its transaction then holds at least one batch of inserted figures.
const PAST_FIRST_BATCH: &str = "SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND query = 'TRUNCATE figures_staging'";

#[test]
fn a_postgres_import_killed_part_way_leaves_none_of_it() {
    let Some(server) = postgres_server("a_postgres_import_killed_part_way_leaves_none_of_it") else { return };
    let database = PgDatabase::create(&server);
    let dir = tempfile::tempdir().unwrap();
    ok(&database.url, &["init"]);
    let before = ok(&database.url, &["export", "values"]);
    let file = big_values_file(dir.path());
    let mut import = econtrack(&database.url)
        .args(["import", file.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mid_way = runtime.block_on(async {
        let mut conn = sqlx::PgConnection::connect(&database.url).await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(300);
        let mut mid_way = false;
        while Instant::now() < deadline && import.try_wait().unwrap().is_none() {
            let seen: i64 = sqlx::query_scalar(PAST_FIRST_BATCH).fetch_one(&mut conn).await.unwrap();
            if seen > 0 {
                mid_way = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        conn.close().await.unwrap();
        mid_way
    });
    import.kill().unwrap();
    import.wait().unwrap();
    assert!(mid_way, "the import finished before it could be killed mid-way");
    assert_eq!(ok(&database.url, &["export", "values"]), before, "a killed import left rows behind");
    // The server dropped the killed connection's lock: the next writer goes through.
    ok(
        &database.url,
        &[
            "add",
            "forecast",
            "--indicator",
            "gdp.real.growth",
            "--entity",
            "CN",
            "--period",
            "2031",
            "--value",
            "4",
            "--source",
            "ubs",
            "--published",
            "2031-01-01",
        ],
    );
    assert_eq!(csv_rows(&ok(&database.url, &["export", "values"])).len(), csv_rows(&before).len() + 1);
}
