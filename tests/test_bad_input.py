"""Every bad input gets one line naming the problem, exit status 2, and changes nothing.

Each case runs a command in this process (so the table stays fast) next to a
finished results folder, a foreign folder and a file, and checks that not one
byte of them, nor any new file, appears. A case that fell through to a real run
would take minutes and write a folder, so it fails here.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from experiments.cli import main
from experiments.store import locked

SMALL = "--persons 300 --weeks 60 --warmup 0 --no-progress"
DESIGN = 'description = "d"\npersons = 100\nweeks = 20\nreplications = 1\n'
GRID = DESIGN + "[grid]\nbuddy_caseload = [1, 2]\n"
RANGES = DESIGN + "samples = 8\n[ranges]\nsuccess_alone = [0.4, 0.6]\n"


COSTS = (Path(__file__).parent.parent / "scenarios" / "funding" / "costs.toml").read_text()
OPTION = 'description = "o"\n[options.x]\nallocation = { housing_places = 1.0 }\n'


def costs_case(text: str, expected: str) -> tuple[str, dict, str]:
    """``reentry costs`` on the cost file ``text``."""
    return ("costs --costs {dir}/c.toml", {"c.toml": text}, expected)


def options_case(text: str, expected: str) -> tuple[str, dict, str]:
    """``reentry funding`` with the option file ``text``."""
    return (
        "funding --budget 500000 --options {dir}/o.toml --out {new}",
        {"o.toml": text},
        expected,
    )


def design_case(text: str | bytes, expected: str) -> tuple[str, dict, str]:
    """A sweep of the design file ``text``."""
    return ("sweep {dir}/d.toml --out {new}", {"d.toml": text}, expected)


# (command line, files to create in the case's folder, text the one-line error must hold).
# {out}: a finished compare folder; {new}: a path that must stay absent; {dir}: the folder.
CASES = [
    # ---- run: flags and parameters
    ("run --scenario baselin", {}, "did you mean 'baseline'"),
    ("run --set capacity_housng=3", {}, "did you mean 'capacity_housing'"),
    ("run --set living_climate=9", {}, "living_climate must be in [0.25, 3.0]"),
    ("run --set queue_policy=random", {}, "queue_policy must be one of 'fcfs', 'priority'"),
    ("run --set buddy_caseload=1.5", {}, "buddy_caseload must be an integer"),
    ("run --set success_alone=yes", {}, "success_alone must be a number"),
    ("run --set nonsense", {}, "--set takes NAME=VALUE"),
    ("run --persons 0", {}, "--persons must be in [1, 10000000]"),
    ("run --persons abc", {}, "--persons must be an integer"),
    ("run --persons 10000001", {}, "--persons must be in [1, 10000000]"),
    ("run --persons 1.5", {}, "--persons must be an integer"),
    ("run --weeks 0", {}, "--weeks must be in [1, 2080]"),
    ("run --weeks 2081", {}, "--weeks must be in [1, 2080]"),
    ("run --seed -3", {}, "--seed must be a non-negative integer"),
    ("run --seed 4611686018427387905", {}, "up to 2**62"),
    ("run --mode stream", {}, "invalid choice: 'stream'"),
    ("run --bogus", {}, "unrecognized arguments: --bogus"),
    ("run --out {dir}/afile", {"afile": "x"}, "exists and is not a folder"),
    # ---- scenario files
    ("run --scenario {dir}/missing.toml", {}, "scenario file not found"),
    ("run --scenario {dir}/s.toml", {"s.toml": b'description = "\xff\xfe"\n'}, "not UTF-8"),
    ("run --scenario {dir}/s.toml", {"s.toml": "base = 5\n"}, "base must be a string"),
    ("run --scenario {dir}/s.toml", {"s.toml": "description = 3\n"}, "description must be a"),
    ("run --scenario {dir}/s.toml", {"s.toml": "parameters = 5\n"}, "'parameters' must be a"),
    ("run --scenario {dir}/s.toml", {"s.toml": "descripton = 'x'\n"}, "did you mean 'description'"),
    ("run --scenario {dir}/s.toml", {"s.toml": "[parameters\n"}, "not valid TOML"),
    (
        "run --scenario {dir}/s.toml",
        {"s.toml": "[parameters]\nsuccess_alone = 1.5\n"},
        "success_alone must be in [0.0, 1.0]",
    ),
    ("run --scenario {dir}/a.toml", {"a.toml": "base = 'b'\n", "b.toml": "base = 'a'\n"}, "cycle"),
    ("run --scenario {dir}/s.toml", {"s.toml": "base = 'nosuch'\n"}, "unknown scenario 'nosuch'"),
    # ---- compare: scenarios, flags and folders
    ("compare baseline nosuch --out {new}", {}, "unknown scenario 'nosuch'"),
    ("compare baseline baseline --out {new}", {}, "each scenario may appear once"),
    ("compare --replications 0 --out {new}", {}, "--replications must be in [1, 10000]"),
    ("compare --replications x --out {new}", {}, "--replications must be an integer"),
    ("compare --workers 0 --out {new}", {}, "--workers must be in [1, 4096]"),
    ("compare --chunk-size 0 --out {new}", {}, "--chunk-size must be in [1, 100000]"),
    ("compare --executor threads --out {new}", {}, "invalid choice: 'threads'"),
    ("compare --mode stream --out {new}", {}, "invalid choice: 'stream'"),
    ("compare --scheduler tcp://host --out {new}", {}, "tcp://HOST:PORT with a port"),
    ("compare --scheduler tcp://host:0 --out {new}", {}, "tcp://HOST:PORT with a port"),
    ("compare --scheduler tcp://:8786 --out {new}", {}, "tcp://HOST:PORT with a port"),
    ("compare --scheduler dask --out {new}", {}, "must be 'local' or tcp://HOST:PORT"),
    ("compare --dask-timeout 0 --out {new}", {}, "--dask-timeout must be in (0, 86400]"),
    ("compare --dask-timeout nan --out {new}", {}, "--dask-timeout must be in (0, 86400]"),
    ("compare --dask-timeout soon --out {new}", {}, "--dask-timeout must be a number"),
    ("compare --out {dir}/afile", {"afile": "x"}, "exists and is not a folder"),
    ("compare --out {dir}/mine", {"mine/notes.txt": "mine"}, "not a reentry results folder"),
    ("compare --out {dir}/m --resume", {"m/manifest.json": "{broken"}, "manifest.json is corrupt"),
    ("compare --out {dir}/m --resume", {"m/manifest.json": '{"kind": "x"}'}, "not a reentry"),
    (f"compare baseline benefit_advance --replications 2 {SMALL} --out {{out}}", {}, "--resume"),
    (
        f"compare baseline gating_off --replications 2 {SMALL} --out {{out}} --resume",
        {},
        "holds a different experiment",
    ),
    (
        "compare --scheduler tcp://127.0.0.1:1 --dask-timeout 1 --out {new}",
        {},
        "no Dask scheduler answered within 1 s",
    ),
    # ---- sweep: design files
    ("sweep {dir}/missing.toml --out {new}", {}, "cannot read design file"),
    design_case(b"description = '\xe9'\n", "not UTF-8"),
    design_case("", "d.toml is empty"),
    design_case(DESIGN, "nothing to vary"),
    design_case("[grid\n", "not valid TOML"),
    design_case("peeople = 2\n", "unknown key 'peeople'"),
    design_case(
        GRID.replace("persons = 100", "persons = 1.7"),
        "persons must be a whole number in [1, 10000000] (got 1.7)",
    ),
    design_case(GRID.replace("persons = 100", 'persons = "abc"'), "persons must be a whole number"),
    design_case(
        GRID.replace("replications = 1", "replications = true"),
        "replications must be a whole number in [1, 10000] (got True)",
    ),
    design_case(
        GRID.replace("weeks = 20", "weeks = 3000"), "weeks must be a whole number in [1, 2080]"
    ),
    design_case("seed = -1\n" + GRID, "seed must be a whole"),
    design_case("samples = 0\n" + GRID, "samples must be"),
    design_case("grid = 5\n" + DESIGN, "grid must be a table"),
    design_case("ranges = 5\n" + DESIGN, "ranges must be a"),
    design_case(
        DESIGN + "[grid]\nbuddy_caseload = []\n", "grid.buddy_caseload must list at least one value"
    ),
    design_case(DESIGN + "[grid]\nbuddy_casload = [1]\n", "did you mean 'buddy_caseload'"),
    design_case(DESIGN + "[grid]\nbuddy_caseload = [1, 30]\n", "buddy_caseload must be in [1, 10]"),
    design_case(
        DESIGN + '[ranges]\nsuccess_alone = [0.4, "b"]\n',
        "ranges.success_alone must be [low, high]",
    ),
    design_case(
        DESIGN + "[ranges]\nsuccess_alone = [0.9, 0.1]\n",
        "ranges.success_alone must be [low, high]",
    ),
    design_case(
        DESIGN + "[ranges]\nsuccess_alone = [0.1]\n", "ranges.success_alone must be [low, high]"
    ),
    design_case(
        DESIGN + "[ranges]\nqueue_policy = [0, 1]\n",
        "queue_policy is a choice, so it goes in [grid]",
    ),
    design_case("scenario = 5\n" + GRID, "scenario must be a"),
    design_case("scenario = 'x'\n" + GRID, "unknown scenario"),
    design_case("mode = 'x'\n" + GRID, "mode must be one of"),
    design_case(
        GRID.replace('description = "d"', "description = 5"), "description must be a string"
    ),
    design_case("outputs = 'stable_6m'\n" + GRID, "outputs must be a list of outcome names"),
    design_case("outputs = []\n" + GRID, "outputs must be a"),
    design_case(
        "outputs = ['stabel_6m']\n" + GRID, "unknown outcome 'stabel_6m'; did you mean 'stable_6m'"
    ),
    ("sweep {dir}/d.toml --out {out}", {"d.toml": GRID}, "already holds results"),
    # ---- sensitivity and calibrate
    ("sensitivity {dir}/d.toml --out {new}", {"d.toml": GRID}, "needs a [ranges] table"),
    (
        "sensitivity {dir}/d.toml --out {new}",
        {"d.toml": RANGES.replace("samples = 8", "samples = 6")},
        "samples must be a power of 2 for Sobol (got 6)",
    ),
    ("sensitivity {dir}/d.toml --method fast --out {new}", {"d.toml": RANGES}, "invalid choice"),
    (
        "sensitivity {dir}/d.toml --out {new}",
        {"d.toml": "outputs = ['nope']\n" + RANGES},
        "unknown outcome 'nope'",
    ),
    ("calibrate {dir}/d.toml --accept 5 --out {new}", {"d.toml": RANGES}, "--accept must be in"),
    ("calibrate {dir}/d.toml --accept -1 --out {new}", {"d.toml": RANGES}, "--accept must be in"),
    ("calibrate {dir}/d.toml --accept nan --out {new}", {"d.toml": RANGES}, "--accept must be in"),
    ("calibrate {dir}/d.toml --accept inf --out {new}", {"d.toml": RANGES}, "--accept must be in"),
    ("calibrate {dir}/d.toml --accept abc --out {new}", {"d.toml": RANGES}, "must be a number"),
    ("calibrate {dir}/d.toml --out {new}", {"d.toml": GRID}, "calibration needs a [ranges]"),
    (
        "calibrate {dir}/d.toml --out {new}",
        {"d.toml": DESIGN + "[ranges]\nbuddy_caseload = [1, 3]\n"},
        "policy levers are never fitted: buddy_caseload",
    ),
    # ---- a scenario or design file that is not UTF-8, in every command that reads one
    ("compare baseline {dir}/s.toml --out {new}", {"s.toml": b"base = '\xff'\n"}, "not UTF-8"),
    ("validate --scenario {dir}/s.toml", {"s.toml": b"base = '\xff'\n"}, "not UTF-8"),
    ("sensitivity {dir}/d.toml --out {new}", {"d.toml": b"seed = '\xff'\n"}, "not UTF-8"),
    ("calibrate {dir}/d.toml --out {new}", {"d.toml": b"seed = '\xff'\n"}, "not UTF-8"),
    # ---- validate
    ("validate --scenario nosuch", {}, "unknown scenario 'nosuch'"),
    ("validate --replications 0", {}, "--replications must be in [1, 1000]"),
    ("validate --workers 0", {}, "--workers must be in [1, 4096]"),
    # ---- report
    ("report {dir}/no/such/folder", {}, "is not a folder"),
    ("report {dir}/mine", {"mine/notes.txt": "mine"}, "not a reentry results folder"),
    ("report {dir}/m", {"m/manifest.json": "{broken"}, "manifest.json is corrupt"),
    ("report {out} --output {out}/runs.parquet", {}, "--output must name an .html file"),
    ("report {out} --output {dir}/old.html", {"old.html": "<p>mine</p>"}, "pass --overwrite"),
    ("report {out} --output {dir}/nope/r.html", {}, "the folder"),
    ("report {out} --output {dir}/x.html", {"x.html/keep": "x"}, "is a folder"),
    # ---- funding: cost table, option files and flags
    costs_case(
        COSTS.replace("[professional_fte]\n", "[professional_fte]\nvalu = 1\n"),
        "[professional_fte]: unknown field 'valu'; did you mean 'value'?",
    ),
    costs_case(COSTS + "[coffee]\nvalue = 1\n", "unknown cost item 'coffee'"),
    costs_case(
        COSTS.replace("value = 600\n", "value = -600\n"),
        "[volunteer_expenses]: value must not be negative (got -600)",
    ),
    costs_case(
        COSTS.replace("low = 300\nhigh = 1200", "low = 1200\nhigh = 300"),
        "[volunteer_expenses]: the range is reversed: low 1200 > high 300",
    ),
    costs_case(
        COSTS.replace("value = 600\n", "value = 6000\n"),
        "value 6000 is outside its range [300, 1200]",
    ),
    costs_case(COSTS.replace("value = 600\n", 'value = "600"\n'), "value must be a number"),
    costs_case(COSTS.replace("year = 2021", "year = 21.5"), "year must be a whole year"),
    costs_case(COSTS.split("[benefit_month]")[0], "missing cost items: benefit_month"),
    costs_case(
        COSTS.replace("value = 45\n", "value = 200\n").replace("high = 80", "high = 250"),
        "detention_day_marginal must stay below detention_day_average",
    ),
    ("costs --costs {dir}/none.toml", {}, "cost file not found"),
    (
        "funding --budget 500000 --costs {dir}/c.toml --out {new}",
        {"c.toml": COSTS.replace("value = 600\n", "value = -1\n")},
        "must not be negative",
    ),
    options_case(
        OPTION.replace("housing_places", "housng_places"),
        "unknown lever 'housng_places'; did you mean 'housing_places'?",
    ),
    options_case(OPTION.replace("1.0", "0.6"), "shares must sum to 1 (got 0.6)"),
    options_case(OPTION.replace("1.0", "1.5"), "allocation.housing_places must be a share"),
    options_case(OPTION.replace("allocation", "alocation"), "unknown key 'alocation'"),
    options_case(OPTION.replace("housing_places", "buddies"), "buddy_start is 'none'"),
    options_case(
        OPTION + "[options.x.parameters]\nsuccess_alone = 2\n",
        "success_alone must be in [0.0, 1.0]",
    ),
    options_case(OPTION.replace("options.x", "options.baseline"), "names the reference run"),
    options_case('description = "o"\n', "no options"),
    options_case("[options.x]\n", "allocation must name the levers"),
    ("funding --budget -5 --out {new}", {}, "--budget must be in [0, 1e+09]"),
    ("funding --budget lots --out {new}", {}, "--budget must be a number"),
    ("funding --out {new}", {}, "the following arguments are required: --budget"),
    ("funding --budget 1 --discount 0.5 --out {new}", {}, "--discount must be in [0, 0.2]"),
    ("funding --budget 1 --years 0 --out {new}", {}, "--years must be in [1, 20]"),
    ("funding --budget 1 --releases-per-year 0 --out {new}", {}, "--releases-per-year must be"),
    ("funding --budget 1e9 --out {new}", {}, "lower --budget"),
    ("funding --budget 1 --baseline nosuch --out {new}", {}, "unknown scenario 'nosuch'"),
    # ---- overrides on the command line
    ("compare --set success_alone=2 --out {new}", {}, "--set on baseline: success_alone must be"),
    ("compare --set nosuch=1 --out {new}", {}, "unknown parameter 'nosuch'"),
    ("sweep {dir}/d.toml --persons 0 --out {new}", {"d.toml": GRID}, "--persons must be in"),
    ("sweep {dir}/d.toml --replications x --out {new}", {"d.toml": GRID}, "must be an integer"),
    (
        "sweep {dir}/d.toml --warmup 52 --out {new}",
        {"d.toml": 'mode = "cohort"\n' + GRID},
        "--warmup: warmup applies to flow mode",
    ),
    # ---- the command itself
    ("nosuch", {}, "invalid choice: 'nosuch'"),
    ("", {}, "the following arguments are required: command"),
]


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``root`` with its bytes (None for a folder)."""
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """A finished compare folder, as a user would have from an earlier run."""
    out = tmp_path_factory.mktemp("finished") / "cmp"
    argv = f"compare baseline benefit_advance --replications 2 {SMALL} --out {out}"
    assert main(argv.split()) == 0
    return out


def _case_folder(tmp_path: Path, finished: Path, files: dict) -> dict[str, str]:
    shutil.copytree(finished, tmp_path / "out")
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return {"dir": str(tmp_path), "out": str(tmp_path / "out"), "new": str(tmp_path / "new")}


def _one_line_error(stderr: str, expected: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("reentry: error:"), stderr
    assert expected in lines[0], stderr


def test_the_table_covers_every_command():
    commands = {argv.split()[0] for argv, _, _ in CASES if argv}
    assert commands >= {"run", "compare", "sweep", "sensitivity", "calibrate", "validate", "report"}
    assert len(CASES) >= 60


@pytest.mark.parametrize(
    ("argv", "files", "expected"), CASES, ids=[f"{i:02d}" for i in range(len(CASES))]
)
def test_bad_input(argv, files, expected, tmp_path, finished, capsys):
    paths = _case_folder(tmp_path, finished, files)
    before = tree(tmp_path)
    code = main(argv.format(**paths).split())
    assert code == 2
    _one_line_error(capsys.readouterr().err, expected)
    assert tree(tmp_path) == before


def test_a_folder_in_use_is_refused_with_its_holder(tmp_path, finished, capsys):
    out = tmp_path / "out"
    shutil.copytree(finished, out)
    with locked(out, "compare"):
        before = tree(tmp_path)
        for argv in (
            f"compare baseline benefit_advance --replications 2 {SMALL} --out {out} --resume",
            f"report {out}",
        ):
            assert main(argv.split()) == 2
            err = capsys.readouterr().err
            _one_line_error(err, f"{out} is in use by process")
            assert "(reentry compare, since" in err
            assert tree(tmp_path) == before


def _limit_memory() -> None:
    four_gb = 4 * 2**30
    resource.setrlimit(resource.RLIMIT_AS, (four_gb, four_gb))


@pytest.mark.parametrize(
    "argv",
    [
        "run --persons 10000000",
        "compare --persons 10000000 --replications 1 --out {new}",
        "compare --persons 2000000 --replications 4 --workers 2 --out {new}",
    ],
)
def test_a_run_too_big_for_memory_is_refused_before_allocating(argv, tmp_path):
    """Under a 4 GB limit, as the issue found: one line with the memory needed, at once."""
    new = tmp_path / "new"
    done = subprocess.run(
        [sys.executable, "-m", "experiments.cli", *argv.format(new=new).split()],
        capture_output=True,
        text=True,
        preexec_fn=_limit_memory,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    _one_line_error(done.stderr, "of memory")
    assert "needs about" in done.stderr and "GB" in done.stderr
    assert not new.exists()
