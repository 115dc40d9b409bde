//! `econtrack completions` and `econtrack man`: shell completions and man pages generated
//! from the command-line definitions in `cli`, so they can never disagree with the binary that
//! prints them. Neither needs a database.
//!
//! Generated at run time rather than by build.rs: `cargo install` keeps only the binary, so
//! files generated at build time would be left in `target/` where no one finds them.

use crate::cli::{self, CompletionsArgs, ManArgs};
use anyhow::{Context, Result};
use std::io::Write;

pub fn completions(args: CompletionsArgs) -> Result<()> {
    // Written from a buffer, so that a closed pipe surfaces as an error like any other
    // output's rather than as the generator's panic.
    write_stdout(&cli::completion_script(args.shell))
}

pub fn man(args: ManArgs) -> Result<()> {
    match args.dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
            cli::write_man_pages(&dir).with_context(|| format!("cannot write man pages to {}", dir.display()))?;
            outln!("wrote the man pages to {}", dir.display())?;
            Ok(())
        }
        None => write_stdout(&cli::man_page()?),
    }
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}
