"""Runs econtrack and the Bank of England's forecast_evaluation package on the data set
generate.py made, and checks that every group's numbers agree to 1e-9 relative.

Usage: python3 compare.py OUT ECONTRACK_BINARY
(OUT as given to generate.py; the package must be importable: pip install forecast-evaluation)
Not part of `cargo test`: it needs Python, pandas and the package.
"""

import io
import os
import subprocess
import sys
import warnings

import pandas as pd

import forecast_evaluation as fe

warnings.filterwarnings("ignore")
RELATIVE = 1e-9
RW_PACKAGE, RW_OURS = "baseline random walk model", "random-walk"

out, binary = sys.argv[1], sys.argv[2]
db = os.path.join(out, "compare.db")
if os.path.exists(db):
    os.remove(db)
subprocess.run([binary, "--db", db, "--quiet", "import", os.path.join(out, "econtrack")], check=True, capture_output=True)


def econtrack(*flags):
    args = [binary, "--db", db, "score", "--indicator", "gdp.level", "--format", "csv",
            "--error-sign", "actual-minus-forecast", *flags]
    run = subprocess.run(args, check=True, capture_output=True, text=True)
    frame = pd.read_csv(io.StringIO(run.stdout))
    frame["source"] = frame["source"].replace(RW_OURS, RW_PACKAGE)
    return frame


def package_data():
    outturns = pd.read_csv(os.path.join(out, "outturns.csv"), parse_dates=["date", "vintage_date"])
    forecasts = pd.read_csv(os.path.join(out, "forecasts.csv"), parse_dates=["date", "vintage_date"])
    data = fe.ForecastData(outturns_data=outturns, forecasts_data=forecasts)
    fe.add_random_walk_forecasts(data)
    return data


checked, failures = 0, []


def compare(name, ours, theirs, pairs, key_theirs=("unique_id", "horizon")):
    """pairs: (our column, their column); groups matched on source and horizon."""
    global checked
    # The package also scores its own growth-rate transforms (pop, yoy); econtrack scores levels.
    if "metric" in theirs.columns:
        theirs = theirs[theirs["metric"] == "levels"]
    theirs = theirs.drop(columns=["source"], errors="ignore").rename(columns={key_theirs[0]: "source"})
    merged = ours.merge(theirs, on=["source", "horizon"], how="outer", indicator=True, suffixes=("", "_pkg"))
    only = merged[merged["_merge"] != "both"]
    for _, row in only.iterrows():
        failures.append(f"{name}: group {row['source']} h{row['horizon']} only in {row['_merge']}")
    both = merged[merged["_merge"] == "both"]
    for _, row in both.iterrows():
        for mine, pkg in pairs:
            a, b = row[mine], row[pkg if pkg != mine else pkg + "_pkg"]
            checked += 1
            if pd.isna(a) and pd.isna(b):
                continue
            if isinstance(b, pd.Timestamp):
                if pd.Timestamp(a) != b:
                    failures.append(f"{name} {row['source']} h{row['horizon']} {mine}: {a} vs {b}")
                continue
            a, b = float(a), float(b)
            if abs(a - b) > RELATIVE * max(abs(a), abs(b)):
                failures.append(f"{name} {row['source']} h{row['horizon']} {mine}: {a!r} vs {b!r}")
    return len(both)


data = package_data()
summary = []
for k in (12, 2):
    for common in (True, False):
        flags = ["--by", "horizon", "--actual", f"maturity:{k}", "--benchmark", "random-walk"]
        flags += ["--common-sample"] if common else []
        ours = econtrack(*flags)
        theirs = fe.compute_accuracy_statistics(data, k=k, same_date_range=common).to_df()
        groups = compare(f"accuracy k={k} common={common}", ours, theirs, [
            ("n", "n_observations"), ("mae", "mean_abs_error"), ("rmse", "rmse"), ("rmedse", "rmedse"),
            ("first_published", "start_date"), ("last_published", "end_date")])
        summary.append(f"accuracy k={k} common sample={common}: {groups} groups")
        bias_flags = ["--test", "bias", "--actual", f"maturity:{k}", "--benchmark", "random-walk"]
        bias_flags += ["--common-sample"] if common else []
        ours = econtrack(*bias_flags)
        theirs = fe.bias_analysis(data, k=k, same_date_range=common).to_df()
        groups = compare(f"bias k={k} common={common}", ours, theirs, [
            ("n", "n_observations"), ("lags", "hac_maxlags"), ("bias", "bias_estimate"), ("std_error", "std_error"),
            ("t_statistic", "t_statistic"), ("p_value", "p_value"), ("ci_lower", "ci_lower"), ("ci_upper", "ci_upper")])
        summary.append(f"bias k={k} common sample={common}: {groups} groups")
        # The mean error of the accuracy table is the bias test's estimate.
        ours = econtrack(*flags)
        groups = compare(f"mean error k={k} common={common}", ours, theirs, [("mean_error", "bias_estimate")])
        mz_flags = ["--test", "mz", "--actual", f"maturity:{k}", "--benchmark", "random-walk"]
        mz_flags += ["--common-sample"] if common else []
        ours = econtrack(*mz_flags)
        theirs = fe.weak_efficiency_analysis(data, k=k, same_date_range=common).to_df()
        groups = compare(f"mz k={k} common={common}", ours, theirs, [
            ("n", "n_observations"), ("intercept", "constant_coef"), ("slope", "forecast_coef"),
            ("intercept_se", "constant_se"), ("slope_se", "forecast_se"), ("f_statistic", "joint_test_fstat"),
            ("p_value", "joint_test_pvalue")])
        summary.append(f"mz k={k} common sample={common}: {groups} groups")
    ours = econtrack("--test", "dm", "--benchmark", "random-walk", "--actual", f"maturity:{k}")
    theirs = fe.diebold_mariano_table(data, benchmark_model=RW_PACKAGE, k=k).to_df()
    groups = compare(f"dm k={k}", ours, theirs, [
        ("n", "n_observations"), ("dm_statistic", "dm_statistic"), ("p_value", "p_value"),
        ("rmse_ratio", "rmse_ratio"), ("lags", "hac_maxlags")])
    summary.append(f"dm k={k}: {groups} groups")
    # On the common sample, relative_rmse is the DM table's rmse_ratio.
    ours = econtrack("--by", "horizon", "--actual", f"maturity:{k}", "--benchmark", "random-walk", "--common-sample")
    ours = ours[ours["source"] != RW_PACKAGE]
    compare(f"relative rmse k={k}", ours, theirs, [("relative_rmse", "rmse_ratio")])

print("\n".join(summary))
print(f"{checked} numbers compared, tolerance {RELATIVE} relative")
if failures:
    print(f"{len(failures)} differ:")
    print("\n".join(failures[:40]))
    sys.exit(1)
print("all equal")
