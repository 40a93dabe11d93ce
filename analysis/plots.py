"""The figures of an experiment (matplotlib, written as PNG; no screen needed).

Every figure takes the run table and, where it draws time series, the weekly
table of an experiment, plus the name of the run column that groups runs into
lines (``scenario`` for a comparison). Lines are means over replications; bands
and whiskers are 95% intervals of that mean that respect the quantity's bounds
(:mod:`analysis.intervals`), so they shrink with more replications (one
replication draws no band). A figure made from fewer than 5 replications says so
in its title.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from model.parameters import SERVICES
from model.population import LENGTH_GROUPS, TYPOLOGY

from .intervals import FEW, FEW_WARNING, band, bounds_of, mean_interval
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


def _with_group(weeks: pd.DataFrame, runs: pd.DataFrame, group: str) -> pd.DataFrame:
    """The weekly rows with each run's group (the runs' own column wins over the weeks')."""
    return weeks.drop(columns=[group], errors="ignore").merge(runs[["run_id", group]], on="run_id")


def _title(title: str, runs: pd.DataFrame, group: str) -> str:
    """The figure's title, with a warning when any line rests on few replications."""
    few = runs.groupby(group, sort=False).size().min() < FEW
    return f"{title}\nWarning: {FEW_WARNING}" if few else title


def _save(fig: plt.Figure, path: Path, title: str) -> None:
    fig.suptitle(title, color="black")
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
    ax.fill_between(s.index, s["low"], s["high"], alpha=0.18, color=colour, lw=0)


def _errors(m: np.ndarray) -> np.ndarray:
    """Whisker lengths below and above each mean, from rows of (mean, low, high)."""
    return np.nan_to_num(np.vstack([m[:, 0] - m[:, 1], m[:, 2] - m[:, 0]]))


def _interval(rows: pd.DataFrame, column: str) -> tuple[float, float, float]:
    values = rows[column] if column in rows else pd.Series(dtype=float)
    return mean_interval(values, bounds_of(column))


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
                _band(ax, band(rows, "week", column), str(name), f"C{i}")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(unit)
        ax.grid(alpha=0.3)


def plot_steady_state(weeks: pd.DataFrame, runs: pd.DataFrame, group: str, path: Path) -> None:
    """Stocks and queues over the whole run, warm-up shaded: is the system steady?"""
    data = _with_group(weeks, runs, group)
    waiting = [f"waiting_{s}" for s in SERVICES if f"waiting_{s}" in data]
    data["waiting_all"] = data[waiting].sum(axis=1) if waiting else np.nan
    fig, axes = plt.subplots(1, len(STEADY_STATE_SERIES), figsize=(20, 4))
    xlabel = "model week (measured from 0)"
    _weekly_panels(axes, data, runs, group, STEADY_STATE_SERIES, xlabel, shade=True)
    for ax in axes:
        ax.set_ylim(bottom=0)
    _legend(axes[0], loc="lower right")
    _save(
        fig,
        path,
        _title("The system over the whole run: stocks and queues (mean, 95% CI)", runs, group),
    )


def plot_outcomes(summary: pd.DataFrame, path: Path) -> None:
    """A forest plot: each scenario's paired difference from the reference, with its 95% CI.

    Shares are on one shared axis in percentage points, so that gaps compare across
    outcomes; other outcomes (rates) get a panel of their own.
    """
    others = summary[summary["diff"].notna()]
    reference = summary.loc[summary["diff"].isna(), "scenario"].iloc[0]
    panels = [
        (rows, share) for share in (True, False) if len(rows := others[others["share"] == share])
    ]
    heights = [rows["label"].nunique() for rows, _ in panels] or [1]
    fig, axes = plt.subplots(
        len(panels) or 1, 1, figsize=(9, 0.45 * sum(heights) + 1.8 + len(panels)),
        gridspec_kw={"height_ratios": heights}, squeeze=False,
    )  # fmt: skip
    scenarios = list(dict.fromkeys(others["scenario"]))
    for ax, (rows, share) in zip(axes[:, 0], panels, strict=False):
        scale = 100 if share else 1
        labels = list(dict.fromkeys(rows["label"]))
        offsets = np.linspace(-0.3, 0.3, len(scenarios)) if len(scenarios) > 1 else [0.0]
        for i, (scenario, offset) in enumerate(zip(scenarios, offsets, strict=True)):
            mine = rows[rows["scenario"] == scenario]
            y = np.array([labels.index(lab) for lab in mine["label"]]) + offset
            m = mine[["diff", "diff_ci_low", "diff_ci_high"]].to_numpy() * scale
            ax.errorbar(m[:, 0], y, xerr=_errors(m), fmt="o", ms=4, capsize=2, color=f"C{i + 1}",
                        label=scenario)  # fmt: skip
        ax.axvline(0, color="0.3", lw=0.8)
        ax.set_yticks(np.arange(len(labels)), labels, fontsize=8)
        ax.invert_yaxis()
        ax.grid(axis="x", alpha=0.3)
        ax.set_xlabel(
            f"difference from {reference}, percentage points" if share
            else f"difference from {reference}"
        )  # fmt: skip
    _legend(axes[0, 0], loc="lower right")
    few = (summary["n"] < FEW).any()
    title = f"Paired differences from {reference} (mean and 95% CI over replications)"
    _save(fig, path, f"{title}\nWarning: {FEW_WARNING}" if few else title)


def plot_conditions(
    weeks: pd.DataFrame, runs: pd.DataFrame, group: str, mode: str, path: Path
) -> None:
    """Stability and each basic condition over the weeks, one line per group."""
    data = _with_group(weeks, runs, group)
    columns = [c for c in CONDITIONS if c in data.columns]
    ncols = 4
    nrows = -(-len(columns) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(16, 3.4 * nrows), squeeze=False)
    for ax, column in zip(axes.flat, columns, strict=False):
        if mode == "flow":
            _shade_warmup(ax, data["week"])
        for i, name in enumerate(_groups(runs, group)):
            _band(ax, band(data[data[group] == name], "week", column), str(name), f"C{i}")
        ax.set_title(CONDITIONS[column], fontsize=10)
        ax.set_xlabel("weeks since release" if mode == "cohort" else "model week")
        ax.set_ylabel("share of released people (0-1)")
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(columns) :]:
        ax.set_visible(False)
    _legend(axes.flat[0])
    _save(
        fig,
        path,
        _title(
            "Basic conditions over time (line: mean; band: 95% CI over replications)", runs, group
        ),
    )


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
            [_interval(rows, c) for c in columns.values()],
            index=list(columns),
            columns=["mean", "low", "high"],
        ).dropna(subset=["mean"])
        _band(ax, s, str(name), f"C{i}")
    ax.set_xlabel("weeks since release")
    ax.set_ylabel("share without a new offence (0-1)")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    _legend(ax)
    _save(
        fig,
        path,
        _title("Survival to the first new offence (Kaplan-Meier; mean, 95% CI)", runs, group),
    )


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
        m = np.array([_interval(rows, t["outcome"]) for t in chosen])
        ax.errorbar(m[:, 0], y + off, xerr=_errors(m), fmt="o", ms=4, capsize=2, label=str(name))
    ax.set_yticks(y, [t["name"] for t in chosen], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of release events (0-1)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    _save(
        fig,
        path,
        _title(
            "Shares at release, 3 and 6 months: model against targets (Leiden study)", runs, group
        ),
    )


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
        m = np.array([_interval(rows, column(lab)) for lab in labels])
        if np.isnan(m[:, 0]).all():
            continue  # nothing recorded for this group (no programme): no bar, no legend entry
        offset = (i - (len(names) - 1) / 2) * width
        ax.bar(x + offset, m[:, 0], width, yerr=_errors(m), label=name, color=f"C{i}")
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
    _save(
        fig,
        path,
        _title("Services after release: waiting times and abandonment (mean, 95% CI)", runs, group),
    )


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
    _save(
        fig,
        path,
        _title("Who gains: outcomes by typology and detention length (mean, 95% CI)", runs, group),
    )


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
    data = _with_group(weeks, runs, group)
    data = data[data["week"] >= -26] if mode == "cohort" else data
    fig, axes = plt.subplots(1, 4, figsize=(17, 4))
    xlabel = "weeks since release" if mode == "cohort" else "model week"
    _weekly_panels(axes[:3], data, runs, group, BUDDY_SERIES, xlabel, shade=mode == "flow")
    _grouped_bars(axes[3], runs, group, ["buddy"], lambda _: "buddy_turnover_per_year")
    axes[3].set_xticks([])
    axes[3].set_xlabel("scenario (colours as in the legend)")
    axes[3].set_title("Buddy turnover", fontsize=10)
    axes[3].set_ylabel("exits per active buddy per year")
    if axes[3].get_legend_handles_labels()[0]:  # beside the panel, clear of its whiskers
        axes[3].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1))
    _save(
        fig,
        path,
        _title(
            "Buddy programme (mean, 95% CI; groups without a programme draw nothing)", runs, group
        ),
    )


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


def plot_sweep(runs: pd.DataFrame, outputs: list[str], path: Path) -> bool:
    """Each output against the swept parameters: a line for one, a heat map for a grid of
    two, and scatters against each parameter otherwise. Returns False when nothing varied."""
    params = [c for c in runs.columns if c.startswith("param_") and runs[c].nunique() > 1]
    outputs = [o for o in outputs if o in runs and runs[o].notna().any()]
    if not params or not outputs:
        return False
    points = runs.groupby(params, dropna=False)
    grid2 = len(params) == 2 and all(runs[p].nunique() <= 12 for p in params)
    if len(params) == 1 or grid2:
        fig, axes = plt.subplots(1, len(outputs), figsize=(5 * len(outputs), 4), squeeze=False)
        for ax, output in zip(axes[0], outputs, strict=True):
            if grid2:
                table = points[output].mean().unstack(params[1])
                image = ax.imshow(table.to_numpy(dtype=float), aspect="auto", cmap="viridis")
                ax.set_xticks(range(table.shape[1]), [str(v) for v in table.columns])
                ax.set_yticks(range(table.shape[0]), [str(v) for v in table.index])
                ax.set_xlabel(params[1].removeprefix("param_"))
                ax.set_ylabel(params[0].removeprefix("param_"))
                for (i, j), v in np.ndenumerate(table.to_numpy(dtype=float)):
                    ax.text(j, i, f"{v:.3g}", ha="center", va="center", fontsize=7, color="w")
                fig.colorbar(image, ax=ax, shrink=0.8)
            else:
                x = params[0]
                s = pd.DataFrame(
                    [(key, *mean_interval(g[output], bounds_of(output)))
                     for key, g in runs.groupby(x, sort=True)],
                    columns=[x, "mean", "low", "high"],
                )  # fmt: skip
                pos = np.arange(len(s))
                ax.errorbar(pos, s["mean"], yerr=_errors(s[["mean", "low", "high"]].to_numpy()),
                            fmt="o-", capsize=3)  # fmt: skip
                ax.set_xticks(pos, [f"{v:.3g}" if isinstance(v, float) else str(v) for v in s[x]])
                ax.set_xlabel(x.removeprefix("param_"))
                ax.grid(alpha=0.3)
            ax.set_title(output, fontsize=10)
    else:
        shown = params[:6]
        fig, axes = plt.subplots(len(outputs), len(shown), squeeze=False,
                                 figsize=(3.2 * len(shown), 2.8 * len(outputs)))  # fmt: skip
        means = points[outputs].mean().reset_index()
        for r, output in enumerate(outputs):
            for c, param in enumerate(shown):
                ax = axes[r, c]
                ax.scatter(means[param], means[output], s=8, alpha=0.6)
                ax.set_xlabel(param.removeprefix("param_"), fontsize=8)
                ax.set_ylabel(output if c == 0 else "", fontsize=8)
                ax.grid(alpha=0.3)
    title = "Outputs against the swept parameters (mean over replications"
    _save(fig, path, _title(title + ("; 95% CI)" if len(params) == 1 else ")"), runs, "point"))
    return True
