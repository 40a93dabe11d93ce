"""``reentry sweep`` and ``reentry sensitivity``: many runs from a design file."""

from __future__ import annotations

import argparse
import dataclasses

from scenarios.loader import ScenarioError

from .design import check_outputs, read_design, round_integers, sweep_points, tasks_for

# SALib, the analysis and the runner take seconds to import: each command imports
# them once its design file has been checked, so a bad file is reported at once.


def _manifest(command: str, design, extra=None) -> dict:
    return {
        "command": command,
        "design": dataclasses.asdict(design),
        **(extra or {}),
    }


def cmd_sweep(args: argparse.Namespace) -> None:
    design = read_design(args.design)
    points = sweep_points(design)
    tasks = tasks_for(design, points)
    from .experiment import run_from_args
    from .runner import recorded_outcomes
    from .store import write_table

    check_outputs(design, args.design, recorded_outcomes())
    with run_from_args(args, tasks, _manifest("sweep", design, {"points": points})) as (runs, _):
        params = [c for c in runs.columns if c.startswith("param_")]
        table = runs.groupby(["point", *params], dropna=False)[design.outputs].agg(["mean", "std"])
        table.columns = [f"{o}_{stat}" for o, stat in table.columns]
        table = table.reset_index()
        table.to_csv(args.out / "points.csv", index=False)
        write_table(table, args.out / "points.parquet")
    print(table.to_string(index=False, max_rows=40, float_format=lambda v: f"{v:.3f}"))
    print(
        f"\n{len(runs)} runs ({len(points)} points x {design.replications} replications); "
        f"results in {args.out}/"
    )


def cmd_sensitivity(args: argparse.Namespace) -> None:
    design = read_design(args.design)
    if not design.ranges:
        raise ScenarioError(f"{args.design}: sensitivity needs a [ranges] table")
    names = list(design.ranges)
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(design.ranges[n]) for n in names],
    }
    n = design.samples
    if args.method == "sobol" and n & (n - 1):
        raise ScenarioError(f"{args.design}: samples must be a power of 2 for Sobol (got {n})")
    import numpy as np
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    from analysis.sensitivity import analyse, plot_indices, point_means

    from .experiment import run_from_args
    from .runner import recorded_outcomes
    from .store import write_table

    check_outputs(design, args.design, recorded_outcomes())
    if args.method == "sobol":
        X = sobol_sample.sample(problem, n, calc_second_order=False, seed=design.seed)
    else:
        X = morris_sample.sample(problem, n, num_levels=4, seed=design.seed)
    points = round_integers([dict(zip(names, row, strict=True)) for row in X])
    # the rounded values are what the model saw, so they are what is analysed
    X = np.array([[p[k] for k in names] for p in points], dtype=float)
    design = dataclasses.replace(design, grid={})
    tasks = tasks_for(design, points)
    manifest = _manifest("sensitivity", design, {"method": args.method, "problem": problem})
    with run_from_args(args, tasks, manifest) as (runs, _):
        Y = point_means(runs, design.outputs, len(points))
        table = analyse(args.method, problem, X, Y, design.seed)
        table.to_csv(args.out / "sensitivity.csv", index=False)
        write_table(table, args.out / "sensitivity.parquet")
        plot_indices(table, args.method, args.out / "sensitivity.png")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(
        f"\n{len(runs)} runs ({len(points)} samples x {design.replications} replications); "
        f"results in {args.out}/"
    )
