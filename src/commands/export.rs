//! `econtrack export`: any table as CSV, or every table as a folder laid out like data/.

use super::output;
use crate::cli::{ExportArgs, ExportFormat, ExportTable, SeriesArgs};
use crate::domain::query::{FigureFilter, FigureOrder, WhichActual};
use crate::domain::release::ReleaseFilter;
use crate::io::csvio::{self, FileKind};
use crate::io::destination::{self, Destination};
use crate::io::formats::sdmx;
use crate::io::output::{Format, Listing};
use crate::io::progress::{self, Progress};
use crate::store::Store;
use anyhow::{Context, Result, bail};
use std::path::Path;

pub async fn run(args: ExportArgs, store: &impl Store, quiet: bool) -> Result<()> {
    if args.table != ExportTable::Values && (args.filters.any() || args.include_retracted) {
        bail!(
            "the filters (--indicator, --entity, --period, --kind, --source, --document, --include-retracted) are for export values; `econtrack gaps`, `consensus` and `score` take theirs with --format csv"
        );
    }
    if args.transform.request().is_some() && (args.table != ExportTable::Values || args.format != ExportFormat::Csv) {
        bail!(
            "--units and --frequency are for export values --format csv (the transformed view is not a values file import reads back)"
        );
    }
    if let Some(request) = args.transform.request() {
        super::values::check(store, &args.filters).await?;
        let filter = super::values::filter(args.filters, args.as_of, false);
        let columns = super::transformed::values_columns(false);
        let mut out = output(args.output.as_ref(), args.force)?.create()?;
        let listing = Listing::new(Format::Csv, columns, &mut out)?;
        super::transformed::values(store, &filter, request, listing).await?;
        return out.commit();
    }
    if args.format == ExportFormat::SdmxCsv {
        if args.table != ExportTable::Values {
            bail!("--format sdmx-csv exports values only (export values --format sdmx-csv)");
        }
        super::values::check(store, &args.filters).await?;
        let include_retracted = args.include_retracted || args.as_of.is_none();
        let filter = super::values::filter(args.filters, args.as_of, include_retracted);
        return export_sdmx(store, &filter, output(args.output.as_ref(), args.force)?, quiet).await;
    }
    let kind = match args.table {
        ExportTable::All => {
            let Some(dir) = &args.output else {
                bail!("export all writes a folder: give it with --output DIR");
            };
            return export_all(store, dir, args.as_of, args.force, quiet).await;
        }
        ExportTable::Gaps => {
            let filter = super::gaps::filter(SeriesArgs::default(), args.as_of, None, false);
            let mut out = output(args.output.as_ref(), args.force)?.create()?;
            super::gaps::write(store, &filter, None, Listing::new(Format::Csv, super::gaps::COLUMNS, &mut out)?)
                .await?;
            return out.commit();
        }
        ExportTable::Consensus => {
            let filter = super::gaps::filter(SeriesArgs::default(), args.as_of, None, false);
            let mut out = output(args.output.as_ref(), args.force)?.create()?;
            let listing = Listing::new(Format::Csv, super::consensus::COLUMNS, &mut out)?;
            super::consensus::write(store, &filter, listing).await?;
            return out.commit();
        }
        ExportTable::Score => {
            let filter = super::score::filter(SeriesArgs::default(), args.as_of, WhichActual::First);
            let mut out = output(args.output.as_ref(), args.force)?.create()?;
            let listing = Listing::new(Format::Csv, super::score::COLUMNS, &mut out)?;
            super::score::write_forecasts(store, &filter, None, Default::default(), listing).await?;
            return out.commit();
        }
        ExportTable::Values => FileKind::Values,
        ExportTable::Sources => FileKind::Sources,
        ExportTable::Indicators => FileKind::Indicators,
        ExportTable::Entities => FileKind::Entities,
        ExportTable::Documents => FileKind::Documents,
        ExportTable::Releases => FileKind::Releases,
    };
    // The whole record (retractions included) unless a snapshot as of a date is asked for.
    let include_retracted = args.include_retracted || args.as_of.is_none();
    super::values::check(store, &args.filters).await?;
    let filter = super::values::filter(args.filters, args.as_of, include_retracted);
    export_table(store, kind, &filter, output(args.output.as_ref(), args.force)?, quiet).await
}

async fn export_all(
    store: &impl Store,
    dir: &Path,
    as_of: Option<chrono::NaiveDate>,
    force: bool,
    quiet: bool,
) -> Result<()> {
    // Every file is checked before any is written, rather than refused after the first.
    let destinations = FileKind::ALL
        .iter()
        .map(|kind| destination::check(&dir.join(kind.file_name()), force))
        .collect::<Result<Vec<_>>>()?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (kind, destination) in FileKind::ALL.into_iter().zip(destinations) {
        let filter = FigureFilter { as_of, include_retracted: as_of.is_none(), ..FigureFilter::default() };
        export_table(store, kind, &filter, destination, quiet).await?;
    }
    outln!("exported {} files to {}", FileKind::ALL.len(), dir.display())?;
    Ok(())
}

/// Writes the values as SDMX-CSV 2.0 under econtrack's own dataflow, which `import` reads
/// back to the same values (see `formats::sdmx`).
async fn export_sdmx(store: &impl Store, filter: &FigureFilter, to: Destination, quiet: bool) -> Result<()> {
    let mut out = to.create()?;
    let mut listing = Listing::new(Format::Csv, &sdmx::export_columns(), &mut out)?;
    let names = sdmx::ExportNames {
        indicators: store.indicators().await?.into_iter().map(|i| (i.code, (i.name, i.unit))).collect(),
        entities: store.entities().await?.into_iter().map(|e| (e.code, e.name)).collect(),
        sources: store.sources().await?.into_iter().map(|s| (s.slug, s.name)).collect(),
        documents: store.documents().await?.into_iter().map(|d| (d.code, d.title)).collect(),
    };
    let total = if progress::watched(quiet) { Some(store.count_figures(filter).await?) } else { None };
    let mut progress = Progress::new("exported", quiet, None, total);
    store
        .each_figure(filter, FigureOrder::Key, |figure| -> Result<()> {
            listing.row(sdmx::figure_cells(&figure, &names))?;
            progress.advance(1);
            Ok(())
        })
        .await?;
    progress.finish();
    listing.finish()?;
    out.commit()
}

/// Writes one table in the CSV form `import` reads; `filter` picks the values.
async fn export_table(
    store: &impl Store,
    kind: FileKind,
    filter: &FigureFilter,
    to: Destination,
    quiet: bool,
) -> Result<()> {
    let mut out = to.create()?;
    let mut listing = Listing::new(Format::Csv, &kind.columns(), &mut out)?;
    match kind {
        FileKind::Sources => store.sources().await?.iter().try_for_each(|r| listing.row(csvio::cells(r)))?,
        FileKind::Indicators => store.indicators().await?.iter().try_for_each(|r| listing.row(csvio::cells(r)))?,
        FileKind::Entities => store.entities().await?.iter().try_for_each(|r| listing.row(csvio::cells(r)))?,
        FileKind::Documents => store.documents().await?.iter().try_for_each(|r| listing.row(csvio::cells(r)))?,
        FileKind::Releases => {
            let releases = store.releases(&ReleaseFilter::default()).await?;
            releases.iter().try_for_each(|r| listing.row(csvio::cells(r)))?
        }
        FileKind::Values => {
            // Counting costs a scan, so only for a bar someone will see.
            let total = if progress::watched(quiet) { Some(store.count_figures(filter).await?) } else { None };
            let mut progress = Progress::new("exported", quiet, None, total);
            store
                .each_figure(filter, FigureOrder::Key, |figure| -> Result<()> {
                    listing.row(csvio::figure_cells(&figure))?;
                    progress.advance(1);
                    Ok(())
                })
                .await?;
            progress.finish();
        }
    }
    listing.finish()?;
    out.commit()
}
