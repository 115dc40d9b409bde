//! `econtrack source|indicator|entity|document add|list`.

use super::stdout_listing;
use crate::cli::{DocumentCommand, EntityCommand, IndicatorCommand, ListArgs, SourceCommand};
use crate::domain::model::{self, CodeKind, Document, Entity, Indicator, Source, check_choice, check_code};
use crate::domain::plausible;
use crate::domain::query::{Dim, Put};
use crate::domain::unit::Unit;
use crate::io::csvio::{self, Table};
use crate::io::import::dimension_conflict;
use crate::store::{Batch, Store};
use anyhow::{Result, bail};

pub async fn source(command: SourceCommand, store: &mut impl Store) -> Result<()> {
    match command {
        SourceCommand::Add { slug, name, name_zh, kind, url, replace } => {
            check_choice("source kind", kind.as_deref(), model::SOURCE_KINDS)?;
            let source = Source { slug, name, name_zh, kind, url };
            exportable(&source)?;
            let mut batch = store.begin().await?;
            CodeKind::SourceSlug.check_new(&source.slug, batch.knows(Dim::Source, &source.slug))?;
            let put = batch.put_source(&source, replace).await?;
            finish(batch, put, &source.slug, &source).await
        }
        SourceCommand::List(args) => list(args, store.sources().await?),
    }
}

pub async fn indicator(command: IndicatorCommand, store: &mut impl Store) -> Result<()> {
    match command {
        IndicatorCommand::Add { code, name, unit, name_zh, description, proxy_for, replace } => {
            let indicator = Indicator { code, name, name_zh, unit, description, proxy_for };
            exportable(&indicator)?;
            let mut batch = store.begin().await?;
            CodeKind::IndicatorCode.check_new(&indicator.code, batch.knows(Dim::Indicator, &indicator.code))?;
            let put = batch.put_indicator(&indicator, replace).await?;
            // Checked once the stored definition is known: one written with an older
            // free-text unit may be restated unchanged, but no new one is written.
            if let (Put::Inserted | Put::Replaced { .. }, Err(err)) = (&put, indicator.unit.parse::<Unit>()) {
                batch.rollback().await?;
                return Err(err.into());
            }
            finish(batch, put, &indicator.code, &indicator).await
        }
        IndicatorCommand::List(args) => list(args, store.indicators().await?),
    }
}

pub async fn entity(command: EntityCommand, store: &mut impl Store) -> Result<()> {
    match command {
        EntityCommand::Add { code, name, name_zh, kind, replace } => {
            check_choice("entity kind", kind.as_deref(), model::ENTITY_KINDS)?;
            let entity = Entity { code, name, name_zh, kind };
            exportable(&entity)?;
            let mut batch = store.begin().await?;
            CodeKind::EntityCode.check_new(&entity.code, batch.knows(Dim::Entity, &entity.code))?;
            let put = batch.put_entity(&entity, replace).await?;
            finish(batch, put, &entity.code, &entity).await
        }
        EntityCommand::List(args) => list(args, store.entities().await?),
    }
}

pub async fn document(command: DocumentCommand, store: &mut impl Store) -> Result<()> {
    match command {
        DocumentCommand::Add { code, title, publication, issue, author, published, url, note, replace } => {
            check_code("document code", &code)?;
            if let Some(published) = published {
                plausible::check_published(published)?;
            }
            let document = Document { code, publication, issue, title, author, published, url, note };
            exportable(&document)?;
            let mut batch = store.begin().await?;
            let put = batch.put_document(&document, replace).await?;
            finish(batch, put, &document.code, &document).await
        }
        DocumentCommand::List(args) => list(args, store.documents().await?),
    }
}

/// What is stored must export to a file that imports again.
fn exportable<T: Table>(record: &T) -> Result<()> {
    csvio::check_exportable(T::KIND, &csvio::cells(record)).map_err(anyhow::Error::msg)
}

async fn finish<T: Table>(batch: impl Batch, put: Put<T>, code: &str, given: &T) -> Result<()> {
    let noun = T::KIND.noun();
    if let Put::Conflict { existing } = &put {
        batch.rollback().await?;
        bail!("{}", dimension_conflict(T::KIND, code, &csvio::cells(existing), &csvio::cells(given)));
    }
    batch.commit().await?;
    match put {
        Put::Inserted => outln!("added {noun} {code}")?,
        Put::Unchanged => outln!("unchanged: {noun} {code} is already defined so")?,
        Put::Replaced { .. } => outln!("replaced {noun} {code}")?,
        Put::Conflict { .. } => unreachable!("handled above"),
    }
    Ok(())
}

fn list<T: Table>(args: ListArgs, records: Vec<T>) -> Result<()> {
    let mut listing = stdout_listing(args.format, &T::KIND.columns())?;
    for record in &records {
        listing.row(csvio::cells(record))?;
    }
    listing.finish()?;
    Ok(())
}
