"""Professionals: generalist social workers who take cases, advocate and coach buddies.

Mechanism 13 of MODEL.md (000 ch.4; 001): professionals work in the back
office. They coach buddies (monthly group supervision, 000 l.3690-3692), hold a
three-way talk when a match struggles (000 l.2329-2335) and take over a case
above a complexity threshold (000 l.2370-2379). With clients of their own they
advocate with services (the professional grade of 000 M14). Capacity is
finite: above full load, contacts get short and are felt as box-ticking, which
costs trust (004 l.7826-7831). Outreach is proactive (at release, to people
with complex needs) or reactive (to those who ask).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from agents import Professional

from .population import RELEASED, WITH_PROFESSIONAL
from .rng import Purpose
from .support import Contacts

if TYPE_CHECKING:
    from .model import ReentryModel


class Professionals:
    """The professional provider of :class:`model.support.Support`."""

    def __init__(self, m: ReentryModel) -> None:
        self.p = p = m.p
        releases_per_year = m.releases_per_week * 52
        self.fte = p.professionals_per_1000_releases * releases_per_year / 1000
        self.n = round(self.fte)
        if self.n:  # registered with the model (m.agents_by_type[Professional])
            Professional.create_agents(m, self.n, np.arange(self.n))
        self.clients = np.zeros(self.n, dtype=np.int64)
        self.referred = np.zeros(0, dtype=np.int64)
        self.load = 0.0
        self.stats: dict[str, float] = {}

    # ------------------------------------------------------------------ capacity
    @property
    def case_capacity(self) -> int:
        return self.n * self.p.professional_caseload

    def coaching_capacity(self) -> int:
        return self.n * self.p.professional_buddies_coached

    def overload(self) -> float:
        """Load above 1 (0 when within capacity): drives box-ticking and substitution."""
        return max(self.load - 1.0, 0.0)

    def refer(self, ids: np.ndarray) -> None:
        """A buddy signals a risky situation; the professional sees it next week."""
        self.referred = np.union1d(self.referred, ids)

    # ------------------------------------------------------------------ weekly
    def step(self, m: ReentryModel) -> None:
        p, pop, w = m.p, m.pop, m.week
        has_pro = pop.professional >= 0
        # cases end after their length, or when the person is detained again
        ending = np.flatnonzero(has_pro & ((pop.pro_end <= w) | (pop.phase != RELEASED)))
        pop.professional[ending] = -1
        self.clients = np.bincount(pop.professional[pop.professional >= 0], minlength=self.n)
        held = int(self.clients.sum())
        taken = self._intake(m, held)
        referred_n = len(self.referred)
        self.referred = np.zeros(0, dtype=np.int64)
        if len(taken):
            # each new client goes to the professional with the fewest clients
            order = np.argsort(self.clients, kind="stable")
            slots = np.resize(order, len(taken))
            pop.professional[taken] = slots
            pop.pro_since[taken] = w
            pop.pro_end[taken] = w + p.professional_case_weeks
            pop.pro_ever[taken] = True
            self.clients += np.bincount(slots, minlength=self.n)
        buddies = m.buddies.active_count() if hasattr(m, "buddies") else 0
        # coaching a full group of buddies takes a quarter of a caseload (assumption, 0.1-0.5)
        coached_share = 0.25 * buddies / self.coaching_capacity() if self.n else 0.0
        self.load = (self.clients.sum() / self.case_capacity + coached_share) if self.n else np.inf
        self.stats = {
            "professional_clients": int(self.clients.sum()),
            "professional_load": float(self.load) if self.n else np.nan,
            "professional_intake": len(taken),
            "buddy_signals": referred_n,
            "takeovers": self.takeovers,
        }

    def _intake(self, m: ReentryModel, held: int) -> np.ndarray:
        """Who becomes a client this week, most urgent first.

        Urgent cases (signalled by a buddy, or a buddy's client above the
        complexity threshold) are taken up to ``professional_max_overload``
        times the caseload; others only while there is room.
        """
        pop, p, w = m.pop, m.p, m.week
        out = np.flatnonzero((pop.phase == RELEASED) & (pop.professional < 0))
        complex_ = out[pop.missing_count(p, out) >= p.complexity_threshold]
        buddy_client = complex_[pop.buddy[complex_] >= 0]  # takeover above the threshold
        signalled = self.referred[
            (pop.phase[self.referred] == RELEASED) & (pop.professional[self.referred] < 0)
        ]
        if p.professional_outreach == "proactive":
            reached = complex_[pop.release_week[complex_] == w]
        else:
            # reactive services select the capable: asking needs initiative and trust
            # (assumption: 10% to 50% a week, range of the slope 0.2-0.6)
            chance = 0.1 + 0.4 * pop.help_seeking[complex_] * pop.trust[complex_]
            asks = m.crn.bernoulli(complex_, w, Purpose.ASK_PROFESSIONAL, chance)
            reached = complex_[asks]
        urgent = np.union1d(signalled, buddy_client)
        urgent_room = max(int(p.professional_max_overload * self.case_capacity) - held, 0)
        urgent = urgent[:urgent_room]
        room = max(self.case_capacity - held - len(urgent), 0)
        # buddy clients and signalled people were considered as urgent already
        was_signalled = np.zeros(pop.n, dtype=bool)
        was_signalled[signalled] = True
        routine = reached[(pop.buddy[reached] < 0) & ~was_signalled[reached]][:room]
        self.takeovers = int((pop.buddy[urgent] >= 0).sum())
        return np.concatenate([urgent, routine])

    def attach(self, m: ReentryModel) -> tuple[np.ndarray, int]:
        pop = m.pop
        return np.flatnonzero((pop.professional >= 0) & (pop.phase == RELEASED)), WITH_PROFESSIONAL

    def contacts(self, m: ReentryModel) -> Contacts:
        p, pop = m.p, m.pop
        ids, _ = self.attach(m)
        due = ids[(m.week - pop.pro_since[ids]) % p.professional_contact_interval == 0]
        rushed = self.load > 1
        return Contacts(
            ids=due,
            grade=WITH_PROFESSIONAL,
            relief=p.professional_relief / (1 + self.overload()),
            trust_change=-p.box_ticking_trust_loss if rushed else p.professional_trust_gain,
            keep_probability=p.contact_kept_probability / (1 + self.overload()),
        )

    def contacted(self, m: ReentryModel, ids: np.ndarray) -> None:
        """Professional workload is counted in cases, not contacts."""

    def weekly_stats(self) -> dict[str, float]:
        return self.stats
