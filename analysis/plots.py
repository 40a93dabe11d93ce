"""Plots of experiment results (matplotlib, written as PNG; no screen needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd


def plot_outcomes(summary: pd.DataFrame, path: Path) -> None:
    """Key outcomes per scenario: mean and 95% CI over replications."""
    outcomes = list(dict.fromkeys(summary["outcome"]))
    fig, axes = plt.subplots(len(outcomes), 1, figsize=(8, 1.6 * len(outcomes) + 1), squeeze=False)
    for ax, outcome in zip(axes[:, 0], outcomes, strict=True):
        rows = summary[summary["outcome"] == outcome]
        y = range(len(rows))
        err = [rows["mean"] - rows["ci_low"], rows["ci_high"] - rows["mean"]]
        ax.errorbar(rows["mean"], y, xerr=err, fmt="o", capsize=3)
        ax.set_yticks(list(y), rows["scenario"])
        ax.set_title(rows["label"].iloc[0], fontsize=9, loc="left")
        ax.set_xlabel("share (0-1)" if "per_year" not in outcome else "per year", fontsize=8)
        ax.invert_yaxis()
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle("Key outcomes by scenario (mean and 95% CI over replications)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_weekly(
    weeks: pd.DataFrame, runs: pd.DataFrame, column: str, label: str, path: Path
) -> None:
    """A weekly share over time per scenario: mean over replications, min-max band."""
    data = weeks.merge(runs[["run_id", "scenario"]], on="run_id")
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for scenario, rows in data.groupby("scenario", sort=False):
        by_week = rows.groupby("week")[column]
        mean, low, high = by_week.mean(), by_week.min(), by_week.max()
        ax.plot(mean.index, mean.to_numpy(), label=scenario)
        ax.fill_between(mean.index, low.to_numpy(), high.to_numpy(), alpha=0.15)
    ax.set_title(f"{label}: share of released people, by scenario", fontsize=11)
    ax.text(
        0.01,
        0.01,
        "line: mean of replications; band: min-max",
        transform=ax.transAxes,
        fontsize=8,
        alpha=0.7,
    )
    ax.set_xlabel("model week (cohort: weeks since release)")
    ax.set_ylabel(f"{label} (share 0-1)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
