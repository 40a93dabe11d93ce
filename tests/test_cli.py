"""The command line: JSON output, Parquet tables, and one-line errors for bad input."""

import json
import subprocess
import sys

import pandas as pd
import pytest

CLI = [sys.executable, "-m", "experiments.cli"]


def reentry(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def json_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "res"
    done = reentry(
        "run", "--mode", "cohort", "--persons", "400", "--weeks", "120", "--seed", "2", "--json",
        "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), out


def test_json_has_the_documented_keys_and_fractions(json_run):
    result, _ = json_run
    for key in ("reconviction_2y", "redetention_2y", "stable_6m"):
        assert 0 <= result[key] <= 1
    assert set(result["at_release"]) >= {
        "housing",
        "income",
        "valid_id",
        "debt",
        "two_plus_missing",
    }
    for stage in ("month3", "month6"):
        assert set(result[stage]) >= {"housing", "income", "work", "detained"}
        assert all(0 <= result[stage][k] <= 1 for k in ("housing", "income", "work", "detained"))
    assert result["person_weeks"] > 400 * (120 - 26)  # released over the first 26 weeks
    assert result["seconds"] > 0


def test_two_year_outcomes_count_only_events_observed_for_two_years():
    done = reentry("run", "--persons", "200", "--weeks", "60", "--json")
    result = json.loads(done.stdout)
    assert result["reconviction_2y"] is None and result["month24"]["housing"] is None
    assert result["month3"]["housing"] is not None


def test_out_writes_tables_that_open_in_pandas(json_run):
    _, out = json_run
    releases = pd.read_parquet(out / "releases.parquet")
    weekly = pd.read_parquet(out / "weekly.parquet")
    process = pd.read_parquet(out / "process.parquet")
    assert {"person", "release_week", "typology", "length_group", "justice_contact_2y"} <= set(
        releases
    )
    assert {"week", "share_housing", "share_income", "stability_index", "share_stable"} <= set(
        weekly
    )
    assert {"service", "event", "wait_weeks"} <= set(process)
    assert (releases["release_number"] == 1).sum() == 400  # each member's own release


def test_readable_summary_names_the_outcomes():
    done = reentry("run", "--persons", "200", "--weeks", "30")
    assert done.returncode == 0
    assert "justice contact within 2 years" in done.stdout
    assert "By typology" in done.stdout and "By detention length" in done.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", "--scenario", "baselin"], "did you mean 'baseline'"),
        (["run", "--set", "capacity_housng=3"], "did you mean 'capacity_housing'"),
        (["run", "--set", "living_climate=9"], "living_climate must be in [0.25, 3.0]"),
        (["run", "--set", "queue_policy=random"], "queue_policy must be one of 'fcfs', 'priority'"),
        (["run", "--persons", "0"], "--persons must be in [1,"),
        (["run", "--seed", "-3"], "--seed must be a non-negative integer"),
        (["run", "--mode", "stream"], "invalid choice: 'stream'"),
        (["run", "--scenario", "missing.toml"], "scenario file not found"),
    ],
)
def test_bad_input_gives_one_line_error_and_exit_2(args, expected):
    done = reentry(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert expected in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--scenario", "nosuch"],
        ["compare", "baseline", "nosuch"],
        ["validate", "--scenario", "nosuch"],
        ["report", "no/such/folder"],
        ["sweep", "no/such/design.toml"],
        ["sensitivity", "no/such/design.toml"],
        ["calibrate", "no/such/design.toml"],
        ["funding", "--budget", "1", "--baseline", "nosuch"],
        ["funding", "--budget", "1", "--options", "no/such/options.toml"],
        ["costs", "--costs", "no/such/costs.toml"],
    ],
)
def test_input_errors_are_found_before_the_heavy_imports(args):
    """A typo is reported before Mesa, pandas, matplotlib or SALib are loaded (seconds)."""
    code = (
        "import sys; from experiments.cli import main; rc = main(sys.argv[1:]); "
        "print(rc, *[m for m in ('mesa', 'pandas', 'matplotlib', 'SALib') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert done.stdout.split() == ["2"], done.stdout + done.stderr


def test_bad_scenario_file_names_the_field(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('description = "x"\n[parameters]\nsuccess_alone = 1.5\n')
    done = reentry("run", "--scenario", str(bad))
    assert done.returncode == 2 and "success_alone must be in [0.0, 1.0]" in done.stderr
    bad.write_text('descripton = "x"\n')
    done = reentry("run", "--scenario", str(bad))
    assert done.returncode == 2 and "did you mean 'description'" in done.stderr
    bad.write_text("[parameters\n")
    done = reentry("run", "--scenario", str(bad))
    assert done.returncode == 2 and "not valid TOML" in done.stderr


def test_an_earlier_run_is_never_overwritten_by_accident(json_run):
    _, out = json_run
    before = {f.name: f.read_bytes() for f in out.iterdir()}
    done = reentry("run", "--persons", "50", "--weeks", "10", "--out", str(out))
    assert done.returncode == 2 and "already holds a run" in done.stderr
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before


def test_help_explains_every_flag():
    done = reentry("run", "--help")
    for flag in ("--scenario", "--mode", "--persons", "--weeks", "--seed", "--out", "--json"):
        assert flag in done.stdout
