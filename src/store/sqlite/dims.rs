//! Sources, indicators, entities and documents: small tables, written one record at a time.

use super::{SqliteBatch, SqliteStore};
use crate::domain::model::{Document, Entity, Indicator, Source};
use crate::domain::period::parse_date;
use crate::domain::query::{Dim, Put, Removed};
use crate::store::decode::{EntityRow, IndicatorRow, SourceRow, entity_from, indicator_from, source_from};
use crate::store::error::{Corrupt, Result};
use crate::store::{decide, writes};

type DocumentRow =
    (String, Option<String>, Option<String>, String, Option<String>, Option<String>, Option<String>, Option<String>);

// Column lists as macros so that statements are assembled by `concat!` at compile time.
macro_rules! select_sources {
    () => {
        "SELECT slug, name, name_zh, kind, url FROM sources"
    };
}
macro_rules! select_indicators {
    () => {
        "SELECT i.code, i.name, i.name_zh, i.unit, i.description, p.code
         FROM indicators i LEFT JOIN indicators p ON p.id = i.proxy_for"
    };
}
macro_rules! select_entities {
    () => {
        "SELECT code, name, name_zh, kind FROM entities"
    };
}
macro_rules! select_documents {
    () => {
        "SELECT code, publication, issue, title, author, published, url, note FROM documents"
    };
}

fn document_from(row: DocumentRow) -> Result<Document> {
    let (code, publication, issue, title, author, published, url, note) = row;
    let published = published
        .map(|text| parse_date(&text))
        .transpose()
        .map_err(|err| Corrupt::DocumentDate { code: code.clone(), reason: err.to_string() })?;
    Ok(Document { code, publication, issue, title, author, published, url, note })
}

impl SqliteStore {
    pub async fn sources(&self) -> Result<Vec<Source>> {
        let rows: Vec<SourceRow> =
            sqlx::query_as(concat!(select_sources!(), " ORDER BY slug")).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(source_from).collect())
    }

    pub async fn indicators(&self) -> Result<Vec<Indicator>> {
        let rows: Vec<IndicatorRow> =
            sqlx::query_as(concat!(select_indicators!(), " ORDER BY i.code")).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(indicator_from).collect())
    }

    /// One indicator by code, if it is defined.
    pub async fn indicator(&self, code: &str) -> Result<Option<Indicator>> {
        let row: Option<IndicatorRow> = sqlx::query_as(concat!(select_indicators!(), " WHERE i.code = ?1"))
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(indicator_from))
    }

    pub async fn entities(&self) -> Result<Vec<Entity>> {
        let rows: Vec<EntityRow> =
            sqlx::query_as(concat!(select_entities!(), " ORDER BY code")).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(entity_from).collect())
    }

    pub async fn documents(&self) -> Result<Vec<Document>> {
        let rows: Vec<DocumentRow> =
            sqlx::query_as(concat!(select_documents!(), " ORDER BY code")).fetch_all(&self.pool).await?;
        rows.into_iter().map(document_from).collect()
    }
}

impl SqliteBatch<'_> {
    /// Whether a code is known, counting what this batch has written.
    pub fn knows(&self, dim: Dim, code: &str) -> bool {
        self.ids.get(dim, code).is_ok()
    }

    pub async fn put_source(&mut self, source: &Source, replace: bool) -> Result<Put<Source>> {
        let existing: Option<SourceRow> = sqlx::query_as(concat!(select_sources!(), " WHERE slug = ?1"))
            .bind(&source.slug)
            .fetch_optional(&mut *self.tx)
            .await?;
        let put = decide(existing.map(source_from), source, replace);
        if writes(&put) {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO sources (slug, name, name_zh, kind, url) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (slug) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh,
                     kind = excluded.kind, url = excluded.url
                 RETURNING id",
            )
            .bind(&source.slug)
            .bind(&source.name)
            .bind(&source.name_zh)
            .bind(&source.kind)
            .bind(&source.url)
            .fetch_one(&mut *self.tx)
            .await?;
            self.ids.insert(Dim::Source, &source.slug, id);
        }
        Ok(put)
    }

    /// Writes an indicator; its `proxy_for`, if any, must already be known.
    pub async fn put_indicator(&mut self, indicator: &Indicator, replace: bool) -> Result<Put<Indicator>> {
        let proxy_id = indicator.proxy_for.as_deref().map(|code| self.ids.get(Dim::Indicator, code)).transpose()?;
        let existing: Option<IndicatorRow> = sqlx::query_as(concat!(select_indicators!(), " WHERE i.code = ?1"))
            .bind(&indicator.code)
            .fetch_optional(&mut *self.tx)
            .await?;
        let put = decide(existing.map(indicator_from), indicator, replace);
        if writes(&put) {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO indicators (code, name, name_zh, unit, description, proxy_for)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh,
                     unit = excluded.unit, description = excluded.description, proxy_for = excluded.proxy_for
                 RETURNING id",
            )
            .bind(&indicator.code)
            .bind(&indicator.name)
            .bind(&indicator.name_zh)
            .bind(&indicator.unit)
            .bind(&indicator.description)
            .bind(proxy_id)
            .fetch_one(&mut *self.tx)
            .await?;
            self.ids.insert(Dim::Indicator, &indicator.code, id);
        }
        Ok(put)
    }

    pub async fn put_entity(&mut self, entity: &Entity, replace: bool) -> Result<Put<Entity>> {
        let existing: Option<EntityRow> = sqlx::query_as(concat!(select_entities!(), " WHERE code = ?1"))
            .bind(&entity.code)
            .fetch_optional(&mut *self.tx)
            .await?;
        let put = decide(existing.map(entity_from), entity, replace);
        if writes(&put) {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO entities (code, name, name_zh, kind) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh,
                     kind = excluded.kind
                 RETURNING id",
            )
            .bind(&entity.code)
            .bind(&entity.name)
            .bind(&entity.name_zh)
            .bind(&entity.kind)
            .fetch_one(&mut *self.tx)
            .await?;
            self.ids.insert(Dim::Entity, &entity.code, id);
        }
        Ok(put)
    }

    pub async fn put_document(&mut self, document: &Document, replace: bool) -> Result<Put<Document>> {
        let existing: Option<DocumentRow> = sqlx::query_as(concat!(select_documents!(), " WHERE code = ?1"))
            .bind(&document.code)
            .fetch_optional(&mut *self.tx)
            .await?;
        let existing = existing.map(document_from).transpose()?;
        let put = decide(existing, document, replace);
        if writes(&put) {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO documents (code, publication, issue, title, author, published, url, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (code) DO UPDATE SET publication = excluded.publication,
                     issue = excluded.issue, title = excluded.title, author = excluded.author,
                     published = excluded.published, url = excluded.url, note = excluded.note
                 RETURNING id",
            )
            .bind(&document.code)
            .bind(&document.publication)
            .bind(&document.issue)
            .bind(&document.title)
            .bind(&document.author)
            .bind(document.published.map(|d| d.to_string()))
            .bind(&document.url)
            .bind(&document.note)
            .fetch_one(&mut *self.tx)
            .await?;
            self.ids.insert(Dim::Document, &document.code, id);
        }
        Ok(put)
    }
}

impl SqliteBatch<'_> {
    /// Deletes a source, indicator, entity or document that nothing refers to. Anything a
    /// figure refers to stays, retracted figures included: history is never lost.
    pub async fn remove_dimension(&mut self, dim: Dim, code: &str) -> Result<Removed> {
        let id = self.ids.get(dim, code)?;
        let (uses, delete) = match dim {
            Dim::Source => ("SELECT count(*) FROM figures WHERE source_id = ?1", "DELETE FROM sources WHERE id = ?1"),
            Dim::Indicator => {
                ("SELECT count(*) FROM figures WHERE indicator_id = ?1", "DELETE FROM indicators WHERE id = ?1")
            }
            Dim::Entity => ("SELECT count(*) FROM figures WHERE entity_id = ?1", "DELETE FROM entities WHERE id = ?1"),
            Dim::Document => {
                ("SELECT count(*) FROM figures WHERE document_id = ?1", "DELETE FROM documents WHERE id = ?1")
            }
        };
        let figures: i64 = sqlx::query_scalar(uses).bind(id).fetch_one(&mut *self.tx).await?;
        let proxies: i64 = if dim == Dim::Indicator {
            sqlx::query_scalar("SELECT count(*) FROM indicators WHERE proxy_for = ?1")
                .bind(id)
                .fetch_one(&mut *self.tx)
                .await?
        } else {
            0
        };
        let releases_using = match dim {
            Dim::Source => "SELECT count(*) FROM releases WHERE source_id = ?1",
            Dim::Indicator => "SELECT count(*) FROM releases WHERE indicator_id = ?1",
            Dim::Entity => "SELECT count(*) FROM releases WHERE entity_id = ?1",
            Dim::Document => "SELECT count(*) FROM releases WHERE document_id = ?1",
        };
        let releases: i64 = sqlx::query_scalar(releases_using).bind(id).fetch_one(&mut *self.tx).await?;
        if figures > 0 || proxies > 0 || releases > 0 {
            return Ok(Removed::InUse { figures, proxies, releases });
        }
        sqlx::query(delete).bind(id).execute(&mut *self.tx).await?;
        self.ids.remove(dim, code);
        Ok(Removed::Removed)
    }
}
