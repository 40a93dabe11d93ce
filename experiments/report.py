"""``reentry report DIR``: any experiment folder as one offline HTML file."""

from __future__ import annotations

import argparse
import json
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
    if command == "compare":
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
    settings = manifest.get("settings", {})
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
        "settings": json.dumps({k: v for k, v in settings.items() if v is not None}),
    }


def _thousands(values: pd.Series) -> pd.Series:
    return values.map(lambda x: f"{x / 1e3:,.0f}")


def funding_section(root: Path) -> Section:
    """The plain summary, the headline tables in readable units and the three figures."""
    from analysis.report import Section

    summary = root / "summary.md"
    text = summary.read_text(encoding="utf-8") if summary.is_file() else ""
    text = "\n".join(line.removeprefix("# ").replace("**", "") for line in text.splitlines()[1:])
    section = Section("Funding options", text)
    economics = _read_csv(root / "economics.csv")
    effects = _read_csv(root / "effects.csv")
    payers = _read_csv(root / "payers.csv")
    if economics is not None:
        section.tables.append(
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
        section.tables.append(
            (
                "Effects a year: mean (95% of draws); per 1,000 releases and the CIs of the "
                "mean are in effects.csv",
                shown.loc[list(dict.fromkeys(effects["option"]))].reset_index(),
            )
        )
    if payers is not None:
        section.tables.append(
            (
                "Present values by who gains (positive) or pays (negative), EUR thousand",
                payers.assign(value=_thousands(payers["mean"]))
                .pivot(index="option", columns="payer", values="value")
                .loc[list(dict.fromkeys(payers["option"])), list(dict.fromkeys(payers["payer"]))]
                .reset_index(),
            )
        )
    for name, caption in (
        ("ce_plane.png", "Cost-effectiveness plane: every draw of every option"),
        ("acceptability.png", "Cost-effectiveness acceptability curve"),
        ("payers.png", "Benefits and costs by payer"),
    ):
        if (root / "figures" / name).is_file():
            section.figures.append((caption, root / "figures" / name))
    return section


def build_report(root: Path, out: Path) -> Path:
    """Write the figures into ``root/figures`` and the HTML report to ``out``."""
    manifest, runs, weeks = load_results(root)
    # the folder is readable; only now import the analysis (seconds), so errors are instant
    from analysis.compare import paired_summary
    from analysis.plots import write_figures
    from analysis.report import Section, render
    from analysis.validation import compare_to_targets, load_targets

    command = str(manifest.get("command"))
    if command in ("compare", "funding"):
        # the order the user named the scenarios in, with the reference first
        names = manifest.get("scenarios") or ["baseline", *manifest["funding"]["options"]]
        order = {name: i for i, name in enumerate(names)}
        runs = runs.sort_values("scenario", key=lambda c: c.map(order), kind="stable")
    runs = runs.reset_index(drop=True)
    runs["group"], grouping_note = grouping(command, runs)
    mode = str(runs["mode"].iloc[0])
    targets = load_targets()
    figures_dir = root / "figures"
    figures_dir.mkdir(exist_ok=True)
    figures = write_figures(runs, weeks, "group", mode, targets, figures_dir)

    sections: list[Section] = []
    if command == "compare":
        names = list(dict.fromkeys(runs["scenario"]))
        sections.append(
            Section(
                "Scenarios compared",
                f"Paired on common random numbers against {names[0]}: replication r of every "
                "scenario shares its seed, so differences are policy, not chance.",
                tables=[("Key outcomes: mean, difference and 95% CI", paired_summary(runs, names))],
            )
        )
    if command == "funding":
        sections.append(funding_section(root))
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
            sections.append(Section(caption, tables=[(caption, table)]))
    if (root / "sensitivity.png").is_file():
        sections[-1].figures.append(("Sensitivity indices with 95% CI", root / "sensitivity.png"))
    first = runs[runs["group"] == runs["group"].iloc[0]]
    check = compare_to_targets(first, targets)
    sections.append(
        Section(
            "Against the calibration targets",
            f"Group '{first['group'].iloc[0]}', {len(first)} runs. The targets describe the Leiden "
            "cohort and national figures (analysis/targets.toml); they judge a baseline, and "
            "show other scenarios only for contrast.",
            tables=[
                (
                    "Model against targets",
                    check[
                        [
                            "name",
                            "target",
                            "model",
                            "ci_low",
                            "ci_high",
                            "tolerance",
                            "pass",
                            "source",
                        ]
                    ],
                )
            ],
        )
    )
    lines = runs.groupby("group", sort=False).size().rename("runs").reset_index()
    sections.append(
        Section("Figures", grouping_note, figures=figures, tables=[("Lines and bars", lines)])
    )
    title = f"reentry {command}: {root.name}"
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
