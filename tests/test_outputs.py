"""Outputs a researcher can trust at a glance: bounded intervals, warnings, joinable tables,
manifests for single runs, command-line overrides, and reports that read well."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis.compare import format_table, paired_summary
from analysis.intervals import FEW_WARNING, band, bounds_of, difference_interval, mean_interval

SMALL = "--persons 300 --weeks 60 --warmup 52 --no-progress --workers 2"


def _reentry(*argv: str) -> subprocess.CompletedProcess:
    cli = [sys.executable, "-m", "experiments.cli"]
    return subprocess.run([*cli, *argv], capture_output=True, text=True)


# ------------------------------------------------------------------ intervals
@pytest.mark.parametrize(
    "values",
    [[0.0, 0.02, 0.9], [0.97, 1.0, 0.2], [0.01, 0.0], [0.5, 0.9, 0.1, 0.0, 1.0]],
)
def test_share_intervals_stay_inside_0_and_1_with_few_replications(values):
    # a t-interval over these runs reaches below 0 or above 1
    mean, low, high = mean_interval(values, bounds_of("share_stable"))
    assert 0.0 <= low <= mean <= high <= 1.0


def test_count_intervals_never_go_below_zero_and_shrink_with_replications():
    _, low, _ = mean_interval([0, 0, 40], bounds_of("buddy_waitlist"))
    assert low == 0.0
    rng = np.random.default_rng(1)
    few, many = rng.normal(0.4, 0.05, 3), rng.normal(0.4, 0.05, 30)
    width = [np.subtract(*mean_interval(v, (0, 1))[:0:-1]) for v in (few, many)]
    assert width[1] < width[0]


def test_weekly_bands_respect_bounds_and_one_run_draws_a_line():
    weeks = pd.DataFrame(
        {"week": [0, 0, 0, 1, 1, 1], "share_stable": [0.0, 0.01, 0.95, 0.5, 0.5, 0.5]}
    )
    b = band(weeks, "week", "share_stable")
    assert (b["low"] >= 0).all() and (b["high"] <= 1).all()
    assert b.loc[1, "low"] == b.loc[1, "high"] == 0.5  # identical runs: no spread
    one = band(weeks.iloc[[0, 3]], "week", "share_stable")
    assert (one["low"] == one["mean"]).all()


def test_paired_differences_are_bounded_by_the_quantity():
    mean, low, high = difference_interval([0.9, -0.2, 0.95], bounds_of("stable_6m"))
    assert -1.0 <= low <= mean <= high <= 1.0


def test_bounds_know_shares_from_counts():
    assert bounds_of("share_income") == (0.0, 1.0)
    assert bounds_of("redetention_2y") == (0.0, 1.0)
    assert bounds_of("month6_income") == (0.0, 1.0)
    for column in ("month6_n", "wait_weeks_housing", "buddy_turnover_per_year", "detained"):
        assert bounds_of(column)[1] == np.inf, column


# ------------------------------------------------------------------ a small comparison
@pytest.fixture(scope="module")
def compare_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp") / "compare"
    done = _reentry(
        "compare", "baseline", "buddy_antwerp", "--replications", "3", *SMALL.split(),
        "--set", "capacity_housing=50", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = _reentry("report", str(out))
    assert report.returncode == 0, report.stderr
    return out, done.stdout, (out / "report.html").read_text()


def test_the_reference_row_is_blank_and_few_replications_are_flagged(compare_folder):
    out, stdout, _ = compare_folder
    summary = pd.read_csv(out / "summary.csv")
    reference = summary[summary["scenario"] == "baseline"]
    assert reference[["diff", "diff_ci_low", "diff_ci_high"]].isna().all().all()
    assert (summary["warning"] == FEW_WARNING).all()
    assert (pd.read_csv(out / "channels.csv")["warning"] == FEW_WARNING).all()
    assert f"Warning: {FEW_WARNING}" in stdout


def test_compare_prints_percentages_and_percentage_points_as_run_does(compare_folder):
    _, stdout, _ = compare_folder
    line = next(li for li in stdout.splitlines() if li.startswith("stable at 6 months"))
    assert re.search(r"\d+\.\d%", line)
    assert re.search(r"[+-]\d+\.\d pp", stdout)


def test_csv_tables_use_sensible_precision(compare_folder):
    out, _, _ = compare_folder
    text = (out / "summary.csv").read_text()
    digits = [len(m.replace(".", "").lstrip("0")) for m in re.findall(r"\d+\.\d+", text)]
    assert max(digits) <= 6


def test_week_tables_join_without_lookups(compare_folder):
    out, _, _ = compare_folder
    weeks = pd.read_parquet(out / "weeks.parquet")
    runs = pd.read_parquet(out / "runs.parquet")
    assert list(weeks.columns[:3]) == ["run_id", "scenario", "point"]
    assert set(weeks["scenario"]) == {"baseline", "buddy_antwerp"}
    assert weeks.equals(weeks.sort_values(["run_id", "week"], ignore_index=True))
    matched = runs.set_index("scenario")["buddy_ever_share"]
    assert matched.loc["buddy_antwerp"].min() > 0 and matched.loc["baseline"].isna().all()


def test_compare_set_applies_to_every_scenario(compare_folder):
    out, _, _ = compare_folder
    manifest = json.loads((out / "manifest.json").read_text())
    for described in manifest["scenarios"].values():
        assert described["overrides"]["capacity_housing"] == 50
        assert described["parameters"]["capacity_housing"] == 50


def test_the_compare_report_reads_like_an_appendix(compare_folder):
    out, _, html = compare_folder
    title = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert title == f"Scenario comparison: {out.name}" and "reentry compare" not in title
    assert '{"' not in html  # settings are a table, not raw JSON
    assert "<td>capacity_housing = 50</td>" in html or "capacity_housing = 50" in html
    assert "Brug Binnen Buiten" in html  # the scenario's own description
    assert "Paired differences with 95% CIs" in html and (out / "figures/outcomes.png").is_file()
    assert "Against the calibration targets" in html  # a baseline run exists
    assert FEW_WARNING in html
    headings = re.findall(r"<h[23]>(.*?)</h[23]>", html)
    assert len(headings) == len(set(headings)), "a heading is doubled"


def test_summary_level_format_table_marks_the_reference():
    runs = pd.DataFrame(
        {"scenario": ["a", "b"] * 2, "replication": [0, 0, 1, 1],
         "redetention_2y": [0.3, 0.25, 0.32, 0.28]}
    )  # fmt: skip
    table = format_table(paired_summary(runs, ["a", "b"]), "a")
    assert "(reference)" in table and "-4.5 pp" in table and "Warning" in table


# ------------------------------------------------------------------ one run, and sweeps
def test_run_out_writes_a_manifest_that_report_reads(tmp_path):
    out = tmp_path / "run"
    done = _reentry("run", "--set", "benefit_advance=true", *SMALL.split()[:6], "--out", str(out))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["command"] == "run" and manifest["seeds"] == [1]
    assert manifest["scenarios"]["baseline"]["overrides"] == {"benefit_advance": True}
    assert manifest["git_commit"] and manifest["packages"]["mesa"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["overrides"] == {"benefit_advance": True}
    report = _reentry("report", str(out))
    assert report.returncode == 0, report.stderr
    html = (out / "report.html").read_text()
    assert "One run" in html and "benefit_advance = True" in html


def test_sweep_flags_override_the_design_and_the_report_plots_the_outputs(tmp_path):
    design = tmp_path / "d.toml"
    design.write_text(
        'description = "d"\nmode = "cohort"\npersons = 5000\nweeks = 40\nreplications = 5\n'
        "[grid]\nbuddy_caseload = [1, 3]\n"
    )
    out = tmp_path / "sweep"
    done = _reentry(
        "sweep", str(design), "--persons", "150", "--replications", "2", "--weeks", "30",
        "--workers", "2", "--no-progress", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["design"]["persons"], manifest["design"]["replications"]) == (150, 2)
    weeks = pd.read_parquet(out / "weeks.parquet")
    assert {"point", "param_buddy_caseload"} <= set(weeks.columns)
    assert (pd.read_csv(out / "points.csv")["warning"] == FEW_WARNING).all()  # 2 replications
    assert _reentry("report", str(out)).returncode == 0
    html = (out / "report.html").read_text()
    assert (out / "figures" / "sweep.png").is_file() and "swept parameters" in html
    assert "Against the calibration targets" not in html  # no baseline run to judge


def test_params_fits_in_100_columns_and_shows_every_source():
    done = _reentry("params")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert max(map(len, lines)) <= 100
    from model.parameters import parameter_table

    text = " ".join(" ".join(lines).split())
    for row in parameter_table():
        assert row["name"] in text and " ".join(row["source"].split()) in text
