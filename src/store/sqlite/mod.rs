//! The SQLite backend: opening and migrating a database file, the write batch, and every
//! SQL statement econtrack runs on SQLite (the statements live beside what runs them, in
//! `dims`, `figures`, `gaps`, `scores` and `check`; `raw` is the fast path for bulk rows).

// Query fragments shared by several statements, as macros so statements are still
// assembled at compile time by `concat!`. Parameters: ?1 as-of date (yyyymmdd), ?2
// indicator code, ?3 entity code, ?4 period key (each NULL for any), ?5 1 to take the
// first published actual, 0 for the latest. A figure retracted on or before ?1 is invisible
// to every statement, as if never published (see migration 4).

/// `targets`: the latest target per series-period as of ?1 (ties on the date go to the
/// lowest source id), filtered by ?2-?4.
macro_rules! latest_targets_cte {
    () => {
        "targets AS (
    SELECT t.* FROM figures t
    JOIN indicators i ON i.id = t.indicator_id
    JOIN entities e ON e.id = t.entity_id
    WHERE t.kind = 'target' AND t.published <= ?1 AND (t.retracted IS NULL OR t.retracted > ?1)
      AND (?2 IS NULL OR i.code = ?2) AND (?3 IS NULL OR e.code = ?3) AND (?4 IS NULL OR t.period = ?4)
      AND NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = t.indicator_id AND n.entity_id = t.entity_id AND n.period = t.period
            AND n.kind = 'target' AND n.published <= ?1 AND (n.retracted IS NULL OR n.retracted > ?1)
            AND (n.published > t.published OR (n.published = t.published AND n.source_id < t.source_id))))"
    };
}

/// `actuals`: per series-period the first (?5 = 1) or latest (?5 = 0) actual published
/// on or before ?1; ties on the date go to the lowest source id.
macro_rules! chosen_actuals_cte {
    () => {
        "actuals AS (
    SELECT a.* FROM figures a
    WHERE a.kind = 'actual' AND a.published <= ?1 AND (a.retracted IS NULL OR a.retracted > ?1)
      AND NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = a.indicator_id AND n.entity_id = a.entity_id AND n.period = a.period
            AND n.kind = 'actual' AND n.published <= ?1 AND (n.retracted IS NULL OR n.retracted > ?1)
            AND (CASE WHEN ?5 THEN n.published < a.published ELSE n.published > a.published END
                 OR (n.published = a.published AND n.source_id < a.source_id))))"
    };
}

mod bulk;
mod check;
mod dims;
mod figures;
mod gaps;
mod raw;
mod releases;
mod scores;
#[cfg(test)]
mod tests;

use super::error::{FileProblem, Result, StoreContext, StoreError};
use super::ids::{Codes, Ids};
use super::{Batch, FigureIds, Store};
use crate::domain::model::{Cleared, Document, Entity, Figure, Indicator, Retraction, Source};
use crate::domain::period::Period;
use crate::domain::query::{
    BatchOutcome, Dim, FigureFilter, FigureOrder, GapFilter, GapRow, LateForecast, Put, RawFigure, Removed, Retracted,
    ScoreFilter, ScoredForecast, StorageProblem, TargetOutcome, UnknownCode,
};
use crate::domain::release::{Release, ReleaseFilter, ReleaseKey};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqliteExecutor, Transaction};
use std::marker::PhantomData;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub use raw::is_busy;

static MIGRATOR: Migrator = sqlx::migrate!("migrations/sqlite");

/// Every write transaction takes the write lock up front. A deferred `BEGIN` that reads
/// first (as every batch does) and then writes fails at once with SQLITE_BUSY_SNAPSHOT when
/// another process committed in between, without waiting on the busy timeout; `IMMEDIATE`
/// makes concurrent writers queue on the busy timeout instead. Foreign keys are turned
/// back on first, in case the connection's last batch was a bulk one (see `bulk.rs`).
const BEGIN_WRITE: &str = "PRAGMA foreign_keys = ON; BEGIN IMMEDIATE";

/// The read transaction of [`SqliteStore::open_snapshot`].
const BEGIN_SNAPSHOT: &str = "BEGIN DEFERRED";

const HAS_SCHEMA: &str = "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '_sqlx_migrations'";

const APPLIED_MIGRATIONS: &str = "SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version";

/// An open, migrated SQLite database.
pub struct SqliteStore {
    pool: SqlitePool,
    /// The transaction that created the schema, until `begin` hands it out (see `open`).
    created: Option<Transaction<'static, Sqlite>>,
}

impl SqliteStore {
    /// Opens (creating if missing) and migrates the database at `location`, a file path or a
    /// `sqlite:` URL.
    ///
    /// When the database held no econtrack schema, the schema is created in a write
    /// transaction kept open for the next `begin`: the caller loads the first data into it
    /// and commits. Until then other processes wait on the write lock, and a crash before the
    /// commit leaves no half-made database behind, so the next run sets it up again.
    pub async fn open(location: &str) -> Result<SqliteStore> {
        let options = connect_options(location)?;
        // One connection: a CLI run is one client, and an in-memory database must not be
        // split across connections.
        let pool = match SqlitePoolOptions::new().max_connections(1).connect_with(options).await {
            Ok(pool) => pool,
            Err(err) => return Err(full_disk(location).unwrap_or_else(|| err.into())),
        };
        let mut store = SqliteStore { pool, created: None };
        match store.migrate().await {
            Ok(created) => {
                store.created = created;
                Ok(store)
            }
            Err(err) => {
                // Closed cleanly, a refused database is left exactly as it was found.
                store.close().await;
                Err(full_disk(location).unwrap_or(err))
            }
        }
    }

    /// Opens a database that [`SqliteStore::open`] has already migrated, for reading only,
    /// with every read in one transaction: one snapshot of the file, however long the reads
    /// take and whatever other processes commit meanwhile (`copy` and `backup` read so).
    pub async fn open_snapshot(location: &str) -> Result<SqliteStore> {
        let options = connect_options(location)?.create_if_missing(false);
        let connected = Arc::new(AtomicBool::new(false));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .after_connect(move |conn, _| {
                // A second connection would read another snapshot: refused, not used.
                let again = connected.swap(true, Ordering::SeqCst);
                Box::pin(async move {
                    if again {
                        return Err(sqlx::Error::Protocol("the snapshot's connection was lost".into()));
                    }
                    sqlx::query(BEGIN_SNAPSHOT).execute(&mut *conn).await?;
                    // A deferred transaction takes its snapshot at its first read.
                    sqlx::query(HAS_SCHEMA).fetch_optional(&mut *conn).await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(SqliteStore { pool, created: None })
    }
}

/// The file `location` (a file path or a `sqlite:` URL) names.
pub fn database_file(location: &str) -> Option<std::path::PathBuf> {
    if location.starts_with("sqlite:") {
        return SqliteConnectOptions::from_str(location).ok().map(|options| options.get_filename().to_path_buf());
    }
    Some(Path::new(location).to_path_buf())
}

/// The connection options for `location`, a file path or a `sqlite:` URL.
fn connect_options(location: &str) -> Result<SqliteConnectOptions> {
    let options = if location.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(location).store_context("bad database URL")?
    } else {
        check_database_file(Path::new(location))?;
        SqliteConnectOptions::new().filename(location)
    };
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        // 16 KiB pages for a new file (an existing one keeps its own): a quarter of the
        // B-tree pages, splits and WAL frames per row written (measured in ARCHITECTURE.md,
        // "Bulk writes").
        .page_size(16384)
        .busy_timeout(Duration::from_secs(30))
        // 4 MiB of page cache (the default is 2 MiB). The same figure caps the sorter of
        // the export and gap queries, so memory stays flat however big the database:
        // measured on a million rows, 16 MiB was no faster for import, gaps or export
        // and doubled their peak memory.
        .pragma("cache_size", "-4096")
        // Rows cross from SQLite's worker thread in a channel; a deeper one means far
        // fewer thread hand-offs when a listing streams a million rows.
        .row_buffer_size(4096);
    Ok(options)
}

impl SqliteStore {
    /// Brings the schema up to date. The usual case, a schema already current, is decided by
    /// reading alone, so that reading commands never queue behind a long import's write lock.
    async fn migrate(&self) -> Result<Option<Transaction<'static, Sqlite>>> {
        if self.schema_is_current().await? {
            return Ok(None);
        }
        // Decide again under the write lock: another process may have migrated meanwhile.
        let mut tx = self.pool.begin_with(BEGIN_WRITE).await?;
        let fresh = !has_schema(&mut *tx).await?;
        // Nested in this transaction, each migration runs in a savepoint.
        match MIGRATOR.run(&mut *tx).await {
            Ok(()) => {}
            Err(MigrateError::VersionMissing(found)) => {
                tx.rollback().await?;
                let known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
                return Err(StoreError::NewerSchema { found, known });
            }
            Err(err) => return Err(StoreError::Backend(err.into()).context("cannot migrate it")),
        }
        if fresh {
            return Ok(Some(tx));
        }
        tx.commit().await?;
        Ok(None)
    }

    /// Whether every migration this binary knows is applied, unchanged, and no other is.
    async fn schema_is_current(&self) -> Result<bool> {
        if !has_schema(&self.pool).await? {
            return Ok(false);
        }
        let applied: Vec<(i64, Vec<u8>)> = sqlx::query_as(APPLIED_MIGRATIONS).fetch_all(&self.pool).await?;
        let known =
            MIGRATOR.iter().filter(|m| !m.migration_type.is_down_migration()).map(|m| (m.version, m.checksum.to_vec()));
        Ok(applied.into_iter().eq(known))
    }

    /// Starts a write, in the transaction that created the schema if it is still open.
    pub async fn begin(&mut self) -> Result<SqliteBatch<'_>> {
        let tx = match self.created.take() {
            Some(tx) => tx,
            None => self.pool.begin_with(BEGIN_WRITE).await?,
        };
        SqliteBatch::new(tx, None).await
    }

    /// Starts a bulk write: foreign keys checked once per id at commit (see `bulk.rs`). In
    /// the transaction that created the schema, SQLite checks them per row as usual.
    pub async fn begin_bulk(&mut self) -> Result<SqliteBatch<'_>> {
        match self.created.take() {
            Some(tx) => SqliteBatch::new(tx, None).await,
            None => {
                SqliteBatch::new(self.pool.begin_with(bulk::BEGIN_BULK).await?, Some(bulk::References::default())).await
            }
        }
    }

    pub async fn check_known(&self, dim: Dim, code: &str) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        if let Err(mut unknown) = load_ids(&mut conn).await?.get(dim, code) {
            let sql = match dim {
                Dim::Source => "SELECT slug, name, name_zh FROM sources",
                Dim::Indicator => "SELECT code, name, name_zh FROM indicators",
                Dim::Entity => "SELECT code, name, name_zh FROM entities",
                Dim::Document => "SELECT code, title, NULL FROM documents",
            };
            let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(sql).fetch_all(&mut *conn).await?;
            unknown.names = rows
                .into_iter()
                .flat_map(|(code, name, name_zh)| {
                    let zh = name_zh.map(|zh| (code.clone(), zh));
                    std::iter::once((code, name)).chain(zh)
                })
                .collect();
            return Err(StoreError::UnknownCode(unknown));
        }
        Ok(())
    }

    /// The codes of every dimension by id.
    async fn codes(&self) -> Result<Codes> {
        let mut conn = self.pool.acquire().await?;
        Ok(load_ids(&mut conn).await?.codes())
    }

    pub async fn close(self) {
        // An unused creating transaction rolls back: the next run sets the schema up again.
        drop(self.created);
        self.pool.close().await;
    }
}

async fn has_schema<'e>(executor: impl SqliteExecutor<'e>) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(HAS_SCHEMA).fetch_optional(executor).await?;
    Ok(found.is_some())
}

/// Whether a failure to open `location` is a full disk: SQLite says only "disk I/O error"
/// when it cannot grow its shared-memory file, so the folder is asked directly, by writing
/// a little to a temporary file that is removed at once.
fn full_disk(location: &str) -> Option<StoreError> {
    use std::io::Write;
    let file = database_file(location)?;
    let folder = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let written = tempfile::tempfile_in(&folder)
        .and_then(|mut probe| probe.write_all(&[0; 64 * 1024]).and_then(|()| probe.sync_all()));
    match written {
        Err(err) if err.kind() == std::io::ErrorKind::StorageFull => {
            Some(StoreError::io(FileProblem::DiskFull(folder), None))
        }
        _ => None,
    }
}

/// Catches, before SQLite does, the file-system faults SQLite reports only as "unable to
/// open database file" or, for a read-only file, as a failure halfway through a command.
fn check_database_file(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(StoreError::io(FileProblem::Folder, None)),
        // Checked on the permission bits rather than by trying to write, because root may
        // write to a file that no one is meant to change.
        Ok(meta) if meta.permissions().readonly() => Err(StoreError::io(FileProblem::ReadOnly, None)),
        Ok(_) => {
            // The journal lives beside the file (WAL: `-wal` and `-shm`), so the folder must
            // take new files; SQLite says only "attempt to write a readonly database".
            let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            match std::fs::metadata(folder) {
                Ok(meta) if meta.permissions().readonly() => {
                    Err(StoreError::io(FileProblem::ReadOnlyFolder(folder.to_path_buf()), None))
                }
                _ => Ok(()),
            }
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            match path.parent().filter(|p| !p.as_os_str().is_empty()) {
                Some(folder) if !folder.is_dir() => {
                    Err(StoreError::io(FileProblem::MissingFolder(folder.to_path_buf()), None))
                }
                _ => Ok(()),
            }
        }
        Err(err) => Err(StoreError::io(FileProblem::Uninspectable, Some(err))),
    }
}

/// A write transaction with the dimension codes it may refer to, cached in memory. It
/// borrows the store mutably, so nothing else is asked of the store's one connection
/// meanwhile.
pub struct SqliteBatch<'a> {
    tx: Transaction<'static, Sqlite>,
    /// Code → id, loaded when the batch begins and kept in step with its own writes. This is
    /// right only because `BEGIN IMMEDIATE` (see `BEGIN_WRITE`) serialises writers: no
    /// other process can add or remove a code between the load and the commit. A backend
    /// whose transactions do not exclude each other must keep the same guarantee another
    /// way (a table lock or an advisory lock taken by `begin`), or look ids up per write.
    ids: Ids,
    /// When everything the batch writes entered the database: one time for all of it.
    recorded: String,
    /// Whether the last figures written all found their keys taken (a re-import): the next
    /// are then looked up before any INSERT is tried (see `put_figures`).
    expect_taken: bool,
    /// In a bulk batch, the ids its figures refer to, checked at commit (see `bulk.rs`).
    references: Option<bulk::References>,
    _store: PhantomData<&'a mut SqliteStore>,
}

impl SqliteBatch<'_> {
    async fn new<'a>(
        mut tx: Transaction<'static, Sqlite>,
        references: Option<bulk::References>,
    ) -> Result<SqliteBatch<'a>> {
        let ids = load_ids(&mut tx).await?;
        let recorded = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
        Ok(SqliteBatch { tx, ids, recorded, expect_taken: false, references, _store: PhantomData })
    }

    pub async fn commit(mut self) -> Result<()> {
        if let Some(references) = &self.references {
            let mut locked = self.tx.lock_handle().await?;
            references.verify(&raw::Db::new(&mut locked))?;
        }
        self.tx.commit().await?;
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}

/// Every dimension's codes and ids.
async fn load_ids(conn: &mut SqliteConnection) -> Result<Ids> {
    let mut ids = Ids::default();
    for (dim, sql) in [
        (Dim::Source, "SELECT slug, id FROM sources"),
        (Dim::Indicator, "SELECT code, id FROM indicators"),
        (Dim::Entity, "SELECT code, id FROM entities"),
        (Dim::Document, "SELECT code, id FROM documents"),
    ] {
        let rows: Vec<(String, i64)> = sqlx::query_as(sql).fetch_all(&mut *conn).await?;
        ids.load(dim, rows);
    }
    Ok(ids)
}

impl SqliteStore {
    /// Runs `work` on the raw SQLite handle of the pool's one connection (see `raw.rs`),
    /// with sqlx's worker thread locked out until it returns.
    async fn with_raw<T, E: From<StoreError>>(&self, work: impl FnOnce(&raw::Db<'_>) -> Result<T, E>) -> Result<T, E> {
        let mut conn = self.pool.acquire().await.map_err(StoreError::from)?;
        let mut locked = conn.lock_handle().await.map_err(StoreError::from)?;
        work(&raw::Db::new(&mut locked))
    }
}

// The interface, answered by the inherent methods beside each statement.
impl Store for SqliteStore {
    type Batch<'a> = SqliteBatch<'a>;

    fn is_new(&self) -> bool {
        self.created.is_some()
    }

    async fn begin(&mut self) -> Result<SqliteBatch<'_>> {
        SqliteStore::begin(self).await
    }

    async fn begin_bulk(&mut self) -> Result<SqliteBatch<'_>> {
        SqliteStore::begin_bulk(self).await
    }

    async fn check_known(&self, dim: Dim, code: &str) -> Result<()> {
        SqliteStore::check_known(self, dim, code).await
    }

    async fn sources(&self) -> Result<Vec<Source>> {
        SqliteStore::sources(self).await
    }

    async fn indicators(&self) -> Result<Vec<Indicator>> {
        SqliteStore::indicators(self).await
    }

    async fn indicator(&self, code: &str) -> Result<Option<Indicator>> {
        SqliteStore::indicator(self, code).await
    }

    async fn entities(&self) -> Result<Vec<Entity>> {
        SqliteStore::entities(self).await
    }

    async fn documents(&self) -> Result<Vec<Document>> {
        SqliteStore::documents(self).await
    }

    async fn releases(&self, filter: &ReleaseFilter) -> Result<Vec<Release>> {
        SqliteStore::releases(self, filter).await
    }

    async fn count_figures(&self, filter: &FigureFilter) -> Result<u64> {
        SqliteStore::count_figures(self, filter).await
    }

    async fn each_figure<E: From<StoreError>>(
        &self,
        filter: &FigureFilter,
        order: FigureOrder,
        each: impl FnMut(Figure) -> Result<(), E>,
    ) -> Result<(), E> {
        SqliteStore::each_figure(self, filter, order, each).await
    }

    async fn each_series_figure<E: From<StoreError>>(
        &self,
        series: (&str, &str, Period),
        as_of: NaiveDate,
        each: impl FnMut(Figure) -> Result<(), E>,
    ) -> Result<(), E> {
        SqliteStore::each_series_figure(self, series, as_of, each).await
    }

    async fn each_gap_row<E: From<StoreError>>(
        &self,
        filter: &GapFilter,
        each: impl FnMut(GapRow) -> Result<(), E>,
    ) -> Result<(), E> {
        SqliteStore::each_gap_row(self, filter, each).await
    }

    async fn each_target_outcome<E: From<StoreError>>(
        &self,
        filter: &ScoreFilter,
        each: impl FnMut(TargetOutcome) -> Result<(), E>,
    ) -> Result<(), E> {
        SqliteStore::each_target_outcome(self, filter, each).await
    }

    async fn each_scored_forecast<E: From<StoreError>>(
        &self,
        filter: &ScoreFilter,
        with_targets: bool,
        each: impl FnMut(ScoredForecast, Option<&TargetOutcome>) -> Result<(), E>,
    ) -> Result<(), E> {
        SqliteStore::each_scored_forecast(self, filter, with_targets, each).await
    }

    async fn late_forecasts(&self, filter: &ScoreFilter) -> Result<Vec<LateForecast>> {
        SqliteStore::late_forecasts(self, filter).await
    }

    async fn storage_problems(&self) -> Result<Vec<StorageProblem>> {
        SqliteStore::storage_problems(self).await
    }

    async fn each_raw_figure<E: From<StoreError>>(
        &self,
        each: impl FnMut(RawFigure) -> Result<(), E>,
    ) -> Result<(), E> {
        SqliteStore::each_raw_figure(self, each).await
    }

    async fn raw_document_dates(&self) -> Result<Vec<(String, String)>> {
        SqliteStore::raw_document_dates(self).await
    }

    async fn backup_into(&self, path: &Path) -> Result<()> {
        SqliteStore::backup_into(self, path).await
    }

    async fn close(self) {
        SqliteStore::close(self).await
    }
}

impl Batch for SqliteBatch<'_> {
    /// A quarter of the statements prepared and of the connection's hand-offs of 1000 at a
    /// time; 16,000 was no faster.
    const FIGURES_PER_CALL: usize = 4000;

    fn knows(&self, dim: Dim, code: &str) -> bool {
        SqliteBatch::knows(self, dim, code)
    }

    fn resolve(&self, figure: &Figure) -> Result<FigureIds, UnknownCode> {
        SqliteBatch::resolve(self, figure)
    }

    async fn put_source(&mut self, source: &Source, replace: bool) -> Result<Put<Source>> {
        SqliteBatch::put_source(self, source, replace).await
    }

    async fn put_indicator(&mut self, indicator: &Indicator, replace: bool) -> Result<Put<Indicator>> {
        SqliteBatch::put_indicator(self, indicator, replace).await
    }

    async fn put_entity(&mut self, entity: &Entity, replace: bool) -> Result<Put<Entity>> {
        SqliteBatch::put_entity(self, entity, replace).await
    }

    async fn put_document(&mut self, document: &Document, replace: bool) -> Result<Put<Document>> {
        SqliteBatch::put_document(self, document, replace).await
    }

    async fn put_release(&mut self, release: &Release, replace: bool) -> Result<Put<Release>> {
        SqliteBatch::put_release(self, release, replace).await
    }

    async fn remove_release(&mut self, key: &ReleaseKey) -> Result<bool> {
        SqliteBatch::remove_release(self, key).await
    }

    async fn remove_dimension(&mut self, dim: Dim, code: &str) -> Result<Removed> {
        SqliteBatch::remove_dimension(self, dim, code).await
    }

    async fn series_samples(&mut self, series: &[FigureIds], limit: usize) -> Result<Vec<Vec<Decimal>>> {
        SqliteBatch::series_samples(self, series, limit).await
    }

    async fn put_figures(
        &mut self,
        figures: &[(FigureIds, &Figure)],
        replace: bool,
        cleared: Cleared,
    ) -> Result<BatchOutcome> {
        SqliteBatch::put_figures(self, figures, replace, cleared).await
    }

    async fn new_keys(&mut self, figures: &[(FigureIds, &Figure)]) -> Result<Vec<bool>> {
        SqliteBatch::new_keys(self, figures).await
    }

    async fn retract(&mut self, figure: &Figure, retraction: &Retraction) -> Result<Retracted> {
        SqliteBatch::retract(self, figure, retraction).await
    }

    async fn commit(self) -> Result<()> {
        SqliteBatch::commit(self).await
    }

    async fn rollback(self) -> Result<()> {
        SqliteBatch::rollback(self).await
    }
}
