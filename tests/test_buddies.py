"""The buddy programme and professionals: directions of effect and invariants.

All comparisons are paired on common random numbers (same seed), on a cohort
large enough that the programme's buddy pool binds.
"""

import numpy as np
import pytest

from agents import Buddy, Professional
from analysis.summary import summarise
from model import ReentryModel
from model.buddy_programme import MATCHED, ON_LIST
from model.parameters import SERVICES
from model.population import RELEASED
from model.support import Helper

from .conftest import cohort

N = 3000
INSIDE = {"buddy_start": "inside"}


def run(**params):
    m = cohort(persons=N, **params)
    return m, summarise(m)


def cohort_rows(m):
    r = m.release_table()
    return r[r["release_week"] == 0]


def test_buddies_give_more_stability_at_6_months_and_fewer_hidden_needs_for_the_shy():
    _, off = run()
    _, on = run(**INSIDE)
    assert on["stable_6m"] > off["stable_6m"] + 0.01
    shy_off = off["process"]["hidden_needs_by_typology"]["shy"]
    shy_on = on["process"]["hidden_needs_by_typology"]["shy"]
    assert shy_on < shy_off - 0.01


def test_higher_caseload_serves_more_people_each_gaining_less_with_more_strain_and_turnover():
    m1, one = run(**INSIDE)
    m3, three = run(**INSIDE, buddy_caseload=3)
    # the same pool and recruitment in both
    assert len(m1.agents_by_type[Buddy]) == len(m3.agents_by_type[Buddy])
    assert m3.pop.buddy_ever.sum() > m1.pop.buddy_ever.sum()
    assert three["buddy_trajectories"]["matches"] > one["buddy_trajectories"]["matches"]
    dose1 = m1.pop.buddy_support[m1.pop.buddy_ever].mean()
    dose3 = m3.pop.buddy_support[m3.pop.buddy_ever].mean()
    assert dose3 < 0.7 * dose1
    assert three["buddy_strain_mean"] > one["buddy_strain_mean"]
    assert three["buddy_turnover_per_year"] > one["buddy_turnover_per_year"]


def test_weekly_contact_discovers_more_needs_than_monthly_and_reactive_least():
    shares = {
        interval: run(**INSIDE, buddy_contact_interval=interval)[1][
            "hidden_needs_share_buddy_clients"
        ]
        for interval in (1, 4, "reactive")
    }
    assert shares[1] < shares[4] < shares["reactive"]


def test_no_coaching_gives_more_turnover():
    _, coached = run(**INSIDE)
    _, alone = run(**INSIDE, coaching=False)
    assert alone["buddy_turnover_per_year"] > coached["buddy_turnover_per_year"]
    assert alone["buddy_strain_mean"] > coached["buddy_strain_mean"]


def test_starting_inside_beats_starting_at_release_in_the_first_three_months():
    inside = cohort_rows(run(**INSIDE)[0])
    at_release = cohort_rows(run(buddy_start="at_release")[0])
    for column in ("month3_stability_index", "month3_income"):
        assert inside[column].mean() > at_release[column].mean(), column


def test_substitution_buddies_burn_out_faster_without_professionals():
    _, staffed = run(**INSIDE, buddy_caseload=2)
    _, short = run(**INSIDE, buddy_caseload=2, professionals_per_1000_releases=0.5)
    assert short["professional_load_mean"] > 1
    assert short["buddy_turnover_per_year"] > staffed["buddy_turnover_per_year"]


def test_the_rational_types_early_exit_is_a_completion_not_a_drop_out():
    m, s = run(**INSIDE)
    p = m.process_table()
    early = p.loc[p["event"] == "buddy_completed_early", "person"].to_numpy()
    assert len(early) > 0
    assert (m.pop.typology[early] == 2).all()  # rational
    totals = s["buddy_trajectories"]
    assert totals["completed_early"] == len(early)
    assert totals["dropped"] == int((p["event"] == "buddy_dropped").sum())
    # an early exit ends the trajectory as closed, so it never appears as a drop-out
    closed = p[p["event"].isin(["buddy_completed_early", "buddy_dropped"])]
    assert not closed.duplicated(["person", "week"]).any()


@pytest.mark.parametrize("caseload", [1, 2])
def test_caseload_cap_and_one_buddy_per_client_every_week(caseload):
    m = ReentryModel(
        mode="flow",
        persons=1500,
        weeks=100,
        seed=7,
        params={**INSIDE, "buddy_caseload": caseload, "buddies_per_1000_releases": 20.0},
        warmup=0,
    )
    saw_full_buddy = False
    while m.running:
        m.step()
        pop, b = m.pop, m.buddies
        matched = pop.buddy_status == MATCHED
        # a person has a buddy exactly when matched, and that buddy is still active
        assert ((pop.buddy >= 0) == matched).all()
        assert b.active[pop.buddy[matched]].all()
        counts = np.bincount(pop.buddy[matched], minlength=len(b.active))
        assert counts.max(initial=0) <= caseload
        saw_full_buddy |= bool((counts == caseload).any())
        # nobody on the list has a buddy; professionals never exceed their caseload
        listed = pop.buddy_status == ON_LIST
        assert (pop.buddy[listed] == -1).all()
        # an offer lapses: nobody released waits longer than the lapse for a first buddy
        # (a client whose buddy left waits again, within the same window)
        out = listed & (pop.phase == RELEASED)
        assert (m.week - pop.release_week[out] <= m.p.buddy_offer_lapse_weeks).all()
        assert (pop.professional >= 0).sum() <= m.professionals.case_capacity
    assert saw_full_buddy
    assert len(m.agents_by_type[Professional]) == m.professionals.n > 0


def test_buddy_agents_are_views_on_the_programme():
    m, _ = run(**INSIDE)
    buddies = m.agents_by_type[Buddy]
    some = buddies.select(lambda a: a.index % 50 == 0)
    for buddy in some:
        assert buddy.strain == pytest.approx(m.buddies.strain[buddy.index])
        assert buddy.active == m.buddies.active[buddy.index]
        assert len(buddy.clients) <= m.p.buddy_caseload
        assert buddy.tenure_weeks >= 0


def test_overloaded_professionals_rush_contacts_and_their_clients_trust_less():
    staffed, s_staffed = run(**INSIDE)
    short, s_short = run(**INSIDE, professionals_per_1000_releases=1.0)
    assert s_short["professional_load_mean"] > 1 > s_staffed["professional_load_mean"]
    trust_short = short.pop.trust[short.pop.pro_ever].mean()
    trust_staffed = staffed.pop.trust[staffed.pop.pro_ever].mean()
    assert trust_short < trust_staffed - 0.02


def test_struggling_matches_get_three_way_talks_and_complex_cases_are_taken_over():
    m, s = run(**INSIDE, buddy_caseload=3)
    assert s["buddy_trajectories"]["three_way_talks"] > 0
    assert m.weekly_table()["takeovers"].sum() > 0


def test_json_reports_the_programme_outcomes():
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "experiments.cli",
            "run",
            "--persons",
            "600",
            "--weeks",
            "60",
            "--set",
            "buddy_start=inside",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)
    assert 0 < result["buddy_utilisation"] <= 1
    assert result["buddy_turnover_per_year"] >= 0
    assert result["buddy_waitlist_mean"] >= 0
    assert 0 <= result["hidden_needs_share"] <= 1


class _Outreach(Helper):
    """A minimal extra provider: a street worker who contacts everyone out each week."""

    def attach(self, m):
        return np.zeros(0, dtype=np.int64), 0

    def contacts(self, m):
        from model.population import RELEASED, WITH_PROFESSIONAL
        from model.support import Contacts

        out = np.flatnonzero(m.pop.phase == RELEASED)
        return Contacts(out, WITH_PROFESSIONAL, relief=0.0, trust_change=0.0, keep_probability=1.0)

    def contacted(self, m, ids):
        self.seen = getattr(self, "seen", 0) + len(ids)


def test_an_extra_provider_slots_in_and_its_contacts_find_hidden_needs():
    """The hook for new kinds of helper: weekly contacts discover needs and refer people."""
    base = ReentryModel(mode="cohort", persons=1500, weeks=52, seed=4).run()
    outreach = _Outreach()
    extra = ReentryModel(mode="cohort", persons=1500, weeks=52, seed=4, providers=[outreach])
    extra.run()
    out_weeks = extra.weekly_table()["released"].sum()
    assert outreach.seen > 0.9 * out_weeks  # everyone out is seen about every week
    hidden = [summarise(m)["hidden_needs_share"] for m in (base, extra)]
    assert hidden[1] < 0.5 * hidden[0]
    # ...and the referrals fill the waiting lists outside (places are capped, lists are not)
    outside = [f"waiting_{s}" for s in SERVICES]
    weeks = [m.weekly_table().query("week >= 0") for m in (base, extra)]
    waiting = [w[outside].sum(axis=1).mean() for w in weeks]
    assert waiting[1] > 1.2 * waiting[0]
