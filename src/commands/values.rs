//! `econtrack values` (and the filters of `export values`): stored values as they are kept.

use super::stdout_listing;
use crate::cli::{ValueFilterArgs, ValuesArgs};
use crate::domain::model::Figure;
use crate::domain::query::{Dim, FigureFilter, FigureOrder};
use crate::io::csvio::{FileKind, figure_cells};
use crate::io::output::{Cell, Format};
use crate::store::Store;
use anyhow::Result;
use chrono::NaiveDate;

/// Columns of the table form; CSV and JSON carry the values-file columns.
const TABLE_COLUMNS: &[&str] = &["indicator", "entity", "period", "kind", "value", "source", "published", "document"];

pub async fn run(args: ValuesArgs, store: &impl Store) -> Result<()> {
    check(store, &args.filters).await?;
    if let Some(request) = args.transform.request() {
        let table = args.format == Format::Table;
        let filter = filter(args.filters, args.as_of, false);
        let listing = stdout_listing(args.format, super::transformed::values_columns(table))?;
        return super::transformed::values(store, &filter, request, listing).await;
    }
    let filter = filter(args.filters, args.as_of, args.include_retracted);
    let table = args.format == Format::Table;
    let columns = if table { TABLE_COLUMNS.to_vec() } else { FileKind::Values.columns() };
    let mut listing = stdout_listing(args.format, &columns)?;
    let mut count = 0_u64;
    let mut any_retracted = false;
    store
        .each_figure(&filter, FigureOrder::Key, |figure| -> Result<()> {
            count += 1;
            any_retracted |= figure.retraction.is_some();
            listing.row(if table { table_cells(&figure) } else { figure_cells(&figure) })?;
            Ok(())
        })
        .await?;
    if count > 0 {
        let when = match filter.as_of {
            Some(date) => format!("published by {date}"),
            None => "every vintage".to_string(),
        };
        listing.note(format!(
            "{count} value(s), {when}; --format csv or json for every column (tolerance, quote, note, ...)"
        ));
    }
    if any_retracted {
        listing.note("(retracted DATE): withdrawn from that date on; queries as of earlier dates still see it");
    }
    listing.finish()?;
    Ok(())
}

/// The store's filter for these flags.
/// Refuses a filter on an unknown code (see `commands::check_filters`).
pub async fn check(store: &impl Store, filters: &ValueFilterArgs) -> Result<()> {
    super::check_filters(
        store,
        &[
            (Dim::Indicator, filters.indicator.as_deref()),
            (Dim::Entity, filters.entity.as_deref()),
            (Dim::Source, filters.source.as_deref()),
            (Dim::Document, filters.document.as_deref()),
        ],
    )
    .await
}

pub fn filter(filters: ValueFilterArgs, as_of: Option<NaiveDate>, include_retracted: bool) -> FigureFilter {
    let ValueFilterArgs { indicator, entity, period, kind, source, document } = filters;
    FigureFilter { indicator, entity, period, as_of, source, document, kind, include_retracted }
}

fn table_cells(f: &Figure) -> Vec<Cell<'_>> {
    vec![
        Cell::text(&f.indicator),
        Cell::text(&f.entity),
        Cell::text(f.period.to_string()),
        Cell::text(f.kind.as_str()),
        Cell::text(match &f.retraction {
            Some(r) => format!("{} (retracted {})", f.quantity, r.on),
            None => f.quantity.to_string(),
        }),
        Cell::text(&f.source),
        Cell::text(f.published.to_string()),
        Cell::opt_text(f.document.as_deref()),
    ]
}
