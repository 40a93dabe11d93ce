"""Outcomes: a row per week, and a row per release event.

Release events carry the person's state at release and at 3, 6, 12 and 24
months after it, justice contact and re-detention within 2 years, and the
time to the first new offence. An outcome measured at a fixed time after
release is missing (NaN) when the run ends before that time, so summaries
count only the release events that reach it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd
from numba import njit

from .bundles import Clock, Domains, bundle
from .declare import PRISON_SERVICES, SERVICES
from .population import (
    BENEFIT,
    DETAINED,
    INDEPENDENT,
    LEFT,
    LENGTH_GROUPS,
    NO_HOUSING,
    NO_INCOME,
    NO_WEEK,
    PLUS,
    PRE_ENTRY,
    RELEASED,
    SHELTER,
    TYPOLOGY,
    WAITING,
    WORK,
    debt_ok,
    missing,
)
from .services import ADDICTION_CARE, EMPLOYMENT, MENTAL_HEALTH_CARE, busy

if TYPE_CHECKING:
    from .model import ReentryModel

MILESTONES = {"release": 0, "month3": 13, "month6": 26, "month12": 52, "month24": 104}
"""Weeks after release at which a release event's state is recorded."""
TWO_YEARS = 104
SNAPSHOT_FIELDS = (
    "valid_id",
    "housing",
    "housing_independent",
    "income",
    "work",
    "benefit",
    "debt",
    "debt_unmanaged",
    "care_need",
    "care_met",
    "daytime",
    "two_plus_missing",
    "stability_index",
    "stable",
    "detained",
)


_EVENT_COLUMNS: dict[str, tuple] = {
    "person": (np.int64, -1),
    "release_week": (np.int32, NO_WEEK),
    "detention_weeks": (np.int32, 0),
    "length_group": (np.int8, 0),
    "typology": (np.int8, 0),
    "release_number": (np.int16, 0),
    "priors": (np.int16, 0),
    "supervised": (np.bool_, False),
    "regime_plus": (np.bool_, False),
    "prison_services": (np.int8, 0),
    "prison_admitted_on_basic": (np.int8, 0),
    "prepared": (np.bool_, False),
    "first_offence_week": (np.int32, NO_WEEK),
    "first_contact_week": (np.int32, NO_WEEK),
    "redetention_week": (np.int32, NO_WEEK),
    "left_week": (np.int32, NO_WEEK),
}
_CARE_NEED, _CARE_MET = SNAPSHOT_FIELDS.index("care_need"), SNAPSHOT_FIELDS.index("care_met")


class SnapshotPeople(NamedTuple):
    """The population columns the snapshot fields read."""

    phase: np.ndarray
    svc_status: np.ndarray
    domains: Domains


@njit(cache=True)
def _state_matrix(ids, people, debt_problem_threshold):
    """One row per snapshot field (in SNAPSHOT_FIELDS order), one column per person."""
    has_id, housing, income, debt, debt_managed, addiction, mental_health, care_met = people.domains
    phase = people.phase
    svc_status = people.svc_status
    out = np.empty((len(SNAPSHOT_FIELDS), ids.shape[0]))
    for j in range(ids.shape[0]):
        i = ids[j]
        care_need = addiction[i] or mental_health[i]
        person = Domains(
            has_id[i], housing[i], income[i], debt[i], debt_managed[i], addiction[i],
            mental_health[i], care_met[i],
        )  # fmt: skip
        lacks = missing(person, debt_problem_threshold)
        out[0, j] = has_id[i]
        out[1, j] = housing[i] != NO_HOUSING
        out[2, j] = housing[i] == INDEPENDENT
        out[3, j] = income[i] != NO_INCOME
        out[4, j] = income[i] == WORK
        out[5, j] = income[i] == BENEFIT
        out[6, j] = debt[i] > debt_problem_threshold
        out[7, j] = not debt_ok(debt[i], debt_managed[i], debt_problem_threshold)
        out[8, j] = care_need
        out[9, j] = care_met[i] if care_need else np.nan
        out[10, j] = busy(
            income[i], svc_status[EMPLOYMENT, i], svc_status[ADDICTION_CARE, i],
            svc_status[MENTAL_HEALTH_CARE, i],
        )  # fmt: skip
        out[11, j] = lacks >= 2
        out[12, j] = 1 - lacks / 5
        out[13, j] = lacks == 0
        out[14, j] = phase[i] == DETAINED
    return out


def person_state(m: ReentryModel, ids: np.ndarray) -> np.ndarray:
    """The snapshot fields for people ``ids``: one row per field of SNAPSHOT_FIELDS.

    ``debt`` means debts above the problem threshold; ``debt_unmanaged`` those
    not under a payment plan or administration (a missing basisvoorwaarde).
    ``care_met`` is NaN for people without a care need.
    """
    return _state_matrix(ids, bundle(SnapshotPeople, m.pop), m.p.debt_problem_threshold)


class ReleaseEvents:
    """One row per release; grows as people are released."""

    def __init__(self) -> None:
        # empty columns rather than none, so that a run without releases has a table too
        self.cols = {
            name: np.full(0, fill, dtype) for name, (dtype, fill) in _EVENT_COLUMNS.items()
        }
        # the state at each milestone: one row per snapshot field, one column per event
        self.states = {
            stage: np.full((len(SNAPSHOT_FIELDS), 0), np.nan, np.float32) for stage in MILESTONES
        }
        self.n = 0
        self.current = np.zeros(0, dtype=np.int64)  # person -> latest event

    def _grow(self, k: int) -> np.ndarray:
        """Rows for ``k`` new events; storage doubles so growth is amortised."""
        need = self.n + k
        capacity = len(self.cols["person"])
        if need > capacity:
            new_capacity = max(need, 2 * capacity, 1024)
            for name, (dtype, fill) in _EVENT_COLUMNS.items():
                grown = np.full(new_capacity, fill, dtype=dtype)
                if capacity:
                    grown[:capacity] = self.cols[name]
                self.cols[name] = grown
            for stage in MILESTONES:
                grown = np.full((len(SNAPSHOT_FIELDS), new_capacity), np.nan, dtype=np.float32)
                if capacity:
                    grown[:, :capacity] = self.states[stage]
                self.states[stage] = grown
        rows = np.arange(self.n, need)
        self.n = need
        return rows

    def new(self, m: ReentryModel, ids: np.ndarray) -> None:
        """Open a release event for each person released this week."""
        if len(ids) == 0:
            return
        pop = m.pop
        rows = self._grow(len(ids))
        if len(self.current) < pop.n:
            self.current = np.concatenate([self.current, np.full(pop.n - len(self.current), -1)])
        self.current[ids] = rows
        c = self.cols
        c["person"][rows] = ids
        c["release_week"][rows] = m.week
        c["detention_weeks"][rows] = m.week - pop.entry_week[ids]
        c["length_group"][rows] = pop.length_group[ids]
        c["typology"][rows] = pop.typology[ids]
        c["release_number"][rows] = pop.detentions[ids]
        c["priors"][rows] = pop.priors[ids]
        c["supervised"][rows] = pop.supervised_until[ids] > m.week
        c["regime_plus"][rows] = pop.regime[ids] == PLUS
        c["prison_services"][rows] = pop.prison_completed[ids]
        c["prison_admitted_on_basic"][rows] = pop.prison_admitted_on_basic[ids]
        c["prepared"][rows] = pop.prepared[ids]
        # the release snapshot is taken at the moment of release, before the week goes on
        self.states["release"][:, rows] = person_state(m, ids)

    def _first(self, column: str, ids: np.ndarray, week: int) -> None:
        if len(ids) == 0:
            return
        rows = self.current[ids]
        rows = rows[self.cols[column][rows] == NO_WEEK]
        self.cols[column][rows] = week

    def offence(self, ids: np.ndarray, week: int) -> None:
        self._first("first_offence_week", ids, week)

    def justice_contact(self, ids: np.ndarray, week: int) -> None:
        self._first("first_contact_week", ids, week)

    def redetention(self, ids: np.ndarray, week: int) -> None:
        self._first("redetention_week", ids, week)

    def left(self, ids: np.ndarray, week: int) -> None:
        """People who left the system: their latest events are observed up to this week."""
        self._first("left_week", ids, week)

    def snapshot(self, m: ReentryModel) -> None:
        """Record the state of every event that reaches a later milestone this week."""
        if self.n == 0:
            return
        # events are opened week by week, so their release weeks are sorted
        released = self.cols["release_week"][: self.n]
        reached = []  # (stage, first event, last event + 1)
        for stage, weeks in MILESTONES.items():
            if weeks == 0:
                continue  # the release snapshot is taken by new()
            first, last = np.searchsorted(released, [m.week - weeks, m.week - weeks + 1])
            if last > first:
                reached.append((stage, first, last))
        if not reached:
            return
        # one kernel call for all the milestones of the week: each call has a fixed cost
        ids = np.concatenate([self.cols["person"][first:last] for _, first, last in reached])
        states = person_state(m, ids)
        states[:, m.pop.phase[ids] == LEFT] = np.nan  # no longer observed
        start = 0
        for stage, first, last in reached:
            self.states[stage][:, first:last] = states[:, start : start + last - first]
            start += last - first

    def table(self, last_week: int) -> pd.DataFrame:
        """The release table; 2-year outcomes are NaN for events not observed for 2 years."""
        states = {
            f"{stage}_{f}": self.states[stage][k, : self.n]
            for stage in MILESTONES
            for k, f in enumerate(SNAPSHOT_FIELDS)
        }
        df = pd.DataFrame({**{k: v[: self.n] for k, v in self.cols.items()}, **states})
        # an event is observed until the run ends, or until the person left the system
        left = df["left_week"].to_numpy()
        observed = np.where(left != NO_WEEK, left + 1, last_week) - df["release_week"]
        full = observed >= TWO_YEARS
        for name, col in (
            ("justice_contact_2y", "first_contact_week"),
            ("redetention_2y", "redetention_week"),
            ("offence_2y", "first_offence_week"),
        ):
            happened = (df[col] != NO_WEEK) & (df[col] - df["release_week"] < TWO_YEARS)
            # only events observed for the full two years count, else the share is biased up
            df[name] = np.where(full, happened.astype(float), np.nan)
        offended = df["first_offence_week"] != NO_WEEK
        df["weeks_to_first_offence"] = np.where(
            offended, df["first_offence_week"] - df["release_week"], np.nan
        )
        df["weeks_observed"] = observed
        for col in ("first_offence_week", "first_contact_week", "redetention_week", "left_week"):
            df[col] = df[col].where(df[col] != NO_WEEK).astype("Int32")
        df["typology"] = pd.Categorical.from_codes(df["typology"], TYPOLOGY)
        df["length_group"] = pd.Categorical.from_codes(df["length_group"], LENGTH_GROUPS)
        return df


INSIDE_FIELDS = ("valid_id", "housing", "income", "debt", "care_met", "care_need")
"""Conditions counted among the people detained each week (``inside_share_*``): housing
and income kept (or lost) while inside, and debts above the problem threshold."""
_MEAN_FIELDS = (
    "stress", "trust", "motivation", "self_reliance", "ties_criminogenic", "ties_prosocial",
)  # fmt: skip
_STABILITY = SNAPSHOT_FIELDS.index("stability_index")


class CensusPeople(NamedTuple):
    """The population columns the weekly census reads: those of the snapshot fields, the
    regime, the lists inside, supervision and ``_MEAN_FIELDS``."""

    phase: np.ndarray
    regime: np.ndarray
    svc_status: np.ndarray
    prison_status: np.ndarray
    supervised_until: np.ndarray
    stress: np.ndarray
    trust: np.ndarray
    motivation: np.ndarray
    self_reliance: np.ndarray
    ties_criminogenic: np.ndarray
    ties_prosocial: np.ndarray
    domains: Domains


@njit(cache=True)
def _census(clock, people, debt_problem_threshold):
    """One pass over everyone: phase counts, the plus regime, waiting lists, the
    snapshot fields and mean states of those out, and how many of them are in a
    shelter or under supervision (what the municipality and probation pay for).

    The fields are those of :func:`_state_matrix`, counted directly (a test checks
    that the two agree). Returns the phase counts, the plus-regime count, the lists'
    lengths outside and inside, the sum of each snapshot field over those out (the
    number with a care need met in the ``care_met`` slot), and the sums of
    ``_MEAN_FIELDS``, the conditions of those inside, and the shelter and supervision
    counts.
    """
    _, week, _ = clock
    has_id, housing, income, debt, debt_managed, addiction, mental_health, care_met = people.domains
    phase = people.phase
    regime = people.regime
    svc_status = people.svc_status
    prison_status = people.prison_status
    supervised_until = people.supervised_until
    stress = people.stress
    trust = people.trust
    motivation = people.motivation
    self_reliance = people.self_reliance
    ties_criminogenic = people.ties_criminogenic
    ties_prosocial = people.ties_prosocial
    counts = np.zeros(4, dtype=np.int64)  # pre-entry, detained, released, left
    plus = 0
    waiting = np.zeros(svc_status.shape[0], dtype=np.int64)
    waiting_inside = np.zeros(prison_status.shape[0], dtype=np.int64)
    # fields that are not 0/1 are summed pairwise, so large populations keep precision
    values = np.empty((len(_MEAN_FIELDS) + 1, phase.shape[0]))
    # counters in locals, not an array, so that they stay in registers
    n_id = n_housed = n_independent = n_income = n_work = n_benefit = n_debt = 0
    n_unmanaged = n_care_need = n_care_met = n_daytime = n_two_plus = n_stable = 0
    n_shelter = n_supervised = 0
    # row by row: each row is contiguous, so the compiler vectorises the count
    for s in range(svc_status.shape[0]):
        for i in range(phase.shape[0]):
            waiting[s] += svc_status[s, i] == WAITING
    for k in range(prison_status.shape[0]):
        for i in range(phase.shape[0]):
            waiting_inside[k] += prison_status[k, i] == WAITING
    # the conditions of those inside, so that damage built up in detention can be seen
    inside = np.zeros(len(INSIDE_FIELDS), dtype=np.int64)
    for i in range(phase.shape[0]):
        if phase[i] == DETAINED:
            plus += regime[i] == PLUS
            inside[0] += has_id[i]
            inside[1] += housing[i] != NO_HOUSING
            inside[2] += income[i] != NO_INCOME
            inside[3] += debt[i] > debt_problem_threshold
            inside[4] += (addiction[i] or mental_health[i]) and care_met[i]
            inside[5] += addiction[i] or mental_health[i]
        if phase[i] != RELEASED:
            counts[phase[i]] += 1
            continue
        j = counts[RELEASED]
        counts[RELEASED] += 1
        person = Domains(
            has_id[i], housing[i], income[i], debt[i], debt_managed[i], addiction[i],
            mental_health[i], care_met[i],
        )  # fmt: skip
        lacks = missing(person, debt_problem_threshold)
        care_need = addiction[i] or mental_health[i]
        n_id += has_id[i]
        n_housed += housing[i] != NO_HOUSING
        n_independent += housing[i] == INDEPENDENT
        n_income += income[i] != NO_INCOME
        n_work += income[i] == WORK
        n_benefit += income[i] == BENEFIT
        n_debt += debt[i] > debt_problem_threshold
        n_unmanaged += not debt_ok(debt[i], debt_managed[i], debt_problem_threshold)
        n_care_need += care_need
        n_care_met += care_need and care_met[i]
        n_daytime += busy(
            income[i], svc_status[EMPLOYMENT, i], svc_status[ADDICTION_CARE, i],
            svc_status[MENTAL_HEALTH_CARE, i],
        )  # fmt: skip
        n_two_plus += lacks >= 2
        n_stable += lacks == 0
        n_shelter += housing[i] == SHELTER
        n_supervised += supervised_until[i] > week
        values[0, j] = 1 - lacks / 5
        # then _MEAN_FIELDS in their order, which the means returned follow
        values[1, j] = stress[i]
        values[2, j] = trust[i]
        values[3, j] = motivation[i]
        values[4, j] = self_reliance[i]
        values[5, j] = ties_criminogenic[i]
        values[6, j] = ties_prosocial[i]
    n = counts[RELEASED]
    # in SNAPSHOT_FIELDS order; detained people are not out, so "detained" counts none
    sums = np.array([
        n_id, n_housed, n_independent, n_income, n_work, n_benefit, n_debt, n_unmanaged,
        n_care_need, n_care_met, n_daytime, n_two_plus, 0, n_stable, 0,
    ], dtype=np.float64)  # fmt: skip
    sums[_STABILITY] = pairwise_sum(values[0, :n])
    means = np.array([pairwise_sum(values[f + 1, :n]) for f in range(len(_MEAN_FIELDS))])
    return counts, plus, waiting, waiting_inside, sums, means, inside, n_shelter, n_supervised


@njit(cache=True)
def pairwise_sum(values):
    """The sum of ``values`` by pairwise summation, exactly as numpy's ``sum`` does it.

    Rounding error grows with log(n) instead of n, so means over 100k people keep
    their precision, and they equal numpy's to the last bit.
    """
    n = values.shape[0]
    if n < 8:
        total = 0.0
        for k in range(n):
            total += values[k]
        return total
    if n <= 128:  # eight running sums, combined as a tree
        r0, r1, r2, r3 = values[0], values[1], values[2], values[3]
        r4, r5, r6, r7 = values[4], values[5], values[6], values[7]
        k = 8
        while k < n - n % 8:
            r0 += values[k]
            r1 += values[k + 1]
            r2 += values[k + 2]
            r3 += values[k + 3]
            r4 += values[k + 4]
            r5 += values[k + 5]
            r6 += values[k + 6]
            r7 += values[k + 7]
            k += 8
        total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while k < n:
            total += values[k]
            k += 1
        return total
    half = n // 2
    half -= half % 8
    return pairwise_sum(values[:half]) + pairwise_sum(values[half:])


def weekly_row(m: ReentryModel) -> dict[str, float]:
    """Aggregates of one week: phases, shares of each basisvoorwaarde, queues."""
    pop = m.pop
    counts, plus, waiting, waiting_inside, sums, means, inside, shelter, supervised = _census(
        Clock(m.crn.seed, m.week, m.week - m.start_week),
        bundle(CensusPeople, pop),
        m.p.debt_problem_threshold,
    )
    n, n_detained = int(counts[RELEASED]), int(counts[DETAINED])
    row: dict[str, float] = {
        "week": m.week,
        "pre_entry": int(counts[PRE_ENTRY]),
        "detained": n_detained,
        "released": n,
        "left": int(counts[LEFT]),
        "regime_plus_share": plus / n_detained if n_detained else np.nan,
        "in_shelter": int(shelter),
        "supervised": int(supervised),
    }
    # care is a share of those with a care need; phase is already in the counts above
    for k, f in enumerate(SNAPSHOT_FIELDS):
        if f not in ("care_need", "care_met", "detained"):
            row[f if f == "stability_index" else f"share_{f}"] = float(sums[k]) / n if n else np.nan
    needing = int(sums[_CARE_NEED])
    row["share_care_met"] = int(sums[_CARE_MET]) / needing if needing else np.nan
    for k, name in enumerate(INSIDE_FIELDS[:4]):
        row[f"inside_share_{name}"] = int(inside[k]) / n_detained if n_detained else np.nan
    row["inside_share_care_met"] = int(inside[4]) / int(inside[5]) if inside[5] else np.nan
    row.update({f"waiting_{name}": int(k) for name, k in zip(SERVICES, waiting, strict=True)})
    row.update(
        {f"waiting_{name}": int(k) for name, k in zip(PRISON_SERVICES, waiting_inside, strict=True)}
    )
    for f, total in zip(_MEAN_FIELDS, means, strict=True):
        row[f"mean_{f}"] = float(total) / n if n else np.nan
    row.update(m.counts)
    row.update(m.support.weekly_stats())
    return row
