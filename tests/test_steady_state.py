"""The flow baseline is a steady state after its warm-up: nothing drifts with run length.

A smaller version of benchmarks/bench_steady_state.py (4 years, 2 seeds). Without
exits from the system, without the warm-up, or with the services of calibration round
5 (most of them a little short of their demand, so that scarcity raised re-detention,
which raised releases, which made the services scarcer), the stocks, the queues and
the yearly cohorts' outcomes drift and the test fails.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.steady_state import WEEKS_PER_YEAR, steady_state_table
from model import ReentryModel
from model.parameters import Parameters

YEARS = 4
ENTRIES_A_YEAR = 1250  # a quarter of the benchmark's system, four seeds


def measured(warmup: int | None):
    weeks = (YEARS + 2) * WEEKS_PER_YEAR  # two more years follow the last measured cohort
    runs = [
        ReentryModel(
            mode="flow", persons=ENTRIES_A_YEAR * (YEARS + 2), weeks=weeks, seed=s, warmup=warmup
        ).run()
        for s in (1, 2, 3, 4)
    ]
    weekly = pd.concat([m.weekly_table().assign(run_id=i) for i, m in enumerate(runs)])
    releases = pd.concat([m.release_table() for m in runs])
    return steady_state_table(weekly, releases, YEARS), weekly


def test_stocks_queues_and_yearly_cohorts_do_not_drift_after_the_warm_up():
    table, weekly = measured(warmup=None)  # the default
    assert len(table) >= 14  # three stocks, eight waiting lists, three cohort outcomes
    drifting = table[~table["stationary"]]
    assert drifting.empty, drifting[["series", "largest_yearly_gap", "trend_per_year"]]
    # capacity is sized on the reference release volume: the settled baseline must have it
    after = weekly[weekly["week"] >= 0]
    per_entry = after["releases"].sum() / after["arrivals"].sum()
    assert per_entry == pytest.approx(Parameters().flow_releases_per_entry, rel=0.05)


def test_the_same_check_sees_the_drift_of_a_system_filling_from_empty():
    table = measured(warmup=0)[0].set_index("series")
    assert not table.loc["community stock (released, in the system)", "stationary"]
    assert not table.loc["2-year re-detention of the year's releases", "stationary"]
    assert (~table["stationary"]).sum() >= 4
