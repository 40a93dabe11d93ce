"""The ``reentry`` command line.

Every user error (a bad flag, scenario, parameter or results folder) prints one
line starting with ``reentry: error:`` and exits with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from model import ParameterError
from model.limits import (
    DEFAULT_WARMUP_WEEKS,
    MAX_PERSONS,
    MAX_SEED,
    MAX_WARMUP_WEEKS,
    MAX_WEEKS,
    MODES,
    warmup_weeks,
)
from model.parameters import parameter_table
from scenarios.loader import DEFAULT_SCENARIOS, ScenarioError, available, load

from .errors import ExecutorLostError, StoreError, UserError
from .executors import DASK_TIMEOUT, EXECUTORS, default_workers

if TYPE_CHECKING:
    from model.model import ReentryModel

# The model, pandas and the analysis take seconds to import, so each command imports
# what it needs when it runs: --help and input errors answer at once.

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        # main() prints "reentry: error:", so name only the subcommand here
        command = self.prog.partition(" ")[2]
        where = f"{command}: " if command else ""
        raise UserError(f"{where}{message} (see '{self.prog} --help')")


def _integer(name: str, lo: int, hi: int, unit: str = ""):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be an integer, got {text!r}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{name} must be in [{lo}, {hi}]{unit}, got {value}")
        return value

    return parse


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--seed must be a non-negative integer, got {text!r}"
        ) from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"--seed must be a non-negative integer up to 2**62, got {value}"
        )
    return value


def _number(name: str, hi: float, unit: str = "", zero: bool = False):
    """A number in (0, hi], or [0, hi] when ``zero`` is allowed; nan and inf are refused."""
    shown = f"{'[' if zero else '('}0, {hi:g}]{unit}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number, got {text!r}") from None
        if not (value >= 0 if zero else value > 0) or not value <= hi:  # False for nan
            raise argparse.ArgumentTypeError(f"{name} must be in {shown}, got {text}")
        return value

    return parse


def _scheduler(text: str) -> str:
    """'local', or tcp://HOST:PORT with a port in 1-65535."""
    if text == "local":
        return text
    host, _, port = text.removeprefix("tcp://").rpartition(":")
    if not text.startswith("tcp://") or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(
            f"--scheduler must be 'local' or tcp://HOST:PORT with a port in 1-65535, got {text!r}"
        )
    return text


def _assignment(text: str) -> tuple[str, object]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"--set takes NAME=VALUE, got {text!r}")
    key, raw = text.split("=", 1)
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # a bare word such as fcfs
    return key.strip(), value


def _add_size_options(p: argparse.ArgumentParser, mode: str) -> None:
    p.add_argument(
        "--mode",
        choices=MODES,
        default=mode,
        help=f"flow: a steady stream of entries in steady state, for policy (calibrated); "
        f"cohort: N people released over 26 weeks, for teaching (default: {mode})",
    )
    p.add_argument(
        "--persons",
        type=_integer("--persons", 1, MAX_PERSONS),
        default=2000,
        metavar="N",
        help="cohort size, or in flow mode the expected entries over the measured weeks "
        "(default: 2000)",
    )
    p.add_argument(
        "--weeks",
        type=_integer("--weeks", 1, MAX_WEEKS),
        default=156,
        metavar="W",
        help="weeks measured: from the first release (cohort) or after the warm-up (flow) "
        "(default: 156)",
    )
    p.add_argument(
        "--warmup",
        type=_integer("--warmup", 0, MAX_WARMUP_WEEKS, " weeks"),
        metavar="WEEKS",
        help="flow mode: weeks simulated before the measured weeks and left out of every "
        f"outcome (default: {DEFAULT_WARMUP_WEEKS}; a cohort has none)",
    )
    p.add_argument("--seed", type=_seed, default=1, metavar="S", help="random seed (default: 1)")


def _add_design_overrides(p: argparse.ArgumentParser) -> None:
    """Flags that override the design file's size, warm-up, seed and replications."""
    p.add_argument(
        "--persons",
        type=_integer("--persons", 1, MAX_PERSONS),
        metavar="N",
        help="override the design's persons (cohort size, or flow entries)",
    )
    p.add_argument(
        "--weeks",
        type=_integer("--weeks", 1, MAX_WEEKS),
        metavar="W",
        help="override the design's measured weeks",
    )
    p.add_argument(
        "--warmup",
        type=_integer("--warmup", 0, MAX_WARMUP_WEEKS, " weeks"),
        metavar="WEEKS",
        help="override the design's warm-up (flow mode)",
    )
    p.add_argument(
        "--replications",
        type=_integer("--replications", 1, 10_000),
        metavar="R",
        help="override the design's replications per point",
    )
    p.add_argument("--seed", type=_seed, metavar="S", help="override the design's first seed")


def _add_set(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--set",
        type=_assignment,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"override one parameter on top of {what} (repeatable); see 'reentry params'",
    )


def _add_workers(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--workers",
        type=_integer("--workers", 1, 4096),
        default=default_workers(),
        metavar="K",
        help=f"parallel workers (default: all {default_workers()} cores)",
    )


def _add_execution_options(p: argparse.ArgumentParser, default_out: str) -> None:
    p.add_argument(
        "--out",
        type=Path,
        default=Path(default_out),
        metavar="DIR",
        help=f"results folder (default: {default_out})",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted experiment in --out, skipping the runs already stored",
    )
    p.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="process",
        help="serial, a local process pool, or Dask (default: process)",
    )
    _add_workers(p)
    p.add_argument(
        "--scheduler",
        type=_scheduler,
        metavar="local|tcp://HOST:PORT",
        help="run on Dask: 'local' starts a LocalCluster, tcp://HOST:PORT uses an existing "
        "cluster (implies --executor dask)",
    )
    p.add_argument(
        "--dask-timeout",
        type=_number("--dask-timeout", 86_400, " seconds"),
        default=DASK_TIMEOUT,
        metavar="SECONDS",
        help="Dask: how long to wait for the scheduler to answer, or for a worker when the "
        "cluster has none left, before stopping with the stored runs kept "
        f"(default: {DASK_TIMEOUT:g})",
    )
    p.add_argument(
        "--chunk-size",
        type=_integer("--chunk-size", 1, 100_000),
        default=25,
        metavar="N",
        help="runs per Parquet chunk; a crash loses at most the runs not yet in a chunk "
        "(default: 25)",
    )
    p.add_argument(
        "--no-progress", dest="progress", action="store_false", help="hide the progress bar"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="reentry",
        description="Agent-based model of support after release from prison (Mesa).",
        epilog="Run 'reentry COMMAND --help' for the options of a command.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser(
        "run",
        help="run one scenario and print its outcomes",
        description="Run one scenario once and print a summary of its outcomes. "
        "Shares are fractions in [0, 1].",
    )
    run.add_argument(
        "--scenario",
        default="baseline",
        metavar="NAME_OR_FILE",
        help="a shipped scenario name (see 'reentry scenarios') or a TOML file (default: baseline)",
    )
    _add_size_options(run, mode="flow")
    _add_set(run, "the scenario")
    run.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write weekly, release, process and person tables (Parquet) and summary.json to DIR",
    )
    run.add_argument(
        "--overwrite", action="store_true", help="allow --out to replace an earlier run in DIR"
    )
    run.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")

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
        type=_integer("--replications", 1, 10_000),
        default=5,
        metavar="R",
        help="replications per scenario (default: 5)",
    )
    _add_size_options(compare, mode="flow")
    _add_set(compare, "every scenario")
    _add_execution_options(compare, default_out="results/compare")

    sweep = sub.add_parser(
        "sweep",
        help="run a full-factorial grid or a Latin hypercube from a design file",
        description="Run every point of a design file ([grid]: all combinations; [ranges] "
        "with samples: a Latin hypercube) with replications on common random numbers. "
        "Writes runs, weeks and a points table (mean and sd per point) to --out.",
    )
    sweep.add_argument("design", type=Path, metavar="FILE", help="design file (TOML)")
    _add_design_overrides(sweep)
    _add_execution_options(sweep, default_out="results/sweep")

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
    _add_design_overrides(sens)
    _add_execution_options(sens, default_out="results/sensitivity")

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
        type=_number("--accept", 1),
        default=0.1,
        metavar="Q",
        help="share of samples accepted, in (0, 1] (default: 0.1)",
    )
    _add_design_overrides(calibrate)
    _add_execution_options(calibrate, default_out="results/calibration")

    validate = sub.add_parser(
        "validate",
        help="run the baseline and compare it with every calibration target",
        description="Run the baseline in steady-state flow R times (seeds S..S+R-1) and print "
        "model against each target in analysis/targets.toml, with the model's 95% CI over "
        "replications, and pass within the target's tolerance, pass within its own sampling "
        "interval given its N, or fail.",
    )
    validate.add_argument(
        "--scenario",
        default="baseline",
        metavar="NAME_OR_FILE",
        help="scenario to validate (default: baseline)",
    )
    validate.add_argument(
        "--replications",
        type=_integer("--replications", 1, 1000),
        default=5,
        metavar="R",
        help="replications (default: 5)",
    )
    _add_size_options(validate, mode="flow")
    _add_workers(validate)
    validate.add_argument(
        "--json",
        action="store_true",
        help='print {"targets": [{"name", "target", "model", "ci_low", "ci_high", '
        '"tolerance", "pass", "sampling_half_width", "verdict", "n"}, ...]}; verdict is '
        "tolerance, sampling or outside",
    )

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
    funding.add_argument(
        "--budget",
        type=_number("--budget", 1e9, " EUR a year", zero=True),
        required=True,
        metavar="EUR_PER_YEAR",
        help="extra budget a year that every option spends, e.g. 500000",
    )
    funding.add_argument(
        "--options",
        type=Path,
        metavar="FILE",
        help="option file (TOML; default: the shipped scenarios/funding/options.toml)",
    )
    funding.add_argument(
        "--costs",
        type=Path,
        metavar="FILE",
        help="unit-cost table (TOML; default: the shipped scenarios/funding/costs.toml)",
    )
    funding.add_argument(
        "--baseline",
        default="baseline",
        metavar="NAME_OR_FILE",
        help="the scenario without extra budget (default: baseline)",
    )
    funding.add_argument(
        "--releases-per-year",
        type=_number("--releases-per-year", 1e6),
        default=1000.0,
        metavar="N",
        help="releases a year in the area the budget serves (default: 1000)",
    )
    funding.add_argument(
        "--years",
        type=_integer("--years", 1, 20, " years"),
        default=3,
        metavar="N",
        help="years measured after the warm-up, and discounted (default: 3)",
    )
    funding.add_argument(
        "--discount",
        type=_number("--discount", 0.2, zero=True),
        default=0.035,
        metavar="R",
        help="real discount rate a year, in [0, 0.2] (default: 0.035; WSIPP uses 0.02-0.05)",
    )
    funding.add_argument(
        "--replications",
        type=_integer("--replications", 1, 10_000),
        default=20,
        metavar="R",
        help="Monte Carlo draws; each runs the baseline and every option once (default: 20)",
    )
    funding.add_argument(
        "--fixed-parameters",
        action="store_true",
        help="keep the calibrated parameters at their means: only unit costs and chance vary",
    )
    funding.add_argument(
        "--persons",
        type=_integer("--persons", 1, MAX_PERSONS),
        metavar="N",
        help="entries simulated over the measured years (default: the area's own size); "
        "results are scaled to --releases-per-year",
    )
    funding.add_argument(
        "--warmup",
        type=_integer("--warmup", 0, MAX_WARMUP_WEEKS, " weeks"),
        metavar="WEEKS",
        help=f"weeks simulated before the measured years (default: {DEFAULT_WARMUP_WEEKS})",
    )
    funding.add_argument(
        "--seed", type=_seed, default=1, metavar="S", help="seed of draw 0 (default: 1)"
    )
    _add_execution_options(funding, default_out="results/funding")

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

    dashboard = sub.add_parser(
        "dashboard",
        help="serve the teaching dashboard (app.py) on 127.0.0.1",
        description="Serve the teaching dashboard: a cohort through detention, release and "
        "after, live in the browser, with presets for the shipped scenarios. Local only: no "
        "telemetry, no request leaves the machine.",
    )
    dashboard.add_argument(
        "--port",
        type=_integer("--port", 1024, 65535),
        default=8765,
        metavar="N",
        help="port on 127.0.0.1 (default: 8765)",
    )

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
        type=_integer("--persons", 1, MAX_PERSONS),
        default=4000,
        metavar="N",
        help="expected entries over the measured weeks (default: 4000)",
    )
    size.add_argument(
        "--weeks", type=_integer("--weeks", 1, MAX_WEEKS), default=156, metavar="W",
        help="measured weeks (default: 156)",
    )  # fmt: skip
    size.add_argument(
        "--warmup",
        type=_integer("--warmup", 0, MAX_WARMUP_WEEKS, " weeks"),
        metavar="WEEKS",
        help=f"weeks before the measured ones (default: {DEFAULT_WARMUP_WEEKS})",
    )
    size.add_argument(
        "--replications", type=_integer("--replications", 1, 100), default=3, metavar="R",
        help="seeds S..S+R-1 (default: 3)",
    )  # fmt: skip
    size.add_argument("--seed", type=_seed, default=1, metavar="S", help="first seed (default: 1)")

    report = sub.add_parser(
        "report",
        help="turn a compare, sweep, sensitivity or calibrate folder into one HTML file",
        description="Read an experiment's results folder (finished or interrupted) and write "
        "one self-contained HTML report, readable offline: settings and provenance, the "
        "comparison or sensitivity tables, model against the calibration targets, and "
        "figures of the basic conditions over time, survival to the first new offence, "
        "targets, waiting times, outcomes by typology and detention length, and the buddy "
        "programme. The figures are also written as PNG to DIR/figures/.",
    )
    report.add_argument("dir", type=Path, metavar="DIR", help="results folder, e.g. results/demo")
    report.add_argument(
        "--output",
        type=Path,
        metavar="FILE.html",
        help="where to write the HTML (default: DIR/report.html, replaced on each report); "
        "an existing file is kept unless --overwrite is given",
    )
    report.add_argument(
        "--overwrite", action="store_true", help="allow --output to replace an existing file"
    )

    sub.add_parser(
        "scenarios",
        help="list the shipped scenarios with their descriptions",
        description="List the shipped scenarios with their descriptions.",
    )
    params = sub.add_parser(
        "params",
        help="list every parameter with unit, range and source",
        description="List every model parameter: default, unit, allowed "
        "range, kind (lever, calibrated, fixed) and source.",
    )
    params.add_argument("--csv", action="store_true", help="print as CSV")
    params.add_argument(
        "--markdown", action="store_true", help="print as a Markdown table (as in docs/ODD.md)"
    )
    return parser


def cmd_run(args: argparse.Namespace) -> None:
    warmup = warmup_weeks(args.mode, args.warmup)  # a warm-up for a cohort is refused at once
    scenario = load(args.scenario)
    overrides = {**scenario.overrides, **dict(args.set)}
    params = scenario.params.from_dict(dict(args.set), base=scenario.params)
    show = not (args.no_progress or args.json) and sys.stderr.isatty()
    loading(show)
    from analysis.report_text import format_summary
    from analysis.summary import summarise
    from model.compile import ensure_compiled

    from .experiment import provenance
    from .runner import Task, model_for, results_of
    from .store import check_target, locked, write_run

    if args.out is not None:
        check_target(args.out, overwrite=args.overwrite)
    task = Task(
        run_id="run",
        scenario=scenario.name,
        params=overrides,
        replication=0,
        seed=args.seed,
        mode=args.mode,
        persons=args.persons,
        weeks=args.weeks,
        warmup=warmup,
    )
    ensure_compiled()
    model = model_for(task)
    _run_with_progress(model, show)
    summary = summarise(model)
    summary["scenario"] = scenario.name
    summary["overrides"] = dict(args.set)  # --set on top of the scenario
    if args.out is not None:
        manifest = {
            "command": "run",
            "scenarios": {
                scenario.name: {
                    "description": scenario.description,
                    "overrides": overrides,
                    "parameters": params.to_dict(),
                }
            },
            "seeds": [args.seed],
            "warmup": warmup,
            "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
            **provenance(),
        }
        record, weeks = results_of(task, model, summary)
        with locked(args.out, "run"):
            write_run(args.out, model, summary, args.overwrite, manifest, record, weeks)
    if args.json:
        print(json.dumps(summary))
    else:
        print(format_summary(summary))
        if args.out is not None:
            print(f"\nTables written to {args.out}/ (weekly, releases, process, persons .parquet)")


def loading(show: bool) -> None:
    """Say what the first seconds are for (Mesa, pandas and the model load); the progress
    bar then writes over the line."""
    if show:
        print("Loading the model and its analysis...", end="\r", file=sys.stderr, flush=True)


def _run_with_progress(model: ReentryModel, show: bool) -> None:
    from tqdm import tqdm

    total = model.end_week - model.start_week
    with tqdm(total=total, unit="week", disable=not show, leave=False) as bar:
        while model.running:
            model.step()
            bar.update(1)


def cmd_validate(args: argparse.Namespace) -> None:
    from .compare import tasks_from_args

    tasks, _, _ = tasks_from_args(args, [args.scenario])
    import pandas as pd

    from analysis.validation import compare_to_targets, format_validation, load_targets

    from .executors import check_fits, execute

    check_fits(tasks, "process", args.workers, None)
    from model.compile import ensure_compiled

    ensure_compiled()
    runs = pd.DataFrame([record for record, _ in execute(tasks, "process", args.workers)])
    table = compare_to_targets(runs, load_targets())
    if args.json:
        keys = ["name", "target", "model", "ci_low", "ci_high", "tolerance", "pass",
                "sampling_half_width", "verdict", "n"]  # fmt: skip
        rows = table[keys].astype(object).where(table[keys].notna(), None)
        print(json.dumps({"targets": rows.to_dict(orient="records")}))
    else:
        print(format_validation(table))


def cmd_scenarios(_: argparse.Namespace) -> None:
    items = available()
    width = max(map(len, items), default=0)
    for name, description in items.items():
        print(f"{name:<{width}}  {description}")


def cmd_params(args: argparse.Namespace) -> None:
    import pandas as pd

    table = pd.DataFrame(parameter_table())
    if args.csv:
        print(table.to_csv(index=False), end="")
    elif args.markdown:
        print("| parameter | default | unit | allowed | kind | source | meaning |")
        print("|---|---|---|---|---|---|---|")
        for r in table.itertuples():
            print(
                f"| `{r.name}` | {r.default} | {r.unit} | {r.allowed} | {r.kind} | "
                f"{r.source} | {r.doc} |"
            )
    else:
        # a block per parameter, wrapped to 100 columns: a table of every field would not fit
        for r in table.itertuples():
            head = f"{r.name} = {r.default!r}  ({r.unit}; {r.allowed}; {r.kind})"
            print(textwrap.fill(head, 100, subsequent_indent="    "))
            for label, text in (("", r.doc), ("source: ", r.source)):
                print(textwrap.fill(label + text, 100, initial_indent="    ",
                                    subsequent_indent="    " + " " * len(label)))  # fmt: skip


def _with_scheduler(command):
    """--scheduler implies the Dask executor."""

    def run(args: argparse.Namespace) -> None:
        if args.scheduler:
            args.executor = "dask"
        command(args)

    return run


def _command(module: str, name: str):
    """The command ``name`` of ``module``, imported when it runs."""

    def run(args: argparse.Namespace) -> None:
        getattr(importlib.import_module(module, __package__), name)(args)

    return run


def main(argv: list[str] | None = None) -> int:
    commands = {
        "run": cmd_run,
        "compare": _with_scheduler(_command(".compare", "cmd_compare")),
        "sweep": _with_scheduler(_command(".sweep", "cmd_sweep")),
        "sensitivity": _with_scheduler(_command(".sweep", "cmd_sensitivity")),
        "calibrate": _with_scheduler(_command(".calibrate", "cmd_calibrate")),
        "validate": cmd_validate,
        "report": _command(".report", "cmd_report"),
        "size": _command(".size", "cmd_size"),
        "dashboard": _command(".dashboard", "cmd_dashboard"),
        "funding": _with_scheduler(_command(".funding", "cmd_funding")),
        "costs": _command(".funding", "cmd_costs"),
        "scenarios": cmd_scenarios,
        "params": cmd_params,
    }
    try:
        args = build_parser().parse_args(argv)
        commands[args.command](args)
    except (UserError, ScenarioError, ParameterError, StoreError, ExecutorLostError) as exc:
        print(f"reentry: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        print(f"reentry: interrupted{f'; {exc}' if str(exc) else ''}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `reentry params | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
