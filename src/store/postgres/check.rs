//! What `check` needs on PostgreSQL: figures and dates exactly as stored, before any
//! parsing, in the forms `check` reads them on SQLite (dates as yyyymmdd integers, values
//! as text), and the rows a foreign key would refuse.
//!
//! SQLite's `PRAGMA integrity_check` has no counterpart here (a server checks its own
//! pages; `amcheck` is an extension a team may not have), and `backup` is `copy` to a
//! SQLite file on this backend: neither is offered.

use super::PgStore;
use crate::store::RawFigure;
use crate::store::check::DanglingReference;
use anyhow::Result;
use futures_util::stream::{BoxStream, StreamExt};

const RAW_FIGURES: &str = "
SELECT f.indicator_id, i.code AS indicator, f.entity_id, e.code AS entity, f.period, f.kind,
       f.source_id, s.slug AS source, to_char(f.published, 'YYYYMMDD')::int8 AS published,
       f.value::text AS value, f.bound, f.high::text AS high,
       to_char(f.retracted, 'YYYYMMDD')::int8 AS retracted
FROM figures f
LEFT JOIN indicators i ON i.id = f.indicator_id
LEFT JOIN entities e ON e.id = f.entity_id
LEFT JOIN sources s ON s.id = f.source_id
ORDER BY f.indicator_id, f.entity_id, f.period, f.kind COLLATE \"C\", f.source_id, f.published";

const DOCUMENT_DATES: &str = "SELECT code, to_char(published, 'YYYY-MM-DD') FROM documents
    WHERE published IS NOT NULL ORDER BY code COLLATE \"C\"";

/// The server enforces foreign keys on every write, but a superuser can turn them off
/// (`session_replication_role`) or load rows around them: the same question asked of the
/// data, as `PRAGMA foreign_key_check` asks it on SQLite.
const DANGLING_REFERENCES: &str = "
SELECT 'figures' AS \"table\", 'indicators' AS parent FROM figures f
    WHERE NOT EXISTS (SELECT 1 FROM indicators p WHERE p.id = f.indicator_id)
UNION ALL
SELECT 'figures', 'entities' FROM figures f WHERE NOT EXISTS (SELECT 1 FROM entities p WHERE p.id = f.entity_id)
UNION ALL
SELECT 'figures', 'sources' FROM figures f WHERE NOT EXISTS (SELECT 1 FROM sources p WHERE p.id = f.source_id)
UNION ALL
SELECT 'figures', 'documents' FROM figures f
    WHERE f.document_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM documents p WHERE p.id = f.document_id)
UNION ALL
SELECT 'indicators', 'indicators' FROM indicators i
    WHERE i.proxy_for IS NOT NULL AND NOT EXISTS (SELECT 1 FROM indicators p WHERE p.id = i.proxy_for)";

impl PgStore {
    pub async fn dangling_references(&self) -> Result<Vec<DanglingReference>> {
        Ok(sqlx::query_as(DANGLING_REFERENCES).fetch_all(&self.pool).await?)
    }

    pub fn raw_figures(&self) -> BoxStream<'_, Result<RawFigure>> {
        sqlx::query_as::<_, RawFigure>(RAW_FIGURES)
            .fetch(&self.pool)
            .map(|row| row.map_err(anyhow::Error::from))
            .boxed()
    }

    /// (code, published) of every document with a date, as `check` reads them on SQLite.
    pub async fn raw_document_dates(&self) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as(DOCUMENT_DATES).fetch_all(&self.pool).await?)
    }
}
