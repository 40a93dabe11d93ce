"""Funding options: budgets into levers, the benefit-cost arithmetic, and a whole comparison."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis import benefit_cost as bc
from model import ReentryModel
from model.parameters import Parameters
from scenarios.costs import load_costs
from scenarios.funding import LEVERS, load_options

BASE = Parameters()
COSTS = load_costs()
DRAWS = [COSTS.values()] + [COSTS.draw(np.random.default_rng(k)) for k in range(5)]


@pytest.mark.parametrize("budget", [1.0, 123_456.7, 500_000.0, 2_000_000.0])
def test_every_option_spends_exactly_its_budget(budget):
    for costs in DRAWS:
        for option in load_options(None, BASE):
            params = option.with_parameters(BASE)
            units = option.units(budget, costs, BASE)
            spent = sum(LEVERS[lever].budget(u, costs, params) for lever, u in units.items())
            assert math.isclose(spent, budget, rel_tol=1e-12), option.name


def test_more_budget_never_buys_fewer_units_or_a_smaller_lever():
    budgets = [float(b) for b in np.linspace(0, 1_000_000, 21)]
    for option in load_options(None, BASE):
        units = [option.units(b, COSTS.values(), BASE) for b in budgets]
        changed = [option.overrides(b, COSTS.values(), BASE, 1000.0) for b in budgets[1:]]
        for lever in option.allocation:
            assert all(np.diff([u[lever] for u in units]) > 0), (option.name, lever)
        for name, value in changed[0].items():
            if isinstance(value, float):
                assert all(np.diff([c[name] for c in changed]) > 0), (option.name, name)


def test_professional_capacity_grows_with_every_part_of_an_fte():
    # a budget buys fractions of an FTE; capacity must follow them, not whole posts
    caps = []
    for per_1000 in np.linspace(8.0, 9.0, 6):
        params = {"professionals_per_1000_releases": float(per_1000)}
        m = ReentryModel("flow", persons=2000, weeks=52, params=params, warmup=0)
        caps.append(m.professionals.case_capacity)
    assert all(np.diff(caps) >= 0) and caps[-1] > caps[0]


def test_a_zero_budget_changes_no_parameter():
    for option in load_options(None, BASE):
        assert option.overrides(0.0, COSTS.values(), BASE, 1000.0) == {}


def test_benefit_cost_arithmetic_matches_a_worked_example():
    # Two years at 5%. The option avoids, each year, 10 re-detentions and 700 detention
    # days, 20 justice contacts and 30 offences, 52 shelter weeks; it adds 12 benefit months
    # and 24 stable months. The programme costs 100,000 a year.
    costs = {
        "detention_day_marginal": 50.0, "police_per_contact": 1000.0,
        "court_per_contact": 500.0, "supervision_week": 60.0, "place_week_shelter": 200.0,
        "benefit_month": 1000.0, "victim_cost_per_offence": 2000.0,
    }  # fmt: skip
    base = {"releases": 100, "redetentions": 50, "detention_days": 5000, "justice_contacts": 80,
            "offences": 120, "stable_months": 100, "shelter_weeks": 500, "benefit_months": 300,
            "supervised_weeks": 400, "advances": 0}  # fmt: skip
    option = {**base, "redetentions": 40, "detention_days": 4300, "justice_contacts": 60,
              "offences": 90, "stable_months": 124, "shelter_weeks": 448,
              "benefit_months": 312}  # fmt: skip
    yearly = pd.DataFrame(
        [{"run_id": r, "year": y, **q} for r, q in (("b", base), ("o", option)) for y in (1, 2)]
    ).set_index(["run_id", "year"])
    runs = pd.DataFrame({"run_id": ["b", "o"], "scenario": ["baseline", "x"], "replication": 0})
    row = bc.evaluate(yearly, runs, {0: costs}, budget=100_000, rate=0.05, scale=1.0).iloc[0]

    pv = 1 / 1.05 + 1 / 1.05**2  # 1.859410...
    justice = 700 * 50 + 20 * 1500  # 65,000 a year; supervision unchanged
    municipality = 52 * 200 - 12 * 1000  # shelter saved, more benefit paid: -1,600
    participants = 12 * 1000
    victims = 30 * 2000
    assert justice + municipality + participants + victims == 135_400  # benefits a year
    assert row["justice_pv"] == pytest.approx(justice * pv)
    assert row["municipality_pv"] == pytest.approx(municipality * pv)
    assert row["participants_pv"] == pytest.approx(participants * pv)
    assert row["victims_pv"] == pytest.approx(victims * pv)
    assert row["programme_cost_pv"] == pytest.approx(100_000 * pv)
    assert row["npv"] == pytest.approx(35_400 * pv)  # 65,823.1
    assert row["npv"] == pytest.approx(65_823.12, abs=0.01)
    assert row["bcr"] == pytest.approx(1.354)
    assert row["redetentions_avoided_per_year"] == 10
    assert row["stable_months_gained_pv"] == pytest.approx(24 * pv)
    economics = bc.economics_table(pd.DataFrame([row]))
    assert economics["cost_per_redetention_avoided"].iloc[0] == pytest.approx(10_000)
    # the option saves money and avoids re-detentions: a negative ICER (dominant)
    assert economics["icer_redetentions_avoided"].iloc[0] == pytest.approx(-3540)
    assert economics["chance_benefits_exceed_costs"].iloc[0] == 1.0


def test_present_value_discounts_at_each_year_end():
    assert bc.present_value([100, 100, 100], 0.05) == pytest.approx(272.3248, abs=1e-4)
    assert bc.present_value([100, 100, 100], 0.0) == 300
    assert math.isnan(bc.icer(100.0, 0.0))


def test_acceptability_matches_a_hand_count_and_sums_to_one():
    # draws x options: option 0 avoids 1 for a net cost of 50 or 150; option 1 avoids 3 for 400
    effects = np.array([[1.0, 3.0], [1.0, 3.0]])
    net = np.array([[50.0, 400.0], [150.0, 400.0]])
    curve = bc.ceac(effects, net, np.array([0.0, 100.0, 200.0]))
    # at 0 nothing beats the baseline (NMB 0); at 100 option 0 wins draw 0 (NMB 50) and
    # the baseline draw 1; at 200, NMB is (150, 200) and (50, 200): option 1 wins both
    assert curve.tolist() == [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]]
    rng = np.random.default_rng(3)
    random_curve = bc.ceac(
        rng.normal(size=(50, 4)), rng.normal(size=(50, 4)), np.linspace(0, 5, 11)
    )
    assert np.allclose(random_curve.sum(axis=1), 1.0)


def _reentry(argv: list[str]) -> subprocess.CompletedProcess:
    cli = [sys.executable, "-m", "experiments.cli"]
    return subprocess.run([*cli, *argv], capture_output=True, text=True)


@pytest.fixture(scope="module")
def funding_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("funding") / "f"
    argv = ("funding --budget 500000 --replications 3 --persons 600 --years 2 --warmup 156 "
            f"--workers 2 --no-progress --out {out}").split()  # fmt: skip
    done = _reentry(argv)
    assert done.returncode == 0, done.stderr
    return out, done.stdout


def test_a_funding_comparison_reports_every_option_and_reads_as_a_summary(funding_folder):
    out, stdout = funding_folder
    economics = pd.read_csv(out / "economics.csv")
    options = [o.name for o in load_options(None, BASE)]
    assert economics["option"].tolist() == options
    assert economics["chance_benefits_exceed_costs"].between(0, 1).all()
    assert np.allclose(
        economics["programme_cost_pv"], 500_000 * bc.discount_factors(2, 0.035).sum()
    )
    curve = pd.read_csv(out / "acceptability.csv")
    assert np.allclose(curve.drop(columns="wtp").sum(axis=1), 1.0)
    assert "The chance that it pays for itself is" in stdout
    assert "too few" in stdout  # 3 draws
    # professionals are under-used in the baseline, and the summary says so
    assert (
        "professionals work at"
        in economics.set_index("option").loc["professionals", "not_the_bottleneck"]
    )
    units = pd.read_csv(out / "units.csv")
    spent = units.groupby(["option", "draw"])["euros_per_year"].sum()
    assert np.allclose(spent, 500_000)
    for figure in ("ce_plane", "acceptability", "payers"):
        assert (out / "figures" / f"{figure}.png").stat().st_size > 10_000


def test_the_same_draws_serve_every_option(funding_folder):
    out, _ = funding_folder
    tasks = json.loads((out / "tasks.json").read_text())
    by_draw: dict[int, list] = {}
    for t in tasks:
        by_draw.setdefault(t["replication"], []).append(t)
    for draw, runs in by_draw.items():
        assert len({t["seed"] for t in runs}) == 1
        for name in ("offence_base_per_week", "redetention_probability", "success_alone"):
            assert len({t["params"][name] for t in runs}) == 1, (draw, name)
    drawn = pd.read_csv(out / "parameter_draws.csv")
    assert drawn["offence_base_per_week"].nunique() == len(drawn)


def test_report_works_on_a_funding_folder(funding_folder):
    out, _ = funding_folder
    done = subprocess.run(
        [sys.executable, "-m", "experiments.cli", "report", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    html = (out / "report.html").read_text()
    assert "Funding options" in html and "acceptability curve" in html
    assert "chance that it pays for itself" in html


def test_a_zero_budget_reproduces_the_baseline_exactly(tmp_path):
    out = tmp_path / "zero"
    argv = ("funding --budget 0 --replications 2 --persons 300 --years 2 --warmup 52 "
            f"--workers 1 --executor serial --no-progress --out {out}").split()  # fmt: skip
    done = _reentry(argv)
    assert done.returncode == 0, done.stderr
    runs = pd.read_parquet(out / "runs.parquet")
    outcomes = [c for c in runs.columns if c not in ("run_id", "scenario", "seconds")]
    for _, draw in runs.groupby("replication"):
        base = draw[draw["scenario"] == "baseline"][outcomes].iloc[0]
        for _, row in draw[outcomes].iterrows():
            pd.testing.assert_series_equal(row, base, check_names=False)
    draws = pd.read_csv(out / "draws.csv")
    assert (draws[["npv", "benefits_pv", "redetentions_avoided_pv"]] == 0).all().all()


def test_reentry_costs_lists_every_item_with_its_source_and_every_lever(capsys):
    from experiments.cli import main

    assert main(["costs"]) == 0
    shown = " ".join(capsys.readouterr().out.split())  # sources are wrapped over lines
    for item in COSTS.items.values():
        assert item.name in shown and " ".join(item.source.split()) in shown
    assert shown.count("(assumption)") == sum(i.assumption for i in COSTS.items.values()) > 0
    for lever in LEVERS.values():
        assert f"a year for {lever.one}" in shown
