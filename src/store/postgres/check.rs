//! What `check` and `backup` need on PostgreSQL: figures and dates exactly as stored, before
//! any parsing, in the forms `check` reads them on SQLite (dates as yyyymmdd integers, values
//! as text), and the rows a foreign key would refuse.
//!
//! SQLite's `PRAGMA integrity_check` has no counterpart here (a server checks its own
//! pages; `amcheck` is an extension a team may not have).

use super::PgStore;
use crate::domain::query::{RawFigure, StorageProblem};
use crate::store::decode::{SqlxColumns, raw_figure};
use crate::store::error::{Result, StoreError};
use futures_util::TryStreamExt;
use std::path::Path;

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
    /// Each row pointing at a missing parent.
    pub async fn storage_problems(&self) -> Result<Vec<StorageProblem>> {
        let dangling: Vec<(String, String)> = sqlx::query_as(DANGLING_REFERENCES).fetch_all(&self.pool).await?;
        Ok(dangling.into_iter().map(|(table, parent)| StorageProblem::Dangling { table, parent }).collect())
    }

    /// Read through the same decoder as on SQLite.
    pub async fn each_raw_figure<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(RawFigure) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rows = sqlx::query(RAW_FIGURES).fetch(&self.pool);
        while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
            each(raw_figure(&SqlxColumns(&row))?)?;
        }
        Ok(())
    }

    /// (code, published) of every document with a date, as `check` reads them on SQLite.
    pub async fn raw_document_dates(&self) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as(DOCUMENT_DATES).fetch_all(&self.pool).await?)
    }

    /// Not yet: a server database is to be backed up by `econtrack copy` to a SQLite file
    /// (issue 16), or by the server's own tools meanwhile.
    pub async fn backup_into(&self, _path: &Path) -> Result<()> {
        Err(StoreError::Invalid(
            "backup of a PostgreSQL database is not available yet; use pg_dump, or the server's own backups",
        ))
    }
}
