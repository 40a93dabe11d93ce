"""Named scenarios: inheritance and one-line validation errors."""

import subprocess
import sys

import pytest

from scenarios.loader import ScenarioError, available, load

REQUIRED = {
    "baseline",
    "buddy_antwerp",
    "buddy_caseload_2",
    "buddy_caseload_3",
    "buddy_contact_1w",
    "buddy_contact_2w",
    "buddy_contact_4w",
    "buddy_reactive",
    "gating_on",
    "gating_off",
    "buddy_start_inside",
    "buddy_start_release",
    "benefit_advance",
    "more_professionals",
}


def test_every_required_scenario_ships_with_a_description_and_loads():
    shipped = available()
    assert set(shipped) >= REQUIRED
    for name in shipped:
        assert len(shipped[name]) > 20, name
        load(name)


def test_base_inheritance_lists_only_what_changes():
    antwerp, three = load("buddy_antwerp"), load("buddy_caseload_3")
    assert antwerp.params.buddy_start == "inside" and antwerp.params.buddy_caseload == 1
    assert three.params.buddy_caseload == 3 and three.params.buddy_start == "inside"
    assert load("buddy_start_release").params.buddy_start == "at_release"
    assert load("baseline").params.buddy_start == "none"


def write(tmp_path, name, text):
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('description = "x"\n[parameters]\nbuddy_casload = 2\n', "did you mean 'buddy_caseload'"),
        (
            'description = "x"\n[parameters]\nbuddy_caseload = 11\n',
            "buddy_caseload must be in [1, 10]",
        ),
        ('description = "x"\n[parameters]\nbuddy_start = "later"\n', "buddy_start must be one of"),
        ('descriptin = "x"\n', "did you mean 'description'"),
        ('description = "x"\nbase = "nowhere"\n', "unknown scenario 'nowhere'"),
    ],
)
def test_bad_scenarios_fail_with_one_line(tmp_path, text, message):
    path = write(tmp_path, "bad", text)
    with pytest.raises(ScenarioError) as err:
        load(str(path))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_a_cycle_in_base_is_caught(tmp_path):
    write(tmp_path, "a", 'description = "a"\nbase = "b"\n')
    write(tmp_path, "b", 'description = "b"\nbase = "a"\n')
    with pytest.raises(ScenarioError, match="cycle: a -> b -> a"):
        load(str(tmp_path / "a.toml"))


def test_cli_lists_scenarios_and_fails_with_exit_2(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "experiments.cli", "scenarios"], capture_output=True, text=True
    )
    assert done.returncode == 0 and "buddy_antwerp" in done.stdout
    bad = write(tmp_path, "c", 'description = "c"\nbase = "c"\n')
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "experiments.cli",
            "compare",
            "baseline",
            str(bad),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "cycle" in done.stderr
    assert not (tmp_path / "o").exists()
