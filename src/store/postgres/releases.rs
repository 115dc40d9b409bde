//! Releases on PostgreSQL: the statements of `sqlite/releases.rs` with `$N` parameters, the
//! day as DATE, codes in byte order.

use super::{PgBatch, PgStore, refuse_nul};
use crate::domain::query::{Dim, Put};
use crate::domain::release::{Release, ReleaseFilter, ReleaseKey};
use crate::store::decode::{ReleaseRow, release_from};
use crate::store::error::Result;
use crate::store::{decide_release, writes};

macro_rules! select_releases {
    () => {
        "SELECT s.slug, i.code, e.code, r.period, r.name, r.scheduled, r.time, r.zone, r.importance,
                r.status, d.code, r.note
         FROM releases r
         JOIN sources s ON s.id = r.source_id
         JOIN indicators i ON i.id = r.indicator_id
         JOIN entities e ON e.id = r.entity_id
         LEFT JOIN documents d ON d.id = r.document_id"
    };
}

impl PgStore {
    /// The releases in the filter's window, by day, time (untimed first), then id.
    pub async fn releases(&self, filter: &ReleaseFilter) -> Result<Vec<Release>> {
        let rows: Vec<ReleaseRow> = sqlx::query_as(concat!(
            select_releases!(),
            r#" WHERE ($1::date IS NULL OR r.scheduled >= $1) AND ($2::date IS NULL OR r.scheduled <= $2)
                ORDER BY r.scheduled, r.time COLLATE "C" NULLS FIRST, s.slug COLLATE "C", i.code COLLATE "C",
                         e.code COLLATE "C", r.period"#
        ))
        .bind(filter.from)
        .bind(filter.to)
        .fetch_all(&self.pool)
        .await?;
        let mut releases = Vec::with_capacity(rows.len());
        for row in rows {
            let release = release_from(row)?;
            if filter.matches(&release) {
                releases.push(release);
            }
        }
        Ok(releases)
    }
}

impl PgBatch<'_> {
    /// Writes a release under its key (see `store::decide_release` for when it replaces).
    pub async fn put_release(&mut self, release: &Release, replace: bool) -> Result<Put<Release>> {
        refuse_nul([Some(release.name.as_str()), release.note.as_deref()])?;
        let source = self.id(Dim::Source, &release.source)?;
        let indicator = self.id(Dim::Indicator, &release.indicator)?;
        let entity = self.id(Dim::Entity, &release.entity)?;
        let document = release.document.as_deref().map(|code| self.id(Dim::Document, code)).transpose()?;
        let existing: Option<ReleaseRow> = sqlx::query_as(concat!(
            select_releases!(),
            " WHERE r.source_id = $1 AND r.indicator_id = $2 AND r.entity_id = $3 AND r.period = $4"
        ))
        .bind(source)
        .bind(indicator)
        .bind(entity)
        .bind(release.period.key())
        .fetch_optional(&mut *self.tx)
        .await?;
        let put = decide_release(existing.map(release_from).transpose()?, release, replace);
        if writes(&put) {
            sqlx::query(
                "INSERT INTO releases (source_id, indicator_id, entity_id, period, name, scheduled, time, zone,
                                       importance, status, document_id, note)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                 ON CONFLICT (source_id, indicator_id, entity_id, period) DO UPDATE SET
                     name = excluded.name, scheduled = excluded.scheduled, time = excluded.time,
                     zone = excluded.zone, importance = excluded.importance, status = excluded.status,
                     document_id = excluded.document_id, note = excluded.note",
            )
            .bind(source)
            .bind(indicator)
            .bind(entity)
            .bind(release.period.key())
            .bind(&release.name)
            .bind(release.date)
            .bind(release.time.map(|t| t.format("%H:%M").to_string()))
            .bind(&release.zone)
            .bind(i64::from(release.importance))
            .bind(release.status.as_str())
            .bind(document)
            .bind(&release.note)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(put)
    }

    /// Deletes the release under `key`; whether there was one.
    pub async fn remove_release(&mut self, key: &ReleaseKey) -> Result<bool> {
        let source = self.id(Dim::Source, &key.source)?;
        let indicator = self.id(Dim::Indicator, &key.indicator)?;
        let entity = self.id(Dim::Entity, &key.entity)?;
        let done = sqlx::query(
            "DELETE FROM releases WHERE source_id = $1 AND indicator_id = $2 AND entity_id = $3 AND period = $4",
        )
        .bind(source)
        .bind(indicator)
        .bind(entity)
        .bind(key.period.key())
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
