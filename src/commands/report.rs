//! `econtrack report`: one self-contained HTML file with a section per target.

use crate::cli::ReportArgs;
use crate::io::destination;
use crate::report::{self, Scope, page};
use crate::store::Store;
use anyhow::Result;
use std::io::Write;

pub async fn run(args: ReportArgs, store: &impl Store) -> Result<()> {
    // Checked before any work: a path in the way is refused at once.
    let destination = destination::check(&args.output, args.force)?;
    super::check_series(store, &args.series).await?;
    let filter = super::gaps::filter(args.series, args.as_of, None, true);
    let scope = Scope { filter, actual: args.actual, max_targets: args.max_targets as usize };
    let plan = report::plan(store, &scope).await?;
    let shown = plan.targets.len();
    let mut out = destination.create()?;
    out.write_all(page::head(&scope, &plan).as_bytes())?;
    for target in &plan.targets {
        let evolution = report::evolution(store, target, &plan.names, scope.filter.as_of).await?;
        out.write_all(page::section(target, &evolution, &plan.names)?.as_bytes())?;
    }
    out.write_all(page::foot().as_bytes())?;
    out.commit()?;
    eprintln!("wrote {} ({shown} of {} targets, as of {})", destination.display(), plan.total, scope.filter.as_of);
    if plan.total > shown {
        eprintln!(
            "note: left out {} of {} targets; narrow with --indicator, --entity or --period, or raise --max-targets",
            plan.total - shown,
            plan.total
        );
    }
    Ok(())
}
