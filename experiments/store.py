"""Writing a run's tables to a results folder without losing anything.

Files are written to a temporary name and renamed into place, so an
interrupted write never leaves a half file, and a folder that already holds a
run is refused unless the user asks to overwrite it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from model.model import ReentryModel

RUN_FILES = (
    "weekly.parquet",
    "releases.parquet",
    "process.parquet",
    "persons.parquet",
    "summary.json",
)


class StoreError(ValueError):
    """A results folder that cannot be used; the message is one line."""


def check_target(out: Path, overwrite: bool) -> None:
    """Refuse a folder we cannot write, or one that holds an earlier run."""
    if out.exists() and not out.is_dir():
        raise StoreError(f"--out {out} exists and is not a folder")
    if out.is_dir() and not overwrite:
        present = [f for f in RUN_FILES if (out / f).exists()]
        if present:
            raise StoreError(
                f"--out {out} already holds a run ({present[0]}); choose another folder "
                "or pass --overwrite"
            )


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def write_table(df: pd.DataFrame, path: Path) -> None:
    _atomic(path, lambda tmp: df.to_parquet(tmp, index=False))


def write_run(out: Path, model: ReentryModel, summary: dict[str, Any], overwrite: bool) -> None:
    """Write weekly, release, process and person tables and the summary to ``out``."""
    check_target(out, overwrite)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create --out {out}: {exc.strerror}") from None
    write_table(model.weekly_table(), out / "weekly.parquet")
    write_table(model.release_table(), out / "releases.parquet")
    write_table(model.process_table(), out / "process.parquet")
    write_table(model.person_table(), out / "persons.parquet")
    _atomic(out / "summary.json", lambda tmp: tmp.write_text(json.dumps(summary, indent=2)))
