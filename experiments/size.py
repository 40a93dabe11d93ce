"""``reentry size``: each service's steady-state demand, and the share its capacity meets."""

from __future__ import annotations

import argparse

from scenarios.loader import load


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
