//! What `check` and `backup` need from the database: SQLite's own checks, figures and dates
//! exactly as stored (before any parsing), and a consistent copy.

use super::SqliteStore;
use crate::domain::query::{RawFigure, StorageProblem};
use crate::store::decode::{SqlxColumns, raw_figure};
use crate::store::error::{Result, StoreError};
use futures_util::TryStreamExt;
use std::path::Path;

const RAW_FIGURES: &str = "
SELECT f.indicator_id, i.code AS indicator, f.entity_id, e.code AS entity, f.period, f.kind,
       f.source_id, s.slug AS source, f.published, f.value, f.bound, f.high, f.retracted
FROM figures f
LEFT JOIN indicators i ON i.id = f.indicator_id
LEFT JOIN entities e ON e.id = f.entity_id
LEFT JOIN sources s ON s.id = f.source_id
ORDER BY f.indicator_id, f.entity_id, f.period, f.kind, f.source_id, f.published";

const DOCUMENT_DATES: &str = "SELECT code, published FROM documents WHERE published IS NOT NULL ORDER BY code";

const INTEGRITY_CHECK: &str = "PRAGMA integrity_check";

const FOREIGN_KEY_CHECK: &str = r#"SELECT "table", parent FROM pragma_foreign_key_check"#;

/// The argument of INTO may be a bound parameter, so a file name never becomes SQL.
const VACUUM_INTO: &str = "VACUUM INTO ?1";

impl SqliteStore {
    /// What `PRAGMA integrity_check` reports (unless it says "ok"), then each row that
    /// `PRAGMA foreign_key_check` finds pointing at a missing parent.
    pub async fn storage_problems(&self) -> Result<Vec<StorageProblem>> {
        let lines: Vec<String> = sqlx::query_scalar(INTEGRITY_CHECK).fetch_all(&self.pool).await?;
        let mut problems: Vec<StorageProblem> =
            lines.into_iter().filter(|line| line != "ok").map(StorageProblem::Integrity).collect();
        let dangling: Vec<(String, String)> = sqlx::query_as(FOREIGN_KEY_CHECK).fetch_all(&self.pool).await?;
        problems.extend(dangling.into_iter().map(|(table, parent)| StorageProblem::Dangling { table, parent }));
        Ok(problems)
    }

    /// Read through sqlx rather than the raw path: `check` is not the hot path, and sqlx's
    /// decoding refuses a column of the wrong type just as it did.
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

    pub async fn raw_document_dates(&self) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as(DOCUMENT_DATES).fetch_all(&self.pool).await?)
    }

    /// `VACUUM INTO`, in one read transaction, so writers carry on meanwhile.
    pub async fn backup_into(&self, path: &Path) -> Result<()> {
        let path = path.to_str().ok_or(StoreError::Invalid("the backup path is not valid UTF-8"))?;
        sqlx::query(VACUUM_INTO).bind(path).execute(&self.pool).await?;
        Ok(())
    }
}
