//! `econtrack completions` and `econtrack man`: shell completions and man pages generated
//! from the clap definitions in `cli`, so they can never disagree with the binary that
//! prints them. Neither needs a database.
//!
//! Generated at run time rather than by build.rs: `cargo install` keeps only the binary, so
//! files generated at build time would be left in `target/` where no one finds them.

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use anyhow::{Context, Result};
use clap::CommandFactory;
use std::io::Write;

pub fn completions(args: CompletionsArgs) -> Result<()> {
    // clap_complete panics if its writer fails; a buffer cannot, and a closed pipe then
    // surfaces as an error like any other output's.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "econtrack", &mut script);
    write_stdout(&script)
}

pub fn man(args: ManArgs) -> Result<()> {
    let command = Cli::command();
    match args.dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(command, &dir)
                .with_context(|| format!("cannot write man pages to {}", dir.display()))?;
            outln!("wrote the man pages to {}", dir.display())?;
            Ok(())
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page)?;
            write_stdout(&page)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}
