"""Sobol and Morris indices from evaluated samples (SALib), as a table and a plot.

Every index comes with its bootstrap 95% confidence interval: SALib's ``*_conf`` is the
half-width 1.96 x the bootstrap standard deviation (100 resamples), so the interval is
index +- conf, written out as ``*_low`` and ``*_high``. Nothing is clipped: a Sobol index
below 0 or above 1 is a symptom of too few samples and stays in the table, flagged in the
``flag`` column; :func:`stability_warning` says whether N is too small and which N would do.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze

from .plots import plt


def point_means(runs: pd.DataFrame, outputs: list[str], n_points: int) -> pd.DataFrame:
    """Mean over replications per sample point (common random numbers across points)."""
    means = runs.groupby("point")[outputs].mean().reindex(range(n_points))
    if means.isna().any().any():
        missing = means.index[means.isna().any(axis=1)].tolist()[:5]
        raise ValueError(f"outputs missing for sample points {missing}; are all runs complete?")
    return means


def analyse(method: str, problem: dict, X: np.ndarray, Y: pd.DataFrame, seed: int) -> pd.DataFrame:
    """One row per output and parameter: S1, S1_conf, S1_low, S1_high, ST, ST_conf, ST_low,
    ST_high (Sobol) or mu_star, mu_star_conf, mu_star_low, mu_star_high, sigma (Morris), and
    ``flag`` (see :func:`flags`). ``*_conf`` is SALib's bootstrap 95% half-width and
    low/high = index -+ conf, unclipped. Stochastic outputs inflate the *_conf columns."""
    table = _indices(method, problem, X, Y, seed)
    for index in ("S1", "ST") if method == "sobol" else ("mu_star",):
        at = table.columns.get_loc(f"{index}_conf") + 1
        table.insert(at, f"{index}_low", table[index] - table[f"{index}_conf"])
        table.insert(at + 1, f"{index}_high", table[index] + table[f"{index}_conf"])
    table["flag"] = flags(table, method)
    return table


# The rule for "N too small" (also in docs/researchers.md, section 4).
SOBOL_MAX_HALF_WIDTH = 0.1  # largest acceptable 95% CI half-width of S1 or ST
SOBOL_SLACK = 0.05  # S1 below -0.05 or ST above 1.05 cannot be sampling noise around 0 or 1
MORRIS_MAX_RELATIVE = 0.5  # largest acceptable mu_star_conf / mu_star ...
MORRIS_INFLUENTIAL = 0.1  # ... among parameters with mu* >= 0.1 x the output's largest mu*


def _influential(table: pd.DataFrame) -> pd.Series:
    """Morris: the parameters whose mu* is at least 10% of their output's largest mu*."""
    top = table.groupby("output")["mu_star"].transform("max")
    return (top > 0) & (table["mu_star"] >= MORRIS_INFLUENTIAL * top)


def flags(table: pd.DataFrame, method: str) -> pd.Series:
    """Per row, why an index should not be read as it stands ("" when nothing is wrong).

    Sobol: "S1 < 0", "ST > 1" and the like (an index outside [0, 1], which only sampling
    error produces), "CI > 0.1" (a 95% half-width above 0.1). Morris: "CI > 0.5 mu*" for an
    influential parameter. "undefined" when the output does not vary.
    """
    influential = _influential(table) if method == "morris" else None
    out = []
    for i, row in table.iterrows():
        reasons = []
        if method == "sobol":
            if np.isnan(row["S1"]) or np.isnan(row["ST"]):
                reasons.append("undefined (output does not vary)")
            for index in ("S1", "ST"):
                if row[index] < 0:
                    reasons.append(f"{index} < 0")
                if row[index] > 1:
                    reasons.append(f"{index} > 1")
            if np.fmax(row["S1_conf"], row["ST_conf"]) > SOBOL_MAX_HALF_WIDTH:  # NaN-safe
                reasons.append(f"CI > {SOBOL_MAX_HALF_WIDTH:g}")
        else:
            if np.isnan(row["mu_star"]):
                reasons.append("undefined (output does not vary)")
            if influential[i] and row["mu_star_conf"] > MORRIS_MAX_RELATIVE * row["mu_star"]:
                reasons.append(f"CI > {MORRIS_MAX_RELATIVE:g} mu*")
        out.append("; ".join(reasons))
    return pd.Series(out, index=table.index, dtype=object)


def _next_power_of_2(x: float) -> int:
    return 1 << max(0, math.ceil(math.log2(max(x, 1.0))))


def stability_warning(table: pd.DataFrame, method: str, n: int) -> str | None:
    """A one-line warning when ``samples = n`` is too small for stable indices, else None.

    The rule. Sobol: the indices are unstable when any 95% CI half-width (S1_conf, ST_conf)
    exceeds 0.1, or any index (S1 or ST) lies below -0.05 or above 1.05. Half-widths shrink
    like 1/sqrt(N), so the N needed is N x (e / 0.1)^2, rounded up to a power of 2 and at
    least 2N, where e is the largest half-width or, if larger, the distance of an index
    outside [0, 1] (its error is at least that). Morris: mu* is unstable when, for an
    influential parameter (mu* at least 10% of its output's largest mu*), mu_star_conf /
    mu_star exceeds 0.5; the N needed is N x (largest ratio / 0.5)^2, rounded up.
    Indices that are undefined (an output that does not vary) are left out.
    """

    def finite(columns: list[str]) -> np.ndarray:
        values = table[columns].to_numpy(float).ravel()
        return values[np.isfinite(values)]

    d = table["parameter"].nunique()
    if method == "sobol":
        halves, indices = finite(["S1_conf", "ST_conf"]), finite(["S1", "ST"])
        half = float(halves.max(initial=0.0))
        low, high = float(indices.min(initial=0.0)), float(indices.max(initial=1.0))
        if half <= SOBOL_MAX_HALF_WIDTH and low >= -SOBOL_SLACK and high <= 1 + SOBOL_SLACK:
            return None
        error = max(half, -low, high - 1)
        needed = max(2 * n, _next_power_of_2(n * (error / SOBOL_MAX_HALF_WIDTH) ** 2))
        span = (
            f"{float(indices.min()):.2f} to {float(indices.max()):.2f}" if indices.size else "none"
        )
        return (
            f"N = {n} is too small for stable Sobol indices: largest 95% CI half-width "
            f"{half:.2f} (rule: at most {SOBOL_MAX_HALF_WIDTH:g}), indices from {span} "
            f"(rule: within [{-SOBOL_SLACK:g}, {1 + SOBOL_SLACK:g}]); half-widths shrink like "
            f"1/sqrt(N), so use samples = {needed} or more ({needed * (d + 2)} points per "
            "replication)"
        )
    top = _influential(table)
    ratio = (table["mu_star_conf"] / table["mu_star"])[top].to_numpy(float)
    worst = np.nanmax(ratio, initial=0.0)
    if worst <= MORRIS_MAX_RELATIVE:
        return None
    needed = math.ceil(n * (worst / MORRIS_MAX_RELATIVE) ** 2)
    return (
        f"N = {n} is too small for stable Morris mu*: an influential parameter's 95% CI "
        f"half-width is {worst:.2f} x its mu* (rule: at most {MORRIS_MAX_RELATIVE:g}); "
        f"half-widths shrink like 1/sqrt(N), so use samples = {needed} or more "
        f"({needed} trajectories, {needed * (d + 1)} points per replication)"
    )


def _indices(method: str, problem: dict, X: np.ndarray, Y: pd.DataFrame, seed: int) -> pd.DataFrame:
    rows = []
    for output in Y.columns:
        y = Y[output].to_numpy(dtype=float)
        if method == "sobol":
            res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
            keys = ("S1", "S1_conf", "ST", "ST_conf")
        else:
            res = morris_analyze.analyze(problem, X, y, seed=seed)
            keys = ("mu_star", "mu_star_conf", "sigma")
        for i, name in enumerate(problem["names"]):
            rows.append(
                {
                    "output": output,
                    "parameter": name,
                    **{k: float(np.asarray(res[k])[i]) for k in keys},
                }
            )
    return pd.DataFrame(rows)


def plot_indices(table: pd.DataFrame, method: str, path: Path, warning: str | None = None) -> None:
    """Bars of ST and S1 (Sobol) or mu* (Morris) with bootstrap 95% CIs, per output.

    Nothing is clipped: a Sobol index outside [0, 1] (dotted lines) shows as it is. Rows with
    a ``flag`` get a red "!" on the right; ``warning`` (N too small) is printed under the plot.
    """
    import textwrap

    outputs = list(dict.fromkeys(table["output"]))
    n_params = table["parameter"].nunique()
    fig, axes = plt.subplots(
        1,
        len(outputs),
        figsize=(max(7.0, 5.5 * len(outputs)), 0.45 * n_params + 2.6 + (0.5 if warning else 0)),
        squeeze=False,
        sharey=True,
    )
    flagged = table["flag"].astype(bool) if "flag" in table else pd.Series(False, table.index)
    for ax, output in zip(axes[0], outputs, strict=True):
        rows = table[table["output"] == output]
        y = np.arange(len(rows))
        if method == "sobol":
            ax.barh(y - 0.2, rows["ST"], 0.4, xerr=rows["ST_conf"], label="ST (total)")
            ax.barh(y + 0.2, rows["S1"], 0.4, xerr=rows["S1_conf"], label="S1 (first order)")
            for edge in (0, 1):
                ax.axvline(edge, color="grey", linestyle=":", linewidth=1)
            ax.set_xlabel("Sobol index (share of output variance)\nwhiskers: bootstrap 95% CI")
        else:
            ax.barh(y, rows["mu_star"], 0.6, xerr=rows["mu_star_conf"], label="mu*")
            ax.set_xlabel(
                "Morris mu* (mean absolute elementary effect,\noutput units); "
                "whiskers: bootstrap 95% CI"
            )
        for yi in y[flagged[rows.index].to_numpy()]:
            ax.text(
                1.01,
                yi,
                "!",
                color="red",
                fontweight="bold",
                va="center",
                transform=ax.get_yaxis_transform(),
                clip_on=False,
            )
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.set_yticks(y, rows["parameter"])
        ax.set_title(output, fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    axes[0][0].invert_yaxis()
    axes[0][-1].legend(fontsize=8)
    title = f"{method.capitalize()} sensitivity (bars: index; whiskers: bootstrap 95% CI)"
    if flagged.any():
        why = "index outside [0, 1] or CI too wide" if method == "sobol" else "CI too wide"
        title += f"\n! = flagged in the table ({why})"
    fig.suptitle(title, fontsize=11)
    rect = (0, 0, 1, 1)
    if warning:
        width, height = fig.get_size_inches()
        text = textwrap.fill("Warning: " + warning, int(16 * width))  # about 16 chars an inch
        fig.text(0.01, 0.01, text, color="darkred", fontsize=8, va="bottom")
        rect = (0, min(0.4, (0.15 * (text.count("\n") + 1) + 0.1) / height), 1, 1)
    fig.tight_layout(rect=rect)
    fig.savefig(path, dpi=110)
    plt.close(fig)
