"""Outputs stay byte-identical unless a change means to change them (tests/golden.py)."""

from __future__ import annotations

import json

import pytest

from .golden import BASELINE, CASES, differences, fingerprint


@pytest.mark.parametrize("name", list(CASES))
def test_outputs_match_the_golden_baseline(name):
    stored = json.loads(BASELINE.read_text())
    assert set(stored) == set(CASES), "cases changed: run 'make update-baseline'"
    # through JSON, as stored, so that both sides are plain Python values
    now = json.loads(json.dumps(fingerprint(CASES[name])))
    changed = differences(stored[name], now)
    assert not changed, (
        f"{len(changed)} outputs of '{name}' changed, e.g.\n  "
        + "\n  ".join(changed[:12])
        + "\nIf the change is meant (see README, Development), run 'make update-baseline' and "
        "say why in the commit."
    )


def test_the_comparison_names_what_changed():
    stored = {"summary": {"a": 0.25, "b": {"c": 1}}, "tables": {"weekly": "x"}}
    now = {"summary": {"a": 0.25, "b": {"c": 2}}, "tables": {"weekly": "y"}}
    assert differences(stored, now) == ["summary.b.c: 1 -> 2", "tables.weekly: 'x' -> 'y'"]
    assert differences(stored, json.loads(json.dumps(stored))) == []


def test_a_changed_number_changes_the_fingerprint():
    case = CASES["cohort_baseline"]
    nudged = {**case, "params": {**case["params"], "eviction_per_week": 0.016}}
    stored = json.loads(BASELINE.read_text())["cohort_baseline"]
    changed = differences(stored, json.loads(json.dumps(fingerprint(nudged))))
    assert any(c.startswith("tables.weekly") for c in changed)
