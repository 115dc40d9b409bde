"""Makes a quarterly data set of our own for comparing econtrack with the Bank of England's
forecast_evaluation package: outturn vintages (each a whole history, published on a
quarter's last day, revised over time) and three forecasters with gaps.

Writes OUT/econtrack/ (dimension files and values.csv for `econtrack import`) and
OUT/outturns.csv, OUT/forecasts.csv (the package's columns). Values have three decimals,
so both tools read the same numbers. Usage: python3 generate.py OUT [SEED]
"""

import calendar
import csv
import os
import random
import sys


def quarter_end(index):
    year, q = divmod(index, 4)
    month = 3 * (q + 1)
    return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def quarter_name(index):
    year, q = divmod(index, 4)
    return f"{year}-Q{q + 1}"


def main():
    out = sys.argv[1]
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 20261206)
    os.makedirs(os.path.join(out, "econtrack"), exist_ok=True)
    first_period, first_vintage, last_vintage = 4 * 2005, 4 * 2010, 4 * 2019 + 3
    # The true path: a trend with shocks.
    truth, level = {}, 100.0
    for t in range(first_period, last_vintage + 13):
        level += 0.5 + rng.gauss(0, 0.8)
        truth[t] = level
    outturns, forecasts = [], []
    for v in range(first_vintage, last_vintage + 1):
        for t in range(first_period, v):
            # Young estimates are noisier; revisions die out after three years.
            age = v - t
            noise = rng.gauss(0, 0.3) if age <= 12 else 0.0
            outturns.append((t, v, round(truth[t] + noise * max(0, 13 - age) / 13, 3)))
        for source, bias, spread, skip in (("alpha", 0.2, 0.5, 0.0), ("beta", -0.1, 0.4, 0.15), ("gamma", 0.0, 0.6, 0.1)):
            if rng.random() < skip:
                continue
            for h in range(0, 9):
                # gamma publishes no horizon 7 at all, and drops others at random.
                if source == "gamma" and (h == 7 or rng.random() < 0.1):
                    continue
                value = truth[v + h] + bias + rng.gauss(0, spread * (1 + h / 4))
                forecasts.append((source, v + h, v, h, round(value, 3)))
    with open(os.path.join(out, "outturns.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["date", "vintage_date", "variable", "frequency", "value"])
        for t, v, value in outturns:
            w.writerow([quarter_end(t), quarter_end(v), "gdp", "Q", f"{value:.3f}"])
    with open(os.path.join(out, "forecasts.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["date", "vintage_date", "variable", "source", "frequency", "forecast_horizon", "value"])
        for source, t, v, h, value in forecasts:
            w.writerow([quarter_end(t), quarter_end(v), "gdp", source, "Q", h, f"{value:.3f}"])
    e = os.path.join(out, "econtrack")
    with open(os.path.join(e, "sources.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["slug", "name", "name_zh", "kind", "url"])
        for slug in ("alpha", "beta", "gamma"):
            w.writerow([slug, f"Forecaster {slug}", "", "bank", ""])
        w.writerow(["stats-office", "Statistics office", "", "government", ""])
    with open(os.path.join(e, "indicators.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "name_zh", "unit", "description", "proxy_for"])
        w.writerow(["gdp.level", "GDP, volume index", "", "index", "A generated quarterly series", ""])
    with open(os.path.join(e, "entities.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "name_zh", "kind"])
        w.writerow(["XX", "Generated country", "", "country"])
    with open(os.path.join(e, "values.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["indicator", "entity", "period", "kind", "value", "source", "published"])
        for t, v, value in outturns:
            w.writerow(["gdp.level", "XX", quarter_name(t), "actual", f"{value:.3f}", "stats-office", quarter_end(v)])
        for source, t, v, h, value in forecasts:
            w.writerow(["gdp.level", "XX", quarter_name(t), "forecast", f"{value:.3f}", source, quarter_end(v)])
    print(f"{len(outturns)} outturn values in {last_vintage - first_vintage + 1} vintages, {len(forecasts)} forecasts")


main()
