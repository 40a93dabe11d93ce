"""Probation supervision (Leiden2024 §1.6, §4.6): a professional who also reports.

About one release in five is supervised. The probation officer contacts the
person at a fixed interval, which discovers needs and brings a professional's
advocacy to applications, but each contact costs travel and stress (a burden,
Leiden2024 §4.6, §5.3.2) and a little trust (the dual role, Leiden2024 §7.4.3).
Supervision also makes detection of an offence likelier (see :mod:`model.offending`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

from .declare import param
from .population import NO_WEEK, RELEASED, WITH_PROFESSIONAL
from .support import Contacts, Helper

if TYPE_CHECKING:
    from .model import ReentryModel


@dataclass(frozen=True)
class SupervisionParameters:
    """Probation supervision after release."""

    share_supervised: float = param(
        0.2,
        "share",
        (0.0, 1.0),
        "Leiden2024 §1.6 (about 20% supervised)",
        "Share of releases under probation supervision.",
        "lever",
    )

    supervision_weeks: int = param(
        52, "weeks", (4, 260), "assumption (range 26-104)", "Length of supervision."
    )

    supervision_contact_interval: int = param(
        2,
        "weeks",
        (1, 13),
        "assumption (range 1-4)",
        "Interval of probation contacts during supervision.",
    )

    supervision_stress_burden: float = param(
        0.02,
        "stress per contact",
        (0.0, 0.2),
        "Leiden2024 §5.3.2 (travel money and time); size assumption",
        "Stress added by each supervision contact.",
    )

    # the dual role: a helper who also reports to the justice system
    trust_dual_role_loss: float = param(
        0.01,
        "trust per contact",
        (0.0, 0.2),
        "Leiden2024 §7.4.3; size assumption",
        "Trust lost per contact with a helper who also reports (probation).",
    )


STATE: dict[str, tuple] = {
    "supervised_until": (np.int32, NO_WEEK),
}
"""The week probation supervision ends."""


class Purpose(IntEnum):
    """Random-number streams of supervision."""

    SUPERVISION = 26


class Supervision(Helper):
    """The probation provider of :class:`model.support.Support`."""

    def supervised(self, m: ReentryModel) -> np.ndarray:
        pop = m.pop
        return np.flatnonzero((pop.phase == RELEASED) & (pop.supervised_until > m.week))

    def attach(self, m: ReentryModel) -> tuple[np.ndarray, int]:
        return self.supervised(m), WITH_PROFESSIONAL

    def on_detention(self, m: ReentryModel, ids: np.ndarray) -> None:
        """A new detention ends supervision."""
        m.pop.supervised_until[ids] = np.minimum(m.pop.supervised_until[ids], m.week)

    def on_release(self, m: ReentryModel, ids: np.ndarray) -> None:
        """About one release in five comes with supervision (Leiden2024 §1.6)."""
        p, pop = m.p, m.pop
        supervised = m.crn.bernoulli(ids, m.week, Purpose.SUPERVISION, p.share_supervised)
        pop.supervised_until[ids] = np.where(supervised, m.week + p.supervision_weeks, NO_WEEK)

    def contacts(self, m: ReentryModel) -> Contacts:
        p = m.p
        ids = self.supervised(m)
        due = (m.week - m.pop.release_week[ids]) % p.supervision_contact_interval == 0
        return Contacts(
            ids=ids[due],
            grade=WITH_PROFESSIONAL,
            relief=-p.supervision_stress_burden,
            trust_change=-p.trust_dual_role_loss,
            keep_probability=p.contact_kept_probability,
        )
