"""Paired comparison of scenarios on common random numbers.

Replication r of every scenario uses the same seed, so the difference between
two scenarios in replication r is free of most of the noise the two runs
share. The 95% confidence interval of the mean difference uses Student's t
over replications.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

KEY_OUTCOMES = {
    "reconviction_2y": "justice contact within 2 years",
    "redetention_2y": "re-detention within 2 years",
    "stable_6m": "stable at 6 months",
    "month6_income": "income at 6 months",
    "month6_housing": "housing at 6 months",
    "month3_detained": "back in detention at 3 months",
    "hidden_needs_share": "hidden need-weeks",
    "buddy_utilisation": "buddy utilisation",
    "buddy_turnover_per_year": "buddy turnover per year",
}


def _ci(values: np.ndarray) -> tuple[float, float, float]:
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return np.nan, np.nan, np.nan
    mean = float(values.mean())
    if n < 2:
        return mean, np.nan, np.nan
    half = stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def paired_summary(runs: pd.DataFrame, scenarios: list[str]) -> pd.DataFrame:
    """One row per scenario and outcome: mean (with CI) and paired difference from the first."""
    reference = runs[runs["scenario"] == scenarios[0]].set_index("replication")
    rows = []
    for scenario in scenarios:
        mine = runs[runs["scenario"] == scenario].set_index("replication")
        for outcome, label in KEY_OUTCOMES.items():
            if outcome not in mine or mine[outcome].isna().all():
                continue
            x = mine[outcome].astype(float)
            mean, low, high = _ci(x.to_numpy())
            ref = (
                reference[outcome].astype(float).reindex(x.index) if outcome in reference else None
            )
            diff = (x - ref).to_numpy() if ref is not None else np.full(len(x), np.nan)
            d_mean, d_low, d_high = _ci(diff)
            rows.append(
                {
                    "scenario": scenario,
                    "outcome": outcome,
                    "label": label,
                    "n": int(x.notna().sum()),
                    "mean": mean,
                    "ci_low": low,
                    "ci_high": high,
                    "diff": d_mean,
                    "diff_ci_low": d_low,
                    "diff_ci_high": d_high,
                }
            )
    return pd.DataFrame(rows)


def format_table(summary: pd.DataFrame, reference: str) -> str:
    """The key outcomes as a readable table: mean, difference from the reference, its 95% CI."""
    lines = [f"{'outcome':<32}{'scenario':<22}{'mean':>8}  {'diff vs ' + reference:<28}"]
    for _, rows in summary.groupby("outcome", sort=False):
        for i, (_, r) in enumerate(rows.iterrows()):
            if r["scenario"] == reference:
                diff = "(reference)"
            elif np.isnan(r["diff"]):
                diff = "-"
            elif np.isnan(r["diff_ci_low"]):
                diff = f"{r['diff']:+.3f}"
            else:
                diff = f"{r['diff']:+.3f} [{r['diff_ci_low']:+.3f}, {r['diff_ci_high']:+.3f}]"
            label = r["label"] if i == 0 else ""
            lines.append(f"{label:<32}{r['scenario']:<22}{r['mean']:>8.3f}  {diff}")
    return "\n".join(lines)
