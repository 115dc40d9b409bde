//! `econtrack import`: CSV files and folders, and agencies' files, all or nothing.

use crate::cli::ImportArgs;
use crate::domain::model::Figure;
use crate::io::escape::for_terminal;
use crate::io::formats::{Flags, Mapping};
use crate::io::import::{self, ChangeKind, Options, describe_correction, inputs_from_paths};
use crate::io::progress::Progress;
use crate::store::Store;
use anyhow::Result;
use std::io::Write;

pub async fn run(args: ImportArgs, store: &mut impl Store, quiet: bool) -> Result<()> {
    let mut inputs = inputs_from_paths(&args.paths)?;
    let total_bytes = inputs.iter().filter_map(|i| i.size).sum();
    let mut progress = Progress::new("imported", quiet, Some(total_bytes), None);
    for input in &mut inputs {
        let data = std::mem::replace(&mut input.data, Box::new(std::io::empty()));
        input.data = progress.wrap_read(data);
    }
    let options = Options { replace: args.replace, dry_run: args.dry_run, clear_empty: args.clear_empty };
    let map = match &args.map {
        Some(path) => Mapping::read(path).map_err(anyhow::Error::msg)?,
        None => Mapping::default(),
    };
    if let Some(slug) = &args.source {
        crate::domain::model::check_code("source slug", slug)?;
    }
    if let Some(entity) = &args.entity {
        crate::domain::model::check_code("entity code", entity)?;
    }
    let flags = Flags {
        source: args.source,
        published: args.published,
        kind: args.kind,
        map,
        entity: args.entity,
        strict: args.strict,
        decimal_comma: args.decimal_comma,
    };
    let summary = import::import_with(store, inputs, options, &flags, &mut progress).await;
    progress.finish();
    // A failure of the file system or the database (a read error, a server gone mid-import)
    // says, as a rejection does, that the one transaction was not committed.
    let summary = summary.map_err(|err| {
        if err.chain().any(|cause| cause.is::<import::Rejected>()) {
            err
        } else {
            err.context("the import stopped and nothing was imported")
        }
    })?;
    let total = summary.total();
    // Written, not printed: `import … | head` closing the pipe is an error main ignores.
    let mut out = std::io::stdout().lock();
    for (file, format) in &summary.formats {
        writeln!(out, "read {file} as {format}")?;
    }
    let verb = if args.dry_run { "dry run: would import" } else { "imported" };
    writeln!(
        out,
        "{verb} {} file(s): {} added, {} unchanged, {} replaced",
        summary.files, total.inserted, total.unchanged, total.replaced
    )?;
    for (kind, counts) in &summary.by_kind {
        writeln!(
            out,
            "  {kind}: {} added, {} unchanged, {} replaced",
            counts.inserted, counts.unchanged, counts.replaced
        )?;
    }
    if summary.retracted + summary.already_retracted > 0 {
        let verb = if args.dry_run { "would retract" } else { "retracted" };
        writeln!(out, "  values: {} {verb}, {} retracted already", summary.retracted, summary.already_retracted)?;
    }
    for (file, reason, count) in &summary.missing {
        writeln!(out, "  {file}: {count} cell(s) published with no value ({reason}), not stored")?;
    }
    for (file, note) in &summary.notes {
        writeln!(out, "  {file}: {note}")?;
    }
    let (add, replace) = if args.dry_run { ("would add", "would replace") } else { ("added", "replaced") };
    for change in &summary.changes {
        let at = format!("{}:{}", change.file, change.line);
        match &change.what {
            ChangeKind::Added(figure) => writeln!(out, "{at}: {add} {}", describe(figure))?,
            ChangeKind::Replaced { old, given, stored } => {
                writeln!(out, "{at}: {replace} {}: {}", describe(stored), describe_correction(old, given, stored))?
            }
        }
    }
    if summary.unlisted_changes > 0 {
        writeln!(out, "... and {} more", summary.unlisted_changes)?;
    }
    for warning in &summary.warnings {
        eprintln!("warning: {}", for_terminal(&warning.to_string()));
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
