"""Experiments: the compare command's outputs, and a store that refuses what is not its own."""

import json
import subprocess
import sys

import pandas as pd
import pytest

CLI = [sys.executable, "-m", "experiments.cli"]
SMALL = ["--persons", "300", "--weeks", "60", "--no-progress"]


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
