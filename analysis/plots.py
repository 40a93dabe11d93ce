"""The figures of an experiment (matplotlib, written as PNG; no screen needed).

Every figure takes the run table and, where it draws time series, the weekly
table of an experiment, plus the name of the run column that groups runs into
lines (``scenario`` for a comparison). Lines are means over replications;
bands and whiskers are 95% t-intervals of that mean, so they shrink with more
replications (one replication draws no band).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

from model.parameters import SERVICES
from model.population import LENGTH_GROUPS, TYPOLOGY

from .summary import SURVIVAL_WEEKS

CONDITIONS = {
    "share_stable": "Stable (all five basic conditions)",
    "stability_index": "Stability index (0-1)",
    "share_housing": "Housing",
    "share_income": "Income",
    "share_work": "Income from work",
    "share_valid_id": "Valid ID",
    "share_debt_unmanaged": "Debt problem without a plan",
    "share_care_met": "Care need met (of those with a need)",
}
"""Weekly columns drawn in the basic-conditions figure, with their titles."""

TARGET_STAGES = ("at_release", "month3", "month6")
EQUITY_OUTCOMES = {
    "month6_stable": "stable at 6 months",
    "justice_contact_2y": "justice contact within 2 years",
}


def mean_ci(values: pd.Series | np.ndarray) -> tuple[float, float]:
    """Mean and half-width of its 95% t-interval (0 for fewer than two values)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return np.nan, np.nan
    if len(v) < 2:
        return float(v.mean()), 0.0
    return float(v.mean()), float(stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))


def _series(frame: pd.DataFrame, x: str, column: str) -> pd.DataFrame:
    """Per value of ``x``: the mean of ``column`` over runs and its CI half-width, as
    :func:`mean_ci` gives them (computed for all weeks at once: a figure has thousands)."""
    g = frame.groupby(x)[column].agg(["mean", "std", "count"])
    n = g["count"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * g["std"].to_numpy() / np.sqrt(n)
    ci = np.where(n >= 2, half, np.where(n == 1, 0.0, np.nan))
    return pd.DataFrame({"mean": g["mean"].to_numpy(), "ci": ci}, index=g.index)


def _save(fig: plt.Figure, path: Path, title: str) -> None:
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _groups(runs: pd.DataFrame, group: str) -> list[str]:
    return list(dict.fromkeys(runs[group]))


def _legend(ax: plt.Axes, loc: str = "best") -> None:
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8, loc=loc)


def _not_recorded(ax: plt.Axes) -> None:
    """Folders written by an older version may lack a column; say so on the figure."""
    ax.text(0.5, 0.5, "not recorded in this results folder", ha="center", transform=ax.transAxes)


def _band(ax: plt.Axes, s: pd.DataFrame, label: str, colour: str) -> None:
    ax.plot(s.index, s["mean"], label=label, color=colour)
    ax.fill_between(
        s.index, s["mean"] - s["ci"], s["mean"] + s["ci"], alpha=0.18, color=colour, lw=0
    )


def _shade_warmup(ax: plt.Axes, weeks: pd.Series) -> None:
    """Grey out a flow run's warm-up (weeks below 0): simulated, never measured."""
    first = weeks.min()
    if first < 0:
        ax.axvspan(first, 0, color="0.9", lw=0, label="warm-up (not measured)")


STEADY_STATE_SERIES = {
    "detained": ("Prison population", "people detained"),
    "released": ("Community stock", "released people in the system"),
    "releases": ("Releases", "releases a week"),
    "waiting_all": ("Waiting lists outside", "people waiting, all services"),
    "buddy_waitlist": ("Buddy waiting list", "people waiting"),
}


def _weekly_panels(
    axes, data: pd.DataFrame, runs: pd.DataFrame, group: str, series: dict, xlabel: str,
    shade: bool,
) -> None:  # fmt: skip
    """One panel per weekly series: each group's mean with its 95% band, and a flow run's
    warm-up shaded when ``shade``."""
    for ax, (column, (title, unit)) in zip(axes, series.items(), strict=False):
        if shade:
            _shade_warmup(ax, data["week"])
        for i, name in enumerate(_groups(runs, group)):
            rows = data[data[group] == name]
            if column in rows and rows[column].notna().any():
                _band(ax, _series(rows, "week", column), str(name), f"C{i}")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(unit)
        ax.grid(alpha=0.3)


def plot_steady_state(weeks: pd.DataFrame, runs: pd.DataFrame, group: str, path: Path) -> None:
    """Stocks and queues over the whole run, warm-up shaded: is the system steady?"""
    data = weeks.merge(runs[["run_id", group]], on="run_id")
    waiting = [f"waiting_{s}" for s in SERVICES if f"waiting_{s}" in data]
    data["waiting_all"] = data[waiting].sum(axis=1) if waiting else np.nan
    fig, axes = plt.subplots(1, len(STEADY_STATE_SERIES), figsize=(20, 4))
    xlabel = "model week (measured from 0)"
    _weekly_panels(axes, data, runs, group, STEADY_STATE_SERIES, xlabel, shade=True)
    for ax in axes:
        ax.set_ylim(bottom=0)
    _legend(axes[0], loc="lower right")
    _save(fig, path, "The system over the whole run: stocks and queues (mean, 95% CI)")


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
    _save(fig, path, "Key outcomes by scenario (mean and 95% CI over replications)")


def plot_conditions(
    weeks: pd.DataFrame, runs: pd.DataFrame, group: str, mode: str, path: Path
) -> None:
    """Stability and each basic condition over the weeks, one line per group."""
    data = weeks.merge(runs[["run_id", group]], on="run_id")
    columns = [c for c in CONDITIONS if c in data.columns]
    ncols = 4
    nrows = -(-len(columns) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(16, 3.4 * nrows), squeeze=False)
    for ax, column in zip(axes.flat, columns, strict=False):
        if mode == "flow":
            _shade_warmup(ax, data["week"])
        for i, name in enumerate(_groups(runs, group)):
            _band(ax, _series(data[data[group] == name], "week", column), str(name), f"C{i}")
        ax.set_title(CONDITIONS[column], fontsize=10)
        ax.set_xlabel("weeks since release" if mode == "cohort" else "model week")
        ax.set_ylabel("share of released people (0-1)")
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(columns) :]:
        ax.set_visible(False)
    _legend(axes.flat[0])
    _save(fig, path, "Basic conditions over time (line: mean; band: 95% CI over replications)")


def plot_survival(runs: pd.DataFrame, group: str, path: Path) -> None:
    """Kaplan-Meier share of release events without a new offence, per group."""
    columns = {
        w: f"survival_no_offence_w{w:03d}"
        for w in SURVIVAL_WEEKS
        if f"survival_no_offence_w{w:03d}" in runs
    }
    fig, ax = plt.subplots(figsize=(8, 4.5))
    if not columns:
        _not_recorded(ax)
    for i, name in enumerate(_groups(runs, group) if columns else []):
        rows = runs[runs[group] == name]
        s = pd.DataFrame(
            [mean_ci(rows[c]) for c in columns.values()],
            index=list(columns),
            columns=["mean", "ci"],
        ).dropna()
        _band(ax, s, str(name), f"C{i}")
    ax.set_xlabel("weeks since release")
    ax.set_ylabel("share without a new offence (0-1)")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    _legend(ax)
    _save(fig, path, "Survival to the first new offence (Kaplan-Meier; mean, 95% CI)")


def plot_targets(runs: pd.DataFrame, group: str, targets: list[dict], path: Path) -> None:
    """Model shares at release, 3 and 6 months against the Leiden targets.

    Grey bars span target ± tolerance; dots are the model per group with 95% CI.
    """
    chosen = [t for t in targets if t["outcome"].split("_")[0] in ("at", "month3", "month6")]
    chosen = [t for t in chosen if t["outcome"] in runs.columns and "national" not in t["name"]]
    names = _groups(runs, group)
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(chosen) + 1.5))
    y = np.arange(len(chosen))
    ax.barh(
        y,
        [2 * t["tolerance"] for t in chosen],
        left=[t["value"] - t["tolerance"] for t in chosen],
        height=0.7,
        color="0.85",
        label="target ± tolerance",
    )
    ax.scatter([t["value"] for t in chosen], y, marker="|", color="k", s=200, label="target")
    offsets = np.linspace(-0.25, 0.25, len(names)) if len(names) > 1 else [0.0]
    for off, name in zip(offsets, names, strict=True):
        rows = runs[runs[group] == name]
        m = np.array([mean_ci(rows[t["outcome"]]) for t in chosen])
        ax.errorbar(m[:, 0], y + off, xerr=m[:, 1], fmt="o", ms=4, capsize=2, label=str(name))
    ax.set_yticks(y, [t["name"] for t in chosen], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of release events (0-1)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    _save(fig, path, "Shares at release, 3 and 6 months: model against targets (004, Leiden)")


def _grouped_bars(
    ax: plt.Axes,
    runs: pd.DataFrame,
    group: str,
    labels: list[str],
    column: Callable[[str], str],
) -> None:
    names = _groups(runs, group)
    width = 0.8 / len(names)
    x = np.arange(len(labels))
    for i, name in enumerate(names):
        rows = runs[runs[group] == name]
        m = np.array([mean_ci(rows.get(column(lab), pd.Series(dtype=float))) for lab in labels])
        offset = (i - (len(names) - 1) / 2) * width
        ax.bar(x + offset, m[:, 0], width, yerr=m[:, 1], label=name, color=f"C{i}")
    ax.set_xticks(x, [lab.replace("_", " ") for lab in labels], fontsize=8, rotation=20)
    ax.grid(axis="y", alpha=0.3)


def plot_waits(runs: pd.DataFrame, group: str, path: Path) -> None:
    """Mean waiting time per service (weeks from joining the list to admission)."""
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.5))
    _grouped_bars(axes[0], runs, group, list(SERVICES), lambda s: f"wait_weeks_{s}")
    for ax in axes:
        ax.set_xlabel("service after release")
    axes[0].set_ylabel("mean wait until admission (weeks)")
    axes[0].set_title("Waiting time", fontsize=10)
    _grouped_bars(axes[1], runs, group, list(SERVICES), lambda s: f"abandonment_{s}")
    axes[1].set_ylabel("share of those who joined the list (0-1)")
    axes[1].set_title("Gave up while waiting", fontsize=10)
    _legend(axes[0])
    _save(fig, path, "Services after release: waiting times and abandonment (mean, 95% CI)")


def plot_equity(runs: pd.DataFrame, group: str, path: Path) -> None:
    """Outcomes by typology and by detention length: the inverse-care pattern."""
    fig, axes = plt.subplots(2, 2, figsize=(13, 8))
    for row, (outcome, label) in enumerate(EQUITY_OUTCOMES.items()):
        for col, (levels, what) in enumerate(
            ((TYPOLOGY, "typology"), (LENGTH_GROUPS, "detention length"))
        ):
            ax = axes[row, col]
            _grouped_bars(ax, runs, group, list(levels), lambda g, o=outcome: f"{o}_{g}")
            ax.set_title(f"{label}, by {what}", fontsize=10)
            ax.set_xlabel(what)
            ax.set_ylabel("share of release events (0-1)")
    _legend(axes[0, 0])
    _save(fig, path, "Who gains: outcomes by typology and detention length (mean, 95% CI)")


BUDDY_SERIES = {
    "buddy_waitlist": ("Buddy waiting list", "people waiting"),
    "buddy_utilisation": ("Buddy utilisation", "clients / capacity (0-1)"),
    "mean_buddy_strain": ("Mean buddy strain", "strain (0-1)"),
}


def plot_buddies(
    weeks: pd.DataFrame, runs: pd.DataFrame, group: str, mode: str, path: Path
) -> None:
    """The buddy system: waiting list, utilisation, strain and turnover.

    A cohort's long detention phase is cut to the half year before release,
    when intake inside begins.
    """
    data = weeks.merge(runs[["run_id", group]], on="run_id")
    data = data[data["week"] >= -26] if mode == "cohort" else data
    fig, axes = plt.subplots(1, 4, figsize=(17, 4))
    xlabel = "weeks since release" if mode == "cohort" else "model week"
    _weekly_panels(axes[:3], data, runs, group, BUDDY_SERIES, xlabel, shade=mode == "flow")
    _grouped_bars(axes[3], runs, group, ["buddy"], lambda _: "buddy_turnover_per_year")
    axes[3].set_xticks([])
    axes[3].set_xlabel("scenario (colours as in the legend)")
    axes[3].set_title("Buddy turnover", fontsize=10)
    axes[3].set_ylabel("exits per active buddy per year")
    _legend(axes[3])
    _save(fig, path, "Buddy programme (mean, 95% CI; groups without a programme draw nothing)")


def has_buddies(runs: pd.DataFrame) -> bool:
    """Whether any run had a buddy programme (its utilisation is recorded)."""
    return "buddy_utilisation" in runs and runs["buddy_utilisation"].notna().any()


def write_figures(
    runs: pd.DataFrame,
    weeks: pd.DataFrame,
    group: str,
    mode: str,
    targets: list[dict],
    out: Path,
) -> list[tuple[str, Path]]:
    """Write the standard figure set into ``out``; return (caption, path) pairs."""
    figures = [
        ("Basic conditions over time", out / "conditions_by_week.png"),
        ("Survival to the first new offence", out / "survival.png"),
        ("Shares at release, 3 and 6 months against the targets", out / "targets.png"),
        ("Waiting times and abandonment per service", out / "waits.png"),
        ("Outcomes by typology and detention length", out / "equity.png"),
    ]
    plot_conditions(weeks, runs, group, mode, figures[0][1])
    plot_survival(runs, group, figures[1][1])
    plot_targets(runs, group, targets, figures[2][1])
    plot_waits(runs, group, figures[3][1])
    plot_equity(runs, group, figures[4][1])
    if has_buddies(runs):
        figures.append(("The buddy programme", out / "buddies.png"))
        plot_buddies(weeks, runs, group, mode, figures[-1][1])
    if mode == "flow":
        figures.append(("The system over the whole run, warm-up shaded", out / "steady_state.png"))
        plot_steady_state(weeks, runs, group, figures[-1][1])
    return figures
