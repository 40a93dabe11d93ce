"""Faults: whatever stops a run, the stored runs are kept and resume to identical files.

Each test makes a real fault happen to a real command (a second writer, kill -9,
a Dask cluster that loses its worker or its scheduler), checks that it ends
the way the store promises, then resumes and compares the result with an
uninterrupted run, byte for byte.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from experiments.cli import main

CLI = [sys.executable, "-m", "experiments.cli"]
# A sweep rather than a compare: the same store and executors, without the figures'
# seconds. Its two points have different weekly columns (the buddy programme's).
DESIGN = """
description = "two points, paired"
persons = 300
weeks = 60
warmup = 0
replications = {replications}
[grid]
buddy_start = ["none", "inside"]
"""
TABLES = ("runs.parquet", "weeks.parquet", "points.csv", "points.parquet")


@pytest.fixture(scope="module")
def designs(tmp_path_factory) -> dict[int, str]:
    """Design files by replications: 6 is the experiment, 2 and 25 different ones."""
    folder = tmp_path_factory.mktemp("designs")
    paths = {}
    for n in (6, 2, 25):
        paths[n] = folder / f"r{n}.toml"
        paths[n].write_text(DESIGN.format(replications=n))
    return {n: str(p) for n, p in paths.items()}


def experiment(designs, n: int = 6) -> list[str]:
    return ["sweep", designs[n], "--no-progress"]


def reentry(*args: str) -> subprocess.CompletedProcess:
    """The command, run in this process (the faults themselves strike separate processes)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return subprocess.CompletedProcess(args, code, "", err.getvalue())


def start(*args) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def tables(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLES}


def wait_for_chunks(out: Path, n: int, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while len(list((out / "chunks").glob("runs-*.parquet"))) < n:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no chunks appeared"
        time.sleep(0.05)


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def _uninterrupted(tmp_path_factory, designs, n: int) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reference") / "whole"
    done = reentry(*experiment(designs, n), "--executor", "serial", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return tables(out)


@pytest.fixture(scope="module")
def reference(tmp_path_factory, designs) -> dict[str, bytes]:
    """The experiment run once, uninterrupted and serially."""
    return _uninterrupted(tmp_path_factory, designs, 6)


@pytest.fixture(scope="module")
def long_reference(tmp_path_factory, designs) -> dict[str, bytes]:
    """A longer experiment (50 runs), for faults that must strike while runs remain."""
    return _uninterrupted(tmp_path_factory, designs, 25)


@pytest.mark.parametrize(
    "flags",
    [
        ["--executor", "process", "--workers", "2", "--chunk-size", "1"],
        ["--scheduler", "local", "--workers", "2", "--chunk-size", "5"],
    ],
    ids=["process", "dask"],
)
def test_every_executor_writes_byte_identical_tables(tmp_path, designs, reference, flags):
    """The pool and Dask complete runs in other orders and chunks than a serial run."""
    out = tmp_path / "out"
    done = reentry(*experiment(designs), *flags, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert tables(out) == reference
    timings = (out / "timings.csv").read_text().splitlines()
    assert timings[0] == "run_id,seconds" and len(timings) == 13  # wall time is kept apart


def test_a_second_writer_is_refused_while_the_first_runs_on(tmp_path, designs, long_reference):
    """The issue's case: a --resume started beside a running experiment wrote its runs twice."""
    out = tmp_path / "busy"
    args = [*experiment(designs, 25), "--out", str(out)]  # long enough to start a second
    first = start(*args, "--executor", "serial", "--chunk-size", "1")
    try:
        wait_for_chunks(out, 1, first)
        second = reentry(*args, "--resume")
        assert first.poll() is None, "the first writer ended too soon for the test"
        assert second.returncode == 2
        assert f"{out} is in use by process {first.pid} " in one_line(second.stderr)
        assert first.wait(timeout=120) == 0
    finally:
        first.kill()
    assert tables(out) == long_reference  # each run once, as if alone


def test_two_writers_started_at_once_leave_one_experiment(tmp_path, designs, reference):
    out = tmp_path / "race"
    procs = [
        start(*experiment(designs, n), "--executor", "serial", "--out", str(out)) for n in (6, 2)
    ]
    results = [(p.wait(timeout=180), p.communicate()[1]) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    loser = next(err for code, err in results if code == 2)
    assert "is in use by process" in loser or "already holds results" in loser
    one_line(loser)
    winner = 0 if results[0][0] == 0 else 1
    if winner == 0:
        assert tables(out) == reference
    else:  # the other experiment won: its own runs, each once
        runs = pd.read_parquet(out / "runs.parquet")
        assert len(runs) == 4 and runs["run_id"].is_unique


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's bookkeeping is left


@pytest.mark.skipif(sys.platform != "linux", reason="reads the process tree from /proc")
def test_kill_9_of_the_parent_leaves_no_pool_worker_and_resumes(tmp_path, designs, reference):
    out = tmp_path / "killed"
    args = [*experiment(designs), "--workers", "2", "--chunk-size", "1", "--out", str(out)]
    proc = start(*args)
    wait_for_chunks(out, 2, proc)
    children = _children(proc.pid)
    assert len(children) >= 2  # the pool's workers (and multiprocessing's resource tracker)
    try:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 5
        while any(map(_alive, children)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [c for c in children if _alive(c)], "pool workers outlived their parent"
    finally:
        for c in children:
            if _alive(c):
                os.kill(c, signal.SIGKILL)
    assert not (out / "runs.parquet").exists()
    done = reentry(*args, "--resume")
    assert done.returncode == 0, done.stderr
    assert f"taking over {out} from process {proc.pid}" in done.stderr  # the stale lock
    assert tables(out) == reference


@pytest.mark.parametrize("fault", ["worker", "scheduler"])
def test_a_dask_cluster_that_loses_its_worker_or_scheduler_ends_in_one_line(
    tmp_path, designs, long_reference, fault
):
    from distributed import LocalCluster

    out = tmp_path / fault
    cluster = LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=None
    )
    try:
        args = [*experiment(designs, 25), "--chunk-size", "1", "--out", str(out)]
        proc = start(*args, "--scheduler", cluster.scheduler_address, "--dask-timeout", "2")
        wait_for_chunks(out, 2, proc)
        if fault == "worker":
            cluster.scale(0)
        else:
            cluster.close()
        _, stderr = proc.communicate(timeout=60)  # today's code hangs here
    finally:
        cluster.close()
    assert proc.returncode == 2, stderr
    line = one_line(stderr)
    lost = "no worker for 2 s" if fault == "worker" else "lost the connection to the Dask"
    assert lost in line and f"runs stored in {out} are kept" in line and "--resume" in line
    done = reentry(*args, "--executor", "serial", "--resume")
    assert done.returncode == 0, done.stderr
    assert tables(out) == long_reference


def test_ctrl_c_keeps_the_stored_runs_and_says_how_to_continue(tmp_path, designs, long_reference):
    """Ctrl-C reaches the command and its pool workers alike (the terminal's process group)."""
    out = tmp_path / "interrupted"
    args = [*experiment(designs, 25), "--workers", "2", "--chunk-size", "1", "--out", str(out)]
    proc = subprocess.Popen(
        [*CLI, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    wait_for_chunks(out, 2, proc)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    line = one_line(stderr)
    assert line.startswith("reentry: interrupted; the ") and "--resume" in line
    done = reentry(*args, "--resume")
    assert done.returncode == 0, done.stderr
    assert tables(out) == long_reference
