//! A temporary database and a way to run econtrack against it.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A scratch folder and the database the commands run against: a SQLite file in the folder,
/// or, when `ECONTRACK_TEST_BACKEND=postgres`, a fresh database on the PostgreSQL server
/// (`db` then holds its URL, which `--db` takes as it takes a path).
pub struct Env {
    pub dir: TempDir,
    pub db: PathBuf,
}

/// Which backend the end-to-end tests run on: `ECONTRACK_TEST_BACKEND`, SQLite unless it
/// says `postgres` (and then `ECONTRACK_TEST_POSTGRES` names the server).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend() -> Backend {
    match std::env::var("ECONTRACK_TEST_BACKEND").as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => Backend::Sqlite,
        Ok("postgres") => Backend::Postgres,
        Ok(other) => panic!("ECONTRACK_TEST_BACKEND is \"{other}\"; use sqlite (the default) or postgres"),
    }
}

/// Tests that cannot run on PostgreSQL as they stand, by the name the test harness gives
/// their thread, and why. On PostgreSQL they run on a SQLite file instead, saying so in one
/// line; each either tests SQLite itself, or reaches the file behind the harness's back
/// and is to be ported (the reason says which).
const SQLITE_ONLY: &[(&str, &str)] = &[
    ("crash::an_import_killed_part_way_leaves_none_of_it", "finds the import mid-way by SQLite's WAL file growing"),
    ("crash::an_add_waiting_on_a_killed_import_goes_through", "finds the import mid-way by SQLite's WAL file growing"),
    (
        "corrections::the_views_show_codes_periods_and_dates_as_text",
        "reads the views with SQLite (postgres_schema compares them)",
    ),
    ("crash::an_import_killed_while_it_sorts_leaves_none_of_it", "watches SQLite's WAL file grow"),
    (
        "crash::a_backup_during_an_import_is_consistent",
        "finds the import mid-way by SQLite's WAL file growing (copy.rs tests backups of a server during writes)",
    ),
    ("exit_codes::a_check_that_finds_problems_is_one", "edits the file with SQLite behind econtrack's back"),
    ("exit_codes::an_environment_failure_is_three", "file-system faults of a database file"),
    ("input_checks::codes_stored_before_the_rules_stay_usable", "writes the file with SQLite behind econtrack's back"),
    ("input_checks::units_stored_before_the_list_stay_usable", "writes the file with SQLite behind econtrack's back"),
    (
        "maintenance::check_names_every_row_changed_behind_its_back",
        "edits the file with SQLite behind econtrack's back",
    ),
    (
        "postgres_schema::postgres_refuses_every_row_the_sqlite_schema_refuses",
        "compares SQLite's schema with the server's",
    ),
    ("postgres_schema::the_views_read_the_same_on_both_backends", "compares SQLite's views with the server's"),
    ("storage::a_database_in_a_missing_folder_is_one_clear_error", "file-system faults of a database file"),
    ("storage::a_database_in_a_read_only_folder_names_the_folder_and_why", "file-system faults of a database file"),
    ("storage::a_database_on_a_full_disk_says_the_disk_is_full", "file-system faults of a database file"),
    ("storage::a_folder_given_as_the_database_is_one_clear_error", "file-system faults of a database file"),
    ("storage::a_read_only_database_is_one_clear_error_and_stays_unchanged", "file-system faults of a database file"),
    (
        "storage::a_newer_schema_is_refused_and_left_byte_for_byte_unchanged",
        "compares the file byte for byte (PgStore's own test covers the server)",
    ),
    (
        "storage::databases_of_every_released_schema_open_and_upgrade",
        "opens the SQLite fixtures tests/fixtures/schema-v*.db",
    ),
    (
        "storage::the_schema_refuses_a_kind_or_bound_outside_its_lists",
        "SQLite's CHECKs (postgres_schema tests the server's)",
    ),
];

/// Why the running test is SQLite-only, if it is.
fn sqlite_only() -> Option<(&'static str, &'static str)> {
    let thread = std::thread::current();
    let name = thread.name()?;
    SQLITE_ONLY.iter().copied().find(|(test, _)| *test == name)
}

/// The PostgreSQL databases made for the tests that are running, by URL: dropped with
/// their `Env`.
static PG_DATABASES: std::sync::Mutex<Vec<PgDatabase>> = std::sync::Mutex::new(Vec::new());

impl Env {
    /// A fresh folder with no database in it yet (on PostgreSQL, a fresh empty database).
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("test.db");
        if backend() == Backend::Sqlite {
            return Env { dir, db: file };
        }
        if let Some((test, why)) = sqlite_only() {
            eprintln!("sqlite only: {test} runs on SQLite, not PostgreSQL: {why}");
            return Env { dir, db: file };
        }
        let server = std::env::var("ECONTRACK_TEST_POSTGRES").expect(
            "ECONTRACK_TEST_BACKEND=postgres needs ECONTRACK_TEST_POSTGRES (`eval \"$(.ci/postgres.sh start)\"`)",
        );
        let database = PgDatabase::create(&server);
        let db = PathBuf::from(&database.url);
        PG_DATABASES.lock().unwrap_or_else(|e| e.into_inner()).push(database);
        Env { dir, db }
    }

    /// A database holding only the schema.
    pub fn empty() -> Env {
        let env = Env::new();
        env.ok(&["init", "--empty"]);
        env
    }

    /// A database loaded with the built-in data.
    pub fn seeded() -> Env {
        let env = Env::new();
        env.ok(&["init"]);
        env
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("econtrack").expect("binary");
        // COLUMNS would fit tables to the width of the shell running the tests.
        cmd.env_remove("ECONTRACK_DB").env_remove("COLUMNS").arg("--db").arg(&self.db);
        cmd
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.cmd().args(args).output().expect("run");
        assert!(output.status.success(), "econtrack {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("utf-8 stdout")
    }

    /// Runs and expects failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let output = self.cmd().args(args).output().expect("run");
        assert!(
            !output.status.success(),
            "econtrack {args:?} should have failed; stdout:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
        String::from_utf8(output.stderr).expect("utf-8 stderr")
    }

    /// The whole database as CSV, to compare before and after.
    pub fn snapshot(&self) -> String {
        ["values", "sources", "indicators", "entities", "documents", "releases"]
            .iter()
            .map(|table| self.ok(&["export", table]))
            .collect()
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let mut databases = PG_DATABASES.lock().unwrap_or_else(|e| e.into_inner());
        let url = self.db.to_str();
        // Dropping a database (outside the lock) drops it on the server.
        let mine: Vec<PgDatabase> = databases.extract_if(.., |database| Some(database.url.as_str()) == url).collect();
        drop(databases);
        drop(mine);
    }
}

/// CSV rows (header first) as vectors of fields.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The rows of a CSV whose `column` equals `value`, as maps from column to field.
pub fn rows_where(text: &str, column: &str, value: &str) -> Vec<std::collections::HashMap<String, String>> {
    let rows = csv_rows(text);
    let header = &rows[0];
    rows[1..]
        .iter()
        .map(|row| header.iter().cloned().zip(row.iter().cloned()).collect::<std::collections::HashMap<_, _>>())
        .filter(|row| row.get(column).map(String::as_str) == Some(value))
        .collect()
}

pub fn data_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data"))
}

/// Runs `future` to completion: the tests that reach into a database with sqlx are plain
/// `#[test]`s, like the rest.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(future)
}

/// A connection that goes behind econtrack's back, as another tool might: foreign keys off.
async fn raw_connection(db: &Path) -> sqlx::SqliteConnection {
    use sqlx::Connection;
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(db).foreign_keys(false);
    sqlx::SqliteConnection::connect_with(&options).await.expect("open the database directly")
}

/// Runs SQL statements directly against a database file.
pub fn raw_sql(db: &Path, statements: &'static str) {
    block_on(async {
        use sqlx::Connection;
        let mut conn = raw_connection(db).await;
        sqlx::raw_sql(statements).execute(&mut conn).await.expect("raw SQL");
        conn.close().await.expect("close");
    })
}

/// Runs one statement directly against a database file; SQLite's error message if it fails.
pub fn raw_sql_error(db: &Path, statement: &'static str) -> Option<String> {
    block_on(async {
        use sqlx::Connection;
        let mut conn = raw_connection(db).await;
        let outcome = sqlx::raw_sql(statement).execute(&mut conn).await;
        conn.close().await.expect("close");
        outcome.err().map(|e| e.to_string())
    })
}

/// The single integer a query returns, read directly from a database file.
pub fn raw_count(db: &Path, query: &'static str) -> i64 {
    block_on(async {
        use sqlx::Connection;
        let mut conn = raw_connection(db).await;
        let n = sqlx::query_scalar(query).fetch_one(&mut conn).await.expect("query");
        conn.close().await.expect("close");
        n
    })
}

/// The arguments of `econtrack add`: a value of `indicator` for CN in 2024 unless
/// `entity` or `period` say otherwise, with any further flags after.
pub struct Add<'a> {
    kind: &'a str,
    indicator: &'a str,
    entity: &'a str,
    period: &'a str,
    value: &'a str,
    source: &'a str,
    published: &'a str,
    extra: Vec<&'a str>,
}

impl<'a> Add<'a> {
    pub fn of(kind: &'a str, indicator: &'a str, value: &'a str, source: &'a str, published: &'a str) -> Add<'a> {
        Add { kind, indicator, entity: "CN", period: "2024", value, source, published, extra: Vec::new() }
    }

    pub fn forecast(indicator: &'a str, value: &'a str, source: &'a str, published: &'a str) -> Add<'a> {
        Add::of("forecast", indicator, value, source, published)
    }

    pub fn entity(mut self, entity: &'a str) -> Add<'a> {
        self.entity = entity;
        self
    }

    pub fn period(mut self, period: &'a str) -> Add<'a> {
        self.period = period;
        self
    }

    /// More flags, e.g. `&["--bound", "range", "--high", "3"]`.
    pub fn with(mut self, flags: &[&'a str]) -> Add<'a> {
        self.extra.extend_from_slice(flags);
        self
    }

    pub fn args(&self) -> Vec<&'a str> {
        let mut args = vec![
            "add",
            self.kind,
            "--indicator",
            self.indicator,
            "--entity",
            self.entity,
            "--period",
            self.period,
            "--value",
            self.value,
            "--source",
            self.source,
            "--published",
            self.published,
        ];
        args.extend(&self.extra);
        args
    }
}

/// The first column of every row a query returns, as text, read directly from a database file.
pub fn raw_strings(db: &Path, query: &'static str) -> Vec<String> {
    block_on(async {
        use sqlx::Connection;
        let mut conn = raw_connection(db).await;
        let rows = sqlx::query_scalar(query).fetch_all(&mut conn).await.expect("query");
        conn.close().await.expect("close");
        rows
    })
}

/// The PostgreSQL server the PostgreSQL tests run against, from `ECONTRACK_TEST_POSTGRES`
/// (`.ci/postgres.sh start` prints it); `None`, after saying so on stderr, when unset, so
/// that `cargo test` passes on a machine without PostgreSQL and the skip is never silent.
pub fn postgres_server(test: &str) -> Option<String> {
    match std::env::var("ECONTRACK_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("skipped {test}: ECONTRACK_TEST_POSTGRES is unset (`eval \"$(.ci/postgres.sh start)\"` sets it)");
            None
        }
    }
}

/// A fresh, empty PostgreSQL database on the test server, dropped when this goes out of
/// scope (pass or fail, and whoever is still connected to it).
pub struct PgDatabase {
    server: String,
    name: String,
    /// The database's own URL, for `--db` or a direct connection.
    pub url: String,
}

impl PgDatabase {
    pub fn create(server: &str) -> PgDatabase {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        // Unique across the test processes sharing a server, and a plain identifier.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let name = format!("econtrack_test_{}_{}_{nanos}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        pg_admin(server, format!("CREATE DATABASE {name}"));
        let url = database_url(server, &name);
        PgDatabase { server: server.to_string(), name, url }
    }
}

impl Drop for PgDatabase {
    /// `WITH (FORCE)` ends the test's own leftover connections, but a non-superuser may not
    /// end a server process of another role (an autovacuum worker, say, should one be at work
    /// on the database at that moment): such a drop is tried again, and a database that still
    /// will not go is left on the throwaway server with one line, never a panic in a drop.
    fn drop(&mut self) {
        let statement = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        for attempt in 1..=10 {
            match try_pg_admin(&self.server, statement.clone()) {
                Ok(()) => return,
                Err(err) if attempt == 10 => eprintln!("left test database {} on the server: {err}", self.name),
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(200)),
            }
        }
    }
}

/// `server` with its database name replaced by `name` (the query string, if any, kept).
pub fn database_url(server: &str, name: &str) -> String {
    let (head, query) = match server.split_once('?') {
        Some((head, query)) => (head, Some(query)),
        None => (server, None),
    };
    let authority_start = head.find("://").map_or(0, |i| i + 3);
    let base = match head[authority_start..].find('/') {
        Some(slash) => &head[..authority_start + slash],
        None => head,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// Runs one statement on the server's own database (CREATE and DROP DATABASE cannot run
/// in a transaction, nor take parameters; the names are made here, never read from input).
pub fn pg_admin(server: &str, statement: String) {
    try_pg_admin(server, statement).expect("administer the test server");
}

fn try_pg_admin(server: &str, statement: String) -> Result<(), sqlx::Error> {
    block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(server).await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement)).execute(&mut conn).await?;
        conn.close().await
    })
}
