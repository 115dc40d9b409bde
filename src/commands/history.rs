//! `econtrack history`: every vintage of every kind for one series, oldest first.

use super::stdout_listing;
use crate::cli::HistoryArgs;
use crate::csvio::{FileKind, figure_cells};
use crate::output::{Cell, Format};
use crate::store::{FigureFilter, FigureOrder, Store};
use anyhow::Result;
use futures_util::TryStreamExt;

const TABLE_COLUMNS: &[&str] = &[
    "published",
    "period",
    "kind",
    "source",
    "value",
    "document",
    "quote",
];

pub async fn run(args: HistoryArgs, store: &Store) -> Result<()> {
    let filter = FigureFilter {
        indicator: Some(args.indicator),
        entity: Some(args.entity),
        period: args.period,
        ..FigureFilter::default()
    };
    let table = args.format == Format::Table;
    let columns = if table {
        TABLE_COLUMNS.to_vec()
    } else {
        FileKind::Values.columns()
    };
    let mut listing = stdout_listing(args.format, &columns)?;
    let mut figures = store.figures(&filter, FigureOrder::Published);
    while let Some(f) = figures.try_next().await? {
        listing.row(if table {
            vec![
                Cell::text(f.published.to_string()),
                Cell::text(f.period.to_string()),
                Cell::text(f.kind.as_str()),
                Cell::text(&f.source),
                Cell::text(f.quantity.to_string()),
                Cell::opt_text(f.document.as_deref()),
                Cell::opt_text(f.quote.as_deref()),
            ]
        } else {
            figure_cells(&f)
        })?;
    }
    listing.finish()?;
    Ok(())
}
