"""``reentry compare``: named scenarios, paired on common random numbers."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from model.limits import warmup_weeks
from model.parameters import ParameterError, Parameters
from scenarios.loader import DEFAULT_SCENARIOS, Scenario, ScenarioError, load

from .options import (
    add_execution_options,
    add_set,
    add_size_options,
    integer,
    loading,
    with_scheduler,
)
from .runner import Task


def compare_tasks(
    scenario_args: list[str],
    replications: int,
    seed: int,
    mode: str,
    persons: int,
    weeks: int,
    warmup: int | None = None,
    sets: dict[str, Any] | None = None,
) -> tuple[list[Task], list[str], dict[str, dict]]:
    """Replication r of every scenario gets seed + r: the pairing of common random numbers.

    ``sets`` (``--set NAME=VALUE``) override parameters on top of every scenario.
    """
    warmup = warmup_weeks(mode, warmup)
    scenarios = [with_sets(load(arg), sets or {}) for arg in scenario_args]
    names = [sc.name for sc in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError(f"each scenario may appear once (got {', '.join(names)})")
    tasks = [
        Task(
            run_id=f"{sc.name}/r{r:03d}",
            scenario=sc.name,
            params=sc.overrides,
            replication=r,
            seed=seed + r,
            mode=mode,
            persons=persons,
            weeks=weeks,
            warmup=warmup,
        )
        for r in range(replications)
        for sc in scenarios
    ]
    described = {
        sc.name: {
            "description": sc.description,
            "overrides": sc.overrides,
            "parameters": sc.params.to_dict(),
        }
        for sc in scenarios
    }
    return tasks, names, described


def with_sets(scenario: Scenario, sets: dict[str, Any]) -> Scenario:
    """The scenario with ``--set`` overrides on top; a bad value names the scenario."""
    if not sets:
        return scenario
    try:
        params = Parameters.from_dict(sets, base=scenario.params)
    except ParameterError as exc:
        raise ScenarioError(f"--set on {scenario.name}: {exc}") from None
    return Scenario(scenario.name, scenario.description, params, {**scenario.overrides, **sets})


def tasks_from_args(
    args: argparse.Namespace, scenarios: list[str]
) -> tuple[list[Task], list[str], dict[str, dict]]:
    """:func:`compare_tasks` with the size, seed and replication flags of a command."""
    return compare_tasks(
        scenarios, args.replications, args.seed, args.mode, args.persons, args.weeks, args.warmup,
        dict(getattr(args, "set", [])),
    )  # fmt: skip


def cmd_compare(args: argparse.Namespace) -> None:
    tasks, names, described = tasks_from_args(args, args.scenarios or list(DEFAULT_SCENARIOS))
    # the scenarios are checked; only now import what running and plotting need
    loading(args.progress and sys.stderr.isatty())
    from analysis.channels import channel_table
    from analysis.compare import format_table, paired_summary
    from analysis.plots import plot_outcomes, write_figures
    from analysis.validation import load_targets

    from .experiment import run_from_args
    from .store import write_csv, write_table

    manifest = {
        "command": "compare",
        "scenarios": described,
        "seeds": sorted({t.seed for t in tasks}),
        "warmup": tasks[0].warmup,
    }
    with run_from_args(args, tasks, manifest) as (runs, weeks):
        if args.progress:
            print(f"Writing tables and figures to {args.out}/ ...", file=sys.stderr, flush=True)
        summary = paired_summary(runs, names)
        write_csv(summary, args.out / "summary.csv")
        write_table(summary, args.out / "summary.parquet")
        plot_outcomes(summary, args.out / "outcomes.png")
        weights = described[names[0]]["parameters"]
        write_csv(channel_table(runs, weeks, names, weights), args.out / "channels.csv")
        (args.out / "figures").mkdir(exist_ok=True)
        write_figures(runs, weeks, "scenario", args.mode, load_targets(), args.out / "figures")
    print(format_table(summary, names[0]))
    print(
        f"\n{len(runs)} runs ({args.replications} replications x {len(names)} scenarios, "
        f"seeds {args.seed}..{args.seed + args.replications - 1}); results in {args.out}/"
    )


def register(sub: argparse._SubParsersAction) -> None:
    """The ``compare`` command's parser."""
    compare = sub.add_parser(
        "compare",
        help="compare scenarios, paired on common random numbers",
        description="Run scenarios with R replications each. Replication r of every scenario "
        "uses seed S+r, so differences are paired (common random numbers). Prints the mean, "
        "the difference from the first scenario and its 95% CI; writes Parquet run and week "
        "tables, summary.csv, PNG plots and a manifest to --out.",
    )
    compare.add_argument(
        "scenarios",
        nargs="*",
        metavar="SCENARIO",
        help="scenario names or TOML files; the first is the reference "
        f"(default: {' '.join(DEFAULT_SCENARIOS)})",
    )
    compare.add_argument(
        "--replications",
        type=integer("--replications", 1, 10_000),
        default=5,
        metavar="R",
        help="replications per scenario (default: 5)",
    )
    add_size_options(compare, mode="flow")
    add_set(compare, "every scenario")
    add_execution_options(compare, default_out="results/compare")
    compare.set_defaults(handler=with_scheduler(cmd_compare))
