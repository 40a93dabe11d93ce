"""The teaching dashboard (app.py) without a browser: controls drive the model.

Rendered with solara's test renderer; tests/test_dashboard_browser.py drives the real
page in Chromium.
"""

from __future__ import annotations

import json

import ipyvuetify as v
import pytest

solara = pytest.importorskip("solara")
app = pytest.importorskip("app")


def render():
    _, rc = solara.render(solara.AppLayout(children=[app.Page()]), handle_error=False)
    return rc


def status(rc) -> str:
    (line,) = [
        h.widget.children[0]
        for h in rc.find(v.Html, tag="span")
        if h.widget.children and str(h.widget.children[0]).startswith("Week")
    ]
    return line


def click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def week(rc) -> int:
    return int(status(rc).split("|")[0].split()[1])


def charts(rc) -> list[list[dict]]:
    """Each chart's data rows, as sent to the browser."""
    return [json.loads(c.widget.rows) for c in rc.find(app.Chart)]


def test_step_advances_the_model_and_redraws_the_charts():
    rc = render()
    start = week(rc)
    click(rc, "Step")
    before = charts(rc)
    for _ in range(3):
        click(rc, "Step")
    assert week(rc) == start + 4
    after = charts(rc)
    assert len(after) == len(app.CLASS_CHARTS) == 5
    # the conditions chart gains the new weeks (inside: nobody is released yet)
    assert max(r["week"] for r in after[0]) == max(r["week"] for r in before[0]) + 3
    assert {r["where"] for r in after[0]} == {"inside"}


def test_a_slider_change_then_reset_rebuilds_the_model_with_the_new_value():
    rc = render()
    click(rc, "Step")
    rc.find(v.Slider, label="Living climate (damage x)").widget.v_model = 2.0
    assert "living climate 1 " in status(rc)  # nothing changes before Reset
    click(rc, "Reset")
    assert "living climate 2 " in status(rc)
    assert week(rc) < 0  # a new model, at the start of the detention phase


def test_a_preset_loads_its_scenario():
    rc = render()
    rc.find(v.Select, label="Preset (a shipped scenario)").widget.v_model = "buddy_antwerp"
    click(rc, "Reset")
    line = status(rc)
    assert "preset buddy_antwerp" in line
    assert "buddies from inside, caseload 1" in line  # the scenario's buddy programme


def test_two_sessions_do_not_share_a_model():
    first, second = render(), render()
    click(first, "Step")
    click(first, "Step")
    assert week(first) == week(second) + 2


def test_a_person_story_is_told_in_plain_words():
    m = app.DashboardModel(persons=500, preset="buddy_antwerp")
    while m.week < 20:
        m.step()
    i = app.pick_person(m, "a typical shy")
    assert m.pop.typology[i] == 0  # shy
    states = m.story.person(i, m.p.debt_problem_threshold)
    events = m.process_table()
    lines = app.timeline(states, events[events["person"] == i])
    assert any("entered detention" in line for line in lines)
    assert any(line.startswith("week") and ": released" in line for line in lines)
    assert all(line.startswith("week ") for line in lines)


def test_side_by_side_meets_the_same_people_with_another_policy_at_the_same_week():
    m = app.DashboardModel(persons=500, seed=3, living_climate=1.5)
    twin = m.twin("benefit_advance")
    assert twin.p.living_climate == 1.5 and twin.p.benefit_advance and not m.p.benefit_advance
    # common random numbers: the same people, with the same traits and stays
    assert (twin.pop.typology == m.pop.typology).all()
    assert (twin.pop.entry_week == m.pop.entry_week).all()
    assert (twin.pop.release_week == m.pop.release_week).all()
    while m.week < 30:
        m.step()
    twin.catch_up(m.week)
    assert twin.week == m.week
    # the advance gives more of them an income after release
    assert twin.weekly[-1]["share_income"] > m.weekly[-1]["share_income"]
