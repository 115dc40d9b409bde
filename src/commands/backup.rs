//! `econtrack backup FILE`: a consistent copy of the database, even of one in use.
//!
//! The copy is written beside FILE under a temporary name, flushed to disk, and only then
//! put in place, so FILE is never a half-written database: not after a crash, and not
//! when `--force` replaces an older backup.

use crate::cli::BackupArgs;
use crate::exit::Failure;
use crate::store::Store;
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
    let written = write_copy(store, &partial).await.and_then(|()| {
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
    outln!("backed up {location} to {}", target.display())?;
    Ok(())
}

async fn write_copy(store: &impl Store, path: &Path) -> Result<()> {
    store.backup_into(path).await.with_context(|| format!("cannot write a copy to {}", path.display()))?;
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
