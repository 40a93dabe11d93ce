"""Paired comparison of scenarios on common random numbers.

Replication r of every scenario uses the same seed, so the difference between
two scenarios in replication r is free of most of the noise the two runs
share. Levels get an interval that respects their bounds (a Wilson interval for
shares), differences the t-interval of the paired differences
(:mod:`analysis.intervals`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .intervals import FEW, FEW_WARNING, UNIT, bounds_of, difference_interval, mean_interval

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


def paired_summary(runs: pd.DataFrame, scenarios: list[str]) -> pd.DataFrame:
    """One row per scenario and outcome: mean (with CI) and paired difference from the first.

    The first scenario is the reference: its difference columns are empty, not zero.
    """
    reference = runs[runs["scenario"] == scenarios[0]].set_index("replication")
    rows = []
    for scenario in scenarios:
        mine = runs[runs["scenario"] == scenario].set_index("replication")
        for outcome, label in KEY_OUTCOMES.items():
            if outcome not in mine or mine[outcome].isna().all():
                continue
            x = mine[outcome].astype(float)
            bounds = bounds_of(outcome)
            mean, low, high = mean_interval(x.to_numpy(), bounds)
            ref = (
                reference[outcome].astype(float).reindex(x.index) if outcome in reference else None
            )
            if scenario == scenarios[0] or ref is None:
                d_mean = d_low = d_high = np.nan
            else:
                d_mean, d_low, d_high = difference_interval((x - ref).to_numpy(), bounds)
            n = int(x.notna().sum())
            rows.append(
                {
                    "scenario": scenario,
                    "outcome": outcome,
                    "label": label,
                    "share": bounds == UNIT,
                    "n": n,
                    "mean": mean,
                    "ci_low": low,
                    "ci_high": high,
                    "diff": d_mean,
                    "diff_ci_low": d_low,
                    "diff_ci_high": d_high,
                    "warning": FEW_WARNING if n < FEW else "",
                }
            )
    return pd.DataFrame(rows)


def _value(x: float, share: bool, sign: str = "") -> str:
    """A share as a percentage (a difference in percentage points), anything else as is."""
    return f"{100 * x:{sign}.1f}" if share else f"{x:{sign}.3f}"


def format_table(summary: pd.DataFrame, reference: str) -> str:
    """The key outcomes as a readable table: shares in %, differences from the reference in
    percentage points (pp) with their 95% CI, as ``reentry run`` prints them."""
    lines = [f"{'outcome':<32}{'scenario':<22}{'mean':>8}  {'diff vs ' + reference:<30}"]
    for _, rows in summary.groupby("outcome", sort=False):
        for i, (_, r) in enumerate(rows.iterrows()):
            share = bool(r["share"])
            unit = "pp" if share else ""
            if r["scenario"] == reference:
                diff = "(reference)"
            elif np.isnan(r["diff"]):
                diff = "-"
            elif np.isnan(r["diff_ci_low"]):
                diff = f"{_value(r['diff'], share, '+')} {unit}"
            else:
                low, high = (_value(r[k], share, "+") for k in ("diff_ci_low", "diff_ci_high"))
                diff = f"{_value(r['diff'], share, '+')} {unit} [{low}, {high}]"
            label = r["label"] if i == 0 else ""
            mean = f"{_value(r['mean'], share)}{'%' if share else ''}"
            lines.append(f"{label:<32}{r['scenario']:<22}{mean:>8}  {diff}")
    if (summary["n"] < FEW).any():
        lines.append(f"\nWarning: {FEW_WARNING} (n = {summary['n'].min()}).")
    return "\n".join(lines)
