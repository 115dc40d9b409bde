//! The report and the charts: what is gathered for each target, and how it is written as one
//! self-contained HTML page (`page`), one SVG chart (`chart`) or a PNG of it (`png`).
//!
//! Memory stays bounded on big databases: one pass over the gap rows, one over the target
//! outcomes and one over the scored forecasts (per basis, when one indicator is asked for)
//! keep only the first `max_targets` targets
//! (the rest are counted), then each target's figures are read by primary key, drawn,
//! written and dropped before the next.

pub mod canvas;
pub mod chart;
pub mod evolution;
pub mod page;
pub mod palette;
pub mod png;
pub mod text;

use crate::domain::consensus::{ConsensusLine, for_target, same_target};
use crate::domain::period::Period;
use crate::domain::query::{GapFilter, GapRow, ScoreFilter, ScoredForecast, TargetOutcome, TargetSide, WhichActual};
use crate::domain::rules::Judgement;
use crate::domain::score::{SourceRecord, SourceTally, Verdicts, score_series, target_verdict};
use crate::store::Store;
use anyhow::Result;
use evolution::Evolution;
use rust_decimal::Decimal;
use std::collections::HashMap;
use text::Names;

/// A target's key: indicator, entity, period.
pub type Key = (String, String, Period);

/// One scored forecast, owned.
#[derive(Debug, Clone)]
pub struct Scored {
    pub forecast: ScoredForecast,
    pub error: Decimal,
    pub horizon_days: i64,
}

/// Everything a target's section shows except its figures, which are read when it is drawn.
#[derive(Debug, Clone)]
pub struct Target {
    pub key: Key,
    /// The target in force as of the date (the same on every one of its rows).
    pub target: TargetSide,
    /// Its gap rows: the target, and each source's latest forecast as of the date.
    pub rows: Vec<GapRow>,
    pub consensus: Vec<ConsensusLine>,
    pub outcome: Option<TargetOutcome>,
    pub scores: Vec<Scored>,
}

impl Target {
    pub fn first(&self) -> &GapRow {
        &self.rows[0]
    }

    pub fn verdict(&self) -> Option<Judgement> {
        self.outcome.as_ref().and_then(target_verdict)
    }

    /// The consensus the summary shows: the target indicator's own, else a proxy's.
    pub fn headline(&self) -> Option<&ConsensusLine> {
        self.consensus.iter().find(|c| c.basis == self.key.0).or_else(|| self.consensus.first())
    }

    /// Each source's record over this target's scored forecasts.
    pub fn records(&self) -> Vec<SourceRecord> {
        let mut tally = SourceTally::default();
        for s in &self.scores {
            tally.add(&s.forecast.source, s.error);
        }
        tally.records()
    }

    pub fn anchor(&self) -> String {
        let (indicator, entity, period) = &self.key;
        format!("t-{indicator}-{entity}-{period}")
    }
}

/// What the report covers.
#[derive(Debug, Clone)]
pub struct Scope {
    pub filter: GapFilter,
    pub actual: WhichActual,
    pub max_targets: usize,
}

/// The targets the report shows, and how many it left out.
#[derive(Debug)]
pub struct Plan {
    pub targets: Vec<Target>,
    pub total: usize,
    /// Over every target of the scope, shown or not.
    pub verdicts: Verdicts,
    pub names: Names,
}

fn key_of(row: &GapRow) -> Key {
    (row.indicator.clone(), row.entity.clone(), row.period)
}

/// Reads what the summary and every section need, keeping at most `max_targets` targets.
pub async fn plan(store: &impl Store, scope: &Scope) -> Result<Plan> {
    let names = Names::new(
        store.sources().await?,
        store.indicators().await?,
        store.entities().await?,
        store.documents().await?,
    );
    let mut targets: Vec<Target> = Vec::new();
    let mut total = 0;
    let mut group: Vec<GapRow> = Vec::new();
    let keep = |group: Vec<GapRow>, targets: &mut Vec<Target>| {
        if let Some((first, target)) = group.first().and_then(|first| Some((first, first.target.clone()?))) {
            targets.push(Target {
                key: key_of(first),
                target,
                consensus: for_target(&group),
                rows: group,
                outcome: None,
                scores: Vec::new(),
            });
        }
    };
    let mut current: Option<GapRow> = None;
    store
        .each_gap_row(&scope.filter, |row| -> Result<()> {
            if current.as_ref().is_none_or(|last| !same_target(last, &row)) {
                keep(std::mem::take(&mut group), &mut targets);
                total += 1;
                current = Some(row.clone());
            }
            if total <= scope.max_targets {
                group.push(row);
            }
            Ok(())
        })
        .await?;
    keep(group, &mut targets);

    let index: HashMap<Key, usize> = targets.iter().enumerate().map(|(i, t)| (t.key.clone(), i)).collect();
    let score_filter = ScoreFilter {
        indicator: scope.filter.indicator.clone(),
        entity: scope.filter.entity.clone(),
        period: scope.filter.period,
        as_of: scope.filter.as_of,
        actual: scope.actual,
    };
    let mut verdicts = Verdicts::default();
    store
        .each_target_outcome(&score_filter, |outcome| -> Result<()> {
            verdicts.add(&outcome);
            let key = (outcome.indicator.clone(), outcome.entity.clone(), outcome.period);
            if let Some(&i) = index.get(&key) {
                targets[i].outcome = Some(outcome);
            }
            Ok(())
        })
        .await?;

    // A proxy's forecasts are scored under their own indicator: map each scored series to
    // the target it is shown beside.
    let mut wanted: HashMap<Key, usize> = HashMap::new();
    for (i, t) in targets.iter().enumerate() {
        let (indicator, entity, period) = &t.key;
        for proxy in proxies_of(&names, indicator) {
            wanted.insert((proxy, entity.clone(), *period), i);
        }
        wanted.insert(t.key.clone(), i);
    }
    // Proxies are scored under their own code: a report of one indicator reads its own
    // forecasts and then each proxy's; a report of every indicator reads them all at once.
    let scored: Vec<Option<String>> = match &scope.filter.indicator {
        Some(indicator) => std::iter::once(indicator.clone()).chain(proxies_of(&names, indicator)).map(Some).collect(),
        None => vec![None],
    };
    let flush = |series: Vec<ScoredForecast>, targets: &mut Vec<Target>| {
        let Some(first) = series.first() else { return };
        let Some(&i) = wanted.get(&(first.indicator.clone(), first.entity.clone(), first.period)) else { return };
        for score in score_series(series, None) {
            targets[i].scores.push(Scored {
                error: score.error,
                horizon_days: score.horizon_days,
                forecast: score.forecast,
            });
        }
    };
    for indicator in scored {
        let filter = ScoreFilter { indicator, ..score_filter.clone() };
        let mut series: Vec<ScoredForecast> = Vec::new();
        store
            .each_scored_forecast(&filter, false, |forecast, _| -> Result<()> {
                if series.last().is_some_and(|last| {
                    (last.indicator.as_str(), last.entity.as_str(), last.period)
                        != (forecast.indicator.as_str(), forecast.entity.as_str(), forecast.period)
                }) {
                    flush(std::mem::take(&mut series), &mut targets);
                }
                series.push(forecast);
                Ok(())
            })
            .await?;
        flush(series, &mut targets);
    }
    Ok(Plan { targets, total, verdicts, names })
}

/// The indicators reported as stand-ins for `indicator`, by code.
fn proxies_of(names: &Names, indicator: &str) -> Vec<String> {
    let mut proxies: Vec<String> = names
        .indicators
        .values()
        .filter(|p| p.proxy_for.as_deref() == Some(indicator))
        .map(|p| p.code.clone())
        .collect();
    proxies.sort();
    proxies
}

/// Reads a target's figures (its own indicator's and its proxies') into its evolution.
pub async fn evolution(
    store: &impl Store,
    target: &Target,
    names: &Names,
    as_of: chrono::NaiveDate,
) -> Result<Evolution> {
    let first = target.first();
    let (indicator, entity, period) = &target.key;
    let mut e = Evolution::new(indicator, entity, *period, &first.unit, as_of);
    let mut bases = vec![indicator.clone()];
    bases.extend(proxies_of(names, indicator));
    let chosen = (target.target.source.as_str(), target.target.published);
    for basis in &bases {
        store
            .each_series_figure((basis, entity, *period), as_of, |figure| -> Result<()> {
                e.add(figure, Some(chosen));
                Ok(())
            })
            .await?;
    }
    e.finish();
    Ok(e)
}
