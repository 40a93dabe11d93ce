"""Is the flow in a steady state? The stationarity table and Welch's procedure.

Policy comparisons are made in a steady state: a result that changes with the
length of the run is an artefact. Two checks, used by the benchmark
``benchmarks/bench_steady_state.py``, by a test and by the report:

* **Stationarity.** After the warm-up, the yearly means of every stock and
  queue, and the outcomes of every yearly release cohort, must not drift. A
  series passes when each yearly mean lies within ±5% of the mean over all
  years, or when its linear trend's 95% confidence interval includes zero
  (noise, not drift).
* **Welch's procedure** (Law 2015, *Simulation Modeling and Analysis*, 5th ed.,
  section 9.5.1) chooses the warm-up: average each series over replications,
  smooth it with a moving average, and take the first week after which the
  smoothed series stays within a band around its later level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from model.parameters import SERVICES

WEEKS_PER_YEAR = 52
STOCKS = {
    "detained": "prison population",
    "released": "community stock (released, in the system)",
    "releases": "releases a week",
    **{f"waiting_{s}": f"waiting list: {s.replace('_', ' ')}" for s in SERVICES},
    "buddy_waitlist": "buddy waiting list",
}
"""Weekly series that must be stationary, with their labels."""
COHORT_OUTCOMES = {
    "justice_contact_2y": "2-year justice contact of the year's releases",
    "redetention_2y": "2-year re-detention of the year's releases",
    "month6_stable": "stability at 6 months of the year's releases",
}
TOLERANCE = 0.05
"""Largest relative gap of a yearly mean from the all-years mean."""


def yearly_stocks(weeks: pd.DataFrame, years: int) -> pd.DataFrame:
    """Yearly means of each stock over the first ``years`` measured years (rows: year).

    ``weeks`` may hold several runs (a ``run_id`` column): their means are pooled.
    """
    w = weeks[(weeks["week"] >= 0) & (weeks["week"] < years * WEEKS_PER_YEAR)]
    columns = [c for c in STOCKS if c in w and w[c].notna().any()]
    return w.groupby(w["week"] // WEEKS_PER_YEAR)[columns].mean()


def yearly_cohorts(releases: pd.DataFrame, years: int) -> pd.DataFrame:
    """Outcomes of the release events of each measured year (rows: year).

    Only years whose releases are followed for two years count for the 2-year outcomes;
    the others are NaN there.
    """
    r = releases[(releases["release_week"] >= 0)]
    r = r[r["release_week"] < years * WEEKS_PER_YEAR]
    columns = [c for c in COHORT_OUTCOMES if c in r]
    return r.groupby(r["release_week"] // WEEKS_PER_YEAR)[columns].mean()


def stationarity(yearly: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """One row per series: all-years mean, the largest yearly gap, the trend and a verdict."""
    rows = []
    for column in yearly.columns:
        y = yearly[column].dropna()
        mean = float(y.mean())
        gap = float((y / mean - 1).abs().max()) if mean else 0.0
        if len(y) >= 3:
            fit = stats.linregress(y.index.to_numpy(dtype=float), y.to_numpy())
            half = stats.t.ppf(0.975, len(y) - 2) * fit.stderr
            slope, low, high = fit.slope, fit.slope - half, fit.slope + half
        else:
            slope = low = high = np.nan
        within = gap <= TOLERANCE
        flat = bool(low <= 0 <= high) if not np.isnan(slope) else False
        rows.append(
            {
                "series": labels.get(column, column),
                "column": column,
                "years": len(y),
                "mean": mean,
                "largest_yearly_gap": gap,
                "trend_per_year": slope,
                "trend_ci_low": low,
                "trend_ci_high": high,
                "stationary": within or flat,
                "why": "yearly means within ±5%"
                if within
                else ("trend CI includes 0" if flat else "drifts"),
            }
        )
    return pd.DataFrame(rows)


def _why(within: bool, flat: bool) -> str:
    if within:
        return "yearly means within ±5%"
    return "trend CI includes 0" if flat else "drifts"


def steady_state_table(weeks: pd.DataFrame, releases: pd.DataFrame, years: int) -> pd.DataFrame:
    """The stationarity table of stocks and yearly release cohorts over ``years`` years."""
    return pd.concat(
        [
            stationarity(yearly_stocks(weeks, years), STOCKS),
            stationarity(yearly_cohorts(releases, years), COHORT_OUTCOMES),
        ],
        ignore_index=True,
    )


def welch_warmup(
    weeks: pd.DataFrame, window: int = 26, band: float = 0.05, min_level: float = 5.0
) -> dict[str, int]:
    """Welch's procedure: per stock, the first week after which its smoothed mean stays
    within ``band`` (relative, and at least one person) of its level over the last half
    of the run.

    ``weeks`` holds replications of one long run from its first week (a ``run_id``
    column); the result is in model weeks, relative to the start of the run. Stocks
    whose level is below ``min_level`` people are left out: a list of a person or two
    has no build-up to wait for, and its later excursions of a person are noise. The
    run must be long enough that its last half has settled.
    """
    start = int(weeks["week"].min())
    out = {}
    for column in STOCKS:
        if column not in weeks or not weeks[column].notna().any():
            continue
        mean = weeks.groupby("week")[column].mean()
        # only full windows: a half window at either end is noise, not a trend
        smooth = mean.rolling(window, center=True).mean().dropna()
        level = smooth.iloc[len(smooth) // 2 :].mean()
        if abs(level) < min_level:
            continue
        outside = np.flatnonzero(~((smooth - level).abs() <= max(band * abs(level), 1.0)))
        last = outside[-1] + 1 if len(outside) else 0
        out[column] = int(smooth.index[min(last, len(smooth) - 1)] - start)
    return out
