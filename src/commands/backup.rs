//! `econtrack backup FILE`: a consistent copy of the database, even of one in use, as a
//! SQLite file: SQLite's own copy of its file, or of a server database, `copy` into a new
//! file, reading the server in one snapshot.
//!
//! The copy is written beside FILE under a temporary name, flushed to disk, and only then
//! put in place, so FILE is never a half-written database: not after a crash, and not
//! when `--force` replaces an older backup.

use crate::cli::BackupArgs;
use crate::exit::Failure;
use crate::io::secret::shown;
use crate::store::{self, Store};
use anyhow::{Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

pub async fn run(args: BackupArgs, store: &impl Store, location: &str) -> Result<()> {
    let target = &args.file;
    if !args.force && target.exists() {
        let refusal = format!("{} already exists; use --force to replace it", target.display());
        return Err(Failure::Input.because(refusal).into());
    }
    let partial = partial_path(target)?;
    remove_if_present(&partial)?;
    let written = write_copy(store, location, &partial).await.and_then(|()| {
        if args.force {
            fs::rename(&partial, target).context("cannot put the copy in place")
        } else {
            // A hard link does not replace an existing file: a FILE created since the
            // check above is refused, not overwritten.
            fs::hard_link(&partial, target).with_context(|| format!("cannot create {}", target.display()))
        }
    });
    // After a rename there is nothing left to remove; after a link or a failure, the
    // temporary name goes.
    remove_if_present(&partial)?;
    written?;
    outln!("backed up {} to {}", shown(location), target.display())?;
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
    fs::File::open(path).and_then(|file| file.sync_all()).with_context(|| format!("cannot flush {}", path.display()))
}

/// A name beside `target` (same folder, so the final rename stays on one file system).
fn partial_path(target: &Path) -> Result<PathBuf> {
    let name = target.file_name().with_context(|| format!("{} names no file", target.display()))?;
    let partial = format!(".{}.partial-{}", name.to_string_lossy(), std::process::id());
    Ok(target.with_file_name(partial))
}

fn remove_if_present(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            Err(err).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}
