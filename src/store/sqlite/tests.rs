//! The SQLite backend's errors come back as the right [`StoreError`] variants, with the
//! driver's messages unchanged.

use super::SqliteStore;
use crate::domain::model::Figure;
use crate::domain::query::{Dim, FigureFilter, FigureOrder};
use crate::io::progress::Progress;
use crate::store::StoreError;
use sqlx::Connection;

pub(super) fn block_on<T>(work: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(work)
}

/// An in-memory store holding the built-in data, and every figure it holds (retracted ones
/// too) in key order.
pub(super) async fn builtin_store() -> (SqliteStore, Vec<Figure>) {
    let mut store = SqliteStore::open("sqlite::memory:").await.unwrap();
    let options = crate::io::import::Options { replace: true, dry_run: false, clear_empty: true };
    let batch = store.begin().await.unwrap();
    crate::io::import::import_into(batch, crate::io::builtin::inputs(), options, &mut Progress::hidden())
        .await
        .unwrap();
    let filter = FigureFilter { include_retracted: true, ..FigureFilter::default() };
    let mut figures = Vec::new();
    store
        .each_figure(&filter, FigureOrder::Key, |figure| {
            figures.push(figure);
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    (store, figures)
}

#[test]
fn a_new_file_has_16_kib_pages() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path().join("pages.db").to_str().unwrap()).await.unwrap();
        store.begin().await.unwrap().commit().await.unwrap();
        let (size,): (i64,) = sqlx::query_as("PRAGMA page_size").fetch_one(&store.pool).await.unwrap();
        assert_eq!(size, 16384);
    });
}

#[test]
fn a_write_lock_held_elsewhere_is_busy() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.db");
        let mut store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
        let holding = store.begin().await.unwrap();
        // A second connection that will not wait for the lock.
        let url = ["sqlite:", path.to_str().unwrap(), "?mode=rw"].concat();
        let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("PRAGMA busy_timeout = 0").execute(&mut other).await.unwrap();
        let err = StoreError::from(sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await.unwrap_err());
        assert!(matches!(err, StoreError::Busy(_)), "{err:?}");
        // The message is the driver's, unchanged.
        assert!(err.to_string().contains("database is locked"), "{err}");
        drop(holding);
        store.close().await;
    });
}

#[test]
fn an_unknown_code_and_a_newer_schema_are_their_own_variants() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("typed.db");
        let path = path.to_str().unwrap();
        let mut store = SqliteStore::open(path).await.unwrap();
        store.begin().await.unwrap().commit().await.unwrap();
        let err = store.check_known(Dim::Entity, "ZZ").await.unwrap_err();
        let StoreError::UnknownCode(unknown) = &err else { panic!("{err:?}") };
        assert_eq!((unknown.dim, unknown.code.as_str()), (Dim::Entity, "ZZ"));
        store.close().await;

        let mut conn = sqlx::SqliteConnection::connect(&["sqlite:", path].concat()).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (29991231000000, 'from a later econtrack', TRUE, x'00', 0)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
        let Err(err) = SqliteStore::open(path).await else { panic!("a newer schema was accepted") };
        let StoreError::NewerSchema { found, known } = err else { panic!("{err:?}") };
        assert_eq!(found, 29991231000000);
        assert!(known < found, "{known}");
    });
}
