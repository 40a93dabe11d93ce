"""Invariants that must hold every week, checked while the model runs."""

import numpy as np
import pytest

from agents import Person
from model import ReentryModel
from model.events import KINDS
from model.mechanisms import EVENT_OFFSET
from model.parameters import PRISON_SERVICES, SERVICES
from model.population import DETAINED, IDLE, IN_SERVICE, LEFT, PRE_ENTRY, RELEASED, WAITING
from model.services import places_in_week


@pytest.mark.parametrize("mode", ["cohort", "flow"])
def test_weekly_invariants(mode):
    # scarce capacity so that queues form and the capacity limit is exercised; people
    # leave often, buddies on, so that leaving meets every kind of help
    params = {
        "capacity_housing": 5.0,
        "capacity_debt_counselling": 5.0,
        "capacity_shelter": 8.0,
        "leave_other_per_year": 0.1,
        "buddy_start": "at_release",
    }
    # a short warm-up, so that the counters' restart at week 0 is crossed too
    warmup = 20 if mode == "flow" else None
    m = ReentryModel(mode=mode, persons=1500, weeks=120, seed=3, params=params, warmup=warmup)
    everyone = m.pop.n
    arrived = exits = 0
    queues_seen = 0
    stocks = np.bincount(m.pop.phase, minlength=4)
    while m.running:
        places = [places_in_week(rate, m.week - m.start_week) for rate in m.service_rate]
        before = len(m.events._chunks)
        gone_before = np.flatnonzero(m.pop.phase == LEFT)
        m.step()
        pop, c = m.pop, m.counts
        # people are conserved: every row is a Mesa agent, and arrivals add up
        arrived += c["arrivals"]
        assert pop.n == everyone == len(m.agents_by_type[Person])
        assert arrived == int((pop.phase != PRE_ENTRY).sum())
        # each person is in exactly one phase
        assert np.isin(pop.phase, (PRE_ENTRY, DETAINED, RELEASED, LEFT)).all()
        # stock and flow: each stock changes by exactly its inflows less its outflows
        now = np.bincount(pop.phase, minlength=4)
        assert now[DETAINED] - stocks[DETAINED] == (
            c["arrivals"] + c["redetentions"] - c["releases"]
        )
        assert now[RELEASED] - stocks[RELEASED] == c["releases"] - c["redetentions"] - c["exits"]
        assert now[LEFT] - stocks[LEFT] == c["exits"]
        stocks, exits = now, exits + c["exits"]
        # someone who has left has no helper and no place on any list
        assert (pop.buddy[gone_before] == -1).all() and (pop.professional[gone_before] == -1).all()
        assert not m.support.has_helper[gone_before].any()
        # no negative queue, and waiting/in-service only for the right phase
        assert np.isin(pop.svc_status, (IDLE, WAITING, IN_SERVICE)).all()
        assert (pop.svc_status[:, pop.phase != RELEASED] == IDLE).all()
        assert (pop.prison_status[:, pop.phase != DETAINED] == IDLE).all()
        waiting = pop.svc_status == WAITING
        assert (pop.svc_since[waiting] <= m.week - 1).all()
        queues_seen += int(waiting.sum())
        # capacity never exceeded: admissions this week <= places this week
        admitted = np.zeros(len(SERVICES), dtype=int)
        for kind, ids, svc, _week, _wait in m.events._chunks[before:]:
            if KINDS[kind] == "admitted":  # one service per chunk, or one per person
                outside = np.broadcast_to(svc, len(ids)) - EVENT_OFFSET["admitted"]
                np.add.at(admitted, outside, 1)
        assert (admitted <= np.array(places)).all(), (m.week, admitted, places)
    assert queues_seen > 0, "the test must see real queues"
    assert exits > 20, "the test must see people leave"
    assert len(PRISON_SERVICES) == pop.prison_status.shape[0]


def test_person_agents_are_views_on_the_arrays(baseline_cohort):
    m = baseline_cohort
    people = m.agents_by_type[Person]
    assert len(people) == m.pop.n
    for person in people.select(lambda a: a.row % 397 == 0):
        assert person.housing == m.pop.housing[person.row]
        assert person.stress == pytest.approx(m.pop.stress[person.row])
        assert person.state()["phase"] == m.pop.phase[person.row]


def test_shares_are_fractions(baseline_cohort):
    w = baseline_cohort.weekly_table()
    shares = w[[c for c in w.columns if c.startswith("share_")]]
    assert ((shares.dropna() >= 0) & (shares.dropna() <= 1)).all().all()


def test_a_stay_has_at_most_one_trajectory_of_each_in_prison_service():
    # long stays, short trajectories and ample places: repeats would show at once
    params = {
        "prison_duration_weeks": 2,
        "detention_share_short": 0.0,
        "detention_share_medium": 0.0,
        **{f"prison_capacity_{s}": 100.0 for s in PRISON_SERVICES},
    }
    m = ReentryModel(mode="flow", persons=800, weeks=80, seed=2, params=params, warmup=0).run()
    admitted = m.process_table().query("event == 'prison_admitted'")
    assert len(admitted) > 500, "the test must see many admissions"
    # the stays that ended in a release, and the stay each person is in now
    stays = m.release_table()[["person", "release_week", "detention_weeks"]].assign(
        start=lambda r: r["release_week"] - r["detention_weeks"]
    )
    joined = admitted.merge(stays, on="person")
    joined = joined[(joined["start"] <= joined["week"]) & (joined["week"] < joined["release_week"])]
    assert not joined.duplicated(["person", "release_week", "service"]).any()
    inside = admitted[admitted["week"] >= m.pop.entry_week[admitted["person"].to_numpy()]]
    assert not inside.duplicated(["person", "service"]).any()
    assert (m.release_table()["prison_services"] <= len(PRISON_SERVICES)).all()


def test_an_in_prison_trajectory_ends_once_either_completed_or_stopped():
    # frequent dropout and short trajectories make both endings fall in the same week often
    params = {"prison_dropout_per_week": 0.5, "prison_duration_weeks": 2}
    m = ReentryModel(mode="flow", persons=1500, weeks=60, seed=5, params=params, warmup=0).run()
    df = m.process_table()
    ends = df[df["event"].isin(["prison_completed", "prison_stopped_early"])]
    assert (ends["event"] == "prison_stopped_early").sum() > 50, "the test must see dropouts"
    twice = ends.duplicated(["person", "week", "service"], keep=False)
    assert not twice.any(), ends[twice].head()


def test_the_weekly_census_agrees_with_the_person_snapshot():
    """The weekly row counts the snapshot fields directly; both must say the same."""
    from model.outcomes import SNAPSHOT_FIELDS, person_state, weekly_row
    from model.population import RELEASED as OUT

    m = ReentryModel(
        mode="flow", persons=600, weeks=60, seed=3, params={"buddy_start": "inside"}, warmup=0
    )
    for _ in range(40):
        m.step()
    out = np.flatnonzero(m.pop.phase == OUT)
    state = person_state(m, out)
    row = weekly_row(m)
    assert len(out) > 100
    for k, field in enumerate(SNAPSHOT_FIELDS):
        if field in ("care_need", "care_met", "detained"):
            continue
        name = field if field == "stability_index" else f"share_{field}"
        assert row[name] == pytest.approx(state[k].mean(), abs=1e-12), field
    needing = state[SNAPSHOT_FIELDS.index("care_need")] == 1
    met = state[SNAPSHOT_FIELDS.index("care_met")][needing]
    assert row["share_care_met"] == pytest.approx(met.mean(), abs=1e-12)
    assert row["mean_stress"] == pytest.approx(m.pop.stress[out].mean(), abs=1e-12)


@pytest.mark.parametrize(("mode", "persons"), [("cohort", 1), ("cohort", 2), ("flow", 1)])
def test_a_tiny_run_summarises_with_missing_shares(mode, persons):
    """One or two people: events may be empty, and the summary says so instead of failing."""
    from analysis.summary import summarise

    m = ReentryModel(mode=mode, persons=persons, weeks=10, seed=1, warmup=0).run()
    summary = summarise(m)
    assert summary["release_events"] == len(m.release_table())
    assert summary["reconviction_2y"] is None  # nobody is observed for two years
    assert set(summary["process"]) >= set(SERVICES)
