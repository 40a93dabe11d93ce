"""Figures of a funding comparison: the cost-effectiveness plane, the acceptability
curve and benefits and costs by payer (matplotlib, written as PNG)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .benefit_cost import PAYERS

PAYER_LABELS = {
    "justice": "Justice (detention, police, courts, supervision)",
    "municipality": "Municipality (shelter, benefits)",
    "participants": "Participants (benefit income)",
    "victims": "Victims",
    "programme_cost": "Programme cost",
}


def _colours(n: int) -> list:
    return [plt.get_cmap("tab10")(k % 10) for k in range(n)]


def _save(fig: plt.Figure, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_ce_plane(per_draw: pd.DataFrame, context: dict[str, Any], path: Path) -> None:
    """Each option's draws: re-detentions avoided against net cost, both over the years."""
    fig, ax = plt.subplots(figsize=(8, 6))
    options = list(dict.fromkeys(per_draw["option"]))
    for option, colour in zip(options, _colours(len(options)), strict=True):
        g = per_draw[per_draw["option"] == option]
        ax.scatter(g["redetentions_avoided_pv"], -g["npv"] / 1e3, s=14, alpha=0.45, color=colour)
        ax.scatter(
            g["redetentions_avoided_pv"].mean(), -g["npv"].mean() / 1e3, s=90, marker="D",
            color=colour, edgecolor="black", label=option, zorder=3,
        )  # fmt: skip
    ax.axhline(0, color="0.3", lw=0.8)
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_xlabel(f"Re-detentions avoided over {context['years']} years (present value)")
    ax.set_ylabel("Net cost: programme cost less savings (EUR thousand, present value)")
    ax.text(0.99, 0.02, "below the line: pays for itself", transform=ax.transAxes,
            ha="right", va="bottom", fontsize=8, color="0.35")  # fmt: skip
    ax.legend(fontsize=8, title="option (diamond: mean)", title_fontsize=8)
    ax.set_title(
        f"Cost-effectiveness plane: EUR {context['budget']:,.0f} a year, one dot per draw",
        fontsize=11,
    )
    _save(fig, path)


def plot_acceptability(curve: pd.DataFrame, path: Path) -> None:
    """Share of draws in which each option has the highest net monetary benefit."""
    fig, ax = plt.subplots(figsize=(8, 5))
    names = [c for c in curve.columns if c != "wtp"]
    for name, colour in zip(names, ["0.4", *_colours(len(names) - 1)], strict=True):
        style = "--" if name == "baseline" else "-"
        label = "no extra budget" if name == "baseline" else name
        ax.plot(curve["wtp"] / 1e3, curve[name], style, color=colour, label=label)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("Willingness to pay per re-detention avoided, beyond the savings (EUR thousand)")
    ax.set_ylabel("Share of draws in which the option is best")
    ax.set_title("Cost-effectiveness acceptability curve", fontsize=11)
    ax.legend(fontsize=8)
    _save(fig, path)


def plot_payers(payers: pd.DataFrame, context: dict[str, Any], path: Path) -> None:
    """Per option: what each payer gains (positive) and the programme's cost (negative)."""
    options = list(dict.fromkeys(payers["option"]))
    parts = [*PAYERS, "programme_cost"]
    fig, ax = plt.subplots(figsize=(9, 2.2 + 0.9 * len(options)))
    height = 0.8 / len(parts)
    colours = [*_colours(len(PAYERS)), "0.25"]
    y = np.arange(len(options))
    for k, (part, colour) in enumerate(zip(parts, colours, strict=True)):
        rows = payers[payers["payer"] == part].set_index("option").loc[options]
        pos = y - 0.4 + (k + 0.5) * height
        err = np.vstack([rows["mean"] - rows["ci_low"], rows["ci_high"] - rows["mean"]]) / 1e3
        ax.barh(pos, rows["mean"] / 1e3, height=height, color=colour, label=PAYER_LABELS[part],
                xerr=np.nan_to_num(err), error_kw={"lw": 0.8})  # fmt: skip
    net = payers.groupby("option", sort=False)["mean"].sum().loc[options] / 1e3
    ax.scatter(net, y, marker="|", s=400, color="black", zorder=3, label="net (NPV)")
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_yticks(y, options)
    ax.invert_yaxis()
    ax.set_xlabel(
        f"EUR thousand over {context['years']} years (present value at "
        f"{context['discount']:.1%}); whiskers: 95% CI of the mean"
    )
    ax.set_title("Benefits and costs by who gains or pays", fontsize=11)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.25 / len(options)),
              ncol=3, frameon=False)  # fmt: skip
    _save(fig, path)
