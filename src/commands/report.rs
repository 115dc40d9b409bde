//! `econtrack report`: one self-contained HTML file with a section per target.

use crate::cli::ReportArgs;
use crate::report::{self, Scope, page};
use crate::store::Store;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

pub async fn run(args: ReportArgs, store: &impl Store) -> Result<()> {
    super::check_series(store, &args.series).await?;
    let filter = super::gaps::filter(args.series, args.as_of, None, true);
    let scope = Scope { filter, actual: args.actual, max_targets: args.max_targets as usize };
    let plan = report::plan(store, &scope).await?;
    let shown = plan.targets.len();
    write_atomically(&args.output, async |out| {
        out.write_all(page::head(&scope, &plan).as_bytes())?;
        for target in &plan.targets {
            let evolution = report::evolution(store, target, &plan.names, scope.filter.as_of).await?;
            out.write_all(page::section(target, &evolution, &plan.names)?.as_bytes())?;
        }
        out.write_all(page::foot().as_bytes())?;
        Ok(())
    })
    .await?;
    eprintln!("wrote {} ({shown} of {} targets, as of {})", args.output.display(), plan.total, scope.filter.as_of);
    if plan.total > shown {
        eprintln!(
            "note: left out {} of {} targets; narrow with --indicator, --entity or --period, or raise --max-targets",
            plan.total - shown,
            plan.total
        );
    }
    Ok(())
}

/// Writes `path` through a temporary file beside it, put in place only once complete, so a
/// failure leaves no half-written file (and an older one intact).
pub async fn write_atomically(
    path: &Path,
    write: impl AsyncFnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<()>,
) -> Result<()> {
    let name = path.file_name().with_context(|| format!("{} is not a file name", path.display()))?;
    let partial = path.with_file_name(format!(".{}.partial", name.to_string_lossy()));
    let file = std::fs::File::create(&partial).with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let result = async {
        write(&mut out).await?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&partial, path).with_context(|| format!("cannot write {}", path.display()))
    }
    .await;
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}
