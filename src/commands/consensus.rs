//! `econtrack consensus` (and `export consensus`): the spread of forecasts for each
//! series-period, against its target once there is one.

use super::stdout_listing;
use crate::cli::ConsensusArgs;
use crate::domain::consensus::{for_target, same_target};
use crate::domain::gaps::gap_unit;
use crate::domain::query::{GapFilter, GapRow};
use crate::io::output::{Cell, Listing};
use crate::store::Store;
use anyhow::Result;
use std::io::Write;

pub const COLUMNS: &[&str] = &[
    "indicator",
    "entity",
    "period",
    "target",
    "target_bound",
    "target_high",
    "basis",
    "count",
    "mean",
    "median",
    "min",
    "max",
    "stddev",
    "gap",
    "gap_unit",
];

pub async fn run(args: ConsensusArgs, store: &impl Store) -> Result<()> {
    super::check_series(store, &args.series).await?;
    let filter = super::gaps::filter(args.series, args.as_of, None, args.targeted);
    write(store, &filter, stdout_listing(args.format, COLUMNS)?).await
}

/// Streams series-periods one at a time and writes each one's consensus lines.
pub async fn write<W: Write>(store: &impl Store, filter: &GapFilter, mut listing: Listing<W>) -> Result<()> {
    let mut group: Vec<GapRow> = Vec::new();
    store
        .each_gap_row(filter, |row| -> Result<()> {
            if group.last().is_some_and(|last| !same_target(last, &row)) {
                write_group(&mut listing, &std::mem::take(&mut group))?;
            }
            group.push(row);
            Ok(())
        })
        .await?;
    write_group(&mut listing, &group)?;
    listing.note(format!(
        "as of {}: over the latest forecast of each source; stddev is the population standard deviation; gap = median − target",
        filter.as_of
    ));
    listing.finish()?;
    Ok(())
}

fn write_group<W: Write>(listing: &mut Listing<W>, group: &[GapRow]) -> Result<()> {
    let Some(first) = group.first() else {
        return Ok(());
    };
    let quantity = first.target.as_ref().map(|t| &t.quantity);
    let target = [
        Cell::text(&first.indicator),
        Cell::text(&first.entity),
        Cell::text(first.period.to_string()),
        Cell::opt_number(quantity.map(|q| q.value())),
        Cell::opt_text(quantity.map(|q| q.bound().as_str())),
        Cell::opt_number(quantity.and_then(|q| q.high())),
    ];
    let lines = for_target(group);
    if lines.is_empty() {
        let mut cells = target.to_vec();
        cells.extend([Cell::Empty, Cell::Int(0)]);
        cells.extend(std::iter::repeat_n(Cell::Empty, COLUMNS.len() - cells.len()));
        listing.row(cells)?;
    }
    for line in lines {
        let s = line.spread;
        let mut cells = target.to_vec();
        cells.extend([
            Cell::text(&line.basis),
            Cell::Int(i64::try_from(s.count).unwrap_or(i64::MAX)),
            Cell::Number(s.mean),
            Cell::Number(s.median),
            Cell::Number(s.min),
            Cell::Number(s.max),
            Cell::Number(s.stddev),
            Cell::opt_number(line.gap.map(|g| g.gap)),
            Cell::opt_text(line.gap.map(|_| gap_unit(&first.unit))),
        ]);
        listing.row(cells)?;
    }
    Ok(())
}
