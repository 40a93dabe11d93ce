"""The words of a funding comparison: what a policymaker reads in a minute.

One paragraph per option: what the budget buys, what it avoids, benefits against
costs and the chance that it pays for itself; then notes on levers whose resource
is not the bottleneck, and on effects above published evaluations.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from model.parameters import SERVICES

UNDERUSED = 0.9
"""A resource used below this share of its capacity on average is not the bottleneck."""
FULL = 0.97
"""A resource used at this share of its capacity or more is used up."""
EVIDENCE = {
    "benefit_advance": "the model's effect of a benefit advance is above published "
    "evaluations of money at release (LIFE: about 8 points fewer theft arrests; TARP: none "
    "overall); read it as an upper bound (docs/ODD.md, Lever effects against evidence)",
}
"""Where a lever's effect in the model stands against published evaluations."""
FEW_DRAWS = 20


USE: dict[str, tuple[str, str, str]] = {
    "professionals": (
        "baseline",
        "professional_load_mean",
        "professionals work at {used:.0%} of their caseload today{draws}: more of them take "
        "on few new clients",
    ),
    "buddies": (
        "option",
        "buddy_utilisation",
        "buddies have a client {used:.0%} of the time{draws}: the pool is larger than the "
        "referrals",
    ),
    "benefit_advance": (
        "option",
        "advances_used",
        "only {used:.0%} of the funded advances are taken up{draws}: fewer people are released "
        "without income than the budget would serve",
    ),
    **{
        f"{s}_places": (
            "baseline",
            f"places_used_{s}",
            f"{s.replace('_', ' ')} fills {{used:.0%}} of its places today{{draws}}: more "
            "places change little where it is not full",
        )
        for s in SERVICES
    },
}
"""Per lever: whose runs show its use (the baseline's, or the option's own), the column
that measures it against capacity, and the note when it is under-used."""


def bottlenecks(runs: pd.DataFrame, option: str, allocation: dict[str, float]) -> list[str]:
    """Why a lever may change little: the resource it buys is not what holds people back.

    Judged as the mean over draws of the resource's use (:data:`USE`), with the number of
    draws in which it is used up; and where the model's effect of the lever stands against
    published evaluations (:data:`EVIDENCE`).
    """
    notes = []
    for lever in allocation:
        whose, column, note = USE[lever]
        frame = runs[runs["scenario"] == ("baseline" if whose == "baseline" else option)]
        values = frame[column].dropna() if column in frame else frame.iloc[:0, 0]
        if len(values) and values.mean() < UNDERUSED:
            full = int((values >= FULL).sum())
            draws = f" (used up in {full} of {len(values)} draws)"
            notes.append(note.format(used=values.mean(), draws=draws))
        if lever in EVIDENCE:
            notes.append(EVIDENCE[lever])
    return notes


def euros(x: float) -> str:
    if abs(x) >= 1e6:
        return f"EUR {x / 1e6:,.2f}M"
    return f"EUR {x / 1e3:,.0f}k" if abs(x) >= 1e4 else f"EUR {x:,.0f}"


def plain_summary(
    context: dict[str, Any],
    effects: pd.DataFrame,
    economics: pd.DataFrame,
    notes: dict[str, list[str]],
) -> str:
    """What a policymaker reads in a minute: one paragraph per option."""
    budget, years, rate = context["budget"], context["years"], context["discount"]
    lines = [
        f"# Funding options: {euros(budget)} a year for {context['releases_per_year']:,.0f} "
        f"releases a year, against no extra budget ({context['baseline']})",
        "",
        f"Over {years} years in steady state, present values at {rate:.1%}; ranges hold 95% "
        f"of {int(economics['draws'].iloc[0])} Monte Carlo draws of unit costs and model "
        "parameters.",
        "",
    ]
    if economics["draws"].iloc[0] < FEW_DRAWS:
        lines[-1:-1] = [
            f"Warning: {int(economics['draws'].iloc[0])} draws are too few for the ranges and "
            f"chances to mean much; use --replications {FEW_DRAWS} or more.",
            "",
        ]
    for _, e in economics.iterrows():
        name = e["option"]
        units = _mean_units(context, name)
        r = effects[
            (effects["option"] == name) & (effects["effect"] == "redetentions_avoided")
        ].iloc[0]
        days = effects[
            (effects["option"] == name) & (effects["effect"] == "detention_days_avoided")
        ].iloc[0]
        lines.append(
            f"- **{name}** ({units}): about {r['per_year_mean']:.1f} re-detentions avoided a "
            f"year (from {r['per_year_range_low']:.1f} to {r['per_year_range_high']:.1f}), "
            f"{days['per_year_mean']:,.0f} detention days. Benefits {euros(e['benefits_pv'])} "
            f"against costs of {euros(e['programme_cost_pv'])}: NPV {euros(e['npv'])}, "
            f"{e['bcr']:.2f} euros back per euro. The chance that it pays for itself is "
            f"{e['chance_benefits_exceed_costs']:.0%}."
        )
        for note in notes.get(name, []):
            lines.append(f"  Note: {note}.")
    lines += [
        "",
        "What these figures are: the model's estimate of what the budget changes once the "
        "programme has settled, valued with the unit costs given (many are assumptions; see "
        "`reentry costs`). Detention days are valued at their marginal cost. They are not "
        "a forecast, and they leave out what the model does not represent.",
    ]
    return "\n".join(lines)


def _mean_units(context: dict[str, Any], option: str) -> str:
    per_lever: dict[str, list[float]] = {}
    for draw in context["draws"]:
        for lever, units in draw["units"][option].items():
            per_lever.setdefault(lever, []).append(units)
    return ", ".join(
        f"{np.mean(v):,.1f} {context['levers'][lever]}" for lever, v in per_lever.items()
    )


def units_table(context: dict[str, Any]) -> pd.DataFrame:
    """What the budget bought: one row per option, draw and lever."""
    budget = context["budget"]
    options = context["options"]
    return pd.DataFrame(
        [
            {
                "option": option,
                "draw": draw["draw"],
                "lever": lever,
                "unit": context["levers"][lever],
                "units": units,
                "euros_per_year": options[option]["allocation"][lever] * budget,
            }
            for draw in context["draws"]
            for option, levers in draw["units"].items()
            for lever, units in levers.items()
        ]
    )
