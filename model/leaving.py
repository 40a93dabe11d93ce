"""Leaving the simulated system, so that flow mode has a steady state.

Without exits the released population only grows, and with it the demand on
services of fixed size: queues and re-detention rise for as long as the run
lasts. Two rules, both assumptions with ranges in the parameter table:

* **The reentry period ends.** A released person who has not been detained
  again for ``reentry_period_weeks`` leaves: reentry support is no longer
  concerned with them. A later detention enters the flow as a new person with
  priors, as most entrants have (Leiden2024 Table 2.1: 72% had been detained before).
* **Death or moving away**, at ``leave_other_per_year``. Deaths after release
  run at about 0.8% a year (Binswanger et al. 2007).

A person who has left uses no service and no helper: their places on waiting
lists, their buddy and their professional are released, and release events
that had not yet been followed for two years stop counting at the week they
left (see :mod:`model.outcomes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

from .declare import WEEKS_PER_YEAR, param
from .population import LEFT, NO_WEEK
from .services import cancel_all

if TYPE_CHECKING:
    from .model import ReentryModel


@dataclass(frozen=True)
class LeavingParameters:
    """Leaving the simulated system for good."""

    reentry_period_weeks: int = param(
        104,
        "weeks after the last release",
        (104, 520),
        "assumption (range 104-260): the period in which reentry support is concerned "
        "with a person; at least the 2 years over which recidivism is measured "
        "(Leiden2024 §1.1-1.2)",
        "A released person not detained again leaves the simulated system this long after "
        "release; a later detention enters as a new person with priors.",
        "fixed",
    )

    leave_other_per_year: float = param(
        0.01,
        "probability per year",
        (0.0, 0.1),
        "Binswanger et al. 2007 (mortality after release 0.78% a year, United States) "
        "plus moving away; assumption (range 0.005-0.03)",
        "Yearly chance that a released person dies or moves out of the area.",
        "fixed",
    )


STATE: dict[str, tuple] = {
    "left_week": (np.int32, NO_WEEK),
}
"""The week a person left the system for good."""


class Purpose(IntEnum):
    """Random-number streams of leaving the system."""

    LEAVE = 61


def leave(m: ReentryModel, ids: np.ndarray) -> None:
    """Some of the released people ``ids`` leave the system at the end of this week."""
    if len(ids) == 0:
        return
    pop, p = m.pop, m.p
    period_over = m.week - pop.release_week[ids] >= p.reentry_period_weeks - 1
    weekly = 1 - (1 - p.leave_other_per_year) ** (1 / WEEKS_PER_YEAR)
    other = m.crn.bernoulli(ids, m.week, Purpose.LEAVE, weekly)
    gone = ids[period_over | other]
    if len(gone) == 0:
        return
    pop.phase[gone] = LEFT
    pop.left_week[gone] = m.week
    cancel_all(m, gone)
    pop.benefit_due_week[gone] = NO_WEEK
    pop.supervised_until[gone] = NO_WEEK
    m.releases.left(gone, m.week)
    m.counts["exits"] += len(gone)
