//! `econtrack verify`: does each value's quote state it? (and the warning `add` prints)
//!
//! The rules are in `crate::provenance::verify`; this module streams the figures, counts verdicts and
//! words the numbers found so that a reader can see what the quote was read as.

use super::stdout_listing;
use crate::cli::VerifyArgs;
use crate::domain::model::Figure;
use crate::domain::query::{Dim, FigureFilter, FigureOrder};
use crate::domain::value::Quantity;
use crate::exit::Failure;
use crate::io::output::{Cell, Format};
use crate::provenance::numerals::{Currency, Found, Scale};
use crate::provenance::verify::{self, Check, Verdict};
use crate::store::Store;
use anyhow::{Context, Result};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Columns of the CSV and JSON forms: one row per value checked.
const COLUMNS: &[&str] = &[
    "indicator",
    "entity",
    "period",
    "kind",
    "source",
    "published",
    "value",
    "bound",
    "high",
    "status",
    "found",
    "quote",
];

/// Columns of the table form, which lists only what needs a look: failed and derived values.
const TABLE_COLUMNS: &[&str] =
    &["indicator", "entity", "period", "kind", "source", "published", "value", "status", "found", "quote"];

pub async fn run(args: VerifyArgs, store: &impl Store) -> Result<()> {
    super::check_filters(store, &[(Dim::Source, args.source.as_deref()), (Dim::Document, args.document.as_deref())])
        .await?;
    let units: HashMap<String, String> = store.indicators().await?.into_iter().map(|i| (i.code, i.unit)).collect();
    let filter = FigureFilter { source: args.source, document: args.document, ..FigureFilter::default() };
    let table = args.format == Format::Table;
    let columns = if table { TABLE_COLUMNS } else { COLUMNS };
    let mut listing = stdout_listing(args.format, columns)?;
    let mut tally = Tally::default();
    store
        .each_figure(&filter, FigureOrder::Key, |figure| -> Result<()> {
            let unit = units
                .get(figure.indicator.as_str())
                .with_context(|| format!("indicator {} has no unit", figure.indicator))?;
            let check = verify::check(&figure, unit);
            tally.add(check.verdict);
            if !table {
                listing.row(full_cells(&figure, &check))?;
            } else if matches!(check.verdict, Verdict::Failed | Verdict::Derived) {
                listing.row(table_cells(&figure, unit, &check))?;
            }
            Ok(())
        })
        .await?;
    listing.note(tally.to_string());
    listing.finish()?;
    if tally.failed > 0 {
        return Err(Failure::Problems.because(format!("{} value(s) failed verification", tally.failed)).into());
    }
    Ok(())
}

/// Why `add` should warn about a figure it stored: its quote does not state it (and its
/// note does not say it was derived). `None` when there is nothing to warn about.
pub async fn quote_warning(store: &impl Store, figure: &Figure) -> Result<Option<String>> {
    let Some(quote) = figure.quote.as_deref() else {
        return Ok(None);
    };
    let Some(indicator) = store.indicator(&figure.indicator).await? else {
        return Ok(None);
    };
    let check = verify::check(figure, &indicator.unit);
    if check.verdict != Verdict::Failed {
        return Ok(None);
    }
    let found = match describe_found(quote, &check.found) {
        found if found.is_empty() => "no number".to_string(),
        found => found,
    };
    Ok(Some(format!("the quote does not contain {}; found {found}", describe_value(&figure.quantity, &indicator.unit))))
}

/// How many values got each verdict.
#[derive(Debug, Default)]
struct Tally {
    confirmed: usize,
    derived: usize,
    failed: usize,
    no_quote: usize,
}

impl Tally {
    fn add(&mut self, verdict: Verdict) {
        *match verdict {
            Verdict::Confirmed => &mut self.confirmed,
            Verdict::Derived => &mut self.derived,
            Verdict::Failed => &mut self.failed,
            Verdict::NoQuote => &mut self.no_quote,
        } += 1;
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} confirmed, {} derived, {} failed, {} without quote",
            self.confirmed, self.derived, self.failed, self.no_quote
        )
    }
}

/// The columns both forms start with: which value this is.
fn key_cells(figure: &Figure) -> Vec<Cell<'_>> {
    vec![
        Cell::text(&figure.indicator),
        Cell::text(&figure.entity),
        Cell::text(figure.period.to_string()),
        Cell::text(figure.kind.as_str()),
        Cell::text(&figure.source),
        Cell::text(figure.published.to_string()),
    ]
}

fn full_cells<'a>(figure: &'a Figure, check: &'a Check) -> Vec<Cell<'a>> {
    let quote = figure.quote.as_deref().unwrap_or("");
    let mut cells = key_cells(figure);
    cells.extend([
        Cell::Number(figure.quantity.value()),
        Cell::text(figure.quantity.bound().as_str()),
        Cell::opt_number(figure.quantity.high()),
        Cell::text(check.verdict.as_str()),
        Cell::opt_text(Some(describe_found(quote, &check.found))),
        Cell::opt_text(Some(quote)),
    ]);
    cells
}

fn table_cells<'a>(figure: &'a Figure, unit: &'a str, check: &'a Check) -> Vec<Cell<'a>> {
    let quote = figure.quote.as_deref().unwrap_or("");
    let mut cells = key_cells(figure);
    cells.extend([
        Cell::text(describe_value(&figure.quantity, unit)),
        Cell::text(check.verdict.as_str()),
        Cell::opt_text(Some(describe_found(quote, &check.found))),
        Cell::text(quote),
    ]);
    cells
}

/// A stored quantity worded like a number found, for comparing the two by eye:
/// `5% approx`, `40–50% range`, `1600 exact`, `10400000000 CNY exact`.
fn describe_value(quantity: &Quantity, unit: &str) -> String {
    let suffix = match unit {
        "percent" => "%".to_string(),
        verify::POINTS_UNIT => " pp".to_string(),
        unit if Currency::from_code(unit).is_some() => format!(" {unit}"),
        _ => String::new(),
    };
    format!("{} {}", amount(quantity.value(), quantity.high(), &suffix), quantity.bound())
}

/// Every number found in `quote`, with the text it was read from:
/// `2022 year (二○二二); 10400000000 CNY exact (人民幣一百零四億元)`.
fn describe_found(quote: &str, found: &[Found]) -> String {
    let describe = |f: &Found| {
        let suffix = match (f.scale, f.currency) {
            (Scale::Percent, _) => "%".to_string(),
            (Scale::Points, _) => " pp".to_string(),
            (_, Some(currency)) => format!(" {}", currency.code()),
            _ => String::new(),
        };
        let reading = match f.date {
            Some(part) => part.as_str().to_string(),
            None => verify::bound_of(f.qualifier).to_string(),
        };
        let text = quote.get(f.span.clone()).unwrap_or("?");
        format!("{} {reading} ({text})", amount(f.value, f.high, &suffix))
    };
    found.iter().map(describe).collect::<Vec<_>>().join("; ")
}

fn amount(value: Decimal, high: Option<Decimal>, suffix: &str) -> String {
    match high {
        Some(high) => format!("{value}–{high}{suffix}"),
        None => format!("{value}{suffix}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::value::{Bound, parse_decimal};
    use crate::provenance::numerals::read_numbers;

    #[test]
    fn found_numbers_show_the_text_they_were_read_from() {
        let quote = "在二○二二年獲得補助高達人民幣一百零四億元,成本高上約四成至五成";
        assert_eq!(
            describe_found(quote, &read_numbers(quote)),
            "2022 year (二○二二); 10400000000 CNY exact (人民幣一百零四億元); 40–50% range (約四成至五成)"
        );
        assert_eq!(describe_found("經濟成長率", &[]), "");
    }

    #[test]
    fn stored_values_are_worded_like_found_numbers() {
        let d = |t: &str| parse_decimal(t).unwrap();
        let approx = Quantity::new(d("5"), Bound::Approx, None).unwrap();
        assert_eq!(describe_value(&approx, "percent"), "5% approx");
        let range = Quantity::new(d("1"), Bound::Range, Some(d("2"))).unwrap();
        assert_eq!(describe_value(&range, "years"), "1–2 range");
        let amount = Quantity::new(d("70000000000"), Bound::AtLeast, None).unwrap();
        assert_eq!(describe_value(&amount, "CNY"), "70000000000 CNY at-least");
        let points = Quantity::new(d("0.3"), Bound::Exact, None).unwrap();
        assert_eq!(describe_value(&points, "pp"), "0.3 pp exact");
    }

    #[test]
    fn the_tally_counts_each_verdict() {
        let mut tally = Tally::default();
        for verdict in [Verdict::Confirmed, Verdict::Confirmed, Verdict::Failed] {
            tally.add(verdict);
        }
        tally.add(Verdict::NoQuote);
        assert_eq!(tally.to_string(), "2 confirmed, 0 derived, 1 failed, 1 without quote");
    }
}
