"""Experiments: the compare command's outputs, and a store that refuses what is not its own."""

import json
import subprocess
import sys

import pandas as pd

CLI = [sys.executable, "-m", "experiments.cli"]
SMALL = ["--persons", "300", "--weeks", "60", "--warmup", "0", "--no-progress"]


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
    return pd.read_parquet(out / "runs.parquet")


def test_compare_writes_tables_summary_plots_and_manifest(tmp_path):
    out = tmp_path / "cmp"
    done = _compare(out, "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert "benefit_advance" in done.stdout and "(reference)" in done.stdout
    summary = pd.read_csv(out / "summary.csv")
    assert {"scenario", "outcome", "mean", "diff", "diff_ci_low", "diff_ci_high"} <= set(summary)
    ref = summary[summary["scenario"] == "baseline"]
    assert ref[["diff", "diff_ci_low", "diff_ci_high"]].isna().all().all()  # blank, not 0
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


def test_a_corrupt_chunk_is_named_and_left_alone(tmp_path):
    out = tmp_path / "c"
    assert _compare(out, "--chunk-size", "2").returncode == 0
    chunk = sorted((out / "chunks").glob("runs-*.parquet"))[0]
    chunk.write_bytes(b"not parquet")
    done = _compare(out, "--resume")
    assert done.returncode == 2 and chunk.name in done.stderr
    assert chunk.read_bytes() == b"not parquet"
