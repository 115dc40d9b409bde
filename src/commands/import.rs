//! `econtrack import`: CSV files and folders, all or nothing.

use crate::cli::ImportArgs;
use crate::import::{self, Options, inputs_from_paths};
use crate::store::Store;
use anyhow::Result;

pub async fn run(args: ImportArgs, store: &Store) -> Result<()> {
    let inputs = inputs_from_paths(&args.paths)?;
    let options = Options { replace: args.replace, dry_run: args.dry_run };
    let summary = import::import(store, inputs, options).await?;
    let total = summary.total();
    let verb = if args.dry_run { "dry run: would import" } else { "imported" };
    println!(
        "{verb} {} file(s): {} added, {} unchanged, {} replaced",
        summary.files, total.inserted, total.unchanged, total.replaced
    );
    for (kind, counts) in &summary.by_kind {
        println!("  {kind}: {} added, {} unchanged, {} replaced", counts.inserted, counts.unchanged, counts.replaced);
    }
    Ok(())
}
