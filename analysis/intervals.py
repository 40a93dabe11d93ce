"""Confidence intervals over replications that respect what a quantity can be.

Experiments have few replications (often 2 to 10), and a t-interval of a share over
three runs can run from -3 to +3.5. So:

* **Shares** (in [0, 1]) get a Wilson score interval with an effective sample size:
  the replications' spread gives the standard error of the mean, and the Wilson
  interval of a proportion with that standard error (n_eff = p(1 - p) / se^2, with
  Student's t for z) stays inside [0, 1] and is about the t-interval in the middle
  (Korn & Graubard 1998).
* **Counts, waits and rates** (at least 0) get the t-interval, cut at 0.
* **Paired differences** get the t-interval of the per-replication differences, cut
  at the widest difference the quantity allows (+-1 for shares).

One replication gives no interval (NaN). With fewer than :data:`FEW` replications an
interval is rough, and every table and figure made from them says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

FEW = 5
"""Below this many replications a table or figure carries a warning."""
FEW_WARNING = f"fewer than {FEW} replications: intervals are rough"
UNIT = (0.0, 1.0)
NON_NEGATIVE = (0.0, np.inf)
_SHARE_PREFIXES = (
    "share_", "inside_share_", "mean_", "survival_no_offence_", "abandonment_", "at_release_",
    "month3_", "month6_", "month12_", "month24_", "contacts_within_", "reach_",
)  # fmt: skip
_SHARES = {
    "stability_index", "buddy_utilisation", "regime_plus_share", "reconviction_2y",
    "redetention_2y", "offence_2y", "stable_6m", "hidden_needs_share", "prior_detention_share",
    "hidden_needs_share_buddy_clients", "buddy_strain_mean", "advances_used", "buddy_ever_share",
    "professional_ever_share", "justice_contact_2y", "month6_stable", "release_stable",
}  # fmt: skip
_NOT_SHARES = ("_n", "_weeks", "_per_year")


def bounds_of(column: str) -> tuple[float, float]:
    """[0, 1] for a share, [0, inf) for anything else the model records."""
    if column.endswith(_NOT_SHARES) and column not in _SHARES:
        return NON_NEGATIVE
    if column in _SHARES or column.startswith(_SHARE_PREFIXES):
        return UNIT
    return NON_NEGATIVE


def _t(k: np.ndarray) -> np.ndarray:
    return stats.t.ppf(0.975, np.maximum(k - 1, 1))


def interval_from_moments(
    mean: np.ndarray, sd: np.ndarray, k: np.ndarray, bounds: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Low and high ends from the mean, sd and count of each group of replications."""
    mean, sd, k = (np.asarray(a, dtype=float) for a in (mean, sd, k))
    with np.errstate(invalid="ignore", divide="ignore"):
        se = sd / np.sqrt(k)
        z = _t(k)
        if bounds == UNIT:
            p = np.clip(mean, 0.0, 1.0)
            n = np.where(se > 0, p * (1 - p) / se**2, np.inf)
            # a share that sits at 0 or 1 in some runs but not all: keep the t half-width
            n = np.where((p * (1 - p) == 0) & (se > 0), (z / np.maximum(se, 1e-12)) ** 2, n)
            centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
            half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
            low, high = centre - half, centre + half
            low, high = np.where(se > 0, low, p), np.where(se > 0, high, p)
        else:
            low, high = mean - z * se, mean + z * se
    low = np.clip(low, bounds[0], bounds[1])
    high = np.clip(high, bounds[0], bounds[1])
    none = (k < 2) | np.isnan(mean)
    return np.where(none, np.nan, low), np.where(none, np.nan, high)


def mean_interval(values, bounds: tuple[float, float]) -> tuple[float, float, float]:
    """Mean, low and high over replications (NaN values are left out)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return np.nan, np.nan, np.nan
    sd = v.std(ddof=1) if len(v) > 1 else np.nan
    low, high = interval_from_moments(
        np.array([v.mean()]), np.array([sd]), np.array([len(v)]), bounds
    )
    return float(v.mean()), float(low[0]), float(high[0])


def difference_interval(diffs, bounds: tuple[float, float]) -> tuple[float, float, float]:
    """Mean paired difference, low and high: t over replications, cut at the widest
    difference the quantity allows."""
    width = bounds[1] - bounds[0]
    return mean_interval(diffs, (-width, width))


def band(frame: pd.DataFrame, x: str, column: str) -> pd.DataFrame:
    """Per value of ``x``: mean over runs, ``low`` and ``high`` (computed for all x at once)."""
    g = frame.groupby(x)[column].agg(["mean", "std", "count"])
    low, high = interval_from_moments(g["mean"], g["std"], g["count"], bounds_of(column))
    low = np.where(g["count"] == 1, g["mean"], low)  # one run: a line, no band
    high = np.where(g["count"] == 1, g["mean"], high)
    return pd.DataFrame({"mean": g["mean"].to_numpy(), "low": low, "high": high}, index=g.index)
