//! `econtrack score` (and `export score`): scorecards once actuals arrive.

use super::stdout_listing;
use crate::cli::{ScoreArgs, ScoreBy, SeriesArgs};
use crate::domain::evaluation::sample::keep_common;
use crate::domain::evaluation::{ErrorSign, Outturn};
use crate::domain::query::{Dim, ScoreFilter, ScoredForecast, TargetOutcome, WhichActual};
use crate::domain::rules::DEFAULT_TOLERANCE_PCT;
use crate::domain::score::{Score, SourceTally, Verdicts, score_series, target_tolerance, target_verdict};
use crate::domain::stats::STAT_DECIMALS;
use crate::io::output::{Cell, Listing};
use crate::store::Store;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use std::io::Write;

/// Up to this many targets (and left-out forecasts) are described one note each; past it,
/// a scorecard of thousands of series gets one summary note, and `--by target` the detail.
const MAX_NOTES_EACH: usize = 20;

pub const COLUMNS: &[&str] = &[
    "indicator",
    "entity",
    "period",
    "source",
    "forecast",
    "forecast_bound",
    "forecast_high",
    "published",
    "horizon_days",
    "actual",
    "actual_published",
    "actual_source",
    "error",
    "abs_error",
    "target_indicator",
    "target",
    "target_bound",
    "target_high",
    "tolerance",
    "target_met",
    "surprise",
];

const TABLE_COLUMNS: &[&str] = &[
    "indicator",
    "entity",
    "period",
    "source",
    "forecast",
    "published",
    "horizon (days)",
    "actual",
    "error",
    "target",
    "met",
    "surprise",
];

const SOURCE_COLUMNS: &[&str] = &["source", "count", "mean_error", "mean_abs_error", "rmse", "rank"];

const TARGET_COLUMNS: &[&str] = &[
    "indicator",
    "entity",
    "period",
    "target",
    "target_bound",
    "target_high",
    "tolerance",
    "target_source",
    "target_published",
    "actual",
    "actual_published",
    "actual_source",
    "target_met",
];

pub fn filter(series: SeriesArgs, as_of: Option<NaiveDate>, actual: WhichActual) -> ScoreFilter {
    let SeriesArgs { indicator, entity, period } = series;
    ScoreFilter { indicator, entity, period, as_of: as_of.unwrap_or_else(|| chrono::Local::now().date_naive()), actual }
}

pub async fn run(args: ScoreArgs, store: &impl Store) -> Result<()> {
    super::check_series(store, &args.series).await?;
    let source = args.source.as_deref();
    super::check_filters(store, &[(Dim::Source, source), (Dim::Source, args.against.as_deref())]).await?;
    if args.by == ScoreBy::Horizon || args.test.is_some() {
        return super::evaluation::run(args, store).await;
    }
    for (given, flag) in [
        (args.common_sample, "--common-sample"),
        (args.benchmark.is_some(), "--benchmark"),
        (args.against.is_some(), "--against"),
    ] {
        if given {
            bail!("{flag} is for `score --by horizon` and `score --test`: add one of them, or drop {flag}");
        }
    }
    if args.own_samples && args.by != ScoreBy::Source {
        bail!("--own-samples is for `score --by source`: drop it, or add --by source");
    }
    let actual = match args.actual {
        Outturn::First => WhichActual::First,
        Outturn::Latest => WhichActual::Latest,
        Outturn::Maturity(_) => bail!(
            "--actual maturity:K scores every forecast vintage: use it with --by horizon or --test, or use --actual first|latest"
        ),
    };
    let filter = filter(args.series, args.as_of, actual);
    let sign = args.error_sign;
    match args.by {
        ScoreBy::Forecast => {
            let table = args.format == crate::io::output::Format::Table;
            let listing = stdout_listing(args.format, if table { TABLE_COLUMNS } else { COLUMNS })?;
            write_forecasts(store, &filter, source, sign, listing).await
        }
        ScoreBy::Source => {
            let listing = stdout_listing(args.format, SOURCE_COLUMNS)?;
            write_sources(store, &filter, source, sign, !args.own_samples, listing).await
        }
        ScoreBy::Target if source.is_some() => {
            bail!("--source picks forecasts, and `score --by target` has none: drop --source, or use --by forecast")
        }
        ScoreBy::Target => write_targets(store, &filter, stdout_listing(args.format, TARGET_COLUMNS)?).await,
        ScoreBy::Horizon => unreachable!("handled above"),
    }
}

/// Whether a forecast's source is the one asked for (any, when none is).
fn chosen(source: Option<&str>, forecast_source: &str) -> bool {
    source.is_none_or(|s| s == forecast_source)
}

/// Says that a scorecard narrowed to one source still measures it against every source.
fn source_note(source: Option<&str>) -> Option<String> {
    source.map(|s| format!("only {s}'s forecasts are listed; surprise and rank are against every source's"))
}

/// Streams forecasts one series at a time, scoring each series as it completes, beside its
/// target when `with_targets`. Every source's forecasts are scored (the surprise is against
/// their median); `each` sees those of `source` alone when it is given.
async fn for_each_score(
    store: &impl Store,
    filter: &ScoreFilter,
    with_targets: bool,
    source: Option<&str>,
    mut each: impl FnMut(&Score) -> Result<()>,
) -> Result<()> {
    let mut each = |score: &Score| if chosen(source, &score.forecast.source) { each(score) } else { Ok(()) };
    let mut series: Vec<ScoredForecast> = Vec::new();
    let mut series_target: Option<TargetOutcome> = None;
    let same_series = |a: &ScoredForecast, b: &ScoredForecast| {
        a.indicator == b.indicator && a.entity == b.entity && a.period == b.period
    };
    store
        .each_scored_forecast(filter, with_targets, |forecast, target| -> Result<()> {
            if series.last().is_some_and(|last| !same_series(last, &forecast)) {
                score_series(std::mem::take(&mut series), series_target.as_ref()).iter().try_for_each(&mut each)?;
            }
            // Every forecast of a series has the same target: keep it from the first.
            if series.is_empty() {
                series_target = target.cloned();
            }
            series.push(forecast);
            Ok(())
        })
        .await?;
    score_series(series, series_target.as_ref()).iter().try_for_each(&mut each)
}

pub async fn write_forecasts<W: Write>(
    store: &impl Store,
    filter: &ScoreFilter,
    source: Option<&str>,
    sign: ErrorSign,
    mut listing: Listing<W>,
) -> Result<()> {
    let table = listing.is_table();
    for_each_score(store, filter, true, source, |score| {
        let signed = Score { error: signed(score.error, sign), ..score.clone() };
        listing.row(if table { table_cells(&signed) } else { full_cells(&signed) })?;
        Ok(())
    })
    .await?;
    let mut notes = target_notes(store, filter).await?;
    let mut late = store.late_forecasts(filter).await?;
    late.retain(|late| chosen(source, &late.source));
    for late in late.iter().take(MAX_NOTES_EACH) {
        notes.push(format!(
            "left out: {} forecast {} {} {} only on or after its actual of {} (no forecast before it)",
            late.source, late.indicator, late.entity, late.period, late.actual_published
        ));
    }
    if late.len() > MAX_NOTES_EACH {
        notes.push(format!(
            "left out: {} more forecasts made only on or after their actual",
            late.len() - MAX_NOTES_EACH
        ));
    }
    notes.push(format!(
        "scored against the {} published actual as of {}; error = {}; surprise = actual − median forecast",
        match filter.actual {
            WhichActual::First => "first",
            WhichActual::Latest => "latest",
        },
        filter.as_of,
        sign_text(sign)
    ));
    notes.extend(source_note(source));
    for note in notes {
        if table {
            listing.note(note);
        } else {
            eprintln!("note: {note}");
        }
    }
    listing.finish()?;
    Ok(())
}

/// One note per target of the filter's indicator, or one summing them up when there are many.
async fn target_notes(store: &impl Store, filter: &ScoreFilter) -> Result<Vec<String>> {
    let mut verdicts = Verdicts::default();
    let mut notes = Vec::new();
    store
        .each_target_outcome(filter, |target| -> Result<()> {
            verdicts.add(&target);
            if notes.len() <= MAX_NOTES_EACH {
                notes.push(describe_target(&target));
            }
            Ok(())
        })
        .await?;
    if verdicts.total() > MAX_NOTES_EACH {
        return Ok(vec![format!(
            "{} targets: {} met, {} missed, {} with no outcome published yet; `econtrack score --by target` lists them",
            verdicts.total(),
            verdicts.met,
            verdicts.missed,
            verdicts.pending
        )]);
    }
    Ok(notes)
}

/// "target gdp.real.growth CN 2024: 5 (approx) ±0.5 — met by 5 (cn-nbs, 2025-01-17)".
fn describe_target(t: &TargetOutcome) -> String {
    // The tolerance comes from the target, not the verdict: shown before the outcome too.
    let tolerance = target_tolerance(t).map(|tol| format!(" ±{tol}")).unwrap_or_default();
    let head = format!("target {} {} {}: {}{tolerance}", t.indicator, t.entity, t.period, t.target);
    match (target_verdict(t), &t.actual) {
        (Some(verdict), Some(actual)) => format!(
            "{head} — {} by {} ({}, {})",
            if verdict.met { "met" } else { "missed" },
            actual.value,
            actual.source,
            actual.published
        ),
        _ => format!("{head} — no outcome published yet"),
    }
}

/// A note under a table, or on standard error beside CSV and JSON (which carry data only).
pub fn say<W: Write>(listing: &mut Listing<W>, note: String) {
    if listing.is_table() {
        listing.note(note);
    } else {
        eprintln!("note: {note}");
    }
}

/// `Score::error` is forecast − actual; this is the error with the sign asked for.
fn signed(error: rust_decimal::Decimal, sign: ErrorSign) -> rust_decimal::Decimal {
    match sign {
        ErrorSign::ForecastMinusActual => error,
        ErrorSign::ActualMinusForecast => -error,
    }
}

/// "forecast − actual (--error-sign forecast-minus-actual)".
pub fn sign_text(sign: ErrorSign) -> String {
    let formula = match sign {
        ErrorSign::ForecastMinusActual => "forecast − actual",
        ErrorSign::ActualMinusForecast => "actual − forecast",
    };
    format!("{formula} (--error-sign {})", sign.as_str())
}

fn full_cells<'a>(s: &'a Score<'a>) -> Vec<Cell<'a>> {
    let f = &s.forecast;
    let mut cells = vec![
        Cell::text(&f.indicator),
        Cell::text(&f.entity),
        Cell::text(f.period.to_string()),
        Cell::text(&f.source),
        Cell::Number(f.forecast.value()),
        Cell::text(f.forecast.bound().as_str()),
        Cell::opt_number(f.forecast.high()),
        Cell::text(f.published.to_string()),
        Cell::Int(s.horizon_days),
        Cell::Number(f.actual.value),
        Cell::text(f.actual.published.to_string()),
        Cell::text(&f.actual.source),
        Cell::Number(s.error),
        Cell::Number(s.error.abs()),
    ];
    match s.target {
        Some(t) => cells.extend([
            Cell::text(&t.indicator),
            Cell::Number(t.target.value()),
            Cell::text(t.target.bound().as_str()),
            Cell::opt_number(t.target.high()),
            Cell::opt_number(target_tolerance(t)),
            s.target_met.map_or(Cell::Empty, Cell::Bool),
        ]),
        None => cells.extend(std::iter::repeat_n(Cell::Empty, 6)),
    }
    cells.push(Cell::Number(s.surprise));
    cells
}

fn table_cells<'a>(s: &'a Score<'a>) -> Vec<Cell<'a>> {
    let f = &s.forecast;
    let target = s.target.map_or(Cell::Empty, |t| {
        let via = if t.indicator == f.indicator { String::new() } else { format!(" ({})", t.indicator) };
        Cell::text(format!("{}{via}", t.target))
    });
    let met = match s.target_met {
        Some(true) => Cell::text("met"),
        Some(false) => Cell::text("missed"),
        None => Cell::Empty,
    };
    vec![
        Cell::text(&f.indicator),
        Cell::text(&f.entity),
        Cell::text(f.period.to_string()),
        Cell::text(&f.source),
        Cell::text(f.forecast.to_string()),
        Cell::text(f.published.to_string()),
        Cell::Int(s.horizon_days),
        Cell::Number(f.actual.value),
        Cell::text(format!("{:+}", s.error)),
        target,
        met,
        Cell::Number(s.surprise),
    ]
}

async fn write_sources<W: Write>(
    store: &impl Store,
    filter: &ScoreFilter,
    source: Option<&str>,
    sign: ErrorSign,
    common: bool,
    mut listing: Listing<W>,
) -> Result<()> {
    // A source's record needs no targets; its rank is among every source.
    let mut scored = Vec::new();
    for_each_score(store, filter, false, None, |score| {
        let f = &score.forecast;
        scored.push((f.indicator.clone(), f.entity.clone(), f.period, f.source.clone(), signed(score.error, sign)));
        Ok(())
    })
    .await?;
    let before = scored.len();
    if common {
        scored = keep_common(scored, |s| (s.0.clone(), s.1.clone()), |s| s.3.as_str(), |s| s.2);
    }
    let mut tally = SourceTally::default();
    for (_, _, _, forecaster, error) in &scored {
        tally.add(forecaster, *error);
    }
    for r in tally.records().into_iter().filter(|r| chosen(source, &r.source)) {
        listing.row(vec![
            Cell::text(&r.source),
            Cell::Int(i64::try_from(r.count).unwrap_or(i64::MAX)),
            Cell::Number(r.mean_error),
            Cell::Number(r.mean_abs_error),
            Cell::Number(r.rmse),
            Cell::Int(i64::try_from(r.rank).unwrap_or(i64::MAX)),
        ])?;
    }
    let too = match sign {
        ErrorSign::ForecastMinusActual => "high",
        ErrorSign::ActualMinusForecast => "low",
    };
    let mut notes = vec![format!(
        "error = {}; mean_error > 0: forecasts too {too} on average; means and RMSE rounded to {STAT_DECIMALS} decimals; rank 1 = lowest RMSE",
        sign_text(sign)
    )];
    notes.push(if common {
        format!(
            "ranked on the common sample: per indicator and entity, only the periods every source forecast ({} of {} scored forecasts); --own-samples ranks each on all of its own",
            scored.len(),
            before
        )
    } else {
        "each source ranked on all of its own forecasts (--own-samples): sources that forecast different periods are not compared like for like".to_string()
    });
    notes.extend(source_note(source));
    for note in notes {
        say(&mut listing, note);
    }
    listing.finish()?;
    Ok(())
}

async fn write_targets<W: Write>(store: &impl Store, filter: &ScoreFilter, mut listing: Listing<W>) -> Result<()> {
    store
        .each_target_outcome(filter, |t| -> Result<()> {
            let verdict = target_verdict(&t);
            let actual = t.actual.as_ref();
            listing.row(vec![
                Cell::text(&t.indicator),
                Cell::text(&t.entity),
                Cell::text(t.period.to_string()),
                Cell::Number(t.target.value()),
                Cell::text(t.target.bound().as_str()),
                Cell::opt_number(t.target.high()),
                Cell::opt_number(target_tolerance(&t)),
                Cell::text(&t.target_source),
                Cell::text(t.target_published.to_string()),
                Cell::opt_number(actual.map(|a| a.value)),
                actual.map_or(Cell::Empty, |a| Cell::text(a.published.to_string())),
                Cell::opt_text(actual.map(|a| a.source.as_str())),
                verdict.map_or(Cell::Empty, |v| Cell::Bool(v.met)),
            ])?;
            Ok(())
        })
        .await?;
    listing.note(format!(
        "at-most: met when actual ≤ target; at-least: actual ≥ target; range: inside the band; approx: within the tolerance (default {DEFAULT_TOLERANCE_PCT}% of the target)"
    ));
    listing.finish()?;
    Ok(())
}
