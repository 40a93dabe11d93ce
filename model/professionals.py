"""Professionals: generalist social workers who take cases, advocate and coach buddies.

Sources: BrugBinnenBuiten2023 ch.4; HU2020: professionals work in the back
office. They coach buddies (monthly group supervision, BrugBinnenBuiten2023
p.121), hold a three-way talk when a match struggles (BrugBinnenBuiten2023
§4.4.4) and take over a case above a complexity threshold (BrugBinnenBuiten2023
§4.4.5). With clients of their own they advocate with services (the
professional grade of BrugBinnenBuiten2023 §3.3.2, §4.4.5). Capacity is
finite: above full load, contacts get short and are felt as box-ticking, which
costs trust (Leiden2024 §6.3). Outreach is proactive (at release, to people
with complex needs) or reactive (to those who ask).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numba import njit

from .bundles import Clock, Domains, bundle
from .declare import WEEKS_PER_YEAR, choice, param
from .population import NO_WEEK, RELEASED, WITH_PROFESSIONAL, missing
from .rng import stream_key, unit
from .services import int_list
from .support import Contacts, Helper

if TYPE_CHECKING:
    from .model import ReentryModel


@dataclass(frozen=True)
class ProfessionalParameters:
    """Professional case managers: caseload, outreach and coaching."""

    professionals_per_1000_releases: float = param(
        8.0,
        "FTE per 1,000 releases a year",
        (0.0, 500.0),
        "assumption (range 2-30)",
        "Generalist social workers (CAW) who take cases, advocate and coach buddies.",
        "lever",
    )

    professional_caseload: int = param(
        20,
        "clients per FTE",
        (1, 200),
        "Leiden2024 §6.3 (high caseloads); assumption",
        "Clients one professional can hold before contacts get short.",
        "lever",
    )

    professional_max_overload: float = param(
        1.5,
        "multiple of the caseload",
        (1.0, 3.0),
        "Leiden2024 §6.3 (high caseloads); assumption (range 1.2-2.0)",
        "Urgent cases (signalled by a buddy, or above the complexity threshold) are taken up "
        "to this multiple of the caseload; the overload makes every contact rushed.",
    )

    professional_buddies_coached: int = param(
        15,
        "buddies per FTE",
        (1, 200),
        "BrugBinnenBuiten2023 p.121; assumption",
        "Buddies one professional can coach besides the caseload.",
    )

    professional_outreach: str = param(
        "reactive",
        "choice",
        choice("proactive", "reactive"),
        "Leiden2024 §4.6, §6.1.1; BrugBinnenBuiten2023 §3.3.1.1",
        "Proactive: professionals reach out at release to people with complex needs; "
        "reactive: they take those who ask.",
        "lever",
    )

    professional_ask_base_per_week: float = param(
        0.1,
        "probability per week",
        (0.0, 0.5),
        "Leiden2024 §4.6, §6.1.1, BrugBinnenBuiten2023 §3.3.1.1 (reactive services reach "
        "those who ask); size assumption (range 0.05-0.2)",
        "With reactive outreach, the weekly chance that a complex case reaches a professional "
        "without help-seeking or trust.",
    )

    professional_ask_slope: float = param(
        0.4,
        "probability per week per unit help-seeking x trust",
        (0.0, 1.0),
        "Leiden2024 §4.6, §6.1.1, BrugBinnenBuiten2023 §3.3.1.1 (reactive services reach "
        "those who ask); size assumption (range 0.2-0.6)",
        "With reactive outreach, the chance added by help-seeking times trust, so that asking "
        "needs initiative and trust.",
    )

    professional_contact_interval: int = param(
        2,
        "weeks",
        (1, 13),
        "assumption (range 1-4)",
        "Interval of professional contacts with their clients.",
    )

    professional_case_weeks: int = param(
        26, "weeks", (4, 104), "assumption (range 13-52)", "Length of a professional case."
    )

    complexity_threshold: int = param(
        3,
        "missing basic conditions",
        (1, 5),
        "BrugBinnenBuiten2023 §4.4.5 (multi-problem cases); assumption",
        "A professional takes over a case with at least this many missing.",
    )

    professional_relief: float = param(
        0.03,
        "stress per contact",
        (0.0, 0.5),
        "assumption",
        "Stress taken off by a professional contact.",
    )

    professional_trust_gain: float = param(
        0.01,
        "trust per contact",
        (0.0, 0.3),
        "Leiden2024 §7.4.3 (distrust of professionals); assumption",
        "Trust gained from a professional contact that is not rushed.",
    )

    box_ticking_trust_loss: float = param(
        0.03,
        "trust per contact",
        (0.0, 0.3),
        "Leiden2024 §6.3, §4.6; size assumption",
        "Trust lost per rushed contact when professionals are overloaded.",
    )

    rushed_contact_weight: float = param(
        1.0,
        "per unit overload",
        (0.0, 5.0),
        "Leiden2024 §6.3 (high caseloads, short talks); size assumption (range 0.5-2)",
        "Overload divides a professional contact's relief and its chance of being kept by "
        "1 + this weight x overload.",
    )

    coaching_load_share: float = param(
        0.25,
        "share of a caseload",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §4.5 (buddies are not a saving: they need professional "
        "support), p.121 (monthly supervision); size assumption (range 0.1-0.5)",
        "Share of a caseload's time that coaching a full group of buddies takes.",
    )

    three_way_strain_trigger: float = param(
        0.6,
        "strain",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §4.4.4; assumption",
        "Buddy strain at which the professional holds a three-way talk.",
    )

    three_way_relief: float = param(
        0.25,
        "strain",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §4.4.4; size assumption",
        "Strain taken off the buddy by a three-way talk.",
    )


STATE: dict[str, tuple] = {
    "professional": (np.int32, -1),
    "pro_since": (np.int32, NO_WEEK),
    "pro_end": (np.int32, NO_WEEK),
    "pro_ever": (np.bool_, False),
}
"""Each person's case manager, if any."""

MEASURED: tuple[str, ...] = ("pro_ever",)
"""Whether a person ever had a case manager: counted from the end of the warm-up."""


class Purpose(IntEnum):
    """Random-number streams of the professionals."""

    ASK_PROFESSIONAL = 70


_ASK = int(Purpose.ASK_PROFESSIONAL)  # a plain int, so that the kernel can key its draws
PER_THOUSAND = 1000
"""Staff and buddy pools are set per 1,000 releases a year."""


class ClientPeople(NamedTuple):
    """The population columns the professionals' intake reads and changes."""

    professional: np.ndarray
    pro_since: np.ndarray
    pro_end: np.ndarray
    pro_ever: np.ndarray
    phase: np.ndarray
    buddy: np.ndarray
    release_week: np.ndarray
    help_seeking: np.ndarray
    trust: np.ndarray
    domains: Domains


class CaseParams(NamedTuple):
    """The professionals' intake, by the parameter table's names; plus
    ``proactive_outreach`` (professional_outreach is "proactive"), and this week's
    ``case_capacity`` and ``urgent_limit`` (cases, from the FTE)."""

    debt_problem_threshold: float
    complexity_threshold: int
    proactive_outreach: bool
    urgent_limit: int
    case_capacity: int
    professional_case_weeks: int
    professional_ask_base_per_week: float
    professional_ask_slope: float


class Professionals(Helper):
    """The professional provider of :class:`model.support.Support`."""

    def __init__(self, m: ReentryModel) -> None:
        self.p = p = m.p
        releases_per_year = m.releases_per_week * WEEKS_PER_YEAR
        self.fte = p.professionals_per_1000_releases * releases_per_year / PER_THOUSAND
        # a part-time post counts as a professional, and capacity follows the FTE itself,
        # so that every extra euro of staff buys capacity (no steps of a whole FTE)
        self.n = math.ceil(self.fte)
        if self.n:  # registered with the model (m.agents_by_type[Professional])
            # imported here: the parameter registry reads this module, and Mesa takes seconds
            from agents import Professional

            Professional.create_agents(m, self.n, np.arange(self.n))
        self.clients = np.zeros(self.n, dtype=np.int64)
        self.referred = np.zeros(0, dtype=np.int64)
        self.load = 0.0
        self.buddies_coached = 0
        self.stats: dict[str, float] = {}

    # ------------------------------------------------------------------ capacity
    @property
    def case_capacity(self) -> int:
        return round(self.fte * self.p.professional_caseload)

    def coaching_capacity(self) -> int:
        return round(self.fte * self.p.professional_buddies_coached)

    def overload(self) -> float:
        """Load above 1 (0 when within capacity): drives box-ticking and substitution."""
        return max(self.load - 1.0, 0.0)

    def coach(self, buddies: int) -> None:
        """The buddy programme says how many buddies the professionals coach now."""
        self.buddies_coached = buddies

    def refer(self, ids: np.ndarray) -> None:
        """A buddy signals a risky situation; the professional sees it next week."""
        self.referred = np.union1d(self.referred, ids)

    # ------------------------------------------------------------------ weekly
    def step(self, m: ReentryModel) -> None:
        """Cases end; new clients are taken, most urgent first, by the least loaded.

        Urgent cases (signalled by a buddy, or a buddy's client above the
        complexity threshold) are taken up to ``professional_max_overload``
        times the caseload; others only while there is room.
        """
        p, pop, w = m.p, m.pop, m.week
        taken, self.takeovers = _cases(
            self.referred,
            Clock(m.crn.seed, w, w - m.start_week),
            bundle(ClientPeople, pop),
            self.clients,
            bundle(
                CaseParams, p,
                proactive_outreach=p.professional_outreach == "proactive",
                urgent_limit=int(p.professional_max_overload * self.case_capacity),
                case_capacity=self.case_capacity,
            ),
        )  # fmt: skip
        referred_n = len(self.referred)
        self.referred = np.zeros(0, dtype=np.int64)
        buddies = self.buddies_coached
        # coaching a full group of buddies takes a share of a caseload
        cases, coached = self.case_capacity, self.coaching_capacity()
        coached_share = (
            p.coaching_load_share * buddies / coached if coached else (np.inf if buddies else 0.0)
        )
        self.load = (self.clients.sum() / cases + coached_share) if cases else np.inf
        self.stats = {
            "professional_clients": int(self.clients.sum()),
            "professional_load": float(self.load) if cases else np.nan,
            "professional_intake": taken,
            "buddy_signals": referred_n,
            "takeovers": self.takeovers,
        }

    def attach(self, m: ReentryModel) -> tuple[np.ndarray, int]:
        pop = m.pop
        return np.flatnonzero((pop.professional >= 0) & (pop.phase == RELEASED)), WITH_PROFESSIONAL

    def contacts(self, m: ReentryModel) -> Contacts:
        p, pop = m.p, m.pop
        ids, _ = self.attach(m)
        due = ids[(m.week - pop.pro_since[ids]) % p.professional_contact_interval == 0]
        rushed = self.load > 1
        slowed = 1 + p.rushed_contact_weight * self.overload()
        return Contacts(
            ids=due,
            grade=WITH_PROFESSIONAL,
            relief=p.professional_relief / slowed,
            trust_change=-p.box_ticking_trust_loss if rushed else p.professional_trust_gain,
            keep_probability=p.contact_kept_probability / slowed,
        )

    def weekly_stats(self) -> dict[str, float]:
        return self.stats


@njit(cache=True)
def _cases(referred, clock, people, clients, par):
    """Cases end after their length or on a new detention; new clients are taken.

    Returns the number of new clients and how many of them were buddy clients
    (takeovers).
    """
    seed, week, _ = clock
    has_id, housing, income, debt, debt_managed, addiction, mental_health, care_met = people.domains
    professional = people.professional
    pro_since = people.pro_since
    pro_end = people.pro_end
    pro_ever = people.pro_ever
    phase = people.phase
    buddy = people.buddy
    release_week = people.release_week
    help_seeking = people.help_seeking
    trust = people.trust
    k_ask = stream_key(seed, week, _ASK)
    signalled = np.zeros(phase.shape[0], dtype=np.bool_)
    signalled[referred] = True
    clients[:] = 0
    urgent, routine = int_list(), int_list()
    for i in range(phase.shape[0]):
        if professional[i] >= 0 and (pro_end[i] <= week or phase[i] != RELEASED):
            professional[i] = -1
        if professional[i] >= 0:
            clients[professional[i]] += 1
        if phase[i] != RELEASED or professional[i] >= 0:
            continue
        person = Domains(
            has_id[i], housing[i], income[i], debt[i], debt_managed[i], addiction[i],
            mental_health[i], care_met[i],
        )  # fmt: skip
        lacks = missing(person, par.debt_problem_threshold)
        complex_ = lacks >= par.complexity_threshold
        if signalled[i] or (complex_ and buddy[i] >= 0):  # a takeover above the threshold
            urgent.append(i)
        elif complex_:
            if par.proactive_outreach:
                reached = release_week[i] == week
            else:
                # reactive services select the capable: asking needs initiative and trust
                reached = unit(k_ask, i) < (
                    par.professional_ask_base_per_week
                    + par.professional_ask_slope * help_seeking[i] * trust[i]
                )
            if reached and buddy[i] < 0:
                routine.append(i)
    held = clients.sum()
    n_urgent = min(len(urgent), max(par.urgent_limit - held, 0))
    n_routine = min(len(routine), max(par.case_capacity - held - n_urgent, 0))
    taken = urgent[:n_urgent] + routine[:n_routine]
    takeovers = 0
    for i in urgent[:n_urgent]:
        takeovers += buddy[i] >= 0
    # each new client goes to the professional with the fewest clients, in turn
    order = np.argsort(clients, kind="mergesort")
    for r in range(len(taken)):
        i = taken[r]
        professional[i] = order[r % order.shape[0]]
        pro_since[i] = week
        pro_end[i] = week + par.professional_case_weeks
        pro_ever[i] = True
        clients[professional[i]] += 1
    return len(taken), takeovers
