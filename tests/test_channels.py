"""The channel breakdown of a lever's effect on offending (analysis/channels.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.channels import CHANNELS, channel_table, exposures
from experiments.compare import compare_tasks
from experiments.runner import run_task
from model.parameters import Parameters


def test_exposures_weigh_each_week_by_the_people_released_and_skip_the_warm_up():
    weeks = pd.DataFrame(
        {
            "run_id": ["a"] * 3,
            "week": [-1, 0, 1],
            "released": [1000, 100, 300],
            "share_income": [0.0, 0.5, 0.9],
            "share_housing": [0.0, 1.0, 1.0],
            "mean_ties_criminogenic": [1.0, 0.2, 0.2],
            "mean_ties_prosocial": [0.0, 0.6, 0.6],
            "mean_stress": [1.0, 0.1, 0.3],
            "share_stable": [0.0, 0.4, 0.4],
            "offences": [50, 10, 30],
            "justice_contacts": [0, 5, 15],
        }
    )
    e = exposures(weeks).loc["a"]
    assert e["income"] == pytest.approx(1 - (100 * 0.5 + 300 * 0.9) / 400)  # no income
    assert e["stress"] == pytest.approx((100 * 0.1 + 300 * 0.3) / 400)
    assert e["prosocial ties"] == pytest.approx(0.4)  # protective factors enter as their lack
    assert e["supervision"] == pytest.approx(20 / 40)  # offences detected, warm-up left out


@pytest.fixture(scope="module")
def advance_against_baseline():
    tasks, names, _ = compare_tasks(
        ["baseline", "benefit_advance"], 3, 1, "flow", persons=1500, weeks=104, warmup=260
    )
    done = [run_task(t) for t in tasks]
    runs = pd.DataFrame([record for record, _ in done])
    weeks = pd.concat([w for _, w in done], ignore_index=True)
    return channel_table(runs, weeks, names, Parameters().to_dict())


def test_a_benefit_advance_lowers_offending_through_income_not_detection(advance_against_baseline):
    table = advance_against_baseline.set_index("channel")
    assert set(table.index) == {*CHANNELS, "supervision"}
    income = table.loc["income"]
    assert income["change_ci_high"] < 0  # fewer released person-weeks without income
    assert income["log_odds"] < 0
    # money at release also keeps people from the criminal network (no income pulls
    # them in) and lowers stress: every hazard channel moves the same way
    shares = table["log_odds"].dropna()
    assert shares.sum() < income["log_odds"] < 0
    # the advance does not touch detection
    supervision = table.loc["supervision"]
    assert supervision["change_ci_low"] < 0 < supervision["change_ci_high"] or np.isclose(
        supervision["change"], 0
    )
