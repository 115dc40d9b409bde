//! `econtrack score --by horizon` and `score --test bias|dm|mz`: every forecast vintage
//! against one release of its outcome, by horizon, as the Bank of England's
//! `forecast_evaluation` package judges forecasters (definitions in docs/evaluation.md).

use super::score::{say, sign_text};
use super::stdout_listing;
use crate::cli::{Benchmark, EvalTest, ScoreArgs, ScoreBy};
use crate::domain::evaluation::accuracy::accuracy_by_horizon;
use crate::domain::evaluation::benchmark::{PERIODS_AHEAD, RANDOM_WALK, random_walk};
use crate::domain::evaluation::inference::{self, Group, MZ_MIN_OBSERVATIONS};
use crate::domain::evaluation::sample::common_sample;
use crate::domain::evaluation::{EVAL_DECIMALS, Outturn, Vintage, horizon, score_vintages};
use crate::domain::query::FigureFilter;
use crate::domain::value::Kind;
use crate::io::output::{Cell, Listing};
use crate::store::Store;
use anyhow::{Result, bail};
use std::io::Write;

pub const HORIZON_COLUMNS: &[&str] = &[
    "indicator",
    "entity",
    "source",
    "horizon",
    "n",
    "mean_error",
    "mae",
    "rmse",
    "rmedse",
    "first_published",
    "last_published",
];

const GROUP_COLUMNS: &[&str] = &["indicator", "entity", "source", "horizon", "n", "lags"];
const BIAS_COLUMNS: &[&str] = &["bias", "std_error", "t_statistic", "p_value", "ci_lower", "ci_upper"];
const DM_COLUMNS: &[&str] = &["against", "mean_loss_difference", "dm_statistic", "p_value", "rmse_ratio"];
const MZ_COLUMNS: &[&str] = &["intercept", "slope", "intercept_se", "slope_se", "f_statistic", "p_value"];

pub async fn run(args: ScoreArgs, store: &impl Store) -> Result<()> {
    if args.own_samples {
        bail!(
            "--own-samples is for `score --by source`: drop it (--by horizon and --test use every forecast unless --common-sample)"
        );
    }
    if args.test.is_some() && !matches!(args.by, ScoreBy::Forecast | ScoreBy::Horizon) {
        bail!("--test runs per horizon: drop --by, or use --by horizon");
    }
    let against = match (args.test, args.against.as_deref(), args.benchmark) {
        (Some(EvalTest::Dm), Some(source), _) => Some(source.to_string()),
        (Some(EvalTest::Dm), None, Some(Benchmark::RandomWalk)) => Some(RANDOM_WALK.to_string()),
        (Some(EvalTest::Dm), None, None) => {
            bail!(
                "--test dm compares each source with another: name it with --against SOURCE, or add --benchmark random-walk"
            )
        }
        (_, Some(_), _) => bail!("--against is for --test dm: drop it, or add --test dm"),
        _ => None,
    };
    let as_of = args.as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    let read = |kind| FigureFilter {
        indicator: args.series.indicator.clone(),
        entity: args.series.entity.clone(),
        as_of: Some(as_of),
        kind: Some(kind),
        ..FigureFilter::default()
    };
    let mut forecasts = vintages(store, &read(Kind::Forecast)).await?;
    // Every period's actuals: the benchmark builds each vintage's history from them.
    let actuals = vintages(store, &read(Kind::Actual)).await?;
    if args.benchmark == Some(Benchmark::RandomWalk) {
        forecasts.extend(random_walk(&actuals));
    }
    if let Some(period) = args.series.period {
        forecasts.retain(|f| f.period == period);
    }
    let backcasts = forecasts.iter().filter(|f| horizon(f.period, f.published) < 0).count();
    let mut scored = score_vintages(&forecasts, &actuals, args.actual, args.error_sign);
    let all = scored.len();
    // The package always runs Diebold–Mariano on the common sample.
    let common = args.common_sample || args.test == Some(EvalTest::Dm);
    if common {
        scored = common_sample(scored);
    }
    let source = args.source.as_deref();
    let shown = |s: &str| source.is_none_or(|wanted| wanted == s) || Some(s) == against.as_deref();
    let mut notes = vec![
        format!("error = {}", sign_text(args.error_sign)),
        format!(
            "scored against {} as of {as_of}; every forecast vintage with an actual, by horizon (periods from the one it was published in to its target)",
            match args.actual {
                Outturn::First => "the first published actual".to_string(),
                Outturn::Latest => "the latest published actual".to_string(),
                Outturn::Maturity(k) => format!(
                    "the actual of maturity {k} (published {} periods after the target; else the latest before, else the earliest after)",
                    k + 1
                ),
            }
        ),
        if common {
            format!(
                "common sample{}: per indicator and entity, only forecasts whose (publication period, target) every source has: {} of {all} scored forecasts",
                if args.common_sample { "" } else { " (always, for --test dm)" },
                scored.len()
            )
        } else {
            format!("each source on all of its own {all} scored forecasts; --common-sample compares like for like")
        },
    ];
    if backcasts > 0 {
        notes.push(format!(
            "{backcasts} forecasts of a period before the one they were published in (backcasts) are not scored"
        ));
    }
    if args.benchmark.is_some() {
        notes.push(format!(
            "{RANDOM_WALK}: each actual vintage's last observed value held for the next {PERIODS_AHEAD} periods, published on the vintage's date"
        ));
    }
    match args.test {
        None => {
            let mut columns = HORIZON_COLUMNS.to_vec();
            let benchmark = args.benchmark.map(|_| RANDOM_WALK);
            if benchmark.is_some() {
                columns.push("relative_rmse");
                notes.push(format!("relative_rmse: RMSE / {RANDOM_WALK}'s RMSE over the forecasts both have"));
            }
            notes.push(format!("mean_error, mae, rmse, rmedse: exact decimals, rounded to {EVAL_DECIMALS} places"));
            let mut listing = stdout_listing(args.format, &columns)?;
            for row in accuracy_by_horizon(&scored, benchmark).iter().filter(|r| shown(&r.source)) {
                let mut cells = vec![
                    Cell::text(&row.indicator),
                    Cell::text(&row.entity),
                    Cell::text(&row.source),
                    Cell::Int(row.horizon),
                    count(row.n),
                    Cell::Number(row.mean_error),
                    Cell::Number(row.mae),
                    Cell::Number(row.rmse),
                    Cell::Number(row.rmedse),
                    Cell::text(row.first_published.to_string()),
                    Cell::text(row.last_published.to_string()),
                ];
                if benchmark.is_some() {
                    cells.push(Cell::opt_number(row.relative_rmse));
                }
                listing.row(cells)?;
            }
            finish(listing, notes)
        }
        Some(EvalTest::Bias) => {
            notes.push(
                "bias = mean error; std_error Newey–West (Bartlett, lags = horizon, no small-sample correction); p from the standard normal; 95% interval; statistics in floating point".into(),
            );
            let mut listing = stdout_listing(args.format, &[GROUP_COLUMNS, BIAS_COLUMNS].concat())?;
            for b in inference::bias(&scored).iter().filter(|b| shown(&b.group.source)) {
                let mut cells = group_cells(&b.group);
                cells.extend([
                    Cell::Number(b.estimate),
                    float(Some(b.std_error)),
                    float(b.t_statistic),
                    float(b.p_value),
                    float(Some(b.ci_lower)),
                    float(Some(b.ci_upper)),
                ]);
                listing.row(cells)?;
            }
            finish(listing, notes)
        }
        Some(EvalTest::Dm) => {
            let against = against.clone().unwrap_or_default();
            notes.push(format!(
                "Diebold–Mariano against {against} on squared loss, pairs of forecasts of one target published in one period; Harvey-adjusted, p from t(n − 1); negative: the source's errors are smaller; statistics in floating point"
            ));
            let mut listing = stdout_listing(args.format, &[GROUP_COLUMNS, DM_COLUMNS].concat())?;
            for dm in inference::diebold_mariano(&scored, &against).iter().filter(|d| shown(&d.group.source)) {
                let mut cells = group_cells(&dm.group);
                cells.extend([
                    Cell::text(&dm.benchmark),
                    float(Some(dm.mean_loss_difference)),
                    float(dm.statistic),
                    float(dm.p_value),
                    Cell::opt_number(dm.rmse_ratio),
                ]);
                listing.row(cells)?;
            }
            finish(listing, notes)
        }
        Some(EvalTest::Mz) => {
            notes.push(format!(
                "Mincer–Zarnowitz: actual = intercept + slope · forecast, Newey–West covariance (lags = horizon); F of intercept 0 and slope 1, p from F(2, n − 2); groups of {MZ_MIN_OBSERVATIONS} forecasts or more; statistics in floating point"
            ));
            let mut listing = stdout_listing(args.format, &[GROUP_COLUMNS, MZ_COLUMNS].concat())?;
            for mz in inference::mincer_zarnowitz(&scored).iter().filter(|m| shown(&m.group.source)) {
                let mut cells = group_cells(&mz.group);
                cells.extend([
                    float(Some(mz.intercept)),
                    float(Some(mz.slope)),
                    float(Some(mz.intercept_se)),
                    float(Some(mz.slope_se)),
                    float(mz.f_statistic),
                    float(mz.p_value),
                ]);
                listing.row(cells)?;
            }
            finish(listing, notes)
        }
    }
}

/// Every figure of `filter` as a vintage at its point value (a range at its midpoint).
async fn vintages(store: &impl Store, filter: &FigureFilter) -> Result<Vec<Vintage>> {
    let mut vintages = Vec::new();
    store
        .each_figure(filter, crate::domain::query::FigureOrder::Key, |figure| -> Result<()> {
            vintages.push(Vintage {
                indicator: figure.indicator.to_string(),
                entity: figure.entity.to_string(),
                period: figure.period,
                source: figure.source.to_string(),
                published: figure.published,
                value: figure.quantity.point(),
            });
            Ok(())
        })
        .await?;
    Ok(vintages)
}

fn count(n: usize) -> Cell<'static> {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn group_cells(group: &Group) -> Vec<Cell<'_>> {
    vec![
        Cell::text(&group.indicator),
        Cell::text(&group.entity),
        Cell::text(&group.source),
        Cell::Int(group.horizon),
        count(group.n),
        count(group.lags),
    ]
}

fn float(value: Option<f64>) -> Cell<'static> {
    Cell::opt_float(value)
}

fn finish<W: Write>(mut listing: Listing<W>, notes: Vec<String>) -> Result<()> {
    for note in notes {
        say(&mut listing, note);
    }
    listing.finish()?;
    Ok(())
}
