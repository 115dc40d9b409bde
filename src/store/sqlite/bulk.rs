//! A bulk batch's references: with SQLite's per-row foreign-key checks off, the batch notes
//! the distinct ids its figures refer to and checks each once, at commit, that its row
//! exists. The same rule as the schema's foreign keys, decided once per id instead of once
//! per row.
//!
//! Why: with `foreign_keys` on, every figure written opens a cursor on each of the four
//! tables it refers to and looks its id up; a multi-row INSERT that may fail a foreign key
//! also keeps a statement journal. Measured on the benchmark's million key-ordered rows
//! (ARCHITECTURE.md, "Bulk writes"), that was a fifth of an import.
//!
//! The pragma cannot change inside a transaction, so it is set by the statement that begins
//! one: `BEGIN_BULK` turns it off, and every other write's `BEGIN_WRITE` turns it back on,
//! whatever the connection's last batch did.

use super::raw;
use crate::store::FigureIds;
use crate::store::decode::Columns;
use crate::store::error::{Result, StoreError};
use rustc_hash::FxHashSet;

/// Begins a bulk batch: foreign keys off on this connection, then the write lock.
pub(super) const BEGIN_BULK: &str = "PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE";

/// The foreign keys of `figures`, one lookup each: (what the id stands for, its table's
/// lookup). Constant text; the id is a parameter.
const LOOKUPS: [(&str, &str); 4] = [
    ("a figure's indicator", "SELECT 1 FROM indicators WHERE id = ?1"),
    ("a figure's entity", "SELECT 1 FROM entities WHERE id = ?1"),
    ("a figure's source", "SELECT 1 FROM sources WHERE id = ?1"),
    ("a figure's document", "SELECT 1 FROM documents WHERE id = ?1"),
];

/// The one foreign key among the dimension tables (an indicator's `proxy_for`), checked by
/// SQLite's own pragma: the table is small.
const DIMENSION_CHECK: &str = "SELECT rowid FROM pragma_foreign_key_check('indicators')";

/// The distinct ids a bulk batch's figures refer to, by table (in [`LOOKUPS`] order).
#[derive(Default)]
pub(super) struct References {
    ids: [FxHashSet<i64>; 4],
    /// The last figure's ids: rows of one series come together, so most figures repeat
    /// them and cost one comparison.
    last: Option<([i64; 3], Option<i64>)>,
}

impl References {
    pub(super) fn note(&mut self, ids: &FigureIds) {
        let parts = ids.parts();
        if self.last == Some(parts) {
            return;
        }
        self.last = Some(parts);
        let ([indicator, entity, source], document) = parts;
        self.ids[0].insert(indicator);
        self.ids[1].insert(entity);
        self.ids[2].insert(source);
        if let Some(document) = document {
            self.ids[3].insert(document);
        }
    }

    /// Fails with [`StoreError::Conflict`], as SQLite's own check would, unless every id
    /// noted has its row and every indicator's `proxy_for` names one.
    pub(super) fn verify(&self, db: &raw::Db<'_>) -> Result<()> {
        for ((what, sql), ids) in LOOKUPS.iter().zip(&self.ids) {
            let mut lookup = db.prepare(sql, false)?;
            for &id in ids {
                lookup.bind_i64(1, id)?;
                if lookup.first_row(|_| Ok(()))?.is_none() {
                    return Err(missing(what, id));
                }
            }
        }
        let mut dimensions = db.prepare(DIMENSION_CHECK, false)?;
        if let Some(id) = dimensions.first_row(|row| row.int(0))? {
            return Err(missing("the proxy of indicator", id));
        }
        Ok(())
    }
}

fn missing(what: &'static str, id: i64) -> StoreError {
    StoreError::Conflict(Box::new(MissingReference { what, id }))
}

/// A reference without its row, found at commit: what SQLite's own check would have refused.
#[derive(Debug, thiserror::Error)]
#[error("FOREIGN KEY constraint failed: {what} id {id} has no row; nothing was written")]
struct MissingReference {
    what: &'static str,
    id: i64,
}

#[cfg(test)]
mod tests {
    use super::super::SqliteStore;
    use super::super::tests::{block_on, builtin_store};
    use crate::domain::model::{Cleared, Figure};
    use crate::domain::query::FigureFilter;
    use crate::store::{FigureIds, StoreError};

    /// A store holding the built-in data, and one of its figures moved to a key it does
    /// not hold yet (published a day later).
    async fn store_and_new_figure() -> (SqliteStore, Figure) {
        let (store, figures) = builtin_store().await;
        let mut figure = figures.into_iter().next().unwrap();
        figure.published = figure.published.succ_opt().unwrap();
        (store, figure)
    }

    /// Ids no row has: the figure's own, each moved far past the last.
    fn dangling(ids: FigureIds) -> FigureIds {
        let ([indicator, entity, source], document) = ids.parts();
        FigureIds::from_parts([indicator, entity + 1_000_000, source], document)
    }

    #[test]
    fn a_bulk_batch_refuses_at_commit_a_figure_whose_entity_has_no_row() {
        block_on(async {
            let (mut store, figure) = store_and_new_figure().await;
            let before = store.count_figures(&FigureFilter::default()).await.unwrap();
            let mut batch = store.begin_bulk().await.unwrap();
            let ids = dangling(batch.resolve(&figure).unwrap());
            // Written: SQLite checks nothing per row in a bulk batch...
            let outcome = batch.put_figures(&[(ids, &figure)], false, Cleared::default()).await.unwrap();
            assert_eq!(outcome.inserted, 1);
            // ...and the commit refuses it, leaving the database as it was.
            let err = batch.commit().await.unwrap_err();
            assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
            assert!(err.to_string().contains("a figure's entity id"), "{err}");
            assert_eq!(store.count_figures(&FigureFilter::default()).await.unwrap(), before);
        });
    }

    #[test]
    fn a_bulk_batch_refuses_at_commit_an_indicator_whose_proxy_has_no_row() {
        block_on(async {
            let (mut store, _) = store_and_new_figure().await;
            let mut batch = store.begin_bulk().await.unwrap();
            sqlx::query("INSERT INTO indicators (code, name, unit, proxy_for) VALUES ('x.y', 'x', '%', 99999)")
                .execute(&mut *batch.tx)
                .await
                .unwrap();
            let err = batch.commit().await.unwrap_err();
            assert!(err.to_string().contains("the proxy of indicator id"), "{err}");
            assert!(store.indicator("x.y").await.unwrap().is_none());
        });
    }

    #[test]
    fn after_a_bulk_batch_an_ordinary_one_checks_every_row_again() {
        block_on(async {
            let (mut store, figure) = store_and_new_figure().await;
            store.begin_bulk().await.unwrap().commit().await.unwrap();
            let mut batch = store.begin().await.unwrap();
            let ids = dangling(batch.resolve(&figure).unwrap());
            let err = batch.put_figures(&[(ids, &figure)], false, Cleared::default()).await.unwrap_err();
            assert!(err.to_string().contains("FOREIGN KEY constraint failed"), "{err}");
        });
    }
}
