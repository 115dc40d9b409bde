//! The database, as the commands see it: the [`Store`] and [`Batch`] traits every backend
//! implements, [`open`], which picks the backend from the location, and the types that
//! cross the interface. The SQLite backend lives in `sqlite/`; only it names SQLite.
//!
//! **Invariant:** SQL text exists only under `src/store/`, and every statement is a constant
//! string with `?` parameters (`$n` for a backend that numbers them so): input never becomes
//! SQL. Nothing here formats a string at all, and nothing anywhere lets a run-time string
//! past sqlx's `&'static str` rule; the test `no_sql_is_built_from_text` fails otherwise.
//! Callers speak in `model` records and codes; the store turns codes into integer ids and back.

mod decode;
mod error;
mod ids;
pub mod location;
mod postgres;
mod sqlite;

#[cfg(test)]
pub use error::Corrupt;
pub use error::StoreError;
#[cfg(test)]
pub use sqlite::SqliteStore as TestStore;

use crate::domain::model::{Cleared, Document, Entity, Figure, Indicator, Retraction, Source};
use crate::domain::period::{Period, date_to_int};
use crate::domain::query::{
    BatchOutcome, Dim, FigureFilter, FigureOrder, GapFilter, GapRow, LateForecast, Put, RawFigure, Removed, Retracted,
    ScoreFilter, ScoredForecast, StorageProblem, TargetOutcome, UnknownCode,
};
use crate::domain::release::{Release, ReleaseFilter, ReleaseKey};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::path::Path;

type StoreResult<T> = std::result::Result<T, StoreError>;

/// An open, migrated database. Reads take `&self`; a write goes through the [`Batch`] that
/// [`Store::begin`] lends, and `begin` takes `&mut self`, so no read can be made through the
/// store while a batch is open (with one connection it would wait for the batch to end).
///
/// The `each_*` readers hand rows to `each` as they come, without loading them all; an error
/// from `each` stops the read and comes back as it was, in the caller's own error type.
// No future here needs to be `Send`: a run is one task on a current-thread runtime.
#[allow(async_fn_in_trait)]
pub trait Store {
    type Batch<'a>: Batch
    where
        Self: 'a;

    /// Whether this open created the schema. Its transaction is then still open, and the
    /// next [`Store::begin`] hands it out, so the first data lands with the schema or not at
    /// all (and other processes wait on the write lock meanwhile).
    fn is_new(&self) -> bool;

    /// Starts a write: everything done through the batch lands together on `commit`, or not at all.
    async fn begin(&mut self) -> StoreResult<Self::Batch<'_>>;

    /// Starts a write of many figures at once (an import, a copy), with every guarantee of
    /// [`Store::begin`]; a backend may check references once per id at commit instead of
    /// once per row (SQLite, `sqlite/bulk.rs`).
    async fn begin_bulk(&mut self) -> StoreResult<Self::Batch<'_>>;

    /// Fails with [`StoreError::UnknownCode`] unless `code` is defined in `dim`: a filter on
    /// a mistyped code would otherwise match nothing and look like success. The suggestions
    /// also look at the dimension's names (`--entity China` → `CN`).
    async fn check_known(&self, dim: Dim, code: &str) -> StoreResult<()>;

    async fn sources(&self) -> StoreResult<Vec<Source>>;
    async fn indicators(&self) -> StoreResult<Vec<Indicator>>;
    /// One indicator by code, if it is defined.
    async fn indicator(&self, code: &str) -> StoreResult<Option<Indicator>>;
    async fn entities(&self) -> StoreResult<Vec<Entity>>;
    async fn documents(&self) -> StoreResult<Vec<Document>>;
    /// The releases that match, by day, time (untimed first), then id.
    async fn releases(&self, filter: &ReleaseFilter) -> StoreResult<Vec<Release>>;

    /// How many figures match.
    async fn count_figures(&self, filter: &FigureFilter) -> StoreResult<u64>;

    /// Every figure that matches, in `order`. A figure retracted only after the filter's
    /// horizon comes without its retraction: as of then it stood.
    async fn each_figure<E: From<StoreError>>(
        &self,
        filter: &FigureFilter,
        order: FigureOrder,
        each: impl FnMut(Figure) -> Result<(), E>,
    ) -> Result<(), E>;

    /// Every figure of one series (any kind and source) published on or before `as_of`,
    /// oldest first, without retractions made later.
    async fn each_series_figure<E: From<StoreError>>(
        &self,
        series: (&str, &str, Period),
        as_of: NaiveDate,
        each: impl FnMut(Figure) -> Result<(), E>,
    ) -> Result<(), E>;

    /// One row per (series-period, forecasting source, basis), ordered by series: the
    /// targeted series and those with forecasts alone in one order.
    async fn each_gap_row<E: From<StoreError>>(
        &self,
        filter: &GapFilter,
        each: impl FnMut(GapRow) -> Result<(), E>,
    ) -> Result<(), E>;

    /// Every target as of the date with its outcome, ordered by series.
    async fn each_target_outcome<E: From<StoreError>>(
        &self,
        filter: &ScoreFilter,
        each: impl FnMut(TargetOutcome) -> Result<(), E>,
    ) -> Result<(), E>;

    /// The forecasts to score, ordered by series then source, each with the target it is
    /// shown beside when `with_targets`: its own indicator's, else the one of the indicator
    /// it is a proxy for.
    async fn each_scored_forecast<E: From<StoreError>>(
        &self,
        filter: &ScoreFilter,
        with_targets: bool,
        each: impl FnMut(ScoredForecast, Option<&TargetOutcome>) -> Result<(), E>,
    ) -> Result<(), E>;

    /// Sources that forecast a scored series only once its actual was out.
    async fn late_forecasts(&self, filter: &ScoreFilter) -> StoreResult<Vec<LateForecast>>;

    /// What the backend's own checks of its storage find (SQLite: `integrity_check` and
    /// `foreign_key_check`); empty when they find nothing.
    async fn storage_problems(&self) -> StoreResult<Vec<StorageProblem>>;

    /// Every stored figure exactly as stored, before any parsing, in key order: what
    /// `check` re-reads as strictly as input.
    async fn each_raw_figure<E: From<StoreError>>(&self, each: impl FnMut(RawFigure) -> Result<(), E>)
    -> Result<(), E>;

    /// (code, published) of every document with a date, as stored.
    async fn raw_document_dates(&self) -> StoreResult<Vec<(String, String)>>;

    /// Writes a consistent snapshot of the database to `path`, which must not exist yet,
    /// while writers carry on.
    async fn backup_into(&self, path: &Path) -> StoreResult<()>;

    /// After a wait for a lock gave up ([`StoreError::Busy`]): who holds locks on econtrack's
    /// tables now, in one sentence, if the backend can tell (a server can; SQLite cannot).
    async fn lock_holders(&self) -> StoreResult<Option<String>> {
        Ok(None)
    }

    async fn close(self);
}

/// A write transaction with the dimension codes it may refer to, cached in memory.
#[allow(async_fn_in_trait)]
pub trait Batch {
    /// Figures to hand [`Batch::put_figures`] at a time, as this backend writes them fastest
    /// (measured in ARCHITECTURE.md, "Bulk writes"); few enough that an import's queue stays
    /// a few MB.
    const FIGURES_PER_CALL: usize;

    /// Whether a code is known, counting what this batch has written.
    fn knows(&self, dim: Dim, code: &str) -> bool;

    /// The ids of a figure's codes, or the first code that is not known.
    fn resolve(&self, figure: &Figure) -> Result<FigureIds, UnknownCode>;

    async fn put_source(&mut self, source: &Source, replace: bool) -> StoreResult<Put<Source>>;
    /// Writes an indicator; its `proxy_for`, if any, must already be known.
    async fn put_indicator(&mut self, indicator: &Indicator, replace: bool) -> StoreResult<Put<Indicator>>;
    async fn put_entity(&mut self, entity: &Entity, replace: bool) -> StoreResult<Put<Entity>>;
    async fn put_document(&mut self, document: &Document, replace: bool) -> StoreResult<Put<Document>>;
    /// Writes a release under its key; its codes must be known. A date a rule expected is
    /// replaced by an announced one without `replace`, and never replaces one itself
    /// ([`decide_release`]).
    async fn put_release(&mut self, release: &Release, replace: bool) -> StoreResult<Put<Release>>;
    /// Deletes the release under `key`; whether there was one.
    async fn remove_release(&mut self, key: &ReleaseKey) -> StoreResult<bool>;

    /// Deletes a source, indicator, entity or document that nothing refers to. Anything a
    /// figure refers to stays, retracted figures included: history is never lost.
    async fn remove_dimension(&mut self, dim: Dim, code: &str) -> StoreResult<Removed>;

    /// For each series (of the figures `series` stand for), up to `limit` of its stored
    /// values, latest periods first, read through the batch (what it has written counts).
    async fn series_samples(&mut self, series: &[FigureIds], limit: usize) -> StoreResult<Vec<Vec<Decimal>>>;

    /// Writes figures (best [`Batch::FIGURES_PER_CALL`] at a time). A figure equal to the one stored under
    /// its key is unchanged; a different one is a conflict, or a correction when `replace`.
    /// A figure is compared as it would correct the stored one (see `Figure::corrected_by`):
    /// optional fields it leaves out are kept, so a minimal row under a stored key with the
    /// same value is unchanged.
    async fn put_figures(
        &mut self,
        figures: &[(FigureIds, &Figure)],
        replace: bool,
        cleared: Cleared,
    ) -> StoreResult<BatchOutcome>;

    /// Writes one figure as [`Batch::put_figures`] does.
    async fn put_figure(
        &mut self,
        ids: FigureIds,
        figure: &Figure,
        replace: bool,
        cleared: Cleared,
    ) -> StoreResult<Put<Figure>> {
        let mut outcome = self.put_figures(&[(ids, figure)], replace, cleared).await?;
        Ok(match (outcome.conflicts.pop(), outcome.replaced.pop()) {
            (Some((_, existing)), _) => Put::Conflict { existing },
            (None, Some((_, old, _))) => Put::Replaced { old },
            (None, None) if outcome.inserted == 1 => Put::Inserted,
            (None, None) => Put::Unchanged,
        })
    }

    /// For each figure, whether its key is free (neither stored nor taken by an earlier
    /// figure of the slice): what a dry run would add.
    async fn new_keys(&mut self, figures: &[(FigureIds, &Figure)]) -> StoreResult<Vec<bool>>;

    /// Retracts the stored figure under `figure`'s key (its other fields are ignored) from
    /// `retraction.on`. The row stays: queries as of an earlier date still see it.
    async fn retract(&mut self, figure: &Figure, retraction: &Retraction) -> StoreResult<Retracted>;

    async fn commit(self) -> StoreResult<()>;
    async fn rollback(self) -> StoreResult<()>;
}

/// Every backend econtrack can open; [`open`] picks one from the location, and
/// `commands::run` matches on it once, so that everything below runs on one concrete type.
pub enum AnyStore {
    Sqlite(sqlite::SqliteStore),
    Postgres(postgres::PgStore),
}

/// Opens (creating if missing) and migrates the database at `location`: a file path or a
/// `sqlite:` URL, or a `postgres://` (`postgresql://`) URL of a server database. When the
/// schema was created, see [`Store::is_new`].
pub async fn open(location: &str) -> StoreResult<AnyStore> {
    if postgres::is_postgres_url(location) {
        return Ok(AnyStore::Postgres(postgres::PgStore::open(location).await?));
    }
    Ok(AnyStore::Sqlite(sqlite::SqliteStore::open(location).await?))
}

/// Opens the existing database at `location` for reading in one snapshot (see
/// `SqliteStore::open_snapshot`, `PgStore::open_snapshot`): what `copy` reads from. It is
/// migrated first if it is older than this binary; a SQLite file that does not exist, and a
/// database without econtrack's schema, are refused, and neither is created.
pub async fn open_snapshot(location: &str) -> StoreResult<AnyStore> {
    let is_postgres = postgres::is_postgres_url(location);
    if !is_postgres && !location.starts_with("sqlite:") && !Path::new(location).exists() {
        return Err(StoreError::Invalid("no such database file; name an existing one with --from"));
    }
    let migrated = open(location).await?;
    let is_new = match &migrated {
        AnyStore::Sqlite(store) => store.is_new(),
        AnyStore::Postgres(store) => store.is_new(),
    };
    match migrated {
        AnyStore::Sqlite(store) => store.close().await,
        AnyStore::Postgres(store) => store.close().await,
    }
    // Closing rolled back the schema that opening a database without one began.
    if is_new {
        return Err(StoreError::Invalid("it holds no econtrack database"));
    }
    if is_postgres {
        return Ok(AnyStore::Postgres(postgres::PgStore::open_snapshot(location).await?));
    }
    Ok(AnyStore::Sqlite(sqlite::SqliteStore::open_snapshot(location).await?))
}

/// The file of the SQLite database at `location` (a path or a `sqlite:` URL); `None` for a
/// server database.
pub fn database_file(location: &str) -> Option<std::path::PathBuf> {
    if postgres::is_postgres_url(location) {
        return None;
    }
    sqlite::database_file(location)
}

/// Whether the backend at `location` writes a backup file itself ([`Store::backup_into`]):
/// SQLite copies its own file; a server database is backed up through `copy` instead.
pub fn backs_up_itself(location: &str) -> bool {
    !postgres::is_postgres_url(location)
}

/// The integer ids a figure's codes stand for, checked before it is written.
#[derive(Debug, Clone, Copy)]
pub struct FigureIds {
    pub(in crate::store) indicator: i64,
    pub(in crate::store) entity: i64,
    pub(in crate::store) source: i64,
    pub(in crate::store) document: Option<i64>,
}

/// A figure's place in the figures table: its primary key, in the table's column order (the
/// kind compared as the text the database compares).
pub type TableKey = (i64, i64, i64, &'static str, i64, i64);

/// The stored figures under the keys of a batch, by key (an Fx map: the keys are small
/// integers and a static string, and a re-import hashes two per row).
pub type Holders = rustc_hash::FxHashMap<TableKey, Figure>;

impl FigureIds {
    pub fn table_key(&self, figure: &Figure) -> TableKey {
        (
            self.indicator,
            self.entity,
            figure.period.key(),
            figure.kind.as_str(),
            self.source,
            date_to_int(figure.published),
        )
    }

    /// The ids as plain integers (a missing document as `None`), to be written out and read
    /// back by [`FigureIds::from_parts`] within one import.
    pub fn parts(&self) -> ([i64; 3], Option<i64>) {
        ([self.indicator, self.entity, self.source], self.document)
    }

    pub fn from_parts([indicator, entity, source]: [i64; 3], document: Option<i64>) -> FigureIds {
        FigureIds { indicator, entity, source, document }
    }

    /// The series (indicator, entity) the figure belongs to, as a key.
    pub fn series(&self) -> (i64, i64) {
        (self.indicator, self.entity)
    }
}

/// What a batch makes of figures whose keys were taken: each compared with what holds its
/// key (`holders`, after `written` of them were inserted just now) is equal, a correction to
/// write when `replace`, or a conflict. Returns the outcome and the corrections to write, in
/// order; `resolve` gives a correction's ids, since a kept document is the stored one's, not
/// the row's. The same rule on every backend, so "unchanged", "replaced" and "conflict" mean
/// one thing whichever database holds the figures.
fn judge_taken(
    figures: &[(FigureIds, &Figure)],
    mut holders: Holders,
    written: u64,
    replace: bool,
    cleared: Cleared,
    resolve: impl Fn(&Figure) -> Result<FigureIds, UnknownCode>,
) -> StoreResult<(BatchOutcome, Vec<(FigureIds, Figure)>)> {
    let missing = || StoreError::backend("a taken key has no stored row");
    let mut outcome = BatchOutcome { inserted: written, ..BatchOutcome::default() };
    let mut equal = 0;
    let mut overwrites = Vec::new();
    for (index, (ids, figure)) in figures.iter().enumerate() {
        let key = ids.table_key(figure);
        let holder = holders.get(&key).ok_or_else(missing)?;
        // The usual case of a re-import, decided without building the correction.
        if holder == *figure {
            equal += 1;
            continue;
        }
        let corrected = holder.corrected_by(figure, cleared);
        if &corrected == holder {
            equal += 1;
        } else if replace {
            let ids = FigureIds { document: resolve(&corrected)?.document, ..*ids };
            let old = holders.insert(key, corrected.clone()).ok_or_else(missing)?;
            overwrites.push((ids, corrected.clone()));
            outcome.replaced.push((index, old, corrected));
        } else {
            outcome.conflicts.push((index, holder.clone()));
        }
    }
    // Every written figure equals itself in the table; the other equal ones were there.
    outcome.unchanged = equal - written;
    Ok((outcome, overwrites))
}

/// For each figure, whether its key is free (not in `stored`, nor taken by an earlier
/// figure of the slice): what a dry run would add.
fn free_keys(figures: &[(FigureIds, &Figure)], stored: &Holders) -> Vec<bool> {
    let mut seen = std::collections::HashSet::new();
    figures
        .iter()
        .map(|(ids, figure)| {
            let key = ids.table_key(figure);
            !stored.contains_key(&key) && seen.insert(key)
        })
        .collect()
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

/// What putting the release `new` where `existing` is stored amounts to: as [`decide`],
/// except that an expected date (status `expected`, from a repeating rule) gives way to an
/// announced one unasked, and an expected date never replaces an announced one, even with
/// `replace` (it is kept, and reported unchanged).
fn decide_release(existing: Option<Release>, new: &Release, replace: bool) -> Put<Release> {
    match existing {
        Some(old) if new.yields_to(&old) => Put::Unchanged,
        Some(old) if old.gives_way_to(new) => Put::Replaced { old },
        existing => decide(existing, new, replace),
    }
}

/// Whether the record `put` decided on has to be written.
fn writes<T>(put: &Put<T>) -> bool {
    matches!(put, Put::Inserted | Put::Replaced { .. })
}
