//! `econtrack add`: one value, written in its own transaction.

use crate::cli::AddArgs;
use crate::domain::model::{Cleared, Figure, check_code};
use crate::domain::plausible;
use crate::domain::query::Put;
use crate::domain::value::{Quantity, check_tolerance};
use crate::io::csvio::{self, FileKind};
use crate::io::escape::for_terminal;
use crate::io::import::{describe_correction, figure_conflict};
use crate::store::{Batch, Store};
use anyhow::{Error, Result, bail};

pub async fn run(args: AddArgs, store: &mut impl Store) -> Result<()> {
    for (what, code) in
        [("indicator code", &args.indicator), ("entity code", &args.entity), ("source slug", &args.source)]
    {
        check_code(what, code)?;
    }
    check_tolerance(args.kind, args.bound, args.tolerance)?;
    plausible::check_figure_dates(args.kind, args.period, args.published)?;
    let figure = Figure {
        quantity: Quantity::new(args.value, args.bound, args.high)?,
        tolerance: args.tolerance,
        indicator: args.indicator.into(),
        entity: args.entity.into(),
        period: args.period,
        kind: args.kind,
        source: args.source.into(),
        published: args.published,
        document: args.document.map(Into::into),
        quote: args.quote,
        note: args.note,
        retraction: None,
    };
    let cleared = if args.clear { Cleared::ALL } else { Cleared::NONE };
    csvio::check_exportable(FileKind::Values, &csvio::figure_cells(&figure)).map_err(Error::msg)?;
    let mut batch = store.begin().await?;
    let ids = batch.resolve(&figure)?;
    // Compared with the series as stored before this value (a replaced one included).
    let sample = batch.series_samples(&[ids], plausible::SAMPLE_SIZE).await?.pop().unwrap_or_default();
    let reference = plausible::reference(&sample);
    let put = batch.put_figure(ids, &figure, args.replace, cleared).await?;
    if let Put::Conflict { existing } = &put {
        batch.rollback().await?;
        bail!("{}", figure_conflict(existing, &figure));
    }
    batch.commit().await?;
    let written = matches!(put, Put::Inserted | Put::Replaced { .. });
    let what = super::import::describe(&figure);
    match put {
        Put::Inserted => outln!("added {what}")?,
        Put::Unchanged => outln!("unchanged: {what} is already stored")?,
        Put::Replaced { old } => {
            outln!("replaced {what}: {}", describe_correction(&old, &figure, &old.corrected_by(&figure, cleared)))?
        }
        Put::Conflict { .. } => unreachable!("handled above"),
    }
    if written {
        let today = chrono::Local::now().date_naive();
        let doubts =
            [plausible::future(figure.published, today), plausible::magnitude(figure.quantity.value(), reference)];
        for doubt in doubts.into_iter().flatten() {
            eprintln!("warning: {}", for_terminal(&doubt.to_string()));
        }
    }
    // The value is kept either way: the quote may be right and the reader wrong.
    if let Some(warning) = super::verify::quote_warning(store, &figure).await? {
        eprintln!("warning: {}", for_terminal(&warning.to_string()));
    }
    Ok(())
}
