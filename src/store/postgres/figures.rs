//! The figures table on PostgreSQL: the statements of `store/figures.rs`, the bulk insert
//! through `COPY` into a staging table, and key lookups over `unnest`ed key arrays.

use super::{PgBatch, PgStore, refuse_nul};
use crate::domain::model::{Cleared, Figure, Retraction};
use crate::domain::period::{Period, date_to_int};
use crate::domain::query::{BatchOutcome, Dim, FigureFilter, FigureOrder, Retracted, UnknownCode};
use crate::domain::value::{Bound, Kind, Quantity};
use crate::store::decode::{decimal, period};
use crate::store::error::{Corrupt, Result, StoreContext, StoreError};
use crate::store::{FigureIds, Holders, TableKey};
use crate::store::{free_keys, judge_taken};
use chrono::NaiveDate;
use compact_str::CompactString;
use futures_util::TryStreamExt;
use rust_decimal::Decimal;
use sqlx::Row;
use sqlx::postgres::PgRow;
use std::fmt::Write as _;

/// Codes joined in, values as their exact text, dates as DATE. The columns `figure_from` reads.
macro_rules! select_figures {
    () => {
        "SELECT i.code, e.code, f.period, f.kind, s.slug, f.published, f.value::text, f.bound,
                f.high::text, f.tolerance::text, d.code, f.quote, f.note, f.retracted, f.retraction_note,
                f.indicator_id, f.entity_id, f.source_id
         FROM figures f
         JOIN indicators i ON i.id = f.indicator_id
         JOIN entities e ON e.id = f.entity_id
         JOIN sources s ON s.id = f.source_id
         LEFT JOIN documents d ON d.id = f.document_id"
    };
}

/// The parameters of `FigureFilter`, typed so that the statement plans the same however
/// many are NULL.
macro_rules! filter_figures {
    () => {
        " WHERE ($1::text IS NULL OR i.code = $1) AND ($2::text IS NULL OR e.code = $2)
            AND ($3::int8 IS NULL OR f.period = $3) AND ($4::date IS NULL OR f.published <= $4)
            AND ($5::text IS NULL OR s.slug = $5) AND ($6::text IS NULL OR d.code = $6)
            AND ($7::date IS NULL OR f.retracted IS NULL OR f.retracted > $7) AND ($8::text IS NULL OR f.kind = $8)"
    };
}

/// The export order, codes in byte order as SQLite sorts them.
const FIGURES_BY_KEY_SQL: &str = concat!(
    select_figures!(),
    filter_figures!(),
    r#" ORDER BY i.code COLLATE "C", e.code COLLATE "C", f.period, f.kind COLLATE "C", s.slug COLLATE "C", f.published"#
);

const FIGURES_BY_PUBLISHED_SQL: &str = concat!(
    select_figures!(),
    filter_figures!(),
    r#" ORDER BY f.published, f.period, f.kind COLLATE "C", s.slug COLLATE "C", i.code COLLATE "C", e.code COLLATE "C""#
);

const COUNT_FIGURES_SQL: &str =
    concat!("SELECT count(*) FROM (", select_figures!(), filter_figures!(), ") AS matching");

/// One series' figures published by $4, oldest first: a primary-key range.
const SERIES_FIGURES_SQL: &str = concat!(
    select_figures!(),
    r#" WHERE f.indicator_id = (SELECT id FROM indicators WHERE code = $1)
        AND f.entity_id = (SELECT id FROM entities WHERE code = $2)
        AND f.period = $3 AND f.published <= $4 AND (f.retracted IS NULL OR f.retracted > $4)
      ORDER BY f.published, f.kind COLLATE "C", s.slug COLLATE "C""#
);

const SERIES_SAMPLE_SQL: &str =
    "SELECT value::text FROM figures WHERE indicator_id = $1 AND entity_id = $2 AND retracted IS NULL
     ORDER BY period DESC LIMIT $3";

/// Where `COPY` puts a batch of figures before one set-based insert: no constraints, so
/// that `COPY` only parses, and the figures table checks each row once, on the insert.
/// Dropped with the transaction.
const CREATE_STAGING_SQL: &str = "CREATE TEMPORARY TABLE figures_staging (
    ord BIGINT NOT NULL, indicator_id BIGINT, entity_id BIGINT, period BIGINT, kind TEXT,
    source_id BIGINT, published DATE, value NUMERIC, bound TEXT, high NUMERIC,
    document_id BIGINT, quote TEXT, note TEXT, tolerance NUMERIC, retracted DATE,
    retraction_note TEXT) ON COMMIT DROP";

const CLEAR_STAGING_SQL: &str = "TRUNCATE figures_staging";

const COPY_STAGING_SQL: &str = "COPY figures_staging (ord, indicator_id, entity_id, period, kind, source_id,
    published, value, bound, high, document_id, quote, note, tolerance, retracted, retraction_note)
    FROM STDIN";

/// In batch order, so that of two figures under one key the first is kept, as on SQLite.
const INSERT_STAGED_SQL: &str = "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published,
        value, bound, high, document_id, quote, note, tolerance, recorded, retracted, retraction_note)
    SELECT indicator_id, entity_id, period, kind, source_id, published,
        value, bound, high, document_id, quote, note, tolerance, $1, retracted, retraction_note
    FROM figures_staging ORDER BY ord
    ON CONFLICT DO NOTHING";

/// Figure keys as the six parallel arrays `STORED_FIGURES_SQL` takes.
type KeyColumns<'k> = (Vec<i64>, Vec<i64>, Vec<i64>, Vec<&'k str>, Vec<i64>, Vec<NaiveDate>);

/// The stored figures under a list of keys, given as six parallel arrays.
const STORED_FIGURES_SQL: &str = concat!(
    select_figures!(),
    "
         JOIN unnest($1::int8[], $2::int8[], $3::int8[], $4::text[], $5::int8[], $6::date[])
             AS k (indicator_id, entity_id, period, kind, source_id, published)
           ON f.indicator_id = k.indicator_id AND f.entity_id = k.entity_id AND f.period = k.period
          AND f.kind = k.kind AND f.source_id = k.source_id AND f.published = k.published"
);

const OVERWRITE_FIGURE_SQL: &str =
    "UPDATE figures SET value = $7::numeric, bound = $8, high = $9::numeric, document_id = $10, quote = $11,
        note = $12, tolerance = $13::numeric, recorded = $14, retracted = $15, retraction_note = $16
 WHERE indicator_id = $1 AND entity_id = $2 AND period = $3 AND kind = $4
   AND source_id = $5 AND published = $6";

const RETRACT_SQL: &str = "UPDATE figures SET retracted = $7, retraction_note = $8
     WHERE indicator_id = $1 AND entity_id = $2 AND period = $3 AND kind = $4
       AND source_id = $5 AND published = $6";

/// The date from which a retraction hides a figure, unless retractions are shown
/// (`FigureFilter::retraction_horizon` on SQLite).
fn retraction_horizon(filter: &FigureFilter) -> Option<NaiveDate> {
    (!filter.include_retracted).then(|| filter.as_of.unwrap_or_else(|| chrono::Local::now().date_naive()))
}

/// A row of `select_figures!` as a figure, and its place in the table.
fn figure_from(row: &PgRow) -> Result<(TableKey, Figure)> {
    let indicator: &str = row.try_get(0)?;
    let entity: &str = row.try_get(1)?;
    let bad =
        |what: &'static str| Corrupt::Figure { indicator: indicator.to_string(), entity: entity.to_string(), what };
    let kind: Kind = row.try_get::<String, _>(3)?.parse().map_err(|_| bad("kind"))?;
    let bound: Bound = row.try_get::<String, _>(7)?.parse().map_err(|_| bad("bound"))?;
    let value = decimal(&row.try_get::<String, _>(6)?)?;
    let high = row.try_get::<Option<String>, _>(8)?.as_deref().map(decimal).transpose()?;
    let key: i64 = row.try_get(2)?;
    let published: NaiveDate = row.try_get(5)?;
    let retracted: Option<NaiveDate> = row.try_get(13)?;
    let table_key = (row.try_get(15)?, row.try_get(16)?, key, kind.as_str(), row.try_get(17)?, date_to_int(published));
    let figure = Figure {
        period: period(key)?,
        published,
        quantity: Quantity::new(value, bound, high).map_err(|_| bad("value, bound or high value"))?,
        kind,
        tolerance: row.try_get::<Option<String>, _>(9)?.as_deref().map(decimal).transpose()?,
        source: row.try_get::<&str, _>(4)?.into(),
        document: row.try_get::<Option<&str>, _>(10)?.map(CompactString::from),
        quote: row.try_get(11)?,
        note: row.try_get(12)?,
        retraction: match retracted {
            Some(on) => Some(Retraction { on, note: row.try_get(14)? }),
            None => None,
        },
        indicator: indicator.into(),
        entity: entity.into(),
    };
    Ok((table_key, figure))
}

impl PgStore {
    /// How many figures match.
    pub async fn count_figures(&self, filter: &FigureFilter) -> Result<u64> {
        let count: i64 = sqlx::query_scalar(COUNT_FIGURES_SQL)
            .bind(filter.indicator.as_deref())
            .bind(filter.entity.as_deref())
            .bind(filter.period.map(Period::key))
            .bind(filter.as_of)
            .bind(filter.source.as_deref())
            .bind(filter.document.as_deref())
            .bind(retraction_horizon(filter))
            .bind(filter.kind.map(Kind::as_str))
            .fetch_one(&self.pool)
            .await?;
        Ok(count.try_into().unwrap_or(0))
    }

    /// Hands each figure that matches to `each`, in `order`, as the rows arrive; an error
    /// from `each` stops the read.
    pub async fn each_figure<E: From<StoreError>>(
        &self,
        filter: &FigureFilter,
        order: FigureOrder,
        mut each: impl FnMut(Figure) -> Result<(), E>,
    ) -> Result<(), E> {
        let sql = match order {
            FigureOrder::Key => FIGURES_BY_KEY_SQL,
            FigureOrder::Published => FIGURES_BY_PUBLISHED_SQL,
        };
        let horizon = retraction_horizon(filter);
        let mut rows = sqlx::query(sql)
            .bind(filter.indicator.as_deref())
            .bind(filter.entity.as_deref())
            .bind(filter.period.map(Period::key))
            .bind(filter.as_of)
            .bind(filter.source.as_deref())
            .bind(filter.document.as_deref())
            .bind(horizon)
            .bind(filter.kind.map(Kind::as_str))
            .fetch(&self.pool);
        while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
            let (_, mut figure) = figure_from(&row)?;
            if horizon.is_some() {
                // Retracted only after the horizon: as of then it stood.
                figure.retraction = None;
            }
            each(figure)?;
        }
        Ok(())
    }

    /// Hands `each` every figure of one series (any kind and source) published on or
    /// before `as_of`, oldest first.
    pub async fn each_series_figure<E: From<StoreError>>(
        &self,
        (indicator, entity, period): (&str, &str, Period),
        as_of: NaiveDate,
        mut each: impl FnMut(Figure) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rows = sqlx::query(SERIES_FIGURES_SQL)
            .bind(indicator)
            .bind(entity)
            .bind(period.key())
            .bind(as_of)
            .fetch(&self.pool);
        while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
            let (_, mut figure) = figure_from(&row)?;
            // Retracted only after the date: as of then it stood.
            figure.retraction = None;
            each(figure)?;
        }
        Ok(())
    }
}

/// Appends one field of `COPY`'s text format: NULL as `\N`, and the four characters the
/// format gives a meaning to escaped.
fn copy_field(buffer: &mut String, field: Option<&str>) {
    match field {
        None => buffer.push_str("\\N"),
        Some(text) => {
            for c in text.chars() {
                match c {
                    '\\' => buffer.push_str("\\\\"),
                    '\t' => buffer.push_str("\\t"),
                    '\n' => buffer.push_str("\\n"),
                    '\r' => buffer.push_str("\\r"),
                    c => buffer.push(c),
                }
            }
        }
    }
}

/// Appends a field that needs no escaping (a number, a date, a fixed word), or `\N`.
fn copy_plain(buffer: &mut String, field: Option<impl std::fmt::Display>) {
    match field {
        None => buffer.push_str("\\N"),
        // Writing to a String cannot fail.
        Some(value) => {
            let _ = write!(buffer, "{value}");
        }
    }
}

/// One figure as a line of `COPY_STAGING_SQL`'s text format.
fn copy_line(buffer: &mut String, ord: usize, (ids, figure): &(FigureIds, &Figure)) {
    let ([indicator, entity, source], document) = ids.parts();
    let q = &figure.quantity;
    let retraction = figure.retraction.as_ref();
    // Decimals as their canonical text, as on SQLite.
    let _ = write!(
        buffer,
        "{ord}\t{indicator}\t{entity}\t{}\t{}\t{source}\t{}\t{}\t{}\t",
        figure.period.key(),
        figure.kind.as_str(),
        figure.published,
        q.value(),
        q.bound().as_str()
    );
    copy_plain(buffer, q.high());
    buffer.push('\t');
    copy_plain(buffer, document);
    buffer.push('\t');
    copy_field(buffer, figure.quote.as_deref());
    buffer.push('\t');
    copy_field(buffer, figure.note.as_deref());
    buffer.push('\t');
    copy_plain(buffer, figure.tolerance);
    buffer.push('\t');
    copy_plain(buffer, retraction.map(|r| r.on));
    buffer.push('\t');
    copy_field(buffer, retraction.and_then(|r| r.note.as_deref()));
    buffer.push('\n');
}

impl PgBatch<'_> {
    /// The ids of a figure's codes, or the first code that is not known.
    pub fn resolve(&self, figure: &Figure) -> Result<FigureIds, UnknownCode> {
        let indicator = self.id(Dim::Indicator, &figure.indicator)?;
        let entity = self.id(Dim::Entity, &figure.entity)?;
        let source = self.id(Dim::Source, &figure.source)?;
        let document = figure.document.as_deref().map(|code| self.id(Dim::Document, code)).transpose()?;
        Ok(FigureIds::from_parts([indicator, entity, source], document))
    }

    /// For each series, up to `limit` of its stored values, latest periods first, read
    /// through the batch (what it has written counts).
    pub async fn series_samples(&mut self, series: &[FigureIds], limit: usize) -> Result<Vec<Vec<Decimal>>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut samples = Vec::with_capacity(series.len());
        for ids in series {
            let (indicator, entity) = ids.series();
            let values: Vec<String> = sqlx::query_scalar(SERIES_SAMPLE_SQL)
                .bind(indicator)
                .bind(entity)
                .bind(limit)
                .fetch_all(&mut *self.tx)
                .await?;
            samples.push(values.iter().map(|text| decimal(text)).collect::<Result<_, Corrupt>>()?);
        }
        Ok(samples)
    }

    /// Writes figures as `Batch::put_figures` does, with the same outcome: the batch goes
    /// through `COPY` into the staging table and one `INSERT … SELECT … ON CONFLICT DO
    /// NOTHING`; when some key was taken, what holds each key is read in one statement and
    /// every figure compared with it.
    pub async fn put_figures(
        &mut self,
        figures: &[(FigureIds, &Figure)],
        replace: bool,
        cleared: Cleared,
    ) -> Result<BatchOutcome> {
        if figures.is_empty() {
            return Ok(BatchOutcome::default());
        }
        for (_, figure) in figures {
            let retraction_note = figure.retraction.as_ref().and_then(|r| r.note.as_deref());
            refuse_nul([figure.quote.as_deref(), figure.note.as_deref(), retraction_note])?;
        }
        let written = self.insert_figures(figures).await?;
        if written == figures.len() as u64 {
            return Ok(BatchOutcome { inserted: written, ..BatchOutcome::default() });
        }
        let holders = self.stored_figures(figures).await?;
        self.compare_figures(figures, holders, written, replace, cleared).await
    }

    /// Stages `figures` with `COPY` and inserts those whose key is free; returns how many.
    async fn insert_figures(&mut self, figures: &[(FigureIds, &Figure)]) -> Result<u64> {
        if self.staging {
            sqlx::query(CLEAR_STAGING_SQL).execute(&mut *self.tx).await?;
        } else {
            sqlx::query(CREATE_STAGING_SQL).execute(&mut *self.tx).await?;
            self.staging = true;
        }
        let mut lines = String::with_capacity(figures.len() * 96);
        for (ord, figure) in figures.iter().enumerate() {
            copy_line(&mut lines, ord, figure);
        }
        let mut copy = self.tx.copy_in_raw(COPY_STAGING_SQL).await?;
        copy.send(lines.as_bytes()).await?;
        copy.finish().await.store_context("staging figures")?;
        let inserted = sqlx::query(INSERT_STAGED_SQL).bind(&self.recorded).execute(&mut *self.tx).await?;
        self.inserted += inserted.rows_affected();
        Ok(inserted.rows_affected())
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

    /// The stored figures under the keys of `figures`, by their table keys: one statement
    /// for the whole slice.
    async fn stored_figures(&mut self, figures: &[(FigureIds, &Figure)]) -> Result<Holders> {
        let mut columns: KeyColumns<'_> = Default::default();
        for (ids, figure) in figures {
            let ([indicator, entity, source], _) = ids.parts();
            columns.0.push(indicator);
            columns.1.push(entity);
            columns.2.push(figure.period.key());
            columns.3.push(figure.kind.as_str());
            columns.4.push(source);
            columns.5.push(figure.published);
        }
        let mut rows = sqlx::query(STORED_FIGURES_SQL)
            .bind(columns.0)
            .bind(columns.1)
            .bind(columns.2)
            .bind(columns.3)
            .bind(columns.4)
            .bind(columns.5)
            .fetch(&mut *self.tx);
        let mut holders = Holders::with_capacity_and_hasher(figures.len(), Default::default());
        while let Some(row) = rows.try_next().await? {
            let (key, figure) = figure_from(&row).store_context("reading the stored figure under the same key")?;
            holders.insert(key, figure);
        }
        Ok(holders)
    }

    /// Writes corrections in order, one prepared UPDATE each.
    async fn overwrite_figures(&mut self, overwrites: &[(FigureIds, Figure)]) -> Result<()> {
        for (ids, figure) in overwrites {
            let ([indicator, entity, source], document) = ids.parts();
            let q = &figure.quantity;
            let retraction = figure.retraction.as_ref();
            sqlx::query(OVERWRITE_FIGURE_SQL)
                .bind(indicator)
                .bind(entity)
                .bind(figure.period.key())
                .bind(figure.kind.as_str())
                .bind(source)
                .bind(figure.published)
                .bind(q.value().to_string())
                .bind(q.bound().as_str())
                .bind(q.high().map(|high| high.to_string()))
                .bind(document)
                .bind(figure.quote.as_deref())
                .bind(figure.note.as_deref())
                .bind(figure.tolerance.map(|tolerance| tolerance.to_string()))
                .bind(&self.recorded)
                .bind(retraction.map(|r| r.on))
                .bind(retraction.and_then(|r| r.note.as_deref()))
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Retracts the stored figure under `figure`'s key from `retraction.on`, as
    /// `Batch::retract` does.
    pub async fn retract(&mut self, figure: &Figure, retraction: &Retraction) -> Result<Retracted> {
        refuse_nul([retraction.note.as_deref()])?;
        let ids = self.resolve(figure)?;
        let stored = self.stored_figures(&[(ids, figure)]).await?.remove(&ids.table_key(figure));
        let Some(stored) = stored else { return Ok(Retracted::NotStored) };
        if let Some(earlier) = stored.retraction {
            return Ok(Retracted::Already(earlier));
        }
        let ([indicator, entity, source], _) = ids.parts();
        sqlx::query(RETRACT_SQL)
            .bind(indicator)
            .bind(entity)
            .bind(figure.period.key())
            .bind(figure.kind.as_str())
            .bind(source)
            .bind(figure.published)
            .bind(retraction.on)
            .bind(&retraction.note)
            .execute(&mut *self.tx)
            .await?;
        Ok(Retracted::Now(Box::new(stored)))
    }
}

#[cfg(test)]
mod tests {
    /// `bench/postgres.sh` has psql execute the export's statement.
    #[test]
    fn the_benchmarks_psql_export_query_is_this() {
        let bench = include_str!("../../../bench/sql/postgres/export.sql");
        assert_eq!(
            bench.trim_end().trim_end_matches(';'),
            super::FIGURES_BY_KEY_SQL,
            "update bench/sql/postgres/export.sql"
        );
    }
}
