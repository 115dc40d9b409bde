//! `econtrack check`: SQLite's integrity and foreign-key checks, then every stored value,
//! period and date re-read as strictly as input is, so that a row changed behind
//! econtrack's back (by hand, by another tool, by a bad disk) is named, not trusted.

use crate::domain::period::{Period, int_to_date, parse_date};
use crate::domain::query::{RawFigure, StorageProblem};
use crate::domain::value::{Bound, Kind, Quantity, parse_decimal};
use crate::exit::Failure;
use crate::store::Store;
use anyhow::Result;
use rust_decimal::Decimal;

pub async fn run(store: &impl Store) -> Result<()> {
    let mut problems: Vec<String> = Vec::new();
    problems.extend(store.storage_problems().await?.into_iter().map(|problem| match problem {
        StorageProblem::Integrity(line) => format!("integrity check: {line}"),
        StorageProblem::Dangling { table, parent } => {
            format!("foreign key check: a row of {table} points at a missing row of {parent}")
        }
    }));
    let mut figures = 0;
    store
        .each_raw_figure(|row| -> Result<()> {
            figures += 1;
            let found = figure_problems(&row);
            if !found.is_empty() {
                problems.push(format!("figure {}: {}", describe(&row), found.join("; ")));
            }
            Ok(())
        })
        .await?;
    let dates = store.raw_document_dates().await?;
    for (code, published) in &dates {
        if let Err(err) = parse_date(published) {
            problems.push(format!("document {code}: published: {err}"));
        }
    }
    for problem in &problems {
        outln!("problem: {problem}")?;
    }
    let checked = format!("integrity, foreign keys, {figures} value(s) and {} document date(s)", dates.len());
    if !problems.is_empty() {
        return Err(Failure::Problems
            .because(format!("check found {} problem(s) in {checked}", problems.len()))
            .into());
    }
    outln!("ok: checked {checked}: no problems found")?;
    Ok(())
}

/// The row's key, decoded where it decodes and raw where it does not.
fn describe(row: &RawFigure) -> String {
    let code = |code: &Option<String>, id: i64| code.clone().unwrap_or_else(|| format!("#{id}"));
    let period = Period::from_key(row.period).map_or_else(|| row.period.to_string(), |p| p.to_string());
    let published = int_to_date(row.published).map_or_else(|| row.published.to_string(), |d| d.to_string());
    format!(
        "{} {} {period} {} by {} published {published}",
        code(&row.indicator, row.indicator_id),
        code(&row.entity, row.entity_id),
        row.kind,
        code(&row.source, row.source_id),
    )
}

fn figure_problems(row: &RawFigure) -> Vec<String> {
    let mut problems = Vec::new();
    for (noun, code, id) in [
        ("indicator", &row.indicator, row.indicator_id),
        ("entity", &row.entity, row.entity_id),
        ("source", &row.source, row.source_id),
    ] {
        if code.is_none() {
            problems.push(format!("{noun} #{id} does not exist"));
        }
    }
    if Period::from_key(row.period).is_none() {
        problems.push(format!("period key {} is no period", row.period));
    }
    if let Some(retracted) = row.retracted {
        match int_to_date(retracted) {
            None => problems.push(format!("retracted {retracted} is no date")),
            Some(_) if retracted < row.published => {
                problems.push(format!("retracted {retracted} before it was published {}", row.published))
            }
            Some(_) => {}
        }
    }
    if int_to_date(row.published).is_none() {
        problems.push(format!("published {} is no date", row.published));
    }
    if let Err(err) = row.kind.parse::<Kind>() {
        problems.push(err.to_string());
    }
    let bound = row.bound.parse::<Bound>().map_err(|err| err.to_string());
    let value = stored_decimal("value", &row.value);
    let high = row.high.as_deref().map(|text| stored_decimal("high", text)).transpose();
    match (bound, value, high) {
        (Ok(bound), Ok(value), Ok(high)) => {
            if let Err(err) = Quantity::new(value, bound, high) {
                problems.push(err.to_string());
            }
        }
        (bound, value, high) => {
            problems.extend([bound.err(), value.err(), high.err()].into_iter().flatten());
        }
    }
    problems
}

/// A stored decimal must be exactly what econtrack writes: the canonical form of a strictly
/// parsed decimal. Anything else was not written by econtrack.
fn stored_decimal(column: &str, text: &str) -> Result<Decimal, String> {
    match parse_decimal(text) {
        Ok(value) if value.to_string() == text => Ok(value),
        Ok(value) => Err(format!("{column} \"{text}\" is not in canonical form (econtrack writes {value})")),
        Err(err) => Err(format!("{column}: {err}")),
    }
}
