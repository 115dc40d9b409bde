//! `econtrack release add|list|remove`: the release calendar, one series-period at a time.

use super::stdout_listing;
use crate::cli::{ReleaseAddArgs, ReleaseCommand, ReleaseExpectArgs, ReleaseListArgs, ReleaseWindowArgs};
use crate::domain::query::{Dim, Put};
use crate::domain::release::ReleaseStatus;
use crate::domain::release::{Release, ReleaseFilter};
use crate::io::csvio::{self, FileKind};
use crate::io::import::{dimension_conflict, unknown_release_code};
use crate::io::output::Cell;
use crate::store::{Batch, Store};
use anyhow::{Result, bail};
use chrono::NaiveDate;

pub async fn run(command: ReleaseCommand, store: &mut impl Store) -> Result<()> {
    match command {
        ReleaseCommand::Add(args) => add(args, store).await,
        ReleaseCommand::List(args) => list(args, store).await,
        ReleaseCommand::Expect(args) => expect(args, store).await,
        ReleaseCommand::Remove { id } => {
            let mut batch = store.begin().await?;
            for (dim, code) in [(Dim::Source, &id.source), (Dim::Indicator, &id.indicator), (Dim::Entity, &id.entity)] {
                if !batch.knows(dim, code) {
                    batch.rollback().await?;
                    bail!("no release {id}: unknown {} \"{code}\"; `econtrack release list` shows the ids", dim.noun());
                }
            }
            if !batch.remove_release(&id).await? {
                batch.rollback().await?;
                bail!("no release {id}; `econtrack release list` shows the ids");
            }
            batch.commit().await?;
            outln!("removed release {id}")?;
            Ok(())
        }
    }
}

async fn add(args: ReleaseAddArgs, store: &mut impl Store) -> Result<()> {
    let release = Release {
        source: args.source,
        indicator: args.indicator,
        entity: args.entity,
        period: args.period,
        name: args.name,
        date: args.date,
        time: args.time,
        zone: args.tz,
        importance: args.importance,
        status: args.status,
        document: args.document,
        note: args.note,
    };
    release.check_time()?;
    csvio::check_exportable(FileKind::Releases, &csvio::cells(&release)).map_err(anyhow::Error::msg)?;
    let mut batch = store.begin().await?;
    if let Some(unknown) = unknown_release_code(&batch, &release) {
        batch.rollback().await?;
        bail!("{unknown}");
    }
    let put = batch.put_release(&release, args.replace).await?;
    let id = release.id();
    if let Put::Conflict { existing } = &put {
        batch.rollback().await?;
        bail!("{}", dimension_conflict(FileKind::Releases, &id, &csvio::cells(existing), &csvio::cells(&release)));
    }
    batch.commit().await?;
    match put {
        Put::Inserted => outln!("added release {id} on {}", release.date)?,
        Put::Unchanged => outln!("unchanged: release {id} is already stored so")?,
        Put::Replaced { old } => {
            outln!("replaced release {id} (was {} {}, now {} {})", old.date, old.status, release.date, release.status)?
        }
        Put::Conflict { .. } => unreachable!("handled above"),
    }
    Ok(())
}

/// Writes the releases a rule expects in the window, in one transaction: a new one is
/// added, one a rule expected before is moved to the rule's date, and one an agency (or a
/// person) dated is left alone.
async fn expect(args: ReleaseExpectArgs, store: &mut impl Store) -> Result<()> {
    if args.to < args.from {
        bail!("--to {} is before --from {}: the window runs from --from to --to", args.to, args.from);
    }
    let expected = args.rule.expected(args.from, args.to);
    let filter = ReleaseFilter {
        source: Some(args.source.clone()),
        indicator: Some(args.indicator.clone()),
        entity: Some(args.entity.clone()),
        ..ReleaseFilter::default()
    };
    let announced: std::collections::HashSet<_> = store
        .releases(&filter)
        .await?
        .into_iter()
        .filter(|stored| stored.status != ReleaseStatus::Expected)
        .map(|stored| stored.key())
        .collect();
    let mut batch = store.begin().await?;
    let (mut added, mut moved, mut unchanged, mut left) = (0, 0, 0, 0);
    for (period, date) in expected {
        let release = Release {
            source: args.source.clone(),
            indicator: args.indicator.clone(),
            entity: args.entity.clone(),
            period,
            name: args.name.clone().unwrap_or_else(|| format!("{} {} {period}", args.indicator, args.entity)),
            date,
            importance: args.importance,
            status: ReleaseStatus::Expected,
            note: Some(format!("expected by rule {}", args.rule)),
            ..Release::default()
        };
        if let Some(unknown) = unknown_release_code(&batch, &release) {
            batch.rollback().await?;
            bail!("{unknown}");
        }
        // Replacing is asked for, but the store never lets an expected date replace an
        // announced one (`Release::yields_to`): only a rule's earlier guess moves.
        match batch.put_release(&release, true).await? {
            Put::Inserted => added += 1,
            Put::Replaced { .. } => moved += 1,
            Put::Unchanged if announced.contains(&release.key()) => left += 1,
            Put::Unchanged => unchanged += 1,
            Put::Conflict { .. } => unreachable!("replace is asked for"),
        }
    }
    batch.commit().await?;
    outln!(
        "rule {}: {added} expected release(s) added, {moved} moved, {unchanged} unchanged, {left} left to the date announced",
        args.rule
    )?;
    Ok(())
}

/// The filter for a window of `days` days from `from` (both optional: open-ended).
pub fn filter(window: ReleaseWindowArgs, from: Option<NaiveDate>, days: Option<u32>) -> ReleaseFilter {
    let to = days.map(|days| {
        let start = from.unwrap_or_else(|| chrono::Local::now().date_naive());
        start + chrono::Days::new(u64::from(days.max(1)) - 1)
    });
    let from = from.or_else(|| days.map(|_| chrono::Local::now().date_naive()));
    ReleaseFilter {
        from,
        to,
        source: window.source,
        indicator: window.indicator,
        entity: window.entity,
        min_importance: window.importance,
    }
}

/// Refuses a filter on an unknown code, as every listing does.
pub async fn check_window(store: &impl Store, window: &ReleaseWindowArgs) -> Result<()> {
    super::check_filters(
        store,
        &[
            (Dim::Source, window.source.as_deref()),
            (Dim::Indicator, window.indicator.as_deref()),
            (Dim::Entity, window.entity.as_deref()),
        ],
    )
    .await
}

async fn list(args: ReleaseListArgs, store: &impl Store) -> Result<()> {
    check_window(store, &args.window).await?;
    let releases = store.releases(&filter(args.window, args.from, args.days)).await?;
    let mut columns = vec!["id"];
    columns.extend(FileKind::Releases.columns());
    let mut listing = stdout_listing(args.format, &columns)?;
    for release in &releases {
        let id = release.id();
        let mut cells = vec![Cell::text(id)];
        cells.extend(csvio::cells(release));
        listing.row(cells)?;
    }
    listing.finish()?;
    Ok(())
}
