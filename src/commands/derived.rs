//! `gaps --units`: a growth target compared with forecasts published as levels. Each
//! forecast of a level indicator is replaced by its source's level series transformed on
//! the view as of the gaps date, its base filled from the actuals of that view.

use crate::domain::query::{FigureFilter, FigureOrder, GapRow};
use crate::domain::transform::{
    self, Nature, Outcome, Point, Request, TransformError, Units, Vintage, check_bound, check_unit,
};
use crate::domain::value::{Kind, Quantity};
use crate::store::Store;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// What `--units` made of one gap row's forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derivation {
    /// The forecast is of a rate (or there is none): shown as published.
    AsPublished,
    /// The forecast is a level, transformed: the row's forecast holds the result.
    Derived,
    /// The forecast is a level whose transform has no value (no base in the view, or a
    /// ratio of a zero or negative level): the row shows no forecast value.
    NoValue,
}

/// The rows, with each forecast of a level indicator transformed, and what was done to each.
pub struct Derived {
    pub rows: Vec<(GapRow, Derivation)>,
    /// Whether a level whose unit was not stated was taken as a level.
    pub unstated: bool,
}

/// Transforms the forecasts of level indicators in `rows` as `request` asks, each on its
/// source's view as of `as_of`. Refuses a ratio or logarithm when every forecast is of a
/// rate (nothing to derive), a level target beside a transformed forecast, and a bounded
/// level in a series read.
pub async fn derive(store: &impl Store, rows: Vec<GapRow>, as_of: NaiveDate, request: Request) -> Result<Derived> {
    let units: HashMap<String, String> = store.indicators().await?.into_iter().map(|i| (i.code, i.unit)).collect();
    let unit_of = |code: &str| units.get(code).cloned().unwrap_or_else(|| "unspecified".to_string());
    let is_level = |code: &str| transform::nature(&unit_of(code)) != Nature::Rate;

    // Every level series a forecast is of, read once: (basis, entity) → source → period → outcome.
    let mut outcomes: BTreeMap<(String, String), HashMap<String, HashMap<_, Outcome>>> = BTreeMap::new();
    for row in &rows {
        if let Some(forecast) = &row.forecast
            && is_level(&forecast.basis)
        {
            outcomes.entry((forecast.basis.clone(), row.entity.clone())).or_default();
        }
    }
    if outcomes.is_empty() {
        // Nothing is a level: a ratio or logarithm of the rates shown would be refused by
        // `values --units` too, with the same message.
        if let Some(forecast) = rows.iter().find_map(|r| r.forecast.as_ref()) {
            check_unit(request.units, &forecast.basis, &unit_of(&forecast.basis))?;
        }
    }
    for ((basis, entity), by_source) in outcomes.iter_mut() {
        *by_source = transformed_sources(store, basis, entity, as_of, request).await?;
    }

    let mut derived = Vec::with_capacity(rows.len());
    let mut unstated = false;
    for mut row in rows {
        let Some(forecast) = row.forecast.as_mut() else {
            derived.push((row, Derivation::AsPublished));
            continue;
        };
        let Some(by_source) = outcomes.get(&(forecast.basis.clone(), row.entity.clone())) else {
            derived.push((row, Derivation::AsPublished));
            continue;
        };
        let basis_unit = unit_of(&forecast.basis);
        unstated |= transform::nature(&basis_unit) == Nature::Unstated;
        if row.target.is_some() && request.units != Units::Lin && transform::nature(&row.unit) != Nature::Rate {
            bail!(
                "cannot compare the target of {} {} {} (unit {}, a level) with {} of forecasts: --units compares a growth target with levels; set the target on a percent indicator and make {} a proxy for it (indicator add --proxy-for)",
                row.indicator,
                row.entity,
                row.period,
                row.unit,
                request.units,
                forecast.basis
            );
        }
        let outcome = by_source.get(&forecast.source).and_then(|periods| periods.get(&row.period)).copied();
        let derivation = match outcome {
            Some(Outcome::Value(value)) => {
                forecast.quantity = Quantity::exact(value);
                Derivation::Derived
            }
            _ => Derivation::NoValue,
        };
        if row.target.is_none() {
            // A series of forecasts alone is the level indicator itself: its unit changes.
            row.unit = transform::result_unit(request.units, &basis_unit);
        }
        derived.push((row, derivation));
    }
    Ok(Derived { rows: derived, unstated })
}

/// One level series (an indicator of an entity) as of `as_of`, transformed per forecasting
/// source: each source's forecasts, with the periods it did not forecast taken from the
/// actuals' view (the latest actual of each period published by then).
async fn transformed_sources(
    store: &impl Store,
    basis: &str,
    entity: &str,
    as_of: NaiveDate,
    request: Request,
) -> Result<HashMap<String, HashMap<crate::domain::period::Period, Outcome>>> {
    let filter = FigureFilter {
        indicator: Some(basis.to_string()),
        entity: Some(entity.to_string()),
        as_of: Some(as_of),
        ..FigureFilter::default()
    };
    let mut forecasts: BTreeMap<String, Vec<Vintage>> = BTreeMap::new();
    let mut actuals: Vec<Vintage> = Vec::new();
    let mut refused: Option<TransformError> = None;
    store
        .each_figure(&filter, FigureOrder::Key, |figure| -> Result<()> {
            let vintage =
                Vintage { period: figure.period, published: figure.published, value: figure.quantity.value() };
            let wanted = match figure.kind {
                Kind::Forecast => forecasts.entry(figure.source.to_string()).or_default(),
                Kind::Actual => &mut actuals,
                _ => return Ok(()),
            };
            if refused.is_none()
                && let Err(err) = check_bound(request.units, &figure.indicator, figure.period, figure.quantity.bound())
            {
                refused = Some(err);
            }
            wanted.push(vintage);
            Ok(())
        })
        .await?;
    if let Some(err) = refused {
        return Err(err.into());
    }
    let aggregated = |view: Vec<Point>| -> Result<Vec<Point>, TransformError> {
        match request.frequency {
            Some(to) if !view.is_empty() => transform::aggregate(&view, to, request.aggregate),
            _ => Ok(view),
        }
    };
    let points = |vintages: &[Vintage]| -> Vec<Point> {
        transform::view_as_of(vintages, as_of).into_iter().map(|(point, _)| point).collect()
    };
    let actual_view = aggregated(points(&actuals))?;
    let mut by_source = HashMap::new();
    for (source, vintages) in forecasts {
        let own = aggregated(points(&vintages))?;
        let merged = transform::with_bases(&own, &actual_view);
        // Aggregated above, each view on its own: the transform only.
        let applied = transform::apply(&merged, Request { frequency: None, ..request })?;
        by_source.insert(source, applied.outcomes.into_iter().collect());
    }
    Ok(by_source)
}
