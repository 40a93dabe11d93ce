"""The documentation stays in step with the code."""

import re
import tomllib
from dataclasses import fields
from pathlib import Path

from analysis.validation import load_targets
from model.parameters import Parameters

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def test_every_parameter_is_in_the_odd_parameter_table():
    odd = (DOCS / "ODD.md").read_text()
    missing = [f.name for f in fields(Parameters) if f"| `{f.name}` |" not in odd]
    assert not missing, f"regenerate with 'reentry params --markdown': {missing}"


def test_every_target_has_value_source_n_and_tolerance():
    targets = load_targets()
    assert len(targets) >= 20
    for t in targets:
        assert 0 <= t["value"] <= 1 and t["tolerance"] >= 0, t["name"]
        assert t["source"].startswith("Leiden2024"), t["name"]
        assert t["n"], t["name"]
    outcomes = {t["outcome"] for t in targets}
    assert {
        "at_release_housing",
        "month3_income",
        "month6_detained",
        "reconviction_2y",
        "redetention_2y",
    } <= outcomes


def test_citation_and_licence_agree_with_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    citation = (ROOT / "CITATION.cff").read_text()
    assert re.search(r"^version: (.+)$", citation, re.M).group(1) == project["version"]
    assert re.search(r"^license: (.+)$", citation, re.M).group(1) == project["license"]
    assert (ROOT / "LICENSE").read_text().startswith(f"{project['license']} License")
