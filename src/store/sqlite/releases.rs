//! Releases on SQLite: the calendar's rows, listed by day and written one at a time.

use super::{SqliteBatch, SqliteStore};
use crate::domain::period::{date_to_int, int_to_date};
use crate::domain::query::{Dim, Put};
use crate::domain::release::{Release, ReleaseFilter, ReleaseKey};
use crate::store::decode::release_from;
use crate::store::error::{Corrupt, Result};
use crate::store::{decide_release, writes};

/// As `decode::ReleaseRow`, the day still the stored yyyymmdd integer.
type StoredRow = (
    String,
    String,
    String,
    i64,
    String,
    i64,
    Option<String>,
    Option<String>,
    i64,
    String,
    Option<String>,
    Option<String>,
);

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

fn from_stored(row: StoredRow) -> Result<Release> {
    let (source, indicator, entity, period, name, day, time, zone, importance, status, document, note) = row;
    let date = int_to_date(day).ok_or(Corrupt::Date(day))?;
    Ok(release_from((source, indicator, entity, period, name, date, time, zone, importance, status, document, note))?)
}

impl SqliteStore {
    /// The releases in the filter's window, by day, time (untimed first), then id.
    pub async fn releases(&self, filter: &ReleaseFilter) -> Result<Vec<Release>> {
        let rows: Vec<StoredRow> = sqlx::query_as(concat!(
            select_releases!(),
            " WHERE (?1 IS NULL OR r.scheduled >= ?1) AND (?2 IS NULL OR r.scheduled <= ?2)
              ORDER BY r.scheduled, r.time NULLS FIRST, s.slug, i.code, e.code, r.period"
        ))
        .bind(filter.from.map(date_to_int))
        .bind(filter.to.map(date_to_int))
        .fetch_all(&self.pool)
        .await?;
        let mut releases = Vec::with_capacity(rows.len());
        for row in rows {
            let release = from_stored(row)?;
            if filter.matches(&release) {
                releases.push(release);
            }
        }
        Ok(releases)
    }
}

impl SqliteBatch<'_> {
    /// Writes a release under its key (see `store::decide_release` for when it replaces).
    pub async fn put_release(&mut self, release: &Release, replace: bool) -> Result<Put<Release>> {
        let source = self.ids.get(Dim::Source, &release.source)?;
        let indicator = self.ids.get(Dim::Indicator, &release.indicator)?;
        let entity = self.ids.get(Dim::Entity, &release.entity)?;
        let document = release.document.as_deref().map(|code| self.ids.get(Dim::Document, code)).transpose()?;
        let existing: Option<StoredRow> = sqlx::query_as(concat!(
            select_releases!(),
            " WHERE r.source_id = ?1 AND r.indicator_id = ?2 AND r.entity_id = ?3 AND r.period = ?4"
        ))
        .bind(source)
        .bind(indicator)
        .bind(entity)
        .bind(release.period.key())
        .fetch_optional(&mut *self.tx)
        .await?;
        let put = decide_release(existing.map(from_stored).transpose()?, release, replace);
        if writes(&put) {
            sqlx::query(
                "INSERT INTO releases (source_id, indicator_id, entity_id, period, name, scheduled, time, zone,
                                       importance, status, document_id, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
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
            .bind(date_to_int(release.date))
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
        let source = self.ids.get(Dim::Source, &key.source)?;
        let indicator = self.ids.get(Dim::Indicator, &key.indicator)?;
        let entity = self.ids.get(Dim::Entity, &key.entity)?;
        let done = sqlx::query(
            "DELETE FROM releases WHERE source_id = ?1 AND indicator_id = ?2 AND entity_id = ?3 AND period = ?4",
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
