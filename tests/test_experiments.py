"""Experiments: identical results on every executor, and a store that loses nothing."""

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from experiments.compare import compare_tasks
from experiments.executors import execute

CLI = [sys.executable, "-m", "experiments.cli"]
SMALL = ["--persons", "300", "--weeks", "60", "--no-progress"]


def _records(executor, **kw):
    tasks, _, _ = compare_tasks(["baseline", "buddy_antwerp"], 2, 5, "flow", 300, 60)
    rows = [record for record, _ in execute(tasks, executor, workers=2, **kw)]
    return pd.DataFrame(rows).drop(columns="seconds").sort_values("run_id").reset_index(drop=True)


def test_serial_process_pool_and_dask_give_identical_results():
    serial = _records("serial")
    pd.testing.assert_frame_equal(serial, _records("process"))
    pd.testing.assert_frame_equal(serial, _records("dask", scheduler="local"))
    # and the scenarios do differ, so the comparison is not vacuous
    assert not serial.loc[0:1, "stable_6m"].equals(serial.loc[2:3, "stable_6m"])


def _compare_args(out, *extra):
    return [
        *CLI,
        "compare",
        "baseline",
        "benefit_advance",
        "--replications",
        "3",
        *SMALL,
        "--out",
        str(out),
        *extra,
    ]


def _compare(out, *extra):
    return subprocess.run(_compare_args(out, *extra), capture_output=True, text=True)


def _table(out):
    runs = pd.read_parquet(out / "runs.parquet").drop(columns="seconds")
    return runs.sort_values("run_id").reset_index(drop=True)


def test_compare_writes_tables_summary_plots_and_manifest(tmp_path):
    out = tmp_path / "cmp"
    done = _compare(out, "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert "benefit_advance" in done.stdout and "(reference)" in done.stdout
    summary = pd.read_csv(out / "summary.csv")
    assert {"scenario", "outcome", "mean", "diff", "diff_ci_low", "diff_ci_high"} <= set(summary)
    ref = summary[summary["scenario"] == "baseline"]
    assert (ref["diff"] == 0).all()
    assert len(pd.read_parquet(out / "runs.parquet")) == 6
    assert set(pd.read_parquet(out / "weeks.parquet")["run_id"]) == set(_table(out)["run_id"])
    for png in ("outcomes.png", "figures/conditions_by_week.png", "figures/survival.png"):
        assert (out / png).stat().st_size > 10_000
    assert not (out / "figures/buddies.png").exists()  # neither scenario has a programme
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"] == [1, 2, 3]
    assert manifest["packages"]["mesa"].startswith("3.")
    assert manifest["scenarios"]["benefit_advance"]["parameters"]["benefit_advance"] is True
    assert "git_commit" in manifest


def test_a_killed_experiment_resumes_to_the_same_results(tmp_path):
    reference = tmp_path / "whole"
    assert _compare(reference, "--executor", "serial").returncode == 0

    out = tmp_path / "killed"
    args = _compare_args(out, "--executor", "serial", "--chunk-size", "1")
    proc = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while len(list((out / "chunks").glob("runs-*.parquet"))) < 2:
        assert time.monotonic() < deadline and proc.poll() is None, "no chunks appeared"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = len(list((out / "chunks").glob("runs-*.parquet")))
    assert 2 <= stored < 6 and not (out / "runs.parquet").exists()

    assert _compare(out).returncode == 2  # without --resume the folder is refused
    done = _compare(out, "--resume", "--executor", "serial")
    assert done.returncode == 0, done.stderr
    resumed = _table(out)
    assert resumed["run_id"].is_unique and len(resumed) == 6
    pd.testing.assert_frame_equal(resumed, _table(reference))


def test_resume_with_other_settings_is_refused(tmp_path):
    out = tmp_path / "r"
    assert _compare(out).returncode == 0
    done = subprocess.run(
        [
            *CLI,
            "compare",
            "baseline",
            "gating_off",
            "--replications",
            "3",
            *SMALL,
            "--out",
            str(out),
            "--resume",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "different experiment" in done.stderr


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: (d / "notes.txt").write_text("mine"), "not a reentry results folder"),
        (lambda d: (d / "manifest.json").write_text("{broken"), "manifest.json is corrupt"),
        (lambda d: (d / "manifest.json").write_text('{"kind": "other"}'), "not a reentry"),
    ],
)
def test_a_corrupt_or_foreign_folder_is_left_untouched(tmp_path, damage, message):
    out = tmp_path / "f"
    out.mkdir()
    damage(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    done = _compare(out, "--resume")
    assert done.returncode == 2 and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_corrupt_chunk_is_named_and_left_alone(tmp_path):
    out = tmp_path / "c"
    assert _compare(out, "--chunk-size", "2").returncode == 0
    chunk = sorted((out / "chunks").glob("runs-*.parquet"))[0]
    chunk.write_bytes(b"not parquet")
    done = _compare(out, "--resume")
    assert done.returncode == 2 and chunk.name in done.stderr
    assert chunk.read_bytes() == b"not parquet"
