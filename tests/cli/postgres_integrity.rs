//! The set-based integrity checks of the PostgreSQL schema (migration 6) refuse, for any
//! client, what figures' foreign keys refused: a figure naming a missing parent (INSERT,
//! COPY, UPDATE), removing a parent a figure names, and either of them racing the other from
//! two connections, made deterministic by holding one transaction open while the other
//! waits on it. Skipped, saying so, without a server.

use crate::util::{PgDatabase, postgres_server};
use sqlx::{Connection, PgConnection};
use std::process::Command;
use std::time::{Duration, Instant};

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(future)
}

/// A database econtrack set up with its built-in data, and one new source ("idle", with no
/// figure) that the races delete.
fn seeded(server: &str) -> PgDatabase {
    let db = PgDatabase::create(server);
    let output = Command::new(assert_cmd::cargo::cargo_bin("econtrack"))
        .env_remove("ECONTRACK_DB")
        .args(["--db", &db.url, "init"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    block_on(async {
        let mut conn = PgConnection::connect(&db.url).await.unwrap();
        sqlx::raw_sql("INSERT INTO sources (slug, name) VALUES ('idle', 'Idle')").execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    });
    db
}

/// A figure of an existing indicator and entity under source `source` (a subquery or an id)
/// at a key no other figure holds.
const NEW_FIGURE: &str = "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
    SELECT (SELECT min(id) FROM indicators), (SELECT min(id) FROM entities), 209901010, 'forecast', $1, DATE '2099-01-01', 1";

const IDLE: &str = "SELECT id FROM sources WHERE slug = 'idle'";

/// The SQLSTATE and message of a statement's failure (panics if it succeeded).
fn refusal<T: std::fmt::Debug>(result: Result<T, sqlx::Error>) -> (String, String) {
    match result {
        Err(sqlx::Error::Database(db)) => (db.code().unwrap_or_default().into_owned(), db.message().to_string()),
        other => panic!("expected the server to refuse, got {other:?}"),
    }
}

/// Waits until the server process `pid` waits for a lock (it is blocked on the other session).
async fn until_waiting_on_a_lock(watcher: &mut PgConnection, pid: i32) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let waiting: bool =
            sqlx::query_scalar("SELECT coalesce(wait_event_type = 'Lock', false) FROM pg_stat_activity WHERE pid = $1")
                .bind(pid)
                .fetch_one(&mut *watcher)
                .await
                .unwrap();
        if waiting {
            return;
        }
        assert!(Instant::now() < deadline, "server process {pid} never waited for the lock");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn pid(conn: &mut PgConnection) -> i32 {
    sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(conn).await.unwrap()
}

#[test]
fn a_figure_naming_a_missing_parent_is_refused_by_insert_copy_and_update() {
    let Some(server) = postgres_server("a_figure_naming_a_missing_parent_is_refused_by_insert_copy_and_update") else {
        return;
    };
    let db = seeded(&server);
    block_on(async {
        let mut conn = PgConnection::connect(&db.url).await.unwrap();
        let before: i64 = sqlx::query_scalar("SELECT count(*) FROM figures").fetch_one(&mut conn).await.unwrap();

        let (state, message) = refusal(sqlx::query(NEW_FIGURE).bind(987_654_i64).execute(&mut conn).await);
        assert_eq!(state, "23503");
        assert!(message.contains("violates foreign key constraint \"figures_source_id_fkey\""), "{message}");

        // COPY, as psql's \copy sends it: one good row, then one whose entity has no row.
        let ids: (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT min(id) FROM indicators), (SELECT min(id) FROM entities), (SELECT min(id) FROM sources)",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        let (indicator, entity, source) = ids;
        let rows = format!(
            "{indicator}\t{entity}\t209901010\tforecast\t{source}\t2099-01-01\t1\n{indicator}\t987654\t209901010\tforecast\t{source}\t2099-01-01\t1\n"
        );
        let mut copy = conn
            .copy_in_raw("COPY figures (indicator_id, entity_id, period, kind, source_id, published, value) FROM STDIN")
            .await
            .unwrap();
        copy.send(rows.as_bytes()).await.unwrap();
        let (state, message) = refusal(copy.finish().await);
        assert_eq!(state, "23503");
        assert!(message.contains("\"figures_entity_id_fkey\""), "{message}");

        // An UPDATE re-pointing a stored figure at an indicator, or a document, that has no row.
        let (state, message) = refusal(
            sqlx::query("UPDATE figures SET indicator_id = 987654 WHERE ctid = (SELECT min(ctid) FROM figures)")
                .execute(&mut conn)
                .await,
        );
        assert_eq!(state, "23503");
        assert!(message.contains("\"figures_indicator_id_fkey\""), "{message}");
        let (state, message) = refusal(sqlx::query("UPDATE figures SET document_id = 987654").execute(&mut conn).await);
        assert_eq!(state, "23503");
        assert!(message.contains("\"figures_document_id_fkey\""), "{message}");

        // What a foreign key took, the checks take: a figure whose parents all exist.
        sqlx::query(NEW_FIGURE).bind(source).execute(&mut conn).await.unwrap();
        let after: i64 = sqlx::query_scalar("SELECT count(*) FROM figures").fetch_one(&mut conn).await.unwrap();
        assert_eq!(after, before + 1);
        conn.close().await.unwrap();
    });
}

#[test]
fn removing_a_parent_that_a_figure_names_is_refused() {
    let Some(server) = postgres_server("removing_a_parent_that_a_figure_names_is_refused") else { return };
    let db = seeded(&server);
    block_on(async {
        let mut conn = PgConnection::connect(&db.url).await.unwrap();
        let used = "(SELECT min(source_id) FROM figures)";
        for statement in [
            "DELETE FROM sources WHERE id = (SELECT min(source_id) FROM figures)",
            "UPDATE sources SET id = id + 100000 WHERE id = (SELECT min(source_id) FROM figures)",
            "DELETE FROM entities WHERE id = (SELECT min(entity_id) FROM figures)",
            "DELETE FROM indicators WHERE id = (SELECT max(indicator_id) FROM figures)",
        ] {
            let (state, message) = refusal(sqlx::raw_sql(statement).execute(&mut conn).await);
            assert_eq!(state, "23503", "{statement}: {message}");
            assert!(message.contains("violates foreign key constraint") && message.contains("on table \"figures\""));
        }
        let (state, _) = refusal(sqlx::raw_sql("TRUNCATE sources CASCADE").execute(&mut conn).await);
        assert_eq!(state, "0A000");
        // A row no figure names goes, as it did.
        sqlx::raw_sql("DELETE FROM sources WHERE slug = 'idle'").execute(&mut conn).await.unwrap();
        let kept: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM sources WHERE id = {used}")))
                .fetch_one(&mut conn)
                .await
                .unwrap();
        assert_eq!(kept, 1);
        conn.close().await.unwrap();
    });
}

/// An importer (another client's plain INSERT) names the idle source and holds its
/// transaction open; a delete of that source from a second connection waits for the
/// importer's key-share lock and, once the importer commits, is refused: the check runs
/// after the wait and sees the committed figure.
#[test]
fn a_delete_racing_an_open_import_waits_for_it_and_is_refused() {
    let Some(server) = postgres_server("a_delete_racing_an_open_import_waits_for_it_and_is_refused") else { return };
    let db = seeded(&server);
    block_on(async {
        let mut importer = PgConnection::connect(&db.url).await.unwrap();
        let mut deleter = PgConnection::connect(&db.url).await.unwrap();
        let mut watcher = PgConnection::connect(&db.url).await.unwrap();
        let deleter_pid = pid(&mut deleter).await;

        sqlx::raw_sql("BEGIN").execute(&mut importer).await.unwrap();
        let idle: i64 = sqlx::query_scalar(IDLE).fetch_one(&mut importer).await.unwrap();
        sqlx::query(NEW_FIGURE).bind(idle).execute(&mut importer).await.unwrap();
        // The importer's transaction is open here, its figure not yet committed.
        let delete = tokio::spawn(async move {
            let result = sqlx::raw_sql("DELETE FROM sources WHERE slug = 'idle'").execute(&mut deleter).await;
            (result.map(|done| done.rows_affected()), deleter)
        });
        until_waiting_on_a_lock(&mut watcher, deleter_pid).await;
        sqlx::raw_sql("COMMIT").execute(&mut importer).await.unwrap();
        let (result, deleter) = delete.await.unwrap();
        let (state, message) = refusal(result);
        assert_eq!(state, "23503", "{message}");
        assert!(message.contains("\"figures_source_id_fkey\""), "{message}");
        let orphans: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM figures f WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = f.source_id)",
        )
        .fetch_one(&mut watcher)
        .await
        .unwrap();
        assert_eq!(orphans, 0);
        for conn in [importer, deleter, watcher] {
            conn.close().await.unwrap();
        }
    });
}

/// The other order: the delete of the idle source is made and held open first; an import
/// naming it waits for the deleter's row lock and, once the delete commits, is refused
/// (under READ COMMITTED as a missing parent, under REPEATABLE READ as a serialization failure).
#[test]
fn an_import_racing_an_open_delete_waits_for_it_and_is_refused() {
    let Some(server) = postgres_server("an_import_racing_an_open_delete_waits_for_it_and_is_refused") else { return };
    for (isolation, expected) in [("READ COMMITTED", "23503"), ("REPEATABLE READ", "40001"), ("SERIALIZABLE", "40001")]
    {
        let db = seeded(&server);
        block_on(async {
            let mut importer = PgConnection::connect(&db.url).await.unwrap();
            let mut deleter = PgConnection::connect(&db.url).await.unwrap();
            let mut watcher = PgConnection::connect(&db.url).await.unwrap();
            let importer_pid = pid(&mut importer).await;
            let idle: i64 = sqlx::query_scalar(IDLE).fetch_one(&mut watcher).await.unwrap();

            // The importer's snapshot is taken before the delete commits.
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("BEGIN ISOLATION LEVEL {isolation}")))
                .execute(&mut importer)
                .await
                .unwrap();
            let _: i64 = sqlx::query_scalar("SELECT count(*) FROM sources").fetch_one(&mut importer).await.unwrap();
            sqlx::raw_sql("BEGIN").execute(&mut deleter).await.unwrap();
            sqlx::raw_sql("DELETE FROM sources WHERE slug = 'idle'").execute(&mut deleter).await.unwrap();
            let insert = tokio::spawn(async move {
                let result = sqlx::query(NEW_FIGURE).bind(idle).execute(&mut importer).await;
                (result.map(|done| done.rows_affected()), importer)
            });
            until_waiting_on_a_lock(&mut watcher, importer_pid).await;
            sqlx::raw_sql("COMMIT").execute(&mut deleter).await.unwrap();
            let (result, importer) = insert.await.unwrap();
            let (state, message) = refusal(result);
            assert_eq!(state, expected, "{isolation}: {message}");
            let figures: i64 = sqlx::query_scalar("SELECT count(*) FROM figures WHERE source_id = $1")
                .bind(idle)
                .fetch_one(&mut watcher)
                .await
                .unwrap();
            assert_eq!(figures, 0, "{isolation}");
            for conn in [importer, deleter, watcher] {
                conn.close().await.unwrap();
            }
        });
    }
}

/// Under REPEATABLE READ or SERIALIZABLE a trigger's queries see the transaction's snapshot,
/// which can miss figures committed while the delete waited: a delete or re-key of a
/// dimension row is refused there, even of a row no figure names, and goes through under
/// READ COMMITTED.
#[test]
fn removing_a_parent_is_refused_outside_read_committed() {
    let Some(server) = postgres_server("removing_a_parent_is_refused_outside_read_committed") else { return };
    let db = seeded(&server);
    block_on(async {
        let mut conn = PgConnection::connect(&db.url).await.unwrap();
        for isolation in ["REPEATABLE READ", "SERIALIZABLE"] {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("BEGIN ISOLATION LEVEL {isolation}")))
                .execute(&mut conn)
                .await
                .unwrap();
            let (state, message) =
                refusal(sqlx::raw_sql("DELETE FROM sources WHERE slug = 'idle'").execute(&mut conn).await);
            assert_eq!(state, "0A000", "{isolation}");
            assert!(message.contains("needs READ COMMITTED"), "{message}");
            sqlx::raw_sql("ROLLBACK").execute(&mut conn).await.unwrap();
        }
        // A statement that removes nothing is not refused at any level.
        sqlx::raw_sql(
            "BEGIN ISOLATION LEVEL SERIALIZABLE; UPDATE sources SET name = 'Idle again' WHERE slug = 'idle'; COMMIT",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::raw_sql("DELETE FROM sources WHERE slug = 'idle'").execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    });
}
