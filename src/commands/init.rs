//! `econtrack init`: create or migrate the database (done on open) and load the built-in data.

use super::load_builtin_data;
use crate::cli::InitArgs;
use crate::store::Store;
use crate::store::location::shown;
use anyhow::Result;

pub async fn run(args: InitArgs, store: &mut impl Store, location: &str) -> Result<()> {
    if args.empty {
        outln!("database {} is ready (schema only)", shown(location))?;
        return Ok(());
    }
    let total = load_builtin_data(store.begin().await?).await?.total();
    outln!(
        "database {} is ready; built-in data: {} added, {} unchanged, {} corrected",
        shown(location),
        total.inserted,
        total.unchanged,
        total.replaced
    )?;
    Ok(())
}
