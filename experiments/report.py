"""``reentry report DIR``: any experiment folder as one offline HTML file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import StoreError
from .store import load_results, locked, read_manifest

if TYPE_CHECKING:
    import pandas as pd

    from analysis.report import Section

MAX_GROUPS = 8
"""Sweeps with more points than this are drawn pooled: one line per point is unreadable."""


def _point_labels(runs: pd.DataFrame) -> pd.Series:
    """``a=1, b=0.5`` per run, from its swept parameters."""
    params = [c for c in runs.columns if c.startswith("param_")]

    def label(row: pd.Series) -> str:
        return ", ".join(
            f"{c.removeprefix('param_')}={f'{v:g}' if isinstance(v, float) else v}"
            for c, v in row.items()
        )

    return runs[params].apply(label, axis=1)


def grouping(command: str, runs: pd.DataFrame) -> tuple[pd.Series, str]:
    """The label that groups runs into lines, and a sentence saying what it is."""
    if command in ("compare", "run"):
        return runs["scenario"].astype(str), "One line per scenario."
    if command == "funding":
        return runs["scenario"].astype(str), (
            "One line per funding option; baseline has no extra budget. Each line pools the "
            "Monte Carlo draws of unit costs and model parameters."
        )
    if command == "sweep" and runs["point"].nunique() <= MAX_GROUPS:
        return _point_labels(runs), "One line per sweep point."
    import pandas as pd

    pooled = pd.Series("all runs", index=runs.index)
    return pooled, (
        f"All {runs['point'].nunique()} sample points pooled: the figures show the spread of "
        "outcomes over the whole design, not the effect of any one parameter."
    )


def _read_csv(path: Path) -> pd.DataFrame | None:
    if not path.is_file():
        return None
    import pandas as pd

    try:
        return pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path} is corrupt ({type(exc).__name__}); nothing was changed") from None


def _facts(root: Path, manifest: dict, runs: pd.DataFrame) -> dict[str, str]:
    return {
        "folder": str(root),
        "command": str(manifest.get("command")),
        "runs": f"{len(runs)} of {manifest.get('runs_planned', '?')} planned",
        "mode, persons, weeks": f"{runs['mode'].iloc[0]}, {runs['persons'].iloc[0]}, "
        f"{runs['weeks'].iloc[0]}",
        "seeds": f"{runs['seed'].min()}..{runs['seed'].max()}",
        "created": str(manifest.get("created")),
        "git commit": str(manifest.get("git_commit")),
        "packages": ", ".join(f"{k} {v}" for k, v in manifest.get("packages", {}).items() if v),
    }


TITLES = {
    "compare": "Scenario comparison",
    "sweep": "Parameter sweep",
    "sensitivity": "Sensitivity analysis",
    "calibrate": "Calibration",
    "funding": "Funding options",
    "run": "One run",
}
HIDDEN_SETTINGS = ("command", "progress", "resume", "dask_timeout", "chunk_size", "overwrite",
                   "no_progress", "json", "dir", "output")  # fmt: skip


def settings_table(manifest: dict) -> pd.DataFrame:
    """The command's settings as a two-column table (what was asked, not how it ran)."""
    import pandas as pd

    settings = manifest.get("settings", {})
    rows = [
        {"setting": k.replace("_", " "), "value": _shown(v)}
        for k, v in settings.items()
        if v not in (None, [], {}) and k not in HIDDEN_SETTINGS
    ]
    return pd.DataFrame(rows, columns=["setting", "value"])


def _shown(value: object) -> str:
    if (
        isinstance(value, list | tuple)
        and value
        and all(isinstance(v, list | tuple) for v in value)
    ):
        return ", ".join(f"{k} = {v}" for k, v in value)  # --set pairs
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def scenarios_table(manifest: dict) -> pd.DataFrame | None:
    """Each scenario's description and the parameters it changes from the defaults."""
    import pandas as pd

    described = manifest.get("scenarios")
    if not described:
        return None
    return pd.DataFrame(
        [
            {
                "scenario": name,
                "description": d.get("description", ""),
                "parameters changed": "; ".join(f"{k} = {v}" for k, v in d["overrides"].items())
                or "(none: the defaults)",
            }
            for name, d in described.items()
        ]
    )


def _thousands(values: pd.Series) -> pd.Series:
    return values.map(lambda x: f"{x / 1e3:,.0f}")


def _funding_tables(root: Path) -> list[tuple[str, pd.DataFrame]]:
    """The economics, effects and payer tables in the units people read them in."""
    tables: list[tuple[str, pd.DataFrame]] = []
    economics = _read_csv(root / "economics.csv")
    effects = _read_csv(root / "effects.csv")
    payers = _read_csv(root / "payers.csv")
    if economics is not None:
        tables.append(
            (
                "Per option, present values in EUR thousand (economics.csv has every column)",
                economics.assign(
                    benefits=_thousands(economics["benefits_pv"]),
                    cost=_thousands(economics["programme_cost_pv"]),
                    npv=_thousands(economics["npv"]),
                    npv_95pct_of_draws=[
                        f"{lo / 1e3:,.0f} to {hi / 1e3:,.0f}"
                        for lo, hi in economics[["npv_range_low", "npv_range_high"]].to_numpy()
                    ],
                    bcr=economics["bcr"].map("{:.2f}".format),
                    chance_benefits_exceed_costs=economics["chance_benefits_exceed_costs"].map(
                        "{:.0%}".format
                    ),
                    cost_per_redetention_avoided=economics["cost_per_redetention_avoided"].map(
                        lambda x: "" if x != x else f"{x:,.0f}"
                    ),
                )[
                    ["option", "benefits", "cost", "npv", "npv_95pct_of_draws", "bcr",
                     "chance_benefits_exceed_costs", "cost_per_redetention_avoided"]
                ],
            )
        )  # fmt: skip
    if effects is not None:
        shown = effects.assign(
            per_year=[
                f"{m:,.1f} ({lo:,.1f} to {hi:,.1f})"
                for m, lo, hi in effects[
                    ["per_year_mean", "per_year_range_low", "per_year_range_high"]
                ].to_numpy()
            ]
        ).pivot(index="option", columns="label", values="per_year")
        tables.append(
            (
                "Effects a year: mean (95% of draws); per 1,000 releases and the CIs of the "
                "mean are in effects.csv",
                shown.loc[list(dict.fromkeys(effects["option"]))].reset_index(),
            )
        )
    if payers is not None:
        tables.append(
            (
                "Present values by who gains (positive) or pays (negative), EUR thousand",
                payers.assign(value=_thousands(payers["mean"]))
                .pivot(index="option", columns="payer", values="value")
                .loc[list(dict.fromkeys(payers["option"])), list(dict.fromkeys(payers["payer"]))]
                .reset_index(),
            )
        )
    return tables


def funding_section(root: Path) -> Section:
    """The plain summary, the headline tables in readable units and the three figures."""
    from analysis.report import Section

    summary = root / "summary.md"
    text = summary.read_text(encoding="utf-8") if summary.is_file() else ""
    text = "\n".join(line.removeprefix("# ").replace("**", "") for line in text.splitlines()[1:])
    section = Section("Funding options", text)
    section.tables += _funding_tables(root)
    for name, caption in (
        ("ce_plane.png", "Cost-effectiveness plane: every draw of every option"),
        ("acceptability.png", "Cost-effectiveness acceptability curve"),
        ("payers.png", "Benefits and costs by payer"),
    ):
        if (root / "figures" / name).is_file():
            section.figures.append((caption, root / "figures" / name))
    return section


def _ordered(command: str, manifest: dict, runs: pd.DataFrame) -> pd.DataFrame:
    """Runs in the order the user named the scenarios (the reference first), grouped."""
    if command in ("compare", "funding"):
        names = manifest.get("scenarios") or ["baseline", *manifest["funding"]["options"]]
        order = {name: i for i, name in enumerate(names)}
        runs = runs.sort_values("scenario", key=lambda c: c.map(order), kind="stable")
    return runs.reset_index(drop=True)


def _compare_section(runs: pd.DataFrame, figures_dir: Path) -> Section:
    """The key outcomes with paired differences, as a table and a forest plot."""
    from analysis.compare import paired_summary
    from analysis.plots import plot_outcomes
    from analysis.report import Section

    names = list(dict.fromkeys(runs["scenario"]))
    summary = paired_summary(runs, names)
    plot_outcomes(summary, figures_dir / "outcomes.png")
    shown = summary.drop(columns=["outcome", "share", "warning"])
    return Section(
        "Key outcomes",
        f"Paired on common random numbers against {names[0]}: replication r of every "
        "scenario shares its seed, so differences are policy, not chance. Shares are "
        "fractions; the reference's difference is blank.",
        tables=[("", shown.rename(columns={"label": "outcome"}))],
        figures=[("Paired differences with 95% CIs", figures_dir / "outcomes.png")],
    )


def _table_sections(root: Path) -> list[Section]:
    """The command's own tables (channels, sweep points, sensitivity indices)."""
    from analysis.report import Section

    sections = []
    for name, caption in (
        (
            "channels.csv",
            "Channels: each scenario's paired change in the offending risk factors and its "
            "share of the weekly log-odds of offending (analysis/channels.py)",
        ),
        ("points.csv", "Sweep points: mean and sd of each output"),
        ("sensitivity.csv", "Sensitivity indices"),
    ):
        table = _read_csv(root / name)
        if table is not None:
            sections.append(Section(caption, tables=[("", table)]))
    if (root / "sensitivity.png").is_file():
        sections[-1].figures.append(
            ("Sensitivity indices with bootstrap 95% CIs", root / "sensitivity.png")
        )
        warning = root / "sensitivity_warning.txt"
        if warning.is_file():
            sections[-1].text = "Warning: " + warning.read_text(encoding="utf-8").strip()
    return sections


def _targets_section(command: str, runs: pd.DataFrame, targets: list[dict]) -> list[Section]:
    """The baseline against the calibration targets, where the folder has baseline runs."""
    from analysis.report import Section
    from analysis.validation import compare_to_targets

    judged = runs[(runs["scenario"] == "baseline") & (runs["point"] < 0)]
    if command not in ("compare", "funding", "run") or not len(judged):
        return []
    check = compare_to_targets(judged, targets)
    columns = ["name", "target", "model", "ci_low", "ci_high", "tolerance", "pass", "source"]
    return [
        Section(
            "Against the calibration targets",
            f"The baseline's {len(judged)} runs. The targets describe the Leiden cohort and "
            "national figures (analysis/targets.toml).",
            tables=[("", check[columns])],
        )
    ]


def build_report(root: Path, out: Path) -> Path:
    """Write the figures into ``root/figures`` and the HTML report to ``out``."""
    manifest, runs, weeks = load_results(root)
    print(f"Drawing the figures of {root} ...", file=sys.stderr, flush=True)
    # the folder is readable; only now import the analysis (seconds), so errors are instant
    from analysis.intervals import FEW, FEW_WARNING
    from analysis.plots import plot_sweep, write_figures
    from analysis.report import Section, render
    from analysis.validation import load_targets

    command = str(manifest.get("command"))
    runs = _ordered(command, manifest, runs)
    runs["group"], grouping_note = grouping(command, runs)
    targets = load_targets()
    figures_dir = root / "figures"
    figures_dir.mkdir(exist_ok=True)
    figures = write_figures(runs, weeks, "group", str(runs["mode"].iloc[0]), targets, figures_dir)

    sections: list[Section] = [Section("Settings", tables=[("", settings_table(manifest))])]
    if runs.groupby("group").size().min() < FEW:
        sections[0].text = f"Warning: {FEW_WARNING}. Read every interval below as a rough guide."
    described = scenarios_table(manifest)
    if described is not None:
        sections.append(Section("Scenarios", tables=[("", described)]))
    if command == "compare":
        sections.append(_compare_section(runs, figures_dir))
    if command == "funding":
        sections.append(funding_section(root))
    sweep_png = figures_dir / "sweep.png"
    if command == "sweep" and plot_sweep(runs, manifest["design"]["outputs"], sweep_png):
        caption = "Outputs against the swept parameters"
        sections.append(Section(caption, figures=[(caption, sweep_png)]))
    sections += _table_sections(root) + _targets_section(command, runs, targets)
    lines = runs.groupby("group", sort=False).size().rename("runs").reset_index()
    sections.append(
        Section("Figures", grouping_note, figures=figures, tables=[("Runs per line", lines)])
    )
    title = f"{TITLES.get(command, command)}: {root.resolve().name}"
    out.write_text(render(title, _facts(root, manifest, runs), sections))
    return out


def check_output(out: Path, overwrite: bool) -> None:
    """Refuse an ``--output`` that is not an HTML file we may write."""
    if out.suffix.lower() not in (".html", ".htm"):
        raise StoreError(f"--output must name an .html file (got {out})")
    if out.is_dir():
        raise StoreError(f"--output {out} is a folder; name a file such as {out / 'report.html'}")
    if not out.parent.is_dir():
        raise StoreError(f"--output {out}: the folder {out.parent} does not exist")
    if out.exists() and not overwrite:
        raise StoreError(f"--output {out} exists; pass --overwrite to replace it")


def cmd_report(args: argparse.Namespace) -> None:
    if args.output is not None:
        check_output(args.output, args.overwrite)
    out = args.output or args.dir / "report.html"
    read_manifest(args.dir)  # a folder that is not ours is refused before it is locked
    with locked(args.dir, "report"):
        path = build_report(args.dir, out)
    print(f"report written to {path} ({path.stat().st_size / 1e6:.1f} MB, self-contained)")


def register(sub: argparse._SubParsersAction) -> None:
    """The ``report`` command's parser."""
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
    report.set_defaults(handler=cmd_report)
