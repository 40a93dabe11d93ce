"""``reentry sweep`` and ``reentry sensitivity``: many runs from a design file."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from scenarios.loader import ScenarioError

from .design import (
    check_outputs,
    read_design,
    round_integers,
    salib_problem,
    sweep_points,
    tasks_for,
    with_overrides,
)
from .options import add_design_overrides, add_execution_options, with_scheduler

# SALib, the analysis and the runner take seconds to import: each command imports
# them once its design file has been checked, so a bad file is reported at once.


def _manifest(command: str, design, extra=None) -> dict:
    return {
        "command": command,
        "design": dataclasses.asdict(design),
        **(extra or {}),
    }


def cmd_sweep(args: argparse.Namespace) -> None:
    design = with_overrides(read_design(args.design), args)
    points = sweep_points(design)
    tasks = tasks_for(design, points)
    from .experiment import run_from_args
    from .runner import recorded_outcomes
    from .store import write_csv, write_table

    check_outputs(design, args.design, recorded_outcomes())
    with run_from_args(args, tasks, _manifest("sweep", design, {"points": points})) as (runs, _):
        params = [c for c in runs.columns if c.startswith("param_")]
        table = runs.groupby(["point", *params], dropna=False)[design.outputs].agg(["mean", "std"])
        table.columns = [f"{o}_{stat}" for o, stat in table.columns]
        table = table.reset_index()
        from analysis.intervals import FEW, FEW_WARNING

        if design.replications < FEW:
            table["warning"] = FEW_WARNING
        write_csv(table, args.out / "points.csv")
        write_table(table, args.out / "points.parquet")
    print(table.to_string(index=False, max_rows=40, float_format=lambda v: f"{v:.3f}"))
    print(
        f"\n{len(runs)} runs ({len(points)} points x {design.replications} replications); "
        f"results in {args.out}/"
    )


def cmd_sensitivity(args: argparse.Namespace) -> None:
    design = with_overrides(read_design(args.design), args)
    if not design.ranges:
        raise ScenarioError(f"{args.design}: sensitivity needs a [ranges] table")
    names = list(design.ranges)
    problem = salib_problem(design)  # uniform, triangular or truncated normal ranges
    n = design.samples
    if args.method == "sobol" and n & (n - 1):
        raise ScenarioError(f"{args.design}: samples must be a power of 2 for Sobol (got {n})")
    import numpy as np
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    from analysis.sensitivity import analyse, plot_indices, point_means, stability_warning

    from .experiment import run_from_args
    from .runner import recorded_outcomes
    from .store import write_csv, write_table

    check_outputs(design, args.design, recorded_outcomes())
    if args.method == "sobol":
        X = sobol_sample.sample(problem, n, calc_second_order=False, seed=design.seed)
    else:
        X = morris_sample.sample(problem, n, num_levels=4, seed=design.seed)
    # a guard against rounding in scipy's ppf: triangular and normal values stay in their
    # support (uniform columns are left exactly as SALib gives them, as always)
    for j, k in enumerate(names):
        if design.dists.get(k, {"dist": "uniform"})["dist"] != "uniform":
            X[:, j] = np.clip(X[:, j], *design.ranges[k])
    points = round_integers([dict(zip(names, row, strict=True)) for row in X])
    # the rounded values are what the model saw, so they are what is analysed
    X = np.array([[p[k] for k in names] for p in points], dtype=float)
    design = dataclasses.replace(design, grid={})
    tasks = tasks_for(design, points)
    manifest = _manifest("sensitivity", design, {"method": args.method, "problem": problem})
    with run_from_args(args, tasks, manifest) as (runs, _):
        Y = point_means(runs, design.outputs, len(points))
        table = analyse(args.method, problem, X, Y, design.seed)
        warning = stability_warning(table, args.method, n)
        write_csv(table, args.out / "sensitivity.csv")
        write_table(table, args.out / "sensitivity.parquet")
        plot_indices(table, args.method, args.out / "sensitivity.png", warning)
        note = args.out / "sensitivity_warning.txt"
        if warning:
            note.write_text(f"warning: {warning}\n")
        else:
            note.unlink(missing_ok=True)  # a resumed run may no longer need it
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(
        "\n*_low, *_high: bootstrap 95% confidence intervals (index -+ *_conf); "
        "flag: an index not to read as it stands"
    )
    print(
        f"{len(runs)} runs ({len(points)} samples x {design.replications} replications); "
        f"results in {args.out}/"
    )
    if warning:
        print(f"\nwarning: {warning}", file=sys.stderr)


def register(sub: argparse._SubParsersAction) -> None:
    """The ``sweep`` and ``sensitivity`` commands' parsers."""
    sweep = sub.add_parser(
        "sweep",
        help="run a full-factorial grid or a Latin hypercube from a design file",
        description="Run every point of a design file ([grid]: all combinations; [ranges] "
        "with samples: a Latin hypercube) with replications on common random numbers. "
        "Writes runs, weeks and a points table (mean and sd per point) to --out.",
    )
    sweep.add_argument("design", type=Path, metavar="FILE", help="design file (TOML)")
    add_design_overrides(sweep)
    add_execution_options(sweep, default_out="results/sweep")
    sweep.set_defaults(handler=with_scheduler(cmd_sweep))

    sens = sub.add_parser(
        "sensitivity",
        help="Sobol or Morris sensitivity analysis (SALib) from a design file",
        description="Sample the [ranges] of a design file (uniform, triangular or truncated "
        "normal) with SALib. The design key samples = N gives, for d parameters, N(d+2) "
        "points for Sobol (N a power of 2) or N trajectories, N(d+1) points, for Morris. Run "
        "each point with replications on common random numbers, and write S1, ST (or mu*, "
        "sigma) with bootstrap 95% confidence intervals as a table and a plot; warn, with "
        "the N needed, when N is too small for stable indices.",
    )
    sens.add_argument("design", type=Path, metavar="FILE", help="design file (TOML)")
    sens.add_argument(
        "--method",
        choices=("sobol", "morris"),
        default="sobol",
        help="sensitivity method (default: sobol)",
    )
    add_design_overrides(sens)
    add_execution_options(sens, default_out="results/sensitivity")
    sens.set_defaults(handler=with_scheduler(cmd_sensitivity))
