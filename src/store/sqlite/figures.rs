//! The figures table: one claimed value per (indicator, entity, period, kind, source, published).

use super::{SqliteBatch, SqliteStore, raw};
use crate::domain::model::{Cleared, Figure, Retraction};
use crate::domain::period::{Period, date_to_int};
use crate::domain::query::{BatchOutcome, Dim, FigureFilter, FigureOrder, Retracted, UnknownCode};
use crate::domain::value::Kind;
use crate::store::decode::{Columns, FigureRow, decimal};
use crate::store::error::{Result, StoreContext, StoreError};
use crate::store::ids::Codes;
use crate::store::{FigureIds, Holders, TableKey};
use crate::store::{free_keys, judge_taken};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::SqliteConnection;

/// The standing values of a series, latest periods first: what a new value is compared with.
/// No `LIMIT ?`: SQLite compiles a statement again whenever a bound LIMIT changes value, and
/// even when it does not; the reader stops after the rows it wants instead.
const SERIES_SAMPLE_SQL: &str =
    "SELECT value FROM figures WHERE indicator_id = ?1 AND entity_id = ?2 AND retracted IS NULL
     ORDER BY period DESC";

// Kind and bound come back as their index in `Kind::ALL` and `Bound::ALL` (-1: corrupt).
macro_rules! figure_columns {
    () => {
        "SELECT f.indicator_id, f.entity_id, f.period,
                CASE f.kind WHEN 'target' THEN 0 WHEN 'forecast' THEN 1 WHEN 'actual' THEN 2
                            WHEN 'estimate' THEN 3 ELSE -1 END AS kind,
                f.source_id, f.published, f.value,
                CASE f.bound WHEN 'exact' THEN 0 WHEN 'approx' THEN 1 WHEN 'at-least' THEN 2
                             WHEN 'at-most' THEN 3 WHEN 'range' THEN 4 ELSE -1 END AS bound,
                f.high, f.tolerance, f.document_id, f.quote, f.note, f.retracted, f.retraction_note
         FROM figures f"
    };
}

// The codes come from the batch's own map of ids; the joins are there for the filters.
macro_rules! select_figures {
    () => {
        concat!(
            figure_columns!(),
            "
         JOIN indicators i ON i.id = f.indicator_id
         JOIN entities e ON e.id = f.entity_id
         JOIN sources s ON s.id = f.source_id
         LEFT JOIN documents d ON d.id = f.document_id"
        )
    };
}

// `OR FAIL`: a CHECK that fails stops the statement where it stands instead of undoing its
// earlier rows, so SQLite keeps no statement journal for a multi-row INSERT (with foreign
// keys off, as in a bulk batch; a foreign key still undoes the statement). The error ends
// the batch either way and the transaction is rolled back, so nothing of it lands.
macro_rules! insert_head {
    () => {
        "INSERT OR FAIL INTO figures (indicator_id, entity_id, period, kind, source_id, published,
                              value, bound, high, document_id, quote, note, tolerance, recorded,
                              retracted, retraction_note) VALUES "
    };
}
macro_rules! insert_row {
    () => {
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    };
}
macro_rules! insert_rows_4 {
    () => {
        concat!(insert_row!(), ", ", insert_row!(), ", ", insert_row!(), ", ", insert_row!())
    };
}
macro_rules! insert_rows_16 {
    () => {
        concat!(insert_rows_4!(), ", ", insert_rows_4!(), ", ", insert_rows_4!(), ", ", insert_rows_4!())
    };
}

/// Figures per multi-row INSERT. Measured on a million rows: each run of a statement sets
/// up its cursors and constraint checks again, so one row per statement cost 5% more CPU
/// than this (and 1.6 times as much while the CHECKs on kind and bound were IN lists, each
/// run re-creating their temporary tables; see migration 3); 100 or 1000 rows cost more to
/// compile (1.9 ms for 1000, once per batch) and to run.
const ROWS_PER_INSERT: usize = 16;
const PARAMS_PER_ROW: usize = 16;

/// [`ROWS_PER_INSERT`] figures, skipping taken keys.
const INSERT_ROWS_SQL: &str = concat!(insert_head!(), insert_rows_16!(), " ON CONFLICT DO NOTHING");
/// One figure, unless its key is taken: for the rows after the last full multi-row INSERT.
const INSERT_ROW_SQL: &str = concat!(insert_head!(), insert_row!(), " ON CONFLICT DO NOTHING");

/// The figure stored under one key, if any. `+?4`, not `?4`: compared with a bare parameter,
/// `kind` makes SQLite plan the statement again for every new value (it checks whether the
/// partial index on targets applies), which made a million-row re-import several times
/// slower (measured in ARCHITECTURE.md, "Storage invariants"); compared with an expression it
/// is planned once, and still looked up by primary key.
/// No joins: a point lookup on the primary key alone, the ids turned into codes by the
/// batch's map (a re-import of a million rows is all such lookups).
const STORED_FIGURE_SQL: &str = concat!(
    figure_columns!(),
    " WHERE f.indicator_id = ?1 AND f.entity_id = ?2 AND f.period = ?3 AND f.kind = +?4
        AND f.source_id = ?5 AND f.published = ?6"
);

/// Every stored figure from one key to another, in key order: for a batch in key order, one
/// descent of the B-tree and a walk along its leaves instead of a descent per figure. `+?4`
/// and `+?10` for the reason given at `STORED_FIGURE_SQL`.
const STORED_RANGE_SQL: &str = concat!(
    figure_columns!(),
    " WHERE (f.indicator_id, f.entity_id, f.period, f.kind, f.source_id, f.published)
            BETWEEN (?1, ?2, ?3, +?4, ?5, ?6) AND (?7, ?8, ?9, +?10, ?11, ?12)
      ORDER BY f.indicator_id, f.entity_id, f.period, f.kind, f.source_id, f.published"
);

/// How many stored rows per figure of a batch the range read may walk before point lookups
/// are cheaper: a batch sparse in a full table (new rows among many) looks each one up.
const RANGE_ROWS_PER_FIGURE: usize = 2;

/// A correction of the figure under one key. `+?4` for the reason given at
/// `STORED_FIGURE_SQL`.
const OVERWRITE_FIGURE_SQL: &str =
    "UPDATE figures SET value = ?7, bound = ?8, high = ?9, document_id = ?10, quote = ?11,
        note = ?12, tolerance = ?13, recorded = ?14, retracted = ?15, retraction_note = ?16
 WHERE indicator_id = ?1 AND entity_id = ?2 AND period = ?3 AND kind = +?4
   AND source_id = ?5 AND published = ?6";

/// Writes `figures`, skipping taken keys, and returns how many were written: runs of
/// [`ROWS_PER_INSERT`] through one prepared multi-row INSERT, the rest one by one, all on
/// the raw handle of the transaction's connection (see `raw.rs`), counted by
/// `sqlite3_changes`.
async fn insert_figures(conn: &mut SqliteConnection, figures: &[(FigureIds, &Figure)], recorded: &str) -> Result<u64> {
    if figures.is_empty() {
        return Ok(0);
    }
    let mut locked = conn.lock_handle().await?;
    let db = raw::Db::new(&mut locked);
    let mut written = 0;
    let mut runs = figures.chunks_exact(ROWS_PER_INSERT);
    if figures.len() >= ROWS_PER_INSERT {
        let mut insert = db.prepare(INSERT_ROWS_SQL, true)?;
        for run in &mut runs {
            for (row, figure) in run.iter().enumerate() {
                bind_figure(&mut insert, row * PARAMS_PER_ROW, figure, recorded)?;
            }
            written += insert.execute()?;
        }
    }
    if !runs.remainder().is_empty() {
        let mut insert = db.prepare(INSERT_ROW_SQL, true)?;
        for figure in runs.remainder() {
            bind_figure(&mut insert, 0, figure, recorded)?;
            written += insert.execute()?;
        }
    }
    Ok(written)
}

/// The stored figures under the keys of `figures` read as one range (`STORED_RANGE_SQL`),
/// or `None` when the figures are not in ascending key order or the range holds more than
/// [`RANGE_ROWS_PER_FIGURE`] rows per figure. Rows of the range under no key of `figures`
/// are passed over without being decoded.
fn stored_range(db: &raw::Db<'_>, figures: &[(FigureIds, &Figure)], codes: &Codes) -> Result<Option<Holders>> {
    let keys: Vec<TableKey> = figures.iter().map(|(ids, figure)| ids.table_key(figure)).collect();
    let (Some(first), Some(last)) = (keys.first(), keys.last()) else { return Ok(Some(Holders::default())) };
    if keys.len() < 2 || !keys.windows(2).all(|pair| pair[0] < pair[1]) {
        return Ok(None);
    }
    let limit = keys.len() * RANGE_ROWS_PER_FIGURE;
    let mut select = db.prepare(STORED_RANGE_SQL, true)?;
    for (before, key) in [(0, first), (6, last)] {
        select.bind_i64(before + 1, key.0)?;
        select.bind_i64(before + 2, key.1)?;
        select.bind_i64(before + 3, key.2)?;
        select.bind_static(before + 4, key.3)?;
        select.bind_i64(before + 5, key.4)?;
        select.bind_i64(before + 6, key.5)?;
    }
    let mut holders = Holders::with_capacity_and_hasher(keys.len(), Default::default());
    let mut walked = 0;
    // Both in key order: the batch's keys are walked alongside the rows.
    let mut wanted = keys.iter().peekable();
    let completed = select.rows_while(|row| {
        walked += 1;
        if walked > limit {
            return Ok(false);
        }
        let kind = usize::try_from(row.int(3)?).ok().and_then(|index| Kind::ALL.get(index));
        let Some(kind) = kind else {
            // Not a kind econtrack writes: decoding says what is wrong with the row.
            FigureRow::read(row)?.into_figure(codes)?;
            return Ok(true);
        };
        let key = (row.int(0)?, row.int(1)?, row.int(2)?, kind.as_str(), row.int(4)?, row.int(5)?);
        while wanted.next_if(|wanted| **wanted < key).is_some() {}
        if wanted.next_if_eq(&&key).is_some() {
            holders.insert(key, FigureRow::read(row)?.into_figure(codes)?);
        }
        Ok(true)
    })?;
    Ok(completed.then_some(holders))
}

/// Binds one figure to the 16 parameters of an `insert_row!()` after the first `before`.
fn bind_figure(
    insert: &mut raw::Statement<'_>,
    before: usize,
    (ids, figure): &(FigureIds, &Figure),
    recorded: &str,
) -> Result<()> {
    let q = &figure.quantity;
    let mut param = before;
    let mut next = || {
        param += 1;
        param
    };
    insert.bind_i64(next(), ids.indicator)?;
    insert.bind_i64(next(), ids.entity)?;
    insert.bind_i64(next(), figure.period.key())?;
    insert.bind_static(next(), figure.kind.as_str())?;
    insert.bind_i64(next(), ids.source)?;
    insert.bind_i64(next(), date_to_int(figure.published))?;
    // Decimals are stored as their canonical text, as `Text<Decimal>` writes them.
    insert.bind_display(next(), Some(q.value()))?;
    insert.bind_static(next(), q.bound().as_str())?;
    insert.bind_display(next(), q.high())?;
    insert.bind_opt_i64(next(), ids.document)?;
    insert.bind_opt_text(next(), figure.quote.as_deref())?;
    insert.bind_opt_text(next(), figure.note.as_deref())?;
    insert.bind_display(next(), figure.tolerance)?;
    insert.bind_text(next(), recorded)?;
    let retraction = figure.retraction.as_ref();
    insert.bind_opt_i64(next(), retraction.map(|r| date_to_int(r.on)))?;
    insert.bind_opt_text(next(), retraction.and_then(|r| r.note.as_deref()))
}

macro_rules! filter_figures {
    () => {
        " WHERE (?1 IS NULL OR i.code = ?1) AND (?2 IS NULL OR e.code = ?2)
            AND (?3 IS NULL OR f.period = ?3) AND (?4 IS NULL OR f.published <= ?4)
            AND (?5 IS NULL OR s.slug = ?5) AND (?6 IS NULL OR d.code = ?6)
            AND (?7 IS NULL OR f.retracted IS NULL OR f.retracted > ?7) AND (?8 IS NULL OR f.kind = ?8)"
    };
}

/// The export order. `bench/sql/export.sql` gives `sqlite3` the same rows with codes joined in.
const FIGURES_BY_KEY_SQL: &str =
    concat!(select_figures!(), filter_figures!(), " ORDER BY i.code, e.code, f.period, f.kind, s.slug, f.published");

const FIGURES_BY_PUBLISHED_SQL: &str =
    concat!(select_figures!(), filter_figures!(), " ORDER BY f.published, f.period, f.kind, s.slug, i.code, e.code");

/// Binds a [`FigureFilter`] to the parameters of `filter_figures!`.
macro_rules! bind_filter {
    ($query:expr, $filter:expr) => {
        $query
            .bind($filter.indicator.clone())
            .bind($filter.entity.clone())
            .bind($filter.period.map(Period::key))
            .bind($filter.as_of.map(date_to_int))
            .bind($filter.source.clone())
            .bind($filter.document.clone())
            .bind($filter.retraction_horizon())
            .bind($filter.kind.map(Kind::as_str))
    };
}

/// One series' figures (an indicator, entity and period) published by ?4, oldest first: a
/// primary-key range (the codes resolve to ids first), so a report reads one series at a
/// time however big the table.
const SERIES_FIGURES_SQL: &str = concat!(
    select_figures!(),
    " WHERE f.indicator_id = (SELECT id FROM indicators WHERE code = ?1)
        AND f.entity_id = (SELECT id FROM entities WHERE code = ?2)
        AND f.period = ?3 AND f.published <= ?4 AND (f.retracted IS NULL OR f.retracted > ?4)
      ORDER BY f.published, f.kind, s.slug"
);

const COUNT_FIGURES_SQL: &str = concat!("SELECT count(*) FROM (", select_figures!(), filter_figures!(), ")");

impl SqliteStore {
    /// How many figures match.
    pub async fn count_figures(&self, filter: &FigureFilter) -> Result<u64> {
        let count: i64 = bind_filter!(sqlx::query_scalar(COUNT_FIGURES_SQL), filter).fetch_one(&self.pool).await?;
        Ok(count.try_into().unwrap_or(0))
    }

    /// Hands each figure that matches to `each`, in `order`, without loading them all.
    /// Rows are read straight from SQLite (see `raw.rs`); an error from `each` stops the read.
    pub async fn each_figure<E: From<StoreError>>(
        &self,
        filter: &FigureFilter,
        order: FigureOrder,
        mut each: impl FnMut(Figure) -> Result<(), E>,
    ) -> Result<(), E> {
        let codes = self.codes().await?;
        let sql = match order {
            FigureOrder::Key => FIGURES_BY_KEY_SQL,
            FigureOrder::Published => FIGURES_BY_PUBLISHED_SQL,
        };
        self.with_raw(|db| {
            let mut select = db.prepare(sql, false)?;
            select.bind_opt_text(1, filter.indicator.as_deref())?;
            select.bind_opt_text(2, filter.entity.as_deref())?;
            select.bind_opt_i64(3, filter.period.map(Period::key))?;
            select.bind_opt_i64(4, filter.as_of.map(date_to_int))?;
            select.bind_opt_text(5, filter.source.as_deref())?;
            select.bind_opt_text(6, filter.document.as_deref())?;
            let horizon = filter.retraction_horizon();
            select.bind_opt_i64(7, horizon)?;
            select.bind_opt_text(8, filter.kind.map(Kind::as_str))?;
            while let Some(row) = select.step()? {
                let mut figure = FigureRow::read(&row)?.into_figure(&codes)?;
                if horizon.is_some() {
                    // Retracted only after the horizon: as of then it stood.
                    figure.retraction = None;
                }
                each(figure)?;
            }
            Ok(())
        })
        .await
    }
}

impl SqliteStore {
    /// Hands `each` every figure of one series (any kind and source) published on or
    /// before `as_of`, oldest first.
    pub async fn each_series_figure<E: From<StoreError>>(
        &self,
        (indicator, entity, period): (&str, &str, Period),
        as_of: NaiveDate,
        mut each: impl FnMut(Figure) -> Result<(), E>,
    ) -> Result<(), E> {
        let codes = self.codes().await?;
        self.with_raw(|db| {
            let mut select = db.prepare(SERIES_FIGURES_SQL, false)?;
            select.bind_text(1, indicator)?;
            select.bind_text(2, entity)?;
            select.bind_i64(3, period.key())?;
            select.bind_i64(4, date_to_int(as_of))?;
            while let Some(row) = select.step()? {
                let mut figure = FigureRow::read(&row)?.into_figure(&codes)?;
                // Retracted only after the date: as of then it stood.
                figure.retraction = None;
                each(figure)?;
            }
            Ok(())
        })
        .await
    }
}

impl SqliteBatch<'_> {
    /// The ids of a figure's codes, or the first code that is not known.
    pub fn resolve(&self, figure: &Figure) -> Result<FigureIds, UnknownCode> {
        Ok(FigureIds {
            indicator: self.ids.get(Dim::Indicator, &figure.indicator)?,
            entity: self.ids.get(Dim::Entity, &figure.entity)?,
            source: self.ids.get(Dim::Source, &figure.source)?,
            document: figure.document.as_deref().map(|code| self.ids.get(Dim::Document, code)).transpose()?,
        })
    }

    /// For each series (of the figures `ids` stand for), up to `limit` of its stored values,
    /// latest periods first, read through the batch (what it has written counts). A
    /// prepared statement on the raw handle, as an import asks once per new series.
    pub async fn series_samples(&mut self, series: &[FigureIds], limit: usize) -> Result<Vec<Vec<Decimal>>> {
        let mut locked = self.tx.lock_handle().await?;
        let db = raw::Db::new(&mut locked);
        let mut select = db.prepare(SERIES_SAMPLE_SQL, true)?;
        let mut samples = Vec::with_capacity(series.len());
        for ids in series {
            select.bind_i64(1, ids.indicator)?;
            select.bind_i64(2, ids.entity)?;
            let mut values = Vec::new();
            select.rows_while(|row| {
                if values.len() < limit {
                    values.push(decimal(row.text(0)?)?);
                }
                Ok(values.len() < limit)
            })?;
            samples.push(values);
        }
        Ok(samples)
    }

    /// Writes figures (best `FIGURES_PER_CALL` at a time) with `INSERT … ON CONFLICT DO NOTHING`
    /// (see `insert_figures`). When every row was written that is all (the common case: new
    /// data). When some key was taken, by a stored row or an earlier figure of the batch,
    /// `stored_figures` reads what now holds each key and every figure is compared with it: equal means
    /// written now or already there (the written count tells how many of each), different
    /// is a conflict, or a correction when `replace` is set. A figure is compared as it would
    /// correct the stored one (see `Figure::corrected_by`): optional fields it leaves out are
    /// kept, so a minimal row under a stored key with the same value is unchanged.
    pub async fn put_figures(
        &mut self,
        figures: &[(FigureIds, &Figure)],
        replace: bool,
        cleared: Cleared,
    ) -> Result<BatchOutcome> {
        if let Some(references) = &mut self.references {
            figures.iter().for_each(|(ids, _)| references.note(ids));
        }
        // In a re-import every key is taken: looking the figures up first saves the INSERT
        // that would find each key taken before the same lookup. Tried only after a batch
        // that wrote nothing, and given up for this batch when any key is free.
        if self.expect_taken {
            let holders = self.stored_figures(figures).await?;
            if figures.iter().all(|(ids, figure)| holders.contains_key(&ids.table_key(figure))) {
                return self.compare_figures(figures, holders, 0, replace, cleared).await;
            }
        }
        let written = insert_figures(&mut self.tx, figures, &self.recorded).await?;
        self.expect_taken = written == 0;
        if written == figures.len() as u64 {
            return Ok(BatchOutcome { inserted: written, ..BatchOutcome::default() });
        }
        let holders = self.stored_figures(figures).await?;
        self.compare_figures(figures, holders, written, replace, cleared).await
    }
    /// Compares each figure with what holds its key (`store::judge_taken`) and writes the
    /// corrections it decided on.
    async fn compare_figures(
        &mut self,
        figures: &[(FigureIds, &Figure)],
        holders: Holders,
        written: u64,
        replace: bool,
        cleared: Cleared,
    ) -> Result<BatchOutcome> {
        let (outcome, overwrites) =
            judge_taken(figures, holders, written, replace, cleared, |figure| self.resolve(figure))?;
        self.overwrite_figures(&overwrites).await?;
        Ok(outcome)
    }
    /// For each figure, whether its key is free: what a dry run would add.
    pub async fn new_keys(&mut self, figures: &[(FigureIds, &Figure)]) -> Result<Vec<bool>> {
        let stored = self.stored_figures(figures).await?;
        Ok(free_keys(figures, &stored))
    }

    /// The stored figures under the keys of `figures`, by their table keys: one prepared
    /// point lookup per figure on the raw handle (see `raw.rs`).
    async fn stored_figures(&mut self, figures: &[(FigureIds, &Figure)]) -> Result<Holders> {
        let codes = self.ids.codes();
        let mut locked = self.tx.lock_handle().await?;
        let db = raw::Db::new(&mut locked);
        if let Some(holders) = stored_range(&db, figures, &codes)? {
            return Ok(holders);
        }
        let mut select = db.prepare(STORED_FIGURE_SQL, true)?;
        let mut holders = Holders::with_capacity_and_hasher(figures.len(), Default::default());
        for (ids, figure) in figures {
            select.bind_i64(1, ids.indicator)?;
            select.bind_i64(2, ids.entity)?;
            select.bind_i64(3, figure.period.key())?;
            select.bind_static(4, figure.kind.as_str())?;
            select.bind_i64(5, ids.source)?;
            select.bind_i64(6, date_to_int(figure.published))?;
            let holder = select
                .first_row(|row| FigureRow::read(row)?.into_figure(&codes))
                .store_context("reading the stored figure under the same key")?;
            if let Some(holder) = holder {
                holders.insert(ids.table_key(figure), holder);
            }
        }
        Ok(holders)
    }

    /// Writes corrections in order through one prepared UPDATE on the raw handle (one sqlx
    /// statement per row cost most of an `import --replace`).
    async fn overwrite_figures(&mut self, overwrites: &[(FigureIds, Figure)]) -> Result<()> {
        if overwrites.is_empty() {
            return Ok(());
        }
        if let Some(references) = &mut self.references {
            overwrites.iter().for_each(|(ids, _)| references.note(ids));
        }
        let mut locked = self.tx.lock_handle().await?;
        let db = raw::Db::new(&mut locked);
        let mut update = db.prepare(OVERWRITE_FIGURE_SQL, true)?;
        for (ids, figure) in overwrites {
            let q = &figure.quantity;
            let retraction = figure.retraction.as_ref();
            update.bind_i64(1, ids.indicator)?;
            update.bind_i64(2, ids.entity)?;
            update.bind_i64(3, figure.period.key())?;
            update.bind_text(4, figure.kind.as_str())?;
            update.bind_i64(5, ids.source)?;
            update.bind_i64(6, date_to_int(figure.published))?;
            // Decimals are stored as their canonical text, as `Text<Decimal>` writes them.
            update.bind_display(7, Some(q.value()))?;
            update.bind_text(8, q.bound().as_str())?;
            update.bind_display(9, q.high())?;
            update.bind_opt_i64(10, ids.document)?;
            update.bind_opt_text(11, figure.quote.as_deref())?;
            update.bind_opt_text(12, figure.note.as_deref())?;
            update.bind_display(13, figure.tolerance)?;
            update.bind_text(14, &self.recorded)?;
            update.bind_opt_i64(15, retraction.map(|r| date_to_int(r.on)))?;
            update.bind_opt_text(16, retraction.and_then(|r| r.note.as_deref()))?;
            update.execute()?;
        }
        Ok(())
    }

    /// Retracts the stored figure under `figure`'s key (its other fields are ignored) from
    /// `retraction.on`. The row stays: queries as of an earlier date still see it.
    pub async fn retract(&mut self, figure: &Figure, retraction: &Retraction) -> Result<Retracted> {
        let ids = self.resolve(figure)?;
        let stored = self.stored_figures(&[(ids, figure)]).await?.remove(&ids.table_key(figure));
        let Some(stored) = stored else { return Ok(Retracted::NotStored) };
        if let Some(earlier) = stored.retraction {
            return Ok(Retracted::Already(earlier));
        }
        sqlx::query(
            "UPDATE figures SET retracted = ?7, retraction_note = ?8
             WHERE indicator_id = ?1 AND entity_id = ?2 AND period = ?3 AND kind = +?4
               AND source_id = ?5 AND published = ?6",
        )
        .bind(ids.indicator)
        .bind(ids.entity)
        .bind(figure.period.key())
        .bind(figure.kind.as_str())
        .bind(ids.source)
        .bind(date_to_int(figure.published))
        .bind(date_to_int(retraction.on))
        .bind(&retraction.note)
        .execute(&mut *self.tx)
        .await?;
        Ok(Retracted::Now(Box::new(stored)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{block_on, builtin_store};
    use super::*;

    /// How often `sql` is compiled again when run for one key of each kind in turn.
    async fn reprepares(store: &SqliteStore, sql: &'static str) -> i32 {
        store
            .with_raw(|db| {
                let mut lookup = db.prepare(sql, true)?;
                for kind in Kind::ALL.iter().chain(&Kind::ALL) {
                    for (param, id) in [(1, 1), (2, 1), (3, 20240000), (5, 1), (6, 20240101)] {
                        lookup.bind_i64(param, id)?;
                    }
                    lookup.bind_text(4, kind.as_str())?;
                    lookup.first_row(|_| Ok(()))?;
                }
                Ok::<_, StoreError>(lookup.reprepares())
            })
            .await
            .unwrap()
    }

    /// See `STORED_FIGURE_SQL`: with `kind = ?4` SQLite recompiles the lookup whenever the
    /// kind changes (checking the partial index on targets), which slowed a re-import (see
    /// ARCHITECTURE.md, "Storage invariants"); `kind = +?4` compiles once.
    #[test]
    fn the_stored_figure_lookup_is_compiled_once() {
        const BARE_KIND_SQL: &str = concat!(
            select_figures!(),
            " WHERE f.indicator_id = ?1 AND f.entity_id = ?2 AND f.period = ?3 AND f.kind = ?4
                AND f.source_id = ?5 AND f.published = ?6"
        );
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let mut store = SqliteStore::open("sqlite::memory:").await.unwrap();
            store.begin().await.unwrap().commit().await.unwrap();
            assert!(reprepares(&store, BARE_KIND_SQL).await > 0, "the mechanism this guards against");
            assert_eq!(reprepares(&store, STORED_FIGURE_SQL).await, 0);
            // A bound LIMIT is compiled again at every new value, whatever the plan.
            const BOUND_LIMIT_SQL: &str = concat!(
                "SELECT value FROM figures WHERE indicator_id = ?1 AND entity_id = ?2 AND period = ?3",
                " AND kind = +?4 AND source_id = ?5 LIMIT ?6"
            );
            assert!(reprepares(&store, BOUND_LIMIT_SQL).await > 0, "the mechanism this guards against");
            // Each statement with the parameters that take a kind.
            for (sql, kinds) in [(SERIES_SAMPLE_SQL, &[][..]), (STORED_RANGE_SQL, &[4, 10][..])] {
                let again = store
                    .with_raw(|db| {
                        let mut lookup = db.prepare(sql, true)?;
                        for (n, kind) in Kind::ALL.iter().chain(&Kind::ALL).enumerate() {
                            let n = i64::try_from(n).unwrap();
                            for param in 1..=lookup.parameters() {
                                if kinds.contains(&param) {
                                    lookup.bind_static(param, kind.as_str())?;
                                } else {
                                    lookup.bind_i64(param, n)?;
                                }
                            }
                            lookup.rows_while(|_| Ok(true))?;
                        }
                        Ok::<_, StoreError>(lookup.reprepares())
                    })
                    .await
                    .unwrap();
                assert_eq!(again, 0, "{sql}");
            }
        });
    }

    /// The fast path's row and an sqlx row are two readers of one decoder: on the same
    /// statement they must give the same figures, field for field.
    #[test]
    fn the_raw_row_and_an_sqlx_row_decode_alike() {
        use crate::store::decode::SqlxColumns;
        block_on(async {
            let (store, fast) = builtin_store().await;
            let filter = FigureFilter { include_retracted: true, ..FigureFilter::default() };
            let codes = store.codes().await.unwrap();
            let rows = bind_filter!(sqlx::query(FIGURES_BY_KEY_SQL), filter).fetch_all(&store.pool).await.unwrap();
            let through_sqlx: Vec<Figure> = rows
                .iter()
                .map(|row| FigureRow::read(&SqlxColumns(row))?.into_figure(&codes))
                .collect::<Result<_>>()
                .unwrap();
            assert!(fast.len() > 10, "{}", fast.len());
            assert_eq!(fast, through_sqlx);
        });
    }

    /// A batch in key order is read as one range while the range holds few rows besides it;
    /// a sparse one (its first and last keys far apart) is looked up key by key. Either way
    /// every stored figure under the batch's keys comes back.
    #[test]
    fn a_range_read_serves_dense_batches_and_gives_way_on_sparse_ones() {
        block_on(async {
            let (mut store, stored) = builtin_store().await;
            let mut batch = store.begin().await.unwrap();
            let mut resolved: Vec<(FigureIds, &Figure)> =
                stored.iter().map(|figure| (batch.resolve(figure).unwrap(), figure)).collect();
            resolved.sort_by_key(|(ids, figure)| ids.table_key(figure));
            assert!(resolved.len() > 20, "{}", resolved.len());
            let codes = batch.ids.codes();
            let mut locked = batch.tx.lock_handle().await.unwrap();
            let db = raw::Db::new(&mut locked);
            let dense = &resolved[3..13];
            let holders = stored_range(&db, dense, &codes).unwrap().expect("a dense batch is read as a range");
            assert_eq!(holders.len(), dense.len());
            for (ids, figure) in dense {
                assert_eq!(&holders[&ids.table_key(figure)], *figure);
            }
            let sparse = [resolved[0], resolved[resolved.len() - 1]];
            assert!(stored_range(&db, &sparse, &codes).unwrap().is_none(), "a sparse batch is looked up key by key");
            let shuffled = [resolved[5], resolved[4]];
            assert!(stored_range(&db, &shuffled, &codes).unwrap().is_none(), "only a batch in key order is a range");
        });
    }

    #[test]
    fn the_multi_row_insert_has_rows_per_insert_rows() {
        assert_eq!(INSERT_ROWS_SQL.matches('?').count(), ROWS_PER_INSERT * PARAMS_PER_ROW);
        assert_eq!(INSERT_ROW_SQL.matches('?').count(), PARAMS_PER_ROW);
    }
}
