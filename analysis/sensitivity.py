"""Sobol and Morris indices from evaluated samples (SALib), as a table and a plot."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
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
    """One row per output and parameter: S1, S1_conf, ST, ST_conf (Sobol) or mu_star,
    mu_star_conf, sigma (Morris). Stochastic outputs inflate the *_conf columns."""
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


def plot_indices(table: pd.DataFrame, method: str, path: Path) -> None:
    """Bars of ST and S1 (Sobol) or mu* (Morris) with confidence intervals, per output."""
    outputs = list(dict.fromkeys(table["output"]))
    fig, axes = plt.subplots(
        1,
        len(outputs),
        figsize=(4.5 * len(outputs), 0.45 * table["parameter"].nunique() + 2),
        squeeze=False,
        sharey=True,
    )
    for ax, output in zip(axes[0], outputs, strict=True):
        rows = table[table["output"] == output]
        y = np.arange(len(rows))
        if method == "sobol":
            ax.barh(y - 0.2, rows["ST"], 0.4, xerr=rows["ST_conf"], label="ST (total)")
            ax.barh(y + 0.2, rows["S1"], 0.4, xerr=rows["S1_conf"], label="S1 (first order)")
            ax.set_xlabel("Sobol index (share of output variance)")
        else:
            ax.barh(y, rows["mu_star"], 0.6, xerr=rows["mu_star_conf"], label="mu*")
            ax.set_xlabel("Morris mu* (mean absolute elementary effect, output units)")
        ax.set_yticks(y, rows["parameter"])
        ax.set_title(output, fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    axes[0][0].invert_yaxis()
    axes[0][-1].legend(fontsize=8)
    fig.suptitle(f"{method.capitalize()} sensitivity (bars: index; whiskers: 95% CI)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
