"""`reentry report`: one self-contained HTML file from any experiment folder."""

import re
import subprocess
import sys

import pandas as pd
import pytest

from analysis import plots
from analysis.validation import load_targets

CLI = [sys.executable, "-m", "experiments.cli"]
SMALL = ["--persons", "300", "--weeks", "60", "--warmup", "0", "--no-progress"]


def reentry(*args):
    return subprocess.run([*CLI, *args], capture_output=True, text=True)


def assert_self_contained(html: str) -> None:
    """Nothing is fetched when the file opens: no scripts, links or remote sources."""
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", html)
    assert not re.search(r"url\(", html)


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "cmp"
    done = reentry(
        "compare", "buddy_antwerp", "baseline", "--replications", "2", *SMALL, "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    return out


def test_a_compare_folder_becomes_one_offline_html_file(compared):
    done = reentry("report", str(compared))
    assert done.returncode == 0, done.stderr
    html = (compared / "report.html").read_text()
    assert_self_contained(html)
    images = re.findall(r'src="data:image/png;base64,', html)
    # the paired differences (forest plot), conditions, the whole run with its warm-up,
    # survival, targets, waits, equity, buddies
    assert len(images) == 8
    for caption in (
        "The system over the whole run, warm-up shaded",
        "Basic conditions over time",
        "Survival to the first new offence",
        "against the targets",
        "Waiting times and abandonment",
        "Outcomes by typology and detention length",
        "The buddy programme",
    ):
        assert caption in html
    # the reference is the first scenario named, not the first alphabetically
    assert "against buddy_antwerp" in html
    first_row = re.search(r"<th>diff_ci_high</th></tr><tr><td[^>]*>([a-z_]+)</td>", html)
    assert first_row and first_row.group(1) == "buddy_antwerp"
    assert "valid ID at release" in html  # the targets table
    assert (compared / "figures" / "survival.png").is_file()


def test_report_output_can_go_elsewhere(compared, tmp_path):
    target = tmp_path / "elsewhere.html"
    done = reentry("report", str(compared), "--output", str(target))
    assert done.returncode == 0, done.stderr
    assert target.stat().st_size > 100_000


def test_a_foreign_or_corrupt_folder_gets_one_line_and_is_left_alone(tmp_path, compared):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    done = reentry("report", str(foreign))
    assert done.returncode == 2
    assert "not a reentry results folder" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text((compared / "manifest.json").read_text())
    (broken / "runs.parquet").write_bytes(b"not parquet")
    (broken / "weeks.parquet").write_bytes(b"not parquet")
    done = reentry("report", str(broken))
    assert done.returncode == 2
    assert "corrupt" in done.stderr and "Traceback" not in done.stderr
    assert not (broken / "report.html").exists() and not (broken / "figures").exists()


def test_every_panel_has_a_title_and_labelled_axes(compared, tmp_path, monkeypatch):
    seen = []

    def keep(fig, path, title):
        seen.append((path.name, title, fig))

    monkeypatch.setattr(plots, "_save", keep)
    runs = pd.read_parquet(compared / "runs.parquet")
    weeks = pd.read_parquet(compared / "weeks.parquet")
    plots.write_figures(runs, weeks, "scenario", "cohort", load_targets(), tmp_path)
    assert len(seen) == 6
    for name, title, fig in seen:
        assert title, name
        panels = [ax for ax in fig.axes if ax.get_visible()]
        for ax in panels:
            where = f"{name}: {ax.get_title()!r}"
            assert ax.get_xlabel(), where
            # a y label with its unit, or categories named on the y axis
            assert ax.get_ylabel() or all(t.get_text() for t in ax.get_yticklabels()), where
            assert ax.get_title() or len(panels) == 1, where
