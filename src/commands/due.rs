//! `econtrack due`: the releases of a window, each with what it is awaited with and, once
//! out, how it landed (`domain::due`).

use super::release::{check_window, filter};
use super::stdout_listing;
use crate::cli::DueArgs;
use crate::domain::due::{Outlook, outlook};
use crate::domain::model::Figure;
use crate::domain::release::Release;
use crate::io::output::Cell;
use crate::store::Store;
use anyhow::Result;
use chrono::NaiveDate;

pub const COLUMNS: &[&str] = &[
    "date",
    "time",
    "zone",
    "importance",
    "status",
    "source",
    "name",
    "indicator",
    "entity",
    "period",
    "previous",
    "forecasts",
    "median",
    "low",
    "high",
    "target",
    "target_bound",
    "target_high",
    "actual",
    "surprise",
    "surprise_sd",
    "target_met",
    "late",
];

pub async fn run(args: DueArgs, store: &impl Store) -> Result<()> {
    check_window(store, &args.window).await?;
    let today = chrono::Local::now().date_naive();
    let from = args.from.unwrap_or(today);
    let as_of = args.as_of.unwrap_or(today);
    let releases = store.releases(&filter(args.window, Some(from), Some(args.days))).await?;
    let mut listing = stdout_listing(args.format, COLUMNS)?;
    for release in &releases {
        let outlook = release_outlook(store, release, as_of).await?;
        listing.row(cells(release, &outlook))?;
    }
    listing.note(format!(
        "as of {as_of}: consensus over the latest forecast of each source made before the release day; surprise = actual − median, surprise_sd = surprise / the forecasts' standard deviation (from 3 forecasts); late = sources that also forecast on or after the day (left out of it)"
    ));
    listing.finish()?;
    Ok(())
}

/// A release's outlook from its series-period and the period before, as of `as_of`.
pub async fn release_outlook(store: &impl Store, release: &Release, as_of: NaiveDate) -> Result<Outlook> {
    let series = |period| (release.indicator.as_str(), release.entity.as_str(), period);
    let figures = series_figures(store, series(release.period), as_of).await?;
    let previous = match release.period.previous() {
        Some(period) => series_figures(store, series(period), as_of).await?,
        None => Vec::new(),
    };
    Ok(outlook(release, &figures, &previous))
}

async fn series_figures(
    store: &impl Store,
    series: (&str, &str, crate::domain::period::Period),
    as_of: NaiveDate,
) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    store
        .each_series_figure(series, as_of, |figure| -> Result<()> {
            figures.push(figure);
            Ok(())
        })
        .await?;
    Ok(figures)
}

fn cells<'a>(release: &'a Release, outlook: &Outlook) -> Vec<Cell<'a>> {
    let consensus = outlook.consensus.as_ref();
    let target = outlook.target.as_ref().map(|(quantity, _)| quantity);
    vec![
        Cell::text(release.date.to_string()),
        Cell::opt_text(release.time.map(|t| t.format("%H:%M").to_string())),
        Cell::opt_text(release.zone.as_deref()),
        Cell::Int(i64::from(release.importance)),
        Cell::text(release.status.as_str()),
        Cell::text(&release.source),
        Cell::text(&release.name),
        Cell::text(&release.indicator),
        Cell::text(&release.entity),
        Cell::text(release.period.to_string()),
        Cell::opt_number(outlook.previous.map(|(_, value)| value)),
        Cell::Int(consensus.map_or(0, |c| i64::try_from(c.count).unwrap_or(i64::MAX))),
        Cell::opt_number(consensus.map(|c| c.median)),
        Cell::opt_number(consensus.map(|c| c.min)),
        Cell::opt_number(consensus.map(|c| c.max)),
        Cell::opt_number(target.map(|q| q.value())),
        Cell::opt_text(target.map(|q| q.bound().as_str())),
        Cell::opt_number(target.and_then(|q| q.high())),
        Cell::opt_number(outlook.actual),
        Cell::opt_number(outlook.surprise),
        Cell::opt_number(outlook.surprise_sd),
        outlook.target_met.map_or(Cell::Empty, Cell::Bool),
        Cell::opt_text(Some(outlook.late_sources.join(" "))),
    ]
}
