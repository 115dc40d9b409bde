//! `econtrack import`: CSV files and folders, all or nothing.

use crate::cli::ImportArgs;
use crate::import::{self, ChangeKind, Options, describe_correction, inputs_from_paths};
use crate::model::Figure;
use crate::progress::Progress;
use crate::store::Store;
use anyhow::Result;

pub async fn run(args: ImportArgs, store: &Store, quiet: bool) -> Result<()> {
    let mut inputs = inputs_from_paths(&args.paths)?;
    let total_bytes = inputs.iter().filter_map(|i| i.size).sum();
    let mut progress = Progress::new("imported", quiet, Some(total_bytes), None);
    for input in &mut inputs {
        let data = std::mem::replace(&mut input.data, Box::new(std::io::empty()));
        input.data = progress.wrap_read(data);
    }
    let options = Options { replace: args.replace, dry_run: args.dry_run, clear_empty: args.clear_empty };
    let summary = import::import(store, inputs, options, &mut progress).await;
    progress.finish();
    let summary = summary?;
    let total = summary.total();
    let verb = if args.dry_run { "dry run: would import" } else { "imported" };
    outln!(
        "{verb} {} file(s): {} added, {} unchanged, {} replaced",
        summary.files,
        total.inserted,
        total.unchanged,
        total.replaced
    )?;
    for (kind, counts) in &summary.by_kind {
        outln!("  {kind}: {} added, {} unchanged, {} replaced", counts.inserted, counts.unchanged, counts.replaced)?;
    }
    let (add, replace) = if args.dry_run { ("would add", "would replace") } else { ("added", "replaced") };
    for change in &summary.changes {
        let at = format!("{}:{}", change.file, change.line);
        match &change.what {
            ChangeKind::Added(figure) => outln!("{at}: {add} {}", describe(figure))?,
            ChangeKind::Replaced { old, given, stored } => {
                outln!("{at}: {replace} {}: {}", describe(stored), describe_correction(old, given, stored))?
            }
        }
    }
    if summary.unlisted_changes > 0 {
        outln!("... and {} more", summary.unlisted_changes)?;
    }
    for warning in &summary.warnings {
        eprintln!("warning: {warning}");
    }
    if summary.total_warnings > summary.warnings.len() {
        eprintln!(
            "warning: {} row(s) in all look implausible; the first {} are listed above",
            summary.total_warnings,
            summary.warnings.len()
        );
    }
    Ok(())
}

/// A figure in one line, as `add` says it.
pub fn describe(f: &Figure) -> String {
    format!(
        "{} {} {} {} = {} by {}, published {}",
        f.kind, f.indicator, f.entity, f.period, f.quantity, f.source, f.published
    )
}
