//! Sources, indicators, entities and documents on PostgreSQL: the statements of
//! `store/dims.rs` with `$N` parameters, a document's date as DATE, codes in byte order.

use super::{PgBatch, PgStore, refuse_nul};
use crate::domain::model::{Document, Entity, Indicator, Source};
use crate::domain::query::{Dim, Put, Removed};
use crate::store::decode::{EntityRow, IndicatorRow, SourceRow, entity_from, indicator_from, source_from};
use crate::store::error::Result;
use crate::store::{decide, writes};
use chrono::NaiveDate;

type DocumentRow =
    (String, Option<String>, Option<String>, String, Option<String>, Option<NaiveDate>, Option<String>, Option<String>);

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

/// A DATE column holds nothing but dates, so unlike SQLite's text there is nothing to refuse.
fn document_from((code, publication, issue, title, author, published, url, note): DocumentRow) -> Document {
    Document { code, publication, issue, title, author, published, url, note }
}

const INSERT_SOURCE: &str = "INSERT INTO sources (slug, name, name_zh, kind, url) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (slug) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh,
         kind = excluded.kind, url = excluded.url
     RETURNING id";
const INSERT_INDICATOR: &str = "INSERT INTO indicators (code, name, name_zh, unit, description, proxy_for)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh,
         unit = excluded.unit, description = excluded.description, proxy_for = excluded.proxy_for
     RETURNING id";
const INSERT_ENTITY: &str = "INSERT INTO entities (code, name, name_zh, kind) VALUES ($1, $2, $3, $4)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh,
         kind = excluded.kind
     RETURNING id";
const INSERT_DOCUMENT: &str = "INSERT INTO documents (code, publication, issue, title, author, published, url, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (code) DO UPDATE SET publication = excluded.publication,
         issue = excluded.issue, title = excluded.title, author = excluded.author,
         published = excluded.published, url = excluded.url, note = excluded.note
     RETURNING id";

impl PgStore {
    pub async fn sources(&self) -> Result<Vec<Source>> {
        let rows: Vec<SourceRow> =
            sqlx::query_as(concat!(select_sources!(), r#" ORDER BY slug COLLATE "C""#)).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(source_from).collect())
    }

    pub async fn indicators(&self) -> Result<Vec<Indicator>> {
        let rows: Vec<IndicatorRow> = sqlx::query_as(concat!(select_indicators!(), r#" ORDER BY i.code COLLATE "C""#))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(indicator_from).collect())
    }

    /// One indicator by code, if it is defined.
    pub async fn indicator(&self, code: &str) -> Result<Option<Indicator>> {
        let row: Option<IndicatorRow> = sqlx::query_as(concat!(select_indicators!(), " WHERE i.code = $1"))
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(indicator_from))
    }

    pub async fn entities(&self) -> Result<Vec<Entity>> {
        let rows: Vec<EntityRow> =
            sqlx::query_as(concat!(select_entities!(), r#" ORDER BY code COLLATE "C""#)).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(entity_from).collect())
    }

    pub async fn documents(&self) -> Result<Vec<Document>> {
        let rows: Vec<DocumentRow> =
            sqlx::query_as(concat!(select_documents!(), r#" ORDER BY code COLLATE "C""#)).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(document_from).collect())
    }
}

impl PgBatch<'_> {
    pub async fn put_source(&mut self, source: &Source, replace: bool) -> Result<Put<Source>> {
        let s = source;
        refuse_nul([Some(s.slug.as_str()), Some(&s.name), s.name_zh.as_deref(), s.kind.as_deref(), s.url.as_deref()])?;
        let existing: Option<SourceRow> = sqlx::query_as(concat!(select_sources!(), " WHERE slug = $1"))
            .bind(&source.slug)
            .fetch_optional(&mut *self.tx)
            .await?;
        let put = decide(existing.map(source_from), source, replace);
        if writes(&put) {
            let id: i64 = sqlx::query_scalar(INSERT_SOURCE)
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
        let i = indicator;
        refuse_nul([
            Some(i.code.as_str()),
            Some(&i.name),
            i.name_zh.as_deref(),
            Some(&i.unit),
            i.description.as_deref(),
        ])?;
        let proxy_id = indicator.proxy_for.as_deref().map(|code| self.id(Dim::Indicator, code)).transpose()?;
        let existing: Option<IndicatorRow> = sqlx::query_as(concat!(select_indicators!(), " WHERE i.code = $1"))
            .bind(&indicator.code)
            .fetch_optional(&mut *self.tx)
            .await?;
        let put = decide(existing.map(indicator_from), indicator, replace);
        if writes(&put) {
            let id: i64 = sqlx::query_scalar(INSERT_INDICATOR)
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
        let e = entity;
        refuse_nul([Some(e.code.as_str()), Some(&e.name), e.name_zh.as_deref(), e.kind.as_deref()])?;
        let existing: Option<EntityRow> = sqlx::query_as(concat!(select_entities!(), " WHERE code = $1"))
            .bind(&entity.code)
            .fetch_optional(&mut *self.tx)
            .await?;
        let put = decide(existing.map(entity_from), entity, replace);
        if writes(&put) {
            let id: i64 = sqlx::query_scalar(INSERT_ENTITY)
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
        let d = document;
        refuse_nul([
            Some(d.code.as_str()),
            d.publication.as_deref(),
            d.issue.as_deref(),
            Some(&d.title),
            d.author.as_deref(),
            d.url.as_deref(),
            d.note.as_deref(),
        ])?;
        let existing: Option<DocumentRow> = sqlx::query_as(concat!(select_documents!(), " WHERE code = $1"))
            .bind(&document.code)
            .fetch_optional(&mut *self.tx)
            .await?;
        let put = decide(existing.map(document_from), document, replace);
        if writes(&put) {
            let id: i64 = sqlx::query_scalar(INSERT_DOCUMENT)
                .bind(&document.code)
                .bind(&document.publication)
                .bind(&document.issue)
                .bind(&document.title)
                .bind(&document.author)
                .bind(document.published)
                .bind(&document.url)
                .bind(&document.note)
                .fetch_one(&mut *self.tx)
                .await?;
            self.ids.insert(Dim::Document, &document.code, id);
        }
        Ok(put)
    }

    /// Deletes a source, indicator, entity or document that nothing refers to, as
    /// `Batch::remove_dimension` does.
    pub async fn remove_dimension(&mut self, dim: Dim, code: &str) -> Result<Removed> {
        let id = self.id(dim, code)?;
        let (uses, delete) = match dim {
            Dim::Source => ("SELECT count(*) FROM figures WHERE source_id = $1", "DELETE FROM sources WHERE id = $1"),
            Dim::Indicator => {
                ("SELECT count(*) FROM figures WHERE indicator_id = $1", "DELETE FROM indicators WHERE id = $1")
            }
            Dim::Entity => ("SELECT count(*) FROM figures WHERE entity_id = $1", "DELETE FROM entities WHERE id = $1"),
            Dim::Document => {
                ("SELECT count(*) FROM figures WHERE document_id = $1", "DELETE FROM documents WHERE id = $1")
            }
        };
        let figures: i64 = sqlx::query_scalar(uses).bind(id).fetch_one(&mut *self.tx).await?;
        let proxies: i64 = if dim == Dim::Indicator {
            sqlx::query_scalar("SELECT count(*) FROM indicators WHERE proxy_for = $1")
                .bind(id)
                .fetch_one(&mut *self.tx)
                .await?
        } else {
            0
        };
        let releases_using = match dim {
            Dim::Source => "SELECT count(*) FROM releases WHERE source_id = $1",
            Dim::Indicator => "SELECT count(*) FROM releases WHERE indicator_id = $1",
            Dim::Entity => "SELECT count(*) FROM releases WHERE entity_id = $1",
            Dim::Document => "SELECT count(*) FROM releases WHERE document_id = $1",
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
