"""``reentry size``: each service's steady-state demand, and the share its capacity meets."""

from __future__ import annotations

import argparse

from model.limits import DEFAULT_WARMUP_WEEKS, MAX_PERSONS, MAX_WARMUP_WEEKS, MAX_WEEKS
from scenarios.loader import load

from .options import integer, seed_number


def cmd_size(args: argparse.Namespace) -> None:
    scenario = load(args.scenario)
    from analysis.sizing import demand, share_met

    seeds = list(range(args.seed, args.seed + args.replications))
    demands = demand(scenario.params, args.persons, args.weeks, args.warmup, seeds)
    shares = share_met(scenario.params, demands)
    print(
        f"Steady-state demand in the '{scenario.name}' flow with unlimited services "
        f"({args.persons:,} entries over {args.weeks} weeks, {len(seeds)} seeds): people "
        "joining a list a week per 100 releases a week, against each service's capacity:\n"
    )
    print(f"{'service':<22}{'demand':>8}{'capacity':>10}{'share met':>11}")
    for service, d in demands.items():
        capacity = getattr(scenario.params, f"capacity_{service}")
        print(f"{service:<22}{d:>8.1f}{capacity:>10.1f}{shares[service]:>11.0%}")


def register(sub: argparse._SubParsersAction) -> None:
    """The ``size`` command's parser."""
    size = sub.add_parser(
        "size",
        help="measure each service's steady-state demand and the share its capacity meets",
        description="Run the flow baseline (or --scenario) with unlimited services, measure "
        "how many people a week join each service's list per 100 releases a week, and print "
        "it against each service's capacity: the share of the need that capacity meets "
        "(analysis/sizing.py).",
    )
    size.add_argument(
        "--scenario",
        default="baseline",
        metavar="NAME_OR_FILE",
        help="scenario to size (default: baseline)",
    )
    size.add_argument(
        "--persons",
        type=integer("--persons", 1, MAX_PERSONS),
        default=4000,
        metavar="N",
        help="expected entries over the measured weeks (default: 4000)",
    )
    size.add_argument(
        "--weeks", type=integer("--weeks", 1, MAX_WEEKS), default=156, metavar="W",
        help="measured weeks (default: 156)",
    )  # fmt: skip
    size.add_argument(
        "--warmup",
        type=integer("--warmup", 0, MAX_WARMUP_WEEKS, " weeks"),
        metavar="WEEKS",
        help=f"weeks before the measured ones (default: {DEFAULT_WARMUP_WEEKS})",
    )
    size.add_argument(
        "--replications", type=integer("--replications", 1, 100), default=3, metavar="R",
        help="seeds S..S+R-1 (default: 3)",
    )  # fmt: skip
    size.add_argument(
        "--seed", type=seed_number, default=1, metavar="S", help="first seed (default: 1)"
    )
    size.set_defaults(handler=cmd_size)
