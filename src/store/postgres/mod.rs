//! The store on a PostgreSQL server: opening and migrating a server database, the write
//! transaction and its code → id cache, and (in the files beside this one) the PostgreSQL
//! text of every statement the SQLite store runs.
//!
//! [`PgStore`] and [`PgBatch`] implement the [`Store`] and [`Batch`] traits; the inherent
//! methods beside each statement answer them, as on SQLite. Statements are constants with
//! `$N` parameters;
//! values are written as canonical decimal text and read back as `value::text`, so that
//! rust_decimal parses exactly the digits stored and no float is ever involved.
//!
//! What differs from SQLite, and why:
//! - **Writers.** SQLite serialises writers with `BEGIN IMMEDIATE`, which is what makes the
//!   batch's code → id cache right. Here a batch takes the same guarantee explicitly: it
//!   locks the five tables in SHARE ROW EXCLUSIVE mode (which conflicts with every writer,
//!   econtrack or not, and with no reader) before it loads the cache. Under READ COMMITTED
//!   no statement after the lock can meet a serialization failure, so concurrent writers
//!   queue instead of failing.
//! - **Migrations.** The migrating transaction first takes a transaction-level advisory
//!   lock, so that two processes opening a new database at once cannot both create the
//!   schema; the second waits, then finds it made (and seeded) by the first.
//! - **Bulk writes** go through `COPY … FROM STDIN` into a temporary staging table and one
//!   `INSERT … SELECT … ON CONFLICT DO NOTHING`; key lookups are one statement per batch
//!   over `unnest`ed key arrays instead of one point query per figure.

// Query fragments shared by several statements, as on SQLite (`store/mod.rs`), with the
// parameters typed: $1 as-of date, $2 indicator code, $3 entity code, $4 period key (each
// NULL for any), $5 true to take the first published actual, false for the latest.

/// `targets`: the latest target per series-period as of $1 (ties on the date go to the
/// lowest source id), filtered by $2-$4.
macro_rules! pg_latest_targets_cte {
    () => {
        "targets AS (
    SELECT t.* FROM figures t
    JOIN indicators i ON i.id = t.indicator_id
    JOIN entities e ON e.id = t.entity_id
    WHERE t.kind = 'target' AND t.published <= $1::date AND (t.retracted IS NULL OR t.retracted > $1::date)
      AND ($2::text IS NULL OR i.code = $2) AND ($3::text IS NULL OR e.code = $3) AND ($4::int8 IS NULL OR t.period = $4)
      AND NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = t.indicator_id AND n.entity_id = t.entity_id AND n.period = t.period
            AND n.kind = 'target' AND n.published <= $1::date AND (n.retracted IS NULL OR n.retracted > $1::date)
            AND (n.published > t.published OR (n.published = t.published AND n.source_id < t.source_id))))"
    };
}

/// `actuals`: per series-period the first ($5 true) or latest ($5 false) actual published
/// on or before $1; ties on the date go to the lowest source id.
macro_rules! pg_chosen_actuals_cte {
    () => {
        "actuals AS (
    SELECT a.* FROM figures a
    WHERE a.kind = 'actual' AND a.published <= $1::date AND (a.retracted IS NULL OR a.retracted > $1::date)
      AND NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = a.indicator_id AND n.entity_id = a.entity_id AND n.period = a.period
            AND n.kind = 'actual' AND n.published <= $1::date AND (n.retracted IS NULL OR n.retracted > $1::date)
            AND (CASE WHEN $5::bool THEN n.published < a.published ELSE n.published > a.published END
                 OR (n.published = a.published AND n.source_id < a.source_id))))"
    };
}

mod check;
mod connect;
mod dims;
mod figures;
mod gaps;
mod releases;
mod scores;
#[cfg(test)]
mod tests;

use super::error::{Result, StoreContext, StoreError};
use super::ids::Ids;
use super::{Batch, FigureIds, Store};
use crate::domain::model::{Cleared, Document, Entity, Figure, Indicator, Retraction, Source};
use crate::domain::period::Period;
use crate::domain::query::{
    BatchOutcome, Dim, FigureFilter, FigureOrder, GapFilter, GapRow, LateForecast, Put, RawFigure, Removed, Retracted,
    ScoreFilter, ScoredForecast, StorageProblem, TargetOutcome, UnknownCode,
};
use crate::domain::release::{Release, ReleaseFilter, ReleaseKey};
use chrono::NaiveDate;
use connect::Target;
pub use connect::Unreachable;
use rust_decimal::Decimal;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{PgConnection, PgExecutor, Postgres, Transaction};
use std::fmt::Write as _;
use std::marker::PhantomData;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static MIGRATOR: Migrator = sqlx::migrate!("migrations/postgres");

/// SQLSTATEs of a wait that gave up: lock_not_available (a lock or statement timeout),
/// deadlock_detected, serialization_failure. The writer lock taken at `begin` makes the last
/// two unreachable for econtrack's own statements; another tool's may still cause them.
const BUSY_STATES: [&str; 3] = ["55P03", "40P01", "40001"];

/// What the server said, without the line of its own C source that sqlx's `Display` appends
/// (`… at line 334`), which tells the user nothing; `None` for an error of another backend.
pub fn server_said(db: &dyn sqlx::error::DatabaseError) -> Option<ServerSaid> {
    let pg = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()?;
    let mut message = pg.message().to_string();
    if let Some(detail) = pg.detail() {
        message.push_str(" (");
        message.push_str(detail);
        message.push(')');
    }
    Some(ServerSaid(message))
}

/// A PostgreSQL error as [`server_said`] words it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ServerSaid(String);

/// A PostgreSQL error meaning "try again later", which the store reports as `Busy`.
pub fn is_busy(db: &dyn sqlx::error::DatabaseError) -> bool {
    db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().is_some_and(|pg| BUSY_STATES.contains(&pg.code()))
}

/// PostgreSQL's insufficient_privilege (42501): the role may not do what it asked.
pub fn is_denied(db: &dyn sqlx::error::DatabaseError) -> bool {
    db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().is_some_and(|pg| pg.code() == "42501")
}

/// Serialises migrating transactions (any 64-bit key no other tool on the database uses:
/// "econtrak" in ASCII).
const MIGRATION_LOCK: &str = "SELECT pg_advisory_xact_lock(7310575178105743979)";

/// Taken first by every write transaction: see the module comment. One statement, tables in
/// one order, so that two writers can never each hold a part.
const LOCK_FOR_WRITE: &str = "LOCK TABLE sources, indicators, entities, documents, figures IN SHARE ROW EXCLUSIVE MODE";

/// The first statement of every write transaction econtrack begins: the dimension tables'
/// integrity triggers refuse deletes at any other level (migration 6), and a server whose
/// default_transaction_isolation says otherwise must not change what econtrack's writes do.
const READ_COMMITTED: &str = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";

/// The read transaction of [`PgStore::open_snapshot`].
const BEGIN_SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// The other sessions holding a lock on one of econtrack's tables other than a plain read's:
/// what a statement that gave up on its lock timeout was most likely waiting for.
const LOCK_HOLDERS: &str =
    "SELECT DISTINCT a.pid, a.usename::text, a.application_name, coalesce(host(a.client_addr), 'a local socket'),
        l.mode, c.relname::text, to_char(a.xact_start, 'YYYY-MM-DD HH24:MI:SS')
    FROM pg_locks l
    JOIN pg_stat_activity a ON a.pid = l.pid
    JOIN pg_class c ON c.oid = l.relation
    WHERE l.granted AND l.mode <> 'AccessShareLock' AND l.pid <> pg_backend_pid()
      AND l.relation IN ('figures'::regclass, 'sources'::regclass, 'indicators'::regclass,
                         'entities'::regclass, 'documents'::regclass)
    ORDER BY a.pid, c.relname::text, l.mode
    LIMIT 5";

const HAS_SCHEMA: &str = "SELECT to_regclass('_sqlx_migrations') IS NOT NULL";

const APPLIED_MIGRATIONS: &str = "SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version";

const LOAD_IDS: [(Dim, &str); 4] = [
    (Dim::Source, "SELECT slug, id FROM sources"),
    (Dim::Indicator, "SELECT code, id FROM indicators"),
    (Dim::Entity, "SELECT code, id FROM entities"),
    (Dim::Document, "SELECT code, id FROM documents"),
];

/// Whether `location` names a PostgreSQL server rather than a SQLite file.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// An open, migrated server database.
pub struct PgStore {
    pool: PgPool,
    /// The transaction that created the schema, until `begin` hands it out (see `open`).
    created: Option<Transaction<'static, Postgres>>,
}

impl PgStore {
    /// Connects to the database `url` names (`postgres://` or `postgresql://`) and migrates
    /// it. As on SQLite, a database that held no econtrack schema keeps the transaction that
    /// created it open for the first `begin`, to be seeded and committed together: until
    /// then other processes wait, and a crash leaves no half-made schema behind.
    pub async fn open(url: &str) -> Result<PgStore> {
        if !is_postgres_url(url) {
            return Err(StoreError::Invalid("not a PostgreSQL URL (postgres://user@host:port/database)"));
        }
        let target = Target::parse(url)?;
        // Once without retries, so that a refused connection or a wrong password is said at
        // once and in its own words; the pool would retry a refused one for its 30 s.
        target.probe().await?;
        // Two connections: the scorecard's cursors and a read beside them, and nothing in a
        // CLI run needs more.
        let pool = PgPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(target.options)
            .await
            .store_context("cannot connect to the PostgreSQL server")?;
        let mut store = PgStore { pool, created: None };
        match store.migrate().await {
            Ok(created) => {
                store.created = created;
                Ok(store)
            }
            Err(err) => {
                store.close().await;
                Err(err)
            }
        }
    }

    /// Connects to a database that [`PgStore::open`] has already migrated, for reading only,
    /// with every read in one REPEATABLE READ transaction on one connection: one snapshot
    /// of the server database, whatever other clients commit meanwhile (`copy` and `backup`
    /// read so).
    pub async fn open_snapshot(url: &str) -> Result<PgStore> {
        let target = Target::parse(url)?;
        target.probe().await?;
        let connected = Arc::new(AtomicBool::new(false));
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                // A second connection would read another snapshot: refused, not used.
                let again = connected.swap(true, Ordering::SeqCst);
                Box::pin(async move {
                    if again {
                        return Err(sqlx::Error::Protocol("the snapshot's connection was lost".into()));
                    }
                    sqlx::query(BEGIN_SNAPSHOT).execute(&mut *conn).await?;
                    Ok(())
                })
            })
            .connect_with(target.options)
            .await
            .store_context("cannot connect to the PostgreSQL server")?;
        Ok(PgStore { pool, created: None })
    }

    /// Brings the schema up to date; the usual case, already current, is decided by reading.
    async fn migrate(&self) -> Result<Option<Transaction<'static, Postgres>>> {
        if self.schema_is_current().await? {
            return Ok(None);
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(READ_COMMITTED).execute(&mut *tx).await?;
        sqlx::query(MIGRATION_LOCK).execute(&mut *tx).await?;
        // Decided again under the lock: another process may have migrated meanwhile.
        let fresh = !has_schema(&mut *tx).await?;
        // Each migration runs in a savepoint of this transaction.
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
    pub async fn begin(&mut self) -> Result<PgBatch<'_>> {
        let tx = match self.created.take() {
            Some(tx) => tx,
            None => {
                let mut tx = self.pool.begin().await?;
                sqlx::query(READ_COMMITTED).execute(&mut *tx).await?;
                tx
            }
        };
        PgBatch::new(tx).await
    }

    pub async fn check_known(&self, dim: Dim, code: &str) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        if let Err(mut unknown) = load_ids(&mut conn).await?.get(dim, code) {
            let sql = match dim {
                Dim::Source => "SELECT slug, name, name_zh FROM sources",
                Dim::Indicator => "SELECT code, name, name_zh FROM indicators",
                Dim::Entity => "SELECT code, name, name_zh FROM entities",
                Dim::Document => "SELECT code, title, NULL::text FROM documents",
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

    /// Who holds locks on econtrack's tables, as one sentence (see `Store::lock_holders`).
    pub async fn lock_holders(&self) -> Result<Option<String>> {
        type Holder = (i32, Option<String>, Option<String>, Option<String>, String, String, Option<String>);
        let holders: Vec<Holder> = sqlx::query_as(LOCK_HOLDERS).fetch_all(&self.pool).await?;
        if holders.is_empty() {
            return Ok(None);
        }
        let mut said = String::from(
            "a lock was held past the lock timeout (lock_timeout, 30 s unless the URL or PGOPTIONS sets it) by ",
        );
        for (n, (pid, user, application, from, mode, table, since)) in holders.iter().enumerate() {
            if n > 0 {
                said.push_str("; and by ");
            }
            let user = user.as_deref().unwrap_or("?");
            let application = application.as_deref().filter(|a| !a.is_empty()).unwrap_or("an unnamed client");
            let from = from.as_deref().unwrap_or("?");
            let _ = write!(said, "server process {pid} (user {user}, {application}, from {from}");
            if let Some(since) = since {
                let _ = write!(said, ", in a transaction since {since}");
            }
            let _ = write!(said, ") holding {mode} on {table}");
        }
        said.push_str("; try again once it is done, or ask whoever runs it (pg_terminate_backend ends it)");
        Ok(Some(said))
    }

    pub async fn close(self) {
        // An unused creating transaction rolls back: the next run sets the schema up again.
        drop(self.created);
        self.pool.close().await;
    }
}

async fn has_schema<'e>(executor: impl PgExecutor<'e>) -> Result<bool> {
    Ok(sqlx::query_scalar(HAS_SCHEMA).fetch_one(executor).await?)
}

async fn load_ids(conn: &mut PgConnection) -> Result<Ids> {
    let mut ids = Ids::default();
    for (dim, sql) in LOAD_IDS {
        let rows: Vec<(String, i64)> = sqlx::query_as(sql).fetch_all(&mut *conn).await?;
        ids.load(dim, rows);
    }
    Ok(ids)
}

/// A write transaction holding the write lock, with the dimension codes it may refer to.
pub struct PgBatch<'a> {
    tx: Transaction<'static, Postgres>,
    /// Right for the whole transaction: no other writer can change a dimension while the
    /// lock taken in [`PgBatch::new`] is held, and this batch keeps it in step with its own.
    ids: Ids,
    /// When everything the batch writes entered the database: one time for all of it.
    recorded: String,
    /// Whether the staging table for `put_figures` exists in this transaction.
    staging: bool,
    /// Figures this batch inserted, to tell a bulk load from a few rows.
    inserted: u64,
    _store: PhantomData<&'a mut PgStore>,
}

/// Figures a batch must insert before its commit refreshes the planner's statistics.
/// `figures` has no foreign keys on PostgreSQL (the checks are per statement), and the
/// planner, which reads join selectivity from foreign keys, then plans the gap and score
/// joins from stale statistics until autovacuum comes by: `gaps` over 120,000 freshly
/// imported values took 45 s instead of 1.2 s. ANALYZE samples at most 30,000 rows, so it
/// costs a fraction of a second whatever the table's size.
const ANALYZE_AFTER: u64 = 10_000;

impl PgBatch<'_> {
    async fn new<'a>(mut tx: Transaction<'static, Postgres>) -> Result<PgBatch<'a>> {
        sqlx::query(LOCK_FOR_WRITE).execute(&mut *tx).await?;
        let ids = load_ids(&mut tx).await?;
        let recorded = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
        Ok(PgBatch { tx, ids, recorded, staging: false, inserted: 0, _store: PhantomData })
    }

    pub async fn commit(mut self) -> Result<()> {
        if self.inserted >= ANALYZE_AFTER {
            // Inside the transaction, so the statistics count the new rows and land with
            // them; a role that does not own the table gets a warning, not an error.
            sqlx::query("ANALYZE figures").execute(&mut *self.tx).await?;
        }
        self.tx.commit().await?;
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }

    /// Whether a code is known, counting what this batch has written.
    pub fn knows(&self, dim: Dim, code: &str) -> bool {
        self.ids.get(dim, code).is_ok()
    }

    fn id(&self, dim: Dim, code: &str) -> Result<i64, UnknownCode> {
        self.ids.get(dim, code)
    }
}

/// PostgreSQL's text type cannot hold U+0000 (SQLite's can): refused before anything is
/// sent, so the message says what to fix instead of quoting the server's encoding error.
fn refuse_nul<'t>(texts: impl IntoIterator<Item = Option<&'t str>>) -> Result<()> {
    if texts.into_iter().flatten().any(|text| text.contains('\0')) {
        return Err(StoreError::Invalid(
            "a text holds the NUL character (U+0000), which PostgreSQL cannot store; remove it from the input",
        ));
    }
    Ok(())
}

// The interface, answered by the inherent methods beside each statement.
impl Store for PgStore {
    type Batch<'a> = PgBatch<'a>;

    fn is_new(&self) -> bool {
        self.created.is_some()
    }

    async fn begin(&mut self) -> Result<PgBatch<'_>> {
        PgStore::begin(self).await
    }

    /// The server checks figures' references once per statement whatever the batch
    /// (migration 6's triggers, which a role that is not a superuser cannot turn off), so a
    /// bulk batch is an ordinary one.
    async fn begin_bulk(&mut self) -> Result<PgBatch<'_>> {
        PgStore::begin(self).await
    }

    async fn check_known(&self, dim: Dim, code: &str) -> Result<()> {
        PgStore::check_known(self, dim, code).await
    }

    async fn sources(&self) -> Result<Vec<Source>> {
        PgStore::sources(self).await
    }

    async fn indicators(&self) -> Result<Vec<Indicator>> {
        PgStore::indicators(self).await
    }

    async fn indicator(&self, code: &str) -> Result<Option<Indicator>> {
        PgStore::indicator(self, code).await
    }

    async fn entities(&self) -> Result<Vec<Entity>> {
        PgStore::entities(self).await
    }

    async fn documents(&self) -> Result<Vec<Document>> {
        PgStore::documents(self).await
    }

    async fn releases(&self, filter: &ReleaseFilter) -> Result<Vec<Release>> {
        PgStore::releases(self, filter).await
    }

    async fn count_figures(&self, filter: &FigureFilter) -> Result<u64> {
        PgStore::count_figures(self, filter).await
    }

    async fn each_figure<E: From<StoreError>>(
        &self,
        filter: &FigureFilter,
        order: FigureOrder,
        each: impl FnMut(Figure) -> Result<(), E>,
    ) -> Result<(), E> {
        PgStore::each_figure(self, filter, order, each).await
    }

    async fn each_series_figure<E: From<StoreError>>(
        &self,
        series: (&str, &str, Period),
        as_of: NaiveDate,
        each: impl FnMut(Figure) -> Result<(), E>,
    ) -> Result<(), E> {
        PgStore::each_series_figure(self, series, as_of, each).await
    }

    async fn each_gap_row<E: From<StoreError>>(
        &self,
        filter: &GapFilter,
        each: impl FnMut(GapRow) -> Result<(), E>,
    ) -> Result<(), E> {
        PgStore::each_gap_row(self, filter, each).await
    }

    async fn each_target_outcome<E: From<StoreError>>(
        &self,
        filter: &ScoreFilter,
        each: impl FnMut(TargetOutcome) -> Result<(), E>,
    ) -> Result<(), E> {
        PgStore::each_target_outcome(self, filter, each).await
    }

    async fn each_scored_forecast<E: From<StoreError>>(
        &self,
        filter: &ScoreFilter,
        with_targets: bool,
        each: impl FnMut(ScoredForecast, Option<&TargetOutcome>) -> Result<(), E>,
    ) -> Result<(), E> {
        PgStore::each_scored_forecast(self, filter, with_targets, each).await
    }

    async fn late_forecasts(&self, filter: &ScoreFilter) -> Result<Vec<LateForecast>> {
        PgStore::late_forecasts(self, filter).await
    }

    async fn storage_problems(&self) -> Result<Vec<StorageProblem>> {
        PgStore::storage_problems(self).await
    }

    async fn each_raw_figure<E: From<StoreError>>(
        &self,
        each: impl FnMut(RawFigure) -> Result<(), E>,
    ) -> Result<(), E> {
        PgStore::each_raw_figure(self, each).await
    }

    async fn raw_document_dates(&self) -> Result<Vec<(String, String)>> {
        PgStore::raw_document_dates(self).await
    }

    async fn backup_into(&self, path: &Path) -> Result<()> {
        PgStore::backup_into(self, path).await
    }

    async fn lock_holders(&self) -> Result<Option<String>> {
        PgStore::lock_holders(self).await
    }

    async fn close(self) {
        PgStore::close(self).await
    }
}

impl Batch for PgBatch<'_> {
    /// Each call is one COPY into the staging table and one INSERT … SELECT; a million-row
    /// import measured 15.2 s in calls of 1000 and 19.8 s in calls of 4000.
    const FIGURES_PER_CALL: usize = 1000;

    fn knows(&self, dim: Dim, code: &str) -> bool {
        PgBatch::knows(self, dim, code)
    }

    fn resolve(&self, figure: &Figure) -> Result<FigureIds, UnknownCode> {
        PgBatch::resolve(self, figure)
    }

    async fn put_source(&mut self, source: &Source, replace: bool) -> Result<Put<Source>> {
        PgBatch::put_source(self, source, replace).await
    }

    async fn put_indicator(&mut self, indicator: &Indicator, replace: bool) -> Result<Put<Indicator>> {
        PgBatch::put_indicator(self, indicator, replace).await
    }

    async fn put_entity(&mut self, entity: &Entity, replace: bool) -> Result<Put<Entity>> {
        PgBatch::put_entity(self, entity, replace).await
    }

    async fn put_document(&mut self, document: &Document, replace: bool) -> Result<Put<Document>> {
        PgBatch::put_document(self, document, replace).await
    }

    async fn put_release(&mut self, release: &Release, replace: bool) -> Result<Put<Release>> {
        PgBatch::put_release(self, release, replace).await
    }

    async fn remove_release(&mut self, key: &ReleaseKey) -> Result<bool> {
        PgBatch::remove_release(self, key).await
    }

    async fn remove_dimension(&mut self, dim: Dim, code: &str) -> Result<Removed> {
        PgBatch::remove_dimension(self, dim, code).await
    }

    async fn series_samples(&mut self, series: &[FigureIds], limit: usize) -> Result<Vec<Vec<Decimal>>> {
        PgBatch::series_samples(self, series, limit).await
    }

    async fn put_figures(
        &mut self,
        figures: &[(FigureIds, &Figure)],
        replace: bool,
        cleared: Cleared,
    ) -> Result<BatchOutcome> {
        PgBatch::put_figures(self, figures, replace, cleared).await
    }

    async fn new_keys(&mut self, figures: &[(FigureIds, &Figure)]) -> Result<Vec<bool>> {
        PgBatch::new_keys(self, figures).await
    }

    async fn retract(&mut self, figure: &Figure, retraction: &Retraction) -> Result<Retracted> {
        PgBatch::retract(self, figure, retraction).await
    }

    async fn commit(self) -> Result<()> {
        PgBatch::commit(self).await
    }

    async fn rollback(self) -> Result<()> {
        PgBatch::rollback(self).await
    }
}
