"""Running a list of tasks into a results folder: skip what is done, store as it completes."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as md
import platform
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from .executors import execute
from .runner import Task
from .store import ResultStore

PACKAGES = (
    "reentry-abm",
    "mesa",
    "numpy",
    "scipy",
    "pandas",
    "pyarrow",
    "SALib",
    "dask",
    "distributed",
    "matplotlib",
)


def provenance() -> dict[str, Any]:
    """Package versions, Python, machine and git commit for the manifest."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = md.version(name)
        except md.PackageNotFoundError:
            versions[name] = None
    try:
        commit = (
            subprocess.run(
                ["git", "rev-parse", "HEAD"],
                capture_output=True,
                text=True,
                timeout=5,
                cwd=Path(__file__).resolve().parent,
            ).stdout.strip()
            or None
        )
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "packages": versions,
        "git_commit": commit,
    }


def run_experiment(
    out: Path,
    tasks: list[Task],
    manifest: dict[str, Any],
    resume: bool,
    executor: str,
    workers: int | None,
    scheduler: str | None,
    progress: bool,
    chunk_size: int = 25,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every task not yet in ``out``; return the full run and week tables."""
    plain = [asdict(t) for t in tasks]
    store = ResultStore(out, {**manifest, **provenance()}, plain, resume, chunk_size)
    done = store.done_ids()
    todo = [t for t in tasks if t.run_id not in done]
    with tqdm(
        total=len(tasks),
        initial=len(tasks) - len(todo),
        unit="run",
        disable=not progress,
        desc=manifest.get("command", "runs"),
    ) as bar:
        for record, weeks in execute(todo, executor, workers, scheduler):
            store.add(record, weeks)
            bar.update(1)
    return store.finish()


def run_from_args(
    args: argparse.Namespace, tasks: list[Task], manifest: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`run_experiment` with the command line's execution options.

    The manifest also records every option as given, so the folder says how it was made.
    """
    settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    return run_experiment(
        args.out,
        tasks,
        {**manifest, "settings": settings},
        args.resume,
        args.executor,
        args.workers,
        args.scheduler,
        args.progress,
        args.chunk_size,
    )
