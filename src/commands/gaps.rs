//! `econtrack gaps` (and `export gaps`): each target against each source's latest forecast,
//! and the forecasts of series with no target yet.

use super::derived::{self, Derivation};
use super::stdout_listing;
use crate::cli::{GapsArgs, SeriesArgs};
use crate::domain::consensus::{for_target, same_target};
use crate::domain::gaps::{gap, gap_unit};
use crate::domain::query::{Dim, GapFilter, GapRow};
use crate::domain::transform::{Request, Units};
use crate::domain::value::Quantity;
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
    let request = args.transform.request();
    let filter = filter(args.series, args.as_of, args.source, args.targeted);
    let columns = columns(args.format == Format::Table, request.is_some());
    write(store, &filter, request, stdout_listing(args.format, &columns)?).await
}

/// The columns of a listing: `--units` adds `units` to CSV and JSON (the transform a
/// derived forecast went through, empty for one shown as published).
fn columns(table: bool, transformed: bool) -> Vec<&'static str> {
    match (table, transformed) {
        (true, _) => TABLE_COLUMNS.to_vec(),
        (false, false) => COLUMNS.to_vec(),
        (false, true) => COLUMNS.iter().copied().chain(["units"]).collect(),
    }
}

/// The comparison's filter; the date defaults to today.
pub fn filter(series: SeriesArgs, as_of: Option<NaiveDate>, source: Option<String>, targeted_only: bool) -> GapFilter {
    let SeriesArgs { indicator, entity, period } = series;
    let as_of = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    GapFilter { indicator, entity, period, as_of, source, targeted_only }
}

/// Streams the gap rows into a listing whose columns match its format. A table also gets
/// each series' consensus line under its forecasts, unless one source was asked for: the
/// "consensus" of one source is only its own forecast again. With a `request` (`--units`)
/// the rows are gathered first, and each forecast of a level indicator is transformed on its
/// view as of the date (`derived`).
pub async fn write<W: Write>(
    store: &impl Store,
    filter: &GapFilter,
    request: Option<Request>,
    mut listing: Listing<W>,
) -> Result<()> {
    let mut rows = Rows {
        table: listing.is_table(),
        with_consensus: listing.is_table() && filter.source.is_none(),
        request,
        ..Rows::default()
    };
    match request {
        None => {
            store.each_gap_row(filter, |row| rows.push(&mut listing, row, Derivation::AsPublished)).await?;
        }
        Some(request) => {
            let mut gathered = Vec::new();
            store
                .each_gap_row(filter, |row| -> Result<()> {
                    gathered.push(row);
                    Ok(())
                })
                .await?;
            let derived = derived::derive(store, gathered, filter.as_of, request).await?;
            rows.unstated = derived.unstated;
            for (row, derivation) in derived.rows {
                rows.push(&mut listing, row, derivation)?;
            }
        }
    }
    write_consensus(&mut listing, &rows.group)?;
    listing.note(format!(
        "as of {}: gap = forecast − target (pp = percentage points); gap % is relative to the target",
        filter.as_of
    ));
    if rows.any_proxy {
        listing.note("(proxy): a forecast of a stand-in indicator, compared with the target it stands for");
    }
    if rows.any_untargeted {
        listing.note("(no target): forecasts of a series with no target as of the date; --targeted leaves them out");
    }
    if let Some(request) = request {
        listing.note(format!("{}, derived from levels", request.statement()));
        listing.note(format!(
            "{} forecast(s) of a level transformed on their source's view as of {} (a base the source did not forecast is the actual published by then); {} shown as published (already a rate)",
            rows.derived, filter.as_of, rows.as_published
        ));
        if rows.without > 0 {
            listing.note(format!(
                "{} forecast(s) of a level without a transformed value (no base in the view, or a ratio of a zero or negative level): (no base)",
                rows.without
            ));
        }
        if rows.unstated {
            listing.note("a series whose unit is unspecified was taken as a level");
        }
    }
    listing.finish()?;
    Ok(())
}

/// The rows written so far and what the notes under them need to know.
#[derive(Default)]
struct Rows {
    table: bool,
    with_consensus: bool,
    request: Option<Request>,
    group: Vec<GapRow>,
    any_proxy: bool,
    any_untargeted: bool,
    derived: u64,
    as_published: u64,
    without: u64,
    unstated: bool,
}

impl Rows {
    fn push<W: Write>(&mut self, listing: &mut Listing<W>, row: GapRow, derivation: Derivation) -> Result<()> {
        self.any_proxy |= row.forecast.as_ref().is_some_and(|f| f.basis != row.indicator);
        self.any_untargeted |= row.target.is_none();
        if row.forecast.is_some() {
            match derivation {
                Derivation::AsPublished => self.as_published += 1,
                Derivation::Derived => self.derived += 1,
                Derivation::NoValue => self.without += 1,
            }
        }
        let shown = Shown { row: &row, derivation, units: self.request.map(|r| r.units) };
        if self.with_consensus {
            if self.group.last().is_some_and(|last| !same_target(last, &row)) {
                write_consensus(listing, &std::mem::take(&mut self.group))?;
            }
            listing.row(table_cells(&shown))?;
        } else if self.table {
            listing.row(table_cells(&shown))?;
        } else {
            listing.row(full_cells(&shown))?;
        }
        // A level without a transformed value has no place in the consensus.
        if self.with_consensus {
            let mut row = row;
            if derivation == Derivation::NoValue {
                row.forecast = None;
            }
            self.group.push(row);
        }
        Ok(())
    }
}

/// A row as it is shown: with what `--units` did to its forecast.
struct Shown<'a> {
    row: &'a GapRow,
    derivation: Derivation,
    units: Option<Units>,
}

impl Shown<'_> {
    /// The basis cell: the indicator, `(proxy)` for a stand-in, the transform for a derived one.
    fn basis(&self, basis: &str) -> String {
        let mut text = basis.to_string();
        let proxy = basis != self.row.indicator;
        let derived = match (self.derivation, self.units) {
            (Derivation::AsPublished, _) | (_, None) => None,
            (_, Some(units)) => Some(units),
        };
        match (proxy, derived) {
            (true, Some(units)) => text.push_str(&format!(" (proxy; {units} of levels)")),
            (false, Some(units)) => text.push_str(&format!(" ({units} of levels)")),
            (true, None) => text.push_str(" (proxy)"),
            (false, None) => {}
        }
        text
    }

    /// The forecast, unless it is a level `--units` could not transform.
    fn forecast(&self) -> Option<&Quantity> {
        let forecast = self.row.forecast.as_ref()?;
        (self.derivation != Derivation::NoValue).then_some(&forecast.quantity)
    }
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

fn full_cells<'a>(shown: &Shown<'a>) -> Vec<Cell<'a>> {
    let row = shown.row;
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
            let quantity = shown.forecast();
            let g = row.target.as_ref().zip(quantity).map(|(t, q)| gap(&t.quantity, q));
            cells.extend([
                Cell::text(&f.source),
                quantity.map_or(Cell::Empty, |q| Cell::Number(q.value())),
                quantity.map_or(Cell::Empty, |q| Cell::text(q.bound().as_str())),
                Cell::opt_number(quantity.and_then(Quantity::high)),
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
    if let Some(units) = shown.units {
        let derived = row.forecast.is_some() && shown.derivation != Derivation::AsPublished;
        cells.push(if derived { Cell::text(units.code()) } else { Cell::Empty });
    }
    cells
}

fn table_cells<'a>(shown: &Shown<'a>) -> Vec<Cell<'a>> {
    let row = shown.row;
    let mut cells =
        vec![Cell::text(&row.indicator), Cell::text(&row.entity), Cell::text(row.period.to_string()), target_cell(row)];
    match &row.forecast {
        Some(f) => {
            let quantity = shown.forecast();
            let g = row.target.as_ref().zip(quantity).map(|(t, q)| gap(&t.quantity, q));
            cells.extend([
                Cell::text(&f.source),
                Cell::text(quantity.map_or_else(|| "(no base)".to_string(), Quantity::to_string)),
                Cell::text(f.published.to_string()),
                g.map_or(Cell::Empty, |g| Cell::text(format!("{} {}", g.gap, gap_unit(&row.unit)))),
                Cell::opt_number(g.and_then(|g| g.relative_pct)),
                Cell::text(shown.basis(&f.basis)),
            ]);
        }
        None => {
            cells.push(Cell::text("(no forecast yet)"));
            cells.extend(std::iter::repeat_n(Cell::Empty, TABLE_COLUMNS.len() - cells.len()));
        }
    }
    cells
}
