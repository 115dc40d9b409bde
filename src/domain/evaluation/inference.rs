//! The tests on forecast errors, as the Bank of England's package runs them: the bias test
//! (errors on a constant, Newey–West standard error), Diebold–Mariano against a benchmark
//! (squared loss, Harvey–Leybourne–Newbold adjustment) and the Mincer–Zarnowitz
//! regression (outturn on forecast, joint Wald test of intercept 0 and slope 1).
//!
//! The point estimates the decimals give exactly (the mean error, the loss differentials,
//! the regression's sums) are taken in `Decimal`; the standard errors, statistics and
//! p-values are `f64` (statrs for the normal, t and F distributions). The lag of every
//! Newey–West sum is the group's horizon (the package's largest information horizon,
//! which econtrack does not store and which equals the horizon in the Bank's data).

use super::accuracy::{benchmark_index, pair_key};
use super::{Scored, round};
use crate::domain::stats::sqrt;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use statrs::distribution::{ContinuousCDF, FisherSnedecor, Normal, StudentsT};

/// The group a test runs on, as every result names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub indicator: String,
    pub entity: String,
    pub source: String,
    pub horizon: i64,
    pub n: usize,
    /// The Newey–West lag: max(0, horizon).
    pub lags: usize,
}

fn groups(rows: &[Scored]) -> impl Iterator<Item = (Group, &[Scored])> {
    rows.chunk_by(|a, b| {
        (&a.indicator, &a.entity, &a.source, a.horizon) == (&b.indicator, &b.entity, &b.source, b.horizon)
    })
    .map(|g| {
        let first = &g[0];
        let group = Group {
            indicator: first.indicator.clone(),
            entity: first.entity.clone(),
            source: first.source.clone(),
            horizon: first.horizon,
            n: g.len(),
            lags: usize::try_from(first.horizon.max(0)).unwrap_or(0),
        };
        (group, g)
    })
}

fn float(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(f64::NAN)
}

/// A finite float, else `None` (a statistic of a sample with no variance).
fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

/// The Newey–West (Bartlett) long-run sum of products of the rows of `x` (each a vector of
/// k scores): Σ_t x_t x_tᵀ + Σ_{l=1..L} (1 − l/(L+1)) Σ_t (x_t x_{t−l}ᵀ + x_{t−l} x_tᵀ),
/// without a small-sample correction (statsmodels' `S_hac_simple`).
fn newey_west<const K: usize>(x: &[[f64; K]], lags: usize) -> [[f64; K]; K] {
    let mut s = [[0.0; K]; K];
    for lag in 0..=lags.min(x.len().saturating_sub(1)) {
        let weight = 1.0 - lag as f64 / (lags as f64 + 1.0);
        for t in lag..x.len() {
            for i in 0..K {
                for j in 0..K {
                    let product = x[t][i] * x[t - lag][j];
                    if lag == 0 {
                        s[i][j] += product;
                    } else {
                        s[i][j] += weight * (product + x[t - lag][i] * x[t][j]);
                    }
                }
            }
        }
    }
    s
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bias {
    pub group: Group,
    /// The mean error (the OLS constant), exact to the evaluation's decimals.
    pub estimate: Decimal,
    pub std_error: f64,
    pub t_statistic: Option<f64>,
    /// 2·(1 − Φ(|t|)): the standard normal, as statsmodels gives for a robust covariance.
    pub p_value: Option<f64>,
    pub ci_lower: f64,
    pub ci_upper: f64,
}

/// The two-sided 95% normal quantile statsmodels' confidence interval uses.
const Z_975: f64 = 1.959_963_984_540_054;

/// One bias test per group of `rows` (sorted by group, then target).
pub fn bias(rows: &[Scored]) -> Vec<Bias> {
    let normal = Normal::standard();
    groups(rows)
        .map(|(group, g)| {
            let n = Decimal::from(g.len());
            let mean = g.iter().map(|s| s.error).sum::<Decimal>() / n;
            let residuals: Vec<[f64; 1]> = g.iter().map(|s| [float(s.error - mean)]).collect();
            let s = newey_west(&residuals, group.lags)[0][0];
            let std_error = s.sqrt() / g.len() as f64;
            let t = float(mean) / std_error;
            Bias {
                estimate: round(mean),
                std_error,
                t_statistic: finite(t),
                p_value: finite(t).map(|t| 2.0 * normal.sf(t.abs())),
                ci_lower: float(mean) - Z_975 * std_error,
                ci_upper: float(mean) + Z_975 * std_error,
                group,
            }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct DieboldMariano {
    /// The source's group; `n` counts its pairs with the benchmark.
    pub group: Group,
    pub benchmark: String,
    /// Mean of d = e² − e_benchmark²: negative when the source's errors are smaller.
    pub mean_loss_difference: f64,
    /// The Harvey-adjusted statistic; negative: the source beats the benchmark.
    pub statistic: Option<f64>,
    /// 2·F_t(n−1)(−|DM*|).
    pub p_value: Option<f64>,
    /// √(Σe² / Σe_benchmark²) over the pairs.
    pub rmse_ratio: Option<Decimal>,
}

/// Diebold–Mariano of every source against `benchmark`, per group, on squared loss. A
/// source's forecast is paired with each benchmark forecast of the same target published in
/// the same period; groups with fewer than two pairs are left out (the package's minimum).
pub fn diebold_mariano(rows: &[Scored], benchmark: &str) -> Vec<DieboldMariano> {
    let index = benchmark_index(rows, benchmark);
    groups(rows)
        .filter(|(group, _)| group.source != benchmark)
        .filter_map(|(mut group, g)| {
            let pairs: Vec<(Decimal, Decimal)> = g
                .iter()
                .flat_map(|row| index.get(&pair_key(row)).into_iter().flatten().map(move |b| (row.error, *b)))
                .collect();
            let n = pairs.len();
            if n < 2 {
                return None;
            }
            group.n = n;
            let d: Vec<Decimal> = pairs.iter().map(|(e, b)| e * e - b * b).collect();
            let mean = d.iter().sum::<Decimal>() / Decimal::from(n);
            let centred: Vec<f64> = d.iter().map(|x| float(x - mean)).collect();
            let h = group.lags + 1;
            let nf = n as f64;
            let gamma = |j: usize| (j..n).map(|t| centred[t] * centred[t - j]).sum::<f64>() / nf;
            let gammas: Vec<f64> = (0..h).map(|j| if j < n { gamma(j) } else { 0.0 }).collect();
            let mut variance = (gammas[0] + 2.0 * gammas[1..].iter().sum::<f64>()) / nf;
            if variance < 0.0 {
                variance = gammas[0] / nf;
                for (j, g) in gammas.iter().enumerate().skip(1) {
                    variance += g * 2.0 * (1.0 - j as f64 / h as f64) / nf;
                }
            }
            let mean_f = float(mean);
            let mut dm = mean_f / variance.sqrt();
            // The package's guard for (nearly) identical forecasts; absolute thresholds.
            if mean_f.abs() < 1e-6 && variance.sqrt() < 1e-6 {
                dm = 0.0;
            }
            let hf = h as f64;
            let harvey = ((nf + 1.0 - 2.0 * hf + (hf / nf) * (hf - 1.0)) / nf).sqrt();
            let statistic = finite(dm * harvey);
            let t = StudentsT::new(0.0, 1.0, nf - 1.0).ok();
            let p_value = statistic.zip(t).map(|(s, t)| 2.0 * t.cdf(-s.abs()));
            let (own, theirs): (Decimal, Decimal) =
                pairs.iter().fold((Decimal::ZERO, Decimal::ZERO), |(o, t), (e, b)| (o + e * e, t + b * b));
            Some(DieboldMariano {
                group,
                benchmark: benchmark.to_string(),
                mean_loss_difference: mean_f,
                statistic,
                p_value,
                rmse_ratio: (!theirs.is_zero()).then(|| round(sqrt(own / theirs))),
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct MincerZarnowitz {
    pub group: Group,
    pub intercept: f64,
    pub slope: f64,
    pub intercept_se: f64,
    pub slope_se: f64,
    /// Wald statistic of (intercept, slope) = (0, 1) over its 2 restrictions.
    pub f_statistic: Option<f64>,
    /// F(2, n − 2) upper tail.
    pub p_value: Option<f64>,
}

/// The fewest forecasts the package runs the regression on.
pub const MZ_MIN_OBSERVATIONS: usize = 10;

/// actual = α + β·forecast + u per group of at least [`MZ_MIN_OBSERVATIONS`], with a
/// Newey–West covariance, and the joint test of α = 0, β = 1.
pub fn mincer_zarnowitz(rows: &[Scored]) -> Vec<MincerZarnowitz> {
    groups(rows)
        .filter(|(group, _)| group.n >= MZ_MIN_OBSERVATIONS)
        .map(|(group, g)| {
            // The sums in decimals, so that large levels lose nothing before the division.
            let n = Decimal::from(g.len());
            let mean_f = g.iter().map(|s| s.forecast).sum::<Decimal>() / n;
            let mean_y = g.iter().map(|s| s.actual).sum::<Decimal>() / n;
            let sxx: Decimal = g.iter().map(|s| (s.forecast - mean_f) * (s.forecast - mean_f)).sum();
            let sxy: Decimal = g.iter().map(|s| (s.forecast - mean_f) * (s.actual - mean_y)).sum();
            let slope = if sxx.is_zero() { Decimal::ZERO } else { sxy / sxx };
            let intercept = mean_y - slope * mean_f;
            let scores: Vec<[f64; 2]> = g
                .iter()
                .map(|s| {
                    let u = float(s.actual - intercept - slope * s.forecast);
                    [u, float(s.forecast) * u]
                })
                .collect();
            let s = newey_west(&scores, group.lags);
            // (XᵀX)⁻¹ = [[Σf², −Σf], [−Σf, n]] / (n·Sxx).
            let (nf, sum_f, sum_ff) =
                (g.len() as f64, float(mean_f * n), float(g.iter().map(|s| s.forecast * s.forecast).sum::<Decimal>()));
            let det = nf * float(sxx);
            let a = [[sum_ff / det, -sum_f / det], [-sum_f / det, nf / det]];
            let v = sandwich(a, s);
            let r = [float(intercept), float(slope) - 1.0];
            let det_v = v[0][0] * v[1][1] - v[0][1] * v[1][0];
            let wald = (r[0] * r[0] * v[1][1] - 2.0 * r[0] * r[1] * v[0][1] + r[1] * r[1] * v[0][0]) / det_v;
            let f = finite(wald / 2.0);
            let dist = FisherSnedecor::new(2.0, nf - 2.0).ok();
            MincerZarnowitz {
                intercept: r[0],
                slope: float(slope),
                intercept_se: v[0][0].sqrt(),
                slope_se: v[1][1].sqrt(),
                p_value: f.zip(dist).map(|(f, dist)| dist.sf(f)),
                f_statistic: f,
                group,
            }
        })
        .collect()
}

/// A·S·Aᵀ for 2×2 matrices (A symmetric here).
fn sandwich(a: [[f64; 2]; 2], s: [[f64; 2]; 2]) -> [[f64; 2]; 2] {
    let mut as_ = [[0.0; 2]; 2];
    let mut out = [[0.0; 2]; 2];
    for i in 0..2 {
        for j in 0..2 {
            as_[i][j] = (0..2).map(|k| a[i][k] * s[k][j]).sum();
        }
    }
    for i in 0..2 {
        for j in 0..2 {
            out[i][j] = (0..2).map(|k| as_[i][k] * a[j][k]).sum();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{ErrorSign, Outturn, Vintage, score_vintages};
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    /// Forecasts of 2021-Q1.. at `horizon` by `source`, each with an outturn of 1 + error.
    fn series(source: &str, horizon: i64, forecasts: &[&str], actuals: &[&str]) -> (Vec<Vintage>, Vec<Vintage>) {
        let start = p("2021-Q1");
        let mut fs = Vec::new();
        let mut acts = Vec::new();
        for (i, (f, a)) in forecasts.iter().zip(actuals).enumerate() {
            let target = start.shifted(i as i64).unwrap();
            let published = target.shifted(-horizon).unwrap().start();
            fs.push(Vintage { period: target, published, ..vintage(source, "2021-Q1", "2021-01-01", f) });
            acts.push(Vintage {
                period: target,
                published: target.shifted(1).unwrap().end(),
                ..vintage("ons", "2021-Q1", "2021-01-01", a)
            });
        }
        (fs, acts)
    }

    #[test]
    fn bias_with_a_newey_west_lag_of_one() {
        // Errors (actual − forecast) 1, 2, 3, 6 at horizon 1: mean 3; u = −2, −1, 0, 3.
        // S = Σu² + 2·(1 − 1/2)·Σ u_t u_{t−1} = 14 + (2 + 0 + 0) = 16; se = √16 / 4 = 1;
        // t = 3; p = 2·(1 − Φ(3)) = 0.0026997960632601866.
        let (f, a) = series("a", 1, &["0", "0", "0", "0"], &["1", "2", "3", "6"]);
        let scored = score_vintages(&f, &a, Outturn::First, ErrorSign::ActualMinusForecast);
        let result = &bias(&scored)[0];
        assert_eq!((result.group.n, result.group.lags, result.estimate), (4, 1, d("3")));
        assert!(close(result.std_error, 1.0), "{}", result.std_error);
        assert!(close(result.t_statistic.unwrap(), 3.0));
        assert!(close(result.p_value.unwrap(), 0.002_699_796_063_260_186_6), "{:?}", result.p_value);
        assert!(close(result.ci_lower, 3.0 - Z_975) && close(result.ci_upper, 3.0 + Z_975));
    }

    #[test]
    fn diebold_mariano_by_hand() {
        // Horizon 0 (H = 1, no autocovariance): the source's errors 1, 1, 1, 1 and the
        // benchmark's 2, 1, 3, 2: d = −3, 0, −8, −3, mean −3.5, centred 0.5, 3.5, −4.5, 0.5,
        // γ0 = (0.25 + 12.25 + 20.25 + 0.25) / 4 = 8.25, V = 8.25 / 4 = 2.0625,
        // DM = −3.5 / √2.0625 = −2.437…; Harvey √((4 + 1 − 2 + 0) / 4) = √0.75.
        let (mut f, a) = series("a", 0, &["0", "0", "0", "0"], &["1", "1", "1", "1"]);
        let (b, _) = series("rw", 0, &["-1", "0", "-2", "-1"], &["1", "1", "1", "1"]);
        f.extend(b);
        let scored = score_vintages(&f, &a, Outturn::First, ErrorSign::ActualMinusForecast);
        let results = diebold_mariano(&scored, "rw");
        assert_eq!(results.len(), 1);
        let dm = &results[0];
        assert_eq!((dm.group.source.as_str(), dm.group.n), ("a", 4));
        let expected = -3.5 / 2.0625f64.sqrt() * 0.75f64.sqrt();
        assert!(close(dm.statistic.unwrap(), expected), "{:?} {expected}", dm.statistic);
        // DM* = −2.1105794120443453; scipy: 2 * t.cdf(-2.1105794120443453, 3) = 0.12529808665769177.
        assert!((dm.p_value.unwrap() - 0.125_298_086_657_691_77).abs() < 1e-13, "{:?}", dm.p_value);
        // √(4 / 18)
        assert_eq!(dm.rmse_ratio, Some(d("0.471404520791032")));
    }

    #[test]
    fn mincer_zarnowitz_of_a_perfect_slope_and_a_shifted_one() {
        // actual = 1 + forecast exactly: intercept 1, slope 1, residuals 0.
        let forecasts: Vec<String> = (1..=10).map(|i| i.to_string()).collect();
        let shifted: Vec<String> = (1..=10).map(|i| (i + 1).to_string()).collect();
        let fr: Vec<&str> = forecasts.iter().map(String::as_str).collect();
        let sr: Vec<&str> = shifted.iter().map(String::as_str).collect();
        let (f, a) = series("a", 0, &fr, &sr);
        let scored = score_vintages(&f, &a, Outturn::First, ErrorSign::ActualMinusForecast);
        let mz = &mincer_zarnowitz(&scored)[0];
        assert!(close(mz.intercept, 1.0) && close(mz.slope, 1.0));
        assert_eq!((mz.intercept_se, mz.slope_se), (0.0, 0.0));
        assert_eq!(mz.f_statistic, None, "no residual variance: no statistic");
        // Fewer than ten forecasts: no regression, as in the package.
        let (f, a) = series("a", 0, &fr[..9], &sr[..9]);
        assert!(mincer_zarnowitz(&score_vintages(&f, &a, Outturn::First, ErrorSign::ActualMinusForecast)).is_empty());
    }

    #[test]
    fn mincer_zarnowitz_with_noise_by_hand() {
        // forecast 1..10, actual = forecast + (+1, −1, +1, …): f̄ = 5.5, ȳ = 5.5, Sxx = 82.5,
        // Σ(f − f̄)·ε = −5 (each pair of an odd +1 and the next even −1 gives −1), so Sxy = 82.5 − 5 = 77.5; slope 77.5 / 82.5, intercept 5.5 − 5.5 · slope = 1/3.
        let forecasts: Vec<String> = (1..=10).map(|i| i.to_string()).collect();
        let actuals: Vec<String> = (1..=10).map(|i| (i + if i % 2 == 1 { 1 } else { -1 }).to_string()).collect();
        let fr: Vec<&str> = forecasts.iter().map(String::as_str).collect();
        let ar: Vec<&str> = actuals.iter().map(String::as_str).collect();
        let (f, a) = series("a", 1, &fr, &ar);
        let mz = &mincer_zarnowitz(&score_vintages(&f, &a, Outturn::First, ErrorSign::ActualMinusForecast))[0];
        assert_eq!(mz.group.lags, 1);
        assert!(close(mz.slope, 77.5 / 82.5), "{}", mz.slope);
        assert!(close(mz.intercept, 1.0 / 3.0), "{}", mz.intercept);
        // statsmodels: OLS(y, add_constant(x)).fit(cov_type="HAC", cov_kwds={"maxlags": 1})
        // and .f_test((np.eye(2), [0, 1])) give these.
        const INTERCEPT_SE: f64 = 0.300_840_573_236_142_55;
        const SLOPE_SE: f64 = 0.051_685_022_146_814_766;
        const F: f64 = 0.687_499_999_999_990_8;
        const P: f64 = 0.530_242_876_049_386_9;
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs();
        assert!(
            near(mz.intercept_se, INTERCEPT_SE) && near(mz.slope_se, SLOPE_SE),
            "{} {}",
            mz.intercept_se,
            mz.slope_se
        );
        assert!(
            near(mz.f_statistic.unwrap(), F) && near(mz.p_value.unwrap(), P),
            "{:?} {:?}",
            mz.f_statistic,
            mz.p_value
        );
    }
}
