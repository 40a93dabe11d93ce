"""Sweeps and sensitivity analysis from design files."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from experiments.design import read_design, sweep_points, tasks_for
from scenarios.loader import ScenarioError

CLI = [sys.executable, "-m", "experiments.cli"]


def design(tmp_path, text, name="d"):
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    return path


GRID = """
description = "grid"
scenario = "buddy_antwerp"
persons = 200
weeks = 40
warmup = 0
replications = 2
outputs = ["stable_6m", "month3_income"]
[grid]
buddy_caseload = [1, 3]
benefit_advance = [false, true]
"""


def test_a_grid_crosses_every_value_and_pairs_replications_on_seeds(tmp_path):
    d = read_design(design(tmp_path, GRID))
    points = sweep_points(d)
    assert len(points) == 4 and {p["buddy_caseload"] for p in points} == {1, 3}
    tasks = tasks_for(d, points)
    assert len(tasks) == 8
    assert {t.seed for t in tasks if t.replication == 1} == {d.seed + 1}
    assert all(t.params["buddy_start"] == "inside" for t in tasks)  # the scenario's own


def test_latin_hypercube_rounds_integer_parameters(tmp_path):
    text = (
        GRID.split("[grid]")[0]
        + "samples = 20\n[ranges]\npromotion_good_weeks = [2, 9]\nsuccess_alone = [0.3, 0.8]\n"
    )
    points = sweep_points(read_design(design(tmp_path, text)))
    assert len(points) == 20
    weeks = [p["promotion_good_weeks"] for p in points]
    assert all(isinstance(w, int) and 2 <= w <= 9 for w in weeks) and len(set(weeks)) > 3
    alone = np.array([p["success_alone"] for p in points])
    # Latin hypercube: one sample in each of the 20 strata
    assert sorted(np.floor((alone - 0.3) / 0.5 * 20).astype(int)) == list(range(20))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GRID.replace("buddy_caseload = [1, 3]", "buddy_casload = [1, 3]"),
            "did you mean 'buddy_caseload'",
        ),
        (
            GRID.replace("buddy_caseload = [1, 3]", "buddy_caseload = [1, 30]"),
            "buddy_caseload must be in [1, 10]",
        ),
        (GRID + "\n[ranges]\nsuccess_alone = [0.9, 0.1]\n", "must be [low, high]"),
        (GRID.replace("persons = 200", "peeople = 200"), "unknown key 'peeople'"),
    ],
)
def test_bad_designs_fail_before_any_run(tmp_path, text, message):
    with pytest.raises(ScenarioError, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_design(design(tmp_path, text))


def test_sweep_command_writes_a_points_table(tmp_path):
    out = tmp_path / "sweep"
    done = subprocess.run(
        [*CLI, "sweep", str(design(tmp_path, GRID)), "--out", str(out), "--no-progress"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    points = pd.read_csv(out / "points.csv")
    assert len(points) == 4
    assert {"param_buddy_caseload", "param_benefit_advance", "month3_income_mean"} <= set(points)
    by_advance = points.groupby("param_benefit_advance")["month3_income_mean"].mean()
    assert by_advance[True] > by_advance[False]  # the lever moves income, as it should

    report = subprocess.run([*CLI, "report", str(out)], capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
    html = (out / "report.html").read_text()
    assert "One line per sweep point." in html
    assert "buddy_caseload=3, benefit_advance=True" in html  # a point's label


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_sensitivity_writes_indices_with_confidence_intervals(tmp_path, method):
    text = """
description = "tiny"
persons = 150
weeks = 30
warmup = 0
replications = 2
samples = 4
outputs = ["month3_income"]
[ranges]
benefit_delay_min_weeks = [0, 8]
promotion_good_weeks = [4, 8]
"""
    out = tmp_path / method
    done = subprocess.run(
        [
            *CLI,
            "sensitivity",
            str(design(tmp_path, text)),
            "--method",
            method,
            "--out",
            str(out),
            "--no-progress",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out / "sensitivity.csv")
    expected = (
        {"S1", "S1_conf", "ST", "ST_conf"}
        if method == "sobol"
        else {"mu_star", "mu_star_conf", "sigma"}
    )
    assert expected <= set(table) and set(table["parameter"]) == {
        "benefit_delay_min_weeks",
        "promotion_good_weeks",
    }
    assert (out / "sensitivity.png").stat().st_size > 10_000
    runs = pd.read_parquet(out / "runs.parquet")
    # integer parameters reach the model as whole numbers
    assert (runs["param_promotion_good_weeks"] % 1 == 0).all()

    report = subprocess.run([*CLI, "report", str(out)], capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
    html = (out / "report.html").read_text()
    assert "Sensitivity indices with bootstrap 95% CI" in html and "sample points pooled" in html


def test_sobol_needs_a_power_of_two(tmp_path):
    text = "persons = 100\nwarmup = 0\nsamples = 6\n[ranges]\nsuccess_alone = [0.3, 0.8]\n"
    done = subprocess.run(
        [*CLI, "sensitivity", str(design(tmp_path, text)), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "power of 2" in done.stderr
