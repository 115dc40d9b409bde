//! The figures table: one claimed value per (indicator, entity, period, kind, source, published).

use super::{Batch, Dim, Put, Store, UnknownCode, decide};
use crate::model::Figure;
use crate::period::{Period, date_to_int, int_to_date};
use crate::value::{Bound, Kind, Quantity};
use anyhow::{Context, Result, anyhow};
use chrono::NaiveDate;
use futures_util::stream::{BoxStream, StreamExt};
use rust_decimal::Decimal;
use sqlx::types::Text;

/// Which figures to read. `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct FigureFilter {
    pub indicator: Option<String>,
    pub entity: Option<String>,
    pub period: Option<Period>,
    /// Only figures published on or before this date (a vintage snapshot).
    pub as_of: Option<NaiveDate>,
}

/// The order figures come out in.
#[derive(Debug, Clone, Copy)]
pub enum FigureOrder {
    /// By codes, then period, kind, source and vintage: the export order.
    Key,
    /// Oldest vintage first: the history order.
    Published,
}

/// The integer ids a figure's codes stand for, checked before it is written.
#[derive(Debug, Clone, Copy)]
pub struct FigureIds {
    indicator: i64,
    entity: i64,
    source: i64,
    document: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct FigureRow {
    indicator: String,
    entity: String,
    period: i64,
    kind: String,
    source: String,
    published: i64,
    value: Text<Decimal>,
    bound: String,
    high: Option<Text<Decimal>>,
    document: Option<String>,
    quote: Option<String>,
    note: Option<String>,
}

impl TryFrom<FigureRow> for Figure {
    type Error = anyhow::Error;

    fn try_from(row: FigureRow) -> Result<Figure> {
        let bad = |what: &str| {
            anyhow!(
                "stored figure {} {} has a bad {what}",
                row.indicator,
                row.entity
            )
        };
        let period = Period::from_key(row.period).ok_or_else(|| bad("period"))?;
        let published = int_to_date(row.published).ok_or_else(|| bad("published date"))?;
        let kind: Kind = row.kind.parse().map_err(|_| bad("kind"))?;
        let bound: Bound = row.bound.parse().map_err(|_| bad("bound"))?;
        let quantity = Quantity::new(row.value.0, bound, row.high.map(|h| h.0))
            .map_err(|_| bad("value, bound or high value"))?;
        Ok(Figure {
            indicator: row.indicator,
            entity: row.entity,
            period,
            kind,
            quantity,
            source: row.source,
            published,
            document: row.document,
            quote: row.quote,
            note: row.note,
        })
    }
}

macro_rules! select_figures {
    () => {
        "SELECT i.code AS indicator, e.code AS entity, f.period, f.kind, s.slug AS source,
                f.published, f.value, f.bound, f.high, d.code AS document, f.quote, f.note
         FROM figures f
         JOIN indicators i ON i.id = f.indicator_id
         JOIN entities e ON e.id = f.entity_id
         JOIN sources s ON s.id = f.source_id
         LEFT JOIN documents d ON d.id = f.document_id"
    };
}

macro_rules! filter_figures {
    () => {
        " WHERE (?1 IS NULL OR i.code = ?1) AND (?2 IS NULL OR e.code = ?2)
            AND (?3 IS NULL OR f.period = ?3) AND (?4 IS NULL OR f.published <= ?4)"
    };
}

impl Store {
    /// Streams the figures that match, without loading them all.
    pub fn figures(
        &self,
        filter: &FigureFilter,
        order: FigureOrder,
    ) -> BoxStream<'_, Result<Figure>> {
        let sql = match order {
            FigureOrder::Key => concat!(
                select_figures!(),
                filter_figures!(),
                " ORDER BY i.code, e.code, f.period, f.kind, s.slug, f.published"
            ),
            FigureOrder::Published => concat!(
                select_figures!(),
                filter_figures!(),
                " ORDER BY f.published, f.period, f.kind, s.slug, i.code, e.code"
            ),
        };
        sqlx::query_as::<_, FigureRow>(sql)
            .bind(filter.indicator.clone())
            .bind(filter.entity.clone())
            .bind(filter.period.map(Period::key))
            .bind(filter.as_of.map(date_to_int))
            .fetch(&self.pool)
            .map(|row| row.map_err(anyhow::Error::from).and_then(Figure::try_from))
            .boxed()
    }
}

impl Batch<'_> {
    /// The ids of a figure's codes, or the first code that is not known.
    pub fn resolve(&self, figure: &Figure) -> Result<FigureIds, UnknownCode> {
        Ok(FigureIds {
            indicator: self.ids.get(Dim::Indicator, &figure.indicator)?,
            entity: self.ids.get(Dim::Entity, &figure.entity)?,
            source: self.ids.get(Dim::Source, &figure.source)?,
            document: figure
                .document
                .as_deref()
                .map(|code| self.ids.get(Dim::Document, code))
                .transpose()?,
        })
    }

    /// Writes a figure unless an identical one is stored; a different one under the same
    /// key is a conflict unless `replace`.
    pub async fn put_figure(
        &mut self,
        ids: FigureIds,
        figure: &Figure,
        replace: bool,
    ) -> Result<Put<Figure>> {
        let q = &figure.quantity;
        let inserted = sqlx::query(
            "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published,
                                  value, bound, high, document_id, quote, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT DO NOTHING",
        )
        .bind(ids.indicator)
        .bind(ids.entity)
        .bind(figure.period.key())
        .bind(figure.kind.as_str())
        .bind(ids.source)
        .bind(date_to_int(figure.published))
        .bind(Text(q.value()))
        .bind(q.bound().as_str())
        .bind(q.high().map(Text))
        .bind(ids.document)
        .bind(&figure.quote)
        .bind(&figure.note)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(Put::Inserted);
        }
        let existing = self.stored_figure(ids, figure).await?;
        let put = decide(Some(existing), figure, replace);
        if put.writes() {
            self.overwrite_figure(ids, figure).await?;
        }
        Ok(put)
    }

    async fn stored_figure(&mut self, ids: FigureIds, figure: &Figure) -> Result<Figure> {
        let row: FigureRow = sqlx::query_as(concat!(
            select_figures!(),
            " WHERE f.indicator_id = ?1 AND f.entity_id = ?2 AND f.period = ?3 AND f.kind = ?4
                AND f.source_id = ?5 AND f.published = ?6"
        ))
        .bind(ids.indicator)
        .bind(ids.entity)
        .bind(figure.period.key())
        .bind(figure.kind.as_str())
        .bind(ids.source)
        .bind(date_to_int(figure.published))
        .fetch_one(&mut *self.tx)
        .await
        .context("reading the stored figure under the same key")?;
        Figure::try_from(row)
    }

    async fn overwrite_figure(&mut self, ids: FigureIds, figure: &Figure) -> Result<()> {
        let q = &figure.quantity;
        sqlx::query(
            "UPDATE figures SET value = ?7, bound = ?8, high = ?9, document_id = ?10, quote = ?11,
                    note = ?12, recorded = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE indicator_id = ?1 AND entity_id = ?2 AND period = ?3 AND kind = ?4
               AND source_id = ?5 AND published = ?6",
        )
        .bind(ids.indicator)
        .bind(ids.entity)
        .bind(figure.period.key())
        .bind(figure.kind.as_str())
        .bind(ids.source)
        .bind(date_to_int(figure.published))
        .bind(Text(q.value()))
        .bind(q.bound().as_str())
        .bind(q.high().map(Text))
        .bind(ids.document)
        .bind(&figure.quote)
        .bind(&figure.note)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
