"""Running a list of tasks into a results folder: skip what is done, store as it completes."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as md
import platform
import subprocess
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from .errors import ExecutorLostError
from .executors import DASK_TIMEOUT, check_fits
from .executors import executor as open_executor
from .runner import Task
from .store import ResultStore, check_folder, experiment_id, locked

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


@contextmanager
def run_experiment(
    out: Path,
    tasks: list[Task],
    manifest: dict[str, Any],
    resume: bool = False,
    executor: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
    chunk_size: int = 25,
    timeout: float = DASK_TIMEOUT,
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Run every task not yet in ``out``; yield the full run and week tables.

    Everything that can be checked is checked before the folder is touched: the
    folder itself, the memory the runs need and the executor (a Dask scheduler
    must answer). The folder stays locked until the block ends, so the command's
    own tables are written under the same lock.
    """
    plain = [asdict(t) for t in tasks]
    check_folder(out, experiment_id(plain), resume)
    check_fits(tasks, executor, workers, scheduler)
    from model.compile import ensure_compiled

    ensure_compiled()  # here, once, so that no worker compiles its own copy
    with (
        open_executor(executor, workers, scheduler, timeout) as run,
        locked(out, str(manifest.get("command", "experiment"))),
    ):
        store = ResultStore(out, {**manifest, **provenance()}, plain, resume, chunk_size)
        done = store.done_ids()
        todo = [t for t in tasks if t.run_id not in done]
        try:
            with tqdm(
                total=len(tasks),
                initial=len(tasks) - len(todo),
                unit="run",
                disable=not progress,
                desc=manifest.get("command", "runs"),
            ) as bar:
                try:
                    for record, weeks in run(todo):
                        store.add(record, weeks)
                        bar.update(1)
                finally:
                    store.flush()  # complete runs are kept whatever stopped the loop
        except (ExecutorLostError, KeyboardInterrupt) as exc:
            kept = (
                f"the {len(store.done_ids())} runs stored in {out} are kept: run the same "
                "command with --resume to continue"
            )
            raise type(exc)(f"{exc}; {kept}" if str(exc) else kept) from None
        yield store.finish()


def run_from_args(
    args: argparse.Namespace, tasks: list[Task], manifest: dict[str, Any]
) -> AbstractContextManager[tuple[pd.DataFrame, pd.DataFrame]]:
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
        args.dask_timeout,
    )
