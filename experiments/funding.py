"""``reentry funding``: one yearly budget spent different ways, against no extra budget.

Each Monte Carlo draw d draws the unit costs from their ranges and the calibrated
parameters from their posterior (analysis/posterior.toml), and runs the baseline and
every option with seed S + d: the same draws and the same random numbers for every
option, so that differences are the options', not chance's. The budget buys each
option's levers at the draw's unit costs (scenarios/funding.py). Runs are flow mode
in steady state: the options are in place from the start of the warm-up, and the
measured years describe a programme that has settled.
"""

from __future__ import annotations

import argparse
import textwrap
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from model.limits import warmup_weeks
from model.parameters import ParameterError, Parameters
from scenarios.costs import CostTable, load_costs
from scenarios.funding import LEVERS, Option, load_options
from scenarios.loader import ScenarioError, load

from .runner import Task

if TYPE_CHECKING:
    import pandas as pd

POSTERIOR = Path(__file__).resolve().parent.parent / "analysis" / "posterior.toml"
WTP = np.linspace(0, 300_000, 61)
"""Willingness to pay per re-detention avoided for the acceptability curve (EUR)."""
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


def posterior_draw(rng: np.random.Generator, skip: set[str]) -> dict[str, float]:
    """One draw of the calibrated parameters: normal around the mean, within the range."""
    from scipy import stats

    table = tomllib.loads(POSTERIOR.read_text(encoding="utf-8"))["parameters"]
    out = {}
    for name, d in table.items():
        if name in skip:  # the baseline scenario sets it: keep its value
            continue
        a, b = (d["low"] - d["mean"]) / d["sd"], (d["high"] - d["mean"]) / d["sd"]
        out[name] = float(stats.truncnorm.rvs(a, b, d["mean"], d["sd"], random_state=rng))
    return out


def plan(args: argparse.Namespace) -> tuple[list[Task], dict[str, Any]]:
    """The runs of every draw, and what the analysis needs to know about them."""
    scenario = load(args.baseline)
    options = load_options(args.options, scenario.params)
    costs = load_costs(args.costs)
    warmup = warmup_weeks("flow", args.warmup)
    releases = args.releases_per_year
    persons = args.persons or max(
        1, round(releases / scenario.params.flow_releases_per_entry * args.years)
    )
    tasks: list[Task] = []
    draws: list[dict[str, Any]] = []
    for d in range(args.replications):
        cost_rng, param_rng = (np.random.default_rng([args.seed, d, k]) for k in (1, 2))
        unit_costs = costs.draw(cost_rng)
        theta = {} if args.fixed_parameters else posterior_draw(param_rng, set(scenario.overrides))
        base = {**scenario.overrides, **theta}
        base_params = Parameters.from_dict(base)
        units = {}
        runs = {"baseline": base}
        for option in options:
            units[option.name] = option.units(args.budget, unit_costs, base_params)
            try:
                change = option.overrides(args.budget, unit_costs, base_params, releases)
                Parameters.from_dict(change, base=base_params)
            except ParameterError as exc:
                raise ScenarioError(
                    f"option '{option.name}' at EUR {args.budget:,.0f} a year for "
                    f"{releases:,.0f} releases a year: {exc}; lower --budget"
                ) from None
            runs[option.name] = {**base, **change}
        for name, params in runs.items():
            tasks.append(
                Task(
                    run_id=f"{name}/d{d:03d}",
                    scenario=name,
                    params=params,
                    replication=d,
                    seed=args.seed + d,
                    mode="flow",
                    persons=persons,
                    weeks=52 * args.years,
                    warmup=warmup,
                )
            )
        draws.append({"draw": d, "costs": unit_costs, "parameters": theta, "units": units})
    model_releases = persons / args.years * scenario.params.flow_releases_per_entry
    context = {
        "baseline": scenario.name,
        "options": {
            o.name: {
                "description": o.description,
                "allocation": o.allocation,
                "parameters": o.parameters,
            }
            for o in options
        },
        "costs_file": str(costs.path),
        "costs": {n: vars(i) for n, i in costs.items.items()},
        "budget": args.budget,
        "releases_per_year": releases,
        "years": args.years,
        "discount": args.discount,
        "scale": releases / model_releases,
        "persons": persons,
        "warmup": warmup,
        "fixed_parameters": args.fixed_parameters,
        "draws": draws,
    }
    return tasks, context


def bottlenecks(runs: pd.DataFrame, option: Option) -> list[str]:
    """Why a lever may change little: the resource it buys is not what holds people back.

    Judged on the baseline runs (or, for buddies and advances, the option's own), as the
    mean over draws and the number of draws in which the resource is used up.
    """
    base = runs[runs["scenario"] == "baseline"]
    mine = runs[runs["scenario"] == option.name]

    def use(frame: pd.DataFrame, column: str) -> tuple[float, str]:
        values = frame[column].dropna() if column in frame else frame.iloc[:0, 0]
        if values.empty:
            return float("nan"), ""
        full = int((values >= FULL).sum())
        return float(values.mean()), f" (used up in {full} of {len(values)} draws)"

    notes = []
    for lever in option.allocation:
        if lever == "professionals":
            used, draws = use(base, "professional_load_mean")
            if used < UNDERUSED:
                notes.append(
                    f"professionals work at {used:.0%} of their caseload today{draws}: more of "
                    "them take on few new clients"
                )
        elif lever == "buddies":
            used, draws = use(mine, "buddy_utilisation")
            if used < UNDERUSED:
                notes.append(
                    f"buddies have a client {used:.0%} of the time{draws}: the pool is larger "
                    "than the referrals"
                )
        elif lever == "benefit_advance":
            used, draws = use(mine, "advances_used")
            if used < UNDERUSED:
                notes.append(
                    f"only {used:.0%} of the funded advances are taken up{draws}: fewer people "
                    "are released without income than the budget would serve"
                )
        elif lever.endswith("_places"):
            service = lever.removesuffix("_places")
            used, draws = use(base, f"places_used_{service}")
            if used < UNDERUSED:
                notes.append(
                    f"{service.replace('_', ' ')} fills {used:.0%} of its places today{draws}: "
                    "more places change little where it is not full"
                )
        if lever in EVIDENCE:
            notes.append(EVIDENCE[lever])
    return notes


def _euros(x: float) -> str:
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
        f"# Funding options: {_euros(budget)} a year for {context['releases_per_year']:,.0f} "
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
            f"{days['per_year_mean']:,.0f} detention days. Benefits {_euros(e['benefits_pv'])} "
            f"against costs of {_euros(e['programme_cost_pv'])}: NPV {_euros(e['npv'])}, "
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
    return ", ".join(f"{np.mean(v):,.1f} {LEVERS[lever].unit}" for lever, v in per_lever.items())


def units_table(context: dict[str, Any]) -> pd.DataFrame:
    import pandas as pd

    budget = context["budget"]
    options = context["options"]
    return pd.DataFrame(
        [
            {
                "option": option,
                "draw": draw["draw"],
                "lever": lever,
                "unit": LEVERS[lever].unit,
                "units": units,
                "euros_per_year": options[option]["allocation"][lever] * budget,
            }
            for draw in context["draws"]
            for option, levers in draw["units"].items()
            for lever, units in levers.items()
        ]
    )


def analyse(runs: pd.DataFrame, weeks: pd.DataFrame, context: dict[str, Any], out: Path) -> str:
    """Write every table, figure and the plain summary of a funding folder; return the summary."""
    import pandas as pd

    from analysis import benefit_cost as bc
    from analysis.funding_plots import plot_acceptability, plot_ce_plane, plot_payers

    from .store import write_table

    costs = {d["draw"]: d["costs"] for d in context["draws"]}
    per_draw = bc.evaluate(
        bc.yearly_quantities(weeks), runs, costs, context["budget"], context["discount"],
        context["scale"],
    )  # fmt: skip
    order = list(context["options"])
    per_draw = per_draw.sort_values(
        ["option", "draw"], key=lambda c: c.map(order.index) if c.name == "option" else c
    ).reset_index(drop=True)
    effects = bc.effects_table(per_draw, context["releases_per_year"])
    economics = bc.economics_table(per_draw)
    payers = bc.payers_table(per_draw)
    curve = bc.acceptability(per_draw, WTP)
    by_name = {
        name: Option(name, o["description"], o["allocation"], o["parameters"])
        for name, o in context["options"].items()
    }
    notes = {name: bottlenecks(runs, o) for name, o in by_name.items()}
    economics["not_the_bottleneck"] = economics["option"].map(lambda n: "; ".join(notes[n]))
    for name, table in (
        ("draws", per_draw),
        ("effects", effects),
        ("economics", economics),
        ("payers", payers),
        ("acceptability", curve),
        ("units", units_table(context)),
        ("cost_draws", pd.DataFrame([{"draw": d["draw"], **d["costs"]} for d in context["draws"]])),
        (
            "parameter_draws",
            pd.DataFrame([{"draw": d["draw"], **d["parameters"]} for d in context["draws"]]),
        ),
    ):
        table.to_csv(out / f"{name}.csv", index=False, float_format="%.6g")
        write_table(table, out / f"{name}.parquet")
    figures = out / "figures"
    figures.mkdir(exist_ok=True)
    plot_ce_plane(per_draw, context, figures / "ce_plane.png")
    plot_acceptability(curve, figures / "acceptability.png")
    plot_payers(payers, context, figures / "payers.png")
    summary = plain_summary(context, effects, economics, notes)
    (out / "summary.md").write_text(summary + "\n", encoding="utf-8")
    return summary


def cmd_funding(args: argparse.Namespace) -> None:
    tasks, context = plan(args)
    from .experiment import run_from_args

    manifest = {
        "command": "funding",
        "seeds": sorted({t.seed for t in tasks}),
        "warmup": context["warmup"],
        "funding": context,
    }
    with run_from_args(args, tasks, manifest) as (runs, weeks):
        summary = analyse(runs, weeks, context, args.out)
    print(summary)
    print(f"\n{len(runs)} runs; tables, figures and summary.md in {args.out}/")


def cmd_costs(args: argparse.Namespace) -> None:
    from scenarios.costs import format_costs

    table: CostTable = load_costs(args.costs)
    print(format_costs(table))
    base = Parameters()
    values = table.values()
    print("\nWhat each fundable lever costs a year at these values (scenarios/funding.py):")
    for lever in LEVERS.values():
        cost = _euros(lever.unit_cost(values, base))
        print(f"  {lever.name:<26} {cost:>10} a year for {lever.one}")
        print(textwrap.fill(lever.doc, 96, initial_indent=" " * 4, subsequent_indent=" " * 4))
