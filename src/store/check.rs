//! What `check` and `backup` need from the database: SQLite's own checks, figures and dates
//! exactly as stored (before any parsing), and a consistent copy.

use super::Store;
use super::error::{Result, StoreError};
use futures_util::stream::{BoxStream, StreamExt};
use std::path::Path;

/// A figure row as stored. Codes are `None` where a foreign key points at nothing.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RawFigure {
    pub indicator_id: i64,
    pub indicator: Option<String>,
    pub entity_id: i64,
    pub entity: Option<String>,
    pub period: i64,
    pub kind: String,
    pub source_id: i64,
    pub source: Option<String>,
    pub published: i64,
    pub value: String,
    pub bound: String,
    pub high: Option<String>,
    pub retracted: Option<i64>,
}

/// A row that `PRAGMA foreign_key_check` found pointing at a missing parent.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DanglingReference {
    pub table: String,
    pub parent: String,
}

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

impl Store {
    /// What `PRAGMA integrity_check` reports: empty when it says "ok".
    pub async fn integrity_problems(&self) -> Result<Vec<String>> {
        let lines: Vec<String> = sqlx::query_scalar(INTEGRITY_CHECK).fetch_all(&self.pool).await?;
        Ok(lines.into_iter().filter(|line| line != "ok").collect())
    }

    pub async fn dangling_references(&self) -> Result<Vec<DanglingReference>> {
        Ok(sqlx::query_as(FOREIGN_KEY_CHECK).fetch_all(&self.pool).await?)
    }

    pub fn raw_figures(&self) -> BoxStream<'_, Result<RawFigure>> {
        sqlx::query_as::<_, RawFigure>(RAW_FIGURES).fetch(&self.pool).map(|row| row.map_err(StoreError::from)).boxed()
    }

    /// (code, published) of every document with a date, as stored.
    pub async fn raw_document_dates(&self) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as(DOCUMENT_DATES).fetch_all(&self.pool).await?)
    }

    /// Writes a consistent snapshot of the database to `path`, which must not exist yet.
    /// It is read in one read transaction, so writers carry on meanwhile.
    pub async fn backup_into(&self, path: &Path) -> Result<()> {
        let path = path.to_str().ok_or(StoreError::Invalid("the backup path is not valid UTF-8"))?;
        sqlx::query(VACUUM_INTO).bind(path).execute(&self.pool).await?;
        Ok(())
    }
}
