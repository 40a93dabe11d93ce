"""Benefit-cost arithmetic of funding options, as the WSIPP model reports it.

For each Monte Carlo draw and option, the paired difference from the baseline run
of the same draw (same seed, same parameters) gives what the option avoids each
year: detention days, re-detentions, justice contacts, offences, shelter weeks,
benefit months, supervision weeks. Unit costs turn these into money by who gains:

* **justice**: detention days at their marginal cost, police and courts per justice
  contact, supervision weeks;
* **municipality**: shelter place-weeks and benefit months;
* **participants**: the benefit income they gain (the municipality's cost of it, so
  the transfer nets out of the total);
* **victims**: offences at their victim cost.

The programme's cost is the yearly budget. Flows of years 1..N are discounted at the
end of each year: PV = sum over t of x_t / (1 + r)^t. Then

* NPV = PV(benefits) - PV(programme cost); benefit-cost ratio = PV(benefits) / PV(cost);
* net cost dC = -NPV; ICER for an effect E = dC / PV(dE), against the baseline;
* net monetary benefit NMB(lambda) = lambda * PV(dE) - dC, and the acceptability curve:
  for each lambda, the share of draws in which each option (the baseline's NMB is 0)
  has the highest NMB.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

WEEKS_PER_YEAR = 52
MONTHS_PER_WEEK = 12 / 52
QUANTITIES = (
    "releases",
    "redetentions",
    "detention_days",
    "justice_contacts",
    "offences",
    "stable_months",
    "shelter_weeks",
    "benefit_months",
    "supervised_weeks",
    "advances",
)
"""What a run uses or suffers in a year, in absolute numbers."""
EFFECTS = {
    "redetentions_avoided": ("redetentions", "re-detentions avoided"),
    "detention_days_avoided": ("detention_days", "detention days avoided"),
    "justice_contacts_avoided": ("justice_contacts", "justice contacts avoided"),
    "stable_months_gained": ("stable_months", "stable person-months gained"),
}
"""Effect measures: name -> (quantity, label). Gains are the negative of avoidance."""
PAYERS = ("justice", "municipality", "participants", "victims")


def yearly_quantities(weeks: pd.DataFrame) -> pd.DataFrame:
    """Per run and measured year (1, 2, ...): the QUANTITIES, from the weekly table."""
    w = weeks[weeks["week"] >= 0]
    released = w["released"]
    frame = pd.DataFrame(
        {
            "run_id": w["run_id"],
            "year": w["week"] // WEEKS_PER_YEAR + 1,
            "releases": w["releases"],
            "redetentions": w["redetentions"],
            "detention_days": 7 * w["detained"],
            "justice_contacts": w["justice_contacts"],
            "offences": w["offences"],
            "stable_months": (w["share_stable"] * released).fillna(0) * MONTHS_PER_WEEK,
            "shelter_weeks": w["in_shelter"],
            "benefit_months": (w["share_benefit"] * released).fillna(0) * MONTHS_PER_WEEK,
            "supervised_weeks": w["supervised"],
            "advances": w["advances"],
        }
    )
    return frame.groupby(["run_id", "year"], sort=True).sum()


def payer_values(avoided: pd.DataFrame, costs: dict[str, float]) -> pd.DataFrame:
    """Money gained by each payer from the quantities ``avoided`` (baseline - option)."""
    benefit = avoided["benefit_months"] * costs["benefit_month"]
    return pd.DataFrame(
        {
            "justice": avoided["detention_days"] * costs["detention_day_marginal"]
            + avoided["justice_contacts"]
            * (costs["police_per_contact"] + costs["court_per_contact"])
            + avoided["supervised_weeks"] * costs["supervision_week"],
            "municipality": avoided["shelter_weeks"] * costs["place_week_shelter"] + benefit,
            "participants": -benefit,
            "victims": avoided["offences"] * costs["victim_cost_per_offence"],
        },
        index=avoided.index,
    )


def discount_factors(years: int, rate: float) -> np.ndarray:
    """1 / (1 + r)^t for t = 1..years: each year's flow counted at the year's end."""
    return 1.0 / (1.0 + rate) ** np.arange(1, years + 1)


def present_value(flows: np.ndarray, rate: float) -> float:
    """Present value of yearly flows (year 1 first)."""
    flows = np.asarray(flows, dtype=float)
    return float(flows @ discount_factors(len(flows), rate))


def icer(net_cost: float, effect: float) -> float:
    """Incremental cost-effectiveness ratio dC / dE (NaN when there is no effect)."""
    return net_cost / effect if effect else float("nan")


def ceac(effects: np.ndarray, net_costs: np.ndarray, wtp: np.ndarray) -> np.ndarray:
    """Acceptability: for each willingness to pay, the share of draws each option wins.

    Args:
        effects, net_costs: (draws, options) arrays of PV(dE) and dC against the baseline.
        wtp: willingness to pay per unit of effect.

    Returns:
        (len(wtp), options + 1): column 0 is the baseline (NMB 0), then the options.
        Ties go to the first of the tied, so every row sums to 1.
    """
    draws, _ = effects.shape
    nmb = wtp[:, None, None] * effects[None] - net_costs[None]
    with_base = np.concatenate([np.zeros((len(wtp), draws, 1)), nmb], axis=2)
    best = with_base.argmax(axis=2)
    return np.stack([(best == k).mean(axis=1) for k in range(with_base.shape[2])], axis=1)


def evaluate(
    yearly: pd.DataFrame,
    runs: pd.DataFrame,
    costs_by_draw: dict[int, dict[str, float]],
    budget: float,
    rate: float,
    scale: float,
) -> pd.DataFrame:
    """One row per option and draw: effects, money by payer, NPV and ratios.

    Args:
        yearly: :func:`yearly_quantities` of every run.
        runs: The run table (``run_id``, ``scenario``, ``replication``); scenario
            ``baseline`` is the reference, and replication r is draw r.
        costs_by_draw: Unit costs of each draw.
        budget: Euros a year each option spends.
        rate: Real discount rate.
        scale: Area releases a year over the model's, to turn counts into the area's.
    """
    ids = runs.set_index(["scenario", "replication"])["run_id"]
    rows = []
    for (option, draw), run_id in ids.items():
        if option == "baseline":
            continue
        mine = yearly.loc[run_id] * scale
        base = yearly.loc[ids[("baseline", draw)]] * scale
        avoided = base - mine
        years = len(avoided)
        df = discount_factors(years, rate)
        money = payer_values(avoided, costs_by_draw[draw])
        row: dict[str, float | str | int] = {"option": option, "draw": draw}
        for name, (quantity, _) in EFFECTS.items():
            sign = -1 if name.endswith("gained") else 1
            flow = sign * avoided[quantity].to_numpy()
            row[f"{name}_per_year"] = float(flow.mean())
            row[f"{name}_pv"] = float(flow @ df)
        for payer in PAYERS:
            row[f"{payer}_pv"] = float(money[payer].to_numpy() @ df)
        row["benefits_pv"] = sum(row[f"{p}_pv"] for p in PAYERS)
        row["programme_cost_pv"] = budget * float(df.sum())
        row["npv"] = row["benefits_pv"] - row["programme_cost_pv"]
        row["bcr"] = row["benefits_pv"] / row["programme_cost_pv"] if budget else float("nan")
        row["advances_per_year"] = float(mine["advances"].mean())
        rows.append(row)
    return pd.DataFrame(rows).sort_values(["option", "draw"], kind="stable").reset_index(drop=True)


def interval(values: pd.Series) -> dict[str, float]:
    """Mean, its 95% t-interval, and the 2.5-97.5% range of the draws."""
    v = values.dropna().to_numpy(dtype=float)
    n = len(v)
    mean = float(v.mean()) if n else float("nan")
    half = stats.t.ppf(0.975, n - 1) * v.std(ddof=1) / np.sqrt(n) if n > 1 else float("nan")
    low, high = np.percentile(v, [2.5, 97.5]) if n else (float("nan"),) * 2
    return {
        "mean": mean,
        "ci_low": mean - half,
        "ci_high": mean + half,
        "range_low": float(low),
        "range_high": float(high),
    }


def effects_table(per_draw: pd.DataFrame, releases_per_year: float) -> pd.DataFrame:
    """Per option and effect measure: per year and per 1,000 releases, with intervals."""
    rows = []
    for option, g in per_draw.groupby("option", sort=False):
        for name, (_, label) in EFFECTS.items():
            iv = interval(g[f"{name}_per_year"])
            rows.append(
                {
                    "option": option,
                    "effect": name,
                    "label": label,
                    **{f"per_year_{k}": v for k, v in iv.items()},
                    **{
                        f"per_1000_releases_{k}": v / (releases_per_year / 1000)
                        for k, v in iv.items()
                    },
                }
            )
    return pd.DataFrame(rows)


def economics_table(per_draw: pd.DataFrame) -> pd.DataFrame:
    """Per option: NPV, benefit-cost ratio, cost per re-detention avoided, ICERs, P(NPV > 0).

    Ratios are of the means over draws (a ratio of means, not a mean of ratios, which an
    effect near zero in one draw would swamp).
    """
    rows = []
    for option, g in per_draw.groupby("option", sort=False):
        mean = g.mean(numeric_only=True)
        npv = interval(g["npv"])
        row = {
            "option": option,
            "draws": len(g),
            "programme_cost_pv": mean["programme_cost_pv"],
            "benefits_pv": mean["benefits_pv"],
            "npv": npv["mean"],
            "npv_ci_low": npv["ci_low"],
            "npv_ci_high": npv["ci_high"],
            "npv_range_low": npv["range_low"],
            "npv_range_high": npv["range_high"],
            "bcr": mean["benefits_pv"] / mean["programme_cost_pv"]
            if mean["programme_cost_pv"]
            else float("nan"),
            "chance_benefits_exceed_costs": float((g["npv"] > 0).mean()),
            "cost_per_redetention_avoided": icer(
                mean["programme_cost_pv"], mean["redetentions_avoided_pv"]
            ),
        }
        for name in EFFECTS:
            row[f"icer_{name}"] = icer(-mean["npv"], mean[f"{name}_pv"])
        rows.append(row)
    return pd.DataFrame(rows)


def payers_table(per_draw: pd.DataFrame) -> pd.DataFrame:
    """Per option and payer (the programme as a cost): PV with intervals."""
    rows = []
    for option, g in per_draw.groupby("option", sort=False):
        for payer in (*PAYERS, "programme_cost"):
            sign = -1 if payer == "programme_cost" else 1
            iv = interval(sign * g[f"{payer}_pv"])
            rows.append({"option": option, "payer": payer, **iv})
    return pd.DataFrame(rows)


def acceptability(per_draw: pd.DataFrame, wtp: np.ndarray) -> pd.DataFrame:
    """The acceptability curve over willingness to pay per re-detention avoided."""
    wide_e = per_draw.pivot(index="draw", columns="option", values="redetentions_avoided_pv")
    wide_c = -per_draw.pivot(index="draw", columns="option", values="npv")
    options = list(dict.fromkeys(per_draw["option"]))
    shares = ceac(wide_e[options].to_numpy(), wide_c[options].to_numpy(), wtp)
    return pd.DataFrame(shares, columns=["baseline", *options]).assign(wtp=wtp)[
        ["wtp", "baseline", *options]
    ]
