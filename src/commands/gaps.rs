//! `econtrack gaps` (and `export gaps`): each target against each source's latest forecast,
//! and the forecasts of series with no target yet.

use super::stdout_listing;
use crate::cli::{GapsArgs, SeriesArgs};
use crate::domain::consensus::{for_target, same_target};
use crate::domain::gaps::{gap, gap_unit};
use crate::domain::query::{Dim, GapFilter, GapRow};
use crate::io::output::{Cell, Format, Listing};
use crate::store::Store;
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;

/// Columns of the CSV and JSON forms.
pub const COLUMNS: &[&str] = &[
    "indicator",
    "entity",
    "period",
    "unit",
    "target",
    "target_bound",
    "target_high",
    "target_source",
    "target_published",
    "source",
    "forecast",
    "forecast_bound",
    "forecast_high",
    "published",
    "basis",
    "proxy",
    "gap",
    "gap_unit",
    "gap_pct",
];

/// Columns of the table form: one readable cell per idea.
const TABLE_COLUMNS: &[&str] =
    &["indicator", "entity", "period", "target", "source", "forecast", "published", "gap", "gap %", "basis"];

pub async fn run(args: GapsArgs, store: &impl Store) -> Result<()> {
    super::check_series(store, &args.series).await?;
    super::check_filters(store, &[(Dim::Source, args.source.as_deref())]).await?;
    let filter = filter(args.series, args.as_of, args.source, args.targeted);
    let columns = if args.format == Format::Table { TABLE_COLUMNS } else { COLUMNS };
    write(store, &filter, stdout_listing(args.format, columns)?).await
}

/// The comparison's filter; the date defaults to today.
pub fn filter(series: SeriesArgs, as_of: Option<NaiveDate>, source: Option<String>, targeted_only: bool) -> GapFilter {
    let SeriesArgs { indicator, entity, period } = series;
    let as_of = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    GapFilter { indicator, entity, period, as_of, source, targeted_only }
}

/// Streams the gap rows into a listing whose columns match its format. A table also gets
/// each series' consensus line under its forecasts, unless one source was asked for: the
/// "consensus" of one source is only its own forecast again.
pub async fn write<W: Write>(store: &impl Store, filter: &GapFilter, mut listing: Listing<W>) -> Result<()> {
    let table = listing.is_table();
    let with_consensus = table && filter.source.is_none();
    let mut group: Vec<GapRow> = Vec::new();
    let mut any_proxy = false;
    let mut any_untargeted = false;
    store
        .each_gap_row(filter, |row| -> Result<()> {
            any_proxy |= row.forecast.as_ref().is_some_and(|f| f.basis != row.indicator);
            any_untargeted |= row.target.is_none();
            if with_consensus {
                if group.last().is_some_and(|last| !same_target(last, &row)) {
                    write_consensus(&mut listing, &std::mem::take(&mut group))?;
                }
                listing.row(table_cells(&row))?;
                group.push(row);
            } else if table {
                listing.row(table_cells(&row))?;
            } else {
                listing.row(full_cells(&row))?;
            }
            Ok(())
        })
        .await?;
    write_consensus(&mut listing, &group)?;
    listing.note(format!(
        "as of {}: gap = forecast − target (pp = percentage points); gap % is relative to the target",
        filter.as_of
    ));
    if any_proxy {
        listing.note("(proxy): a forecast of a stand-in indicator, compared with the target it stands for");
    }
    if any_untargeted {
        listing.note("(no target): forecasts of a series with no target as of the date; --targeted leaves them out");
    }
    listing.finish()?;
    Ok(())
}

/// The consensus line(s) under one target's forecasts in the table.
fn write_consensus<W: Write>(listing: &mut Listing<W>, group: &[GapRow]) -> Result<()> {
    let Some(first) = group.first() else {
        return Ok(());
    };
    for line in for_target(group) {
        let basis = if line.basis == first.indicator { line.basis.clone() } else { format!("{} (proxy)", line.basis) };
        listing.row(vec![
            Cell::text(&first.indicator),
            Cell::text(&first.entity),
            Cell::text(first.period.to_string()),
            target_cell(first),
            Cell::text(format!("consensus (n={})", line.spread.count)),
            Cell::text(format!("median {}", line.spread.median)),
            Cell::Empty,
            line.gap.map_or(Cell::Empty, |g| Cell::text(format!("{} {}", g.gap, gap_unit(&first.unit)))),
            Cell::opt_number(line.gap.and_then(|g| g.relative_pct)),
            Cell::text(basis),
        ])?;
    }
    Ok(())
}

/// The target column of the table: the target, or a word saying there is none yet.
fn target_cell(row: &GapRow) -> Cell<'_> {
    match &row.target {
        Some(target) => Cell::text(target.quantity.to_string()),
        None => Cell::text("(no target)"),
    }
}

fn full_cells(row: &GapRow) -> Vec<Cell<'_>> {
    let mut cells = vec![
        Cell::text(&row.indicator),
        Cell::text(&row.entity),
        Cell::text(row.period.to_string()),
        Cell::text(&row.unit),
    ];
    match &row.target {
        Some(t) => cells.extend([
            Cell::Number(t.quantity.value()),
            Cell::text(t.quantity.bound().as_str()),
            Cell::opt_number(t.quantity.high()),
            Cell::text(&t.source),
            Cell::text(t.published.to_string()),
        ]),
        None => cells.extend(std::iter::repeat_n(Cell::Empty, 5)),
    }
    match &row.forecast {
        Some(f) => {
            let g = row.target.as_ref().map(|t| gap(&t.quantity, &f.quantity));
            cells.extend([
                Cell::text(&f.source),
                Cell::Number(f.quantity.value()),
                Cell::text(f.quantity.bound().as_str()),
                Cell::opt_number(f.quantity.high()),
                Cell::text(f.published.to_string()),
                Cell::text(&f.basis),
                Cell::Bool(f.basis != row.indicator),
            ]);
            match g {
                Some(g) => cells.extend([
                    Cell::Number(g.gap),
                    Cell::text(gap_unit(&row.unit)),
                    Cell::opt_number(g.relative_pct),
                ]),
                None => cells.extend(std::iter::repeat_n(Cell::Empty, 3)),
            }
        }
        None => cells.extend(std::iter::repeat_n(Cell::Empty, COLUMNS.len() - cells.len())),
    }
    cells
}

fn table_cells(row: &GapRow) -> Vec<Cell<'_>> {
    let mut cells =
        vec![Cell::text(&row.indicator), Cell::text(&row.entity), Cell::text(row.period.to_string()), target_cell(row)];
    match &row.forecast {
        Some(f) => {
            let g = row.target.as_ref().map(|t| gap(&t.quantity, &f.quantity));
            let basis = if f.basis == row.indicator { f.basis.clone() } else { format!("{} (proxy)", f.basis) };
            cells.extend([
                Cell::text(&f.source),
                Cell::text(f.quantity.to_string()),
                Cell::text(f.published.to_string()),
                g.map_or(Cell::Empty, |g| Cell::text(format!("{} {}", g.gap, gap_unit(&row.unit)))),
                Cell::opt_number(g.and_then(|g| g.relative_pct)),
                Cell::text(basis),
            ]);
        }
        None => {
            cells.push(Cell::text("(no forecast yet)"));
            cells.extend(std::iter::repeat_n(Cell::Empty, TABLE_COLUMNS.len() - cells.len()));
        }
    }
    cells
}
