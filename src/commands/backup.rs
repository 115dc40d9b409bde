//! `econtrack backup FILE`: a consistent copy of the database, even of one in use, as a
//! SQLite file: SQLite's own copy of its file, or of a server database, `copy` into a new
//! file, reading the server in one snapshot.
//!
//! The copy is written through `io::destination`: beside FILE under a temporary name,
//! flushed to disk, and only then put in place, so FILE is never a half-written database (not
//! after a crash, and not when `--force` replaces an older backup); a FIFO, a device or `-`
//! gets the finished copy as a stream. The copy has the mode of the database it copies.

use crate::cli::BackupArgs;
use crate::io::destination;
use crate::store::location::shown;
use crate::store::{self, Store};
use anyhow::{Context, Result};
use std::fs::Permissions;
use std::path::Path;

pub async fn run(args: BackupArgs, store: &impl Store, location: &str) -> Result<()> {
    let destination = destination::check(&args.file, args.force)?;
    let mode = database_mode(location);
    destination.fill(mode, async |path| write_copy(store, location, path).await).await?;
    // On a stream, standard output may be the copy itself: the line goes to stderr then.
    if destination.is_stream() {
        eprintln!("backed up {} to {}", shown(location), destination.display());
    } else {
        outln!("backed up {} to {}", shown(location), destination.display())?;
    }
    Ok(())
}

async fn write_copy(store: &impl Store, location: &str, path: &Path) -> Result<()> {
    let context = || format!("cannot write a copy to {}", path.display());
    if store::backs_up_itself(location) {
        store.backup_into(path).await.with_context(context)?;
    } else {
        // A server database: copied into a new SQLite file, read in one snapshot.
        let file = path.to_str().with_context(|| format!("{} is not UTF-8", path.display()))?;
        super::copy::copy(location, file).await.with_context(context)?;
    }
    Ok(())
}

/// The mode a copy of the database at `location` gets: its file's, or, for a server
/// database (which has no file), readable and writable by its owner only. `None` (the
/// default mode) for a SQLite database without a file, such as `sqlite::memory:`.
pub fn database_mode(location: &str) -> Option<Permissions> {
    match store::database_file(location) {
        Some(file) => std::fs::metadata(file).ok().map(|meta| meta.permissions()),
        None => owner_only(),
    }
}

#[cfg(unix)]
fn owner_only() -> Option<Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn owner_only() -> Option<Permissions> {
    None
}
