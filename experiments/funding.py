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
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from model.limits import DEFAULT_WARMUP_WEEKS, MAX_PERSONS, MAX_WARMUP_WEEKS, warmup_weeks
from model.parameters import ParameterError, Parameters
from scenarios.costs import CostTable, load_costs
from scenarios.funding import LEVERS, Option, load_options
from scenarios.loader import ScenarioError, load

from .options import add_execution_options, integer, number, seed_number, with_scheduler
from .runner import Task

if TYPE_CHECKING:
    import pandas as pd

POSTERIOR = Path(__file__).resolve().parent.parent / "analysis" / "posterior.toml"
WTP = np.linspace(0, 300_000, 61)
"""Willingness to pay per re-detention avoided for the acceptability curve (EUR)."""


def read_posterior() -> dict[str, dict[str, float]]:
    """Mean, sd and searched range of each calibrated parameter (analysis/posterior.toml)."""
    return tomllib.loads(POSTERIOR.read_text(encoding="utf-8"))["parameters"]


def posterior_draw(
    rng: np.random.Generator, table: dict[str, dict[str, float]], skip: set[str]
) -> dict[str, float]:
    """One draw of the calibrated parameters: normal around the mean, within the range."""
    from scipy import stats

    out = {}
    for name, d in table.items():
        if name in skip:  # the baseline scenario sets it: keep its value
            continue
        a, b = (d["low"] - d["mean"]) / d["sd"], (d["high"] - d["mean"]) / d["sd"]
        out[name] = float(stats.truncnorm.rvs(a, b, d["mean"], d["sd"], random_state=rng))
    return out


def _option_runs(
    options: list[Option],
    base: dict[str, Any],
    costs: dict[str, float],
    budget: float,
    releases: float,
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, float]]]:
    """One draw's parameters of the baseline and of every option, and the units bought."""
    base_params = Parameters.from_dict(base)
    units, runs = {}, {"baseline": base}
    for option in options:
        units[option.name] = option.units(budget, costs, base_params)
        try:
            change = option.overrides(budget, costs, base_params, releases)
            Parameters.from_dict(change, base=base_params)
        except ParameterError as exc:
            raise ScenarioError(
                f"option '{option.name}' at EUR {budget:,.0f} a year for {releases:,.0f} "
                f"releases a year: {exc}; lower --budget"
            ) from None
        runs[option.name] = {**base, **change}
    return runs, units


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
    posterior, fixed = read_posterior(), set(scenario.overrides)
    for d in range(args.replications):
        cost_rng, param_rng = (np.random.default_rng([args.seed, d, k]) for k in (1, 2))
        unit_costs = costs.draw(cost_rng)
        theta = {} if args.fixed_parameters else posterior_draw(param_rng, posterior, fixed)
        base = {**scenario.overrides, **theta}
        runs, units = _option_runs(options, base, unit_costs, args.budget, releases)
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
        "levers": {name: lever.unit for name, lever in LEVERS.items()},
        "draws": draws,
    }
    return tasks, context


def analyse(runs: pd.DataFrame, weeks: pd.DataFrame, context: dict[str, Any], out: Path) -> str:
    """Write every table, figure and the plain summary of a funding folder; return the summary."""
    import pandas as pd

    from analysis import benefit_cost as bc
    from analysis.funding_plots import plot_acceptability, plot_ce_plane, plot_payers
    from analysis.funding_summary import bottlenecks, plain_summary, units_table

    from .store import write_csv, write_table

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
    notes = {
        name: bottlenecks(runs, name, o["allocation"]) for name, o in context["options"].items()
    }
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
        write_csv(table, out / f"{name}.csv")
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
        if args.progress:
            print(f"Writing tables and figures to {args.out}/ ...", file=sys.stderr, flush=True)
        summary = analyse(runs, weeks, context, args.out)
    print(summary)
    print(f"\n{len(runs)} runs; tables, figures and summary.md in {args.out}/")


def cmd_costs(args: argparse.Namespace) -> None:
    table: CostTable = load_costs(args.costs)
    from analysis.funding_summary import euros
    from scenarios.costs import format_costs

    print(format_costs(table))
    base = Parameters()
    values = table.values()
    print("\nWhat each fundable lever costs a year at these values (scenarios/funding.py):")
    for lever in LEVERS.values():
        cost = euros(lever.unit_cost(values, base))
        print(f"  {lever.name:<26} {cost:>10} a year for {lever.one}")
        print(textwrap.fill(lever.doc, 96, initial_indent=" " * 4, subsequent_indent=" " * 4))


def register(sub: argparse._SubParsersAction) -> None:
    """The ``funding`` and ``costs`` commands' parsers."""
    funding = sub.add_parser(
        "funding",
        help="spend one yearly budget different ways and compare the options' costs and "
        "benefits (WSIPP-style)",
        description="Turn a yearly budget into each option's levers (buddies, FTE, places, "
        "advances) at the unit costs of --costs, run every option and the no-extra-budget "
        "baseline in steady-state flow on common random numbers, and report per option: "
        "re-detentions, detention days and justice contacts avoided and stable "
        "person-months gained (a year and per 1,000 releases), benefits and costs by who "
        "gains or pays, NPV, benefit-cost ratio, cost per re-detention avoided, ICERs, and "
        "the chance that benefits exceed costs. Each replication is a Monte Carlo draw of "
        "the unit costs and the calibrated parameters, the same for every option. Writes "
        "tables, figures and summary.md to --out; see docs/policymakers.md.",
    )
    _add_money_flags(funding)
    _add_draw_flags(funding)
    add_execution_options(funding, default_out="results/funding")
    funding.set_defaults(handler=with_scheduler(cmd_funding))

    costs = sub.add_parser(
        "costs",
        help="list the unit-cost table with values, ranges and sources",
        description="List every unit cost: value, low-high range, unit, price year and "
        "source, and what one unit of each fundable lever costs a year. Checks the file: a "
        "bad one is refused in one line.",
    )
    costs.add_argument(
        "--costs",
        type=Path,
        metavar="FILE",
        help="unit-cost table (TOML; default: the shipped scenarios/funding/costs.toml)",
    )
    costs.set_defaults(handler=cmd_costs)


def _add_money_flags(p: argparse.ArgumentParser) -> None:
    """The budget, the options and costs, the area and the discounting."""
    p.add_argument(
        "--budget",
        type=number("--budget", 1e9, " EUR a year", zero=True),
        required=True,
        metavar="EUR_PER_YEAR",
        help="extra budget a year that every option spends, e.g. 500000",
    )
    p.add_argument(
        "--options",
        type=Path,
        metavar="FILE",
        help="option file (TOML; default: the shipped scenarios/funding/options.toml)",
    )
    p.add_argument(
        "--costs",
        type=Path,
        metavar="FILE",
        help="unit-cost table (TOML; default: the shipped scenarios/funding/costs.toml)",
    )
    p.add_argument(
        "--baseline",
        default="baseline",
        metavar="NAME_OR_FILE",
        help="the scenario without extra budget (default: baseline)",
    )
    p.add_argument(
        "--releases-per-year",
        type=number("--releases-per-year", 1e6),
        default=1000.0,
        metavar="N",
        help="releases a year in the area the budget serves (default: 1000)",
    )
    p.add_argument(
        "--years",
        type=integer("--years", 1, 20, " years"),
        default=3,
        metavar="N",
        help="years measured after the warm-up, and discounted (default: 3)",
    )
    p.add_argument(
        "--discount",
        type=number("--discount", 0.2, zero=True),
        default=0.035,
        metavar="R",
        help="real discount rate a year, in [0, 0.2] (default: 0.035; WSIPP uses 0.02-0.05)",
    )


def _add_draw_flags(p: argparse.ArgumentParser) -> None:
    """The Monte Carlo draws and the size of each run."""
    p.add_argument(
        "--replications",
        type=integer("--replications", 1, 10_000),
        default=20,
        metavar="R",
        help="Monte Carlo draws; each runs the baseline and every option once (default: 20)",
    )
    p.add_argument(
        "--fixed-parameters",
        action="store_true",
        help="keep the calibrated parameters at their means: only unit costs and chance vary",
    )
    p.add_argument(
        "--persons",
        type=integer("--persons", 1, MAX_PERSONS),
        metavar="N",
        help="entries simulated over the measured years (default: the area's own size); "
        "results are scaled to --releases-per-year",
    )
    p.add_argument(
        "--warmup",
        type=integer("--warmup", 0, MAX_WARMUP_WEEKS, " weeks"),
        metavar="WEEKS",
        help=f"weeks simulated before the measured years (default: {DEFAULT_WARMUP_WEEKS})",
    )
    p.add_argument(
        "--seed", type=seed_number, default=1, metavar="S", help="seed of draw 0 (default: 1)"
    )
