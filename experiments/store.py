"""Result folders that lose nothing.

* One writer at a time: a command that writes to a folder holds an exclusive
  lock on it (:func:`locked`). A second writer is refused at once, with the
  process that holds the folder. The kernel drops the lock when its holder
  exits, however it exits, so a lock left by a killed process is taken over.
* A single run (``reentry run --out``) writes its tables with atomic renames and
  refuses a folder that already holds a run.
* An experiment (compare, sweep, sensitivity, calibrate) writes a manifest
  first, then each completed run into numbered Parquet chunks
  (``chunks/runs-NNNNNN`` and ``chunks/weeks-NNNNNN``) as it goes, each by atomic
  rename. ``--resume`` reads the chunks, skips the runs already there and
  carries on; a crash loses at most the runs buffered since the last chunk. A
  folder that is not ours, or whose manifest or chunks are damaged, gets a
  one-line error and is left untouched.
* The consolidated tables are sorted by ``run_id`` (and ``week``) with a fixed
  column order, so every executor writes byte-identical files. The one
  machine-dependent figure, each run's wall time, goes to ``timings.csv``.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import StoreError
from .runner import WEEK_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

    from model.model import ReentryModel

RUN_FILES = (
    "manifest.json",
    "weekly.parquet",
    "releases.parquet",
    "process.parquet",
    "persons.parquet",
    "summary.json",
)
MANIFEST = "manifest.json"
LOCK = ".lock"
TIMINGS = "timings.csv"
KIND = "reentry-results"
FORMAT_VERSION = 1


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def write_table(df: pd.DataFrame, path: Path) -> None:
    _atomic(path, lambda tmp: df.to_parquet(tmp, index=False))


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """A table as CSV with six significant digits (no 17-digit floats), written atomically."""
    _atomic(path, lambda tmp: df.to_csv(tmp, index=False, float_format="%.6g"))


def write_json(data: Any, path: Path) -> None:
    _atomic(path, lambda tmp: tmp.write_text(json.dumps(data, indent=2, default=str)))


@contextmanager
def locked(root: Path, command: str) -> Iterator[None]:
    """Hold ``root`` for this process while the block runs; create it if need be.

    The lock is the kernel's (``flock`` on the folder itself), so it ends with its
    holder however the holder ends. ``DIR/.lock`` only says who holds it; one left
    behind is the trace of a holder that was killed.

    Raises:
        StoreError: another live process holds the folder (named in the message).
    """
    _mkdir(root)
    fd = os.open(root, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreError(
                f"{root} is in use by {_holder(root) or 'another process'}; wait for it to end "
                "or choose another folder"
            ) from None
        stale = _holder(root)
        if stale:
            print(f"reentry: note: taking over {root} from {stale}, which ended", file=sys.stderr)
        started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        (root / LOCK).write_text(
            f"process {os.getpid()} on {socket.gethostname()} (reentry {command}, since {started})"
        )
        try:
            yield
        finally:
            (root / LOCK).unlink(missing_ok=True)
    finally:
        os.close(fd)  # releases the lock


def _holder(root: Path) -> str:
    try:
        return (root / LOCK).read_text(errors="replace").strip()
    except OSError:
        return ""


# ---------------------------------------------------------------------- one run
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


def _mkdir(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create --out {out}: {exc.strerror}") from None


def write_run(
    out: Path,
    model: ReentryModel,
    summary: dict[str, Any],
    overwrite: bool,
    manifest: dict[str, Any],
    record: dict[str, Any],
    weeks: pd.DataFrame,
) -> None:
    """Write a run's own tables and summary, and the manifest, run and week tables that
    make the folder an experiment of one run (so that ``reentry report`` reads it)."""
    import pandas as pd

    check_target(out, overwrite)
    _mkdir(out)
    write_json({"kind": KIND, "format_version": FORMAT_VERSION, "runs_planned": 1, **manifest},
               out / MANIFEST)  # fmt: skip
    write_table(pd.DataFrame([record]), out / "runs.parquet")
    write_table(weeks, out / "weeks.parquet")
    write_table(model.weekly_table(), out / "weekly.parquet")
    write_table(model.release_table(), out / "releases.parquet")
    write_table(model.process_table(), out / "process.parquet")
    write_table(model.person_table(), out / "persons.parquet")
    write_json(summary, out / "summary.json")


# ---------------------------------------------------------------------- experiments
def experiment_id(tasks: list[dict[str, Any]]) -> str:
    """A fingerprint of the task list: a resume must ask for the same runs."""
    blob = json.dumps(tasks, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def read_manifest(root: Path) -> dict[str, Any]:
    """The manifest of a results folder, or a one-line StoreError."""
    path = root / MANIFEST
    if not root.is_dir():
        raise StoreError(f"{root} is not a folder")
    if not path.is_file():
        raise StoreError(f"{root} has no {MANIFEST}: not a reentry results folder")
    try:
        manifest = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise StoreError(f"{path} is corrupt ({exc}); nothing was changed") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise StoreError(f"{path} is not a reentry results manifest; nothing was changed")
    return manifest


def _read(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    import pandas as pd  # here, so that a folder's manifest is checked without it

    try:
        return pd.read_parquet(path, columns=columns)
    except Exception as exc:  # pyarrow raises several types for damaged files
        raise StoreError(
            f"{path} is corrupt ({type(exc).__name__}); move it away to recompute its runs"
        ) from None


def _chunk_files(chunks: Path, kind: str) -> list[Path]:
    return sorted(chunks.glob(f"{kind}-*.parquet")) if chunks.is_dir() else []


def read_chunks(chunks: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run and week tables of every complete chunk (a weeks chunk without its runs is not)."""
    import pandas as pd

    run_files = _chunk_files(chunks, "runs")
    names = {p.name.removeprefix("runs-") for p in run_files}
    week_files = [
        p for p in _chunk_files(chunks, "weeks") if p.name.removeprefix("weeks-") in names
    ]
    runs = [_read(p) for p in run_files]
    weeks = [_read(p) for p in week_files]
    return (
        pd.concat(runs, ignore_index=True) if runs else pd.DataFrame(),
        pd.concat(weeks, ignore_index=True) if weeks else pd.DataFrame(),
    )


def load_results(root: Path) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """Manifest, runs and weeks of an experiment folder, read only.

    A finished experiment is read from its consolidated tables; an interrupted
    one from its complete chunks, so a report can show what is there so far.
    """
    manifest = read_manifest(root)
    if (root / "runs.parquet").is_file():
        runs = _read(root / "runs.parquet")
        weeks = _read(root / "weeks.parquet") if (root / "weeks.parquet").is_file() else None
    else:
        runs, weeks = read_chunks(root / "chunks")
    if weeks is None:
        raise StoreError(f"{root} has runs.parquet but no weeks.parquet; the folder is damaged")
    if runs.empty or "run_id" not in runs:
        raise StoreError(f"{root} holds no completed runs yet")
    return manifest, runs, weeks


def check_folder(root: Path, fingerprint: str, resume: bool) -> dict[str, Any] | None:
    """Refuse a folder that an experiment may not write to; reads only.

    Returns:
        The folder's manifest when resuming it, None for a new or empty folder.
    """
    if root.exists() and not root.is_dir():
        raise StoreError(f"--out {root} exists and is not a folder")
    if (root / MANIFEST).exists():
        old = read_manifest(root)
        if not resume:
            raise StoreError(
                f"--out {root} already holds results; pass --resume to continue them "
                "or choose another folder"
            )
        if old.get("experiment_id") != fingerprint:
            raise StoreError(
                f"--resume: {root} holds a different experiment (other scenarios, seeds "
                "or settings); choose another folder"
            )
        return old
    if root.exists() and any(not p.name.startswith(".") for p in root.iterdir()):
        raise StoreError(
            f"--out {root} is not empty and has no {MANIFEST}: not a reentry results "
            "folder; nothing was changed"
        )
    return None


class ResultStore:
    """An experiment's results folder, written run by run.

    Open it under :func:`locked`: the folder is checked again once it is held.

    Args:
        root: The folder.
        manifest: What the experiment is (command, settings, versions). The
            task list is fingerprinted so that a resume asks for the same runs.
        tasks: The experiment's tasks, as plain dicts.
        resume: Continue an interrupted experiment in ``root``.
        chunk_size: Runs buffered before a chunk is written (also flushed every
            few seconds), which bounds memory and what a crash can lose.
    """

    def __init__(
        self,
        root: Path,
        manifest: dict[str, Any],
        tasks: list[dict[str, Any]],
        resume: bool,
        chunk_size: int = 25,
    ) -> None:
        self.root = root
        self.chunks = root / "chunks"
        self.chunk_size = chunk_size
        self._records: list[dict[str, Any]] = []
        self._weeks: list[pd.DataFrame] = []
        self._last_flush = time.monotonic()
        fingerprint = experiment_id(tasks)
        old = check_folder(root, fingerprint, resume)
        if old is not None:
            self.manifest = old
        else:
            _mkdir(self.chunks)
            self.manifest = {
                "kind": KIND,
                "format_version": FORMAT_VERSION,
                "experiment_id": fingerprint,
                "runs_planned": len(tasks),
                **manifest,
            }
            write_json(tasks, root / "tasks.json")
            write_json(self.manifest, root / MANIFEST)
        self._seq = self._next_seq()

    def _next_seq(self) -> int:
        seqs = [int(p.stem.split("-")[1]) for p in _chunk_files(self.chunks, "runs")]
        return max(seqs, default=0) + 1

    def done_ids(self) -> set[str]:
        """Run ids already stored."""
        ids: set[str] = set()
        for path in _chunk_files(self.chunks, "runs"):
            ids.update(_read(path, ["run_id"])["run_id"])
        return ids

    def add(self, record: dict[str, Any], weeks: pd.DataFrame) -> None:
        """Buffer one completed run; write a chunk when the buffer is full or old."""
        self._records.append(record)
        self._weeks.append(weeks)
        if len(self._records) >= self.chunk_size or time.monotonic() - self._last_flush > 10:
            self.flush()

    def flush(self) -> None:
        if not self._records:
            return
        import pandas as pd

        name = f"{self._seq:06d}.parquet"
        # weeks first: a runs chunk is the proof that its runs (and weeks) are complete
        write_table(pd.concat(self._weeks, ignore_index=True), self.chunks / f"weeks-{name}")
        write_table(pd.DataFrame(self._records), self.chunks / f"runs-{name}")
        self._seq += 1
        self._records, self._weeks = [], []
        self._last_flush = time.monotonic()

    def finish(self, **extra: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Write the remaining buffer and the consolidated run and week tables."""
        self.flush()
        runs, weeks = tidy(*read_chunks(self.chunks))
        if "seconds" in runs:
            write_csv(runs[["run_id", "seconds"]], self.root / TIMINGS)
            runs = runs.drop(columns="seconds")
        write_table(runs, self.root / "runs.parquet")
        write_table(weeks, self.root / "weeks.parquet")
        self.manifest.update({"runs_completed": len(runs), **extra})
        write_json(self.manifest, self.root / MANIFEST)
        return runs, weeks


def tidy(runs: pd.DataFrame, weeks: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run and week tables in a canonical form, whatever order the runs completed in.

    Rows sorted by ``run_id`` (and ``week``), weekly columns in their documented
    order, and types inferred after the chunks are joined: a column that is empty in
    one chunk and numeric in another comes out numeric either way.
    """
    runs = runs.sort_values("run_id", kind="stable", ignore_index=True).infer_objects()
    if weeks.empty:
        return runs, weeks
    weeks = weeks.sort_values(["run_id", "week"], kind="stable", ignore_index=True)
    keys = ["run_id", "scenario", "point", *(c for c in weeks if c.startswith("param_"))]
    order = [*(c for c in keys if c in weeks), *(c for c in WEEK_COLUMNS if c in weeks)]
    return runs, weeks[order].infer_objects()
