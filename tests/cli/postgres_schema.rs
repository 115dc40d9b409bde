//! The PostgreSQL schema (`migrations/postgres/`) against the SQLite one: every row the
//! SQLite schema refuses, PostgreSQL refuses too, the values it keeps are exactly the ones
//! econtrack can hold, and the views read the same. Skipped, saying so, without a server.

use crate::util::{Env, PgDatabase, postgres_server};
use sqlx::{Connection, PgConnection, SqliteConnection};

static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The same three dimension records on both backends, ids given.
const DIMENSIONS: &str = "
INSERT INTO sources (id, slug, name) VALUES (1, 's', 'S');
INSERT INTO indicators (id, code, name, unit) VALUES (1, 'i', 'I', '%');
INSERT INTO entities (id, code, name) VALUES (1, 'e', 'E');";

/// PostgreSQL's identity sequences do not follow ids given explicitly: moved past them, so
/// that a row added without an id is refused (or not) for its own sake, not an id clash.
const POSTGRES_SEQUENCES: &str = "
SELECT setval(pg_get_serial_sequence('sources', 'id'), 10);
SELECT setval(pg_get_serial_sequence('indicators', 'id'), 10);
SELECT setval(pg_get_serial_sequence('entities', 'id'), 10);
SELECT setval(pg_get_serial_sequence('documents', 'id'), 10);";

/// One figure both hold, so that its key is taken.
const SQLITE_FIGURE: &str = "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
    VALUES (1, 1, 202401010, 'forecast', 1, 20240301, '5')";
const POSTGRES_FIGURE: &str = "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
    VALUES (1, 1, 202401010, 'forecast', 1, DATE '2024-03-01', 5)";

/// (what is wrong, the SQLite statement, the same on PostgreSQL): each must be refused by both.
const REFUSED_BY_BOTH: &[(&str, &str, &str)] = &[
    (
        "a source kind outside the list",
        "INSERT INTO sources (slug, name, kind) VALUES ('x', 'X', 'blog')",
        "INSERT INTO sources (slug, name, kind) VALUES ('x', 'X', 'blog')",
    ),
    (
        "a duplicate source slug",
        "INSERT INTO sources (slug, name) VALUES ('s', 'again')",
        "INSERT INTO sources (slug, name) VALUES ('s', 'again')",
    ),
    (
        "an entity kind outside the list",
        "INSERT INTO entities (code, name, kind) VALUES ('x', 'X', 'planet')",
        "INSERT INTO entities (code, name, kind) VALUES ('x', 'X', 'planet')",
    ),
    (
        "an indicator that is its own proxy",
        "INSERT INTO indicators (id, code, name, unit, proxy_for) VALUES (7, 'x', 'X', '%', 7)",
        "INSERT INTO indicators (id, code, name, unit, proxy_for) VALUES (7, 'x', 'X', '%', 7)",
    ),
    (
        "a proxy for a missing indicator",
        "INSERT INTO indicators (id, code, name, unit, proxy_for) VALUES (8, 'y', 'Y', '%', 99)",
        "INSERT INTO indicators (id, code, name, unit, proxy_for) VALUES (8, 'y', 'Y', '%', 99)",
    ),
    (
        "an indicator without a unit",
        "INSERT INTO indicators (code, name) VALUES ('z', 'Z')",
        "INSERT INTO indicators (code, name) VALUES ('z', 'Z')",
    ),
    (
        "a document dated in a five-digit year",
        "INSERT INTO documents (code, title, published) VALUES ('d', 'D', '10000-01-01')",
        "INSERT INTO documents (code, title, published) VALUES ('d', 'D', DATE '10000-01-01')",
    ),
    (
        "a period with grain 4",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, 202401014, 'forecast', 1, 20240301, '5')",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, 202401014, 'forecast', 1, DATE '2024-03-01', 5)",
    ),
    (
        "a negative period",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, -1, 'forecast', 1, 20240301, '5')",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, -1, 'forecast', 1, DATE '2024-03-01', 5)",
    ),
    (
        "a kind outside the list",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, 202401010, 'guess', 1, 20240301, '5')",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, 202401010, 'guess', 1, DATE '2024-03-01', 5)",
    ),
    (
        "a vintage in a three-digit year",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, 202401010, 'forecast', 1, 9990301, '5')",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, 202401010, 'forecast', 1, DATE '0999-03-01', 5)",
    ),
    (
        "a vintage in a five-digit year",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, 202401010, 'forecast', 1, 100000301, '5')",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, 202401010, 'forecast', 1, DATE '10000-03-01', 5)",
    ),
    (
        "a bound outside the list",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, bound)
         VALUES (1, 1, 202401010, 'forecast', 1, 20240302, '5', 'about')",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, bound)
         VALUES (1, 1, 202401010, 'forecast', 1, DATE '2024-03-02', 5, 'about')",
    ),
    (
        "a range without its upper end",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, bound)
         VALUES (1, 1, 202401010, 'forecast', 1, 20240302, '5', 'range')",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, bound)
         VALUES (1, 1, 202401010, 'forecast', 1, DATE '2024-03-02', 5, 'range')",
    ),
    (
        "an upper end on an exact value",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, high)
         VALUES (1, 1, 202401010, 'forecast', 1, 20240302, '5', '6')",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, high)
         VALUES (1, 1, 202401010, 'forecast', 1, DATE '2024-03-02', 5, 6)",
    ),
    (
        "no value",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published)
         VALUES (1, 1, 202401010, 'forecast', 1, 20240302)",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published)
         VALUES (1, 1, 202401010, 'forecast', 1, DATE '2024-03-02')",
    ),
    (
        "a missing indicator",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (99, 1, 202401010, 'forecast', 1, 20240302, '5')",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (99, 1, 202401010, 'forecast', 1, DATE '2024-03-02', 5)",
    ),
    (
        "a missing entity",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 99, 202401010, 'forecast', 1, 20240302, '5')",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 99, 202401010, 'forecast', 1, DATE '2024-03-02', 5)",
    ),
    (
        "a missing source",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, 202401010, 'forecast', 99, 20240302, '5')",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, 202401010, 'forecast', 99, DATE '2024-03-02', 5)",
    ),
    (
        "a missing document",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, document_id)
         VALUES (1, 1, 202401010, 'forecast', 1, 20240302, '5', 99)",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, document_id)
         VALUES (1, 1, 202401010, 'forecast', 1, DATE '2024-03-02', 5, 99)",
    ),
    (
        "a retraction in a five-digit year",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, retracted)
         VALUES (1, 1, 202401010, 'forecast', 1, 20240302, '5', 100000101)",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, retracted)
         VALUES (1, 1, 202401010, 'forecast', 1, DATE '2024-03-02', 5, DATE '10000-01-01')",
    ),
    (
        "a second figure under a taken key",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, 202401010, 'forecast', 1, 20240301, '6')",
        "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
         VALUES (1, 1, 202401010, 'forecast', 1, DATE '2024-03-01', 6)",
    ),
];

/// Values SQLite's TEXT column would take but econtrack never writes (it refuses them on
/// input, src/domain/value.rs): a NUMERIC column must refuse them, so that both backends
/// hold the same numbers and every one reads back into rust_decimal exactly.
const REFUSED_BY_POSTGRES: &[(&str, &str)] = &[
    ("a trailing fractional zero", "4.60"),
    ("a zero with a scale", "0.0"),
    ("29 significant digits", "12345678901234567890123456789"),
    ("28 digits and a fraction", "1234567890123456789012345678.9"),
    ("a scale of 29", "0.00000000000000000000000000001"),
];

/// The extremes econtrack does write: each must be kept, and read back digit for digit.
const KEPT_BY_POSTGRES: &[&str] = &[
    "9999999999999999999999999999",
    "-9999999999999999999999999999",
    "0.0000000000000000000000000001",
    "1000000000000000000000000000",
    "0",
    "-4.6",
];

async fn sqlite(env: &Env) -> SqliteConnection {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&env.db).foreign_keys(true);
    SqliteConnection::connect_with(&options).await.expect("open the SQLite database")
}

async fn postgres(url: &str) -> PgConnection {
    let mut conn = PgConnection::connect(url).await.expect("connect to the test database");
    POSTGRES_MIGRATOR.run(&mut conn).await.expect("migrate");
    conn
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(future)
}

#[test]
fn postgres_refuses_every_row_the_sqlite_schema_refuses() {
    let Some(server) = postgres_server("postgres_refuses_every_row_the_sqlite_schema_refuses") else { return };
    let env = Env::empty();
    let database = PgDatabase::create(&server);
    block_on(async {
        let mut lite = sqlite(&env).await;
        let mut pg = postgres(&database.url).await;
        sqlx::raw_sql(DIMENSIONS).execute(&mut lite).await.unwrap();
        sqlx::raw_sql(SQLITE_FIGURE).execute(&mut lite).await.unwrap();
        sqlx::raw_sql(DIMENSIONS).execute(&mut pg).await.unwrap();
        sqlx::raw_sql(POSTGRES_SEQUENCES).execute(&mut pg).await.unwrap();
        sqlx::raw_sql(POSTGRES_FIGURE).execute(&mut pg).await.unwrap();
        for (wrong, on_sqlite, on_postgres) in REFUSED_BY_BOTH {
            assert!(sqlx::raw_sql(*on_sqlite).execute(&mut lite).await.is_err(), "SQLite took {wrong}");
            assert!(sqlx::raw_sql(*on_postgres).execute(&mut pg).await.is_err(), "PostgreSQL took {wrong}");
        }
        // Refused one at a time: nothing but the setup is stored.
        let figures: i64 = sqlx::query_scalar("SELECT count(*) FROM figures").fetch_one(&mut pg).await.unwrap();
        let sources: i64 = sqlx::query_scalar("SELECT count(*) FROM sources").fetch_one(&mut pg).await.unwrap();
        assert_eq!((figures, sources), (1, 1));
        pg.close().await.unwrap();
        lite.close().await.unwrap();
    });
}

#[test]
fn postgres_keeps_exactly_the_values_econtrack_writes() {
    let Some(server) = postgres_server("postgres_keeps_exactly_the_values_econtrack_writes") else { return };
    let database = PgDatabase::create(&server);
    block_on(async {
        let mut pg = postgres(&database.url).await;
        sqlx::raw_sql(DIMENSIONS).execute(&mut pg).await.unwrap();
        let insert = |column: &'static str| {
            match column {
            "value" => {
                "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
                 VALUES (1, 1, 202401010, 'forecast', 1, $1, $2::numeric)"
            }
            "high" => {
                "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, bound, high)
                 VALUES (1, 1, 202401010, 'forecast', 1, $1, -1, 'range', $2::numeric)"
            }
            _ => {
                "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, bound, tolerance)
                 VALUES (1, 1, 202401010, 'target', 1, $1, 5, 'approx', $2::numeric)"
            }
        }
        };
        let mut day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        for column in ["value", "high", "tolerance"] {
            for (wrong, text) in REFUSED_BY_POSTGRES {
                day = day.succ_opt().unwrap();
                let outcome = sqlx::query(insert(column)).bind(day).bind(*text).execute(&mut pg).await;
                assert!(outcome.is_err(), "PostgreSQL took {wrong} ({text}) as {column}");
            }
        }
        for text in KEPT_BY_POSTGRES {
            day = day.succ_opt().unwrap();
            sqlx::query(insert("value")).bind(day).bind(*text).execute(&mut pg).await.unwrap_or_else(|err| {
                panic!("PostgreSQL refused {text}: {err}");
            });
            let back: String = sqlx::query_scalar("SELECT value::text FROM figures WHERE published = $1")
                .bind(day)
                .fetch_one(&mut pg)
                .await
                .unwrap();
            assert_eq!(&back, text);
            let decimal: rust_decimal::Decimal = back.parse().expect("rust_decimal reads it");
            assert_eq!(decimal.to_string(), *text, "read back exactly");
        }
        pg.close().await.unwrap();
    });
}

/// The same figures, as each backend's `values_view` shows them (all but `recorded`).
#[test]
fn the_views_read_the_same_on_both_backends() {
    let Some(server) = postgres_server("the_views_read_the_same_on_both_backends") else { return };
    const SQLITE_ROWS: &str = "
INSERT INTO documents (id, code, title, published) VALUES (1, 'doc', 'Doc', '2024-03-05');
INSERT INTO indicators (id, code, name, unit, proxy_for) VALUES (2, 'j', 'J', '%', 1);
INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, bound, high, document_id, quote, retracted, retraction_note, recorded) VALUES
  (1, 1, 202401010, 'target', 1, 20240305, '5', 'range', '5.5', 1, '「约5%」', NULL, NULL, 'x'),
  (1, 1, 202404011, 'forecast', 1, 20240306, '-0.25', 'exact', NULL, NULL, NULL, 20240401, 'typo', 'x'),
  (2, 1, 202403012, 'actual', 1, 20240307, '1234567890123456789012345678', 'exact', NULL, NULL, NULL, NULL, NULL, 'x'),
  (2, 1, 202403053, 'estimate', 1, 10000101, '0.0000000000000000000000000001', 'exact', NULL, NULL, NULL, NULL, NULL, 'x');";
    const POSTGRES_ROWS: &str = "
INSERT INTO documents (id, code, title, published) VALUES (1, 'doc', 'Doc', DATE '2024-03-05');
INSERT INTO indicators (id, code, name, unit, proxy_for) VALUES (2, 'j', 'J', '%', 1);
INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, bound, high, document_id, quote, retracted, retraction_note, recorded) VALUES
  (1, 1, 202401010, 'target', 1, DATE '2024-03-05', 5, 'range', 5.5, 1, '「约5%」', NULL, NULL, 'x'),
  (1, 1, 202404011, 'forecast', 1, DATE '2024-03-06', -0.25, 'exact', NULL, NULL, NULL, DATE '2024-04-01', 'typo', 'x'),
  (2, 1, 202403012, 'actual', 1, DATE '2024-03-07', 1234567890123456789012345678, 'exact', NULL, NULL, NULL, NULL, NULL, 'x'),
  (2, 1, 202403053, 'estimate', 1, DATE '1000-01-01', 0.0000000000000000000000000001, 'exact', NULL, NULL, NULL, NULL, NULL, 'x');";
    // Every column as text (NULL as None), in a fixed order.
    const READ_VIEWS: &str = "
SELECT indicator || '|' || entity || '|' || period || '|' || kind || '|' || value || '|' || unit || '|' || source
       || '|' || published || '|' || bound || '|' || coalesce(high, '-') || '|' || coalesce(tolerance, '-')
       || '|' || coalesce(document, '-') || '|' || coalesce(quote, '-') || '|' || coalesce(note, '-')
       || '|' || coalesce(retracted, '-') || '|' || coalesce(retraction_note, '-') || '|' || recorded
FROM values_view
UNION ALL
SELECT code || '|' || name || '|' || unit || '|' || coalesce(proxy_for, '-') FROM indicators_view
ORDER BY 1";
    let env = Env::empty();
    let database = PgDatabase::create(&server);
    let (on_sqlite, on_postgres) = block_on(async {
        let mut lite = sqlite(&env).await;
        let mut pg = postgres(&database.url).await;
        sqlx::raw_sql(DIMENSIONS).execute(&mut lite).await.unwrap();
        sqlx::raw_sql(SQLITE_ROWS).execute(&mut lite).await.unwrap();
        sqlx::raw_sql(DIMENSIONS).execute(&mut pg).await.unwrap();
        sqlx::raw_sql(POSTGRES_ROWS).execute(&mut pg).await.unwrap();
        let on_sqlite: Vec<String> = sqlx::query_scalar(READ_VIEWS).fetch_all(&mut lite).await.unwrap();
        let on_postgres: Vec<String> = sqlx::query_scalar(READ_VIEWS).fetch_all(&mut pg).await.unwrap();
        lite.close().await.unwrap();
        pg.close().await.unwrap();
        (on_sqlite, on_postgres)
    });
    assert_eq!(on_sqlite.len(), 6, "{on_sqlite:#?}");
    assert!(on_sqlite.iter().any(|row| row.starts_with("i|e|2024-Q2|forecast|-0.25|")), "{on_sqlite:#?}");
    assert_eq!(on_postgres, on_sqlite);
}
