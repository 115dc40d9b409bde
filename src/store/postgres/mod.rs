//! The store on a PostgreSQL server: opening and migrating a server database, the write
//! transaction and its code → id cache, and (in the files beside this one) the PostgreSQL
//! text of every statement the SQLite store runs.
//!
//! [`PgStore`] and [`PgBatch`] mirror `Store` and `Batch` method for method, with the same
//! names, arguments and results, so that binding them to the store interface (issue 14) is
//! a matter of forwarding. Statements are constants with `$N` parameters, as on SQLite;
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
mod dims;
mod figures;
mod gaps;
mod scores;
#[cfg(test)]
mod tests;

use super::{Codes, Dim, Ids, Put, UnknownCode};
use anyhow::{Context, Result, bail};
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{PgConnection, PgExecutor, Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Serialises migrating transactions (any 64-bit key no other tool on the database uses:
/// "econtrak" in ASCII).
const MIGRATION_LOCK: &str = "SELECT pg_advisory_xact_lock(7310575178105743979)";

/// Taken first by every write transaction: see the module comment. One statement, tables in
/// one order, so that two writers can never each hold a part.
const LOCK_FOR_WRITE: &str = "LOCK TABLE sources, indicators, entities, documents, figures IN SHARE ROW EXCLUSIVE MODE";

const HAS_SCHEMA: &str = "SELECT to_regclass('_sqlx_migrations') IS NOT NULL";

const APPLIED_MIGRATIONS: &str = "SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version";

const LOAD_IDS: [(Dim, &str); 4] = [
    (Dim::Source, "SELECT slug, id FROM sources"),
    (Dim::Indicator, "SELECT code, id FROM indicators"),
    (Dim::Entity, "SELECT code, id FROM entities"),
    (Dim::Document, "SELECT code, id FROM documents"),
];

/// An open, migrated server database.
pub struct PgStore {
    pool: PgPool,
}

/// Whether `location` names a PostgreSQL server rather than a SQLite file.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

impl PgStore {
    /// Connects to the database `url` names (`postgres://` or `postgresql://`) and migrates
    /// it. As with `Store::open`, a database that held no econtrack schema comes back with
    /// the write transaction that created it still open, for the caller to seed and commit:
    /// until then other processes wait, and a crash leaves no half-made schema behind.
    pub async fn open(url: &str) -> Result<(PgStore, Option<PgBatch<'static>>)> {
        if !is_postgres_url(url) {
            bail!("not a PostgreSQL URL (postgres://user@host:port/database)");
        }
        let options = PgConnectOptions::from_str(url).context("bad database URL")?;
        // Two connections: a read may run beside an open batch (SQLite's one connection
        // cannot), and nothing in a CLI run needs more.
        let pool = PgPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .context("cannot connect to the PostgreSQL server")?;
        let store = PgStore { pool };
        match store.migrate().await {
            Ok(created) => Ok((store, created)),
            Err(err) => {
                store.close().await;
                Err(err)
            }
        }
    }

    /// Brings the schema up to date; the usual case, already current, is decided by reading.
    async fn migrate(&self) -> Result<Option<PgBatch<'static>>> {
        if self.schema_is_current().await? {
            return Ok(None);
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(MIGRATION_LOCK).execute(&mut *tx).await?;
        // Decided again under the lock: another process may have migrated meanwhile.
        let fresh = !has_schema(&mut *tx).await?;
        // Each migration runs in a savepoint of this transaction.
        match MIGRATOR.run(&mut *tx).await {
            Ok(()) => {}
            Err(MigrateError::VersionMissing(version)) => {
                tx.rollback().await?;
                bail!(
                    "its schema version {version} is newer than this econtrack knows; upgrade econtrack (nothing was changed)"
                );
            }
            Err(err) => return Err(anyhow::Error::new(err).context("cannot migrate it")),
        }
        if fresh {
            return Ok(Some(PgBatch::new(tx).await?));
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

    /// Starts a write: everything done through the batch lands together on `commit`, or not at all.
    pub async fn begin(&self) -> Result<PgBatch<'static>> {
        PgBatch::new(self.pool.begin().await?).await
    }

    /// Fails with an "unknown …, did you mean" error unless `code` is defined in `dim`, as
    /// `Store::check_known` does.
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
            return Err(unknown.into());
        }
        Ok(())
    }

    /// The codes of every dimension by id.
    #[allow(dead_code)]
    async fn codes(&self) -> Result<Codes> {
        let mut conn = self.pool.acquire().await?;
        Ok(load_ids(&mut conn).await?.codes())
    }

    pub async fn close(self) {
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
        ids.by_dim[dim as usize] = rows.into_iter().collect();
    }
    Ok(ids)
}

/// A write transaction holding the write lock, with the dimension codes it may refer to.
pub struct PgBatch<'a> {
    tx: Transaction<'a, Postgres>,
    /// Right for the whole transaction: no other writer can change a dimension while the
    /// lock taken in [`PgBatch::new`] is held, and this batch keeps it in step with its own.
    ids: Ids,
    /// When everything the batch writes entered the database: one time for all of it.
    recorded: String,
    /// Whether the staging table for `put_figures` exists in this transaction.
    staging: bool,
}

impl PgBatch<'_> {
    async fn new(mut tx: Transaction<'_, Postgres>) -> Result<PgBatch<'_>> {
        sqlx::query(LOCK_FOR_WRITE).execute(&mut *tx).await?;
        let ids = load_ids(&mut tx).await?;
        let recorded = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
        Ok(PgBatch { tx, ids, recorded, staging: false })
    }

    pub async fn commit(self) -> Result<()> {
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

/// What putting `new` where `existing` is stored amounts to (as `store::decide`).
fn decide<T: PartialEq>(existing: Option<T>, new: &T, replace: bool) -> Put<T> {
    super::decide(existing, new, replace)
}
