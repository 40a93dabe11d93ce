"""Plausibility of the calibrated mode (the steady-state flow), against Leiden2024 Tables 4.1/4.2.

Targets are the shares at release of analysis/targets.toml; the tolerance of 15
points is a plausibility bound, not the calibration's claim (docs/ODD.md s.8).
"""

import pytest

from analysis.summary import summarise
from model import ReentryModel

AT_RELEASE_TARGETS = {
    "housing": 0.78,  # Leiden2024 Table 4.2
    "income": 0.49,  # Leiden2024 Table 4.2
    "valid_id": 0.80,  # Leiden2024 Table 4.1
    "debt": 0.58,  # Leiden2024 Table 4.1
    "two_plus_missing": 1 / 3,  # Leiden2024 §4.4
}


@pytest.fixture(scope="module")
def summary():
    return summarise(ReentryModel(mode="flow", persons=2000, weeks=156, seed=1).run())


@pytest.mark.parametrize("name", sorted(AT_RELEASE_TARGETS))
def test_at_release_share_within_15_points(summary, name):
    assert abs(summary["at_release"][name] - AT_RELEASE_TARGETS[name]) <= 0.15


def test_two_year_justice_contact_is_plausible(summary):
    assert 0.30 <= summary["reconviction_2y"] <= 0.65
