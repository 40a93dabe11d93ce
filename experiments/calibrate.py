"""``reentry calibrate``: fit the free (assumption) parameters to the targets by ABC.

Approximate Bayesian computation by rejection: a Latin hypercube over the
calibration ranges, each point run with replications on common random
numbers; the points whose outcomes lie closest to the targets (distance: the
sum over targets of ((model - target) / tolerance)^2) are accepted, and their
spread is the uncertainty of the fitted values. Parameters of kind ``lever``
carry policy and are refused, with one exception the design must name: where no
source gives a lever's level today (how many places a service has), its
``status_quo`` list lets the calibration infer that level. Scenarios then
change the lever from there; its effect is never fitted.
"""

from __future__ import annotations

import argparse
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

from model.parameters import Parameters
from scenarios.loader import ScenarioError

from .design import Design, read_design, sweep_points, tasks_for, with_overrides
from .options import add_design_overrides, add_execution_options, number, with_scheduler

if TYPE_CHECKING:
    import pandas as pd


def distance(means: pd.DataFrame, targets: list[dict]) -> pd.Series:
    """Sum of squared misses in units of each target's tolerance (max-targets: only above)."""
    import pandas as pd

    total = pd.Series(0.0, index=means.index)
    for t in targets:
        miss = means[t["outcome"]] - t["value"]
        if t["kind"] == "max":
            miss = miss.clip(lower=0)
        # a target the runs cannot observe (e.g. 2-year outcomes in a short run) adds nothing
        total += ((miss / max(t["tolerance"], 0.01)) ** 2).fillna(0.0)
    return total


def check_calibration_design(design: Design, path: Path) -> None:
    """Refuse levers that are not status quo, a design without ranges, shaped ranges."""
    kinds = {f.name: f.metadata["kind"] for f in fields(Parameters)}
    levers = [n for n in design.ranges if kinds[n] == "lever" and n not in design.status_quo]
    if levers:
        raise ScenarioError(
            f"{path}: policy levers are never fitted: {', '.join(levers)} (a lever's "
            "status-quo level may be inferred only when listed in status_quo)"
        )
    if not design.ranges:
        raise ScenarioError(f"{path}: calibration needs a [ranges] table")
    shaped = [n for n, d in design.dists.items() if d["dist"] != "uniform"]
    if shaped:
        raise ScenarioError(
            f"{path}: calibration takes uniform ranges only ([low, high], a flat prior); "
            f"ranges.{shaped[0]} is {design.dists[shaped[0]]['dist']}"
        )


def fitted_values(design: Design, points: list[dict], keep) -> dict[str, dict]:
    """Mean, spread and best of each fitted parameter over the accepted samples."""
    import pandas as pd

    table = pd.DataFrame(points).loc[keep]
    return {
        name: {
            "mean": float(table[name].mean()),
            "sd": float(table[name].std(ddof=1)) if len(table) > 1 else 0.0,
            "p05": float(table[name].quantile(0.05)),
            "p95": float(table[name].quantile(0.95)),
            "best": float(table[name].iloc[0]),
            "range": list(design.ranges[name]),
            "status_quo_lever": name in design.status_quo,
        }
        for name in design.ranges
    }


def cmd_calibrate(args: argparse.Namespace) -> None:
    design = with_overrides(read_design(args.design), args)
    check_calibration_design(design, args.design)
    # the design is checked; only now import the analysis and the runner (seconds)
    import pandas as pd

    from analysis.validation import compare_to_targets, format_validation, load_targets

    from .experiment import run_from_args
    from .store import write_csv, write_json, write_table

    targets = load_targets()
    points = sweep_points(design)
    tasks = tasks_for(design, points)
    manifest = {
        "command": "calibrate",
        "design": str(args.design),
        "targets": targets,
    }
    with run_from_args(args, tasks, manifest) as (runs, _):
        outcomes = sorted({t["outcome"] for t in targets})
        means = runs.groupby("point")[outcomes].mean()
        unobserved = [t["name"] for t in targets if means[t["outcome"]].isna().all()]
        loss = distance(means, targets).sort_values()
        keep = loss.index[: max(1, round(args.accept * len(loss)))]
        fitted = fitted_values(design, points, keep)
        best = runs[runs["point"] == keep[0]]
        check = compare_to_targets(best, targets)
        result = {
            "method": "ABC rejection on a Latin hypercube",
            "samples": len(points),
            "replications": design.replications,
            "accepted": len(keep),
            "fitted": fitted,
            "loss_best": float(loss.iloc[0]),
            "loss_accepted_median": float(loss.loc[keep].median()),
            "unobserved_targets": unobserved,
            "outside_tolerance": check.loc[~check["pass"], ["name", "target", "model"]].to_dict(
                "records"
            ),
        }
        write_json(result, args.out / "calibration.json")
        write_table(check, args.out / "targets_at_best.parquet")
        distances = pd.DataFrame({"point": loss.index, "distance": loss.to_numpy()})
        write_csv(distances, args.out / "distances.csv")  # closest first
    print(
        f"accepted {len(keep)} of {len(points)} samples (distance {loss.iloc[0]:.1f} best, "
        f"{loss.loc[keep].median():.1f} median)\n"
    )
    print(f"{'parameter':<34}{'mean':>10}{'sd':>10}{'best':>10}   range")
    for name, f in fitted.items():
        print(f"{name:<34}{f['mean']:>10.4g}{f['sd']:>10.3g}{f['best']:>10.4g}   {f['range']}")
    print("\nTargets at the best sample:\n" + format_validation(check))


def register(sub: argparse._SubParsersAction) -> None:
    """The ``calibrate`` command's parser."""
    calibrate = sub.add_parser(
        "calibrate",
        help="fit the free (assumption) parameters to the targets (ABC rejection)",
        description="Sample the [ranges] of a calibration design (Latin hypercube), run each "
        "point with replications on common random numbers, and accept the points closest to "
        "analysis/targets.toml. Writes calibration.json (fitted values with their spread, the "
        "distance, the targets still outside tolerance). Policy levers are refused.",
    )
    calibrate.add_argument(
        "design",
        type=Path,
        metavar="FILE",
        help="calibration design (TOML), e.g. analysis/calibration.toml",
    )
    calibrate.add_argument(
        "--accept",
        type=number("--accept", 1),
        default=0.1,
        metavar="Q",
        help="share of samples accepted, in (0, 1] (default: 0.1)",
    )
    add_design_overrides(calibrate)
    add_execution_options(calibrate, default_out="results/calibration")
    calibrate.set_defaults(handler=with_scheduler(cmd_calibrate))
