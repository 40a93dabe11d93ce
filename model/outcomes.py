"""Outcomes: a row per week, and a row per release event.

Release events carry the person's state at release and at 3, 6, 12 and 24
months after it, justice contact and re-detention within 2 years, and the
time to the first new offence. An outcome measured at a fixed time after
release is missing (NaN) when the run ends before that time, so summaries
count only the release events that reach it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numba import njit

from .community import daytime_activity
from .parameters import PRISON_SERVICES, SERVICES
from .population import (
    BENEFIT,
    DETAINED,
    INDEPENDENT,
    LENGTH_GROUPS,
    NO_HOUSING,
    NO_INCOME,
    NO_WEEK,
    PLUS,
    PRE_ENTRY,
    RELEASED,
    TYPOLOGY,
    WAITING,
    WORK,
    debt_ok,
    missing,
)

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
}
_CARE_NEED, _CARE_MET = SNAPSHOT_FIELDS.index("care_need"), SNAPSHOT_FIELDS.index("care_met")


@njit(cache=True)
def _state_matrix(
    ids, phase, daytime, has_id, housing, income, debt, debt_managed, addiction, mental_health,
    care_met, debt_threshold,
):  # fmt: skip
    """One row per snapshot field (in SNAPSHOT_FIELDS order), one column per person."""
    out = np.empty((len(SNAPSHOT_FIELDS), ids.shape[0]))
    for j in range(ids.shape[0]):
        i = ids[j]
        care_need = addiction[i] or mental_health[i]
        lacks = missing(
            has_id[i], housing[i], income[i], debt[i], debt_managed[i], addiction[i],
            mental_health[i], care_met[i], debt_threshold,
        )  # fmt: skip
        out[0, j] = has_id[i]
        out[1, j] = housing[i] != NO_HOUSING
        out[2, j] = housing[i] == INDEPENDENT
        out[3, j] = income[i] != NO_INCOME
        out[4, j] = income[i] == WORK
        out[5, j] = income[i] == BENEFIT
        out[6, j] = debt[i] > debt_threshold
        out[7, j] = not debt_ok(debt[i], debt_managed[i], debt_threshold)
        out[8, j] = care_need
        out[9, j] = care_met[i] if care_need else np.nan
        out[10, j] = daytime[j]
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
    pop = m.pop
    daytime = daytime_activity(m, ids)
    return _state_matrix(ids, pop.phase, daytime, *pop.domain_columns(), m.p.debt_problem_threshold)


class ReleaseEvents:
    """One row per release; grows as people are released."""

    def __init__(self) -> None:
        self.cols: dict[str, np.ndarray] = {}
        # the state at each milestone: one row per snapshot field, one column per event
        self.states: dict[str, np.ndarray] = {}
        self.n = 0
        self.current = np.zeros(0, dtype=np.int64)  # person -> latest event

    def _grow(self, k: int) -> np.ndarray:
        """Rows for ``k`` new events; storage doubles so growth is amortised."""
        need = self.n + k
        capacity = len(self.cols["person"]) if self.cols else 0
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

    def snapshot(self, m: ReentryModel) -> None:
        """Record the state of every event that reaches a later milestone this week."""
        if self.n == 0:
            return
        age = m.week - self.cols["release_week"][: self.n]
        for stage, weeks in MILESTONES.items():
            rows = np.flatnonzero(age == weeks) if weeks > 0 else ()
            if len(rows) == 0:
                continue
            ids = self.cols["person"][rows]
            self.states[stage][:, rows] = person_state(m, ids)

    def table(self, last_week: int) -> pd.DataFrame:
        """The release table; 2-year outcomes are NaN for events not observed for 2 years."""
        states = {
            f"{stage}_{f}": self.states[stage][k, : self.n]
            for stage in MILESTONES
            for k, f in enumerate(SNAPSHOT_FIELDS)
        }
        df = pd.DataFrame({**{k: v[: self.n] for k, v in self.cols.items()}, **states})
        observed = last_week - df["release_week"]
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
        for col in ("first_offence_week", "first_contact_week", "redetention_week"):
            df[col] = df[col].where(df[col] != NO_WEEK).astype("Int32")
        df["typology"] = pd.Categorical.from_codes(df["typology"], TYPOLOGY)
        df["length_group"] = pd.Categorical.from_codes(df["length_group"], LENGTH_GROUPS)
        return df


def _share(values: np.ndarray, n: int) -> float:
    # np.mean's overhead dominates on small arrays; a plain sum is the same number
    return float(values.sum()) / n if n else np.nan


@njit(cache=True)
def _census(phase, regime, svc_status, prison_status):
    """One pass over everyone: phase counts, the plus regime, waiting lists, who is out."""
    counts = np.zeros(3, dtype=np.int64)  # pre-entry, detained, released
    plus = 0
    waiting = np.zeros(svc_status.shape[0], dtype=np.int64)
    waiting_inside = np.zeros(prison_status.shape[0], dtype=np.int64)
    released = np.empty(phase.shape[0], dtype=np.int64)
    for i in range(phase.shape[0]):
        counts[phase[i]] += 1
        if phase[i] == RELEASED:
            released[counts[RELEASED] - 1] = i
        elif phase[i] == DETAINED:
            plus += regime[i] == PLUS
        for s in range(svc_status.shape[0]):
            waiting[s] += svc_status[s, i] == WAITING
        for k in range(prison_status.shape[0]):
            waiting_inside[k] += prison_status[k, i] == WAITING
    return counts, plus, waiting, waiting_inside, released[: counts[RELEASED]]


def weekly_row(m: ReentryModel) -> dict[str, float]:
    """Aggregates of one week: phases, shares of each basisvoorwaarde, queues."""
    pop = m.pop
    counts, plus, waiting, waiting_inside, released = _census(
        pop.phase, pop.regime, pop.svc_status, pop.prison_status
    )
    n, n_detained = len(released), int(counts[DETAINED])
    row: dict[str, float] = {
        "week": m.week,
        "pre_entry": int(counts[PRE_ENTRY]),
        "detained": n_detained,
        "released": n,
        "regime_plus_share": plus / n_detained if n_detained else np.nan,
    }
    state = person_state(m, released)
    shares = state.sum(axis=1) / n if n else np.full(len(state), np.nan)
    # care is a share of those with a care need; phase is already in the counts above
    for k, f in enumerate(SNAPSHOT_FIELDS):
        if f not in ("care_need", "care_met", "detained"):
            row[f if f == "stability_index" else f"share_{f}"] = float(shares[k])
    needing = int(state[_CARE_NEED].sum())
    met = np.count_nonzero(state[_CARE_MET] == 1)  # NaN (no need) is not 1
    row["share_care_met"] = met / needing if needing else np.nan
    row.update({f"waiting_{name}": int(k) for name, k in zip(SERVICES, waiting, strict=True)})
    row.update(
        {f"waiting_{name}": int(k) for name, k in zip(PRISON_SERVICES, waiting_inside, strict=True)}
    )
    for f in ("stress", "trust", "motivation", "self_reliance", "ties_criminogenic"):
        row[f"mean_{f}"] = _share(getattr(pop, f)[released], n)
    row.update(m.counts)
    row.update(m.support.weekly_stats())
    return row
