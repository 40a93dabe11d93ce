"""Validation against targets and ABC calibration."""

import json
import subprocess
import sys

import pandas as pd

from analysis.validation import compare_to_targets

CLI = [sys.executable, "-m", "experiments.cli"]


def test_pass_and_fail_follow_the_tolerance():
    runs = pd.DataFrame({"x": [0.50, 0.52, 0.54], "y": [0.10, 0.12, 0.14]})
    targets = [
        {
            "name": "x",
            "outcome": "x",
            "value": 0.55,
            "tolerance": 0.05,
            "kind": "equal",
            "source": "s",
            "n": 1,
        },
        {
            "name": "y",
            "outcome": "y",
            "value": 0.30,
            "tolerance": 0.05,
            "kind": "equal",
            "source": "s",
            "n": 1,
        },
        {
            "name": "y max",
            "outcome": "y",
            "value": 0.10,
            "tolerance": 0.0,
            "kind": "max",
            "source": "s",
            "n": 1,
        },
    ]
    table = compare_to_targets(runs, targets).set_index("name")
    assert table.loc["x", "pass"] and not table.loc["y", "pass"] and not table.loc["y max", "pass"]
    assert table.loc["x", "ci_low"] < 0.52 < table.loc["x", "ci_high"]


def test_validate_json_lists_every_target_with_the_documented_keys():
    small = ["--replications", "2", "--persons", "300", "--weeks", "40", "--warmup", "0"]
    done = subprocess.run(
        [*CLI, "validate", *small, "--json"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    targets = json.loads(done.stdout)["targets"]
    assert len(targets) >= 20
    for t in targets:
        assert {"name", "target", "model", "ci_low", "ci_high", "tolerance", "pass"} <= set(t)
        assert t["verdict"] in ("tolerance", "sampling", "outside")
    by_name = {t["name"]: t for t in targets}
    # a 40-week run cannot observe 2-year outcomes, so those targets cannot pass
    assert by_name["new justice contact within 2 years (national)"]["pass"] is False


def test_calibration_refuses_policy_levers(tmp_path):
    design = tmp_path / "c.toml"
    design.write_text("persons = 100\nsamples = 4\n[ranges]\ncapacity_housing = [5, 30]\n")
    done = subprocess.run(
        [*CLI, "calibrate", str(design), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert (
        done.returncode == 2 and "policy levers are never fitted: capacity_housing" in done.stderr
    )


def test_calibration_accepts_the_samples_closest_to_the_targets(tmp_path):
    design = tmp_path / "c.toml"
    design.write_text(
        "mode = 'cohort'\npersons = 300\nweeks = 60\nreplications = 1\n"
        "samples = 6\n[ranges]\ndamage_lose_id_per_week = [0.0, 0.05]\n"
    )
    out = tmp_path / "o"
    done = subprocess.run(
        [*CLI, "calibrate", str(design), "--out", str(out), "--accept", "0.5", "--no-progress"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads((out / "calibration.json").read_text())
    assert result["accepted"] == 3
    fitted = result["fitted"]["damage_lose_id_per_week"]
    assert 0 <= fitted["p05"] <= fitted["mean"] <= fitted["p95"] <= 0.05
    assert fitted["range"] == [0.0, 0.05] and fitted["sd"] > 0
    distances = pd.read_csv(out / "distances.csv")
    assert distances["distance"].is_monotonic_increasing
