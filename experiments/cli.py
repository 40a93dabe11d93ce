"""The ``reentry`` command line.

Every user error (a bad flag, scenario, parameter or results folder) prints one
line starting with ``reentry: error:`` and exits with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from model import ParameterError
from model.limits import warmup_weeks
from model.parameters import parameter_table
from scenarios.loader import ScenarioError, available, load

from . import calibrate, compare, dashboard, funding, report, size, sweep
from .errors import ExecutorLostError, StoreError, UserError
from .options import add_set, add_size_options, add_workers, integer, loading

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


def build_parser() -> argparse.ArgumentParser:
    """The command line: each command's module registers its own parser."""
    parser = _Parser(
        prog="reentry",
        description="Agent-based model of support after release from prison (Mesa).",
        epilog="Run 'reentry COMMAND --help' for the options of a command.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for register in (
        _register_run, compare.register, sweep.register, calibrate.register,
        _register_validate, funding.register, dashboard.register, size.register,
        report.register, _register_listings,
    ):  # fmt: skip
        register(sub)
    return parser


def _register_run(sub: argparse._SubParsersAction) -> None:
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
    add_size_options(run, mode="flow")
    add_set(run, "the scenario")
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
    run.set_defaults(handler=cmd_run)


def _register_validate(sub: argparse._SubParsersAction) -> None:
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
        type=integer("--replications", 1, 1000),
        default=5,
        metavar="R",
        help="replications (default: 5)",
    )
    add_size_options(validate, mode="flow")
    add_workers(validate)
    validate.add_argument(
        "--json",
        action="store_true",
        help='print {"targets": [{"name", "target", "model", "ci_low", "ci_high", '
        '"tolerance", "pass", "sampling_half_width", "verdict", "n"}, ...]}; verdict is '
        "tolerance, sampling or outside",
    )
    validate.set_defaults(handler=cmd_validate)


def _register_listings(sub: argparse._SubParsersAction) -> None:
    scenarios = sub.add_parser(
        "scenarios",
        help="list the shipped scenarios with their descriptions",
        description="List the shipped scenarios with their descriptions.",
    )
    scenarios.set_defaults(handler=cmd_scenarios)
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
    params.set_defaults(handler=cmd_params)


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


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        args.handler(args)
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
