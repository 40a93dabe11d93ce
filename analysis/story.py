"""One person's story in plain words: what changed for them, week by week.

The teaching dashboard follows one person through detention, release and after.
:class:`StoryRecorder` keeps a small weekly snapshot of everyone (their domains,
trust, stress, self-reliance and ties); :func:`timeline` turns one person's
snapshots and process events into sentences such as "week -3 (inside): lost
housing" or "week 9: buddy matched". Negative weeks are before release in a
cohort run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model.population import (
    DETAINED,
    FAMILY,
    INDEPENDENT,
    LEFT,
    NO_HOUSING,
    NO_INCOME,
    RELEASED,
    SHELTER,
    WORK,
)

if TYPE_CHECKING:
    from model import ReentryModel

TRACKED = (
    "phase", "has_id", "housing", "income", "debt", "care_met", "trust", "stress",
    "self_reliance", "ties_prosocial", "ties_criminogenic",
)  # fmt: skip
"""Person columns kept each week for the story."""

_HOUSING = {NO_HOUSING: "no housing", SHELTER: "a shelter place", FAMILY: "a place with "
            "family or friends", INDEPENDENT: "a home of their own"}  # fmt: skip
_INCOME = {NO_INCOME: "no income", 1: "a benefit", WORK: "work"}
_SERVICE_EVENTS = {
    "refused": "refused by {service} (entry conditions not met)",
    "admitted": "got a place at {service}",
    "abandoned": "gave up waiting for {service}",
    "succeeded": "{service}: it worked out",
    "failed": "{service}: it did not work out",
    "prison_admitted": "started {service} inside",
    "prison_completed": "completed {service} inside",
    "prison_stopped_early": "{service} inside stopped early",
    "prison_released_during": "released before {service} inside was finished",
    "prison_released_before_turn": "released before their turn for {service} inside",
    "buddy_matched": "buddy matched",
    "buddy_completed": "buddy trajectory completed",
    "buddy_completed_early": "ended the buddy trajectory: questions answered",
    "buddy_dropped": "dropped out of the buddy trajectory",
    "buddy_ended_by_detention": "buddy trajectory ended by a new detention",
    "buddy_ended_by_leaving": "buddy trajectory ended: left the area",
    "buddy_offer_lapsed": "no buddy free in time: the offer lapsed",
}


class StoryRecorder:
    """Weekly snapshots of everyone's tracked columns (small: a class of 2,000 people)."""

    def __init__(self) -> None:
        self.weeks: list[int] = []
        self.rows: dict[str, list[np.ndarray]] = {f: [] for f in TRACKED}

    def record(self, m: ReentryModel) -> None:
        self.weeks.append(m.week - 1)  # the week that has just run
        for f in TRACKED:
            self.rows[f].append(getattr(m.pop, f).copy())

    def person(self, i: int, debt_threshold: float) -> pd.DataFrame:
        """One person's weekly states, one row a week."""
        frame = pd.DataFrame({f: [w[i] for w in self.rows[f]] for f in TRACKED})
        frame.insert(0, "week", self.weeks)
        frame["debt_problem"] = frame["debt"] > debt_threshold
        return frame


def timeline(states: pd.DataFrame, events: pd.DataFrame) -> list[str]:
    """Plain sentences for each change in a person's states and each process event."""
    lines: list[tuple[int, str]] = []
    previous = None
    for row in states.itertuples(index=False):
        if previous is not None:
            lines += [(row.week, text) for text in _changes(previous, row)]
        previous = row
    for e in events.itertuples(index=False):
        template = _SERVICE_EVENTS.get(str(e.event))
        if template:
            service = str(e.service).replace("_", " ")
            lines.append((int(e.week), template.format(service=service)))
    phase_at = dict(zip(states["week"], states["phase"], strict=True))
    return [
        f"week {week}{' (inside)' if phase_at.get(week) == DETAINED else ''}: {text}"
        for week, text in sorted(lines, key=lambda x: x[0])
    ]


def _changes(before, after) -> list[str]:
    out = []
    if before.phase != after.phase:
        out.append(
            {DETAINED: "entered detention", RELEASED: "released", LEFT: "left the area"}.get(
                int(after.phase), ""
            )
        )
        if after.phase == RELEASED:
            missing = [
                name
                for name, lacks in (
                    ("no ID", not after.has_id),
                    ("no housing", after.housing == NO_HOUSING),
                    ("no income", after.income == NO_INCOME),
                    ("debts", after.debt_problem),
                )
                if lacks
            ]
            out[-1] += ": " + ", ".join(missing) if missing else ", with the basics in place"
    if before.has_id != after.has_id:
        out.append("got a valid ID" if after.has_id else "lost their ID")
    if before.housing != after.housing:
        out.append(
            f"lost housing ({_HOUSING[int(before.housing)]})"
            if after.housing == NO_HOUSING
            else f"now has {_HOUSING[int(after.housing)]}"
        )
    if before.income != after.income:
        out.append(
            f"lost their {_INCOME[int(before.income)]}"
            if after.income == NO_INCOME
            else f"income now from {_INCOME[int(after.income)]}"
        )
    if before.debt_problem != after.debt_problem:
        out.append("debts became a problem" if after.debt_problem else "debts back under control")
    return [line for line in out if line]
