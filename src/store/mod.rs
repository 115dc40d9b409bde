//! The database: opening, migrating, and every SQL statement econtrack runs.
//!
//! **Invariant:** SQL text exists only under `src/store/`, and every statement is a constant
//! string with `?` parameters: input never becomes SQL. Nothing here formats a string at all,
//! and nothing anywhere lets a run-time string past sqlx's `&'static str` rule; the test
//! `no_sql_is_built_from_text` fails otherwise. Callers speak in `model` records and
//! codes; the store turns codes into integer ids and back.

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

mod check;
mod decode;
mod dims;
mod figures;
mod gaps;
// Not yet reached from the commands: bound to the store interface next (issue 16).
#[allow(dead_code)]
mod postgres;
mod raw;
mod scores;

pub use check::RawFigure;
pub use decode::Corrupt;
pub use dims::Removed;
pub use figures::{FigureFilter, FigureIds, FigureOrder, MAX_BATCH, Retracted, TableKey};
#[cfg(test)]
pub use gaps::ForecastSide;
pub use gaps::TargetSide;
pub use gaps::{GapFilter, GapRow};
pub use raw::SqliteFailure;
#[cfg(test)]
pub use scores::Observed;
pub use scores::{ScoreFilter, ScoredForecast, TargetOutcome, WhichActual};

use anyhow::{Context, Result, anyhow, bail};
use rustc_hash::FxHashMap;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqliteExecutor, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Every write transaction takes the write lock up front. A deferred `BEGIN` that reads
/// first (as every batch does) and then writes fails at once with SQLITE_BUSY_SNAPSHOT when
/// another process committed in between, without waiting on the busy timeout; `IMMEDIATE`
/// makes concurrent writers queue on the busy timeout instead.
const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

const HAS_SCHEMA: &str = "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '_sqlx_migrations'";

const APPLIED_MIGRATIONS: &str = "SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version";

/// An open, migrated database.
pub struct Store {
    pool: SqlitePool,
}

/// What writing one record did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Put<T> {
    Inserted,
    /// An identical record was already there.
    Unchanged,
    /// `replace` was asked for and the record under the same key differed.
    Replaced {
        old: T,
    },
    /// A different record holds the same key and `replace` was not asked for.
    Conflict {
        existing: T,
    },
}

impl Store {
    /// Opens (creating if missing) and migrates the database at `location`, a file path or a
    /// `sqlite:` URL.
    ///
    /// When the database held no econtrack schema, the schema is created in a write
    /// transaction that comes back still open: the caller loads the first data into it and
    /// commits. Until then other processes wait on the write lock, and a crash before the
    /// commit leaves no half-made database behind, so the next run sets it up again.
    pub async fn open(location: &str) -> Result<(Store, Option<Batch<'static>>)> {
        let options = if location.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(location).context("bad database URL")?
        } else {
            check_database_file(Path::new(location))?;
            SqliteConnectOptions::new().filename(location)
        };
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            // 4 MiB of page cache (the default is 2 MiB). The same figure caps the sorter of
            // the export and gap queries, so memory stays flat however big the database:
            // measured on a million rows, 16 MiB was no faster for import, gaps or export
            // and doubled their peak memory.
            .pragma("cache_size", "-4096")
            // Rows cross from SQLite's worker thread in a channel; a deeper one means far
            // fewer thread hand-offs when a listing streams a million rows.
            .row_buffer_size(4096);
        // One connection: a CLI run is one client, and an in-memory database must not be
        // split across connections.
        let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
        let store = Store { pool };
        match store.migrate().await {
            Ok(created) => Ok((store, created)),
            Err(err) => {
                // Closed cleanly, a refused database is left exactly as it was found.
                store.close().await;
                Err(err)
            }
        }
    }

    /// Brings the schema up to date. The usual case, a schema already current, is decided by
    /// reading alone, so that reading commands never queue behind a long import's write lock.
    async fn migrate(&self) -> Result<Option<Batch<'static>>> {
        if self.schema_is_current().await? {
            return Ok(None);
        }
        // Decide again under the write lock: another process may have migrated meanwhile.
        let mut tx = self.pool.begin_with(BEGIN_WRITE).await?;
        let fresh = !has_schema(&mut *tx).await?;
        // Nested in this transaction, each migration runs in a savepoint.
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
            return Ok(Some(Batch::new(tx).await?));
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
    pub async fn begin(&self) -> Result<Batch<'static>> {
        Batch::new(self.pool.begin_with(BEGIN_WRITE).await?).await
    }

    /// Fails with an "unknown …, did you mean" error unless `code` is defined in `dim`:
    /// a filter on a mistyped code would otherwise match nothing and look like success.
    /// The hint also looks at the dimension's names (`--entity China` → `CN`).
    pub async fn check_known(&self, dim: Dim, code: &str) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        if let Err(mut unknown) = Ids::load(&mut conn).await?.get(dim, code) {
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
            return Err(unknown.into());
        }
        Ok(())
    }

    /// The codes of every dimension by id.
    async fn codes(&self) -> Result<Codes> {
        let mut conn = self.pool.acquire().await?;
        Ok(Ids::load(&mut conn).await?.codes())
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}

async fn has_schema<'e>(executor: impl SqliteExecutor<'e>) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(HAS_SCHEMA).fetch_optional(executor).await?;
    Ok(found.is_some())
}

/// Catches, before SQLite does, the file-system faults SQLite reports only as "unable to
/// open database file" or, for a read-only file, as a failure halfway through a command.
fn check_database_file(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => bail!("it is a folder, not a database file"),
        // Checked on the permission bits rather than by trying to write, because root may
        // write to a file that no one is meant to change.
        Ok(meta) if meta.permissions().readonly() => bail!(
            "the file is read-only, and econtrack writes to its database (schema upgrades and the WAL journal); make it writable or work on a copy"
        ),
        Ok(_) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            match path.parent().filter(|p| !p.as_os_str().is_empty()) {
                Some(folder) if !folder.is_dir() => Err(anyhow!("the folder {} does not exist", folder.display())),
                _ => Ok(()),
            }
        }
        Err(err) => Err(anyhow::Error::new(err).context("cannot inspect the file")),
    }
}

/// A write transaction with the dimension codes it may refer to, cached in memory.
pub struct Batch<'a> {
    tx: Transaction<'a, Sqlite>,
    ids: Ids,
    /// When everything the batch writes entered the database: one time for all of it.
    recorded: String,
    /// Whether the last figures written all found their keys taken (a re-import): the next
    /// are then looked up before any INSERT is tried (see `put_figures`).
    expect_taken: bool,
}

impl Batch<'_> {
    async fn new(mut tx: Transaction<'_, Sqlite>) -> Result<Batch<'_>> {
        let ids = Ids::load(&mut tx).await?;
        let recorded = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
        Ok(Batch { tx, ids, recorded, expect_taken: false })
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}

/// Which dimension a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dim {
    Source,
    Indicator,
    Entity,
    Document,
}

impl Dim {
    pub fn noun(self) -> &'static str {
        match self {
            Dim::Source => "source",
            Dim::Indicator => "indicator",
            Dim::Entity => "entity",
            Dim::Document => "document",
        }
    }
}

/// An unknown code, with the known codes (and, where looked up, their names) to suggest from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown {noun} \"{code}\"{hint}; `econtrack {noun} list` shows them, `econtrack {noun} add` adds one",
    noun = dim.noun(),
    hint = crate::domain::suggest::hint(code, known, names)
)]
pub struct UnknownCode {
    pub dim: Dim,
    pub code: String,
    known: Vec<String>,
    /// (code, name) pairs, in every language a record is named in.
    names: Vec<(String, String)>,
}

/// Code → id for every dimension, kept in step with inserts made in the batch.
#[derive(Default)]
struct Ids {
    by_dim: [FxHashMap<String, i64>; 4],
}

impl Ids {
    async fn load(conn: &mut SqliteConnection) -> Result<Ids> {
        let mut ids = Ids::default();
        for (dim, sql) in [
            (Dim::Source, "SELECT slug, id FROM sources"),
            (Dim::Indicator, "SELECT code, id FROM indicators"),
            (Dim::Entity, "SELECT code, id FROM entities"),
            (Dim::Document, "SELECT code, id FROM documents"),
        ] {
            let rows: Vec<(String, i64)> = sqlx::query_as(sql).fetch_all(&mut *conn).await?;
            ids.by_dim[dim as usize] = rows.into_iter().collect();
        }
        Ok(ids)
    }

    fn get(&self, dim: Dim, code: &str) -> Result<i64, UnknownCode> {
        let codes = &self.by_dim[dim as usize];
        codes.get(code).copied().ok_or_else(|| UnknownCode {
            dim,
            code: code.to_string(),
            known: codes.keys().cloned().collect(),
            names: Vec::new(),
        })
    }

    fn insert(&mut self, dim: Dim, code: &str, id: i64) {
        self.by_dim[dim as usize].insert(code.to_string(), id);
    }

    fn remove(&mut self, dim: Dim, code: &str) {
        self.by_dim[dim as usize].remove(code);
    }

    /// The same mapping the other way round.
    fn codes(&self) -> Codes {
        Codes {
            by_dim: self.by_dim.each_ref().map(|codes| codes.iter().map(|(code, id)| (*id, code.clone())).collect()),
        }
    }
}

/// Id → code for every dimension: small tables, read once per listing.
pub struct Codes {
    by_dim: [FxHashMap<i64, String>; 4],
}

impl Codes {
    fn code(&self, dim: Dim, id: i64) -> Option<&str> {
        self.by_dim[dim as usize].get(&id).map(String::as_str)
    }
}

impl Store {
    /// Runs `work` on the raw SQLite handle of the pool's one connection (see `raw.rs`),
    /// with sqlx's worker thread locked out until it returns.
    async fn with_raw<T>(&self, work: impl FnOnce(&raw::Db<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.pool.acquire().await?;
        let mut locked = conn.lock_handle().await?;
        work(&raw::Db::new(&mut locked))
    }
}

/// What putting `new` where `existing` is stored amounts to.
fn decide<T: PartialEq>(existing: Option<T>, new: &T, replace: bool) -> Put<T> {
    match existing {
        None => Put::Inserted,
        Some(old) if &old == new => Put::Unchanged,
        Some(old) if replace => Put::Replaced { old },
        Some(existing) => Put::Conflict { existing },
    }
}

impl<T> Put<T> {
    /// Whether the record has to be written.
    fn writes(&self) -> bool {
        matches!(self, Put::Inserted | Put::Replaced { .. })
    }
}
