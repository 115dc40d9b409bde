//! `econtrack history`: every vintage of every kind for one series, oldest first, with
//! each source's revisions.

use super::stdout_listing;
use crate::cli::HistoryArgs;
use crate::domain::model::Figure;
use crate::domain::query::{Dim, FigureFilter, FigureOrder};
use crate::domain::revision::{Direction, Revision, Revisions};
use crate::io::csvio::{FileKind, figure_cells};
use crate::io::output::{Cell, Format};
use crate::store::Store;
use anyhow::Result;

const TABLE_COLUMNS: &[&str] = &["published", "period", "kind", "source", "value", "revision", "document", "quote"];

/// Revision columns added after the values-file columns in CSV and JSON.
const REVISION_COLUMNS: &[&str] = &["previous", "change", "direction"];

pub async fn run(args: HistoryArgs, store: &impl Store) -> Result<()> {
    super::check_filters(store, &[(Dim::Indicator, Some(&args.indicator)), (Dim::Entity, Some(&args.entity))]).await?;
    let table = args.format == Format::Table;
    if let Some(request) = args.transform.request() {
        // Retracted values are left out of every view (a retraction is not a vintage).
        let filter = FigureFilter {
            indicator: Some(args.indicator),
            entity: Some(args.entity),
            period: args.period,
            ..FigureFilter::default()
        };
        let listing = stdout_listing(args.format, super::transformed::history_columns(table))?;
        return super::transformed::history(store, &filter, request, listing).await;
    }
    let filter = FigureFilter {
        indicator: Some(args.indicator),
        entity: Some(args.entity),
        period: args.period,
        include_retracted: true,
        ..FigureFilter::default()
    };
    let columns: Vec<&str> = if table {
        TABLE_COLUMNS.to_vec()
    } else {
        FileKind::Values.columns().into_iter().chain(REVISION_COLUMNS.iter().copied()).collect()
    };
    let mut listing = stdout_listing(args.format, &columns)?;
    let mut revisions = Revisions::default();
    let mut any_retracted = false;
    store
        .each_figure(&filter, FigureOrder::Published, |figure| -> Result<()> {
            // A retracted vintage is shown, but a later one is not a revision of it.
            any_retracted |= figure.retraction.is_some();
            let revision = if figure.retraction.is_some() {
                Revision { previous: None, change: None, direction: Direction::First }
            } else {
                revisions.next(&figure)
            };
            listing.row(if table { table_cells(&figure, &revision) } else { full_cells(&figure, &revision) })?;
            Ok(())
        })
        .await?;
    listing.note("revision: the change from the same source's previous vintage of the same figure");
    if any_retracted {
        listing.note("(retracted DATE): withdrawn from that date on; queries as of earlier dates still see it");
    }
    listing.finish()?;
    Ok(())
}

fn table_cells<'a>(f: &'a Figure, r: &'a Revision) -> Vec<Cell<'a>> {
    let revision = match (r.previous, r.change) {
        (Some(previous), Some(change)) => {
            format!("{previous} → {}: {change:+} ({})", f.quantity.point(), r.direction.as_str())
        }
        _ => String::new(),
    };
    vec![
        Cell::text(f.published.to_string()),
        Cell::text(f.period.to_string()),
        Cell::text(f.kind.as_str()),
        Cell::text(&f.source),
        Cell::text(match &f.retraction {
            Some(r) => format!("{} (retracted {})", f.quantity, r.on),
            None => f.quantity.to_string(),
        }),
        Cell::text(revision),
        Cell::opt_text(f.document.as_deref()),
        Cell::opt_text(f.quote.as_deref()),
    ]
}

fn full_cells<'a>(f: &'a Figure, r: &'a Revision) -> Vec<Cell<'a>> {
    let mut cells = figure_cells(f);
    cells.extend([Cell::opt_number(r.previous), Cell::opt_number(r.change), Cell::text(r.direction.as_str())]);
    debug_assert!(r.direction != Direction::First || r.change.is_none());
    cells
}
