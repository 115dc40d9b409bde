//! `econtrack extract FILE`: every figure in a text (every numeral with `--all`) as a draft
//! values row for `import`.
//!
//! The reading is `crate::provenance::extract`; this module reads the file and writes the rows in the
//! columns of a values file, leaving empty what a person must decide.

use super::stdout_listing;
use crate::cli::ExtractArgs;
use crate::domain::model;
use crate::io::csvio::FileKind;
use crate::io::output::{Cell, Format};
use crate::provenance::extract::{self, Draft, Summary};
use crate::provenance::figure::Kind;
use anyhow::{Context, Result, bail};
use std::io::Read;
use std::path::Path;

/// The columns of the table form, which is for reading, not importing.
const TABLE_COLUMNS: &[&str] = &["value", "bound", "high", "period", "quote", "note"];

pub fn run(args: ExtractArgs) -> Result<()> {
    if let Some(document) = &args.document {
        model::check_code("document", document)?;
    }
    let text = read_text(&args.file)?;
    let table = args.format == Format::Table;
    let columns = if table { TABLE_COLUMNS.to_vec() } else { FileKind::Values.columns() };
    let mut listing = stdout_listing(args.format, &columns)?;
    let summary = extract::each_draft(&text, args.all, |draft| {
        let note = draft.note();
        let cells = if table { table_cells(&draft, note) } else { row_cells(&draft, args.document.as_deref(), note) };
        listing.row(cells)
    })?;
    let summary = format!(
        "{} in {}; fill in indicator, entity, kind, source and published, then import",
        summary_line(&summary, args.all),
        args.file.display()
    );
    if table {
        listing.note(summary);
    } else {
        eprintln!("{summary}");
    }
    listing.finish()?;
    Ok(())
}

/// What was offered and what was left out, by kind: `29 figure(s) offered of 69
/// numeral(s); left out: 9 dates, 8 names, ... (--all offers them)`.
fn summary_line(summary: &Summary, all: bool) -> String {
    let offered = if all {
        format!("{} numeral(s) offered (--all) of {}", summary.offered, summary.numerals)
    } else {
        format!("{} figure(s) offered of {} numeral(s)", summary.offered, summary.numerals)
    };
    let kinds: Vec<String> = Kind::ALL
        .iter()
        .map(|&kind| (kind, summary.left_out[kind as usize]))
        .filter(|&(_, count)| count > 0)
        .map(|(kind, count)| format!("{count} {}", kind.plural(count)))
        .collect();
    let mut line = offered;
    if !kinds.is_empty() {
        line.push_str(&format!("; left out: {}", kinds.join(", ")));
        if !all {
            line.push_str(" (--all offers all but dates)");
        }
    }
    if summary.refused > 0 {
        line.push_str(&format!(
            "; {} unreadable numeral(s) refused (a decimal comma, an invisible character between digits, or too many digits)",
            summary.refused
        ));
    }
    line
}

/// A values row: indicator, entity, period, kind, value, source, published, bound, high,
/// tolerance, document, quote, note, retracted, retraction_note.
fn row_cells<'a>(draft: &'a Draft<'a>, document: Option<&'a str>, note: String) -> Vec<Cell<'a>> {
    let empty = || Cell::opt_text(None::<&str>);
    vec![
        empty(),
        empty(),
        Cell::opt_text(draft.year.map(|year| year.to_string())),
        empty(),
        Cell::Number(draft.value),
        empty(),
        empty(),
        Cell::text(draft.bound.as_str()),
        Cell::opt_number(draft.high),
        empty(),
        Cell::opt_text(document),
        Cell::text(draft.quote),
        Cell::text(note),
        empty(),
        empty(),
    ]
}

fn table_cells<'a>(draft: &'a Draft<'a>, note: String) -> Vec<Cell<'a>> {
    vec![
        Cell::Number(draft.value),
        Cell::text(draft.bound.as_str()),
        Cell::opt_number(draft.high),
        Cell::opt_text(draft.year.map(|year| year.to_string())),
        Cell::text(draft.quote),
        Cell::text(note),
    ]
}

/// The file as UTF-8 text (a BOM dropped); `-` is standard input.
fn read_text(path: &Path) -> Result<String> {
    let bytes = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).context("cannot read standard input")?;
        bytes
    } else {
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text)),
        Err(err) => bail!(
            "{}: not UTF-8 text (invalid byte at offset {}); save it as UTF-8 and run extract again",
            path.display(),
            err.utf8_error().valid_up_to()
        ),
    }
}
