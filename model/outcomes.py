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

from .community import daytime_activity
from .parameters import PRISON_SERVICES, SERVICES
from .population import (
    BENEFIT,
    DETAINED,
    INDEPENDENT,
    LENGTH_GROUPS,
    NO_WEEK,
    PLUS,
    PRE_ENTRY,
    RELEASED,
    TYPOLOGY,
    WAITING,
    WORK,
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
    **{f"{stage}_{f}": (np.float32, np.nan) for stage in MILESTONES for f in SNAPSHOT_FIELDS},
}


def person_state(m: ReentryModel, ids: np.ndarray, daytime: np.ndarray) -> dict[str, np.ndarray]:
    """The snapshot fields for people ``ids``.

    ``debt`` means debts above the problem threshold; ``debt_unmanaged`` those
    not under a payment plan or administration (a missing basisvoorwaarde).
    """
    pop, p = m.pop, m.p
    domains = pop.domains(p, ids)
    missing = len(domains) - sum(d.astype(np.int8) for d in domains.values())
    care_need = pop.care_need(ids)
    return {
        "valid_id": domains["valid_id"],
        "housing": domains["housing"],
        "housing_independent": pop.housing[ids] == INDEPENDENT,
        "income": domains["income"],
        "work": pop.income[ids] == WORK,
        "benefit": pop.income[ids] == BENEFIT,
        "debt": pop.debt[ids] > p.debt_problem_threshold,
        "debt_unmanaged": ~domains["debt_ok"],
        "care_need": care_need,
        "care_met": np.where(care_need, pop.care_met[ids], np.nan),
        "daytime": daytime,
        "two_plus_missing": missing >= 2,
        "stability_index": 1 - missing / len(domains),
        "stable": missing == 0,
        "detained": pop.phase[ids] == DETAINED,
    }


class ReleaseEvents:
    """One row per release; grows as people are released."""

    def __init__(self) -> None:
        self.cols: dict[str, np.ndarray] = {}
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
        for f, v in person_state(m, ids, daytime_activity(m, ids)).items():
            c[f"release_{f}"][rows] = v

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
            for f, v in person_state(m, ids, daytime_activity(m, ids)).items():
                self.cols[f"{stage}_{f}"][rows] = v

    def table(self, last_week: int) -> pd.DataFrame:
        """The release table; 2-year outcomes are NaN for events not observed for 2 years."""
        df = pd.DataFrame({k: v[: self.n] for k, v in self.cols.items()})
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


def weekly_row(m: ReentryModel, daytime_released: np.ndarray) -> dict[str, float]:
    """Aggregates of one week: phases, shares of each basisvoorwaarde, queues."""
    pop = m.pop
    phase = pop.phase
    released = np.flatnonzero(phase == RELEASED)
    n = len(released)
    detained = np.flatnonzero(phase == DETAINED)
    row: dict[str, float] = {
        "week": m.week,
        "pre_entry": int(np.count_nonzero(phase == PRE_ENTRY)),
        "detained": len(detained),
        "released": n,
        "regime_plus_share": _share(pop.regime[detained] == PLUS, len(detained)),
    }
    state = person_state(m, released, daytime_released)
    # care is a share of those with a care need; phase is already in the counts above
    for f in SNAPSHOT_FIELDS:
        if f not in ("care_need", "care_met", "detained"):
            row[f if f == "stability_index" else f"share_{f}"] = _share(state[f], n)
    needing = state["care_need"]
    row["share_care_met"] = _share(pop.care_met[released][needing], int(needing.sum()))
    waiting = (pop.svc_status == WAITING).sum(axis=1)
    row.update({f"waiting_{name}": int(k) for name, k in zip(SERVICES, waiting, strict=True)})
    waiting = (pop.prison_status == WAITING).sum(axis=1)
    row.update(
        {f"waiting_{name}": int(k) for name, k in zip(PRISON_SERVICES, waiting, strict=True)}
    )
    for f in ("stress", "trust", "motivation", "self_reliance", "ties_criminogenic"):
        row[f"mean_{f}"] = _share(getattr(pop, f)[released], n)
    row.update(m.counts)
    row.update(m.support.weekly_stats())
    return row
