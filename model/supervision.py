"""Probation supervision (Leiden2024 §1.6, §4.6): a professional who also reports.

About one release in five is supervised. The probation officer contacts the
person at a fixed interval, which discovers needs and brings a professional's
advocacy to applications, but each contact costs travel and stress (a burden,
Leiden2024 §4.6, §5.3.2) and a little trust (the dual role, Leiden2024 §7.4.3).
Supervision also makes detection of an offence likelier (see :mod:`model.offending`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .population import RELEASED, WITH_PROFESSIONAL
from .support import Contacts

if TYPE_CHECKING:
    from .model import ReentryModel


class Supervision:
    """The probation provider of :class:`model.support.Support`."""

    def supervised(self, m: ReentryModel) -> np.ndarray:
        pop = m.pop
        return np.flatnonzero((pop.phase == RELEASED) & (pop.supervised_until > m.week))

    def step(self, m: ReentryModel) -> None:
        """Supervision starts at release (see :mod:`model.release`); nothing to update."""

    def attach(self, m: ReentryModel) -> tuple[np.ndarray, int]:
        return self.supervised(m), WITH_PROFESSIONAL

    def contacted(self, m: ReentryModel, ids: np.ndarray) -> None:
        """Probation contacts carry no workload model here."""

    def weekly_stats(self) -> dict[str, float]:
        return {}

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
